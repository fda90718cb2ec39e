from celery import shared_task
from celery.signals import worker_ready

from delegation.jobs import requeue_stale_jobs


@shared_task(name="delegation.ping")
def ping() -> str:
    """Answer "pong": proves that a worker receives tasks and stores their results."""
    return "pong"


@shared_task(name="delegation.requeue_stale_jobs")
def requeue_stale() -> int:
    """Every ten minutes: send again the jobs of dead workers and the jobs never sent."""
    return requeue_stale_jobs()


@worker_ready.connect
def _requeue_after_restart(sender=None, **kwargs) -> None:
    """A worker that starts again takes back the jobs it was running when it died."""
    requeue_stale_jobs(worker=getattr(sender, "hostname", ""))
