"""The selection's workflows: submitting an application, checking it, scoring, ranking,
the provisional result and its objection period, the decision and reserve replacement.

Each is a keyword-only function in one transaction; a refusal raises ``ValidationError``
with a message for the person at the desk and saves nothing.

Ranking (``call_rank``), as the committee explains it to an applicant:

* a stage's result is the mean of its assessors' scores, rounded half-up to two decimals
  (a pass/fail stage is passed when every assessor marked it passed);
* an applicant is ranked only when eligible (the call's rules and the administrative check)
  and with a result in every stage, passing every pass mark and pass/fail stage;
* the total is the weighted mean of the scored stages: Σ(weight × result) / Σ weight;
* within each track, higher totals first; a tie goes to the higher language-test result,
  then to the earlier submission; the first places up to the track's quota are selected,
  the next ``reserves`` are reserves, the others are not selected.
"""

from __future__ import annotations

import datetime
import warnings
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from delegation.audit import record_event
from delegation.models import AuditEvent
from delegation.roles import sees_everything
from delegation.uploads import validate_document_upload
from participants.models import Participant, Status
from participants.nik import normalise_nik
from participants.nik_regions import nik_check_for
from recruitment import eligibility
from recruitment.models import (
    Application,
    ApplicationDocument,
    Call,
    CommitteeMember,
    ConflictDeclaration,
    Objection,
    Replacement,
    Score,
    ScoreChange,
    Stage,
)

CENT = Decimal("0.01")

# Sent (with ``call=``) once a provisional result is published and committed: the layers above
# (the applicants' portal) tell the people concerned; recruitment knows nothing of them.
result_published = Signal()
# Sent (with ``application=``, ``participant=`` and ``by=``) for each application whose person
# became a participant (a decided call, a reserve called up), once committed: the portal links
# the applicant's account to the participant.
participant_made = Signal()
OBJECTION_WORKING_DAYS = 3

# The fields of an application the applicant gives (at the counter or on the portal).
APPLICANT_FIELDS = (
    "full_name",
    "nik",
    "nik_reason",
    "birth_date",
    "birth_place",
    "gender",
    "ktp_street",
    "ktp_village",
    "ktp_district",
    "ktp_regency",
    "domicile_street",
    "domicile_regency",
    "education_level",
    "education_field",
    "track",
    "phone",
    "email",
)


# ---- the calendar of the objection period ---------------------------------------------------


def working_days_after(start: datetime.date, days: int) -> datetime.date:
    """The ``days``-th working day after ``start``: weekends and Indonesia's public holidays
    (the ``holidays`` package's calendar) are not counted."""
    import holidays

    calendar = holidays.country_holidays("ID", years=range(start.year, start.year + 2))
    day, counted = start, 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in calendar:
            counted += 1
    return day


# ---- the call's status ---------------------------------------------------------------------


def call_move_blocker(call: Call, to: str) -> str | None:
    if to not in Call.MOVES[call.status]:
        return _("A call cannot go from “%(current)s” to “%(target)s”.") % {
            "current": call.get_status_display(),
            "target": Call.Status(to).label,
        }
    if to == Call.Status.OPEN:
        if not call.stages.exists():
            return _("Give the call its selection stages before opening it.")
        if call.quota_worker + call.quota_scholarship == 0:
            return _("Give the call a quota before opening it.")
    if to == Call.Status.SCORING and not call.committee.exists():
        return _("Name the selection committee before the selection starts.")
    return None


@transaction.atomic
def call_move(*, call: Call, to: str, by) -> Call:
    call = Call.objects.select_for_update().get(pk=call.pk)
    blocker = call_move_blocker(call, to)
    if blocker:
        raise ValidationError(blocker)
    call.status = to
    call.save(update_fields=["status"])
    return call


# ---- applications --------------------------------------------------------------------------


def _registration_number(call: Call) -> str:
    """The next registration number of the call, e.g. P004-0012; call in a transaction."""
    Call.objects.select_for_update().filter(pk=call.pk).first()
    prefix = f"P{call.pk:03d}-"
    last = (
        Application.objects.filter(call=call, registration_number__startswith=prefix)
        .aggregate(last=Max("registration_number"))
        .get("last")
    )
    sequence = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


