import logging

from celery import shared_task
from django.utils import timezone

from delegation.privacy.retention import participants_anonymise

logger = logging.getLogger(__name__)


@shared_task(name="delegation.anonymise_participants", acks_late=True)
def anonymise_participants_daily() -> int:
    """Daily: anonymise whoever the retention rules reach today (safe to run twice)."""
    report = participants_anonymise(today=timezone.localdate())
    # Ids only: names stay out of the logs.
    logger.info(
        "Retention: %d participant(s) anonymised: %s",
        len(report.due),
        ", ".join(str(entry.participant.pk) for entry in report.due) or "none",
    )
    return len(report.due)
