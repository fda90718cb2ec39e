"""One job system: every piece of background work is a ``Job`` row run by the task of its kind.

* Each app registers its kinds at import time (``register_kind("participant_import",
  import_participants_job)``); the core keeps the registry and imports no app.
* Asking for work checks the broker first (``require_background``): when background work is
  unavailable the user is told so and nothing is saved.
* A job is sent to its kind's task once its row is committed (``enqueue``); a send that fails
  marks the job failed with a reason the user sees, and a successful one records ``sent_at``.
* The task claims the job (``run_job``): only a queued job starts, so a message delivered twice
  does the work once.
* ``requeue_stale_jobs`` (every ten minutes, and when a worker starts again) sends again a job
  of a dead worker, or one never sent, to its own task, and gives up after ``MAX_ATTEMPTS``.
* Progress lives in the cache, outside the work's transaction, so a page sees it move.

A document job is identified by its kind, its subject and a checksum of the data it prints:
asking again for the same thing reuses the queued, running or finished job; new data makes a
new job and marks the old one superseded. The partial unique constraint on ``Job`` stops two
requests racing each other into two jobs.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import os
from collections.abc import Callable
from pathlib import Path

import redis
from celery import current_app
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from delegation.models import Job

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# A queued job whose sending was never confirmed after this long is sent again.
NEVER_SENT_AFTER = datetime.timedelta(minutes=5)
# What a failed send raises: the broker refused or could not be reached.
SEND_ERRORS = (OperationalError, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

_TASKS: dict[str, object] = {}


def register_kind(kind: str, task, *, made_again: bool = False) -> None:
    """Send jobs of ``kind`` to ``task`` (a Celery task, or the name it is registered under);
    ``made_again``: the jobs page offers to make a finished or failed one again.

    Called by each app when its tasks module is imported. ``kind`` is stored in ``Job.kind``:
    never rename one."""
    known = _TASKS.get(kind)
    if known is not None and _task_name(known) != _task_name(task):
        raise ImproperlyConfigured(f"Jobs of kind {kind!r} already go to {_task_name(known)}.")
    _TASKS[kind] = task
    if made_again:
        Job.MADE_AGAIN_KINDS.add(kind)


def made_again_kinds() -> frozenset[str]:
    return frozenset(Job.MADE_AGAIN_KINDS)


def registered_kinds() -> dict[str, str]:
    """Each registered kind and the name of its task."""
    return {kind: _task_name(task) for kind, task in _TASKS.items()}


def task_for(kind: str):
    """The Celery task that runs jobs of ``kind``; ``LookupError`` when none is registered."""
    try:
        task = _TASKS[kind]
    except KeyError:
        raise LookupError(f"No background task is registered for jobs of kind {kind!r}.") from None
    return current_app.tasks[task] if isinstance(task, str) else task


def _task_name(task) -> str:
    return task if isinstance(task, str) else task.name


def checksum(data) -> str:
    """SHA-256 of the printed data, stable whatever the order of dict keys."""
    encoded = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def broker_status() -> str:
    """ "ok", "error" (configured but not answering) or "disabled" (tasks run in-process)."""
    if not settings.REDIS_URL:
        return "disabled"
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        return "error"
    finally:
        client.close()
    return "ok"


def background_available() -> bool:
    """Whether work asked for now can reach a worker (always, when tasks run in-process)."""
    return current_app.conf.task_always_eager or broker_status() == "ok"


def require_background() -> None:
    """Refuse, before anything is saved, work no worker could receive."""
    if not background_available():
        raise ValidationError(
            _(
                "Background work is unavailable right now (the task queue does not answer). "
                "Nothing was saved; try again in a few minutes."
            )
        )


def enqueue(job_id: int) -> bool:
    """Send the job to its kind's task. A send that fails marks the job failed with a reason
    the user sees (it is then never reused); a successful one records ``sent_at``."""
    job = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).only("kind").first()
    if job is None:
        return False
    try:
        task = task_for(job.kind)
        task.apply_async(args=[job_id])
    except LookupError as error:
        _fail_queued(job_id, str(error))
        return False
    except SEND_ERRORS as error:
        logger.warning("Job %s could not be sent to a worker: %s", job_id, type(error).__name__)
        _fail_queued(
            job_id,
            _(
                "It could not be sent to the background worker (the task queue did not "
                "answer). Make it again once background work is available."
            ),
        )
        return False
    Job.objects.filter(pk=job_id, sent_at__isnull=True).update(sent_at=timezone.now())
    return True


def _fail_queued(job_id: int, reason: str) -> None:
    Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.FAILED, error=reason, finished_at=timezone.now()
    )


def start_job(
    *, kind: str, params: dict, user, subject: Model | None = None, checksum: str = ""
) -> Job:
    """A new job of ``kind``, sent to its task once the caller's transaction commits.

    A ``checksum`` names the work: a second live job of the same kind, subject and checksum
    is refused by the database (``IntegrityError``)."""
    task_for(kind)  # an unknown kind is a programming error: raise before saving anything
    require_background()
    job = Job.objects.create(
        kind=kind,
        params=params,
        checksum=checksum,
        subject_type=ContentType.objects.get_for_model(subject) if subject else None,
        subject_id=subject.pk if subject else None,
        requested_by=user if user and user.is_authenticated else None,
    )
    transaction.on_commit(lambda: enqueue(job.pk))
    return job


def request_job(
    *,
    kind: str,
    subject: Model,
    data_checksum: str,
    make_params: Callable[[], dict],
    user,
    send: Callable[[int], object] = enqueue,
) -> tuple[Job, bool]:
    """The live job for this kind, subject and data, created (and sent) when there is none.

    ``make_params`` runs only when a job is created. Official numbers are not issued here but
    when the job runs (``job_value``)."""
    require_background()
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
        transaction.on_commit(lambda: send(job.pk))
    return job, True


def job_value(job: Job, name: str, make: Callable[[], object]):
    """``job.params[name]``, made and kept on the job by its first run: a document's official
    numbers are issued when the work runs, once per job, and a second attempt reuses them."""
    if name not in job.params:
        with transaction.atomic():
            locked = Job.objects.select_for_update().get(pk=job.pk)
            if name not in locked.params:
                locked.params[name] = make()
                locked.save(update_fields=["params"])
        job.params = locked.params
    return job.params[name]


def claim(job_id: int, *, worker: str = "") -> Job | None:
    """Start the job if it is queued; None when it is done, running elsewhere or superseded."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != Job.Status.QUEUED:
            return None
        job.start(worker=worker)
    return job


