"""Readiness for departure: computed, never ticked by hand.

``check(participant, on=None)`` and ``check_batch(cohort, on=None)`` answer, as of a reference
date (``on``, else the batch's planned departure, else today in Asia/Makassar), whether each
participant meets every requirement:

* attendance, overall and in each culture module, against the plan's threshold. Two figures
  are kept apart: attendance so far (attended hours, present or late, / hours held up to today,
  as the training pages show it) and whether the threshold can still be met by departure
  ((attended + hours still scheduled before the reference date) / all hours of the sessions
  up to the reference date). Before the reference date the verdict is the second; on or after
  it no session remains, and the two are the same: attended / held;
* every exam requirement group of the programme: any one of its exams passed;
* a passport valid 180 days past the reference date;
* every document the programme requires, present and valid on the reference date (one still
  valid today that lapses before then reads "valid until ... - expires before departure");
* a consent to the transfer of the person's data abroad naming the programme's partner, given
  on or before the reference date and not withdrawn by then (UU 27/2022 art. 56).

``today`` (else today in Asia/Makassar) separates what was held from what is still scheduled.

The batch version runs a fixed number of queries whatever the batch's size.
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cohorts.models import Cohort
from delegation.formatting import number
from participants.models import ConsentRecord, Document, DocumentRequirement, Participant
from training.models import (
    Attendance,
    ExamRequirement,
    ExamResult,
    Module,
    Session,
    session_hours,
)

PASSPORT_MARGIN = datetime.timedelta(days=180)
# Requirements about the training year (the batch, attendance, culture modules, exams): any
# role that sees the participant may read them. Every other requirement (the passport, the
# documents the programme requires, and any added later) is a fact about the participant's
# documents, read only by users who hold ``participants.view_document``.
TRAINING_KEYS = frozenset({"batch", "attendance"})
TRAINING_KEY_PREFIXES = ("module-", "exam-")


@dataclass
class Requirement:
    key: str
    label: str
    met: bool
    detail: str = ""


@dataclass
class Readiness:
    participant_id: int
    reference_date: datetime.date
    requirements: list[Requirement] = field(default_factory=list)
    # Attendance so far: attended / held up to today (None before any session was held).
    attendance_rate: Decimal | None = None

    @property
    def ready(self) -> bool:
        return bool(self.requirements) and all(r.met for r in self.requirements)

    @property
    def missing(self) -> list[str]:
        return [r.detail for r in self.requirements if not r.met]

    def snapshot(self) -> dict:
        """What is stored with a departure: readable later without recomputing."""
        return {
            "ready": self.ready,
            "reference_date": self.reference_date.isoformat(),
            "attendance_rate": None if self.attendance_rate is None else str(self.attendance_rate),
            "requirements": [asdict(r) for r in self.requirements],
        }


def is_training_requirement(key: str) -> bool:
    return key in TRAINING_KEYS or key.startswith(TRAINING_KEY_PREFIXES)


def reads_documents(user) -> bool:
    """Whether ``user`` may read the document requirements: which documents are missing,
    when the passport expires."""
    return user.has_perm("participants.view_document")


def requirements_shown_to(user, requirements: list) -> list:
    """The requirements ``user`` may read, of a live check (``Requirement``) or of the result
    stored with a departure (dicts). Whether the participant is ready stays the same for
    everyone: only the reasons about documents are left out."""
    if reads_documents(user):
        return list(requirements)
    return [
        r
        for r in requirements
        if is_training_requirement(r["key"] if isinstance(r, dict) else r.key)
    ]


def percent(part: Decimal, whole: Decimal) -> Decimal:
    """85.0 for 170 of 200: one decimal, rounded half up."""
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def reference_date(cohort: Cohort | None, on: datetime.date | None) -> datetime.date:
    if on is not None:
        return on
    if cohort is not None and cohort.planned_departure:
        return cohort.planned_departure
    return timezone.localdate()


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "j F Y")


def check(
    participant: Participant,
    on: datetime.date | None = None,
    *,
    today: datetime.date | None = None,
) -> Readiness:
    if participant.cohort_id is None:
        result = Readiness(participant.pk, reference_date(None, on))
        result.requirements.append(
            Requirement("batch", _("Batch"), False, _("Not placed in a batch yet."))
        )
        return result
    return check_batch(participant.cohort, on=on, participants=[participant], today=today)[
        participant.pk
    ]


def check_batch(
    cohort: Cohort,
    on: datetime.date | None = None,
    participants: list[Participant] | None = None,
    *,
    today: datetime.date | None = None,
) -> dict[int, Readiness]:
    """Readiness of each participant of the batch (or of those given), by participant id."""
    on = reference_date(cohort, on)
    today = today or timezone.localdate()
    if participants is None:
        # The whole batch: its rows are read by a subquery, not a long list of ids.
        members = Participant.objects.filter(cohort=cohort).values("pk")
        ids = list(members.order_by("participant_number").values_list("pk", flat=True))
    else:
        members = ids = [p.pk for p in participants]
    results = {pk: Readiness(pk, on) for pk in ids}
    if not ids:
        return results

    plan = cohort.plan
    _attendance(plan, members, on, today, results)
    _exams(cohort, members, on, results)
    _documents(cohort, members, on, today, results)
    _transfer_consent(cohort, members, on, results)
    return results


@dataclass
class _Hours:
    """One participant's hours in one scope (the whole plan or a culture module)."""

    attended: Decimal
    held: Decimal  # held up to today
    remaining: Decimal  # still scheduled after today, up to the reference date

    @property
    def so_far(self) -> Decimal | None:
        return percent(self.attended, self.held) if self.held else None

    @property
    def best(self) -> Decimal | None:
        """The most that can be reached by the reference date: every remaining hour attended."""
        planned = self.held + self.remaining
        return percent(self.attended + self.remaining, planned) if planned else None


