from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohorts.models import Cohort
from delegation.audit import record_event
from delegation.jobs import run_work, start_job
from delegation.models import AuditEvent, Job
from participants import importer
from participants.listing import NIK_COUNT_BOUND, bounded_count
from participants.models import (
    Contract,
    Participant,
    ParticipantQuerySet,
    Status,
    contract_end,
    looks_like_nik,
    quota_check,
    quota_taken,
)

logger = logging.getLogger(__name__)


class SearchLimitReached(Exception):
    """The user made more searches that look like a NIK this minute than they may."""


def participants_search(*, user, text: str) -> ParticipantQuerySet:
    """The participants ``user`` sees that ``text`` finds, checked by ``nik_search_check``."""
    found = Participant.objects.visible_to(user).search(text, user=user)
    nik_search_check(user=user, text=text, found=found)
    return found


def nik_search_check(*, user, text: str, found: models.QuerySet) -> None:
    """Count and log a search whose text looks like a NIK (six digits or more); others pass.

    Each one is counted against the user's limit of ``NIK_SEARCH_LIMIT`` a minute and written
    to the audit log with how many people it found (``found``), counted no further than
    ``NIK_COUNT_BOUND`` (a six-digit prefix can match a fifth of a million people); the
    digits themselves are written nowhere. Past the limit it raises ``SearchLimitReached``,
    and the refusal is logged too.
    """
    if not looks_like_nik(text):
        return
    if not _nik_search_allowed(user):
        record_event(
            user, AuditEvent.Action.SEARCH, detail="NIK-like search refused: limit reached"
        )
        raise SearchLimitReached
    matched = bounded_count(found, NIK_COUNT_BOUND, searched=True)
    shown = f"more than {NIK_COUNT_BOUND}" if matched > NIK_COUNT_BOUND else str(matched)
    record_event(user, AuditEvent.Action.SEARCH, detail=f"NIK-like search: {shown} matched")


def search_limit_message() -> str:
    return _(
        "Too many searches by number: at most %(limit)d a minute. Wait a minute, then search again."
    ) % {"limit": settings.NIK_SEARCH_LIMIT}


def _nik_search_allowed(user) -> bool:
    """Count this search in the user's minute; False once past the limit.

    Without a cache to count in, searches are allowed (and still logged): a user who may not
    reveal personal data finds nobody by number anyway."""
    key = f"nik-search:{user.pk}:{timezone.now():%Y%m%d%H%M}"
    try:
        cache.add(key, 0, timeout=120)
        count = cache.incr(key)
    except Exception:  # the cache is down: see the docstring
        logger.warning("NIK search limit not counted: the cache is unavailable", exc_info=True)
        return True
    return count <= settings.NIK_SEARCH_LIMIT


# Job kinds (stored in Job.kind: never rename them).
IMPORT_JOB = "participant_import"
IMPORT_CHECK_JOB = "participant_import_check"
# A file with more data rows than this is checked (the preview) by a background job, with its
# progress on the import page, instead of in the web request.
CHECK_IN_BACKGROUND_ROWS = 2000
# The problems a background check keeps for the page (the count is always kept).
CHECK_ERRORS_KEPT = 500


def import_row_count(handle, name: str) -> int:
    """The data rows of an uploaded file, counted without reading its cells: the lines of a
    CSV file, the dimension an XLSX sheet declares (both less the header)."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(handle, read_only=True).active
            rows = sheet.max_row or 0
        except Exception:  # not a workbook: the check itself says so, in the request
            return 0
    else:
        rows = sum(1 for line in handle if line.strip())
    return max(rows - 1, 0)


def import_check_request(*, pending: dict, user) -> Job:
    """Check the uploaded file in the background; the import page shows the job's progress."""
    return start_job(
        kind=IMPORT_CHECK_JOB,
        params={key: pending[key] for key in ("path", "name", "historical")},
        user=user,
    )


