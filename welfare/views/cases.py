"""Cases abroad: the list, opening one (also from a help-now call), its timeline, costs,
checklists and its close."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delegation.access import changeable_or_403, visible_or_404
from delegation.audit import record_event
from delegation.downloads import private_file_response
from delegation.models import AuditEvent
from delegation.pagination import paginate, query_string_without_page
from participants.models import Participant, Residence
from welfare import services
from welfare.figures import welfare_figures
from welfare.forms import (
    CaseCostForm,
    CaseEditForm,
    CaseForm,
    CloseForm,
    DatedReasonForm,
    DoneForm,
    EntryForm,
    EventCloseForm,
    HelpNowForm,
)
from welfare.models import (
    Case,
    ChecklistItem,
    Event,
    Return,
    TimelineEntry,
)
from welfare.views.common import (
    ABROAD_STATUSES,
    crumbs_of,
    participant_for,
    phone_as_seen,
    welfare_form_page,
)


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """HR staff and coordinators: the cases they see. Leadership: counts only."""
    if not request.user.has_perm("welfare.view_case"):
        if not request.user.has_perm("welfare.view_case_counts"):
            raise PermissionDenied
        return _case_counts(request)
    chosen = _case_filters(request)
    cases = _filtered_cases(
        Case.objects.visible_to(request.user).select_related(
            "participant__cohort__program", "owner"
        ),
        chosen,
    )
    return render(
        request,
        "welfare/case_list.html",
        {
            "page": paginate(request, cases),
            "query_string": query_string_without_page(request),
            **chosen,
            "statuses": Case.Status.choices,
            "severities": Case.Severity.choices,
            "kinds": Case.Kind.choices,
            "events": Event.objects.visible_to(request.user).open(),
        },
    )


def _case_filters(request) -> dict[str, str]:
    """The list's filters as asked in the query string (the open cases by default)."""
    return {
        "status": request.GET.get("status", "open"),
        "severity": request.GET.get("severity", ""),
        "kind": request.GET.get("kind", ""),
        "q": request.GET.get("q", "").strip(),
        "sort": request.GET.get("sort", ""),
    }


def _filtered_cases(cases, chosen: dict[str, str]):
    """``cases`` narrowed to the chosen filters; values that are not choices are ignored."""
    if chosen["status"] == "open":
        cases = cases.open()
    elif chosen["status"] in Case.Status.values:
        cases = cases.filter(status=chosen["status"])
    if chosen["severity"] in Case.Severity.values:
        cases = cases.filter(severity=chosen["severity"])
    if chosen["kind"] in Case.Kind.values:
        cases = cases.filter(kind=chosen["kind"])
    ordering = {"opened": "opened_at", "name": "participant__full_name"}
    return cases.search(chosen["q"]).order_by(ordering.get(chosen["sort"], "-opened_at"))


def _case_counts(request: HttpRequest) -> HttpResponse:
    people = Participant.objects.visible_to(request.user)
    cases = Case.objects.filter(participant__in=people.values("pk")).exclude(
        status=Case.Status.DRAFT
    )
    table = cases.values("kind", "severity").annotate(n=Count("pk")).order_by()
    counts: dict[str, dict[str, int]] = {}
    for row in table:
        counts.setdefault(row["kind"], {})[row["severity"]] = row["n"]
    rows = [
        (label, [counts.get(kind, {}).get(sev, 0) for sev in Case.Severity.values])
        for kind, label in Case.Kind.choices
        if kind in counts
    ]
    return render(
        request,
        "welfare/case_counts.html",
        {
            "rows": rows,
            "severities": Case.Severity.choices,
            "open_count": cases.open().count(),
            "figures": welfare_figures(people, today=timezone.localdate()),
        },
    )


