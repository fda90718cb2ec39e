from celery import shared_task
from celery.signals import worker_ready

from delegation.jobs import requeue_stale_jobs, run_job


@shared_task(
    bind=True,
    name="delegation.render_document",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=120,
    max_retries=3,
)
def render_document(self, job_id: int) -> None:
    """Render a document job's file; a job already done or running elsewhere is left alone."""
    from delegation.documents.registry import render

    run_job(job_id, render, worker=self.request.hostname or "")


@shared_task(name="delegation.requeue_stale_jobs")
def requeue_stale() -> int:
    return requeue_stale_jobs(queue=render_document.delay)


@worker_ready.connect
def _requeue_after_restart(sender=None, **kwargs) -> None:
    """A worker that starts again takes back the jobs it was running when it died."""
    requeue_stale_jobs(queue=render_document.delay, worker=getattr(sender, "hostname", ""))
