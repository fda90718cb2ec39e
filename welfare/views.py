"""Pages of duty of care. Every object is fetched through ``visible_to(user)`` (404) and
every change checks its permission (403); opening a case is logged."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from cohorts.models import Cohort
from delegation.access import changeable_or_403, visible_or_404
from delegation.audit import record_event
from delegation.downloads import private_file_response
from delegation.formatting import file_name
from delegation.models import AuditEvent
from delegation.pagination import paginate, query_string_without_page
from delegation.spreadsheets import workbook_bytes, xlsx_response
from participants.geography import country_code, subdivision_choices, subdivision_name
from participants.models import Contact, Participant, Residence
from participants.phones import format_phone
from participants.sensitive import can_reveal, mask_phone
from welfare import exports, services
from welfare.figures import welfare_figures
from welfare.forms import (
    AlumniFilterForm,
    CaseCostForm,
    CaseEditForm,
    CaseForm,
    CloseForm,
    DatedReasonForm,
    DoneForm,
    EntryForm,
    EventCloseForm,
    EventForm,
    ExtendInsteadForm,
    FollowUpForm,
    HelpNowForm,
    MemberForm,
    ReturnForm,
)
from welfare.models import (
    Case,
    ChecklistItem,
    Event,
    EventMember,
    FollowUp,
    Return,
    ReturnTask,
    TimelineEntry,
)

ABROAD_STATUSES = services.ABROAD


def _crumbs(*trail):
    return [(_("Duty of care"), reverse("welfare:case_list")), *trail]


def _form_page(request, form, *, title, cancel_url, crumbs=(), note=""):
    return render(
        request,
        "welfare/form.html",
        {
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "breadcrumbs": _crumbs(*crumbs, (title, None)),
            "note": note,
        },
    )


def _phone(user, raw: str) -> str:
    shown = format_phone(raw)
    return shown if can_reveal(user) else mask_phone(shown)


# Cases


@login_required
def case_list(request):
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


def _case_counts(request):
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


def _participant_for(request, pk: int, permission: str) -> Participant:
    return changeable_or_403(
        Participant.objects.select_related("cohort__program"), request.user, permission, pk=pk
    )


def case_create(request, pk: int):
    participant = _participant_for(request, pk, "welfare.add_case")
    form = CaseForm(request.POST or None, participant=participant)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(participant=participant, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Case opened."))
            return redirect(case)
    return _form_page(
        request,
        form,
        title=_("New case: %(name)s") % {"name": participant.full_name},
        cancel_url=participant.get_absolute_url(),
    )


def help_now(request, pk: int):
    participant = _participant_for(request, pk, "welfare.add_case")
    form = HelpNowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = services.case_from_help_now(
            participant=participant, by=request.user, **form.cleaned_data
        )
        messages.success(request, _("Help request recorded: a case draft is open."))
        return redirect(case)
    return _form_page(
        request,
        form,
        title=_("Help now: %(name)s") % {"name": participant.full_name},
        cancel_url=participant.get_absolute_url(),
        note=_("The check-in is kept and a case draft opens at once; the coordinator is told."),
    )


def _case(request, pk: int, permission: str | None = None) -> Case:
    source = Case.objects.select_related("participant__cohort__program", "owner")
    if permission:
        return changeable_or_403(source, request.user, permission, pk=pk)
    return visible_or_404(source, request.user, pk=pk)


def case_detail(request, pk: int):
    case = _case(request, pk)
    record_event(request.user, AuditEvent.Action.VIEW_SENSITIVE, case, detail="welfare case")
    participant = case.participant
    contacts = [
        {
            "contact": contact,
            "phone": _phone(request.user, contact.phone),
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
            "phone_abroad": _phone(request.user, residence.phone) if residence else "",
            "contract": participant.contracts.active().first(),
            "home": Return.objects.filter(case=case).first(),
            "can_change": request.user.has_perm("welfare.change_case"),
            "can_add_cost": request.user.has_perm("welfare.add_casecost"),
            "can_return": request.user.has_perm("welfare.add_return")
            and participant.status in ABROAD_STATUSES,
            "is_owner": case.owner_id == request.user.pk,
            "breadcrumbs": _crumbs((str(case), None)),
        },
    )


def case_edit(request, pk: int):
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
    return _form_page(
        request,
        form,
        title=_("Edit the case"),
        cancel_url=case.get_absolute_url(),
        crumbs=[(str(case), case.get_absolute_url())],
    )


@require_POST
def case_acknowledge(request, pk: int):
    case = _case(request, pk, "welfare.change_case")
    try:
        services.case_acknowledge(case=case, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Case acknowledged."))
    return redirect(case)


def entry_create(request, pk: int):
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
    return _form_page(
        request,
        form,
        title=_("What was done"),
        cancel_url=case.get_absolute_url(),
        crumbs=[(str(case), case.get_absolute_url())],
    )


def entry_attachment(request, pk: int):
    entry = visible_or_404(TimelineEntry.objects.select_related("case"), request.user, pk=pk)
    return private_file_response(request, entry.attachment, subject=entry.case)


def cost_create(request, pk: int):
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
    return _form_page(
        request,
        form,
        title=_("Cost of the case"),
        cancel_url=case.get_absolute_url(),
        crumbs=[(str(case), case.get_absolute_url())],
        note=_("The line joins the programme's costs: the sponsor's promise check reads it."),
    )


def case_close(request, pk: int):
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
    return _form_page(
        request,
        form,
        title=_("Resolve or close the case"),
        cancel_url=case.get_absolute_url(),
        crumbs=[(str(case), case.get_absolute_url())],
    )


def case_reopen(request, pk: int):
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
    return _form_page(
        request,
        form,
        title=_("Reopen the case"),
        cancel_url=case.get_absolute_url(),
        crumbs=[(str(case), case.get_absolute_url())],
    )


def _status_page(request, pk: int, *, service, title: str, note: str, done: str):
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
    return _form_page(
        request,
        form,
        title=title,
        cancel_url=case.get_absolute_url(),
        crumbs=[(str(case), case.get_absolute_url())],
        note=note,
    )


def case_death(request, pk: int):
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


def case_missing(request, pk: int):
    return _status_page(
        request,
        pk,
        service=services.case_record_missing,
        title=_("Record a missing person"),
        note=_("The participant's status becomes “missing”; record the reports made."),
        done=_("Recorded as missing; the reports to make are listed."),
    )


def checklist_done(request, pk: int):
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
    return _form_page(
        request,
        form,
        title=str(item),
        cancel_url=item.case.get_absolute_url(),
        crumbs=[(str(item.case), item.case.get_absolute_url())],
    )


# Disasters


def _home_country(request) -> str:
    """The country of the events: that of the programmes the user sees (the first known)."""
    for name in (
        Cohort.objects.visible_to(request.user)
        .values_list("program__destination_country", flat=True)
        .distinct()
    ):
        if code := country_code(name):
            return code
    return "JP"


@permission_required("welfare.view_event", raise_exception=True)
def event_list(request):
    events = (
        Event.objects.visible_to(request.user)
        .annotate(
            people=Count("members"),
            waiting=Count("members", filter=Q(members__result__in=EventMember.NOT_REACHED)),
        )
        .order_by("-occurred_on", "-pk")
    )
    status = request.GET.get("status", "")
    if status in Event.Status.values:
        events = events.filter(status=status)
    return render(
        request,
        "welfare/event_list.html",
        {
            "page": paginate(request, events),
            "query_string": query_string_without_page(request),
            "status": status,
            "statuses": Event.Status.choices,
            "breadcrumbs": _crumbs((_("Disasters"), None)),
        },
    )


@permission_required("welfare.add_event", raise_exception=True)
def event_create(request):
    country = request.GET.get("country") or _home_country(request)
    if not subdivision_choices(country):
        country = _home_country(request)
    form = EventForm(request.POST or None, country=country)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_open(country=country, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Event opened: %(count)d people to check.") % {"count": event.members.count()},
            )
            return redirect(event)
    return _form_page(
        request,
        form,
        title=_("New disaster event"),
        cancel_url=reverse("welfare:event_list"),
        crumbs=[(_("Disasters"), reverse("welfare:event_list"))],
    )


def event_detail(request, pk: int):
    event = visible_or_404(Event, request.user, pk=pk)
    members = _event_members(request.user, event)
    result = request.GET.get("result", "")
    if result == "waiting":
        members = members.not_reached()
    elif result in EventMember.Result.values:
        members = members.filter(result=result)
    query = request.GET.get("q", "").strip()
    if query:
        members = members.filter(participant__full_name__icontains=query)
    if can_reveal(request.user):
        record_event(request.user, AuditEvent.Action.VIEW_SENSITIVE, event, detail="contact list")
    page = paginate(request, members, 50)
    rows = [_member_row(request.user, member) for member in page.object_list]
    everyone = EventMember.objects.visible_to(request.user).filter(event=event)
    return render(
        request,
        "welfare/event_detail.html",
        {
            "event": event,
            "page": page,
            "rows": rows,
            "query_string": query_string_without_page(request),
            "result": result,
            "q": query,
            "results": EventMember.Result.choices,
            "places": [subdivision_name(code) for code in event.subdivisions],
            "total": everyone.count(),
            "waiting": everyone.not_reached().count(),
            "can_record": request.user.has_perm("welfare.change_eventmember")
            and event.status == Event.Status.OPEN,
            "can_close": request.user.has_perm("welfare.change_event")
            and event.status == Event.Status.OPEN,
            "breadcrumbs": _crumbs(
                (_("Disasters"), reverse("welfare:event_list")), (event.name, None)
            ),
        },
    )


def _event_members(user, event: Event):
    """The event's people whom ``user`` sees, with what their rows show."""
    return (
        EventMember.objects.visible_to(user)
        .filter(event=event)
        .select_related("participant__cohort", "participant__residence", "recorded_by")
        .prefetch_related(
            Prefetch(
                "participant__contacts",
                queryset=Contact.objects.filter(is_emergency=True),
                to_attr="emergency",
            )
        )
    )