def application_submit(
    *,
    call: Call,
    data: dict,
    documents: dict,
    channel: str,
    by=None,
    now: datetime.datetime | None = None,
) -> Application:
    """Register one person's application to ``call``.

    ``data`` holds the applicant's fields (``APPLICANT_FIELDS``; regions as ``Region``
    objects, the birth date as a date); ``documents`` maps a document's name (one of the
    call's ``required_documents``, or another) to an uploaded file; ``channel`` is
    ``Application.Channel.COUNTER`` or ``PORTAL``; ``by`` the staff member at the counter
    (None on the portal). The rules are checked at once and their reasons kept.
    """
    now = now or timezone.now()
    if channel not in Application.Channel.values:
        raise ValidationError(_("Unknown channel."))
    if not (call.status == Call.Status.OPEN and call.opens_at <= now < call.closes_at):
        raise ValidationError(_("This call is not accepting applications."))
    unknown = set(data) - set(APPLICANT_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    values = {name: data.get(name) for name in APPLICANT_FIELDS}
    for name in ("nik_reason", "birth_place", "ktp_street", "ktp_village", "ktp_district"):
        values[name] = (values[name] or "").strip()
    for name in ("domicile_street", "education_field", "phone", "email"):
        values[name] = (values[name] or "").strip()
    values["full_name"] = " ".join((values["full_name"] or "").split())
    values["nik"] = normalise_nik(values["nik"])
    errors = {}
    for required in ("full_name", "nik", "birth_date", "gender", "ktp_regency"):
        if not values[required]:
            errors[required] = _("This field is required.")
    for required in ("education_level", "track"):
        if not values[required]:
            errors[required] = _("This field is required.")
    if not errors:
        result = nik_check_for(
            values["nik"], birth_date=values["birth_date"], gender=values["gender"]
        )
        if result.errors:
            errors["nik"] = result.errors
        elif result.problems and not values["nik_reason"]:
            errors["nik"] = [
                *result.problems,
                _("The NIK disagrees with the data: correct it, or say why it is right."),
            ]
        elif not result.problems:
            values["nik_reason"] = ""
    for name, upload in documents.items():
        try:
            validate_scan(upload)
        except ValidationError as error:
            errors.setdefault("documents", []).extend(
                f"{name}: {message}" for message in error.messages
            )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if Application.objects.filter(call=call, nik=values["nik"]).exists():
            raise ValidationError(
                {"nik": _("Someone with this NIK has already applied to this call.")}
            )
        application = Application(
            call=call,
            channel=channel,
            submitted_at=now,
            submitted_by=by if by is not None and by.is_authenticated else None,
            **values,
        )
        reasons = eligibility.check(
            call,
            birth_date=values["birth_date"],
            gender=values["gender"],
            education_level=values["education_level"],
            region=application.region,
            track=values["track"],
            documents=list(documents),
        )
        application.auto_eligible = not reasons
        application.auto_reasons = reasons
        application.registration_number = _registration_number(call)
        application.full_clean(exclude=["registration_number"])
        application.save()
        for name, upload in documents.items():
            ApplicationDocument.objects.create(application=application, name=name, file=upload)
    return application


# A scan of an A4 page at 600 dpi is about 35 million pixels: past this, an image is not a
# scan but a decompression bomb (a few kilobytes that unpack to gigabytes in a viewer).
MAX_SCAN_PIXELS = 50_000_000


def validate_scan(upload) -> str:
    """An applicant's document: a real PDF, PNG or JPEG within the size limit
    (``validate_document_upload``), and an image of at most ``MAX_SCAN_PIXELS`` pixels
    that can be read; its kind."""
    kind = validate_document_upload(upload)
    if kind == "pdf":
        return kind
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        width, height = MAX_SCAN_PIXELS, 2
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("The image cannot be read; save it again as PNG or JPEG.")
        ) from None
    finally:
        upload.seek(0)
    if width * height > MAX_SCAN_PIXELS:
        raise ValidationError(
            _("The image is too large in pixels: scan it at a lower resolution (at most 300 dpi).")
        )
    return kind


