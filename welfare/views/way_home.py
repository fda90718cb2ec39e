"""The way home: recording a return, and the return planning before a contract ends."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from delegation.access import changeable_or_403
from delegation.pagination import paginate, query_string_without_page
from welfare import services
from welfare.forms import (
    DoneForm,
    ExtendInsteadForm,
    ReturnForm,
)
from welfare.models import (
    Case,
    ReturnTask,
)
from welfare.views.common import crumbs_of, participant_for, welfare_form_page


def return_home(request: HttpRequest, pk: int) -> HttpResponse:
    participant = participant_for(request, pk, "welfare.add_return")
    if not request.user.has_perm("participants.change_participant"):
        raise PermissionDenied
    cases = Case.objects.visible_to(request.user).filter(participant=participant)
    form = ReturnForm(request.POST or None, cases=cases, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.return_home(participant=participant, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Return recorded; the follow-ups are scheduled."))
            return redirect(participant)
    return welfare_form_page(
        request,
        form,
        title=_("Return home: %(name)s") % {"name": participant.full_name},
        cancel_url=participant.get_absolute_url(),
        note=_(
            "The status moves, the running contract ends on this date and the follow-ups "
            "at 1, 6 and 12 months are scheduled."
        ),
    )


@permission_required("welfare.view_returntask", raise_exception=True)
def return_planning(request: HttpRequest) -> HttpResponse:
    tasks = (
        ReturnTask.objects.visible_to(request.user)
        .select_related("participant__cohort", "contract")
        .order_by("contract__end_date", "participant__full_name", "due_on")
    )
    show = request.GET.get("show", "")
    if show != "all":
        tasks = tasks.pending()
    query = request.GET.get("q", "").strip()
    if query:
        tasks = tasks.filter(participant__full_name__icontains=query)
    return render(
        request,
        "welfare/return_planning.html",
        {
            "page": paginate(request, tasks, 50),
            "query_string": query_string_without_page(request),
            "show": show,
            "q": query,
            "today": timezone.localdate(),
            "breadcrumbs": crumbs_of((_("Return planning"), None)),
        },
    )


def return_task_done(request: HttpRequest, pk: int) -> HttpResponse:
    task = changeable_or_403(
        ReturnTask.objects.select_related("participant"),
        request.user,
        "welfare.change_returntask",
        pk=pk,
    )
    form = DoneForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.return_task_done(task=task, by=request.user, **form.cleaned_data)
        messages.success(request, _("Item done."))
        return redirect("welfare:return_planning")
    return welfare_form_page(
        request,
        form,
        title=f"{task.participant.full_name} · {task.get_kind_display()}",
        cancel_url=reverse("welfare:return_planning"),
        crumbs=[(_("Return planning"), reverse("welfare:return_planning"))],
    )


def return_extend(request: HttpRequest, pk: int) -> HttpResponse:
    task = changeable_or_403(
        ReturnTask.objects.select_related("participant", "contract"),
        request.user,
        "welfare.change_returntask",
        pk=pk,
    )
    if not request.user.has_perm("participants.change_contract"):
        raise PermissionDenied
    form = ExtendInsteadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_plan_extend(
                contract=task.contract, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Contract extended; the return plan is dropped."))
            return redirect("welfare:return_planning")
    return welfare_form_page(
        request,
        form,
        title=_("Extend instead: %(name)s") % {"name": task.participant.full_name},
        cancel_url=reverse("welfare:return_planning"),
        crumbs=[(_("Return planning"), reverse("welfare:return_planning"))],
    )
