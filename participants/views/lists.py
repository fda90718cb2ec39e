"""The participant list: search (kept in the session), filters and the export of what it shows."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cohorts.models import Cohort, Program
from delegation.audit import record_event
from delegation.formatting import file_name
from delegation.models import AuditEvent
from delegation.pagination import query_string_without_page
from delegation.roles import sees_everything
from delegation.spreadsheets import csv_response, xlsx_response
from participants import exports
from participants.filters import ParticipantFilter
from participants.forms import SearchForm
from participants.listing import count_bound, list_page
from participants.models import Participant, ParticipantQuerySet
from participants.sensitive import can_reveal
from participants.services import SearchLimitReached, participants_search, search_limit_message

SEARCH_KEY = "participant_search"
# Set when the last search was refused (too many searches by number): the list shows nobody.
SEARCH_REFUSED_KEY = "participant_search_refused"


def _searched(request: HttpRequest) -> ParticipantQuerySet:
    """The participants the list shows before filtering: the user's, searched (the search
    is kept in the session; a refused search shows nobody)."""
    if request.session.get(SEARCH_REFUSED_KEY):
        return Participant.objects.none()
    scope = _scope(request)
    # The same people as ``visible_to``, their batches named: PostgreSQL can then combine
    # the batch index with the search's indexes instead of checking each match's batch.
    people = (
        Participant.objects.visible_to(request.user)
        if scope is None
        else Participant.objects.filter(cohort_id__in=scope)
    )
    return people.search(request.session.get(SEARCH_KEY, ""), user=request.user)


def _scope(request: HttpRequest) -> list[int] | None:
    """The batches whose people make up the user's list, for a user who sees only some
    (``Participant.objects.visible_to``); None for one who sees everyone. Read once per
    request."""
    if sees_everything(request.user):
        return None
    if not hasattr(request, "_participant_scope"):
        request._participant_scope = list(
            Cohort.objects.visible_to(request.user).values_list("pk", flat=True)
        )
    return request._participant_scope


def _filters_given(request: HttpRequest) -> bool:
    return any(name in request.GET for name in ParticipantFilter.base_filters)


def _narrowed(request: HttpRequest) -> bool:
    """Whether the user searched or filtered (sorting alone narrows nothing): such a list
    is counted only up to a bound."""
    given = (name for name in ParticipantFilter.base_filters if name != "ordering")
    return bool(request.session.get(SEARCH_KEY)) or any(request.GET.get(name) for name in given)


def _filtered(request: HttpRequest) -> ParticipantFilter:
    """The list's filters over the searched participants."""
    user = request.user
    # Bound only to filter values: a page number alone filters nothing.
    return ParticipantFilter(
        request.GET if _filters_given(request) else None,
        queryset=_searched(request).select_related("cohort__program", "origin"),
        programs=Program.objects.visible_to(user).order_by("name"),
        cohorts=Cohort.objects.visible_to(user),
    )


@transaction.non_atomic_requests  # it reads, and a search only changes the session
@permission_required("participants.view_participant", raise_exception=True)
def participant_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        # Searches may carry a NIK: they are posted and kept in the session, never in a URL.
        form = SearchForm(request.POST)
        if form.is_valid():
            _search(request, form.cleaned_data["q"].strip())
        query = request.GET.urlencode()
        return redirect(reverse("participants:participant_list") + (f"?{query}" if query else ""))
    # The panel is drawn open, in the page, once a filter is given or asked for. Closed, it
    # is filled when first opened, and the list needs no filter set at all.
    filters_open = _filters_given(request) or "filters" in request.GET
    filterset = _filtered(request) if filters_open else None
    text = request.session.get(SEARCH_KEY, "")
    return render(
        request,
        "participants/participant_list.html",
        {
            "filter": filterset,
            "filters_open": filters_open,
            "page": _page(request, filterset.qs if filterset else _searched(request), text),
            "search_form": SearchForm(initial={"q": text}),
            "searching": bool(text or request.session.get(SEARCH_REFUSED_KEY)),
            "query_string": query_string_without_page(request),
        },
    )


def _page(request: HttpRequest, participants: ParticipantQuerySet, text: str):
    """The list's page: counted to a bound when searched or filtered, else in full (once
    per version of the list for a user who sees some batches)."""
    narrowed = _narrowed(request)
    return list_page(
        request,
        participants,
        bound=count_bound(text, request.user) if narrowed else None,
        searched=bool(text),
        scope=_scope(request),
    )


def _search(request: HttpRequest, text: str) -> None:
    """Keep the search in the session, or refuse it (too many searches by number)."""
    try:
        participants_search(user=request.user, text=text)
    except SearchLimitReached:
        request.session.pop(SEARCH_KEY, None)
        request.session[SEARCH_REFUSED_KEY] = True
        messages.error(request, search_limit_message())
        return
    request.session[SEARCH_KEY] = text
    request.session.pop(SEARCH_REFUSED_KEY, None)


@permission_required("participants.view_participant", raise_exception=True)
def participant_filters(request: HttpRequest) -> HttpResponse:
    """The list's filter form alone: fetched when the closed filter panel is first opened,
    so the list itself does not read and draw hundreds of batches and regions each time."""
    return render(request, "participants/_participant_filters.html", {"filter": _filtered(request)})


@require_POST
@permission_required("participants.view_participant", raise_exception=True)
def search_clear(request: HttpRequest) -> HttpResponse:
    request.session.pop(SEARCH_KEY, None)
    request.session.pop(SEARCH_REFUSED_KEY, None)
    return redirect("participants:participant_list")


@permission_required(
    ["participants.view_participant", "participants.export_participant"], raise_exception=True
)
def participant_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    filterset = _filtered(request)
    reveal = can_reveal(request.user)
    participants = filterset.qs
    if fmt == "xlsx":
        content = exports.as_xlsx(participants, reveal=reveal)
    else:
        content = exports.as_csv(participants, reveal=reveal)
    record_event(
        request.user,
        AuditEvent.Action.EXPORT,
        detail=f"participants.{fmt}: {participants.count()} rows"
        + (", unmasked" if reveal else ", masked"),
    )
    name = file_name(
        "daftar-peserta", *_export_scope(filterset), timezone.localdate(), extension=fmt
    )
    if fmt == "xlsx":
        return xlsx_response(content, name)
    return csv_response(content, name)


def _export_scope(filterset) -> list[str]:
    """The programme and batch the export is filtered to, for its file name."""
    valid = filterset.is_bound and filterset.form.is_valid()
    chosen = filterset.form.cleaned_data if valid else {}
    cohort, program = chosen.get("cohort"), chosen.get("program")
    if cohort is not None:
        return [cohort.program.slug, f"angkatan-{cohort.number}"]
    if program is not None:
        return [program.slug]
    return []
