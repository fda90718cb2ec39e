"""Disasters: the events, the mass check of the people in the area, and its close."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cohorts.models import Cohort
from delegation.access import changeable_or_403, visible_or_404
from delegation.audit import record_event
from delegation.models import AuditEvent
from delegation.pagination import paginate, query_string_without_page
from participants.geography import country_code, subdivision_choices, subdivision_name
from participants.models import Contact
from participants.sensitive import can_reveal
from welfare import services
from welfare.forms import (
    EventCloseForm,
    EventForm,
    MemberForm,
)
from welfare.models import (
    Event,
    EventMember,
)
from welfare.views.common import crumbs_of, phone_as_seen, welfare_form_page


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
def event_list(request: HttpRequest) -> HttpResponse:
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
            "breadcrumbs": crumbs_of((_("Disasters"), None)),
        },
    )


@permission_required("welfare.add_event", raise_exception=True)
def event_create(request: HttpRequest) -> HttpResponse:
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
    return welfare_form_page(
        request,
        form,
        title=_("New disaster event"),
        cancel_url=reverse("welfare:event_list"),
        crumbs=[(_("Disasters"), reverse("welfare:event_list"))],
    )


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
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
            "breadcrumbs": crumbs_of(
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
        "phone_abroad": phone_as_seen(user, residence.phone) if residence else "",
        "emergency": [(c, phone_as_seen(user, c.phone)) for c in member.participant.emergency],
    }


def member_record(request: HttpRequest, pk: int) -> HttpResponse:
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
    return welfare_form_page(
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


def event_close(request: HttpRequest, pk: int) -> HttpResponse:
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
    return welfare_form_page(
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
