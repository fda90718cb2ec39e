from __future__ import annotations

from django.db import transaction

from cohorts.models import Cohort
from delegation.models import Job
from participants import importer


def participants_import_from_job(*, job_id: int, storage) -> int:
    """Run the import a Job describes; a finished job is left alone."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.status != Job.Status.QUEUED:
            return 0
        job.start()
    params = job.params
    cohort = (
        Cohort.objects.filter(pk=params.get("cohort")).first() if params.get("cohort") else None
    )
    with storage.open(params["path"], "rb") as handle:
        result = importer.check_file(handle, params["name"], historical=params["historical"])
    if not result.ok:
        first = result.errors[0]
        job.fail(f"{len(result.errors)} errors; line {first.line} {first.column}: {first.message}")
        return 0
    importer.save_rows(
        result.rows,
        cohort=cohort,
        by=job.requested_by,
        historical=params["historical"],
        progress=job.set_progress,
    )
    storage.delete(params["path"])
    job.finish()
    return len(result.rows)
