import logging
from importlib import import_module

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from office.privacy.retention import participants_anonymise

logger = logging.getLogger(__name__)


@shared_task(name="delegation.anonymise_participants", acks_late=True)
def anonymise_participants_daily() -> int:
    """Daily: anonymise whoever the retention rules reach today (safe to run twice)."""
    report = participants_anonymise(today=timezone.localdate())
    # Ids only: names stay out of the logs.
    logger.info(
        "Retention: %d participant(s) anonymised: %s; %d application(s): %s; %d draft(s)",
        len(report.due),
        ", ".join(str(entry.participant.pk) for entry in report.due) or "none",
        len(report.applications),
        ", ".join(str(entry.application.pk) for entry in report.applications) or "none",
        len(report.drafts),
    )
    return len(report.due) + len(report.applications) + len(report.drafts)


@shared_task(name="delegation.clear_expired_sessions", acks_late=True)
def clear_expired_sessions_daily() -> None:
    """Daily: delete expired sessions, as ``manage.py clearsessions`` does. A session keeps
    what its user searched for (a NIK or a passport number among them) until it is deleted;
    sessions end at the latest 12 hours after sign-in."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
