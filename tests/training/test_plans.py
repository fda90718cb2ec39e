"""The training year's pages: plan, modules, schedule, non-teaching days, the training home
and a participant's training page (``training/views/plans.py``)."""

import datetime

import pytest
from django.urls import reverse

from participants.models import Status
from tests.factories import CohortFactory, ModuleFactory, ParticipantFactory, SessionFactory
from tests.pages import messages_of
from training.models import Attendance, Module, NonTeachingDay, Session, TrainingPlan

pytestmark = pytest.mark.django_db


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
