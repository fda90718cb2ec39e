"""The participant list's pages: which participants a page holds, and the rows it shows.

A page's participants are found by id in a subquery, then read whole in the same query.
The ids come in the list's order with the id as a tie-break, so equal names keep their place
from page to page; on PostgreSQL they are read from the name-and-id index alone.

A deep page of everyone in the usual order (by name) starts from an anchor: every
``ANCHOR_EVERY``-th participant in the list, found once and kept in the cache (their ids)
until a participant is added, deleted or renamed (the tally's version says so). The page
then skips at most ``ANCHOR_EVERY`` index entries, not tens of thousands. Other deep pages
skip what they must, from whichever end of the list is nearer. The number of participants
comes from the tally when the page is everyone's, and is counted otherwise: a searched or
filtered list no further than ``COUNT_BOUND`` (counting the 71,000 "rahma" of a million
people read 20,000 table pages). Past it the page says that more match and asks to narrow
the search, and its pages reach the first ``COUNT_BOUND`` participants, in the list's order.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page
from django.db import connection, connections
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import gettext as _

from delegation.formatting import roman
from delegation.pagination import paginate
from participants.models import Participant, Tally, looks_like_nik, read_tally
from participants.sensitive import can_reveal

ANCHOR_EVERY = 500
ANCHORS_KEPT = 24 * 60 * 60  # seconds; a change of the list's version replaces them sooner
BY_NAME = ["full_name", "pk"]
# How far a searched or filtered list counts its participants.
COUNT_BOUND = 1_000
# How far a search by NIK counts: a prefix of a district and a birth date matches a few
# thousand people in a million, all found through the NIK index and sorted apart.
NIK_COUNT_BOUND = 10_000
# A search with more matches than its bound looks for its page among this many first names
# of the name index; when they hold too few matches, its matches are sorted apart instead.
WALK_AT_MOST = 20_000


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


def count_bound(text: str, user) -> int:
    """How far a searched or filtered list is counted: ``COUNT_BOUND``, or for a search by
    NIK ``NIK_COUNT_BOUND`` (only users who may reveal find people by NIK)."""
    if can_reveal(user) and looks_like_nik(text):
        return NIK_COUNT_BOUND
    return COUNT_BOUND


def list_page(
    request,
    participants,
    *,
    bound: int | None = None,
    searched: bool = False,
    scope: list[int] | None = None,
) -> Page:
    """The page of ``participants`` the request asks for, its rows as :class:`ListRow`.

    ``bound`` (the user searched or filtered): counted no further; when more match,
    ``page.paginator.more`` is true and the pages stop at the bound. When all were counted,
    the page is taken from all of them, sorted apart (``_page_of_few``). ``searched``: a
    search by text narrows them (see ``bounded_count``). ``scope``: the user sees the people
    of these batches only (a coordinator); not narrowed, the list is counted and anchored
    as everyone's is, per scope. The page's ids are a subquery of the one query that reads
    its rows.
    """
    ordering = [*(participants.query.order_by or Participant._meta.ordering), "pk"]
    everyone = participants.is_everyone()
    tally = read_tally() if everyone or (scope is not None and bound is None) else None
    count, more = None, False
    if tally is not None:
        count = tally.count if everyone else scoped_count(tally, scope)
    elif bound is not None:
        found = bounded_count(participants, bound, searched=searched)
        count, more = min(found, bound), found > bound
    page = paginate(
        request,
        participants.order_by(*ordering).values_list("pk", flat=True),
        count=count,
        more=more,
    )
    count, start, end = page.paginator.count, page.start_index() - 1, page.end_index()
    rows = None if count else []
    if tally and ordering == BY_NAME and start >= ANCHOR_EVERY:
        rows = _rows_from_anchor(tally, start, end, count=count, scope=None if everyone else scope)
    if rows is None:
        postgresql = connection.vendor == "postgresql"
        if searched and more and postgresql:
            ids = _page_of_broad_search(
                participants, ordering, start, end, scoped=scope is not None
            )
        elif bound is not None and not more and postgresql:
            ids = _page_of_few(participants, ordering, start, end)
        # Past a bound the list goes on beyond ``count``: its other end is not there.
        elif not more and start > count // 2 and all(isinstance(f, str) for f in ordering):
            # From the other end in the opposite order: fewer entries to skip.
            backwards = [f[1:] if f.startswith("-") else f"-{f}" for f in ordering]
            ids = participants.order_by(*backwards).values("pk")[count - end : count - start]
        else:
            ids = participants.order_by(*ordering).values("pk")[start:end]
        rows = list_rows(Participant.objects.filter(pk__in=ids).order_by(*ordering))
    page.object_list = rows
    return page


def _page_of_broad_search(
    participants, ordering: list[str], start: int, end: int, *, scoped: bool
) -> list[int] | RawSQL:
    """The ids of the page of a search that matches more than its bound.

    PostgreSQL reads such a page along the name index, checking each name, and expects
    the matches spread evenly. A name that begins late in the alphabet ("siti") sits far
    down the index: the walk read 800,000 entries (2.8 s) where sorting its 18,000 matches
    takes 60 ms. So the page is looked for among the first ``WALK_AT_MOST`` names only, and
    when they do not hold it the matches are sorted apart. Within some batches (a
    coordinator's), the walk would skip the other batches' people too (2 s for "rahma" in
    one programme): their matches are always sorted apart.
    """
    if not scoped and ordering == BY_NAME:
        ids = _page_among_first_names(participants, start, end)
        if len(ids) == end - start:
            return ids
    return _page_of_few(participants, ordering, start, end)


def _page_among_first_names(participants, start: int, end: int) -> list[int]:
    """The ids of the page from ``start`` to ``end`` of ``participants`` (everyone's list,
    searched), looked for among the first ``WALK_AT_MOST`` participants in name order: the
    same query, its table read through that slice of the name index."""
    found = participants.order_by(*BY_NAME).values("pk")[start:end]
    try:
        sql, params = found.query.get_compiler(using=found.db).as_sql()
    except EmptyResultSet:
        return []
    table = connection.ops.quote_name(Participant._meta.db_table)
    first = f"FROM {table}"
    if sql.count(first) != 1:  # a subquery of the same table: not the query this is for
        return []
    slice_of_index = (
        f"FROM (SELECT * FROM {table} ORDER BY {connection.ops.quote_name('full_name')}, "
        f"{connection.ops.quote_name('id')} LIMIT %s) AS {table}"
    )
    with connections[found.db].cursor() as cursor:
        cursor.execute(sql.replace(first, slice_of_index), [WALK_AT_MOST, *params])
        return [pk for (pk,) in cursor.fetchall()]


def _page_of_few(participants, ordering: list[str], start: int, end: int) -> RawSQL:
    """The ids of the page from ``start`` to ``end`` of ``participants``, all of them read
    first (a materialised CTE, planned as such) and sorted apart: no more than a bound.

    Asked for the page directly, PostgreSQL may walk the name index and filter every row
    until the page is full: for 1,000 people known by id out of a million, 95 ms, and
    worse the fewer they are. A thousand rows sorted take a few milliseconds.
    """
    names = [field.removeprefix("-") for field in ordering]
    found = participants.order_by().values(*dict.fromkeys(names))
    sql, params = found.query.get_compiler(using=found.db).as_sql()
    quote = connection.ops.quote_name
    order = ", ".join(
        quote(name) + (" DESC" if field.startswith("-") else "")
        for field, name in zip(ordering, names, strict=True)
    )
    return RawSQL(
        f"WITH found AS MATERIALIZED ({sql}) "
        f"SELECT {quote('pk')} FROM found ORDER BY {order} LIMIT %s OFFSET %s",
        [*params, end - start, start],
    )


def bounded_count(participants, bound: int, *, searched: bool = False) -> int:
    """How many ``participants`` there are, counted no further than ``bound + 1``.

    A search by text is counted through a materialised CTE, planned as if every match were
    read: PostgreSQL then gathers the matches from the trigram (and NIK) indexes into a
    bitmap and stops after ``bound + 1`` rows of it. Asked for ``LIMIT`` directly, it
    expects a common fragment early in a sequential scan, which reads the table from its
    start until enough match (half of the million's table before the 1,001st "rahma").
    Filters alone keep the plain ``LIMIT``: an index in their order stops early.
    """
    ids = participants.order_by().values("pk")
    if not searched or connection.vendor != "postgresql":
        return ids[: bound + 1].count()
    try:
        sql, params = ids.query.get_compiler(using=ids.db).as_sql()
    except EmptyResultSet:  # a search that can match nobody
        return 0
    with connections[ids.db].cursor() as cursor:
        cursor.execute(
            f"WITH found AS MATERIALIZED ({sql}) "
            "SELECT count(*) FROM (SELECT 1 FROM found LIMIT %s) AS bounded",
            [*params, bound + 1],
        )
        return cursor.fetchone()[0]


# Each anchor is the participant ANCHOR_EVERY places after the one before, found from it
# through the name-and-id index: one pass over the index, without numbering every row. In a
# scope, the index's batch column (included in it) skips the people of other batches.
ANCHORS_SQL = """
WITH RECURSIVE anchor (full_name, id) AS (
    (SELECT full_name, id FROM participants_participant p WHERE {scope}
     ORDER BY full_name, id LIMIT 1)
    UNION ALL
    SELECT next.full_name, next.id FROM anchor, LATERAL (
        SELECT p.full_name, p.id FROM participants_participant p
        WHERE (p.full_name, p.id) > (anchor.full_name, anchor.id) AND {scope}
        ORDER BY p.full_name, p.id OFFSET %s LIMIT 1
    ) next
)
SELECT id FROM anchor
"""
IN_SCOPE = "p.cohort_id = ANY(%s)"


def _scope_key(tally: Tally, kind: str, scope: list[int] | None) -> str:
    """The cache key of ``kind`` for the list's version and scope (everyone, or a digest of
    the batches' ids: a batch moved to another programme changes a coordinator's scope)."""
    digest = "all" if scope is None else hashlib.sha256(repr(sorted(scope)).encode()).hexdigest()
    return f"participants:list-{kind}:{tally.version}:{digest[:24]}"


def _kept(tally: Tally, key: str, value) -> None:
    """Keep ``value`` only if the version did not change while it was read, so what is kept
    always belongs to the version it is kept under."""
    again = read_tally()
    if again is not None and again.version == tally.version:
        cache.set(key, value, ANCHORS_KEPT)


def scoped_count(tally: Tally, scope: list[int]) -> int:
    """How many people the batches of ``scope`` hold, counted once per version of the list
    (which changes with every addition, deletion, renaming and move to another batch)."""
    key = _scope_key(tally, "count", scope)
    found = cache.get(key)
    if found is None:
        found = Participant.objects.filter(cohort_id__in=scope).count()
        _kept(tally, key, found)
    return found


def anchors(tally: Tally, scope: list[int] | None = None) -> list[int]:
    """The ids of every ``ANCHOR_EVERY``-th participant in name order (of everyone, or of
    the batches of ``scope``), from the cache while the list's version holds (ids only: no
    name waits in the cache)."""
    key = _scope_key(tally, "anchors", scope)
    found = cache.get(key)
    if found is not None:
        return found
    with connection.cursor() as cursor:
        if scope is None:
            cursor.execute(ANCHORS_SQL.format(scope="TRUE"), [ANCHOR_EVERY - 1])
        else:
            ids = sorted(scope)
            cursor.execute(ANCHORS_SQL.format(scope=IN_SCOPE), [ids, ids, ANCHOR_EVERY - 1])
        found = [pk for (pk,) in cursor.fetchall()]
    _kept(tally, key, found)
    return found


# A page of the list in name order, from its anchor: the anchor's own (name, id) found by
# its id, then the index read on from there.
FROM_ANCHOR_SQL = """
SELECT id FROM participants_participant p
WHERE (full_name, id) >= (SELECT full_name, id FROM participants_participant WHERE id = %s)
AND {scope}
ORDER BY full_name, id OFFSET %s LIMIT %s
"""


def _rows_from_anchor(
    tally: Tally, start: int, end: int, *, count: int, scope: list[int] | None = None
) -> list[ListRow] | None:
    """The page's rows, its ids skipped to from its anchor; None (skip from an end instead)
    when the anchors do not fit the count, or when the page comes back short because its
    anchor was deleted since the version was read. (An anchor renamed in that same moment
    puts that one page where the new name stands; the next page drawn has new anchors.)"""
    found = anchors(tally, scope)
    if len(found) != math.ceil(count / ANCHOR_EVERY):
        return None
    index, skip = divmod(start, ANCHOR_EVERY)
    if scope is None:
        ids = RawSQL(FROM_ANCHOR_SQL.format(scope="TRUE"), [found[index], skip, end - start])
    else:
        ids = RawSQL(
            FROM_ANCHOR_SQL.format(scope=IN_SCOPE),
            [found[index], sorted(scope), skip, end - start],
        )
    rows = list_rows(Participant.objects.filter(pk__in=ids).order_by(*BY_NAME))
    return rows if len(rows) == end - start else None


def list_rows(participants) -> list[ListRow]:
    """The rows of these participants, in their order, reading only the columns shown.

    Plain values, not model instances: building 25 participants and asking each for its
    status and track labels took longer than reading them from the database.
    """
    statuses = {value: str(label) for value, label in Participant.Status.choices}
    tracks = {value: str(label) for value, label in Participant.Track.choices}
    batch = _("Batch %(number)s (%(year)s)")
    columns = participants.values_list(
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
    return [
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
        for pk, number, name, anonymised_at, status, track, batch_number, year, origin in columns
    ]
