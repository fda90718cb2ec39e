"""Who works on a programme: its coordinators, and the instructors of each batch."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cohorts.forms import (
    CohortAssignmentForm,
    ProgramAssignmentForm,
)
from cohorts.models import (
    CohortAssignment,
    Program,
    ProgramAssignment,
)
from delegation.access import changeable_or_403
from delegation.pages import confirm_delete
from delegation.querystring import whole_number


def program_staff(request: HttpRequest, slug: str) -> HttpResponse:
    program = changeable_or_403(Program, request.user, "cohorts.add_programassignment", slug=slug)
    cohorts = program.cohorts.order_by("number").prefetch_related(
        Prefetch("instructor_assignments", queryset=CohortAssignment.objects.select_related("user"))
    )
    program_form = ProgramAssignmentForm(program=program, prefix="program")
    cohort_forms = {}
    if request.method == "POST" and "program-user" in request.POST:
        program_form = ProgramAssignmentForm(request.POST, program=program, prefix="program")
        form, done = program_form, _("%(user)s assigned as %(role)s.")
    elif request.method == "POST":
        cohort = get_object_or_404(cohorts, pk=whole_number(request.POST.get("cohort")) or 0)
        form = CohortAssignmentForm(request.POST, cohort=cohort, prefix=f"cohort{cohort.pk}")
        cohort_forms[cohort.pk], done = form, _("%(user)s assigned to %(cohort)s.")
    if request.method == "POST" and form.is_valid():
        assignment = form.save()
        messages.success(request, done % _assignment_words(assignment))
        return redirect("cohorts:program_staff", slug=program.slug)
    return render(
        request,
        "cohorts/program_staff.html",
        {
            "program": program,
            "assignments": program.staff_assignments.select_related("user"),
            "program_form": program_form,
            "cohort_rows": _cohort_rows(cohorts, cohort_forms),
        },
    )


def _assignment_words(assignment: ProgramAssignment | CohortAssignment) -> dict[str, object]:
    """What the success messages name: the person, and the role or the batch."""
    if isinstance(assignment, ProgramAssignment):
        return {"user": assignment.user, "role": assignment.get_role_display()}
    return {"user": assignment.user, "cohort": assignment.cohort}


def _cohort_rows(cohorts, bound_forms: dict[int, CohortAssignmentForm]) -> list[dict]:
    """Each batch with its instructors and its assignment form (the bound one after an error)."""
    return [
        {
            "cohort": cohort,
            "assignments": cohort.instructor_assignments.all(),
            "form": bound_forms.get(cohort.pk)
            or CohortAssignmentForm(cohort=cohort, prefix=f"cohort{cohort.pk}"),
        }
        for cohort in cohorts
    ]


@require_http_methods(["GET", "POST"])
def program_assignment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = changeable_or_403(
        ProgramAssignment.objects.select_related("program", "user"),
        request.user,
        "cohorts.delete_programassignment",
        pk=pk,
    )
    return _confirm_removal(request, assignment, assignment.program)


@require_http_methods(["GET", "POST"])
def cohort_assignment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = changeable_or_403(
        CohortAssignment.objects.select_related("cohort__program", "user"),
        request.user,
        "cohorts.delete_cohortassignment",
        pk=pk,
    )
    return _confirm_removal(request, assignment, assignment.cohort.program)


def _confirm_removal(request: HttpRequest, assignment, program: Program) -> HttpResponse:
    back = reverse("cohorts:program_staff", args=[program.slug])
    return confirm_delete(
        request,
        assignment,
        back=back,
        deleted=_("Assignment removed: %(assignment)s.") % {"assignment": assignment},
        audit=True,
    )
