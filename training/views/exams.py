"""Exams: each programme's requirements, one result at a time or a whole batch's results, and
the scan of a certificate."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cohorts.models import Cohort, Program
from delegation.access import changeable_or_403, visible_or_404
from delegation.pages import action_page, file_download
from participants.models import Participant, Status
from training import services
from training.forms import PASS_CHOICES, BatchExamForm, ExamRequirementFormSet, ExamResultForm
from training.models import ExamResult


def exam_requirements(request: HttpRequest, slug: str) -> HttpResponse:
    program = changeable_or_403(Program, request.user, "training.change_examrequirement", slug=slug)
    formset = ExamRequirementFormSet(request.POST or None, instance=program, prefix="groups")
    if request.method == "POST" and formset.is_valid():
        formset.save()
        messages.success(request, _("Exam requirements saved."))
        return redirect(program)
    return render(
        request, "training/exam_requirements.html", {"formset": formset, "program": program}
    )


def exam_result_create(request: HttpRequest, pk: int) -> HttpResponse:
    participant = changeable_or_403(
        Participant.objects.select_related("cohort"), request.user, "training.add_examresult", pk=pk
    )
    form = ExamResultForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result = form.save(commit=False)
        result.participant = participant
        result.recorded_by = request.user
        result.save()
        messages.success(request, _("Exam result saved."))
        return redirect("training:participant_training", pk=participant.pk)
    return action_page(request, form, participant=participant, title=_("New exam result"))


def exam_certificate(request: HttpRequest, pk: int) -> FileResponse:
    """The scan of an exam certificate: it carries the birth date, so it is a personal document."""
    return file_download(
        request,
        ExamResult.objects.select_related("participant"),
        pk,
        permission="participants.download_document",
        field="certificate",
        subject="participant",
    )


def cohort_exams(request: HttpRequest, pk: int) -> HttpResponse:
    """Results of one exam for a whole batch at once; empty rows are skipped."""
    cohort = visible_or_404(Cohort.objects.select_related("program"), request.user, pk=pk)
    if not request.user.has_perm("training.add_examresult"):
        raise PermissionDenied
    people = list(
        Participant.objects.in_cohort(cohort)
        .exclude(status=Status.WITHDRAWN)
        .order_by("participant_number")
    )
    form = BatchExamForm(request.POST or None)
    outcome = services.BatchExamOutcome()
    rows = _typed_rows(request, people, {})
    if request.method == "POST" and form.is_valid():
        entries = {row["participant"].pk: (row["score"], row["verdict"]) for row in rows}
        outcome = services.cohort_exams_record(
            people=people,
            exam_type=form.cleaned_data["exam_type"],
            date=form.cleaned_data["date"],
            entries=entries,
            by=request.user,
        )
        if outcome.saved:
            messages.success(request, _("%(count)d results saved.") % {"count": outcome.saved})
            return redirect(cohort)
        if not outcome.row_errors:
            form.add_error(None, _("Enter at least one score or result."))
    return render(
        request,
        "training/cohort_exams.html",
        {
            "cohort": cohort,
            "form": form,
            "rows": _typed_rows(request, people, outcome.row_errors),
            "verdicts": PASS_CHOICES,
        },
    )


def _typed_rows(request: HttpRequest, people: list[Participant], errors: dict) -> list[dict]:
    """The score and verdict typed for each person (empty on a first visit), with any error."""
    return [
        {
            "participant": person,
            "score": request.POST.get(f"score-{person.pk}", ""),
            "verdict": request.POST.get(f"verdict-{person.pk}", ""),
            "error": errors.get(person.pk),
        }
        for person in people
    ]
