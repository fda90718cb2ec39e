import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Cohort
from participants.models import Status
from tests.factories import (
    CohortFactory,
    DepartureCeremonyFactory,
    DocumentFactory,
    ModuleFactory,
    ParticipantFactory,
    SessionFactory,
    TrainingPlanFactory,
    TransferConsentFactory,
)
from training.models import (
    Attendance,
    ExamRequirement,
    ExamResult,
    ExamType,
    Module,
    NonTeachingDay,
    Session,
    TrainingPlan,
)

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def plan(cohort):
    return TrainingPlanFactory(cohort=cohort)


@pytest.fixture
def session(plan):
    return SessionFactory(module=ModuleFactory(plan=plan))


@pytest.fixture
def other_session(other_program):
    """A session of a batch nobody in the fixed cast is assigned to."""
    plan = TrainingPlanFactory(cohort=CohortFactory(program=other_program))
    return SessionFactory(module=ModuleFactory(plan=plan))


class TestPlanAndModules:
    def test_hr_staff_create_a_plan_that_ends_after_the_training_length(self, client, hr, cohort):
        client.force_login(hr)
        response = client.post(
            reverse("training:plan_edit", args=[cohort.pk]),
            {"start_date": "2025-02-17", "location": "Banjarmasin", "attendance_threshold": "80"},
        )
        assert response["Location"] == reverse("training:cohort_training", args=[cohort.pk])
        plan = TrainingPlan.objects.get(cohort=cohort)
        assert plan.end_date == datetime.date(2026, 2, 16)

    def test_a_plan_cannot_end_before_it_starts(self, client, hr, cohort):
        client.force_login(hr)
        response = client.post(
            reverse("training:plan_edit", args=[cohort.pk]),
            {
                "start_date": "2025-02-17",
                "end_date": "2025-01-01",
                "location": "X",
                "attendance_threshold": "80",
            },
        )
        assert "end_date" in response.context["form"].errors
        assert not TrainingPlan.objects.exists()

    def test_an_instructor_reads_the_plan_but_may_not_change_it(
        self, client, assigned, instructor, cohort, plan
    ):
        client.force_login(instructor)
        assert client.get(reverse("training:cohort_training", args=[cohort.pk])).status_code == 200
        assert client.get(reverse("training:plan_edit", args=[cohort.pk])).status_code == 403
        assert client.get(reverse("training:module_create", args=[cohort.pk])).status_code == 403

    def test_a_module_with_sessions_is_not_deleted(self, client, hr, session):
        client.force_login(hr)
        response = client.post(reverse("training:module_delete", args=[session.module.pk]))
        assert "memiliki pertemuan" in messages_of(response)[0]
        assert Module.objects.filter(pk=session.module.pk).exists()

    def test_delete_is_offered_only_for_a_module_without_sessions(self, client, hr, session):
        empty = ModuleFactory(plan=session.module.plan)
        client.force_login(hr)
        page = client.get(
            reverse("training:cohort_training", args=[session.module.plan.cohort_id])
        ).content.decode()
        assert reverse("training:module_delete", args=[empty.pk]) in page
        assert reverse("training:module_delete", args=[session.module.pk]) not in page

    def test_an_empty_module_is_deleted_after_confirmation(self, client, hr, plan):
        module = ModuleFactory(plan=plan)
        client.force_login(hr)
        url = reverse("training:module_delete", args=[module.pk])
        assert client.get(url).status_code == 200
        client.post(url)
        assert not Module.objects.filter(pk=module.pk).exists()

    def test_the_batch_page_shows_planned_against_held_hours_and_who_is_at_risk(
        self, client, hr, cohort, plan
    ):
        module = ModuleFactory(plan=plan, planned_hours=100)
        sessions = [SessionFactory(module=module, date=datetime.date(2025, 3, d)) for d in (3, 4)]
        late = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING, full_name="Budi")
        Attendance.objects.create(session=sessions[0], participant=late, status="present")
        Attendance.objects.create(session=sessions[1], participant=late, status="absent")
        client.force_login(hr)
        response = client.get(reverse("training:cohort_training", args=[cohort.pk]))
        row = response.context["modules"][0]
        assert (row.planned, row.held) == (100, 4)
        assert [p.full_name for p, _rate in response.context["at_risk"]] == ["Budi"]


