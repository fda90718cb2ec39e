"""Score entry: a stage's whole sheet on one page, and locking it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delegation.access import visible_or_404
from delegation.pages import refuse
from recruitment import services
from recruitment.forms import (
    MemberChoiceForm,
    ScoreSheetForm,
)
from recruitment.models import (
    Call,
    CommitteeMember,
    Score,
    Stage,
)
from recruitment.views.common import (
    crumbs_of,
)


def stage_scores(request: HttpRequest, pk: int) -> HttpResponse:
    """Score entry: every applicant sitting the stage on one page, one submit. Applicants the
    assessor declared a relation to are not shown."""
    stage = visible_or_404(Stage.objects.select_related("call"), request.user, pk=pk)
    if not request.user.has_perm("recruitment.add_score"):
        raise PermissionDenied
    call = stage.call
    members = services.members_entered_by(request.user, stage)
    if not members:
        raise PermissionDenied
    member, chooser = _assessor_chosen(request, members)
    barred = set(member.conflicts.values_list("application_id", flat=True))
    applications = [a for a in services.sitting(stage) if a.pk not in barred]
    scores = {s.application_id: s for s in Score.objects.filter(stage=stage, member=member)}
    form = ScoreSheetForm(
        request.POST or None, stage=stage, applications=applications, scores=scores
    )
    if request.method == "POST" and form.is_valid() and _sheet_saved(request, form, member):
        return redirect(
            reverse("recruitment:stage_scores", args=[stage.pk]) + f"?member={member.pk}"
        )
    return render(
        request,
        "recruitment/scores.html",
        {
            "stage": stage,
            "call": call,
            "member": member,
            "chooser": chooser if len(members) > 1 else None,
            "form": form,
            "open": call.status in (Call.Status.SCORING, Call.Status.PROVISIONAL),
            "breadcrumbs": crumbs_of(call, (stage.name, None)),
        },
    )


@require_POST
def stage_lock(request: HttpRequest, pk: int) -> HttpResponse:
    stage = visible_or_404(Stage.objects.select_related("call"), request.user, pk=pk)
    if not request.user.has_perm("recruitment.change_stage"):
        raise PermissionDenied
    try:
        services.stage_lock(stage=stage, by=request.user)
    except ValidationError as error:
        refuse(request, error)
    else:
        messages.success(request, _("The stage's scores are locked."))
    return redirect(stage.call)


def _assessor_chosen(request: HttpRequest, members: list[CommitteeMember]):
    """Whose sheet is open (the first of ``members`` unless the page asks for another), and
    the chooser between them."""
    chooser = MemberChoiceForm(request.GET or None, members=members)
    member = chooser.cleaned_data["member"] if chooser.is_valid() else members[0]
    if not chooser.is_bound:
        chooser = MemberChoiceForm(initial={"member": member}, members=members)
    return member, chooser


def _sheet_saved(request: HttpRequest, form: ScoreSheetForm, member: CommitteeMember) -> bool:
    """Save a valid sheet through the service; its refusal lands on the form."""
    try:
        changed = services.scores_save(
            stage=form.stage,
            member=member,
            entries=form.entries(),
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return False
    messages.success(request, _("%(count)d score(s) saved.") % {"count": changed})
    return True
