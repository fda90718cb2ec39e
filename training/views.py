"""Pages of the training year: plans, modules, schedules, attendance, exams and the
moves that need the readiness check."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cohorts.models import Cohort, Program
from delegation.access import changeable_or_403, visible_or_404
from delegation.audit import record_event
from delegation.downloads import private_file_response
from delegation.formatting import file_name
from delegation.models import AuditEvent, Organisation
from delegation.network import client_ip
from delegation.pagination import paginate
from delegation.querystring import whole_number
from delegation.spreadsheets import xlsx_response
from participants.models import Participant, Status
from training import documents, exports, progress, readiness, services
from training.forms import (
    PASS_CHOICES,
    BatchExamForm,
    CohortDepartForm,
    DepartForm,
    ExamRequirementFormSet,
    ExamResultForm,
    ModuleForm,
    NonTeachingDayForm,
    PlanForm,
    ScheduleForm,
    SessionForm,
    judge,
)
from training.models import (
    Attendance,
    Certificate,
    ExamResult,
    Module,
    NonTeachingDay,
    Session,
    TrainingPlan,
)

# Who takes part in the sessions of a batch.
TRAINEE_STATUSES = [Status.SELECTED, Status.IN_TRAINING, Status.READY, Status.POSTPONED]


def _form_page(request, form, *, title, cancel_url, cohort):
    breadcrumbs = [
        (_("Training"), reverse("training:home")),
        (str(cohort), reverse("training:cohort_training", args=[cohort.pk])),
        (title, None),
    ]
    return render(
        request,
        "form_page.html",
        {"form": form, "title": title, "cancel_url": cancel_url, "breadcrumbs": breadcrumbs},
    )


@permission_required("training.view_trainingplan", raise_exception=True)
def home(request):
    cohorts = (
        Cohort.objects.visible_to(request.user)
        .select_related("program", "training_plan")
        .order_by("-year", "program__name", "-number")
    )
    page = paginate(request, cohorts)
    return render(request, "training/home.html", {"page": page})


@permission_required("training.view_trainingplan", raise_exception=True)
def cohort_training(request, pk: int):
    cohort = visible_or_404(Cohort.objects.select_related("program"), request.user, pk=pk)
    plan = TrainingPlan.objects.filter(cohort=cohort).first()
    today = timezone.localdate()
    context = {"cohort": cohort, "plan": plan}
    if plan:
        trainees = list(
            Participant.objects.visible_to(request.user)
            .in_cohort(cohort)
            .filter(status__in=TRAINEE_STATUSES)
            .order_by("participant_number")
        )
        results = readiness.check_batch(cohort, on=today, participants=trainees)
        context.update(
            modules=progress.module_hours(plan, today),
            upcoming=Session.objects.filter(module__plan=plan, date__gte=today, cancelled=False)
            .select_related("module", "instructor")
            .order_by("date", "start_time")[:10],
            recent=Session.objects.filter(module__plan=plan, date__lt=today)
            .select_related("module")
            .order_by("-date", "-start_time")[:10],
            at_risk=[
                (p, results[p.pk].attendance_rate)
                for p in trainees
                if results[p.pk].attendance_rate is not None
                and results[p.pk].attendance_rate < plan.attendance_threshold
            ],
        )
    return render(request, "training/cohort_training.html", context)


def plan_edit(request, pk: int):
    cohort = visible_or_404(Cohort.objects.select_related("program"), request.user, pk=pk)
    plan = TrainingPlan.objects.filter(cohort=cohort).first()
    needed = "training.change_trainingplan" if plan else "training.add_trainingplan"
    if not request.user.has_perm(needed):
        raise PermissionDenied
    form = PlanForm(request.POST or None, instance=plan, program=cohort.program)
    if request.method == "POST" and form.is_valid():
        plan = form.save(commit=False)
        plan.cohort = cohort
        plan.save()
        messages.success(request, _("The training plan is saved."))
        return redirect("training:cohort_training", pk=cohort.pk)
    return _form_page(
        request,
        form,
        title=_("Training plan of %(cohort)s") % {"cohort": cohort},
        cancel_url=reverse("training:cohort_training", args=[cohort.pk]),
        cohort=cohort,
    )


def module_create(request, pk: int):
    plan = changeable_or_403(
        TrainingPlan.objects.select_related("cohort"),
        request.user,
        "training.add_module",
        cohort_id=pk,
    )
    form = ModuleForm(request.POST or None, initial={"order": plan.modules.count() + 1})
    if request.method == "POST" and form.is_valid():
        module = form.save(commit=False)
        module.plan = plan
        module.save()
        messages.success(request, _("Module “%(name)s” added.") % {"name": module.name})
        return redirect("training:cohort_training", pk=plan.cohort_id)
    return _form_page(
        request,
        form,
        title=_("New module"),
        cancel_url=reverse("training:cohort_training", args=[plan.cohort_id]),
        cohort=plan.cohort,
    )


def _module(request, pk: int, permission: str) -> Module:
    return changeable_or_403(
        Module.objects.select_related("plan__cohort"), request.user, permission, pk=pk
    )


def module_edit(request, pk: int):
    module = _module(request, pk, "training.change_module")
    form = ModuleForm(request.POST or None, instance=module)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Module “%(name)s” saved.") % {"name": module.name})
        return redirect("training:cohort_training", pk=module.plan.cohort_id)
    return _form_page(
        request,
        form,
        title=_("Edit module"),
        cancel_url=reverse("training:cohort_training", args=[module.plan.cohort_id]),
        cohort=module.plan.cohort,
    )


@require_http_methods(["GET", "POST"])
def module_delete(request, pk: int):
    module = _module(request, pk, "training.delete_module")
    back = reverse("training:cohort_training", args=[module.plan.cohort_id])
    if not module.deletable:
        messages.error(
            request,
            _("“%(name)s” has sessions: cancel or delete them first.") % {"name": module.name},
        )
        return redirect(back)
    if request.method == "POST":
        module.delete()
        messages.success(request, _("Module “%(name)s” deleted.") % {"name": module.name})
        return redirect(back)
    return render(request, "confirm_delete.html", {"object": module, "cancel_url": back})


def schedule(request, pk: int):
    module = _module(request, pk, "training.add_session")
    plan = module.plan
    form = ScheduleForm(request.POST or None, plan=plan)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        dates, skipped = services.schedule_dates(
            start=data["start_date"],
            end=data["end_date"],
            weekdays=set(data["weekdays"]),
            skip=data["skip"],
        )
        if "confirm" in request.POST and dates:
            created = services.sessions_create(
                module=module,
                dates=dates,
                start_time=data["start_time"],
                end_time=data["end_time"],
                instructor=data["instructor"],
                guest=data["guest_instructor"],
                topic=data["topic"],
            )
            messages.success(request, _("%(count)d sessions created.") % {"count": len(created)})
            return redirect("training:cohort_training", pk=plan.cohort_id)
        preview = {"dates": dates, "skipped": skipped}
    return render(
        request,
        "training/schedule.html",
        {"form": form, "module": module, "cohort": plan.cohort, "preview": preview},
    )


def _session(request, pk: int, permission: str) -> Session:
    session = get_object_or_404(
        Session.objects.select_related("module__plan__cohort__program"), pk=pk
    )
    changeable_or_403(TrainingPlan, request.user, permission, pk=session.module.plan_id)
    return session


def session_edit(request, pk: int):
    session = _session(request, pk, "training.change_session")
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Session saved."))
        return redirect("training:cohort_training", pk=session.module.plan.cohort_id)
    return _form_page(
        request,
        form,
        title=_("Edit session"),
        cancel_url=reverse("training:cohort_training", args=[session.module.plan.cohort_id]),
        cohort=session.module.plan.cohort,
    )


def _trainees(session: Session) -> list[Participant]:
    """Those in training now, and anyone already recorded (they may have left since)."""
    return list(
        Participant.objects.in_cohort(session.module.plan.cohort)
        .filter(Q(status__in=TRAINEE_STATUSES) | Q(attendances__session=session))
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


def session_sheet(request, pk: int):
    """The blank attendance sheet of a session (Daftar Hadir Pertemuan) as a PDF to sign."""
    session = _session(request, pk, "training.view_attendance")
    if not may_print_sign_in_sheet(request.user):
        raise PermissionDenied
    data = documents.session_sheet_data(session, _trainees(session))
    content = documents.session_sheet_pdf(
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


def session_attendance(request, pk: int):
    """A whole session's attendance on one page, present by default, saved in one submit."""
    session = _session(request, pk, "training.view_attendance")
    cohort = session.module.plan.cohort
    trainees = _trainees(session)
    recorded = {a.participant_id: a for a in Attendance.objects.filter(session=session)}
    may_edit = request.user.has_perm("training.change_attendance") and not session.cancelled
    closed = services.attendance_blocker(session, today=timezone.localdate())
    can_edit = may_edit and not closed
    errors = []
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if closed:
            messages.error(request, closed)
            return redirect("training:attendance", pk=session.pk)
        allowed = set(Attendance.Status.values)
        statuses = {}
        for person in trainees:
            status = request.POST.get(f"status-{person.pk}", "")
            # A NUL character cannot be stored (PostgreSQL refuses it) nor typed: drop it.
            note = request.POST.get(f"note-{person.pk}", "").replace("\x00", "").strip()[:200]
            if status not in allowed:
                errors.append(person)
                continue
            statuses[person.pk] = (status, note)
        if not errors:
            changed = services.attendance_save(session=session, statuses=statuses)
            messages.success(
                request, _("Attendance saved (%(count)d changed).") % {"count": changed}
            )
            return redirect("training:cohort_training", pk=cohort.pk)
    rows = [
        {
            "participant": person,
            "status": request.POST.get(f"status-{person.pk}")
            if request.method == "POST"
            else (
                recorded[person.pk].status if person.pk in recorded else Attendance.Status.PRESENT
            ),
            "note": request.POST.get(f"note-{person.pk}", "")
            if request.method == "POST"
            else (recorded[person.pk].note if person.pk in recorded else ""),
            "error": person in errors,
        }
        for person in trainees
    ]
    return render(
        request,
        "training/attendance.html",
        {
            "session": session,
            "cohort": cohort,
            "rows": rows,
            "choices": Attendance.Status.choices,
            "can_edit": can_edit,
            "closed": closed,
            "recorded": bool(recorded),
            "may_print": may_print_sign_in_sheet(request.user),
        },
    )