class TestSchedule:
    def test_a_preview_comes_before_creating(self, client, hr, plan):
        module = ModuleFactory(plan=plan)
        client.force_login(hr)
        data = {
            "weekdays": ["0", "3"],
            "start_date": "2026-03-16",
            "end_date": "2026-03-27",
            "start_time": "08:00",
            "end_time": "11:00",
            "preview": "",
        }
        plan.end_date = datetime.date(2026, 12, 31)
        plan.save()
        response = client.post(reverse("training:schedule", args=[module.pk]), data)
        assert response.context["preview"]["dates"] == [
            datetime.date(2026, 3, 16),
            datetime.date(2026, 3, 23),
            datetime.date(2026, 3, 26),
        ]
        assert not Session.objects.exists()
        data.pop("preview")
        data["confirm"] = ""
        client.post(reverse("training:schedule", args=[module.pk]), data)
        assert Session.objects.filter(module=module).count() == 3

    def test_sessions_outside_the_plan_are_refused(self, client, hr, plan):
        module = ModuleFactory(plan=plan)
        client.force_login(hr)
        response = client.post(
            reverse("training:schedule", args=[module.pk]),
            {
                "weekdays": ["0"],
                "start_date": "2030-01-01",
                "end_date": "2030-02-01",
                "start_time": "08:00",
                "end_time": "07:00",
                "confirm": "",
            },
        )
        assert {"end_date", "end_time"} <= set(response.context["form"].errors)
        assert not Session.objects.exists()

    def test_an_instructor_may_not_schedule(self, client, assigned, instructor, session):
        client.force_login(instructor)
        assert client.get(reverse("training:schedule", args=[session.module.pk])).status_code == 403