def _member_row(user, member: EventMember) -> dict:
    """A row of the mass check: where the person is, and their phones as ``user`` may read
    them (abroad, and their emergency contacts at home)."""
    residence = getattr(member.participant, "residence", None)
    return {
        "member": member,
        "place": ", ".join(x for x in [subdivision_name(member.subdivision), member.city] if x),
        "phone_abroad": _phone(user, residence.phone) if residence else "",
        "emergency": [(c, _phone(user, c.phone)) for c in member.participant.emergency],
    }


def member_record(request, pk: int):
    member = changeable_or_403(
        EventMember.objects.select_related("event", "participant"),
        request.user,
        "welfare.change_eventmember",
        pk=pk,
    )
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_record(member=member, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s: %(result)s.")
                % {"name": member.participant.full_name, "result": member.get_result_display()},
            )
            return redirect(member.event)
    return _form_page(
        request,
        form,
        title=member.participant.full_name,
        cancel_url=member.event.get_absolute_url(),
        crumbs=[
            (_("Disasters"), reverse("welfare:event_list")),
            (member.event.name, member.event.get_absolute_url()),
        ],
        note=_("“Needs help” opens a case."),
    )


def event_close(request, pk: int):
    event = changeable_or_403(Event, request.user, "welfare.change_event", pk=pk)
    form = EventCloseForm(request.POST or None)
    waiting = event.members.not_reached().count()
    if request.method == "POST" and form.is_valid():
        try:
            services.event_close(event=event, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Event closed."))
            return redirect(event)
    return _form_page(
        request,
        form,
        title=_("Close the event"),
        cancel_url=event.get_absolute_url(),
        crumbs=[
            (_("Disasters"), reverse("welfare:event_list")),
            (event.name, event.get_absolute_url()),
        ],
        note=_("%(count)d people are not reached yet.") % {"count": waiting}
        if waiting
        else _("Everyone is reached."),
    )


# The way home


def return_home(request, pk: int):
    participant = _participant_for(request, pk, "welfare.add_return")
    if not request.user.has_perm("participants.change_participant"):
        raise PermissionDenied
    cases = Case.objects.visible_to(request.user).filter(participant=participant)
    form = ReturnForm(request.POST or None, cases=cases, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.return_home(participant=participant, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Return recorded; the follow-ups are scheduled."))
            return redirect(participant)
    return _form_page(
        request,
        form,
        title=_("Return home: %(name)s") % {"name": participant.full_name},
        cancel_url=participant.get_absolute_url(),
        note=_(
            "The status moves, the running contract ends on this date and the follow-ups "
            "at 1, 6 and 12 months are scheduled."
        ),
    )


@permission_required("welfare.view_returntask", raise_exception=True)
def return_planning(request):
    tasks = (
        ReturnTask.objects.visible_to(request.user)
        .select_related("participant__cohort", "contract")
        .order_by("contract__end_date", "participant__full_name", "due_on")
    )
    show = request.GET.get("show", "")
    if show != "all":
        tasks = tasks.pending()
    query = request.GET.get("q", "").strip()
    if query:
        tasks = tasks.filter(participant__full_name__icontains=query)
    return render(
        request,
        "welfare/return_planning.html",
        {
            "page": paginate(request, tasks, 50),
            "query_string": query_string_without_page(request),
            "show": show,
            "q": query,
            "today": timezone.localdate(),
            "breadcrumbs": _crumbs((_("Return planning"), None)),
        },
    )


def return_task_done(request, pk: int):
    task = changeable_or_403(
        ReturnTask.objects.select_related("participant"),
        request.user,
        "welfare.change_returntask",
        pk=pk,
    )
    form = DoneForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.return_task_done(task=task, by=request.user, **form.cleaned_data)
        messages.success(request, _("Item done."))
        return redirect("welfare:return_planning")
    return _form_page(
        request,
        form,
        title=f"{task.participant.full_name} · {task.get_kind_display()}",
        cancel_url=reverse("welfare:return_planning"),
        crumbs=[(_("Return planning"), reverse("welfare:return_planning"))],
    )


def return_extend(request, pk: int):
    task = changeable_or_403(
        ReturnTask.objects.select_related("participant", "contract"),
        request.user,
        "welfare.change_returntask",
        pk=pk,
    )
    if not request.user.has_perm("participants.change_contract"):
        raise PermissionDenied
    form = ExtendInsteadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_plan_extend(
                contract=task.contract, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Contract extended; the return plan is dropped."))
            return redirect("welfare:return_planning")
    return _form_page(
        request,
        form,
        title=_("Extend instead: %(name)s") % {"name": task.participant.full_name},
        cancel_url=reverse("welfare:return_planning"),
        crumbs=[(_("Return planning"), reverse("welfare:return_planning"))],
    )


# After return


@permission_required("welfare.view_followup", raise_exception=True)
def follow_up_list(request):
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
            "breadcrumbs": _crumbs((_("Follow-ups after return"), None)),
        },
    )


def follow_up_fill(request, pk: int):
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
    return _form_page(
        request,
        form,
        title=_("%(months)d-month follow-up: %(name)s")
        % {"months": follow_up.months, "name": follow_up.participant.full_name},
        cancel_url=reverse("welfare:follow_up_list"),
        crumbs=[(_("Follow-ups after return"), reverse("welfare:follow_up_list"))],
    )


def _alumni(request):
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
def alumni(request):
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
            "breadcrumbs": _crumbs((_("Alumni (purna)"), None)),
        },
    )


@permission_required("welfare.export_alumni", raise_exception=True)
def alumni_export(request):
    _form, returns = _alumni(request)
    workbook = Workbook()
    exports.alumni_sheet(workbook.active, returns, user=request.user)
    record_event(request.user, AuditEvent.Action.EXPORT, None, detail="alumni directory")
    return xlsx_response(workbook_bytes(workbook), file_name(_("alumni"), extension="xlsx"))