def eligibility_reasons(application: Application) -> list[str]:
    """The rules' reasons for ``application``, in the active language, against the call's
    rules as they stand and the documents given."""
    return eligibility.check(
        application.call,
        birth_date=application.birth_date,
        gender=application.gender,
        education_level=application.education_level,
        region=application.region,
        track=application.track,
        documents=list(application.documents.values_list("name", flat=True)),
    )


@transaction.atomic
def call_recheck(*, call: Call) -> int:
    """Check every application again against the call's rules (after the rules changed
    while the call was a draft or open); the number whose result changed."""
    changed = 0
    for application in call.applications.select_related("call", "ktp_regency", "domicile_regency"):
        reasons = eligibility_reasons(application)
        if application.auto_eligible != (not reasons) or application.auto_reasons != reasons:
            changed += application.auto_eligible != (not reasons)
            application.auto_eligible, application.auto_reasons = not reasons, reasons
            application.save(update_fields=["auto_eligible", "auto_reasons"])
    return changed


@transaction.atomic
def application_check(*, application: Application, eligible: bool, reason: str, by) -> Application:
    """The administrative check by staff: eligible or not, with the reason."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.call.status not in (Call.Status.OPEN, Call.Status.CLOSED):
        raise ValidationError(
            _("The administrative check is made while the call is open or just closed.")
        )
    reason = reason.strip()
    if not eligible and not reason:
        raise ValidationError(_("Give the reason the applicant is not eligible."))
    application.admin_status = (
        Application.Check.ELIGIBLE if eligible else Application.Check.INELIGIBLE
    )
    application.admin_reason = reason
    application.admin_checked_by = by
    application.admin_checked_at = timezone.now()
    application.save(
        update_fields=["admin_status", "admin_reason", "admin_checked_by", "admin_checked_at"]
    )
    return application


# ---- the committee ------------------------------------------------------------------------


@transaction.atomic
def member_sign_pact(*, member: CommitteeMember, by) -> CommitteeMember:
    """The integrity pact, signed by the member (or recorded by the secretary from paper)."""
    _may_act_for(member, by)
    if member.pact_signed_at is None:
        member.pact_signed_at = timezone.now()
        member.save(update_fields=["pact_signed_at"])
    return member


@transaction.atomic
def conflict_declare(
    *, member: CommitteeMember, application: Application, relation: str, by
) -> ConflictDeclaration:
    """A member's relation to an applicant: from now on they cannot score that applicant."""
    _may_act_for(member, by)
    relation = relation.strip()
    if not relation:
        raise ValidationError(_("Say what the relation is."))
    if application.call_id != member.call_id:
        raise ValidationError(_("The applicant did not apply to this call."))
    if ConflictDeclaration.objects.filter(member=member, application=application).exists():
        raise ValidationError(_("This relation is already declared."))
    Score.objects.filter(member=member, application=application).delete()
    return ConflictDeclaration.objects.create(
        member=member, application=application, relation=relation
    )


def is_secretary(user, call: Call) -> bool:
    return CommitteeMember.objects.filter(
        call=call, user=user, position=CommitteeMember.Position.SECRETARY
    ).exists()


def _may_act_for(member: CommitteeMember, by) -> None:
    """A member acts for themselves; for a member without an account, the call's secretary
    or HR staff act on their behalf from the paper they signed."""
    if member.user_id is not None:
        if member.user_id != by.pk:
            raise ValidationError(_("Only %(name)s can do this.") % {"name": member.name})
        return
    if not (sees_everything(by) or is_secretary(by, member.call)):
        raise ValidationError(
            _("Only the committee's secretary enters what %(name)s signed on paper.")
            % {"name": member.name}
        )


def may_act_for(member: CommitteeMember, user) -> bool:
    try:
        _may_act_for(member, user)
    except ValidationError:
        return False
    return True