class TestAttendancePage:
    def test_everyone_is_present_by_default_and_saved_in_one_submit(
        self, client, assigned, instructor, cohort, session
    ):
        people = [ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING) for _ in range(3)]
        client.force_login(instructor)
        url = reverse("training:attendance", args=[session.pk])
        page = client.get(url)
        assert [row["status"] for row in page.context["rows"]] == ["present"] * 3
        data = {f"status-{p.pk}": "present" for p in people}
        data[f"status-{people[1].pk}"] = "sick"
        data[f"note-{people[1].pk}"] = "Demam"
        response = client.post(url, data)
        assert response.status_code == 302
        assert Attendance.objects.get(participant=people[1]).note == "Demam"
        assert Attendance.objects.filter(session=session).count() == 3

    @pytest.mark.parametrize("size", [2, 15])
    def test_saving_takes_the_same_number_of_queries_for_any_batch_size(
        self, client, hr, cohort, session, size, django_assert_num_queries
    ):
        people = [ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING) for _ in range(size)]
        client.force_login(hr)
        url = reverse("training:attendance", args=[session.pk])
        client.get(url)
        with django_assert_num_queries(14):
            client.post(url, {f"status-{p.pk}": "present" for p in people})

    def test_an_unknown_status_is_refused_and_nothing_saved(self, client, hr, cohort, session):
        person = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
        client.force_login(hr)
        response = client.post(
            reverse("training:attendance", args=[session.pk]), {f"status-{person.pk}": "asleep"}
        )
        assert response.status_code == 200
        assert not Attendance.objects.exists()

    def test_a_session_still_to_come_takes_no_attendance(self, client, hr, cohort, plan):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        session = SessionFactory(module=ModuleFactory(plan=plan), date=tomorrow)
        person = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
        client.force_login(hr)
        url = reverse("training:attendance", args=[session.pk])
        page = client.get(url)
        assert page.context["can_edit"] is False
        assert "Presensi dapat dicatat mulai hari pertemuan" in page.content.decode()
        response = client.post(url, {f"status-{person.pk}": "present"})
        assert response["Location"] == url
        assert messages_of(response)[0].startswith("Presensi dapat dicatat mulai hari pertemuan")
        assert not Attendance.objects.exists()

    def test_a_departed_batch_takes_no_attendance(self, client, hr, cohort, session):
        person = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
        cohort.status = Cohort.Status.DEPARTED
        cohort.save()
        client.force_login(hr)
        url = reverse("training:attendance", args=[session.pk])
        response = client.post(url, {f"status-{person.pk}": "present"})
        assert "sudah berangkat" in messages_of(response)[0]
        assert not Attendance.objects.exists()

    def test_each_choice_shows_its_word_and_its_colour(self, client, hr, cohort, session):
        person = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
        client.force_login(hr)
        page = client.get(reverse("training:attendance", args=[session.pk])).content.decode()
        labels = {
            value: (classes, text)
            for classes, value, text in re.findall(
                rf'<label class="btn btn-sm ([^"]+)" for="s{person.pk}-(\w+)">([^<]+)</label>', page
            )
        }
        assert labels["present"] == ("btn-outline-success", "Hadir")
        assert labels["absent"] == ("btn-outline-danger", "Alpa")
        assert "btn-outline-warning" in labels["sick"][0] and labels["sick"][1] == "Sakit"
        assert "btn-outline-warning" in labels["excused"][0] and labels["excused"][1] == "Izin"
        assert labels["late"][1] == "Terlambat"

    def test_an_instructor_cannot_open_another_batchs_session(
        self, client, assigned, instructor, other_session
    ):
        client.force_login(instructor)
        url = reverse("training:attendance", args=[other_session.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404

    def test_leadership_reads_attendance_but_cannot_save(
        self, client, assigned, leadership, cohort, session
    ):
        person = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
        client.force_login(leadership)
        url = reverse("training:attendance", args=[session.pk])
        assert client.get(url).context["can_edit"] is False
        assert client.post(url, {f"status-{person.pk}": "present"}).status_code == 403
        assert not Attendance.objects.exists()


class TestExams:
    def test_a_score_decides_a_score_exam(self, client, hr, cohort):
        person = ParticipantFactory(cohort=cohort)
        client.force_login(hr)
        jft = ExamType.objects.get(code="jft-basic")
        client.post(
            reverse("training:exam_result_create", args=[person.pk]),
            {"exam_type": jft.pk, "date": "2025-11-12", "score": "199", "verdict": "pass"},
        )
        assert ExamResult.objects.get().passed is False

    def test_a_score_above_the_maximum_is_refused(self, client, hr, cohort):
        person = ParticipantFactory(cohort=cohort)
        client.force_login(hr)
        jft = ExamType.objects.get(code="jft-basic")
        response = client.post(
            reverse("training:exam_result_create", args=[person.pk]),
            {"exam_type": jft.pk, "date": "2025-11-12", "score": "251"},
        )
        assert response.context["form"].non_field_errors()
        assert not ExamResult.objects.exists()

    def test_a_pass_fail_exam_needs_the_verdict(self, client, hr, cohort):
        person = ParticipantFactory(cohort=cohort)
        client.force_login(hr)
        n4 = ExamType.objects.get(code="jlpt-n4")
        url = reverse("training:exam_result_create", args=[person.pk])
        assert client.post(url, {"exam_type": n4.pk, "date": "2025-12-07"}).status_code == 200
        client.post(url, {"exam_type": n4.pk, "date": "2025-12-07", "verdict": "pass"})
        assert ExamResult.objects.get().passed is True

    def test_results_for_a_whole_batch_at_once(self, client, assigned, instructor, cohort):
        people = [ParticipantFactory(cohort=cohort) for _ in range(3)]
        jft = ExamType.objects.get(code="jft-basic")
        client.force_login(instructor)
        client.post(
            reverse("training:cohort_exams", args=[cohort.pk]),
            {
                "exam_type": jft.pk,
                "date": "2025-11-12",
                f"score-{people[0].pk}": "230",
                f"score-{people[1].pk}": "180",
            },
        )
        results = {r.participant_id: r.passed for r in ExamResult.objects.all()}
        assert results == {people[0].pk: True, people[1].pk: False}

    def test_one_bad_row_saves_nothing(self, client, hr, cohort):
        people = [ParticipantFactory(cohort=cohort) for _ in range(2)]
        client.force_login(hr)
        response = client.post(
            reverse("training:cohort_exams", args=[cohort.pk]),
            {
                "exam_type": ExamType.objects.get(code="jft-basic").pk,
                "date": "2025-11-12",
                f"score-{people[0].pk}": "230",
                f"score-{people[1].pk}": "two hundred",
            },
        )
        assert response.status_code == 200
        assert not ExamResult.objects.exists()

    @pytest.mark.parametrize(
        ("date", "score"),
        [("2999-01-01", "230"), ("2025-11-12", "1000000"), ("2025-11-12", "85.55")],
        ids=["future date", "too many digits", "two decimals"],
    )
    def test_a_batch_result_the_single_form_would_refuse_saves_nothing(
        self, client, hr, cohort, date, score
    ):
        person = ParticipantFactory(cohort=cohort)
        open_ended = ExamType.objects.create(
            code="class-test", name="Class test", kind="internal", rule="min_score", pass_score=60
        )
        client.force_login(hr)
        response = client.post(
            reverse("training:cohort_exams", args=[cohort.pk]),
            {"exam_type": open_ended.pk, "date": date, f"score-{person.pk}": score},
        )
        assert response.status_code == 200
        assert not ExamResult.objects.exists()

    def test_hr_staff_set_the_programmes_exam_groups(self, client, hr, program):
        client.force_login(hr)
        wanted = ExamType.objects.filter(code__in=["jlpt-n4", "jlpt-n3", "jft-basic"])
        client.post(
            reverse("training:exam_requirements", args=[program.slug]),
            {
                "groups-TOTAL_FORMS": "1",
                "groups-INITIAL_FORMS": "0",
                "groups-MIN_NUM_FORMS": "0",
                "groups-MAX_NUM_FORMS": "1000",
                "groups-0-name": "Japanese: N4 or higher, or JFT-Basic",
                "groups-0-order": "1",
                "groups-0-exam_types": [t.pk for t in wanted],
            },
        )
        group = ExamRequirement.objects.get(program=program)
        assert set(group.exam_types.all()) == set(wanted)

    def test_a_coordinator_may_not_set_exam_groups(self, client, assigned, coordinator, program):
        client.force_login(coordinator)
        assert (
            client.get(reverse("training:exam_requirements", args=[program.slug])).status_code
            == 403
        )


class TestNonTeachingDays:
    def test_hr_staff_add_a_collective_leave_day(self, client, hr):
        client.force_login(hr)
        client.post(
            reverse("training:non_teaching_days"),
            {"date": "2026-03-20", "name": "Cuti bersama Idul Fitri"},
        )
        assert (
            NonTeachingDay.objects.get(date=datetime.date(2026, 3, 20)).name
            == "Cuti bersama Idul Fitri"
        )

    def test_a_date_already_listed_is_refused(self, client, hr):
        client.force_login(hr)
        response = client.post(
            reverse("training:non_teaching_days"), {"date": "2026-08-17", "name": "Again"}
        )
        assert "date" in response.context["form"].errors

    def test_an_instructor_reads_but_may_not_add(self, client, instructor):
        client.force_login(instructor)
        assert client.get(reverse("training:non_teaching_days")).status_code == 200
        response = client.post(
            reverse("training:non_teaching_days"), {"date": "2026-03-20", "name": "X"}
        )
        assert response.status_code == 403


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


class TestProgressAndHome:
    def test_the_participant_progress_page(self, client, assigned, instructor, cohort, session):
        person = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
        Attendance.objects.create(session=session, participant=person, status="late")
        client.force_login(instructor)
        response = client.get(reverse("training:participant_training", args=[person.pk]))
        assert response.context["attendance_rate"] == 100
        assert response.context["modules"][0].attended == 2

    def test_the_training_home_lists_only_the_instructors_batches(
        self, client, assigned, instructor, cohort, other_program
    ):
        CohortFactory(program=other_program)
        client.force_login(instructor)
        response = client.get(reverse("training:home"))
        assert list(response.context["page"].object_list) == [cohort]

    def test_a_user_without_a_role_is_refused(self, client, outsider):
        client.force_login(outsider)
        assert client.get(reverse("training:home")).status_code == 403


@pytest.mark.parametrize("score", ["NaN", "sNaN", "-Infinity"])
def test_a_score_that_is_not_a_number_is_a_row_error_not_a_500(
    client, assigned, instructor, cohort, score
):
    person = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
    client.force_login(instructor)
    response = client.post(
        reverse("training:cohort_exams", args=[cohort.pk]),
        {
            "exam_type": ExamType.objects.get(code="jft-basic").pk,
            "date": "2025-11-12",
            f"score-{person.pk}": score,
        },
    )
    assert response.status_code == 200
    assert response.context["rows"][0]["error"]
    assert not ExamResult.objects.exists()


def test_a_nul_character_in_an_attendance_note_is_not_stored(
    client, assigned, instructor, cohort, session
):
    person = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
    client.force_login(instructor)
    client.post(
        reverse("training:attendance", args=[session.pk]),
        {f"status-{person.pk}": "late", f"note-{person.pk}": "Macet\x00 di jalan"},
    )
    assert Attendance.objects.get().note == "Macet di jalan"


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
