from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import DatabaseError, connection, transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from delegation.jobs import broker_status
from delegation.models import Job
from delegation.pagination import paginate


@permission_required("delegation.view_job", raise_exception=True)
def documents(request):
    jobs = (
        Job.objects.visible_to(request.user)
        .select_related("requested_by", "subject_type")
        .prefetch_related("subject")
    )
    page = paginate(request, jobs)
    polling = any(job.status in {Job.Status.QUEUED, Job.Status.RUNNING} for job in page)
    return render(request, "delegation/documents.html", {"page": page, "polling": polling})


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "error"
    return "ok"


@transaction.non_atomic_requests
@never_cache
@require_GET
def healthz(request):
    checks = {"database": _database_status(), "broker": broker_status()}
    healthy = all(value in {"ok", "disabled"} for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


def notifications(request):
    items = request.user.notifications.all()
    if request.method == "POST":
        request.user.notifications.unread().update(read_at=timezone.now())
        messages.success(request, _("All reminders are marked as read."))
        return redirect("notifications")
    page = paginate(request, items, 30)
    return render(request, "delegation/notifications.html", {"page": page})