def _attendance(plan, members, on, today, results) -> None:
    if plan is None:
        for result in results.values():
            result.requirements.append(
                Requirement(
                    "attendance",
                    _("Attendance by departure"),
                    False,
                    _("The batch has no training plan."),
                )
            )
        return
    modules = {m.pk: m for m in Module.objects.filter(plan=plan)}
    so_far = min(today, on)
    held_sessions: dict[int, tuple[int, Decimal]] = {}
    held_by_module: dict[int, Decimal] = defaultdict(Decimal)
    remaining_by_module: dict[int, Decimal] = defaultdict(Decimal)
    for session_id, module_id, day, start, end in (
        Session.objects.filter(module__plan=plan)
        .held(on)
        .values_list("id", "module_id", "date", "start_time", "end_time")
    ):
        hours = session_hours(start, end)
        if day <= so_far:
            held_sessions[session_id] = (module_id, hours)
            held_by_module[module_id] += hours
        else:
            remaining_by_module[module_id] += hours
    held_total = sum(held_by_module.values(), Decimal(0))
    remaining_total = sum(remaining_by_module.values(), Decimal(0))
    attended: dict[int, Decimal] = defaultdict(Decimal)
    attended_by_module: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    rows = Attendance.objects.filter(
        session_id__in=list(held_sessions),
        participant_id__in=members,
        status__in=Attendance.ATTENDED,
    ).values_list("participant_id", "session_id")
    for participant_id, session_id in rows:
        module_id, hours = held_sessions[session_id]
        attended[participant_id] += hours
        attended_by_module[participant_id, module_id] += hours

    threshold = plan.attendance_threshold
    needs = number(threshold)
    culture = [m for m in modules.values() if m.is_culture]
    # Labels and sentences are translated once per batch, not once per participant.
    label = _("Attendance by departure")
    sentences = {
        "none": _("No sessions held yet."),
        "actual": _("Attendance %(rate)s%% (needs %(threshold)s%%)."),
        "ahead": _("No sessions held yet; %(hours)s hours scheduled before departure."),
        "can": _(
            "Attendance so far %(rate)s%%; at most %(best)s%% by departure if every remaining "
            "session is attended (needs %(threshold)s%%)."
        ),
        "cannot": _(
            "Attendance so far %(rate)s%%; even attending every remaining session gives at "
            "most %(best)s%% by departure (needs %(threshold)s%%)."
        ),
    }
    module_sentences = {
        "none": _("%(module)s: no sessions held yet."),
        "actual": _("%(module)s: attendance %(rate)s%% (needs %(threshold)s%%)."),
        "ahead": _("%(module)s: no sessions held yet; %(hours)s hours scheduled before departure."),
        "can": _(
            "%(module)s: attendance so far %(rate)s%%; at most %(best)s%% by departure "
            "(needs %(threshold)s%%)."
        ),
        "cannot": _(
            "%(module)s: attendance so far %(rate)s%%; at most %(best)s%% by departure even "
            "attending every remaining session (needs %(threshold)s%%)."
        ),
    }

    def judge(hours: _Hours, texts: dict[str, str], extra: dict) -> tuple[bool, str]:
        """Before the reference date: can the threshold still be met? On it: is it met?"""
        best = hours.best
        if best is None:
            return False, texts["none"] % extra
        met = best >= threshold
        values = {
            **extra,
            "threshold": needs,
            "best": number(best, 1),
            "rate": number(hours.so_far, 1),
        }
        if not hours.remaining:
            return met, texts["actual"] % values
        if hours.so_far is None:
            return met, texts["ahead"] % {**values, "hours": number(hours.remaining)}
        return met, texts["can" if met else "cannot"] % values

    for pk, result in results.items():
        overall = _Hours(attended[pk], held_total, remaining_total)
        result.attendance_rate = overall.so_far
        met, detail = judge(overall, sentences, {})
        result.requirements.append(Requirement("attendance", label, met, detail))
        for module in culture:
            hours = _Hours(
                attended_by_module[pk, module.pk],
                held_by_module.get(module.pk, Decimal(0)),
                remaining_by_module.get(module.pk, Decimal(0)),
            )
            met, detail = judge(hours, module_sentences, {"module": module.name})
            result.requirements.append(Requirement(f"module-{module.pk}", module.name, met, detail))


