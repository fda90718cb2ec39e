"""The monthly check-in from abroad, and its "I need help now" flag reaching staff."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from delegation.models import Notification
from delegation.roles import Role
from participants.models import CheckIn, Contract, contract_end
from tests.factories import ProgramAssignmentFactory, UserFactory
from welfare import services as welfare_services
from welfare.models import Case

pytestmark = pytest.mark.django_db

ANSWERS = {
    "wellbeing": "4",
    "work_satisfaction": "3",
    "work": "Shift malam dua kali seminggu",
    "housing": "Asrama dekat panti",
    "health": "Sehat",
    "money_sent_home": "50000",
    "money_currency": "jpy",
    "concerns": "",
    "wants_to_extend": "yes",
    "wants_family": "undecided",
}


@pytest.fixture
def working(person, program):
    person.status = "working"
    person.save()
    program.emergency_hotline_name = "KBRI Tokyo"
    program.emergency_hotline = "+81 80-3506-8612"
    program.coordinator_phone = "+62 811-5000-123"
    program.save()
    start = datetime.date(2026, 3, 2)
    Contract.objects.create(
        participant=person,
        employer="Kaikoukai Healthcare Corporation",
        start_date=start,
        term_years=5,
        end_date=contract_end(start, 5),
        status=Contract.Status.ACTIVE,
    )
    return person


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_a_check_in_is_recorded_as_the_persons_own(portal_client, working, portal_user):
    response = portal_client.post(reverse("portal:check_in"), ANSWERS)
    assert response.status_code == 302
    check_in = CheckIn.objects.get(participant=working)
    assert check_in.channel == CheckIn.Channel.PORTAL
    assert check_in.held_by == CheckIn.HeldBy.SELF
    assert check_in.recorded_by == portal_user
    assert check_in.date == timezone.localdate()
    assert (check_in.wellbeing, check_in.money_currency) == (4, "JPY")
    assert not check_in.help_requested and not check_in.follow_up_needed
    assert mail.outbox == []


def test_asking_for_help_shows_the_numbers_opens_a_follow_up_and_tells_the_coordinator(
    portal_client, working, program, django_capture_on_commit_callbacks, english
):
    coordinator = UserFactory(username="machli", role=Role.COORDINATOR)
    ProgramAssignmentFactory(program=program, user=coordinator, role="coordinator")
    other = UserFactory(username="someone-else", role=Role.COORDINATOR)
    with django_capture_on_commit_callbacks(execute=True):
        response = portal_client.post(
            reverse("portal:check_in"), {**ANSWERS, "help_requested": "on", "wellbeing": "1"}
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="tel:+8180-3506-8612"' in page and "KBRI Tokyo" in page
    assert 'href="tel:+62811-5000-123"' in page
    check_in = CheckIn.objects.get(participant=working)
    assert check_in.help_requested and check_in.follow_up_needed
    assert list(CheckIn.objects.open_follow_ups()) == [check_in]
    assert Notification.objects.filter(user=coordinator).count() == 1
    assert not Notification.objects.filter(user=other).exists()
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert working.full_name in mail.outbox[0].body


def test_without_a_coordinator_hr_staff_are_told(
    portal_client, working, hr, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        portal_client.post(reverse("portal:check_in"), {**ANSWERS, "help_requested": "on"})
    assert Notification.objects.filter(user=hr).count() == 1
    assert [m.to for m in mail.outbox] == [[hr.email]]


def test_invalid_answers_save_nothing(portal_client, working, english):
    response = portal_client.post(
        reverse("portal:check_in"), {**ANSWERS, "wellbeing": "9", "money_currency": "yen!"}
    )
    assert response.status_code == 400
    assert not CheckIn.objects.exists()


def test_someone_not_yet_abroad_cannot_send_one(portal_client, person):
    response = portal_client.post(reverse("portal:check_in"), ANSWERS)
    assert response.status_code == 302
    assert not CheckIn.objects.exists()


def test_the_abroad_page_shows_contract_dates_and_the_embassy_report_reminder(
    portal_client, working, english
):
    page = portal_client.get(reverse("portal:abroad")).content.decode()
    assert "2 March 2026" in page and "1 March 2031" in page
    assert "lapor diri" in page
    assert "Your check-in for this month is due." in page
    portal_client.post(reverse("portal:check_in"), ANSWERS)
    page = portal_client.get(reverse("portal:abroad")).content.decode()
    assert "You have sent your check-in this month." in page


def test_asking_for_help_opens_a_welfare_case_through_the_welfare_service(
    portal_client, working, portal_user, django_capture_on_commit_callbacks, monkeypatch
):
    """The portal's "help now" is ``welfare.services.case_from_help_now(via="portal")``: the
    case draft is open for staff, the full check-in hangs on it."""
    calls = []
    real = welfare_services.case_from_help_now

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(welfare_services, "case_from_help_now", spy)
    answers = {**ANSWERS, "help_requested": "on", "concerns": "Majikan menahan paspor saya"}
    with django_capture_on_commit_callbacks(execute=True):
        portal_client.post(reverse("portal:check_in"), answers)
    assert [c["via"] for c in calls] == ["portal"]
    case = Case.objects.get(participant=working)
    assert case.reported_via == Case.Source.PORTAL
    assert case.status == Case.Status.DRAFT
    assert case.description == "Majikan menahan paspor saya"
    check_in = CheckIn.objects.get(participant=working)
    assert case.check_in == check_in
    assert check_in.channel == CheckIn.Channel.PORTAL and check_in.held_by == CheckIn.HeldBy.SELF
    assert check_in.recorded_by == portal_user
    assert check_in.help_requested and check_in.housing == "Asrama dekat panti"
    assert check_in.money_currency == "JPY"


def test_help_without_words_still_opens_the_case(portal_client, working):
    portal_client.post(reverse("portal:check_in"), {**ANSWERS, "help_requested": "on"})
    case = Case.objects.get(participant=working)
    assert case.description  # the person is never held up for a sentence


def test_help_now_sent_twice_is_one_case_and_one_check_in(portal_client, working):
    """The button pressed twice on a slow line: one call for help reaches the office."""
    answers = {**ANSWERS, "help_requested": "on", "concerns": "Majikan menahan paspor saya"}
    for _ in range(2):
        assert portal_client.post(reverse("portal:check_in"), answers).status_code == 200
    assert Case.objects.filter(participant=working).count() == 1
    assert CheckIn.objects.filter(participant=working).count() == 1
