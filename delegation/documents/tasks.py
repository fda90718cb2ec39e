from celery import shared_task

from delegation.documents.registry import (
    CEREMONY_PACK,
    CERTIFICATES,
    PROGRAMME_REPORT,
    SELECTION_KINDS,
)
from delegation.jobs import register_kind, run_job


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


for _kind in (CEREMONY_PACK, CERTIFICATES, PROGRAMME_REPORT, *SELECTION_KINDS):
    register_kind(_kind, render_document, made_again=True)
