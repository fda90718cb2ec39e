"""Today's reminders without a beat process: the first signed-in visit of the day runs them,
after the day's return plans (beat's ``welfare.daily``).

On by default when no broker is configured (``make run``: no Celery beat runs there); with a
broker, beat's morning task does it and this middleware does nothing. Running the reminders
twice gives nothing twice, so a restart (which forgets the local cache) costs only the work.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from office.reminders.digest import send_reminders
from welfare.services import return_planning

TWO_DAYS = 2 * 24 * 60 * 60


def cache_key(day: datetime.date) -> str:
    return f"reminders:sent:{day.isoformat()}"


class DailyRemindersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if settings.REMINDERS_ON_FIRST_VISIT and user is not None and user.is_authenticated:
            today = timezone.localdate()
            # ``add`` succeeds once per day (per cache): only that request does the work.
            if cache.add(cache_key(today), True, TWO_DAYS):
                return_planning(today=today)
                send_reminders(today=today)
        return self.get_response(request)
