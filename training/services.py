"""The moves that need the readiness check, and other workflows of the training year."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cohorts.models import Cohort
from participants.models import Participant, Status
from training import readiness
from training.models import Attendance, NonTeachingDay, Session


def _refuse_unless_ready(result: readiness.Readiness) -> None:
    if not result.ready:
        raise ValidationError(result.missing)


@transaction.atomic
def participant_mark_ready(*, participant: Participant, by, on: datetime.date | None = None):
    result = readiness.check(participant, on=on)
    _refuse_unless_ready(result)
    return participant.move(
        Status.READY,
        by=by,
        effective_date=result.reference_date,
        readiness=result.snapshot(),
    )


@transaction.atomic
def participant_depart(
    *, participant: Participant, by, departure_date: datetime.date, flight: str = ""
):
    """Depart one participant; the readiness result is stored with the move."""
    result = readiness.check(participant, on=departure_date)
    _refuse_unless_ready(result)
    return participant.move(
        Status.DEPARTED,
        by=by,
        effective_date=departure_date,
        departure_date=departure_date,
        flight=flight,
        readiness=result.snapshot(),
    )


@dataclass
class BatchDeparture:
    departed: list[Participant] = field(default_factory=list)
    stayed: list[tuple[Participant, list[str]]] = field(default_factory=list)


@transaction.atomic
def cohort_depart(*, cohort: Cohort, by, flight: str = "") -> BatchDeparture:
    """On the ceremony date every ready participant departs; the others stay, with reasons."""
    ceremony = getattr(cohort, "ceremony", None)
    if ceremony is None:
        raise ValidationError(_("Record the departure ceremony first."))
    day = ceremony.local_date()
    people = list(
        Participant.objects.filter(cohort=cohort)
        .exclude(status__in=[Status.WITHDRAWN])
        .order_by("participant_number")
    )
    waiting = [
        p for p in people if p.status in {Status.READY, Status.IN_TRAINING, Status.POSTPONED}
    ]
    results = readiness.check_batch(cohort, on=day, participants=waiting)
    report = BatchDeparture()
    for participant in waiting:
        result = results[participant.pk]
        if participant.status == Status.READY and result.ready:
            participant.move(
                Status.DEPARTED,
                by=by,
                effective_date=day,
                departure_date=day,
                flight=flight,
                readiness=result.snapshot(),
            )
            report.departed.append(participant)
        else:
            reasons = result.missing or [_("Not marked ready.")]
            if participant.status != Status.READY and result.ready:
                reasons = [_("Not marked ready.")]
            report.stayed.append((participant, reasons))
    if report.departed and cohort.status == Cohort.Status.READY:
        cohort.move_to(Cohort.Status.DEPARTED, today=day)
    return report


def schedule_dates(
    *,
    start: datetime.date,
    end: datetime.date,
    weekdays: set[int],
    skip: set[datetime.date] = frozenset(),
) -> tuple[list[datetime.date], list[tuple[datetime.date, str]]]:
    """The teaching dates on the chosen weekdays (0 = Monday), and the days skipped, with why."""
    holidays = dict(
        NonTeachingDay.objects.filter(date__range=(start, end)).values_list("date", "name")
    )
    dates, skipped = [], []
    day = start
    while day <= end:
        if day.weekday() in weekdays:
            if day in holidays:
                skipped.append((day, holidays[day]))
            elif day in skip:
                skipped.append((day, _("Listed to skip")))
            else:
                dates.append(day)
        day += datetime.timedelta(days=1)
    return dates, skipped


@transaction.atomic
def sessions_create(*, module, dates, start_time, end_time, instructor=None, guest="", topic=""):
    return Session.objects.bulk_create(
        [
            Session(
                module=module,
                date=day,
                start_time=start_time,
                end_time=end_time,
                instructor=instructor,
                guest_instructor=guest,
                topic=topic,
            )
            for day in dates
        ]
    )


@transaction.atomic
def attendance_save(*, session: Session, statuses: dict[int, tuple[str, str]]) -> int:
    """Save the session's attendance in one go: {participant id: (status, note)}.

    Rows that changed are updated one by one so their history is kept; new rows are created
    together. Unchanged rows are left alone.
    """
    existing = {a.participant_id: a for a in Attendance.objects.filter(session=session)}
    new = []
    changed = 0
    for participant_id, (status, note) in statuses.items():
        row = existing.get(participant_id)
        if row is None:
            new.append(
                Attendance(session=session, participant_id=participant_id, status=status, note=note)
            )
        elif (row.status, row.note) != (status, note):
            row.status, row.note = status, note
            row.save(update_fields=["status", "note"])
            changed += 1
    if new:
        Attendance.objects.bulk_create(new)
        Attendance.history.bulk_history_create(new)
    return len(new) + changed
