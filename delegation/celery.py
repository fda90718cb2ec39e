"""The Celery application.

Configuration lives in ``delegation.settings`` under the ``CELERY_`` prefix. Tasks are
Django-aware (``delay_on_commit``), so a task is queued only once the transaction that
created its data has committed. With no ``REDIS_URL`` tasks run in-process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "delegation.settings")

app = Celery("delegation")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The office's tasks sit in its subpackages: documents, reminders and privacy duties.
app.autodiscover_tasks(["office.prints", "office.reminders", "office.privacy"])
