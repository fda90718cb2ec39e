"""Calls for applications: their list, forms, moves and stages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delegation.access import visible_or_404
from delegation.pages import refuse
from delegation.pagination import paginate
from recruitment import services
from recruitment.forms import (
    CallForm,
    PublishForm,
    StageForm,
)
from recruitment.models import (
    Call,
    CommitteeMember,
    Stage,
    documents_available,
)
from recruitment.views.common import (
    call_for,
    crumbs_of,
    programs_of,
    selection_form_page,
)


@permission_required("recruitment.view_call", raise_exception=True)
def call_list(request: HttpRequest) -> HttpResponse:
    calls = Call.objects.visible_to(request.user).select_related("program", "cohort")
    status = request.GET.get("status", "")
    if status in Call.Status.values:
        calls = calls.filter(status=status)
    text = " ".join(request.GET.get("q", "").split())
    if text:
        calls = calls.filter(Q(title__icontains=text) | Q(number__icontains=text))
    calls = calls.annotate(applicants=Count("applications")).order_by("-opens_at", "-pk")
    return render(
        request,
        "recruitment/call_list.html",
        {
            "page": paginate(request, calls),
            "statuses": Call.Status.choices,
            "status": status,
            "q": text,
        },
    )


@permission_required("recruitment.add_call", raise_exception=True)
def call_create(request: HttpRequest) -> HttpResponse:
    form = CallForm(request.POST or None, programs=programs_of(request.user))
    if request.method == "POST" and form.is_valid():
        call = form.save()
        messages.success(request, _("The call is saved as a draft."))
        return redirect(call)
    return selection_form_page(
        request,
        form,
        title=_("New call for applications"),
        call=None,
        cancel_url=reverse("recruitment:call_list"),
    )


def call_edit(request: HttpRequest, pk: int) -> HttpResponse:
    call = call_for(request, pk, "recruitment.change_call")
    if call.status not in (Call.Status.DRAFT, Call.Status.OPEN):
        messages.error(request, _("Only a draft or open call can be changed."))
        return redirect(call)
    form = CallForm(request.POST or None, instance=call, programs=programs_of(request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        changed = services.call_recheck(call=call)
        messages.success(request, _("The call is saved."))
        if changed:
            messages.info(
                request,
                _("The new rules change the eligibility of %(count)d application(s).")
                % {"count": changed},
            )
        return redirect(call)
    return selection_form_page(request, form, title=_("Change the call"), call=call)


def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = call_for(request, pk)
    stages = Stage.objects.visible_to(request.user).filter(call=call).order_by("order")
    counts = call.applications.aggregate(
        total=Count("pk"),
        eligible=Count("pk", filter=Q(auto_eligible=True) & ~Q(admin_status="ineligible")),
        pending=Count("pk", filter=Q(admin_status="pending")),
    )
    seat = CommitteeMember.objects.filter(call=call, user=request.user).first()
    moves = [
        (status, Call.Status(status).label)
        for status in Call.MOVES[call.status]
        if services.call_move_blocker(call, status) is None
    ]
    return render(
        request,
        "recruitment/call_detail.html",
        {
            "call": call,
            "stages": stages,
            "scorable": _scorable(request.user, call, stages),
            "committee": call.committee.prefetch_related("stages").order_by("position", "name"),
            "counts": counts,
            "seat": seat,
            "moves": moves,
            "publish_form": PublishForm(today=timezone.localdate())
            if call.status == Call.Status.SCORING
            else None,
            "document_kinds": documents_available(call),
            "breadcrumbs": crumbs_of(None, (call.title, None)),
        },
    )


def _scorable(user, call: Call, stages) -> set[int]:
    """The stages whose score sheet ``user`` may fill now: their own, or the paper sheets of
    assessors without an account that they enter."""
    if call.status not in (Call.Status.SCORING, Call.Status.PROVISIONAL):
        return set()
    if not user.has_perm("recruitment.add_score"):
        return set()
    return {stage.pk for stage in stages if services.members_entered_by(user, stage)}


@require_POST
def call_move(request: HttpRequest, pk: int) -> HttpResponse:
    call = call_for(request, pk, "recruitment.change_call")
    try:
        services.call_move(call=call, to=request.POST.get("to", ""), by=request.user)
    except ValidationError as error:
        refuse(request, error)
    else:
        messages.success(request, _("The call's status is changed."))
    return redirect(call)


STAGES_CHANGE_WHILE = (Call.Status.DRAFT, Call.Status.OPEN)


def stage_create(request: HttpRequest, pk: int) -> HttpResponse:
    call = call_for(request, pk, "recruitment.add_stage")
    if call.status not in STAGES_CHANGE_WHILE:
        messages.error(request, _("Stages are set while the call is a draft or open."))
        return redirect(call)
    form = StageForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        stage = form.save(commit=False)
        stage.call = call
        stage.save()
        messages.success(request, _("The stage is added."))
        return redirect(call)
    return selection_form_page(request, form, title=_("New selection stage"), call=call)


def stage_edit(request: HttpRequest, pk: int) -> HttpResponse:
    stage = visible_or_404(Stage.objects.select_related("call"), request.user, pk=pk)
    if not request.user.has_perm("recruitment.change_stage"):
        raise PermissionDenied
    if stage.call.status not in STAGES_CHANGE_WHILE:
        messages.error(request, _("Stages are set while the call is a draft or open."))
        return redirect(stage.call)
    form = StageForm(request.POST or None, instance=stage, call=stage.call)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The stage is saved."))
        return redirect(stage.call)
    return selection_form_page(request, form, title=_("Change the stage"), call=stage.call)