def import_check_from_job(*, job_id: int, storage, worker: str = "") -> int:
    """Check the file a check job describes; the job keeps the row count and the problems."""

    def work(job: Job) -> int:
        params = job.params
        try:
            with storage.open(params["path"], "rb") as handle:
                try:
                    table = importer.read_table(handle, params["name"])
                except importer.ImportFileError as error:
                    result = importer.ImportResult(errors=[importer.RowError(0, "", str(error))])
                else:
                    job.set_progress(30)
                    result = importer.check_table(table, historical=params["historical"])
        except FileNotFoundError:
            job.fail(_("The uploaded file is no longer there: upload it again."))
            return 0
        job.params = {
            **params,
            "rows": len(result.rows),
            "error_count": result.error_count,
            "errors": [
                [error.line, error.column, str(error.message)]
                for error in result.errors[:CHECK_ERRORS_KEPT]
            ],
            "more_errors": result.error_count - len(result.errors[:CHECK_ERRORS_KEPT]),
        }
        job.save(update_fields=["params"])
        job.finish()
        return len(result.rows)

    return run_work(job_id, work, worker=worker) or 0


def import_upload_keep(
    *, upload, cohort: Cohort | None, historical: bool, replacing: dict | None = None
) -> dict:
    """Keep an uploaded import file under a fresh random name, in place of the upload it
    corrects (``replacing``), and describe it for the preview: the pending import."""
    if replacing and replacing.get("path"):
        default_storage.delete(replacing["path"])
    suffix = PurePath(upload.name).suffix.lower()
    path = default_storage.save(f"imports/{uuid.uuid4().hex}{suffix}", upload)
    return {
        "path": path,
        "name": upload.name,
        "cohort": cohort.pk if cohort else None,
        "historical": historical,
    }


def import_check_start(*, pending: dict, user) -> Job | None:
    """The background check of a large pending file, started now; None for a file small
    enough to be checked in the request. ``FileNotFoundError`` when the file is gone."""
    with default_storage.open(pending["path"], "rb") as handle:
        if import_row_count(handle, pending["name"]) <= CHECK_IN_BACKGROUND_ROWS:
            return None
    return import_check_request(pending=pending, user=user)


def import_quota_problem(cohort: Cohort | None, count: int) -> str | None:
    """Why the batch has no room for ``count`` more people, or None: said by the preview
    already, and checked again when the import is confirmed. Names the quota and how many
    rows are beyond it."""
    if cohort is None:
        return None
    try:
        with transaction.atomic():
            quota_check(cohort, adding=count)
    except ValidationError as error:
        excess = count - max(cohort.quota - quota_taken(cohort), 0)
        beyond = ngettext(
            "%(excess)d row of the file is beyond the quota.",
            "%(excess)d rows of the file are beyond the quota.",
            excess,
        ) % {"excess": excess}
        return " ".join([*error.messages, beyond])
    return None


class ImportAlreadyConfirmed(ValidationError):
    """Another confirmation of the same preview came first."""


def preview_token(pending: dict) -> str:
    """What names one uploaded preview: its stored file's random name (a fresh upload, a
    fresh name)."""
    return PurePath(pending["path"]).stem


def _claim_preview(create: Callable[[], Job]) -> Job:
    """Make the import's job, keyed by the preview's token. The unique constraint on live
    jobs lets one exist: a second confirmation (a double click, a second tab, a colleague at
    the same moment) waits for the first to commit and is then refused, nothing imported."""
    try:
        with transaction.atomic():
            return create()
    except IntegrityError:
        raise ImportAlreadyConfirmed(
            _("This file has already been imported (or is being imported): nothing was added.")
        ) from None


def _import_params(pending: dict, cohort: Cohort | None) -> dict:
    return {
        "path": pending["path"],
        "name": pending["name"],
        "cohort": cohort.pk if cohort else None,
        "historical": pending["historical"],
    }


def participants_import_request(*, pending: dict, cohort: Cohort | None, user) -> Job:
    """A background import of the uploaded file ``pending`` describes (the preview's session
    entry), once per preview (``ImportAlreadyConfirmed``). Refused, with nothing saved, when
    background work is unavailable."""
    return _claim_preview(
        lambda: start_job(
            kind=IMPORT_JOB,
            params=_import_params(pending, cohort),
            user=user,
            checksum=preview_token(pending),
        )
    )