def members_entered_by(user, stage: Stage) -> list[CommitteeMember]:
    """The assessors of ``stage`` whose scores ``user`` enters: themselves, and for the
    secretary and HR staff the assessors without an account."""
    members = list(stage.assessors.order_by("name"))
    chosen = [m for m in members if m.user_id == user.pk]
    if sees_everything(user) or is_secretary(user, stage.call):
        chosen += [m for m in members if m.user_id is None]
    return chosen


# ---- stages and scores -------------------------------------------------------------------


@dataclass
class StageResult:
    stage: Stage
    result: Decimal | None = None  # the mean score of a scored stage
    passed: bool | None = None  # None: no result yet
    assessors: int = 0

    @property
    def shown(self) -> str:
        if self.passed is None:
            return "—"
        if self.stage.is_scored:
            return f"{self.result}"
        return _("Passed") if self.passed else _("Failed")


def stage_result(stage: Stage, scores: list[Score]) -> StageResult:
    """The stage's result from its assessors' scores."""
    if not scores:
        return StageResult(stage)
    if stage.is_scored:
        values = [s.value for s in scores if s.value is not None]
        if not values:
            return StageResult(stage)
        mean = (sum(values) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)
        passed = stage.pass_mark is None or mean >= stage.pass_mark
        return StageResult(stage, mean, passed, len(values))
    verdicts = [s.passed for s in scores if s.passed is not None]
    if not verdicts:
        return StageResult(stage)
    return StageResult(stage, None, all(verdicts), len(verdicts))


def _results(call: Call, applications) -> dict[int, dict[int, StageResult]]:
    stages = list(call.stages.order_by("order"))
    by_pair: dict[tuple[int, int], list[Score]] = {}
    for score in Score.objects.filter(stage__call=call, application__in=applications):
        by_pair.setdefault((score.application_id, score.stage_id), []).append(score)
    return {
        a.pk: {s.pk: stage_result(s, by_pair.get((a.pk, s.pk), [])) for s in stages}
        for a in applications
    }


def sitting(stage: Stage) -> list[Application]:
    """Who sits ``stage``: the eligible applicants who passed every earlier eliminating stage."""
    call = stage.call
    applications = list(call.applications.eligible().order_by("registration_number"))
    earlier = list(call.stages.filter(order__lt=stage.order, eliminates=True))
    if not earlier:
        return applications
    results = _results(call, applications)
    return [a for a in applications if all(results[a.pk][s.pk].passed for s in earlier)]


@dataclass
class ScoreEntry:
    application: Application
    value: Decimal | None = None
    passed: bool | None = None
    note: str = ""


