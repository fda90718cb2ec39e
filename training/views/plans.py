"""The training year of a batch: its plan, modules and schedule, the non-teaching days, and a
participant's training page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cohorts.models import Cohort
from delegation.access import changeable_or_403, visible_or_404
from delegation.pages import confirm_delete, form_page
from delegation.pagination import paginate
from delegation.querystring import whole_number
from participants.models import Participant
from training import progress, readiness, services
from training.forms import ModuleForm, NonTeachingDayForm, PlanForm, ScheduleForm
from training.models import ExamResult, Module, NonTeachingDay, Session, TrainingPlan


def training_form_page(request: HttpRequest, form, *, title: str, cohort: Cohort) -> HttpResponse:
    """A form of the batch's training, with the way back to its training page."""
    back = reverse("training:cohort_training", args=[cohort.pk])
    crumbs = [(_("Training"), reverse("training:home")), (str(cohort), back), (title, None)]
    return form_page(request, form, title=title, cancel_url=back, breadcrumbs=crumbs)


@permission_required("training.view_trainingplan", raise_exception=True)
def home(request: HttpRequest) -> HttpResponse:
    cohorts = (
        Cohort.objects.visible_to(request.user)
        .select_related("program", "training_plan")
        .order_by("-year", "program__name", "-number")
    )
    page = paginate(request, cohorts)
    return render(request, "training/home.html", {"page": page})


@permission_required("training.view_trainingplan", raise_exception=True)
def cohort_training(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = visible_or_404(Cohort.objects.select_related("program"), request.user, pk=pk)
    plan = cohort.plan
    today = timezone.localdate()
    context = {"cohort": cohort, "plan": plan}
    if plan:
        trainees = list(
            Participant.objects.visible_to(request.user)
            .in_cohort(cohort)
            .trainees()
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


def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = visible_or_404(Cohort.objects.select_related("program"), request.user, pk=pk)
    plan = cohort.plan
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
    return training_form_page(
        request,
        form,
        title=_("Training plan of %(cohort)s") % {"cohort": cohort},
        cohort=cohort,
    )


def module_create(request: HttpRequest, pk: int) -> HttpResponse:
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
    return training_form_page(
        request,
        form,
        title=_("New module"),
        cohort=plan.cohort,
    )


def _module(request: HttpRequest, pk: int, permission: str) -> Module:
    return changeable_or_403(
        Module.objects.select_related("plan__cohort"), request.user, permission, pk=pk
    )


def module_edit(request: HttpRequest, pk: int) -> HttpResponse:
    module = _module(request, pk, "training.change_module")
    form = ModuleForm(request.POST or None, instance=module)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Module “%(name)s” saved.") % {"name": module.name})
        return redirect("training:cohort_training", pk=module.plan.cohort_id)
    return training_form_page(
        request,
        form,
        title=_("Edit module"),
        cohort=module.plan.cohort,
    )


@require_http_methods(["GET", "POST"])
def module_delete(request: HttpRequest, pk: int) -> HttpResponse:
    module = _module(request, pk, "training.delete_module")
    back = reverse("training:cohort_training", args=[module.plan.cohort_id])
    if not module.deletable:
        messages.error(
            request,
            _("“%(name)s” has sessions: cancel or delete them first.") % {"name": module.name},
        )
        return redirect(back)
    deleted = _("Module “%(name)s” deleted.") % {"name": module.name}
    return confirm_delete(request, module, back=back, deleted=deleted)


def schedule(request: HttpRequest, pk: int) -> HttpResponse:
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


@permission_required("training.view_nonteachingday", raise_exception=True)
def non_teaching_days(request: HttpRequest) -> HttpResponse:
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
def non_teaching_day_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("training.delete_nonteachingday"):
        raise PermissionDenied
    day = get_object_or_404(NonTeachingDay, pk=pk)
    back = f"{reverse('training:non_teaching_days')}?year={day.date.year}"  # the list it was on
    return confirm_delete(request, day, back=back, deleted=_("%(day)s deleted.") % {"day": day})


@permission_required("training.view_trainingplan", raise_exception=True)
def participant_training(request: HttpRequest, pk: int) -> HttpResponse:
    participant = visible_or_404(
        Participant.objects.select_related("cohort__program"), request.user, pk=pk
    )
    plan = participant.cohort.plan if participant.cohort_id else None
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
