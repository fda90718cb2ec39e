"""One session's page: its details, attendance and blank sign-in sheet; attendance by
module as a spreadsheet."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Cohort
from delegation.access import changeable_or_403, visible_or_404
from delegation.audit import record_event
from delegation.formatting import file_name
from delegation.models import AuditEvent
from delegation.spreadsheets import xlsx_response
from participants.models import Participant
from training import exports, services, sign_in_sheet
from training.forms import SessionForm
from training.models import Attendance, Session, TrainingPlan
from training.views.plans import training_form_page


def _session(request: HttpRequest, pk: int, permission: str) -> Session:
    session = get_object_or_404(
        Session.objects.select_related("module__plan__cohort__program"), pk=pk
    )
    changeable_or_403(TrainingPlan, request.user, permission, pk=session.module.plan_id)
    return session


def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, "training.change_session")
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Session saved."))
        return redirect("training:cohort_training", pk=session.module.plan.cohort_id)
    return training_form_page(
        request,
        form,
        title=_("Edit session"),
        cohort=session.module.plan.cohort,
    )


def _trainees(session: Session) -> list[Participant]:
    """Those in training now, and anyone already recorded (they may have left since)."""
    batch = Participant.objects.in_cohort(session.module.plan.cohort)
    return list(
        (batch.trainees() | batch.filter(attendances__session=session))
        .distinct()
        .order_by("participant_number", "full_name")
        .only("pk", "full_name", "participant_number")
    )


def may_print_sign_in_sheet(user) -> bool:
    """The batch's instructors, coordinators and HR staff print sign-in sheets; leadership
    reads attendance but takes no files."""
    return user.has_perm("training.change_attendance") or user.has_perm(
        "delegation.generate_documents"
    )


def session_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The blank attendance sheet of a session (Daftar Hadir Pertemuan) as a PDF to sign."""
    session = _session(request, pk, "training.view_attendance")
    if not may_print_sign_in_sheet(request.user):
        raise PermissionDenied
    data = sign_in_sheet.session_sheet_data(session, _trainees(session))
    content = sign_in_sheet.session_sheet_pdf(
        data, requested_by=request.user.get_full_name() or request.user.get_username()
    )
    record_event(
        request.user, AuditEvent.Action.EXPORT, session, detail="daftar-hadir-pertemuan.pdf"
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="daftar-hadir-pertemuan-{session.date:%Y-%m-%d}-{session.pk}.pdf"'
    )
    return response


def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """A whole session's attendance on one page, present by default, saved in one submit."""
    session = _session(request, pk, "training.view_attendance")
    cohort = session.module.plan.cohort
    trainees = _trainees(session)
    recorded = {a.participant_id: a for a in Attendance.objects.filter(session=session)}
    may_edit = request.user.has_perm("training.change_attendance") and not session.cancelled
    closed = services.attendance_blocker(session, today=timezone.localdate())
    can_edit = may_edit and not closed
    errors: list[Participant] = []
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if closed:
            messages.error(request, closed)
            return redirect("training:attendance", pk=session.pk)
        statuses, errors = _typed_attendance(request, trainees)
        if not errors:
            changed = services.attendance_save(session=session, statuses=statuses)
            messages.success(
                request, _("Attendance saved (%(count)d changed).") % {"count": changed}
            )
            return redirect("training:cohort_training", pk=cohort.pk)
    return render(
        request,
        "training/attendance.html",
        {
            "session": session,
            "cohort": cohort,
            "rows": _attendance_rows(request, trainees, recorded, errors),
            "choices": Attendance.Status.choices,
            "can_edit": can_edit,
            "closed": closed,
            "recorded": bool(recorded),
            "may_print": may_print_sign_in_sheet(request.user),
        },
    )


def _typed_attendance(
    request: HttpRequest, trainees: list[Participant]
) -> tuple[dict[int, tuple[str, str]], list[Participant]]:
    """The status and note typed for each trainee, and those whose status is not one."""
    allowed = set(Attendance.Status.values)
    statuses, errors = {}, []
    for person in trainees:
        status = request.POST.get(f"status-{person.pk}", "")
        # A NUL character cannot be stored (PostgreSQL refuses it) nor typed: drop it.
        note = request.POST.get(f"note-{person.pk}", "").replace("\x00", "").strip()[:200]
        if status not in allowed:
            errors.append(person)
            continue
        statuses[person.pk] = (status, note)
    return statuses, errors


def _attendance_rows(
    request: HttpRequest, trainees: list[Participant], recorded: dict, errors: list
) -> list[dict]:
    """One row per trainee: what was typed (after a refused submit), else what is recorded,
    else present."""
    typed = request.method == "POST"
    rows = []
    for person in trainees:
        kept = recorded.get(person.pk)
        rows.append(
            {
                "participant": person,
                "status": request.POST.get(f"status-{person.pk}")
                if typed
                else (kept.status if kept else Attendance.Status.PRESENT),
                "note": request.POST.get(f"note-{person.pk}", "")
                if typed
                else (kept.note if kept else ""),
                "error": person in errors,
            }
        )
    return rows


@permission_required("training.view_attendance", raise_exception=True)
def attendance_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Each participant's attendance by module as XLSX (logged): who sees the batch's
    attendance takes it away, instructors of the batch included."""
    cohort = visible_or_404(Cohort.objects.select_related("program"), request.user, pk=pk)
    plan = cohort.plan
    if plan is None:
        messages.error(request, _("This batch has no training plan yet."))
        return redirect("training:cohort_training", pk=cohort.pk)
    today = timezone.localdate()
    participants = list(
        Participant.objects.visible_to(request.user)
        .in_cohort(cohort)
        .order_by("participant_number", "full_name")
    )
    content = exports.attendance_xlsx(cohort, plan, participants, on=today)
    record_event(request.user, AuditEvent.Action.EXPORT, cohort, detail="attendance.xlsx")
    name = file_name(
        "presensi-per-materi",
        cohort.program.slug,
        f"angkatan-{cohort.number}",
        today,
        extension="xlsx",
    )
    return xlsx_response(content, name)