@transaction.atomic
def participants_import_now(
    *, pending: dict, cohort: Cohort | None, rows: list[importer.ParsedRow], user
) -> Job:
    """Import the checked ``rows`` of a small file in the request, once per preview
    (``ImportAlreadyConfirmed``); its done job records it. The uploaded file is removed once
    the import is committed."""
    job = _claim_preview(
        lambda: Job.objects.create(
            kind=IMPORT_JOB,
            checksum=preview_token(pending),
            params=_import_params(pending, cohort),
            status=Job.Status.RUNNING,
            started_at=timezone.now(),
            requested_by=user,
        )
    )
    importer.save_rows(rows, cohort=cohort, by=user, historical=pending["historical"])
    job.finish()
    path = pending["path"]
    transaction.on_commit(lambda: default_storage.delete(path))
    return job


def participants_import_from_job(*, job_id: int, storage, worker: str = "") -> int:
    """Run the import a Job describes, once: the rows and the job's "done" are committed
    together, so a worker killed half-way leaves neither, and the job is sent again."""

    def work(job: Job) -> int:
        params = job.params
        cohort = Cohort.objects.filter(pk=params["cohort"]).first() if params["cohort"] else None
        try:
            with storage.open(params["path"], "rb") as handle:
                result = importer.check_file(
                    handle, params["name"], historical=params["historical"]
                )
        except FileNotFoundError:
            job.fail(_("The uploaded file is no longer there: upload it again."))
            return 0
        if not result.ok:
            first = result.errors[0]
            job.fail(
                f"{result.error_count} errors; line {first.line} {first.column}: {first.message}"
            )
            return 0
        try:
            with transaction.atomic():
                importer.save_rows(
                    result.rows,
                    cohort=cohort,
                    by=job.requested_by,
                    historical=params["historical"],
                    progress=job.set_progress,
                )
                job.finish()
        except ValidationError as error:  # the batch filled up or a NIK was taken meanwhile
            job.fail(" ".join(error.messages))
            return 0
        storage.delete(params["path"])
        return len(result.rows)

    return run_work(job_id, work, worker=worker) or 0


# An uploaded file waits for its preview (a session lasts at most 12 hours) or its job: one
# older than this that no waiting job needs is personal data nobody will import.
IMPORT_FILES_KEPT = datetime.timedelta(hours=24)


def discard_stale_imports(*, storage, now: datetime.datetime | None = None) -> int:
    """Delete uploaded import files left behind by abandoned previews and failed jobs."""
    if not storage.exists("imports"):
        return 0
    cutoff = (now or timezone.now()) - IMPORT_FILES_KEPT
    waiting = set(
        Job.objects.filter(
            kind__in=[IMPORT_JOB, IMPORT_CHECK_JOB],
            status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
        ).values_list("params__path", flat=True)
    )
    removed = 0
    for name in storage.listdir("imports")[1]:
        path = f"imports/{name}"
        if path in waiting or storage.get_modified_time(path) >= cutoff:
            continue
        storage.delete(path)
        removed += 1
    return removed


# Contracts. Each service moves the participant's status in the same transaction.


def _contract_fields(contract: Contract) -> dict:
    return {
        "participant": contract.participant,
        "employer": contract.employer,
        "facility": contract.facility,
        "subdivision": contract.subdivision,
        "prefecture": contract.prefecture,
        "city": contract.city,
        "position": contract.position,
        "monthly_salary": contract.monthly_salary,
        "salary_currency": contract.salary_currency,
    }


def _start(contract: Contract, *, by) -> None:
    """Make a contract active: a departed participant starts working with it, and one working
    under the contract it extends is marked "extended" from its first day."""
    contract.status = Contract.Status.ACTIVE
    contract.save(update_fields=["status"])
    participant = contract.participant
    if participant.status == Status.DEPARTED:
        participant.move(Status.WORKING, by=by, effective_date=contract.start_date)
    elif participant.status == Status.WORKING and _is_extension(contract):
        participant.move(
            Status.EXTENDED,
            by=by,
            effective_date=contract.start_date,
            reason=_("Contract extended"),
        )


def _is_extension(contract: Contract) -> bool:
    return contract.continues_id is not None and (
        contract.continues.status == Contract.Status.EXTENDED
    )


