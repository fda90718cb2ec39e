from celery import shared_task
from django.core.files.storage import default_storage
from django.utils import timezone

from delegation.jobs import register_kind
from participants.models import recount
from participants.services import (
    IMPORT_CHECK_JOB,
    IMPORT_JOB,
    discard_stale_imports,
    import_check_from_job,
    participants_import_from_job,
)
from participants.services import contracts_daily as run_contracts_daily


@shared_task(
    bind=True,
    name="participants.import_participants",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def import_participants_job(self, job_id: int) -> int:
    """Import a large participant file recorded on a Job (safe to run twice)."""
    return participants_import_from_job(
        job_id=job_id, storage=default_storage, worker=self.request.hostname or ""
    )


@shared_task(
    bind=True,
    name="participants.check_participant_import",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def check_participant_import_job(self, job_id: int) -> int:
    """Check a large participant file before its import (the import page's preview)."""
    return import_check_from_job(
        job_id=job_id, storage=default_storage, worker=self.request.hostname or ""
    )


register_kind(IMPORT_JOB, import_participants_job)
register_kind(IMPORT_CHECK_JOB, check_participant_import_job)


@shared_task(name="participants.contracts_daily", acks_late=True)
def contracts_daily() -> dict:
    """Daily: start contracts whose first day has come, complete those that ran out."""
    return run_contracts_daily(today=timezone.localdate())


@shared_task(name="participants.discard_stale_imports", acks_late=True)
def discard_stale_import_files() -> int:
    """Daily: delete uploaded import files that no preview or waiting job will read again."""
    return discard_stale_imports(storage=default_storage)


@shared_task(name="participants.recount_participants", acks_late=True)
def recount_participants() -> int | None:
    """Daily: fold the participant tally into one row counted afresh."""
    return recount()
