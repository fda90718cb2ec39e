import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from cohorts.models import Cohort
from participants.models import ConsentRecord, Document, DocumentRequirement, DocumentType, Status
from tests.factories import (
    DepartureCeremonyFactory,
    DocumentFactory,
    ExamResultFactory,
    ModuleFactory,
    ParticipantFactory,
    PartnerFactory,
    TrainingPlanFactory,
    TransferConsentFactory,
)
from training import readiness, services
from training.models import Attendance, ExamRequirement, ExamType, Module, Session

pytestmark = pytest.mark.django_db
ON = datetime.date(2026, 2, 18)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def plan(cohort):
    cohort.planned_departure = ON
    cohort.save()
    return TrainingPlanFactory(cohort=cohort)


def hold(module, count, *, start=datetime.date(2025, 3, 3), hours=2, **fields):
    """``count`` sessions of ``hours`` each, one a day from ``start``."""
    return Session.objects.bulk_create(
        Session(
            module=module,
            date=start + datetime.timedelta(days=index),
            start_time=datetime.time(8, 0),
            end_time=datetime.time(8 + hours, 0),
            **fields,
        )
        for index in range(count)
    )


def attend(participant, sessions, statuses):
    Attendance.objects.bulk_create(
        Attendance(session=session, participant=participant, status=status)
        for session, status in zip(sessions, statuses, strict=True)
    )


def passport(participant, expires_on):
    return DocumentFactory(participant=participant, expires_on=expires_on)


def requirement(result, key):
    return next(r for r in result.requirements if r.key == key)


def ready_person(cohort, plan):
    """Someone who meets everything, to break one requirement at a time."""
    person = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
    language = plan.modules.first() or ModuleFactory(plan=plan)
    sessions = hold(language, 10)
    attend(person, sessions, ["present"] * 10)
    passport(person, ON + datetime.timedelta(days=400))
    TransferConsentFactory(participant=person)
    return person


class TestAttendance:
    def test_the_worked_example_200_held_hours_170_attended_is_85_percent(self, cohort, plan):
        module = ModuleFactory(plan=plan)
        sessions = hold(module, 100)  # 100 sessions of 2 hours = 200 hours
        person = ParticipantFactory(cohort=cohort)
        attend(
            person,
            sessions,
            ["present"] * 80 + ["late"] * 5 + ["sick"] * 5 + ["excused"] * 5 + ["absent"] * 5,
        )
        result = readiness.check(person, on=ON)
        assert result.attendance_rate == Decimal("85.0")
        assert requirement(result, "attendance").met

    def test_sick_and_excused_count_as_not_attended(self, cohort, plan):
        sessions = hold(ModuleFactory(plan=plan), 10)
        person = ParticipantFactory(cohort=cohort)
        attend(person, sessions, ["present"] * 7 + ["sick", "excused", "excused"])
        result = readiness.check(person, on=ON)
        assert result.attendance_rate == Decimal("70.0")
        assert not requirement(result, "attendance").met
        assert result.missing[0] == "Attendance 70.0% (needs 80%)."

    def test_cancelled_and_later_sessions_are_not_held(self, cohort, plan):
        module = ModuleFactory(plan=plan)
        held = hold(module, 8)
        hold(module, 5, cancelled=True)
        hold(module, 5, start=ON + datetime.timedelta(days=1))
        person = ParticipantFactory(cohort=cohort)
        attend(person, held, ["present"] * 8)
        assert readiness.check(person, on=ON).attendance_rate == Decimal("100.0")

    def test_a_culture_module_below_the_threshold_is_unmet_even_when_overall_is_met(
        self, cohort, plan
    ):
        person = ready_person(cohort, plan)
        banjar = ModuleFactory(
            plan=plan, name="Nilai Budaya Banjar", kind=Module.Kind.BANJAR_CULTURE
        )
        attend(
            person,
            hold(banjar, 4, start=datetime.date(2025, 9, 1)),
            ["present", "absent", "absent", "present"],
        )
        result = readiness.check(person, on=ON)
        assert requirement(result, "attendance").met  # 24 of 28 hours
        culture = requirement(result, f"module-{banjar.pk}")
        assert not culture.met
        assert culture.detail == "Nilai Budaya Banjar: attendance 50.0% (needs 80%)."

    def test_no_held_session_means_not_ready(self, cohort, plan):
        person = ParticipantFactory(cohort=cohort)
        passport(person, ON + datetime.timedelta(days=400))
        result = readiness.check(person, on=ON)
        assert not result.ready and "No sessions held yet." in result.missing


