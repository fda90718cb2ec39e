"""The dashboard's figures for what a user may see, in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum
from django.urls import reverse

from cohorts.models import OPERATING_CATEGORIES, Agreement, Cohort, Program
from delegation.roles import sees_everything
from participants.models import (
    CHECKED_STATUSES,
    CheckIn,
    Contract,
    CostItem,
    Document,
    Participant,
    Region,
    Status,
    departures,
    overdue_check_in_count,
    participant_mix,
)
from training import readiness
from training.models import Attendance, ExamResult, ExamType, Session
from welfare.figures import welfare_figures

BANJARMASIN = "63.71"
# The dashboard draws the newest batches one by one and sums up the earlier ones; the
# programme overview lists every batch.
SHOWN_BATCHES = 12


@dataclass(frozen=True, slots=True)
class BatchLine:
    """A batch as the dashboard lists it: read as plain values, not as a model instance
    (an organisation of twenty programmes has thousands of batches)."""

    pk: int
    number: int
    year: int
    status: str
    planned_departure: datetime.date | None

    def __str__(self) -> str:
        return Cohort.name_of(self.number, self.year)

    def get_absolute_url(self) -> str:
        return reverse("cohort_overview", args=[self.pk])


def whole_percent(part: int, whole: int) -> Decimal | None:
    """67 for 2 of 3: whole percent, rounded half up; None when there is nothing to count."""
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def dashboard_figures(
    user,
    *,
    today: datetime.date,
    program: Program | None = None,
    year: int | None = None,
    programs: list[Program] | None = None,
) -> dict:
    """The figures of what ``user`` may see; ``programs``, if given, are those they may see."""
    cohorts = Cohort.objects.visible_to(user)
    if program is not None:
        cohorts = cohorts.filter(program=program)
    if year is not None:
        cohorts = cohorts.filter(year=year)
    cohorts = [
        BatchLine(*values)
        for values in cohorts.order_by("program__name", "number").values_list(
            "pk", "number", "year", "status", "planned_departure"
        )
    ]
    unfiltered = program is None and year is None
    everyone = unfiltered and sees_everything(user)
    cohort_ids = None
    if everyone:
        people = Participant.objects.all()  # people not placed in a batch yet included
    else:
        # Whatever narrows the people narrows them by batch: naming the batches lets each
        # count read its index alone instead of joining every person to the batch table.
        cohort_ids = [c.pk for c in cohorts]
        people = Participant.objects.filter(cohort_id__in=cohort_ids)

    # Sent since the start: everyone who ever departed, counted once in their batch and
    # once in the year of their first departure (the batches and the years both add up to
    # the total). One pass over the stored first-departure dates.
    by_batch: dict[int | None, int] = defaultdict(int)
    by_year: dict[int, int] = defaultdict(int)
    # Everyone's counts come from the summaries PostgreSQL keeps (participants.models.tally).
    departed = departures() if everyone else None
    if departed is None:
        departed = (
            people.ever_departed()
            .values_list("cohort_id", "departed_on")
            .annotate(n=Count("*"))
            .order_by()
        )
    for cohort_id, departed_on, n in departed:
        by_batch[cohort_id] += n
        by_year[departed_on.year] += n
    sent = sum(by_batch.values())
    # One pass over the people for the status, track, gender, education and origin counts.
    mix = participant_mix() if everyone else None
    if mix is None:
        mix = list(
            people.values_list("status", "track", "gender", "education_level", "origin_id")
            .annotate(n=Count("*"))
            .order_by()
        )
    statuses: dict[str, int] = defaultdict(int)
    by_origin: dict[int, int] = defaultdict(int)
    for status, _track, _gender, _education, origin_id, n in mix:
        statuses[status] += n
        by_origin[origin_id] += n
    regions = {
        region.pk: region for region in Region.objects.filter(pk__in=by_origin).only("name", "code")
    }
    origins = sorted(
        (
            {"origin__name": regions[pk].name, "origin__code": regions[pk].code, "n": n}
            for pk, n in by_origin.items()
            if pk in regions
        ),
        key=lambda row: (-row["n"], row["origin__name"]),
    )
    total = sum(by_origin.values())
    from_city = sum(row["n"] for row in origins if row["origin__code"] == BANJARMASIN)

    def breakdown(column: int, labels: dict) -> list[tuple[str, int]]:
        counts: dict[str, int] = defaultdict(int)
        for row in mix:
            counts[row[column]] += row[-1]
        rows = sorted(counts.items(), key=lambda item: (-item[1], item[0] or ""))
        return [(str(labels.get(value, value or "—")), n) for value, n in rows]

    batches = [
        {"cohort": c, "sent": by_batch.get(c.pk, 0), "departure": c.planned_departure}
        for c in cohorts
    ]
    recent, earlier = _newest_batches(batches)
    return {
        # Duty of care in counts (no person named): for those who read case counts.
        "welfare": welfare_figures(people, today=today, cohort_ids=cohort_ids)
        if user.has_perm("welfare.view_case_counts")
        else None,
        "sent": sent,
        "sent_by_batch": batches,
        "recent_batches": recent,
        "earlier_batches": {"count": len(earlier), "sent": sum(row["sent"] for row in earlier)},
        "sent_by_year": sorted(by_year.items()),
        "statuses": [
            {
                "value": value,
                "label": label,
                "count": statuses.get(value, 0),
                "url": reverse("participants:participant_list") + f"?status={value}",
            }
            for value, label in Status.choices
            if value
            in {
                Status.IN_TRAINING,
                Status.READY,
                Status.POSTPONED,
                Status.WORKING,
                Status.EXTENDED,
                Status.COMPLETED,
                Status.WITHDRAWN,
                Status.RETURNED_EARLY,
            }
        ],
        "registered": total,
        "origins": origins[:10],
        "from_city": from_city,
        "from_elsewhere": total - from_city,
        "tracks": breakdown(1, dict(Participant.Track.choices)),
        "genders": breakdown(2, dict(Participant.Gender.choices)),
        "education": breakdown(3, dict(Participant.Education.choices)),
        "training": _training(people, cohorts, today),
        "money": _money(user, program, programs),
        "actions": _actions(
            user,
            people,
            people if unfiltered else Participant.objects.visible_to(user),
            today,
            checked=sum(statuses[status] for status in CHECKED_STATUSES),
        ),
        "retention": _retention(people),
    }


def _newest_batches(batches: list[dict]) -> tuple[list[dict], list[dict]]:
    """The SHOWN_BATCHES newest batches, in the list's order, and the others."""
    newest = sorted(
        range(len(batches)),
        key=lambda i: (
            batches[i]["cohort"].year,
            batches[i]["departure"] or datetime.date.min,
            batches[i]["cohort"].number,
        ),
        reverse=True,
    )[:SHOWN_BATCHES]
    shown = set(newest)
    return (
        [row for i, row in enumerate(batches) if i in shown],
        [row for i, row in enumerate(batches) if i not in shown],
    )


