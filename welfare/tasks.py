"""Periodic work of duty of care, run by Celery beat (see ``CELERY_BEAT_SCHEDULE``)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from welfare import services


@shared_task(name="welfare.escalate_cases")
def escalate_cases() -> int:
    """Every ten minutes: critical cases not acknowledged in time go to HR and leadership."""
    return services.cases_escalate(now=timezone.now())


@shared_task(name="welfare.daily")
def daily() -> dict[str, int]:
    """Every morning: the return plans of contracts ending within 90 days (their items and
    the follow-ups after return are reminded with the day's reminders), and the return home
    of those whose contract the night's task completed."""
    today = timezone.localdate()
    return {
        "return_tasks": services.return_planning(today=today),
        "returns": services.returns_after_contracts(today=today),
    }