class TestExams:
    @pytest.fixture
    def japanese(self, program):
        group = ExamRequirement.objects.create(
            program=program, name="Japanese: N4 or higher, or JFT-Basic"
        )
        group.exam_types.set(
            ExamType.objects.filter(
                code__in=["jlpt-n4", "jlpt-n3", "jlpt-n2", "jlpt-n1", "jft-basic"]
            )
        )
        return group

    def test_n3_satisfies_n4_or_higher(self, cohort, plan, japanese):
        person = ready_person(cohort, plan)
        ExamResultFactory(participant=person, exam_type=ExamType.objects.get(code="jlpt-n3"))
        assert requirement(readiness.check(person, on=ON), f"exam-{japanese.pk}").met

    def test_n5_does_not(self, cohort, plan, japanese):
        person = ready_person(cohort, plan)
        ExamResultFactory(participant=person, exam_type=ExamType.objects.get(code="jlpt-n5"))
        assert not requirement(readiness.check(person, on=ON), f"exam-{japanese.pk}").met

    @pytest.mark.parametrize(("score", "met"), [(199, False), (200, True), (250, True)])
    def test_jft_basic_passes_at_200(self, cohort, plan, japanese, score, met):
        person = ready_person(cohort, plan)
        jft = ExamType.objects.get(code="jft-basic")
        ExamResultFactory(
            participant=person, exam_type=jft, score=score, passed=jft.passes(Decimal(score))
        )
        assert requirement(readiness.check(person, on=ON), f"exam-{japanese.pk}").met is met

    def test_a_pass_after_the_reference_date_does_not_count(self, cohort, plan, japanese):
        person = ready_person(cohort, plan)
        ExamResultFactory(
            participant=person,
            exam_type=ExamType.objects.get(code="jlpt-n4"),
            date=ON + datetime.timedelta(days=1),
        )
        assert not requirement(readiness.check(person, on=ON), f"exam-{japanese.pk}").met


class TestDocuments:
    @pytest.mark.parametrize(("days", "met"), [(180, True), (179, False)])
    def test_the_passport_must_be_valid_180_days_past_the_reference_date(
        self, cohort, plan, days, met
    ):
        person = ParticipantFactory(cohort=cohort)
        passport(person, ON + datetime.timedelta(days=days))
        assert requirement(readiness.check(person, on=ON), "passport").met is met

    def test_no_passport_is_unmet(self, cohort, plan):
        person = ParticipantFactory(cohort=cohort)
        assert (
            requirement(readiness.check(person, on=ON), "passport").detail
            == "No passport recorded."
        )

    def test_a_renewed_passport_counts_not_the_old_one(self, cohort, plan):
        person = ParticipantFactory(cohort=cohort)
        old = passport(person, ON)
        DocumentFactory(
            participant=person, replaces=old, expires_on=ON + datetime.timedelta(days=3650)
        )
        assert requirement(readiness.check(person, on=ON), "passport").met

    def test_required_documents_must_be_present_and_valid_on_the_date(self, cohort, plan):
        medical = DocumentType.objects.get(code="medical")
        DocumentRequirement.objects.create(program=cohort.program, document_type=medical)
        person = ParticipantFactory(cohort=cohort)
        key = "document-medical"
        assert requirement(readiness.check(person, on=ON), key).detail == (
            "Pemeriksaan Kesehatan (MCU): missing."
        )
        mcu = DocumentFactory(
            participant=person, document_type=medical, expires_on=ON - datetime.timedelta(days=1)
        )
        assert not requirement(readiness.check(person, on=ON), key).met
        mcu.expires_on = ON
        mcu.save()
        assert requirement(readiness.check(person, on=ON), key).met