@permission_required("training.view_nonteachingday", raise_exception=True)
def non_teaching_days(request):
    year = request.GET.get("year", "")
    days = NonTeachingDay.objects.all()
    if whole_number(year, minimum=1, maximum=9999):
        days = days.filter(date__year=int(year))
    form = NonTeachingDayForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("training.add_nonteachingday"):
            raise PermissionDenied
        if form.is_valid():
            day = form.save()
            messages.success(request, _("%(day)s added.") % {"day": day})
            return redirect("training:non_teaching_days")
    years = NonTeachingDay.objects.dates("date", "year")
    return render(
        request,
        "training/non_teaching_days.html",
        {
            "page": paginate(request, days, 50),
            "form": form,
            "years": [d.year for d in years],
            "year": year,
            "query_string": f"year={year}" if year else "",
        },
    )


@require_http_methods(["GET", "POST"])
def non_teaching_day_delete(request, pk: int):
    if not request.user.has_perm("training.delete_nonteachingday"):
        raise PermissionDenied
    day = get_object_or_404(NonTeachingDay, pk=pk)
    back = f"{reverse('training:non_teaching_days')}?year={day.date.year}"  # the list it was on
    if request.method == "POST":
        day.delete()
        messages.success(request, _("%(day)s deleted.") % {"day": day})
        return redirect(back)
    return render(request, "confirm_delete.html", {"object": day, "cancel_url": back})


