"""One action on several participants of a batch, from its list."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from participants.models import Status
from tests.factories import (
    CohortFactory,
    DocumentFactory,
    ModuleFactory,
    ParticipantFactory,
    SessionFactory,
    TrainingPlanFactory,
    TransferConsentFactory,
)
from training.models import Attendance

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate().isoformat()


def url(cohort):
    return reverse("training:cohort_bulk", args=[cohort.pk])


def statuses(*people):
    for person in people:
        person.refresh_from_db()
    return [person.status for person in people]


class TestTheList:
    def test_hr_staff_see_the_batch_with_a_tick_for_each_person(self, client, hr, cohort):
        people = ParticipantFactory.create_batch(2, cohort=cohort, status=Status.SELECTED)
        client.force_login(hr)
        response = client.get(url(cohort))
        assert response.status_code == 200
        for person in people:
            assert f'name="participants" value="{person.pk}"' in response.content.decode()
        assert " checked>" not in response.content.decode()

    @pytest.mark.parametrize(
        ("stage", "first"),
        [("recruiting", "accept"), ("ready", "mark_ready"), ("departed", "move")],
    )
    def test_the_first_action_offered_fits_the_batch_s_stage(self, client, hr, stage, first):
        cohort = CohortFactory(status=stage)
        ParticipantFactory(cohort=cohort, status=Status.SELECTED)
        client.force_login(hr)
        form = client.get(url(cohort)).context["form"]
        assert form["action"].value() == first

    def test_tick_everyone_works_without_script(self, client, hr, cohort):
        ParticipantFactory.create_batch(3, cohort=cohort, status=Status.SELECTED)
        client.force_login(hr)
        response = client.get(url(cohort), {"select": "all"})
        assert response.content.decode().count(" checked>") == 3

    def test_the_batch_overview_carries_the_ticks_for_hr_staff_only(
        self, client, hr, coordinator, assigned, cohort
    ):
        ParticipantFactory(cohort=cohort, status=Status.SELECTED)
        client.force_login(hr)
        assert url(cohort) in client.get(cohort.get_absolute_url()).content.decode()
        client.force_login(coordinator)
        assert url(cohort) not in client.get(cohort.get_absolute_url()).content.decode()


class TestActions:
    def test_six_imported_people_are_accepted_into_training_with_one_form(self, client, hr, cohort):
        people = ParticipantFactory.create_batch(6, cohort=cohort, status=Status.SELECTED)
        client.force_login(hr)
        response = client.post(
            url(cohort),
            {
                "participants": [p.pk for p in people],
                "action": "accept",
                "effective_date": TODAY,
                "reason": "Seleksi selesai",
            },
        )
        assert response.status_code == 200
        assert statuses(*people) == [Status.IN_TRAINING] * 6
        assert response.context["done"] == 6
        assert {c.reason for p in people for c in p.status_changes.all()} == {"Seleksi selesai"}

    def test_mixed_results_are_shown_person_by_person(self, client, hr, cohort):
        selected = ParticipantFactory(cohort=cohort, status=Status.SELECTED, full_name="Aulia")
        working = ParticipantFactory(cohort=cohort, status=Status.WORKING, full_name="Budi")
        client.force_login(hr)
        response = client.post(
            url(cohort),
            {
                "participants": [selected.pk, working.pk],
                "action": "accept",
                "effective_date": TODAY,
            },
        )
        assert [(o.participant.full_name, o.done) for o in response.context["outcomes"]] == [
            ("Aulia", True),
            ("Budi", False),
        ]
        assert (response.context["done"], response.context["refused"]) == (1, 1)
        assert statuses(selected, working) == [Status.IN_TRAINING, Status.WORKING]
        page = response.content.decode()
        assert "Budi" in page and working.status_changes.count() == 0

    def test_a_status_move_uses_the_chosen_status_and_reason(self, client, hr, cohort):
        people = ParticipantFactory.create_batch(2, cohort=cohort, status=Status.IN_TRAINING)
        client.force_login(hr)
        client.post(
            url(cohort),
            {
                "participants": [p.pk for p in people],
                "action": "move",
                "to_status": Status.POSTPONED,
                "effective_date": TODAY,
                "reason": "Menunggu visa",
            },
        )
        assert statuses(*people) == [Status.POSTPONED] * 2

    def test_a_transfer_moves_the_ticked_to_the_other_batch(self, client, hr, cohort, program):
        target = CohortFactory(program=program, number=5)
        people = ParticipantFactory.create_batch(2, cohort=cohort, status=Status.IN_TRAINING)
        client.force_login(hr)
        client.post(
            url(cohort),
            {
                "participants": [p.pk for p in people],
                "action": "transfer",
                "cohort": target.pk,
                "effective_date": TODAY,
            },
        )
        for person in people:
            person.refresh_from_db()
            assert person.cohort == target

    def test_mark_ready_goes_through_the_readiness_check(self, client, hr, cohort):
        cohort.planned_departure = datetime.date(2026, 2, 18)
        cohort.save()
        plan = TrainingPlanFactory(cohort=cohort)
        ready = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
        session = SessionFactory(module=ModuleFactory(plan=plan), date=datetime.date(2025, 3, 3))
        Attendance.objects.create(session=session, participant=ready)
        DocumentFactory(participant=ready, expires_on=datetime.date(2030, 1, 1))
        TransferConsentFactory(participant=ready)
        no_passport = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
        client.force_login(hr)
        response = client.post(
            url(cohort),
            {
                "participants": [ready.pk, no_passport.pk],
                "action": "mark_ready",
                "effective_date": TODAY,
            },
        )
        assert statuses(ready, no_passport) == [Status.READY, Status.IN_TRAINING]
        assert ready.status_changes.get().readiness["ready"] is True
        refused = response.context["outcomes"][1]
        assert refused.participant == no_passport and "paspor" in refused.message


class TestRefusals:
    def test_only_hr_staff_move_people(self, client, coordinator, assigned, cohort):
        person = ParticipantFactory(cohort=cohort, status=Status.SELECTED)
        client.force_login(coordinator)
        response = client.post(
            url(cohort), {"participants": [person.pk], "action": "accept", "effective_date": TODAY}
        )
        assert response.status_code == 403
        assert statuses(person) == [Status.SELECTED]

    def test_a_batch_the_user_does_not_see_is_not_found(
        self, client, instructor, assigned, other_program
    ):
        hidden = CohortFactory(program=other_program)
        client.force_login(instructor)
        assert client.get(url(hidden)).status_code == 404

    def test_the_anonymous_are_sent_to_sign_in(self, client, cohort):
        assert client.get(url(cohort))["Location"].startswith(reverse("login"))

    def test_it_takes_get_or_post_only(self, client, hr, cohort):
        client.force_login(hr)
        assert client.put(url(cohort)).status_code == 405

    def test_someone_of_another_batch_cannot_be_slipped_in(self, client, hr, cohort, program):
        stranger = ParticipantFactory(
            cohort=CohortFactory(program=program, number=9), status=Status.SELECTED
        )
        client.force_login(hr)
        response = client.post(
            url(cohort),
            {"participants": [stranger.pk], "action": "accept", "effective_date": TODAY},
        )
        assert response.status_code == 400
        assert statuses(stranger) == [Status.SELECTED]

    @pytest.mark.parametrize(
        "data, field",
        [
            ({"action": "accept", "effective_date": TODAY}, "participants"),
            ({"action": "move", "effective_date": TODAY}, "to_status"),
            ({"action": "transfer", "effective_date": TODAY}, "cohort"),
            ({"action": "accept", "effective_date": "2999-01-01"}, "effective_date"),
            ({"action": "accept", "effective_date": "31/02/2026"}, "effective_date"),
            ({"action": "explode", "effective_date": TODAY}, "action"),
        ],
    )
    def test_invalid_input_is_explained_and_changes_nothing(self, client, hr, cohort, data, field):
        person = ParticipantFactory(cohort=cohort, status=Status.SELECTED)
        if field != "participants":
            data = {**data, "participants": [person.pk]}
        client.force_login(hr)
        response = client.post(url(cohort), data)
        assert response.status_code == 400
        assert field in response.context["form"].errors
        assert statuses(person) == [Status.SELECTED]
        # The ticks are kept for the second try.
        if field != "participants":
            assert " checked>" in response.content.decode()
