"""The moves that need the readiness check, and other workflows of the training year."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohorts.models import Cohort
from delegation.templatetags.delegation_tags import long_date
from participants.models import BEFORE_DEPARTURE, Participant, Status
from participants.services import BulkOutcome, each_participant
from training import readiness
from training.forms import judge
from training.models import Attendance, ExamResult, ExamType, NonTeachingDay, Session


def _refuse_unless_ready(result: readiness.Readiness) -> None:
    if not result.ready:
        raise ValidationError(result.missing)


@transaction.atomic
def participant_mark_ready(
    *, participant: Participant, by, on: datetime.date | None = None, reason: str = ""
):
    result = readiness.check(participant, on=on)
    _refuse_unless_ready(result)
    # Checked as of the planned departure, but dated the day it is recorded: the history
    # lists the moves in the order they happened.
    return participant.move(
        Status.READY,
        by=by,
        effective_date=timezone.localdate(),
        reason=reason,
        readiness=result.snapshot(),
    )


def participants_mark_ready(*, participants, by, reason: str = "") -> list[BulkOutcome]:
    """Mark each participant ready through the readiness check, each on its own: one who is
    not ready is refused with what is missing, and the others are marked."""

    def act(participant: Participant) -> str:
        change = participant_mark_ready(participant=participant, by=by, reason=reason)
        checked = datetime.date.fromisoformat(change.readiness["reference_date"])
        return _("Ready to depart, checked as of %(date)s.") % {"date": long_date(checked)}

    return each_participant(participants, act)


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
    if report.departed:
        # The batch departs with its people; those who stayed are moved or postponed later.
        if cohort.status == Cohort.Status.TRAINING:
            cohort.move_to(Cohort.Status.READY, today=day)
        if cohort.status == Cohort.Status.READY:
            cohort.move_to(Cohort.Status.DEPARTED, today=day)
    return report


# The batch's own status follows its people.

# Members who no longer count against a batch's moves: they left it.
GONE = frozenset({Status.WITHDRAWN})


def cohort_move_blocker(cohort: Cohort, status: str, *, today: datetime.date) -> str | None:
    """Why the batch cannot move to ``status`` today, its own checks and its people's."""
    blocker = cohort.move_blocker(status, today=today)
    if blocker:
        return blocker
    members = Participant.objects.in_cohort(cohort).exclude(status__in=GONE)
    if status == Cohort.Status.READY:
        if not members.filter(status=Status.READY).exists():
            return _("Nobody in the batch is ready to depart yet.")
        waiting = members.exclude(status__in=[Status.READY, Status.POSTPONED]).count()
        if waiting:
            return ngettext(
                "%(count)d participant is not ready yet: mark them ready or postponed, "
                "record their withdrawal, or move them to another batch.",
                "%(count)d participants are not ready yet: mark them ready or postponed, "
                "record their withdrawal, or move them to another batch.",
                waiting,
            ) % {"count": waiting}
    if status == Cohort.Status.DEPARTED:
        return _("A batch departs with its people: use “Depart the batch” on the ceremony day.")
    if status == Cohort.Status.CLOSED:
        staying = members.filter(status__in=BEFORE_DEPARTURE).count()
        if staying:
            return ngettext(
                "%(count)d participant has not departed: move them to another batch or "
                "record their withdrawal first.",
                "%(count)d participants have not departed: move them to another batch or "
                "record their withdrawal first.",
                staying,
            ) % {"count": staying}
    return None


def cohort_allowed_moves(cohort: Cohort, *, today: datetime.date) -> list[str]:
    return [
        status
        for status in Cohort.MOVES[cohort.status]
        if cohort_move_blocker(cohort, status, today=today) is None
    ]


@transaction.atomic
def cohort_move(*, cohort: Cohort, status: str, by, today: datetime.date | None = None) -> Cohort:
    """Move the batch to ``status`` when its dates, its ceremony and its people agree."""
    today = today or timezone.localdate()
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    blocker = cohort_move_blocker(cohort, status, today=today)
    if blocker:
        raise ValidationError(blocker)
    cohort.move_to(status, today=today)
    return cohort


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


def attendance_blocker(session: Session, *, today: datetime.date) -> str | None:
    """Why the session's attendance cannot be recorded today, or None when it can."""
    if session.date > today:
        return _("Attendance can be recorded from the day of the session (%(date)s).") % {
            "date": long_date(session.date)
        }
    cohort = session.module.plan.cohort
    if cohort.status in {Cohort.Status.DEPARTED, Cohort.Status.CLOSED}:
        return _("%(cohort)s has departed: its attendance is closed.") % {"cohort": cohort}
    return None


@transaction.atomic
def attendance_save(
    *, session: Session, statuses: dict[int, tuple[str, str]], today: datetime.date | None = None
) -> int:
    """Save the session's attendance in one go: {participant id: (status, note)}.

    Refused (nothing saved) for a session still to come and for a batch that has departed.

    Rows that changed are updated one by one so their history is kept; new rows are created
    together. Unchanged rows are left alone.
    """
    blocker = attendance_blocker(session, today=today or timezone.localdate())
    if blocker:
        raise ValidationError(blocker)
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


@dataclass(frozen=True)
class BatchExamOutcome:
    """How many results were saved, or why each refused row was refused (then none was)."""

    saved: int = 0
    row_errors: dict[int, str] = field(default_factory=dict)


def score_from_text(text: str) -> Decimal:
    """A score as typed ("187,5" or "187.5"); ``ValueError`` for anything else, a negative
    number, or more digits than the column holds (at most 99999.9)."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite() or value < 0:  # NaN cannot be compared: check it first
        raise ValueError(text)
    try:
        ExamResult._meta.get_field("score").run_validators(value)
    except ValidationError:
        raise ValueError(text) from None
    return value


def cohort_exams_record(
    *,
    people: list[Participant],
    exam_type: ExamType,
    date: datetime.date,
    entries: dict[int, tuple[str, str]],
    by,
) -> BatchExamOutcome:
    """Record one exam's results for a batch at once. ``entries`` holds the score and the
    verdict typed for each participant's id; a row with neither is skipped. Every row is
    checked first: one wrong row saves nothing and each wrong row gets its reason."""
    results, row_errors = [], {}
    for person in people:
        score_text, verdict = (part.strip() for part in entries.get(person.pk, ("", "")))
        if not score_text and not verdict:
            continue
        try:
            score = score_from_text(score_text) if score_text else None
        except ValueError:
            row_errors[person.pk] = _("“%(value)s” is not a score.") % {
                "value": score_text.replace(",", ".")
            }
            continue
        passed, error = judge(exam_type, score, verdict)
        if error:
            row_errors[person.pk] = error
            continue
        results.append(
            ExamResult(
                participant=person,
                exam_type=exam_type,
                date=date,
                score=score,
                passed=passed,
                recorded_by=by,
            )
        )
    if row_errors or not results:
        return BatchExamOutcome(row_errors=row_errors)
    with transaction.atomic():
        ExamResult.objects.bulk_create(results)
        ExamResult.history.bulk_history_create(results)
    return BatchExamOutcome(saved=len(results))
