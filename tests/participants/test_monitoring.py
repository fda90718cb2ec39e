import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from participants.models import CheckIn, Participant, Residence, Status, overdue_check_ins
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 27)


def check_in(participant, days_ago, *, today=TODAY, **fields):
    values = {
        "channel": "video",
        "held_by": "city",
        "wellbeing": 4,
        "work_satisfaction": 4,
    }
    values.update(fields)
    return CheckIn.objects.create(
        participant=participant, date=today - datetime.timedelta(days=days_ago), **values
    )


def test_a_working_participant_without_a_check_in_for_90_days_is_overdue():
    never = ParticipantFactory(status=Status.WORKING)
    long_ago = ParticipantFactory(status=Status.WORKING)
    recent = ParticipantFactory(status=Status.EXTENDED)
    training = ParticipantFactory(status=Status.IN_TRAINING)
    check_in(long_ago, 91)
    check_in(recent, 90)
    overdue = set(overdue_check_ins(Participant.objects.all(), today=TODAY))
    assert overdue == {never, long_ago}
    assert training not in overdue


def test_the_overdue_limit_is_a_setting(settings):
    settings.CHECKIN_OVERDUE_DAYS = 30
    person = ParticipantFactory(status=Status.WORKING)
    check_in(person, 31)
    assert list(overdue_check_ins(Participant.objects.all(), today=TODAY)) == [person]


def test_the_latest_check_in_per_participant_is_the_newest_and_then_the_last_entered():
    one, two = ParticipantFactory(), ParticipantFactory()
    check_in(one, 30)
    newest = check_in(one, 5)
    check_in(two, 5)
    entered_last = check_in(two, 5)
    assert set(CheckIn.objects.latest_per_participant()) == {newest, entered_last}


def test_the_batch_overview_shows_who_wants_to_extend_and_bring_family(client, hr, cohort):
    people = [ParticipantFactory(cohort=cohort, status=Status.WORKING) for _ in range(4)]
    check_in(people[0], 200, wants_to_extend="no")
    check_in(people[0], 10, wants_to_extend="yes", wants_family="yes", wellbeing=5)
    check_in(people[1], 10, wants_to_extend="yes", follow_up_needed=True)
    check_in(people[2], 10, wants_to_extend="no", wellbeing=3)
    client.force_login(hr)
    retention = client.get(cohort.get_absolute_url()).context["retention"]
    assert set(retention.pop("wanting_to_extend")) == {people[0], people[1]}
    assert retention == {
        "people": 3,
        "extend": 67,
        "family": 33,
        "wellbeing": pytest.approx(4),
        "open_follow_ups": 1,
    }


def test_an_instructor_reads_no_check_in_figures_on_the_batch_overview(
    client, assigned, instructor, leadership, cohort
):
    person = ParticipantFactory(cohort=cohort, status=Status.WORKING, full_name="Budi")
    check_in(person, 10, wants_to_extend="yes", wellbeing=5)
    client.force_login(instructor)
    response = client.get(cohort.get_absolute_url())
    assert response.context["retention"] is None
    assert 'id="retention-heading"' not in response.content.decode()
    client.force_login(leadership)
    assert client.get(cohort.get_absolute_url()).context["retention"]["people"] == 1


def test_hr_staff_record_a_check_in(client, hr):
    person = ParticipantFactory(status=Status.WORKING)
    client.force_login(hr)
    client.post(
        reverse("participants:check_in_create", args=[person.pk]),
        {
            "date": "2026-11-20",
            "channel": "video",
            "held_by": "city",
            "wellbeing": "4",
            "work_satisfaction": "5",
            "wants_to_extend": "yes",
            "wants_family": "undecided",
        },
    )
    assert person.check_ins.get().recorded_by == hr


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"wellbeing": "6"}, "wellbeing"), ({"date": "2999-01-01"}, "date")],
)
def test_a_bad_check_in_saves_nothing(client, hr, overrides, field):
    person = ParticipantFactory(status=Status.WORKING)
    client.force_login(hr)
    data = {
        "date": "2026-11-20",
        "channel": "video",
        "held_by": "city",
        "wellbeing": "4",
        "work_satisfaction": "4",
        "wants_to_extend": "yes",
        "wants_family": "no",
        **overrides,
    }
    response = client.post(reverse("participants:check_in_create", args=[person.pk]), data)
    assert field in response.context["form"].errors
    assert not CheckIn.objects.exists()


def test_the_monitoring_page_lists_the_overdue_and_open_follow_ups(
    client, assigned, coordinator, cohort
):
    overdue = ParticipantFactory(cohort=cohort, status=Status.WORKING, full_name="Lama")
    followed = ParticipantFactory(cohort=cohort, status=Status.WORKING)
    # The page judges by the real today.
    check_in(
        followed, 1, today=timezone.localdate(), follow_up_needed=True, concerns="Rindu keluarga"
    )
    client.force_login(coordinator)
    response = client.get(reverse("participants:monitoring"))
    assert list(response.context["overdue"].object_list) == [overdue]
    assert [c.participant for c in response.context["follow_ups"]] == [followed]


def test_life_abroad_is_recorded_with_a_japanese_phone(client, hr):
    person = ParticipantFactory(status=Status.WORKING)
    client.force_login(hr)
    client.post(
        reverse("participants:residence_edit", args=[person.pk]),
        {"status": "ssw1", "phone": "090-1234-5678", "embassy_report_date": "2026-03-10"},
    )
    residence = Residence.objects.get(participant=person)
    assert (residence.phone, residence.allows_family) == ("+819012345678", False)


def test_instructors_cannot_open_monitoring(client, instructor):
    client.force_login(instructor)
    assert client.get(reverse("participants:monitoring")).status_code == 403
