"""Assigning coordinators and instructors."""

import pytest
from django.urls import reverse

from cohorts.models import (
    CohortAssignment,
    ProgramAssignment,
)
from tests.factories import (
    CohortAssignmentFactory,
    CohortFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


class TestStaffAssignments:
    def test_hr_staff_assign_a_coordinator_and_an_instructor(
        self, client, hr, coordinator, instructor, program, cohort
    ):
        client.force_login(hr)
        url = reverse("cohorts:program_staff", args=[program.slug])
        client.post(url, {"program-user": coordinator.pk, "program-role": "coordinator"})
        client.post(url, {"cohort": cohort.pk, f"cohort{cohort.pk}-user": instructor.pk})
        assert ProgramAssignment.objects.get().user == coordinator
        assert CohortAssignment.objects.get().user == instructor

    def test_the_staff_pickers_show_names_not_usernames(self, client, hr, program, cohort):
        UserFactory(
            username="bkpsdm7", first_name="Rahmat", last_name="Hidayat", role="coordinator"
        )
        UserFactory(username="sensei9", first_name="", last_name="", role="instructor")
        client.force_login(hr)
        page = client.get(reverse("cohorts:program_staff", args=[program.slug]))
        program_labels = [label for _, label in page.context["program_form"].fields["user"].choices]
        assert "Rahmat Hidayat" in program_labels and "bkpsdm7" not in program_labels
        cohort_form = page.context["cohort_rows"][0]["form"]
        assert "sensei9" in [label for _, label in cohort_form.fields["user"].choices]

    def test_the_page_lists_each_batchs_instructors(self, client, hr, program, cohort):
        later = CohortFactory(program=program, number=5, year=2027)
        CohortAssignmentFactory(cohort=cohort, user=UserFactory(username="sensei-a"))
        CohortAssignmentFactory(cohort=later, user=UserFactory(username="sensei-b"))
        client.force_login(hr)
        rows = client.get(reverse("cohorts:program_staff", args=[program.slug])).context[
            "cohort_rows"
        ]
        assert [[a.user.username for a in row["assignments"]] for row in rows] == [
            ["sensei-a"],
            ["sensei-b"],
        ]

    def test_a_user_without_the_role_cannot_be_assigned_to_it(
        self, client, hr, leadership, program
    ):
        client.force_login(hr)
        response = client.post(
            reverse("cohorts:program_staff", args=[program.slug]),
            {"program-user": leadership.pk, "program-role": "coordinator"},
        )
        assert "role" in response.context["program_form"].errors
        assert not ProgramAssignment.objects.exists()

    def test_removing_an_assignment_asks_first(self, client, hr, assigned, program):
        assignment = ProgramAssignment.objects.first()
        url = reverse("cohorts:program_assignment_delete", args=[assignment.pk])
        client.force_login(hr)
        assert client.get(url).status_code == 200
        client.post(url)
        assert not ProgramAssignment.objects.filter(pk=assignment.pk).exists()

    def test_removing_an_instructor_from_a_batch(self, client, hr, assigned):
        assignment = CohortAssignment.objects.get()
        client.force_login(hr)
        client.post(reverse("cohorts:cohort_assignment_delete", args=[assignment.pk]))
        assert not CohortAssignment.objects.exists()

    def test_a_coordinator_may_not_manage_assignments(self, client, assigned, coordinator, program):
        client.force_login(coordinator)
        assert client.get(reverse("cohorts:program_staff", args=[program.slug])).status_code == 403
        assignment = ProgramAssignment.objects.first()
        url = reverse("cohorts:program_assignment_delete", args=[assignment.pk])
        assert client.post(url).status_code == 403
        assert ProgramAssignment.objects.filter(pk=assignment.pk).exists()