def _training(people, cohorts: list[BatchLine], today: datetime.date) -> dict:
    training = {Cohort.Status.TRAINING, Cohort.Status.READY}
    ids = [c.pk for c in cohorts if c.status in training]
    found = Cohort.objects.in_bulk(ids)
    active = [found[pk] for pk in ids if pk in found]
    sessions = Session.objects.filter(module__plan__cohort_id__in=ids).held_hours(
        today, group="module__plan__cohort_id"
    )
    held: dict[int, Decimal] = defaultdict(Decimal)
    for cohort_id, hours in sessions.values():
        held[cohort_id] += hours
    attended: dict[int, Decimal] = defaultdict(Decimal)
    for session_id, n in (
        Attendance.objects.filter(session_id__in=list(sessions), status__in=Attendance.ATTENDED)
        .values_list("session_id")
        .annotate(n=Count("*"))
    ):
        cohort_id, hours = sessions[session_id]
        attended[cohort_id] += hours * n
    trainees = dict(
        people.filter(
            cohort_id__in=ids, status__in=[Status.IN_TRAINING, Status.READY, Status.POSTPONED]
        )
        .values_list("cohort_id")
        .annotate(n=Count("*"))
    )
    exams = dict(
        ExamResult.objects.filter(participant__cohort_id__in=ids)
        .values_list("passed")
        .annotate(n=Count("*"))
    )
    rows = []
    for cohort in active:
        possible = held[cohort.pk] * trainees.get(cohort.pk, 0)
        rate = (attended[cohort.pk] * 100 / possible).quantize(Decimal("0.1")) if possible else None
        rows.append({"cohort": cohort, "attendance": rate, "trainees": trainees.get(cohort.pk, 0)})
    upcoming = sorted((c for c in active if c.planned_departure), key=lambda c: c.planned_departure)
    next_batch = None
    if upcoming:
        results = readiness.check_batch(upcoming[0])
        next_batch = {
            "cohort": upcoming[0],
            "ready": sum(1 for r in results.values() if r.ready),
            "total": len(results),
        }
    sat = exams.get(True, 0) + exams.get(False, 0)
    return {
        "batches": rows,
        "exam_pass_rate": whole_percent(exams.get(True, 0), sat),
        "exams": sat,
        "next_batch": next_batch,
    }