@transaction.atomic
def scores_save(
    *, stage: Stage, member: CommitteeMember, entries: list[ScoreEntry], by, reason: str = ""
) -> int:
    """Save ``member``'s scores at ``stage`` (entered by ``by``); the number changed.

    Refused: a call not in its selection, a member not assessing the stage or without the
    integrity pact, an applicant the member declared a relation to or who does not sit the
    stage, and a change to a locked stage without a reason. Every change is kept."""
    stage = Stage.objects.select_for_update().select_related("call").get(pk=stage.pk)
    if stage.call.status not in (Call.Status.SCORING, Call.Status.PROVISIONAL):
        raise ValidationError(_("Scores are entered while the selection is under way."))
    if not stage.assessors.filter(pk=member.pk).exists():
        raise ValidationError(_("%(name)s does not assess this stage.") % {"name": member.name})
    _may_act_for(member, by)
    if member.pact_signed_at is None:
        raise ValidationError(
            _("%(name)s has not signed the integrity pact yet.") % {"name": member.name}
        )
    reason = reason.strip()
    barred = set(member.conflicts.values_list("application_id", flat=True))
    seated = {a.pk for a in sitting(stage)}
    existing = {s.application_id: s for s in Score.objects.filter(stage=stage, member=member)}
    changed = 0
    for entry in entries:
        application = entry.application
        if application.pk in barred:
            raise ValidationError(
                _("%(name)s declared a relation to %(applicant)s and cannot score them.")
                % {"name": member.name, "applicant": application.full_name}
            )
        if application.pk not in seated:
            raise ValidationError(
                _("%(applicant)s does not sit this stage.") % {"applicant": application.full_name}
            )
        value = entry.value if stage.is_scored else None
        passed = entry.passed if not stage.is_scored else None
        if stage.is_scored and value is not None and not Decimal(0) <= value <= Decimal(100):
            raise ValidationError(_("A score is between 0 and 100."))
        score = existing.get(application.pk)
        if value is None and passed is None:
            if score is not None:
                raise ValidationError(
                    _("A score once given cannot be emptied (%(applicant)s): change it instead.")
                    % {"applicant": application.full_name}
                )
            continue
        if score is None:
            if stage.locked and not reason:
                raise ValidationError(_("The stage is locked: give the reason for the change."))
            score = Score.objects.create(
                application=application,
                stage=stage,
                member=member,
                value=value,
                passed=passed,
                note=entry.note.strip(),
                entered_by=by,
            )
            if stage.locked:
                ScoreChange.objects.create(
                    score=score,
                    new_value=value,
                    new_passed=passed,
                    after_lock=True,
                    reason=reason,
                    changed_by=by,
                )
            changed += 1
            continue
        if score.value == value and score.passed == passed and score.note == entry.note.strip():
            continue
        if stage.locked and not reason:
            raise ValidationError(_("The stage is locked: give the reason for the change."))
        ScoreChange.objects.create(
            score=score,
            old_value=score.value,
            new_value=value,
            old_passed=score.passed,
            new_passed=passed,
            after_lock=stage.locked,
            reason=reason,
            changed_by=by,
        )
        score.value, score.passed, score.note, score.entered_by = (
            value,
            passed,
            entry.note.strip(),
            by,
        )
        score.save()
        changed += 1
    return changed


@transaction.atomic
def stage_lock(*, stage: Stage, by) -> Stage:
    """Lock the stage's scores: later changes need a reason and are kept in history."""
    stage = Stage.objects.select_for_update().get(pk=stage.pk)
    if stage.locked:
        raise ValidationError(_("The stage is already locked."))
    scored = set(Score.objects.filter(stage=stage).values_list("application_id", flat=True))
    missing = [a.full_name for a in sitting(stage) if a.pk not in scored]
    if missing:
        raise ValidationError(
            _("Some applicants have no score yet: %(names)s.") % {"names": ", ".join(missing[:10])}
        )
    stage.locked_at = timezone.now()
    stage.locked_by = by
    stage.save(update_fields=["locked_at", "locked_by"])
    return stage


# ---- ranking ----------------------------------------------------------------------------


@dataclass
class RankRow:
    application: Application
    results: list[StageResult] = field(default_factory=list)
    total: Decimal | None = None
    outcome: str = ""
    reason: str = ""
    rank: int | None = None

    @property
    def outcome_label(self) -> str:
        return Application.Outcome(self.outcome).label


def _total(results: list[StageResult]) -> Decimal | None:
    scored = [r for r in results if r.stage.is_scored and r.stage.weight > 0]
    weights = sum((r.stage.weight for r in scored), Decimal(0))
    if not weights:
        return None
    weighted = sum((r.stage.weight * r.result for r in scored), Decimal(0))
    return (weighted / weights).quantize(CENT, rounding=ROUND_HALF_UP)


def _failure(results: list[StageResult]) -> str:
    """Why the applicant is out of the ranking, or "" when they passed every stage."""
    for r in results:
        if r.passed is None:
            return _("No result in %(stage)s.") % {"stage": r.stage.name}
        if not r.passed:
            if r.stage.is_scored:
                return _("%(stage)s: %(result)s, below the pass mark of %(mark)s.") % {
                    "stage": r.stage.name,
                    "result": r.result,
                    "mark": r.stage.pass_mark,
                }
            return _("Did not pass %(stage)s.") % {"stage": r.stage.name}
    return ""