def run_work(job_id: int, work: Callable[[Job], object], *, worker: str = ""):
    """Claim the job and do its work once. ``OSError`` puts the job back in the queue for the
    task's retry; any other failure is final for this job, with the reason kept on it."""
    job = claim(job_id, worker=worker)
    if job is None:
        return None
    try:
        return work(job)
    except OSError:
        Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(status=Job.Status.QUEUED)
        raise
    except Exception as error:
        Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
            status=Job.Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:500],
            finished_at=timezone.now(),
        )
        raise


def store_file(name: str, content: bytes) -> str:
    """Put a finished file into the media storage whole, never half-written, and return the
    name it is kept under. On the local file system it is written to a temporary name and
    renamed into place; an object store (``MEDIA_STORAGE=s3``) takes it in one upload, which
    is seen whole or not at all."""
    storage = default_storage
    if isinstance(storage, FileSystemStorage):
        target = Path(storage.path(name))
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".part")
        temporary.write_bytes(content)
        os.replace(temporary, target)
        return name
    return storage.save(name, ContentFile(content))


def run_job(
    job_id: int, render: Callable[[Job], tuple[str, bytes]], *, worker: str = ""
) -> Job | None:
    """Render a document job's file once. A job not queued (done, running, superseded) is left
    alone. The file goes into the media storage whole (``store_file``), so a half-written file
    is never seen."""

    def work(job: Job) -> Job:
        name, content = render(job)
        stored = store_file(f"jobs/{timezone.now():%Y/%m}/{job.pk}-{name}", content)
        job.refresh_from_db()
        if job.status != Job.Status.RUNNING:
            # Superseded while rendering (new data, or its people anonymised): keep what the
            # row says, and no file that nothing points to and that may print what was removed.
            default_storage.delete(stored)
            return job
        job.finish(file_name=stored, sha256=hashlib.sha256(content).hexdigest())
        return job

    return run_work(job_id, work, worker=worker)


def requeue_stale_jobs(
    *,
    now: datetime.datetime | None = None,
    worker: str = "",
    send: Callable[[int], object] = enqueue,
) -> int:
    """Send again, each to its own task, the jobs a dead worker left running and the jobs never
    sent; fail those that have used their attempts, saying why.

    A running job is a dead worker's when it runs past the hard time limit, or when the worker
    that took it (``worker``, just restarted under the same name) starts again. A queued job is
    never sent when no send was confirmed ``NEVER_SENT_AFTER`` after it was asked for."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(seconds=settings.CELERY_TASK_HARD_TIME_LIMIT + 60)
    dead = Q(started_at__lt=limit)
    if worker:
        dead |= Q(worker=worker)
    stale = Q(dead, status=Job.Status.RUNNING) | Q(
        status=Job.Status.QUEUED, sent_at__isnull=True, created_at__lt=now - NEVER_SENT_AFTER
    )
    count = 0
    for job in Job.objects.filter(stale):
        kind = job.kind
        if job.status == Job.Status.RUNNING and job.attempts >= MAX_ATTEMPTS:
            job.fail(
                _("The background worker stopped during each of %(count)d attempts.")
                % {"count": job.attempts}
            )
        elif kind not in _TASKS:
            job.fail(_("No background task runs jobs of this kind (%(kind)s).") % {"kind": kind})
        else:
            Job.objects.filter(pk=job.pk, status=job.status).update(
                status=Job.Status.QUEUED, sent_at=None
            )
            transaction.on_commit(lambda pk=job.pk: send(pk))
        count += 1
    return count