class TestDuringTheTrainingYear:
    """Before departure the verdict is whether the threshold can still be met; on the day,
    whether it is met. Attendance so far counts only the sessions held up to today."""

    TODAY = datetime.date(2025, 3, 12)  # 10 of 20 daily sessions held

    @pytest.fixture
    def sessions(self, plan):
        return hold(ModuleFactory(plan=plan), 20)  # 3-22 March 2025

    def test_attendance_so_far_counts_only_the_sessions_held_up_to_today(
        self, cohort, plan, sessions
    ):
        person = ParticipantFactory(cohort=cohort)
        attend(person, sessions[:10], ["present"] * 7 + ["absent"] * 3)
        result = readiness.check(person, on=ON, today=self.TODAY)
        assert result.attendance_rate == Decimal("70.0")

    def test_someone_below_the_threshold_today_who_can_still_meet_it_is_not_failed(
        self, cohort, plan, sessions
    ):
        person = ParticipantFactory(cohort=cohort)
        attend(person, sessions[:10], ["present"] * 7 + ["absent"] * 3)
        attendance = requirement(readiness.check(person, on=ON, today=self.TODAY), "attendance")
        assert attendance.met  # (14 + 20) / 40 hours = 85% at most
        assert attendance.detail == (
            "Attendance so far 70.0%; at most 85.0% by departure if every remaining session "
            "is attended (needs 80%)."
        )

    def test_someone_who_can_no_longer_meet_it_is_told_the_most_they_can_reach(
        self, cohort, plan, sessions
    ):
        person = ParticipantFactory(cohort=cohort)
        attend(person, sessions[:10], ["present"] * 5 + ["absent"] * 5)
        attendance = requirement(readiness.check(person, on=ON, today=self.TODAY), "attendance")
        assert not attendance.met  # (10 + 20) / 40 hours = 75% at most
        assert attendance.detail == (
            "Attendance so far 50.0%; even attending every remaining session gives at most "
            "75.0% by departure (needs 80%)."
        )

    def test_the_rates_are_written_as_the_training_page_writes_them_in_indonesian(
        self, cohort, plan, sessions
    ):
        person = ParticipantFactory(cohort=cohort)
        attend(person, sessions[:10], ["present"] * 7 + ["absent"] * 3)
        with translation.override("id"):
            attendance = requirement(readiness.check(person, on=ON, today=self.TODAY), "attendance")
        assert attendance.detail.startswith("Kehadiran sejauh ini 70,0%; paling tinggi 85,0%")

    def test_on_departure_day_the_actual_attendance_decides(self, cohort, plan, sessions):
        person = ParticipantFactory(cohort=cohort)
        attend(person, sessions[:10], ["present"] * 7 + ["absent"] * 3)
        attendance = requirement(readiness.check(person, on=ON, today=ON), "attendance")
        assert not attendance.met  # 14 of 40 hours held
        assert attendance.detail == "Attendance 35.0% (needs 80%)."

    def test_a_culture_module_not_started_yet_can_still_be_met(self, cohort, plan, sessions):
        banjar = ModuleFactory(
            plan=plan, name="Nilai Budaya Banjar", kind=Module.Kind.BANJAR_CULTURE
        )
        hold(banjar, 4, start=datetime.date(2025, 9, 1))
        person = ParticipantFactory(cohort=cohort)
        culture = requirement(
            readiness.check(person, on=ON, today=self.TODAY), f"module-{banjar.pk}"
        )
        assert culture.met
        assert culture.detail == (
            "Nilai Budaya Banjar: no sessions held yet; 8 hours scheduled before departure."
        )

    def test_a_document_valid_today_that_lapses_before_departure_is_not_called_expired(
        self, cohort, plan
    ):
        medical = DocumentType.objects.get(code="medical")
        DocumentRequirement.objects.create(program=cohort.program, document_type=medical)
        person = ParticipantFactory(cohort=cohort)
        DocumentFactory(
            participant=person, document_type=medical, expires_on=datetime.date(2026, 1, 31)
        )
        result = readiness.check(person, on=ON, today=datetime.date(2025, 12, 1))
        mcu = requirement(result, "document-medical")
        assert not mcu.met
        assert mcu.detail == (
            "Pemeriksaan Kesehatan (MCU): valid until 31 January 2026 — expires before departure."
        )
        after = readiness.check(person, on=ON, today=datetime.date(2026, 2, 1))
        assert requirement(after, "document-medical").detail == (
            "Pemeriksaan Kesehatan (MCU): expired."
        )


