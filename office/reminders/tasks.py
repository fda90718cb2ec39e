from celery import shared_task
from django.utils import timezone

from office.reminders.digest import send_reminders


@shared_task(name="delegation.send_reminders")
def send_reminders_daily() -> int:
    return send_reminders(today=timezone.localdate())