def _exams(cohort, members, on, results) -> None:
    groups = list(
        ExamRequirement.objects.filter(program_id=cohort.program_id).prefetch_related("exam_types")
    )
    if not groups:
        return
    passed: dict[int, set[int]] = defaultdict(set)
    for participant_id, exam_type_id in ExamResult.objects.filter(
        participant_id__in=members, passed=True, date__lte=on
    ).values_list("participant_id", "exam_type_id"):
        passed[participant_id].add(exam_type_id)
    for group in groups:
        accepted = {t.pk for t in group.exam_types.all()}
        names = ", ".join(t.name for t in group.exam_types.all())
        key = f"exam-{group.pk}"
        met_detail = _("%(group)s: passed.") % {"group": group.name}
        unmet_detail = _("%(group)s: pass one of %(exams)s.") % {
            "group": group.name,
            "exams": names,
        }
        for pk, result in results.items():
            met = bool(accepted & passed[pk])
            result.requirements.append(
                Requirement(key, group.name, met, met_detail if met else unmet_detail)
            )


def _documents(cohort, members, on, today, results) -> None:
    required = list(
        DocumentRequirement.objects.filter(program_id=cohort.program_id).select_related(
            "document_type"
        )
    )
    wanted_codes = {"passport"} | {r.document_type.code for r in required}
    held: dict[tuple[int, str], list[datetime.date | None]] = defaultdict(list)
    for participant_id, code, expires_on in (
        Document.objects.current()
        .filter(participant_id__in=members, document_type__code__in=wanted_codes)
        .values_list("participant_id", "document_type__code", "expires_on")
    ):
        held[participant_id, code].append(expires_on)

    passport_until = on + PASSPORT_MARGIN
    # Sentences are translated once per batch, and each date is formatted once.
    passport = _("Passport")
    no_passport = _("No passport recorded.")
    passport_valid = _("Passport valid until %(date)s.")
    passport_short = _("The passport must be valid until at least %(date)s; it expires %(expiry)s.")
    expires_before = _("%(document)s: valid until %(date)s — expires before departure.")
    date = functools.cache(_date)  # each date written once per batch, in its language
    others = [
        (
            requirement.document_type.code,
            f"document-{requirement.document_type.code}",
            requirement.document_type.name,
            {
                state: sentence % {"document": requirement.document_type.name}
                for state, sentence in (
                    ("present", _("%(document)s: present.")),
                    ("expired", _("%(document)s: expired.")),
                    ("missing", _("%(document)s: missing.")),
                )
            },
        )
        for requirement in required
        if requirement.document_type.code != "passport"
    ]
    for pk, result in results.items():
        expiries = [e for e in held.get((pk, "passport"), []) if e is not None]
        latest = max(expiries, default=None)
        if latest is None:
            detail, met = no_passport, False
        else:
            met = latest >= passport_until
            detail = (
                passport_valid % {"date": date(latest)}
                if met
                else passport_short % {"date": date(passport_until), "expiry": date(latest)}
            )
        result.requirements.append(Requirement("passport", passport, met, detail))
        for code, key, name, details in others:
            expiries = held.get((pk, code), [])
            valid = any(e is None or e >= on for e in expiries)
            # Still valid today but lapsing before the reference date: not "expired".
            lapsing = max((e for e in expiries if e is not None and e >= today), default=None)
            if valid:
                detail = details["present"]
            elif lapsing is not None:
                detail = expires_before % {"document": name, "date": date(lapsing)}
            else:
                detail = details["expired" if expiries else "missing"]
            result.requirements.append(Requirement(key, name, valid, detail))


def _transfer_consent(cohort, members, on, results) -> None:
    """A consent in force on ``on`` to the transfer of the person's data to the partner."""
    consenting = set(
        ConsentRecord.objects.filter(
            participant_id__in=members,
            kind=ConsentRecord.Kind.TRANSFER,
            recipient_id=cohort.program.partner_id,
            given_on__lte=on,
        )
        .exclude(withdrawn_on__lte=on)
        .values_list("participant_id", flat=True)
    )
    label = _("Transfer consent")
    given = _("Consent to the transfer of personal data to %(partner)s: given.")
    missing = _("No consent to the transfer of personal data to %(partner)s (UU 27/2022).")
    partner = {"partner": cohort.program.partner.name}
    given, missing = given % partner, missing % partner
    for pk, result in results.items():
        met = pk in consenting
        result.requirements.append(
            Requirement("consent-transfer", label, met, given if met else missing)
        )