class TestTransferConsent:
    KEY = "consent-transfer"

    def test_without_a_transfer_consent_nobody_is_ready(self, cohort, plan):
        person = ready_person(cohort, plan)
        ConsentRecord.objects.filter(participant=person).delete()
        result = readiness.check(person, on=ON)
        assert not result.ready
        assert requirement(result, self.KEY).detail == (
            f"No consent to the transfer of personal data to {cohort.program.partner.name} "
            "(UU 27/2022)."
        )

    def test_a_consent_naming_another_partner_does_not_count(self, cohort, plan):
        person = ready_person(cohort, plan)
        ConsentRecord.objects.filter(participant=person).update(recipient=PartnerFactory())
        assert not requirement(readiness.check(person, on=ON), self.KEY).met

    def test_a_consent_withdrawn_by_the_reference_date_does_not_count(self, cohort, plan):
        person = ready_person(cohort, plan)
        consent = ConsentRecord.objects.get(participant=person)
        consent.withdraw(on=ON, reason="Tidak jadi berangkat.")
        assert not requirement(readiness.check(person, on=ON), self.KEY).met
        assert requirement(
            readiness.check(person, on=ON - datetime.timedelta(days=1)), self.KEY
        ).met

    def test_a_consent_given_after_the_reference_date_does_not_count(self, cohort, plan):
        person = ready_person(cohort, plan)
        ConsentRecord.objects.filter(participant=person).update(
            given_on=ON + datetime.timedelta(days=1)
        )
        assert not requirement(readiness.check(person, on=ON), self.KEY).met

    def test_a_processing_consent_is_not_a_transfer_consent(self, cohort, plan):
        person = ready_person(cohort, plan)
        ConsentRecord.objects.filter(participant=person).update(kind="processing", recipient=None)
        assert not requirement(readiness.check(person, on=ON), self.KEY).met

    def test_the_consent_is_read_only_by_roles_that_read_documents(
        self, cohort, plan, hr, instructor
    ):
        result = readiness.check(ready_person(cohort, plan), on=ON)
        keys = {r.key for r in readiness.requirements_shown_to(hr, result.requirements)}
        assert self.KEY in keys
        shown = readiness.requirements_shown_to(instructor, result.requirements)
        assert self.KEY not in {r.key for r in shown}


class TestReferenceDate:
    def test_it_is_the_planned_departure_when_no_date_is_given(self, cohort, plan):
        person = ParticipantFactory(cohort=cohort)
        assert readiness.check(person).reference_date == ON

    def test_it_is_today_in_makassar_without_a_planned_departure(self, cohort, plan, monkeypatch):
        cohort.planned_departure = None
        cohort.save()
        monkeypatch.setattr(readiness.timezone, "localdate", lambda: datetime.date(2026, 5, 1))
        person = ParticipantFactory(cohort=cohort)
        assert readiness.check(person).reference_date == datetime.date(2026, 5, 1)

    def test_someone_not_in_a_batch_is_not_ready(self):
        result = readiness.check(ParticipantFactory(), on=ON)
        assert not result.ready and result.missing == ["Not placed in a batch yet."]


def test_a_person_meeting_everything_is_ready(cohort, plan):
    person = ready_person(cohort, plan)
    result = readiness.check(person, on=ON)
    assert result.ready and result.missing == []