def exam_requirements(request, slug: str):
    program = changeable_or_403(Program, request.user, "training.change_examrequirement", slug=slug)
    formset = ExamRequirementFormSet(request.POST or None, instance=program, prefix="groups")
    if request.method == "POST" and formset.is_valid():
        formset.save()
        messages.success(request, _("Exam requirements saved."))
        return redirect(program)
    return render(
        request, "training/exam_requirements.html", {"formset": formset, "program": program}
    )


def exam_result_create(request, pk: int):
    participant = changeable_or_403(
        Participant.objects.select_related("cohort"), request.user, "training.add_examresult", pk=pk
    )
    form = ExamResultForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result = form.save(commit=False)
        result.participant = participant
        result.recorded_by = request.user
        result.save()
        messages.success(request, _("Exam result saved."))
        return redirect("training:participant_training", pk=participant.pk)
    return render(
        request,
        "participants/action_form.html",
        {"form": form, "participant": participant, "title": _("New exam result")},
    )


def exam_certificate(request, pk: int):
    """The scan of an exam certificate: it carries the birth date, so it is a personal document."""
    result = changeable_or_403(
        ExamResult.objects.select_related("participant"),
        request.user,
        "participants.download_document",
        pk=pk,
    )
    return private_file_response(request, result.certificate, subject=result.participant)


