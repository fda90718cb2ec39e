"""The moves that need the readiness check: marking ready, departing one person or the
whole batch, and the batch's status buttons."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts.models import Cohort
from delegation.access import changeable_or_403
from delegation.pages import action_page, refuse
from participants.models import Participant, Status
from training import readiness, services
from training.forms import CohortDepartForm, DepartForm


@require_POST
def participant_ready(request: HttpRequest, pk: int) -> HttpResponse:
    participant = changeable_or_403(
        Participant.objects.select_related("cohort"),
        request.user,
        "participants.change_participant",
        pk=pk,
    )
    try:
        services.participant_mark_ready(participant=participant, by=request.user)
    except ValidationError as error:
        refuse(request, error)
    else:
        messages.success(
            request, _("%(name)s is ready to depart.") % {"name": participant.full_name}
        )
    return redirect(participant)


def participant_depart(request: HttpRequest, pk: int) -> HttpResponse:
    participant = changeable_or_403(
        Participant.objects.select_related("cohort__ceremony"),
        request.user,
        "participants.change_participant",
        pk=pk,
    )
    ceremony = getattr(participant.cohort, "ceremony", None) if participant.cohort else None
    initial = {"departure_date": ceremony.local_date() if ceremony else timezone.localdate()}
    form = DepartForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_depart(
                participant=participant,
                by=request.user,
                departure_date=form.cleaned_data["departure_date"],
                flight=form.cleaned_data["flight"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("%(name)s has departed.") % {"name": participant.full_name})
            return redirect(participant)
    return action_page(request, form, participant=participant, title=_("Depart"))


@require_POST
def cohort_move(request: HttpRequest, pk: int) -> HttpResponse:
    """The batch's status buttons: its people decide with its dates (see the service)."""
    cohort = changeable_or_403(Cohort, request.user, "cohorts.change_cohort", pk=pk)
    target = request.POST.get("status", "")
    if target not in Cohort.Status.values:
        messages.error(request, _("Choose a status."))
        return redirect(cohort)
    try:
        services.cohort_move(cohort=cohort, status=target, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(cohort)s is now “%(status)s”.")
            % {"cohort": cohort, "status": cohort.get_status_display()},
        )
    return redirect(cohort)


def cohort_depart(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = changeable_or_403(
        Cohort.objects.select_related("program", "ceremony"),
        request.user,
        "participants.change_participant",
        pk=pk,
    )
    ceremony = getattr(cohort, "ceremony", None)
    form = CohortDepartForm(request.POST or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.cohort_depart(
                cohort=cohort, by=request.user, flight=form.cleaned_data["flight"]
            )
        except ValidationError as error:
            refuse(request, error)
            return redirect(cohort)
        messages.success(
            request, _("%(count)d participants departed.") % {"count": len(report.departed)}
        )
    preview = _depart_preview(cohort, ceremony) if ceremony and report is None else None
    return render(
        request,
        "training/cohort_depart.html",
        {
            "cohort": cohort,
            "ceremony": ceremony,
            "form": form,
            "report": report,
            "preview": preview,
        },
    )


def _depart_preview(cohort: Cohort, ceremony) -> list[tuple[Participant, bool, list[str]]]:
    """Who would leave on the ceremony's day: each waiting member, whether they go (ready,
    and still meeting every requirement on that day), and what they miss."""
    waiting = list(
        Participant.objects.in_cohort(cohort)
        .filter(status__in=[Status.READY, Status.IN_TRAINING, Status.POSTPONED])
        .order_by("participant_number")
    )
    results = readiness.check_batch(cohort, on=ceremony.local_date(), participants=waiting)
    return [
        (p, p.status == Status.READY and results[p.pk].ready, results[p.pk].missing)
        for p in waiting
    ]
