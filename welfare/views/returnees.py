"""After return: the follow-ups and the alumni directory with its export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from cohorts.models import Cohort
from delegation.access import changeable_or_403
from delegation.audit import record_event
from delegation.formatting import file_name
from delegation.models import AuditEvent
from delegation.pagination import paginate, query_string_without_page
from delegation.spreadsheets import workbook_bytes, xlsx_response
from welfare import exports, services
from welfare.forms import (
    AlumniFilterForm,
    FollowUpForm,
)
from welfare.models import (
    FollowUp,
    Return,
)
from welfare.views.common import crumbs_of, welfare_form_page


@permission_required("welfare.view_followup", raise_exception=True)
def follow_up_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    follow_ups = FollowUp.objects.visible_to(request.user).select_related("participant__cohort")
    show = request.GET.get("show", "due")
    if show == "due":
        follow_ups = follow_ups.due(today=today, within_days=30)
    elif show == "filled":
        follow_ups = follow_ups.filled().order_by("-filled_on")
    query = request.GET.get("q", "").strip()
    if query:
        follow_ups = follow_ups.filter(participant__full_name__icontains=query)
    return render(
        request,
        "welfare/follow_up_list.html",
        {
            "page": paginate(request, follow_ups),
            "query_string": query_string_without_page(request),
            "show": show,
            "q": query,
            "today": today,
            "breadcrumbs": crumbs_of((_("Follow-ups after return"), None)),
        },
    )


def follow_up_fill(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = changeable_or_403(
        FollowUp.objects.select_related("participant"),
        request.user,
        "welfare.change_followup",
        pk=pk,
    )
    form = FollowUpForm(request.POST or None, instance=follow_up)
    if request.method == "POST" and form.is_valid():
        services.follow_up_fill(
            follow_up=FollowUp.objects.get(pk=follow_up.pk),
            by=request.user,
            via=FollowUp.Via.STAFF,
            on=form.cleaned_data["on"],
            **form.answers(),
        )
        messages.success(request, _("Follow-up saved."))
        return redirect("welfare:follow_up_list")
    return welfare_form_page(
        request,
        form,
        title=_("%(months)d-month follow-up: %(name)s")
        % {"months": follow_up.months, "name": follow_up.participant.full_name},
        cancel_url=reverse("welfare:follow_up_list"),
        crumbs=[(_("Follow-ups after return"), reverse("welfare:follow_up_list"))],
    )


def _alumni(request: HttpRequest) -> HttpResponse:
    returns = Return.objects.visible_to(request.user).select_related("participant__cohort__program")
    cohorts = Cohort.objects.visible_to(request.user).select_related("program")
    form = AlumniFilterForm(request.GET or None, cohorts=cohorts)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            returns = returns.filter(participant__full_name__icontains=data["q"])
        if data["cohort"]:
            returns = returns.filter(participant__cohort=data["cohort"])
        if data["occupation"]:
            returns = returns.filter(participant__occupation__icontains=data["occupation"])
        if data["mentor"]:
            returns = returns.filter(participant__follow_ups__willing_to_mentor=True).distinct()
    returns = returns.order_by("participant__full_name").prefetch_related(
        Prefetch(
            "participant__follow_ups",
            queryset=FollowUp.objects.filled().order_by("-months"),
            to_attr="answers",
        )
    )
    return form, returns


@permission_required("welfare.view_return", raise_exception=True)
def alumni(request: HttpRequest) -> HttpResponse:
    form, returns = _alumni(request)
    page = paginate(request, returns)
    rows = [exports.alumni_row(home, user=request.user) for home in page.object_list]
    return render(
        request,
        "welfare/alumni.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query_string": query_string_without_page(request),
            "can_export": request.user.has_perm("welfare.export_alumni"),
            "breadcrumbs": crumbs_of((_("Alumni (purna)"), None)),
        },
    )


@permission_required("welfare.export_alumni", raise_exception=True)
def alumni_export(request: HttpRequest) -> HttpResponse:
    _form, returns = _alumni(request)
    workbook = Workbook()
    exports.alumni_sheet(workbook.active, returns, user=request.user)
    record_event(request.user, AuditEvent.Action.EXPORT, None, detail="alumni directory")
    return xlsx_response(workbook_bytes(workbook), file_name(_("alumni"), extension="xlsx"))