def cohort_exams(request, pk: int):
    """Results of one exam for a whole batch at once; empty rows are skipped."""
    cohort = visible_or_404(Cohort.objects.select_related("program"), request.user, pk=pk)
    if not request.user.has_perm("training.add_examresult"):
        raise PermissionDenied
    people = list(
        Participant.objects.in_cohort(cohort)
        .exclude(status=Status.WITHDRAWN)
        .order_by("participant_number")
    )
    form = BatchExamForm(request.POST or None)
    row_errors = {}
    if request.method == "POST" and form.is_valid():
        exam_type, date = form.cleaned_data["exam_type"], form.cleaned_data["date"]
        results = []
        for person in people:
            score_text = request.POST.get(f"score-{person.pk}", "").strip().replace(",", ".")
            verdict = request.POST.get(f"verdict-{person.pk}", "")
            if not score_text and not verdict:
                continue
            try:
                score = None if not score_text else _decimal(score_text)
            except ValueError:
                row_errors[person.pk] = _("“%(value)s” is not a score.") % {"value": score_text}
                continue
            passed, error = judge(exam_type, score, verdict)
            if error:
                row_errors[person.pk] = error
                continue
            results.append(
                ExamResult(
                    participant=person,
                    exam_type=exam_type,
                    date=date,
                    score=score,
                    passed=passed,
                    recorded_by=request.user,
                )
            )
        if not row_errors and results:
            with transaction.atomic():
                ExamResult.objects.bulk_create(results)
                ExamResult.history.bulk_history_create(results)
            messages.success(request, _("%(count)d results saved.") % {"count": len(results)})
            return redirect(cohort)
        if not row_errors:
            form.add_error(None, _("Enter at least one score or result."))
    rows = [
        {
            "participant": person,
            "score": request.POST.get(f"score-{person.pk}", ""),
            "verdict": request.POST.get(f"verdict-{person.pk}", ""),
            "error": row_errors.get(person.pk),
        }
        for person in people
    ]
    return render(
        request,
        "training/cohort_exams.html",
        {"cohort": cohort, "form": form, "rows": rows, "verdicts": PASS_CHOICES},
    )


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite() or value < 0:  # NaN cannot be compared: check it first
        raise ValueError(text)
    try:  # the column's digits: at most 99999.9
        ExamResult._meta.get_field("score").run_validators(value)
    except ValidationError:
        raise ValueError(text) from None
    return value


@permission_required("training.view_attendance", raise_exception=True)
def attendance_export(request, pk: int):
    """Each participant's attendance by module as XLSX (logged): who sees the batch's
    attendance takes it away, instructors of the batch included."""
    cohort = visible_or_404(Cohort.objects.select_related("program"), request.user, pk=pk)
    plan = TrainingPlan.objects.filter(cohort=cohort).first()
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


@permission_required("training.view_trainingplan", raise_exception=True)
def participant_training(request, pk: int):
    participant = visible_or_404(
        Participant.objects.select_related("cohort__program"), request.user, pk=pk
    )
    plan = (
        TrainingPlan.objects.filter(cohort_id=participant.cohort_id).first()
        if participant.cohort_id
        else None
    )
    today = timezone.localdate()
    result = readiness.check(participant, on=today) if plan else None
    return render(
        request,
        "training/participant_training.html",
        {
            "participant": participant,
            "plan": plan,
            "modules": progress.module_hours(plan, today, participant.pk) if plan else [],
            "attendance_rate": result.attendance_rate if result else None,
            "exams": ExamResult.objects.filter(participant=participant).select_related("exam_type")
            if request.user.has_perm("training.view_examresult")
            else None,
        },
    )


