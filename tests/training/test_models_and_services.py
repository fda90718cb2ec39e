import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import translation

from participants.models import Status
from tests.factories import (
    DocumentFactory,
    ModuleFactory,
    ParticipantFactory,
    SessionFactory,
    TrainingPlanFactory,
    TransferConsentFactory,
)
from training import services
from training.models import Attendance, ExamType, NonTeachingDay, Session, add_months, session_hours
from training.readiness import percent

pytestmark = pytest.mark.django_db


def test_the_attendance_formula_on_the_worked_example():
    assert percent(Decimal(170), Decimal(200)) == Decimal("85.0")


def test_a_session_knows_its_hours():
    assert session_hours(datetime.time(8, 0), datetime.time(10, 30)) == Decimal("2.50")


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime.date(2025, 2, 17), 12, datetime.date(2026, 2, 17)),
        (datetime.date(2025, 1, 31), 1, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 28)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


class TestPassRules:
    def test_jft_basic_passes_at_200_of_250(self):
        jft = ExamType.objects.get(code="jft-basic")
        assert (jft.passes(Decimal(199)), jft.passes(Decimal(200))) == (False, True)
        assert jft.max_score == 250

    def test_a_pass_fail_exam_is_not_judged_by_score(self):
        assert ExamType.objects.get(code="jlpt-n4").passes(Decimal(120)) is None

    def test_the_seeded_exams_include_every_kind_the_programme_needs(self):
        codes = set(ExamType.objects.values_list("code", flat=True))
        assert {"jlpt-n5", "jlpt-n1", "jft-basic", "ssw-care-skills", "care-japanese"} <= codes
        assert {"kaigo-fukushishi", "nat-4q", "jtest-ef", "mock"} <= codes


class TestNonTeachingDays:
    def test_indonesian_holidays_are_seeded(self):
        independence = NonTeachingDay.objects.get(date=datetime.date(2026, 8, 17))
        assert "Kemerdekaan" in independence.name and not independence.estimated

    def test_later_islamic_dates_are_flagged_as_estimates(self):
        eid_2027 = NonTeachingDay.objects.get(date=datetime.date(2027, 3, 10))
        assert eid_2027.estimated and "(perkiraan)" not in eid_2027.name

    @pytest.mark.django_db(transaction=True)
    def test_a_flushed_database_gets_them_back(self):
        call_command("flush", interactive=False, verbosity=0)
        assert NonTeachingDay.objects.filter(date=datetime.date(2026, 8, 17)).exists()
        assert ExamType.objects.filter(code="jft-basic").exists()


class TestScheduleGenerator:
    def test_it_skips_non_teaching_days_and_listed_dates(self):
        # March 2026: Idul Fitri on Saturday 21 and Sunday 22, Nyepi on Thursday 19.
        dates, skipped = services.schedule_dates(
            start=datetime.date(2026, 3, 16),
            end=datetime.date(2026, 3, 27),
            weekdays={0, 3},  # Mondays and Thursdays
            skip={datetime.date(2026, 3, 23)},
        )
        assert dates == [datetime.date(2026, 3, 16), datetime.date(2026, 3, 26)]
        assert [day for day, _why in skipped] == [
            datetime.date(2026, 3, 19),
            datetime.date(2026, 3, 23),
        ]
        assert "Nyepi" in skipped[0][1]

    def test_it_creates_the_sessions(self):
        module = ModuleFactory()
        created = services.sessions_create(
            module=module,
            dates=[datetime.date(2026, 3, 16), datetime.date(2026, 3, 17)],
            start_time=datetime.time(8, 0),
            end_time=datetime.time(11, 0),
            topic="Hiragana",
        )
        assert len(created) == 2
        assert Session.objects.filter(module=module, topic="Hiragana").count() == 2


class TestBulkAttendance:
    @pytest.mark.parametrize("size", [3, 20])
    def test_saving_a_whole_session_takes_a_fixed_number_of_queries(
        self, size, django_assert_num_queries
    ):
        session = SessionFactory()
        people = [ParticipantFactory() for _ in range(size)]
        with django_assert_num_queries(5):
            services.attendance_save(
                session=session, statuses={p.pk: ("present", "") for p in people}
            )
        assert Attendance.objects.filter(session=session).count() == size

    def test_a_correction_afterwards_keeps_the_history(self):
        session = SessionFactory()
        person = ParticipantFactory()
        services.attendance_save(session=session, statuses={person.pk: ("present", "")})
        services.attendance_save(session=session, statuses={person.pk: ("sick", "Surat dokter")})
        row = Attendance.objects.get()
        assert (row.status, row.note) == ("sick", "Surat dokter")
        assert [h.status for h in row.history.all()] == ["sick", "present"]

    def test_a_session_still_to_come_is_refused_and_nothing_saved(self):
        session = SessionFactory(date=datetime.date(2026, 3, 4))
        person = ParticipantFactory()
        with pytest.raises(ValidationError):
            services.attendance_save(
                session=session,
                statuses={person.pk: ("present", "")},
                today=datetime.date(2026, 3, 3),
            )
        assert not Attendance.objects.exists()

    def test_the_day_of_the_session_is_accepted(self):
        session = SessionFactory(date=datetime.date(2026, 3, 3))
        person = ParticipantFactory()
        services.attendance_save(
            session=session, statuses={person.pk: ("present", "")}, today=datetime.date(2026, 3, 3)
        )
        assert Attendance.objects.count() == 1

    def test_a_departed_batch_is_refused_and_nothing_saved(self):
        session = SessionFactory()
        cohort = session.module.plan.cohort
        cohort.status = "departed"
        cohort.save()
        with pytest.raises(ValidationError):
            services.attendance_save(
                session=session, statuses={ParticipantFactory().pk: ("present", "")}
            )
        assert not Attendance.objects.exists()

    def test_the_database_refuses_two_rows_for_one_person_and_session(self):
        session = SessionFactory()
        person = ParticipantFactory()
        Attendance.objects.create(session=session, participant=person)
        with pytest.raises(IntegrityError), transaction.atomic():
            Attendance.objects.create(session=session, participant=person)


