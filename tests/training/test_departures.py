"""Marking ready, departing and the batch's status moves (``training/views/departures.py``)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Cohort
from participants.models import Status
from tests.factories import (
    DepartureCeremonyFactory,
    DocumentFactory,
    ModuleFactory,
    ParticipantFactory,
    SessionFactory,
    TransferConsentFactory,
)
from tests.pages import messages_of
from training.models import Attendance

pytestmark = pytest.mark.django_db


class TestReadinessMoves:
    def ready_person(self, cohort, plan):
        person = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
        session = SessionFactory(module=ModuleFactory(plan=plan), date=datetime.date(2025, 3, 3))
        Attendance.objects.create(session=session, participant=person)
        DocumentFactory(participant=person, expires_on=datetime.date(2030, 1, 1))
        TransferConsentFactory(participant=person)
        return person

    def test_hr_staff_mark_a_ready_participant_ready(self, client, hr, cohort, plan):
        cohort.planned_departure = datetime.date(2026, 2, 18)
        cohort.save()
        person = self.ready_person(cohort, plan)
        client.force_login(hr)
        client.post(reverse("training:participant_ready", args=[person.pk]))
        person.refresh_from_db()
        assert person.status == Status.READY

    def test_marking_ready_before_the_planned_departure_is_dated_today(
        self, client, hr, cohort, plan
    ):
        today = timezone.localdate()
        cohort.planned_departure = today + datetime.timedelta(days=60)
        cohort.save()
        person = self.ready_person(cohort, plan)
        client.force_login(hr)
        client.post(reverse("training:participant_ready", args=[person.pk]))
        change = person.status_changes.get(to_status=Status.READY)
        assert change.effective_date == today

    def test_a_participant_who_is_not_ready_stays_with_the_reasons(self, client, hr, cohort, plan):
        person = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
        client.force_login(hr)
        response = client.post(reverse("training:participant_ready", args=[person.pk]))
        assert "Belum ada paspor yang dicatat." in messages_of(response)
        person.refresh_from_db()
        assert person.status == Status.IN_TRAINING

    def test_without_a_transfer_consent_marking_ready_is_refused_and_says_so(
        self, client, hr, cohort, plan
    ):
        cohort.planned_departure = datetime.date(2026, 2, 18)
        cohort.save()
        person = self.ready_person(cohort, plan)
        person.consents.all().delete()
        client.force_login(hr)
        response = client.post(reverse("training:participant_ready", args=[person.pk]))
        assert (
            f"Belum ada persetujuan transfer data pribadi kepada {cohort.program.partner.name} "
            "(UU 27/2022)." in messages_of(response)
        )
        person.refresh_from_db()
        assert person.status == Status.IN_TRAINING

    def test_marking_ready_takes_a_post_and_the_right_role(
        self, client, assigned, coordinator, cohort
    ):
        person = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
        client.force_login(coordinator)
        url = reverse("training:participant_ready", args=[person.pk])
        assert client.get(url).status_code == 405
        assert client.post(url).status_code == 403

    def test_departing_one_participant_records_date_flight_and_readiness(
        self, client, hr, cohort, plan
    ):
        person = self.ready_person(cohort, plan)
        person.status = Status.READY
        person.save()
        client.force_login(hr)
        client.post(
            reverse("training:participant_depart", args=[person.pk]),
            {"departure_date": "2026-02-18", "flight": "GA 880"},
        )
        change = person.status_changes.get(to_status=Status.DEPARTED)
        assert (change.departure_date, change.flight, change.readiness["ready"]) == (
            datetime.date(2026, 2, 18),
            "GA 880",
            True,
        )
        person.refresh_from_db()
        assert person.departed_on == datetime.date(2026, 2, 18)
        page = client.get(person.get_absolute_url())
        assert page.context["readiness"]["stored"] is True

    def test_the_batch_page_departs_the_ready_and_lists_the_others(self, client, hr, cohort, plan):
        DepartureCeremonyFactory(cohort=cohort)
        ready = self.ready_person(cohort, plan)
        ready.status = Status.READY
        ready.save()
        waiting = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
        client.force_login(hr)
        url = reverse("training:cohort_depart", args=[cohort.pk])
        preview = client.get(url).context["preview"]
        assert [(p, departs) for p, departs, _missing in preview] == [
            (ready, True),
            (waiting, False),
        ]
        response = client.post(url, {"flight": ""})
        assert response.context["report"].departed == [ready]
        waiting.refresh_from_db()
        ready.refresh_from_db()
        assert waiting.status == Status.IN_TRAINING
        assert (ready.departed_on, waiting.departed_on) == (
            ready.cohort.ceremony.local_date(),
            None,
        )

    def test_the_board_on_the_batch_overview_shows_what_is_missing(self, client, hr, cohort, plan):
        ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING, full_name="Siti")
        client.force_login(hr)
        board = client.get(cohort.get_absolute_url()).context["board"]
        assert board["rows"][0]["ready"] is False
        assert "Belum ada paspor yang dicatat." in board["rows"][0]["missing"]


class TestCohortMoves:
    def test_hr_staff_move_a_batch_into_training(self, client, hr, cohort):
        client.force_login(hr)
        response = client.post(
            reverse("training:cohort_move", args=[cohort.pk]), {"status": "training"}
        )
        assert response["Location"] == cohort.get_absolute_url()
        cohort.refresh_from_db()
        assert cohort.status == "training"

    def test_a_move_the_batch_may_not_make_is_refused_with_its_reason(self, client, hr, cohort):
        cohort.status = Cohort.Status.READY
        cohort.save()
        client.force_login(hr)
        response = client.post(
            reverse("training:cohort_move", args=[cohort.pk]), {"status": "departed"}
        )
        assert messages_of(response) == ["Catat acara pelepasan terlebih dahulu."]
        cohort.refresh_from_db()
        assert cohort.status == "ready"

    def test_a_batch_with_nobody_ready_stays_in_training_and_says_why(self, client, hr, cohort):
        cohort.status = Cohort.Status.TRAINING
        cohort.save()
        ParticipantFactory(cohort=cohort, status="in_training")
        client.force_login(hr)
        response = client.post(
            reverse("training:cohort_move", args=[cohort.pk]), {"status": "ready"}
        )
        assert messages_of(response) == ["Belum ada peserta angkatan ini yang siap berangkat."]
        cohort.refresh_from_db()
        assert cohort.status == "training"

    def test_the_overview_offers_ready_only_when_the_people_are(self, client, hr, cohort):
        cohort.status = Cohort.Status.TRAINING
        cohort.save()
        person = ParticipantFactory(cohort=cohort, status="in_training")
        client.force_login(hr)
        page = client.get(cohort.get_absolute_url()).content.decode()
        assert 'value="ready"' not in page
        assert "Belum ada peserta angkatan ini yang siap berangkat." in page
        person.status = "ready"
        person.save()
        page = client.get(cohort.get_absolute_url()).content.decode()
        assert 'value="ready"' in page

    def test_an_unknown_status_changes_nothing(self, client, hr, cohort):
        client.force_login(hr)
        client.post(reverse("training:cohort_move", args=[cohort.pk]), {"status": "launched"})
        cohort.refresh_from_db()
        assert cohort.status == "recruiting"

    def test_a_move_takes_a_post(self, client, hr, cohort):
        client.force_login(hr)
        assert client.get(reverse("training:cohort_move", args=[cohort.pk])).status_code == 405

    def test_a_coordinator_may_not_move_a_batch(self, client, assigned, coordinator, cohort):
        client.force_login(coordinator)
        url = reverse("training:cohort_move", args=[cohort.pk])
        assert client.post(url, {"status": "training"}).status_code == 403