def call_rank(*, call: Call) -> list[RankRow]:
    """The ranked rows of the call: each track's ranked applicants in order, then those
    not ranked (failed a stage, then ineligible)."""
    stages = list(call.stages.order_by("order"))
    language = next((s for s in stages if s.kind == Stage.Kind.LANGUAGE and s.is_scored), None)
    applications = list(
        call.applications.select_related("ktp_regency").order_by("submitted_at", "pk")
    )
    results = _results(call, applications)
    ranked: dict[str, list[RankRow]] = {track: [] for track in Participant.Track.values}
    failed, ineligible = [], []
    for application in applications:
        row = RankRow(application, [results[application.pk][s.pk] for s in stages])
        if not application.eligible:
            row.outcome = Application.Outcome.INELIGIBLE
            reasons = eligibility_reasons(application) if not application.auto_eligible else []
            if application.admin_status == Application.Check.INELIGIBLE:
                reasons.append(application.admin_reason)
            row.reason = " ".join(reasons)
            ineligible.append(row)
            continue
        why = _failure(row.results)
        if why:
            row.outcome, row.reason = Application.Outcome.NOT_SELECTED, why
            failed.append(row)
            continue
        row.total = _total(row.results)
        ranked[application.track].append(row)

    def language_result(row: RankRow) -> Decimal:
        if language is None:
            return Decimal(0)
        found = next(r for r in row.results if r.stage.pk == language.pk)
        return found.result or Decimal(0)

    ordered = []
    for track, rows in ranked.items():
        rows.sort(
            key=lambda r: (
                -(r.total or Decimal(0)),
                -language_result(r),
                r.application.submitted_at,
                r.application.pk,
            )
        )
        quota = call.quota_for(track)
        for index, row in enumerate(rows, start=1):
            row.rank = index
            names = {"rank": index, "quota": quota, "track": Participant.Track(track).label}
            if index <= quota:
                row.outcome = Application.Outcome.SELECTED
                row.reason = _("Rank %(rank)d of %(track)s, within the quota of %(quota)d.") % names
            elif index <= quota + call.reserves:
                row.outcome = Application.Outcome.RESERVE
                row.reason = _("Rank %(rank)d of %(track)s: reserve %(reserve)d.") % {
                    **names,
                    "reserve": index - quota,
                }
            else:
                row.outcome = Application.Outcome.NOT_SELECTED
                row.reason = (
                    _("Rank %(rank)d of %(track)s, beyond the quota of %(quota)d and the reserves.")
                    % names
                )
            previous = rows[index - 2] if index > 1 else None
            if previous and previous.total == row.total:
                row.reason += " " + _(
                    "Tie on the total: placed by the language test, then the earlier submission."
                )
        ordered += rows
    return ordered + failed + ineligible


def call_rows(*, call: Call) -> list[RankRow]:
    """The ranking as shown: computed from the scores, with the outcomes kept on the
    applications once the call is decided (a reserve called later reads "selected")."""
    rows = call_rank(call=call)
    if call.status == Call.Status.DECIDED:
        called = {
            r.reserve_id: r
            for r in Replacement.objects.filter(call=call).select_related("withdrawn")
        }
        for row in rows:
            replacement = called.get(row.application.pk)
            if replacement is not None:
                row.outcome = Application.Outcome.SELECTED
                row.reason = _("Reserve %(rank)d called on %(day)s to replace %(name)s.") % {
                    "rank": row.rank - call.quota_for(row.application.track),
                    "day": timezone.localdate(replacement.at).strftime("%d-%m-%Y"),
                    "name": replacement.withdrawn.full_name,
                }
    return rows


def application_row(application: Application) -> RankRow | None:
    """The application's row of the published ranking (None before the result is out)."""
    if application.call.status not in (Call.Status.PROVISIONAL, Call.Status.DECIDED):
        return None
    return next(
        (row for row in call_rows(call=application.call) if row.application.pk == application.pk),
        None,
    )


def _store(rows: list[RankRow]) -> None:
    for row in rows:
        application = row.application
        application.outcome = row.outcome
        application.rank = row.rank
        application.total = row.total
        application.outcome_reason = row.reason[:300]
        application.save(update_fields=["outcome", "rank", "total", "outcome_reason"])


