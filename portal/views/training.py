"""The person's training: timetable, attendance, exams and certificates."""

from __future__ import annotations

import io

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from delegation.audit import record_event
from delegation.models import AuditEvent
from participants.models import (
    Participant,
)
from portal.views.common import (
    RECENT_ATTENDANCE,
    UPCOMING_SESSIONS,
    page,
    portal_page,
)
from training import readiness
from training.certificate_pdf import certificates_data, render_pages
from training.certificate_pdf import file_name as certificate_file_name
from training.models import Attendance, Certificate, ExamResult, Session, TrainingPlan


@portal_page
def training(request: HttpRequest) -> HttpResponse:
    """The person's timetable, their own attendance and exams, and their certificates."""
    participant: Participant = request.participant
    today = timezone.localdate()
    plan = TrainingPlan.objects.filter(cohort_id=participant.cohort_id).first()
    upcoming, attendance, rate = [], [], None
    if plan is not None:
        upcoming = list(
            Session.objects.filter(module__plan=plan, date__gte=today)
            .select_related("module", "instructor")
            .order_by("date", "start_time")[:UPCOMING_SESSIONS]
        )
        attendance = list(
            Attendance.objects.filter(participant=participant, session__module__plan=plan)
            .select_related("session__module")
            .order_by("-session__date", "-session__start_time")[:RECENT_ATTENDANCE]
        )
        rate = readiness.check(participant, on=today, today=today).attendance_rate
    return page(
        request,
        "portal/training.html",
        {
            "participant": participant,
            "plan": plan,
            "upcoming": upcoming,
            "attendance": attendance,
            "rate": rate,
            "exams": ExamResult.objects.filter(participant=participant)
            .select_related("exam_type")
            .order_by("-date"),
            "certificates": Certificate.objects.valid().filter(participant=participant),
        },
    )


@portal_page
def certificate_download(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the person's own certificates as a PDF (logged); another's answers 404."""
    certificate = get_object_or_404(
        Certificate.objects.valid().select_related("participant__cohort__program__partner"),
        participant=request.participant,
        pk=pk,
    )
    facts = certificates_data([certificate])
    content = render_pages(facts).write_pdf()
    record_event(request.user, AuditEvent.Action.DOWNLOAD, certificate, detail="own certificate")
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=certificate_file_name(facts[0]),
        content_type="application/pdf",
    )