# The ways a person leaves work abroad, and how their running contract ends with each.
LEAVING = {
    Status.COMPLETED: Contract.Status.COMPLETED,
    Status.RETURNED_EARLY: Contract.Status.TERMINATED,
    Status.DECEASED: Contract.Status.TERMINATED,
}


@transaction.atomic
def participant_leave_abroad(
    *, participant: Participant, status: str, on: datetime.date, reason: str, by
):
    """The one way a person leaves work abroad (completed, returned early, deceased): the
    status moves and the active contract ends on the same date with the same reason;
    contracts signed but not started end too. Returns the status change."""
    if status not in LEAVING:
        raise ValidationError(_("This move does not leave work abroad."))
    change = participant.move(status, by=by, effective_date=on, reason=reason)
    for contract in participant.contracts.filter(
        status__in=[Contract.Status.ACTIVE, Contract.Status.DRAFT]
    ).select_for_update():
        if contract.status == Contract.Status.ACTIVE:
            contract.status = LEAVING[status]
        else:
            contract.status = Contract.Status.TERMINATED
        contract.ended_on = on
        contract.end_reason = reason.strip() or change.get_to_status_display()
        contract.save(update_fields=["status", "ended_on", "end_reason"])
    return change


@transaction.atomic
def contract_create(*, participant: Participant, by, today: datetime.date, **fields) -> Contract:
    """Record a signed contract; it starts now if its first day has come and no other runs."""
    fields.setdefault("term_years", participant.contract_years)
    fields["end_date"] = contract_end(fields["start_date"], fields["term_years"])
    contract = Contract.objects.create(
        participant=participant, status=Contract.Status.DRAFT, **fields
    )
    abroad = participant.status in {Status.DEPARTED, Status.WORKING, Status.EXTENDED}
    if abroad and contract.start_date <= today and not participant.contracts.active().exists():
        _start(contract, by=by)
    return contract


@transaction.atomic
def contract_extend(*, contract: Contract, term_years: int, by) -> Contract:
    """A new contract from the day after the old end, signed now and started then.

    The running contract stays active to its end; on the new one's first day the daily task
    marks the old one extended, starts the new one, and the person "extended" from that date.
    """
    if contract.status != Contract.Status.ACTIVE:
        raise ValidationError(_("Only an active contract can be extended."))
    if Contract.objects.filter(continues=contract).exists():
        raise ValidationError(_("This contract has already been extended."))
    start = contract.end_date + datetime.timedelta(days=1)
    return Contract.objects.create(
        **_contract_fields(contract),
        start_date=start,
        term_years=term_years,
        end_date=contract_end(start, term_years),
        signed_on=timezone.localdate(),
        status=Contract.Status.DRAFT,
        continues=contract,
    )


@transaction.atomic
def contract_change_employer(
    *, contract: Contract, by, start_date: datetime.date, today: datetime.date, **fields
) -> Contract:
    """End the running contract the day before the new one starts, and start the new one."""
    if contract.status != Contract.Status.ACTIVE:
        raise ValidationError(_("Only an active contract can move to another employer."))
    if start_date <= contract.start_date:
        raise ValidationError(_("The new contract must start after the current one started."))
    contract.status = Contract.Status.COMPLETED
    contract.ended_on = start_date - datetime.timedelta(days=1)
    contract.end_reason = _("Moved to another employer.")
    contract.save(update_fields=["status", "ended_on", "end_reason"])
    new = Contract.objects.create(
        participant=contract.participant,
        start_date=start_date,
        end_date=contract_end(start_date, fields["term_years"]),
        continues=contract,
        status=Contract.Status.ACTIVE if start_date <= today else Contract.Status.DRAFT,
        **fields,
    )
    return new


@transaction.atomic
def contract_terminate(*, contract: Contract, by, on: datetime.date, reason: str) -> Contract:
    if contract.status not in {Contract.Status.ACTIVE, Contract.Status.DRAFT}:
        raise ValidationError(_("This contract has already ended."))
    if not reason.strip():
        raise ValidationError(_("Give the reason the contract ends."))
    contract.status = Contract.Status.TERMINATED
    contract.ended_on = on
    contract.end_reason = reason.strip()
    contract.save(update_fields=["status", "ended_on", "end_reason"])
    return contract