def case_create(request: HttpRequest, pk: int) -> HttpResponse:
    participant = participant_for(request, pk, "welfare.add_case")
    form = CaseForm(request.POST or None, participant=participant)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(participant=participant, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Case opened."))
            return redirect(case)
    return welfare_form_page(
        request,
        form,
        title=_("New case: %(name)s") % {"name": participant.full_name},
        cancel_url=participant.get_absolute_url(),
    )


def help_now(request: HttpRequest, pk: int) -> HttpResponse:
    participant = participant_for(request, pk, "welfare.add_case")
    form = HelpNowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = services.case_from_help_now(
            participant=participant, by=request.user, **form.cleaned_data
        )
        messages.success(request, _("Help request recorded: a case draft is open."))
        return redirect(case)
    return welfare_form_page(
        request,
        form,
        title=_("Help now: %(name)s") % {"name": participant.full_name},
        cancel_url=participant.get_absolute_url(),
        note=_("The check-in is kept and a case draft opens at once; the coordinator is told."),
    )


def _case(request: HttpRequest, pk: int, permission: str | None = None) -> Case:
    source = Case.objects.select_related("participant__cohort__program", "owner")
    if permission:
        return changeable_or_403(source, request.user, permission, pk=pk)
    return visible_or_404(source, request.user, pk=pk)


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    record_event(request.user, AuditEvent.Action.VIEW_SENSITIVE, case, detail="welfare case")
    participant = case.participant
    contacts = [
        {
            "contact": contact,
            "phone": phone_as_seen(request.user, contact.phone),
        }
        for contact in participant.contacts.filter(Q(is_emergency=True) | Q(is_heir=True))
    ]
    residence = Residence.objects.filter(participant=participant).first()
    return render(
        request,
        "welfare/case_detail.html",
        {
            "case": case,
            "participant": participant,
            "entries": case.entries.select_related("by"),
            "costs": [link.cost_item for link in case.costs.select_related("cost_item")],
            "checklist": case.checklist.all(),
            "contacts": contacts,
            "phone_abroad": phone_as_seen(request.user, residence.phone) if residence else "",
            "contract": participant.contracts.active().first(),
            "home": Return.objects.filter(case=case).first(),
            "can_change": request.user.has_perm("welfare.change_case"),
            "can_add_cost": request.user.has_perm("welfare.add_casecost"),
            "can_return": request.user.has_perm("welfare.add_return")
            and participant.status in ABROAD_STATUSES,
            "is_owner": case.owner_id == request.user.pk,
            "breadcrumbs": crumbs_of((str(case), None)),
        },
    )


def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "welfare.change_case")
    form = CaseEditForm(request.POST or None, instance=case, participant=case.participant)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.case_update(case=Case.objects.get(pk=case.pk), by=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Case saved."))
            return redirect(case)
    return welfare_form_page(
        request,
        form,
        title=_("Edit the case"),
        cancel_url=case.get_absolute_url(),
        crumbs=[(str(case), case.get_absolute_url())],
    )


@require_POST
def case_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "welfare.change_case")
    try:
        services.case_acknowledge(case=case, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Case acknowledged."))
    return redirect(case)


def entry_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "welfare.add_timelineentry")
    form = EntryForm(
        request.POST or None, request.FILES or None, initial={"at": timezone.localtime()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.case_add_entry(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Timeline entry saved."))
            return redirect(case)
    return welfare_form_page(
        request,
        form,
        title=_("What was done"),
        cancel_url=case.get_absolute_url(),
        crumbs=[(str(case), case.get_absolute_url())],
    )


def entry_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    entry = visible_or_404(TimelineEntry.objects.select_related("case"), request.user, pk=pk)
    return private_file_response(request, entry.attachment, subject=entry.case)


def cost_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "welfare.add_casecost")
    form = CaseCostForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_add_cost(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Cost line saved."))
            return redirect(case)
    return welfare_form_page(
        request,
        form,
        title=_("Cost of the case"),
        cancel_url=case.get_absolute_url(),
        crumbs=[(str(case), case.get_absolute_url())],
        note=_("The line joins the programme's costs: the sponsor's promise check reads it."),
    )


def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "welfare.change_case")
    form = CloseForm(request.POST or None, initial={"outcome": case.outcome})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_close(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Case closed.") if case.status == Case.Status.CLOSED else _("Case resolved."),
            )
            return redirect(case)
    return welfare_form_page(
        request,
        form,
        title=_("Resolve or close the case"),
        cancel_url=case.get_absolute_url(),
        crumbs=[(str(case), case.get_absolute_url())],
    )


def case_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "welfare.change_case")
    form = EventCloseForm(request.POST or None)
    form.fields["reason"].label = _("Why the case opens again")
    form.fields["reason"].required = True
    if request.method == "POST" and form.is_valid():
        try:
            services.case_reopen(case=case, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Case reopened."))
            return redirect(case)
    return welfare_form_page(
        request,
        form,
        title=_("Reopen the case"),
        cancel_url=case.get_absolute_url(),
        crumbs=[(str(case), case.get_absolute_url())],
    )


def _status_page(request: HttpRequest, pk: int, *, service, title: str, note: str, done: str):
    case = _case(request, pk, "welfare.change_case")
    if not request.user.has_perm("participants.change_participant"):
        raise PermissionDenied
    form = DatedReasonForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            service(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect(case)
    return welfare_form_page(
        request,
        form,
        title=title,
        cancel_url=case.get_absolute_url(),
        crumbs=[(str(case), case.get_absolute_url())],
        note=note,
    )


def case_death(request: HttpRequest, pk: int) -> HttpResponse:
    return _status_page(
        request,
        pk,
        service=services.case_record_death,
        title=_("Record a death"),
        note=_(
            "The participant's status becomes “deceased” and the contract ends on this date. "
            "This cannot be undone here."
        ),
        done=_("Death recorded; the checklist is open."),
    )


def case_missing(request: HttpRequest, pk: int) -> HttpResponse:
    return _status_page(
        request,
        pk,
        service=services.case_record_missing,
        title=_("Record a missing person"),
        note=_("The participant's status becomes “missing”; record the reports made."),
        done=_("Recorded as missing; the reports to make are listed."),
    )


def checklist_done(request: HttpRequest, pk: int) -> HttpResponse:
    item = changeable_or_403(
        ChecklistItem.objects.select_related("case__participant"),
        request.user,
        "welfare.change_checklistitem",
        pk=pk,
    )
    form = DoneForm(request.POST or None, initial={"on": timezone.localdate(), "note": item.note})
    if request.method == "POST" and form.is_valid():
        services.checklist_item_done(item=item, by=request.user, **form.cleaned_data)
        messages.success(request, _("Checklist item done."))
        return redirect(item.case)
    return welfare_form_page(
        request,
        form,
        title=str(item),
        cancel_url=item.case.get_absolute_url(),
        crumbs=[(str(item.case), item.case.get_absolute_url())],
    )
