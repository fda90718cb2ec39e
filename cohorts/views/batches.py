"""Batches: their list and forms, and their departure ceremony."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cohorts.filters import CohortFilter
from cohorts.forms import (
    AttendeeFormSet,
    CohortForm,
    DepartureCeremonyForm,
)
from cohorts.models import (
    Cohort,
    DepartureCeremony,
    Program,
)
from cohorts.views.programmes import program_crumbs
from delegation.access import changeable_or_403, visible_or_404
from delegation.audit import record_event
from delegation.models import AuditEvent
from delegation.pages import form_page
from delegation.pagination import paginate, query_string_without_page


@permission_required("cohorts.view_cohort", raise_exception=True)
def cohort_list(request: HttpRequest) -> HttpResponse:
    programs = Program.objects.visible_to(request.user).order_by("name")
    cohorts = Cohort.objects.visible_to(request.user).select_related("program", "ceremony")
    filterset = CohortFilter(request.GET or None, queryset=cohorts, programs=programs)
    return render(
        request,
        "cohorts/cohort_list.html",
        {
            "filter": filterset,
            "page": paginate(request, filterset.qs),
            "query_string": query_string_without_page(request),
        },
    )


@permission_required("cohorts.add_cohort", raise_exception=True)
def cohort_create(request: HttpRequest) -> HttpResponse:
    programs = Program.objects.visible_to(request.user).active().order_by("name")
    initial = {}
    program = programs.filter(slug=request.GET.get("program", "")).first()
    if program:
        last = program.cohorts.order_by("-number").first()
        initial = {"program": program, "number": last.number + 1 if last else 1}
    initial.setdefault("year", timezone.localdate().year)
    form = CohortForm(request.POST or None, initial=initial, programs=programs)
    if request.method == "POST" and form.is_valid():
        cohort = form.save()
        messages.success(request, _("%(cohort)s created.") % {"cohort": cohort})
        return redirect(cohort)
    return form_page(request, form, title=_("New batch"), cancel_url=reverse("cohorts:cohort_list"))


def cohort_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = changeable_or_403(Cohort, request.user, "cohorts.change_cohort", pk=pk)
    form = CohortForm(request.POST or None, instance=cohort)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("%(cohort)s saved.") % {"cohort": cohort})
        return redirect(cohort)
    return form_page(
        request,
        form,
        title=_("Edit %(cohort)s") % {"cohort": cohort},
        cancel_url=cohort.get_absolute_url(),
        breadcrumbs=program_crumbs(
            cohort.program, (str(cohort), cohort.get_absolute_url()), (_("Edit"), None)
        ),
    )


@require_http_methods(["GET", "POST"])
def cohort_delete(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = changeable_or_403(Cohort, request.user, "cohorts.delete_cohort", pk=pk)
    if not cohort.deletable:
        messages.error(request, _cohort_kept(cohort))
        return redirect(cohort)
    if request.method == "POST":
        label = str(cohort)
        try:
            with transaction.atomic():
                record_event(request.user, AuditEvent.Action.DELETE, cohort, detail=label)
                cohort.delete()
        except ProtectedError:  # a participant placed since the page was drawn
            messages.error(request, _cohort_kept(cohort))
            return redirect(cohort)
        messages.success(request, _("%(cohort)s deleted.") % {"cohort": label})
        return redirect("cohorts:cohort_list")
    return render(
        request, "confirm_delete.html", {"object": cohort, "cancel_url": cohort.get_absolute_url()}
    )


def _cohort_kept(cohort: Cohort) -> str:
    return _("%(cohort)s still has participants: move or remove them first.") % {"cohort": cohort}


# Departure ceremony


def ceremony_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = visible_or_404(Cohort.objects.select_related("program"), request.user, pk=pk)
    ceremony = DepartureCeremony.objects.filter(cohort=cohort).first()
    needed = "cohorts.change_departureceremony" if ceremony else "cohorts.add_departureceremony"
    if not request.user.has_perm(needed):
        raise PermissionDenied
    ceremony = ceremony or DepartureCeremony(cohort=cohort)
    form = DepartureCeremonyForm(request.POST or None, instance=ceremony)
    next_order = max((a.order for a in ceremony.attendees.all()), default=0) if ceremony.pk else 0
    formset = AttendeeFormSet(
        request.POST or None,
        instance=ceremony,
        prefix="attendees",
        initial=[{"order": next_order + step} for step in range(1, AttendeeFormSet.extra + 1)],
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            form.save()
            formset.save()
        messages.success(request, _("The departure ceremony is saved."))
        return redirect(cohort)
    return render(
        request,
        "cohorts/ceremony_form.html",
        {"form": form, "formset": formset, "cohort": cohort},
    )