@transaction.atomic
def call_publish_result(
    *, call: Call, by, today: datetime.date, objection_until: datetime.date | None = None
) -> Call:
    """Publish the provisional result: the ranking is kept on each application and the
    objection period opens (``OBJECTION_WORKING_DAYS`` working days, unless HR sets the date)."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.status != Call.Status.SCORING:
        raise ValidationError(_("The result is published once the selection is under way."))
    unlocked = [s.name for s in call.stages.filter(locked_at__isnull=True)]
    if unlocked:
        raise ValidationError(
            _("Lock every stage first: %(names)s.") % {"names": ", ".join(unlocked)}
        )
    if objection_until is not None and objection_until < today:
        raise ValidationError(
            _("The objection period cannot end before the result is published (%(day)s).")
            % {"day": today.strftime("%d-%m-%Y")}
        )
    _store(call_rank(call=call))
    call.status = Call.Status.PROVISIONAL
    call.result_published_on = today
    call.objection_until = objection_until or working_days_after(today, OBJECTION_WORKING_DAYS)
    call.save(update_fields=["status", "result_published_on", "objection_until"])
    transaction.on_commit(lambda: result_published.send(sender=Call, call=call))
    return call


# ---- objections -------------------------------------------------------------------------


@transaction.atomic
def objection_record(
    *, call: Call, application: Application, text: str, received_on: datetime.date, by
) -> Objection:
    if call.status != Call.Status.PROVISIONAL:
        raise ValidationError(_("Objections are received while the provisional result stands."))
    if application.call_id != call.pk:
        raise ValidationError(_("The applicant did not apply to this call."))
    if not call.result_published_on <= received_on <= call.objection_until:
        raise ValidationError(
            _("The objection period runs from %(start)s to %(end)s.")
            % {
                "start": call.result_published_on.strftime("%d-%m-%Y"),
                "end": call.objection_until.strftime("%d-%m-%Y"),
            }
        )
    if not text.strip():
        raise ValidationError(_("Write down the objection."))
    return Objection.objects.create(
        call=call,
        application=application,
        text=text.strip(),
        received_on=received_on,
        recorded_by=by,
    )


@transaction.atomic
def objection_answer(
    *, objection: Objection, answer: str, verdict: str, by, today: datetime.date
) -> Objection:
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.call.status != Call.Status.PROVISIONAL:
        raise ValidationError(_("The call is decided: its objections are closed."))
    if not answer.strip():
        raise ValidationError(_("Write the committee's answer."))
    if verdict not in Objection.Verdict.values:
        raise ValidationError(_("Choose whether the objection is upheld or rejected."))
    objection.answer, objection.verdict = answer.strip(), verdict
    objection.answered_on, objection.answered_by = today, by
    objection.save()
    return objection


# ---- the decision -----------------------------------------------------------------------


def _participant_for(
    application: Application, *, by, today: datetime.date, reason: str
) -> Participant:
    """The selected applicant as a participant of the call's batch: created, or linked when
    the NIK is in the registry (as an applicant), placed in the batch and moved to selected."""
    call = application.call
    participant = Participant.objects.select_for_update().filter(nik=application.nik).first()
    if participant is None:
        participant = Participant(
            full_name=application.full_name,
            nik=application.nik,
            nik_reason=application.nik_reason,
            gender=application.gender,
            birth_date=application.birth_date,
            birth_place=application.birth_place,
            origin=application.ktp_regency,
            ktp_street=application.ktp_street,
            ktp_village=application.ktp_village,
            ktp_district=application.ktp_district,
            ktp_regency=application.ktp_regency,
            domicile_street=application.domicile_street,
            domicile_regency=application.domicile_regency,
            phone=application.phone,
            email=application.email,
            education_level=application.education_level,
            education_field=application.education_field,
            track=application.track,
            status=Status.APPLICANT,
        )
        participant.full_clean(exclude=["participant_number"])
        participant.save()
    elif participant.status != Status.APPLICANT:
        raise ValidationError(
            _("%(name)s is already in the registry as “%(status)s” and cannot be selected again.")
            % {"name": application.full_name, "status": participant.get_status_display()}
        )
    if participant.cohort_id != call.cohort_id:
        participant.place(call.cohort)
    participant.move(Status.SELECTED, by=by, effective_date=today, reason=reason)
    application.participant = participant
    application.save(update_fields=["participant"])
    transaction.on_commit(
        lambda: participant_made.send(
            sender=Application, application=application, participant=participant, by=by
        )
    )
    return participant


@transaction.atomic
def call_decide(*, call: Call, by, today: datetime.date | None = None) -> list[Participant]:
    """Close the objection period and decide: each selected applicant becomes a participant
    with status selected in the target batch; reserves keep their rank. All or nothing."""
    today = today or timezone.localdate()
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.status != Call.Status.PROVISIONAL:
        raise ValidationError(_("Only a provisional result can be decided."))
    if today <= call.objection_until:
        raise ValidationError(
            _("The objection period runs until %(day)s.")
            % {"day": call.objection_until.strftime("%d-%m-%Y")}
        )
    open_objections = call.objections.filter(verdict="").count()
    if open_objections:
        raise ValidationError(
            _("%(count)d objection(s) still await the committee's answer.")
            % {"count": open_objections}
        )
    rows = call_rank(call=call)
    _store(rows)
    reason = _("Selection decision: %(call)s") % {"call": call.title}
    participants = [
        _participant_for(row.application, by=by, today=today, reason=reason[:200])
        for row in rows
        if row.outcome == Application.Outcome.SELECTED
    ]
    call.status = Call.Status.DECIDED
    call.decided_on, call.decided_by = today, by
    call.save(update_fields=["status", "decided_on", "decided_by"])
    return participants


def next_reserve(call: Call, track: str) -> Application | None:
    return (
        call.applications.filter(
            track=track, outcome=Application.Outcome.RESERVE, replacing__isnull=True
        )
        .order_by("rank")
        .first()
    )


@transaction.atomic
def reserve_replace(
    *, withdrawn: Application, reason: str, by, today: datetime.date | None = None
) -> Replacement:
    """Replace a selected person who withdrew with the next reserve of their track, who
    becomes a participant of the batch. Recorded with who, when and why."""
    today = today or timezone.localdate()
    withdrawn = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "participant")
        .get(pk=withdrawn.pk)
    )
    call = withdrawn.call
    if call.status != Call.Status.DECIDED:
        raise ValidationError(_("Reserves are called once the call is decided."))
    if withdrawn.outcome != Application.Outcome.SELECTED or withdrawn.participant is None:
        raise ValidationError(_("Only a selected participant can be replaced."))
    if withdrawn.participant.status != Status.WITHDRAWN:
        raise ValidationError(_("%(name)s has not withdrawn.") % {"name": withdrawn.full_name})
    if Replacement.objects.filter(withdrawn=withdrawn).exists():
        raise ValidationError(
            _("%(name)s has already been replaced.") % {"name": withdrawn.full_name}
        )
    if not reason.strip():
        raise ValidationError(_("Give the reason for the replacement."))
    reserve = next_reserve(call, withdrawn.track)
    if reserve is None:
        raise ValidationError(_("No reserve is left in this track."))
    _participant_for(
        reserve,
        by=by,
        today=today,
        reason=(_("Reserve called to replace %(name)s") % {"name": withdrawn.full_name})[:200],
    )
    reserve.outcome = Application.Outcome.SELECTED
    reserve.outcome_reason = (
        _("Reserve %(rank)d called on %(day)s to replace %(name)s.")
        % {
            "rank": reserve.rank - call.quota_for(reserve.track),
            "day": today.strftime("%d-%m-%Y"),
            "name": withdrawn.full_name,
        }
    )[:300]
    reserve.save(update_fields=["outcome", "outcome_reason"])
    replacement = Replacement.objects.create(
        call=call, withdrawn=withdrawn, reserve=reserve, reason=reason.strip(), by=by
    )
    record_event(
        by,
        AuditEvent.Action.REPLACE,
        withdrawn,
        detail=f"{withdrawn} withdrew; replaced by reserve {reserve}. Reason: {reason.strip()}",
    )
    return replacement