@transaction.atomic
def contracts_daily(*, today: datetime.date) -> dict[str, int]:
    """End the contracts that ran out, then start those whose first day has come.

    A contract that ran out and is continued by an extension due today or earlier is marked
    extended; otherwise it is completed, and a person with no other contract waiting leaves
    work abroad as "completed" through ``participant_leave_abroad``.
    """
    completed = 0
    for contract in (
        Contract.objects.filter(status=Contract.Status.ACTIVE, end_date__lt=today)
        .select_related("participant")
        .select_for_update()
    ):
        participant = contract.participant
        extended = Contract.objects.filter(
            continues=contract, status=Contract.Status.DRAFT, start_date__lte=today
        ).exists()
        waiting = participant.contracts.filter(
            status=Contract.Status.DRAFT, start_date__lte=today
        ).exists()
        if not extended and not waiting and participant.status in ABROAD_WORKING:
            participant_leave_abroad(
                participant=participant,
                status=Status.COMPLETED,
                on=contract.end_date,
                reason=_("Contract completed."),
                by=None,
            )
        else:
            contract.status = Contract.Status.EXTENDED if extended else Contract.Status.COMPLETED
            contract.ended_on = contract.end_date
            contract.save(update_fields=["status", "ended_on"])
        completed += 1
    started = 0
    for contract in (
        Contract.objects.filter(status=Contract.Status.DRAFT, start_date__lte=today)
        .exclude(participant__contracts__status=Contract.Status.ACTIVE)
        .select_related("participant")
        .select_for_update()
    ):
        _start(contract, by=None)
        started += 1
    return {"started": started, "completed": completed}


ABROAD_WORKING = frozenset({Status.WORKING, Status.EXTENDED})
# Actions on several participants at once (a batch's list). Each person is moved in a
# transaction of their own: a refusal leaves the others' moves in place, and every person's
# result is reported.

# The statuses a list action may set: the moves before departure that need no readiness check.
# Ready and departed go through the readiness check (training); the moves abroad go through
# contracts and the leaving-work services.
BULK_MOVES = (Status.SELECTED, Status.IN_TRAINING, Status.POSTPONED, Status.WITHDRAWN)


@dataclass(frozen=True)
class BulkOutcome:
    """One person's result of an action on several: moved, or refused and why."""

    participant: Participant
    done: bool
    message: str


def each_participant(participants, act: Callable[[Participant], str]) -> list[BulkOutcome]:
    """Run ``act`` for each participant in a transaction of its own; a ``ValidationError``
    refuses that person only. ``act`` returns what happened, in words."""
    outcomes = []
    for participant in participants:
        try:
            with transaction.atomic():
                message = act(participant)
        except ValidationError as error:
            participant.refresh_from_db()
            outcomes.append(BulkOutcome(participant, False, " ".join(error.messages)))
        else:
            outcomes.append(BulkOutcome(participant, True, message))
    return outcomes


def participants_move(
    *, participants, to: str, by, effective_date: datetime.date, reason: str = ""
) -> list[BulkOutcome]:
    """Move each participant to ``to`` (one of ``BULK_MOVES``), each on its own."""
    if to not in BULK_MOVES:
        raise ValueError(f"{to} is not a move a list may make")

    def act(participant: Participant) -> str:
        participant.move(to, by=by, effective_date=effective_date, reason=reason)
        return _("Now “%(status)s”.") % {"status": participant.get_status_display()}

    return each_participant(participants, act)


def participants_transfer(
    *, participants, cohort: Cohort, by, effective_date: datetime.date, reason: str = ""
) -> list[BulkOutcome]:
    """Move each participant to ``cohort``, each on its own, with a new participant number."""

    def act(participant: Participant) -> str:
        participant.transfer(cohort, by=by, effective_date=effective_date, reason=reason)
        return _("Now in %(cohort)s as %(number)s.") % {
            "cohort": cohort,
            "number": participant.participant_number,
        }

    return each_participant(participants, act)