@pytest.mark.parametrize("size", [3, 12])
def test_the_batch_check_runs_a_fixed_number_of_queries(
    cohort, plan, size, django_assert_num_queries
):
    module = ModuleFactory(plan=plan, kind=Module.Kind.JAPANESE_CULTURE)
    sessions = hold(module, 6)
    people = [ParticipantFactory(cohort=cohort) for _ in range(size)]
    for person in people:
        attend(person, sessions, ["present"] * 6)
        passport(person, ON + datetime.timedelta(days=400))
    group = ExamRequirement.objects.create(program=cohort.program, name="Care skills")
    group.exam_types.set(ExamType.objects.filter(code="ssw-care-skills"))
    DocumentRequirement.objects.create(
        program=cohort.program, document_type=DocumentType.objects.get(code="medical")
    )
    # As a page fetches the batch: its programme and partner at hand, its plan not yet read.
    cohort = Cohort.objects.select_related("program__partner").get(pk=cohort.pk)
    with django_assert_num_queries(11):
        results = readiness.check_batch(cohort, on=ON)
    assert len(results) == size


class TestMoves:
    def test_marking_ready_is_refused_with_what_is_missing(self, cohort, plan, hr):
        person = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
        with pytest.raises(ValidationError) as error:
            services.participant_mark_ready(participant=person, by=hr, on=ON)
        assert "No passport recorded." in error.value.messages
        person.refresh_from_db()
        assert person.status == Status.IN_TRAINING

    def test_a_departure_stores_the_readiness_result(self, cohort, plan, hr):
        person = ready_person(cohort, plan)
        services.participant_mark_ready(participant=person, by=hr, on=ON)
        change = services.participant_depart(
            participant=person, by=hr, departure_date=ON, flight="GA 880"
        )
        assert change.readiness["ready"] is True
        assert change.readiness["reference_date"] == "2026-02-18"
        assert (change.departure_date, change.flight) == (ON, "GA 880")
        # Later changes do not rewrite what was true at departure.
        Document.objects.filter(participant=person).delete()
        change.refresh_from_db()
        assert change.readiness["ready"] is True

    def test_marking_ready_is_dated_the_day_it_is_recorded_not_the_departure(
        self, cohort, plan, hr
    ):
        person = ready_person(cohort, plan)
        change = services.participant_mark_ready(participant=person, by=hr, on=ON)
        assert change.effective_date == timezone.localdate()
        assert change.readiness["reference_date"] == "2026-02-18"

    def test_the_batch_departs_on_its_ceremony_date_and_the_others_stay(self, cohort, plan, hr):
        DepartureCeremonyFactory(cohort=cohort)  # 18 February 2026
        cohort.status = cohort.Status.READY
        cohort.save()
        ready = ready_person(cohort, plan)
        services.participant_mark_ready(participant=ready, by=hr, on=ON)
        waiting = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
        report = services.cohort_depart(cohort=cohort, by=hr)
        assert report.departed == [ready]
        assert report.stayed[0][0] == waiting and "No passport recorded." in report.stayed[0][1]
        ready.refresh_from_db()
        waiting.refresh_from_db()
        assert (ready.status, waiting.status) == (Status.DEPARTED, Status.IN_TRAINING)
        cohort.refresh_from_db()
        assert cohort.status == cohort.Status.DEPARTED

    def test_a_batch_still_in_training_departs_with_its_people(self, cohort, plan, hr):
        DepartureCeremonyFactory(cohort=cohort)
        cohort.status = cohort.Status.TRAINING
        cohort.save()
        ready = ready_person(cohort, plan)
        services.participant_mark_ready(participant=ready, by=hr, on=ON)
        ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
        services.cohort_depart(cohort=cohort, by=hr)
        cohort.refresh_from_db()
        assert cohort.status == cohort.Status.DEPARTED

    def test_a_batch_whose_people_stay_does_not_depart(self, cohort, plan, hr):
        DepartureCeremonyFactory(cohort=cohort)
        cohort.status = cohort.Status.TRAINING
        cohort.save()
        ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
        report = services.cohort_depart(cohort=cohort, by=hr)
        assert not report.departed
        cohort.refresh_from_db()
        assert cohort.status == cohort.Status.TRAINING

    def test_the_batch_needs_its_ceremony(self, cohort, plan, hr):
        with pytest.raises(ValidationError, match="departure ceremony"):
            services.cohort_depart(cohort=cohort, by=hr)
