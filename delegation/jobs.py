"""Long work as ``Job`` rows: asking for a document, running it once, recovering dead runs.

A document job is identified by its kind, its subject and a checksum of the data it prints:
asking again for the same thing reuses the queued, running or finished job; new data makes a
new job and marks the old one superseded. The partial unique constraint on ``Job`` stops two
requests racing each other into two jobs.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.utils import timezone

from delegation.models import Job

MAX_ATTEMPTS = 3


def checksum(data) -> str:
    """SHA-256 of the printed data, stable whatever the order of dict keys."""
    encoded = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def request_job(
    *,
    kind: str,
    subject: Model,
    data_checksum: str,
    make_params: Callable[[], dict],
    user,
    queue: Callable[[int], None],
) -> tuple[Job, bool]:
    """The live job for this kind, subject and data, created (and queued) when there is none.

    ``make_params`` runs only when a job is created (it may issue document numbers)."""
    subject_type = ContentType.objects.get_for_model(subject)
    same = Job.objects.live().filter(kind=kind, subject_type=subject_type, subject_id=subject.pk)
    with transaction.atomic():
        existing = same.filter(checksum=data_checksum).first()
        if existing:
            return existing, False
        same.exclude(checksum=data_checksum).update(status=Job.Status.SUPERSEDED)
        try:
            with transaction.atomic():
                job = Job.objects.create(
                    kind=kind,
                    subject_type=subject_type,
                    subject_id=subject.pk,
                    checksum=data_checksum,
                    params=make_params(),
                    requested_by=user if user and user.is_authenticated else None,
                )
        except IntegrityError:
            return same.get(checksum=data_checksum), False
        transaction.on_commit(lambda: queue(job.pk))
    return job, True


def run_job(
    job_id: int, render: Callable[[Job], tuple[str, bytes]], *, worker: str = ""
) -> Job | None:
    """Render the job's file once. A job not queued (done, running, superseded) is left alone.

    The file is written to a temporary name and renamed into place, so a half-written file is
    never seen. ``OSError`` puts the job back in the queue for the task's retry.
    """
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != Job.Status.QUEUED:
            return None
        job.start(worker=worker)
    try:
        name, content = render(job)
        relative = Path("jobs") / f"{timezone.now():%Y/%m}" / f"{job.pk}-{name}"
        target = Path(settings.MEDIA_ROOT) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".part")
        temporary.write_bytes(content)
        os.replace(temporary, target)
    except OSError:
        Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(status=Job.Status.QUEUED)
        raise
    except Exception as error:  # any other failure is final for this job: say why
        job.fail(f"{type(error).__name__}: {error}"[:500])
        raise
    job.refresh_from_db()
    if job.status != Job.Status.RUNNING:
        return job  # superseded while rendering: keep what it says
    job.finish(file_name=str(relative), sha256=hashlib.sha256(content).hexdigest())
    return job


def requeue_stale_jobs(
    *, queue: Callable[[int], None], now: datetime.datetime | None = None, worker: str = ""
) -> int:
    """Running jobs of a dead worker: queue them again, or fail them once they have used their
    attempts. A job is a dead worker's when it runs past the hard time limit, or when the
    worker that took it (``worker``, just restarted under the same name) starts again."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(seconds=settings.CELERY_TASK_HARD_TIME_LIMIT + 60)
    stale = Q(started_at__lt=limit)
    if worker:
        stale |= Q(worker=worker)
    count = 0
    for job in Job.objects.filter(stale, status=Job.Status.RUNNING):
        if job.attempts >= MAX_ATTEMPTS:
            job.fail(f"The worker stopped during each of {job.attempts} attempts.")
        else:
            job.status = Job.Status.QUEUED
            job.save(update_fields=["status"])
            transaction.on_commit(lambda pk=job.pk: queue(pk))
        count += 1
    return count