@require_POST
def participant_ready(request, pk: int):
    participant = changeable_or_403(
        Participant.objects.select_related("cohort"),
        request.user,
        "participants.change_participant",
        pk=pk,
    )
    try:
        services.participant_mark_ready(participant=participant, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("%(name)s is ready to depart.") % {"name": participant.full_name}
        )
    return redirect(participant)


def participant_depart(request, pk: int):
    participant = changeable_or_403(
        Participant.objects.select_related("cohort__ceremony"),
        request.user,
        "participants.change_participant",
        pk=pk,
    )
    ceremony = getattr(participant.cohort, "ceremony", None) if participant.cohort else None
    initial = {"departure_date": ceremony.local_date() if ceremony else timezone.localdate()}
    form = DepartForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_depart(
                participant=participant,
                by=request.user,
                departure_date=form.cleaned_data["departure_date"],
                flight=form.cleaned_data["flight"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("%(name)s has departed.") % {"name": participant.full_name})
            return redirect(participant)
    return render(
        request,
        "participants/action_form.html",
        {"form": form, "participant": participant, "title": _("Depart")},
    )


@require_POST
def cohort_move(request, pk: int):
    """The batch's status buttons: its people decide with its dates (see the service)."""
    cohort = changeable_or_403(Cohort, request.user, "cohorts.change_cohort", pk=pk)
    target = request.POST.get("status", "")
    if target not in Cohort.Status.values:
        messages.error(request, _("Choose a status."))
        return redirect(cohort)
    try:
        services.cohort_move(cohort=cohort, status=target, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(cohort)s is now “%(status)s”.")
            % {"cohort": cohort, "status": cohort.get_status_display()},
        )
    return redirect(cohort)


def cohort_depart(request, pk: int):
    cohort = changeable_or_403(
        Cohort.objects.select_related("program", "ceremony"),
        request.user,
        "participants.change_participant",
        pk=pk,
    )
    ceremony = getattr(cohort, "ceremony", None)
    form = CohortDepartForm(request.POST or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.cohort_depart(
                cohort=cohort, by=request.user, flight=form.cleaned_data["flight"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(cohort)
        messages.success(
            request, _("%(count)d participants departed.") % {"count": len(report.departed)}
        )
    preview = None
    if ceremony and report is None:
        waiting = list(
            Participant.objects.in_cohort(cohort)
            .filter(status__in=[Status.READY, Status.IN_TRAINING, Status.POSTPONED])
            .order_by("participant_number")
        )
        results = readiness.check_batch(cohort, on=ceremony.local_date(), participants=waiting)
        preview = [
            (p, p.status == Status.READY and results[p.pk].ready, results[p.pk].missing)
            for p in waiting
        ]
    return render(
        request,
        "training/cohort_depart.html",
        {
            "cohort": cohort,
            "ceremony": ceremony,
            "form": form,
            "report": report,
            "preview": preview,
        },
    )


VERIFY_LIMIT = 30  # requests a minute from one address


def verify(request, token: str):
    """Public: the facts of a certificate, for whoever scans its QR code. Nothing more.

    Its address is printed on certificates and never changes. An unknown code answers 404 on
    this page (not the signed-in 404 page), saying whom to ask; a revoked certificate says so
    in a fixed phrase, never with the reason written when it was revoked.
    """
    key = f"verify:{client_ip(request)}:{timezone.now():%Y%m%d%H%M}"
    count = cache.get_or_set(key, 0, timeout=120)
    organisation = Organisation.current()
    if count >= VERIFY_LIMIT:
        return render(
            request,
            "training/verify.html",
            {"limited": True, "organisation": organisation},
            status=429,
        )
    cache.incr(key)
    certificate = (
        Certificate.objects.filter(token=token)
        .select_related("participant__cohort__program")
        .first()
    )
    if certificate is None:
        return render(
            request,
            "training/verify.html",
            {"unknown": True, "organisation": organisation},
            status=404,
        )
    plan = TrainingPlan.objects.filter(cohort_id=certificate.participant.cohort_id).first()
    return render(
        request,
        "training/verify.html",
        {"certificate": certificate, "plan": plan, "organisation": organisation},
    )
