"""The participant list's pages: which participants a page holds, and the rows it shows.

A page's participants are found by id first, then read whole. The ids come in the list's
order with the id as a tie-break, so equal names keep their place from page to page; on
PostgreSQL they are read from the name-and-id index alone.

A deep page of everyone in the usual order (by name) starts from an anchor: every
``ANCHOR_EVERY``-th participant in the list, found once and kept in the cache (their ids)
until a participant is added, deleted or renamed (the tally's version says so). The page
then skips at most ``ANCHOR_EVERY`` index entries, not tens of thousands. Other deep pages
skip what they must, from whichever end of the list is nearer. The number of participants
comes from the tally when the page is everyone's, and is counted otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Page
from django.db import connection
from django.db.models import Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from delegation.formatting import roman
from delegation.pagination import paginate
from participants.models import Participant, Tally, read_tally

ANCHOR_EVERY = 500
ANCHORS_KEPT = 24 * 60 * 60  # seconds; a change of the list's version replaces them sooner
BY_NAME = ["full_name", "pk"]


@dataclass(frozen=True, slots=True)
class ListRow:
    """One line of the participant list: what it shows, as plain values, labels written."""

    pk: int
    participant_number: str
    full_name: str
    anonymised: bool
    batch: str
    status: str
    track: str
    origin: str
    url: str


def list_page(request, participants) -> Page:
    """The page of ``participants`` the request asks for, its rows as :class:`ListRow`."""
    ordering = [*(participants.query.order_by or Participant._meta.ordering), "pk"]
    tally = read_tally() if participants.is_everyone() else None
    page = paginate(
        request,
        participants.order_by(*ordering).values_list("pk", flat=True),
        count=tally.count if tally else None,
    )
    count, start, end = page.paginator.count, page.start_index() - 1, page.end_index()
    ids = None
    if tally and ordering == BY_NAME and start >= ANCHOR_EVERY:
        ids = _ids_from_anchor(participants, tally, start, end)
    if ids is None and start > count // 2 and all(isinstance(f, str) for f in ordering):
        # Read from the other end in the opposite order (fewer entries to skip), turned round.
        backwards = [field[1:] if field.startswith("-") else f"-{field}" for field in ordering]
        ids = participants.order_by(*backwards).values_list("pk", flat=True)
        ids = list(ids[count - end : count - start])[::-1]
    if ids is None:
        ids = list(page.object_list)
    page.object_list = list_rows(ids)
    return page


# Each anchor is the participant ANCHOR_EVERY places after the one before, found from it
# through the name-and-id index: one pass over the index, without numbering every row.
ANCHORS_SQL = """
WITH RECURSIVE anchor (full_name, id) AS (
    (SELECT full_name, id FROM participants_participant ORDER BY full_name, id LIMIT 1)
    UNION ALL
    SELECT next.full_name, next.id FROM anchor, LATERAL (
        SELECT p.full_name, p.id FROM participants_participant p
        WHERE (p.full_name, p.id) > (anchor.full_name, anchor.id)
        ORDER BY p.full_name, p.id OFFSET %s LIMIT 1
    ) next
)
SELECT id FROM anchor
"""


def anchors(tally: Tally) -> list[int]:
    """The ids of every ``ANCHOR_EVERY``-th participant in name order, from the cache while
    the list's version holds (ids only: no name waits in the cache). Kept only if the
    version did not change while they were read, so kept anchors always belong to the
    version they are kept under."""
    key = f"participants:list-anchors:{tally.version}"
    found = cache.get(key)
    if found is not None:
        return found
    with connection.cursor() as cursor:
        cursor.execute(ANCHORS_SQL, [ANCHOR_EVERY - 1])
        found = [pk for (pk,) in cursor.fetchall()]
    again = read_tally()
    if again is not None and again.version == tally.version:
        cache.set(key, found, ANCHORS_KEPT)
    return found


def _ids_from_anchor(participants, tally: Tally, start: int, end: int) -> list[int] | None:
    """The page's ids, skipping from its anchor; None (skip from an end instead) when the
    anchors do not fit the count, or when the page comes back short because its anchor was
    deleted since the version was read. (An anchor renamed in that same moment puts that
    one page where the new name stands; the next page drawn has new anchors.)"""
    found = anchors(tally)
    if len(found) != math.ceil(tally.count / ANCHOR_EVERY):
        return None
    index = start // ANCHOR_EVERY
    anchor = found[index]
    name = Subquery(Participant.objects.filter(pk=anchor).order_by().values("full_name"))
    skip = start - index * ANCHOR_EVERY
    from_anchor = (
        participants.filter(full_name__gte=name)
        .exclude(full_name=name, pk__lt=anchor)
        .order_by(*BY_NAME)
        .values_list("pk", flat=True)
    )
    ids = list(from_anchor[skip : skip + end - start])
    return ids if len(ids) == end - start else None


def list_rows(ids: list[int]) -> list[ListRow]:
    """The rows of these participants, in this order, reading only the columns shown.

    Plain values, not model instances: building 25 participants and asking each for its
    status and track labels took longer than reading them from the database.
    """
    statuses = {value: str(label) for value, label in Participant.Status.choices}
    tracks = {value: str(label) for value, label in Participant.Track.choices}
    batch = _("Batch %(number)s (%(year)s)")
    found = {
        row[0]: row
        for row in Participant.objects.filter(pk__in=ids).values_list(
            "pk",
            "participant_number",
            "full_name",
            "anonymised_at",
            "status",
            "track",
            "cohort__number",
            "cohort__year",
            "origin__name",
        )
    }
    rows = []
    for pk in ids:
        if pk not in found:
            continue  # deleted between finding the page and reading it
        _pk, number, name, anonymised_at, status, track, batch_number, year, origin = found[pk]
        rows.append(
            ListRow(
                pk=pk,
                participant_number=number,
                full_name=name,
                anonymised=anonymised_at is not None,
                batch=batch % {"number": roman(batch_number), "year": year}
                if batch_number is not None
                else "",
                status=statuses.get(status, status),
                track=tracks.get(track, track),
                origin=origin,
                url=reverse("participant_profile", args=[pk]),
            )
        )
    return rows