def _money(user, program: Program | None, programs: list[Program] | None) -> list[dict] | None:
    if not user.has_perm("participants.view_costitem"):
        return None
    items = CostItem.objects.visible_to(user)
    if program is not None:
        items = items.filter(program=program)
    totals: dict[int, dict] = {}
    if programs is None:
        programs = list(Program.objects.visible_to(user))
    by_pk = {p.pk: p for p in programs}
    for program_id, category, payer, amount, lines in items.values_list(
        "program_id", "category", "payer"
    ).annotate(total=Sum("amount_idr"), lines=Count("id")):
        row = totals.setdefault(
            program_id,
            {
                "program": by_pk.get(program_id),
                "sponsor": Decimal(0),
                "city": Decimal(0),
                "participant": Decimal(0),
                "operating": Decimal(0),
                "flagged": 0,
            },
        )
        if category in OPERATING_CATEGORIES:
            row["operating"] += amount
            continue
        row[payer] += amount
        covered = set(row["program"].sponsor_covers or []) if row["program"] else set()
        if payer == CostItem.Payer.PARTICIPANT or (
            payer == CostItem.Payer.CITY and category in covered
        ):
            row["flagged"] += lines
    return [row for row in totals.values() if row["program"] is not None]


def _actions(user, people, visible, today: datetime.date, *, checked: int) -> list[dict]:
    """What needs doing. ``people`` are those the figures count; ``visible``, everyone the
    user may see whatever the filters (the contracts list the figure links to shows them)."""
    six_months = today + datetime.timedelta(days=183)
    actions = []
    if user.has_perm("participants.view_contract"):
        # Like the list it links to: every contract the user may see, whatever the filters.
        ending = visible.rows_of(Contract.objects.ending_within(today=today, months=6)).count()
        actions.append(
            {
                "label": "contracts",
                "count": ending,
                "url": reverse("participants:contract_list") + "?ending=6",
            }
        )
    agreements = (
        Agreement.objects.visible_to(user)
        .filter(valid_until__gte=today, valid_until__lte=six_months)
        .count()
    )
    actions.append(
        {"label": "agreements", "count": agreements, "url": reverse("cohorts:program_list")}
    )
    if user.has_perm("participants.view_document"):
        documents = people.rows_of(Document.objects.current()).expiring(today).count()
        actions.append({"label": "documents", "count": documents, "url": reverse("notifications")})
    if user.has_perm("participants.view_checkin"):
        actions.append(
            {
                "label": "check_ins",
                "count": overdue_check_in_count(people, today=today, checked=checked),
                "url": reverse("participants:monitoring"),
            }
        )
        actions.append(
            {
                "label": "follow_ups",
                "count": people.rows_of(CheckIn.objects.open_follow_ups()).count(),
                "url": reverse("participants:monitoring"),
            }
        )
    return actions


def _retention(people) -> dict:
    values = people.rows_of(CheckIn.objects.all()).latest_per_participant()
    national = dict(
        people.rows_of(ExamResult.objects.filter(exam_type__kind=ExamType.Kind.NATIONAL))
        .values_list("passed")
        .annotate(n=Count("*"))
    )
    return {
        "people": len(values),
        "extend": whole_percent(
            sum(1 for c in values if c.wants_to_extend == CheckIn.Wish.YES), len(values)
        ),
        "family": whole_percent(
            sum(1 for c in values if c.wants_family == CheckIn.Wish.YES), len(values)
        ),
        "national_attempts": national.get(True, 0) + national.get(False, 0),
        "national_passes": national.get(True, 0),
    }
