from celery import shared_task

from delegation.jobs import register_kind, run_job, run_work
from delegation.models import Job
from office.prints import parts
from office.prints.registry import (
    CEREMONY_PACK,
    CERTIFICATES,
    PROGRAMME_REPORT,
    SELECTION_KINDS,
    render,
)


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
    """Render a document job's file; a job already done or running elsewhere is left alone.
    A batch's certificates are split into parts rendered by any free worker (``parts``)."""
    worker = self.request.hostname or ""
    if Job.objects.filter(pk=job_id, kind=CERTIFICATES).exists():

        def send(job_id: int, index: int) -> None:
            render_certificate_part.apply_async(args=[job_id, index])

        run_work(job_id, lambda job: parts.split(job, send=send), worker=worker)
        return
    run_job(job_id, render, worker=worker)


@shared_task(
    bind=True,
    name="delegation.render_certificate_part",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=120,
    max_retries=3,
)
def render_certificate_part(self, job_id: int, index: int) -> None:
    """Render one part of a certificates job; the last part joins them into the ZIP."""
    parts.render(job_id=job_id, index=index)


for _kind in (CEREMONY_PACK, CERTIFICATES, PROGRAMME_REPORT, *SELECTION_KINDS):
    register_kind(_kind, render_document, made_again=True)
