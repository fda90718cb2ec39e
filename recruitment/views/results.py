"""The ranking and its export, publishing the provisional result, objections, the
decision, calling up a reserve and the fairness page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delegation.audit import record_event
from delegation.formatting import file_name
from delegation.models import AuditEvent
from delegation.pages import refuse
from delegation.spreadsheets import xlsx_response
from recruitment import exports, fairness, services
from recruitment.forms import (
    AnswerForm,
    ObjectionForm,
    PublishForm,
    ReasonForm,
)
from recruitment.models import (
    Application,
    Call,
    Objection,
)
from recruitment.views.common import (
    application_for,
    call_for,
    crumbs_of,
)


def _may_rank(user) -> bool:
    return user.has_perm("recruitment.view_score") and user.has_perm("participants.view_personal")


def ranking(request: HttpRequest, pk: int) -> HttpResponse:
    call = call_for(request, pk)
    if not _may_rank(request.user):
        raise PermissionDenied
    rows = services.call_rows(call=call)
    return render(
        request,
        "recruitment/ranking.html",
        {
            "call": call,
            "rows": rows,
            "stages": list(call.stages.order_by("order")),
            "breadcrumbs": crumbs_of(call, (_("Ranking"), None)),
        },
    )


def ranking_export(request: HttpRequest, pk: int) -> HttpResponse:
    call = call_for(request, pk)
    if not _may_rank(request.user):
        raise PermissionDenied
    content = exports.rank_list_xlsx(call, services.call_rows(call=call))
    record_event(request.user, AuditEvent.Action.EXPORT, call, detail="rank list")
    name = file_name(
        "peringkat-seleksi", call.program.slug, call.cohort, timezone.localdate(), extension="xlsx"
    )
    return xlsx_response(content, name)


@require_POST
def call_publish(request: HttpRequest, pk: int) -> HttpResponse:
    call = call_for(request, pk, "recruitment.decide_call")
    today = timezone.localdate()
    form = PublishForm(request.POST, today=today)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(call)
    try:
        services.call_publish_result(
            call=call,
            by=request.user,
            today=today,
            objection_until=form.cleaned_data["objection_until"],
        )
    except ValidationError as error:
        refuse(request, error)
    else:
        call.refresh_from_db()
        messages.success(
            request,
            _("The provisional result is published; objections until %(day)s.")
            % {"day": date_format(call.objection_until, "l, j F Y")},
        )
    return redirect(call)


def objections(request: HttpRequest, pk: int) -> HttpResponse:
    call = call_for(request, pk, "recruitment.view_objection")
    may_record = request.user.has_perm("recruitment.add_objection")
    form = ObjectionForm(request.POST or None, call=call)
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.objection_record(
                    call=call,
                    application=form.cleaned_data["application"],
                    text=form.cleaned_data["text"],
                    received_on=form.cleaned_data["received_on"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The objection is recorded."))
                return redirect("recruitment:objections", pk=call.pk)
    return render(
        request,
        "recruitment/objections.html",
        {
            "call": call,
            "objections": call.objections.select_related("application", "answered_by"),
            "form": form if may_record and call.status == Call.Status.PROVISIONAL else None,
            "may_answer": request.user.has_perm("recruitment.change_objection")
            and call.status == Call.Status.PROVISIONAL,
            "breadcrumbs": crumbs_of(call, (_("Objections"), None)),
        },
    )


def objection_answer(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_object_or_404(
        Objection.objects.select_related("call", "application").filter(
            call__in=Call.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    if not request.user.has_perm("recruitment.change_objection"):
        raise PermissionDenied
    form = AnswerForm(
        request.POST or None,
        initial={"answer": objection.answer, "verdict": objection.verdict},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_answer(
                objection=objection,
                answer=form.cleaned_data["answer"],
                verdict=form.cleaned_data["verdict"],
                by=request.user,
                today=timezone.localdate(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The answer is saved."))
            return redirect("recruitment:objections", pk=objection.call_id)
    return render(
        request,
        "recruitment/objection_answer.html",
        {
            "objection": objection,
            "call": objection.call,
            "form": form,
            "breadcrumbs": crumbs_of(
                objection.call,
                (_("Objections"), reverse("recruitment:objections", args=[objection.call_id])),
                (objection.application.full_name, None),
            ),
        },
    )


def call_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision: a page that says what it will do, then one confirmed action."""
    call = call_for(request, pk, "recruitment.decide_call")
    if request.method == "POST":
        try:
            created = services.call_decide(call=call, by=request.user)
        except ValidationError as error:
            refuse(request, error)
        else:
            messages.success(
                request,
                _("The call is decided: %(count)d participant(s) selected into %(cohort)s.")
                % {"count": len(created), "cohort": call.cohort},
            )
            return redirect(call)
    rows = services.call_rank(call=call) if call.status == Call.Status.PROVISIONAL else []
    return render(
        request,
        "recruitment/decide.html",
        {
            "call": call,
            "selected": [r for r in rows if r.outcome == Application.Outcome.SELECTED],
            "reserves": [r for r in rows if r.outcome == Application.Outcome.RESERVE],
            "open_objections": call.objections.filter(verdict="").count(),
            "today": timezone.localdate(),
            "breadcrumbs": crumbs_of(call, (_("Decision"), None)),
        },
    )


def reserve_replace(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request, pk)
    if not request.user.has_perm("recruitment.add_replacement"):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    reserve = services.next_reserve(application.call, application.track)
    if request.method == "POST" and form.is_valid():
        try:
            replacement = services.reserve_replace(
                withdrawn=application, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s is called from the reserves.")
                % {"name": replacement.reserve.full_name},
            )
            return redirect(replacement.reserve)
    return render(
        request,
        "recruitment/replace.html",
        {
            "application": application,
            "call": application.call,
            "reserve": reserve,
            "form": form,
            "breadcrumbs": crumbs_of(application.call, (_("Replace with the next reserve"), None)),
        },
    )


def fairness_page(request: HttpRequest, pk: int) -> HttpResponse:
    call = call_for(request, pk)
    if not request.user.has_perm("participants.view_personal"):
        raise PermissionDenied
    return render(
        request,
        "recruitment/fairness.html",
        {
            "call": call,
            "figures": fairness.figures(call),
            "breadcrumbs": crumbs_of(call, (_("Fairness"), None)),
        },
    )
