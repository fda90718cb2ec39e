"""One action on several participants of a batch, ticked in its list."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from cohorts.models import Cohort
from delegation.access import changeable_or_403
from participants.models import Participant, Status
from participants.services import BulkOutcome, participants_move, participants_transfer
from training.forms import BulkAction, BulkActionForm
from training.services import participants_mark_ready

# The action a batch's list offers first: accepting people into training makes no sense once
# the batch is ready to leave or abroad.
FIRST_ACTION = {
    Cohort.Status.READY: BulkAction.READY,
    Cohort.Status.DEPARTED: BulkAction.MOVE,
    Cohort.Status.CLOSED: BulkAction.MOVE,
}


def bulk_form(request: HttpRequest, cohort: Cohort, data=None) -> BulkActionForm:
    """The action form of ``cohort``'s list: its participants the user sees, the other
    batches the user sees; the first action fits the batch's stage."""
    return BulkActionForm(
        data,
        initial={"action": FIRST_ACTION.get(cohort.status, BulkAction.ACCEPT)},
        participants=Participant.objects.visible_to(request.user)
        .in_cohort(cohort)
        .order_by("participant_number", "full_name"),
        cohorts=Cohort.objects.visible_to(request.user).exclude(pk=cohort.pk),
    )


@require_http_methods(["GET", "POST"])
def cohort_bulk(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the batch's list with a tick for each person (``?select=all`` ticks everyone);
    POST: run the action for each ticked person, each on their own, and show each result."""
    cohort = changeable_or_403(
        Cohort.objects.select_related("program"),
        request.user,
        "participants.change_participant",
        pk=pk,
    )
    form = bulk_form(request, cohort, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        outcomes = _run(request, form.cleaned_data)
        return render(
            request,
            "training/bulk_result.html",
            {
                "cohort": cohort,
                "action": BulkAction(form.cleaned_data["action"]).label,
                "outcomes": outcomes,
                "done": sum(1 for outcome in outcomes if outcome.done),
                "refused": sum(1 for outcome in outcomes if not outcome.done),
            },
        )
    if request.method == "POST":
        ticked = {str(pk) for pk in request.POST.getlist("participants")}
    else:
        ticked = {"all"} if request.GET.get("select") == "all" else set()
    return render(
        request,
        "training/bulk_form.html",
        {
            "cohort": cohort,
            "form": form,
            "people": form.fields["participants"].queryset,
            "ticked": ticked,
        },
        status=400 if request.method == "POST" else 200,
    )


def _run(request: HttpRequest, data: dict) -> list[BulkOutcome]:
    people = list(data["participants"].select_related("cohort__program"))
    common = {"by": request.user, "reason": data["reason"]}
    action = data["action"]
    if action == BulkAction.READY:
        return participants_mark_ready(participants=people, **common)
    if action == BulkAction.TRANSFER:
        return participants_transfer(
            participants=people,
            cohort=data["cohort"],
            effective_date=data["effective_date"],
            **common,
        )
    to = Status.IN_TRAINING if action == BulkAction.ACCEPT else data["to_status"]
    return participants_move(
        participants=people, to=to, effective_date=data["effective_date"], **common
    )