class TestCohortMoves:
    """The batch's status follows its people (training.services.cohort_move)."""

    TODAY = datetime.date(2026, 2, 18)

    def batch(self, status, *people):
        from tests.factories import CohortFactory

        cohort = CohortFactory(status=status)
        for person_status in people:
            ParticipantFactory(cohort=cohort, status=person_status)
        return cohort

    def move(self, cohort, status):
        with translation.override("en"):
            services.cohort_move(cohort=cohort, status=status, by=None, today=self.TODAY)

    def refused(self, cohort, status) -> str:
        with translation.override("en"), pytest.raises(ValidationError) as error:
            services.cohort_move(cohort=cohort, status=status, by=None, today=self.TODAY)
        before = cohort.status
        cohort.refresh_from_db()
        assert cohort.status == before
        return " ".join(error.value.messages)

    def test_a_batch_with_nobody_ready_is_not_ready(self):
        cohort = self.batch("training", "in_training", "in_training")
        assert "Nobody in the batch is ready" in self.refused(cohort, "ready")

    def test_an_empty_batch_is_not_ready(self):
        assert "Nobody in the batch is ready" in self.refused(self.batch("training"), "ready")

    def test_a_batch_with_someone_still_in_training_is_not_ready(self):
        cohort = self.batch("training", "ready", "in_training")
        assert "1 participant is not ready yet" in self.refused(cohort, "ready")

    def test_a_batch_is_ready_when_the_rest_are_postponed_or_withdrawn(self):
        cohort = self.batch("training", "ready", "postponed", "withdrawn")
        self.move(cohort, "ready")
        cohort.refresh_from_db()
        assert cohort.status == "ready"

    def test_people_moved_to_another_batch_do_not_hold_it_back(self):
        from tests.factories import CohortFactory

        cohort = self.batch("training", "ready")
        leaving = ParticipantFactory(cohort=cohort, status="in_training")
        leaving.transfer(CohortFactory(program=cohort.program), by=None, effective_date=self.TODAY)
        self.move(cohort, "ready")
        assert cohort.status == "ready"

    def test_a_batch_never_departs_by_its_status_alone(self):
        from tests.factories import DepartureCeremonyFactory

        cohort = self.batch("ready", "applicant", "applicant")
        DepartureCeremonyFactory(cohort=cohort)
        assert "departs with its people" in self.refused(cohort, "departed")

    def test_a_batch_whose_people_have_not_all_departed_is_not_closed(self):
        cohort = self.batch("departed", "working", "postponed")
        assert "1 participant has not departed" in self.refused(cohort, "closed")

    def test_a_departed_batch_whose_people_left_is_closed(self):
        cohort = self.batch("departed", "working", "withdrawn", "returned_early")
        self.move(cohort, "closed")
        assert cohort.status == "closed"

    def test_the_batch_keeps_its_own_checks(self):
        cohort = self.batch("recruiting", "ready")
        assert "cannot go from" in self.refused(cohort, "ready")

    def test_the_allowed_moves_are_those_the_people_agree_with(self):
        cohort = self.batch("training", "in_training")
        assert services.cohort_allowed_moves(cohort, today=self.TODAY) == ["recruiting"]


class TestMarkingSeveralReady:
    def test_each_is_checked_on_their_own_and_the_unready_are_refused_with_why(self, hr, cohort):
        cohort.planned_departure = datetime.date(2026, 2, 18)
        cohort.save()
        plan = TrainingPlanFactory(cohort=cohort)
        ready = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
        session = SessionFactory(module=ModuleFactory(plan=plan), date=datetime.date(2025, 3, 3))
        Attendance.objects.create(session=session, participant=ready)
        DocumentFactory(participant=ready, expires_on=datetime.date(2030, 1, 1))
        TransferConsentFactory(participant=ready)
        unready = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)

        outcomes = services.participants_mark_ready(
            participants=[unready, ready], by=hr, reason="Lulus"
        )

        assert [o.done for o in outcomes] == [False, True]
        assert outcomes[0].message
        change = ready.status_changes.get()
        assert (change.to_status, change.reason, change.readiness["reference_date"]) == (
            Status.READY,
            "Lulus",
            "2026-02-18",
        )
        assert "18 Februari 2026" in outcomes[1].message
        unready.refresh_from_db()
        assert unready.status == Status.IN_TRAINING
