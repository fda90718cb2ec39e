"""Lists, forms and actions of programmes, partners, agreements, batches and ceremonies."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Prefetch, ProtectedError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cohorts.filters import CohortFilter
from cohorts.forms import (
    AgreementForm,
    AttendeeFormSet,
    CohortAssignmentForm,
    CohortForm,
    DepartureCeremonyForm,
    PartnerForm,
    ProgramAssignmentForm,
    ProgramForm,
    SignatoryFormSet,
)
from cohorts.models import (
    Agreement,
    Cohort,
    CohortAssignment,
    DepartureCeremony,
    Partner,
    Program,
    ProgramAssignment,
)
from delegation.access import changeable_or_403, visible_or_404
from delegation.audit import record_event
from delegation.models import AuditEvent
from delegation.pages import confirm_delete, file_download, form_page
from delegation.pagination import paginate, query_string_without_page
from delegation.querystring import whole_number


def _program_crumbs(program: Program, *more):
    return [
        (_("Programmes"), reverse("cohorts:program_list")),
        (program.name, program.get_absolute_url()),
        *more,
    ]


# Partners


@permission_required("cohorts.view_partner", raise_exception=True)
def partner_list(request: HttpRequest) -> HttpResponse:
    partners = (
        Partner.objects.visible_to(request.user)
        .annotate(program_count=Count("programs"))
        .order_by("name")
    )
    query = request.GET.get("q", "").strip()
    if query:
        partners = partners.filter(name__icontains=query)
    return render(
        request,
        "cohorts/partner_list.html",
        {
            "page": paginate(request, partners),
            "query": query,
            "query_string": query_string_without_page(request),
        },
    )


@permission_required("cohorts.add_partner", raise_exception=True)
def partner_create(request: HttpRequest) -> HttpResponse:
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        partner = form.save()
        messages.success(request, _("Partner “%(name)s” saved.") % {"name": partner.name})
        return redirect("cohorts:partner_list")
    return form_page(
        request, form, title=_("New partner"), cancel_url=reverse("cohorts:partner_list")
    )


def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partner = changeable_or_403(Partner, request.user, "cohorts.change_partner", pk=pk)
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Partner “%(name)s” saved.") % {"name": partner.name})
        return redirect("cohorts:partner_list")
    return form_page(
        request,
        form,
        title=_("Edit partner %(name)s") % {"name": partner.name},
        cancel_url=reverse("cohorts:partner_list"),
    )


# Programmes


@permission_required("cohorts.view_program", raise_exception=True)
def program_list(request: HttpRequest) -> HttpResponse:
    programs = (
        Program.objects.visible_to(request.user)
        .select_related("partner")
        .annotate(cohort_count=Count("cohorts", distinct=True))
        .search(request.GET.get("q", "").strip())
        .order_by("name")
    )
    status = request.GET.get("status", "")
    if status in Program.Status.values:
        programs = programs.filter(status=status)
    return render(
        request,
        "cohorts/program_list.html",
        {
            "page": paginate(request, programs),
            "query": request.GET.get("q", "").strip(),
            "status": status,
            "statuses": Program.Status.choices,
            "query_string": query_string_without_page(request),
        },
    )


@permission_required("cohorts.add_program", raise_exception=True)
def program_create(request: HttpRequest) -> HttpResponse:
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        program = form.save()
        messages.success(request, _("Programme “%(name)s” created.") % {"name": program.name})
        return redirect(program)
    return form_page(
        request, form, title=_("New programme"), cancel_url=reverse("cohorts:program_list")
    )


def program_edit(request: HttpRequest, slug: str) -> HttpResponse:
    program = changeable_or_403(Program, request.user, "cohorts.change_program", slug=slug)
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        program = form.save()
        messages.success(request, _("Programme “%(name)s” saved.") % {"name": program.name})
        return redirect(program)
    return form_page(
        request,
        form,
        title=_("Edit programme"),
        cancel_url=program.get_absolute_url(),
        breadcrumbs=_program_crumbs(program, (_("Edit"), None)),
    )


# Agreements


def agreement_create(request: HttpRequest, slug: str) -> HttpResponse:
    program = changeable_or_403(Program, request.user, "cohorts.add_agreement", slug=slug)
    form = AgreementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        agreement = form.save(commit=False)
        agreement.program = program
        agreement.save()
        messages.success(request, _("Agreement %(number)s saved.") % {"number": agreement.number})
        return redirect(program)
    return form_page(
        request,
        form,
        title=_("New agreement"),
        cancel_url=program.get_absolute_url(),
        breadcrumbs=_program_crumbs(program, (_("New agreement"), None)),
    )


def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = changeable_or_403(Agreement, request.user, "cohorts.change_agreement", pk=pk)
    form = AgreementForm(request.POST or None, request.FILES or None, instance=agreement)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Agreement %(number)s saved.") % {"number": agreement.number})
        return redirect(agreement.program)
    return form_page(
        request,
        form,
        title=_("Edit agreement"),
        cancel_url=agreement.program.get_absolute_url(),
        breadcrumbs=_program_crumbs(agreement.program, (str(agreement), None)),
    )


@require_http_methods(["GET", "POST"])
def agreement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = changeable_or_403(Agreement, request.user, "cohorts.delete_agreement", pk=pk)
    program = agreement.program
    return confirm_delete(
        request,
        agreement,
        back=program.get_absolute_url(),
        deleted=_("Agreement %(number)s deleted.") % {"number": agreement.number},
        files=[agreement.file],
        audit=True,
    )


def agreement_file(request: HttpRequest, pk: int) -> FileResponse:
    return file_download(
        request, Agreement, pk, permission="cohorts.download_agreement", field="file"
    )


# Batches


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
        breadcrumbs=_program_crumbs(
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


# Staff assignments


def program_staff(request: HttpRequest, slug: str) -> HttpResponse:
    program = changeable_or_403(Program, request.user, "cohorts.add_programassignment", slug=slug)
    cohorts = program.cohorts.order_by("number").prefetch_related(
        Prefetch("instructor_assignments", queryset=CohortAssignment.objects.select_related("user"))
    )
    program_form = ProgramAssignmentForm(program=program, prefix="program")
    cohort_forms = {}
    if request.method == "POST":
        if "program-user" in request.POST:
            program_form = ProgramAssignmentForm(request.POST, program=program, prefix="program")
            if program_form.is_valid():
                assignment = program_form.save()
                messages.success(
                    request,
                    _("%(user)s assigned as %(role)s.")
                    % {"user": assignment.user, "role": assignment.get_role_display()},
                )
                return redirect("cohorts:program_staff", slug=program.slug)
        else:
            cohort = get_object_or_404(cohorts, pk=whole_number(request.POST.get("cohort")) or 0)
            form = CohortAssignmentForm(request.POST, cohort=cohort, prefix=f"cohort{cohort.pk}")
            if form.is_valid():
                assignment = form.save()
                messages.success(
                    request,
                    _("%(user)s assigned to %(cohort)s.")
                    % {"user": assignment.user, "cohort": cohort},
                )
                return redirect("cohorts:program_staff", slug=program.slug)
            cohort_forms[cohort.pk] = form
    cohort_rows = [
        {
            "cohort": cohort,
            "assignments": cohort.instructor_assignments.all(),
            "form": cohort_forms.get(cohort.pk)
            or CohortAssignmentForm(cohort=cohort, prefix=f"cohort{cohort.pk}"),
        }
        for cohort in cohorts
    ]
    return render(
        request,
        "cohorts/program_staff.html",
        {
            "program": program,
            "assignments": program.staff_assignments.select_related("user"),
            "program_form": program_form,
            "cohort_rows": cohort_rows,
        },
    )


@require_http_methods(["GET", "POST"])
def program_assignment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = changeable_or_403(
        ProgramAssignment.objects.select_related("program", "user"),
        request.user,
        "cohorts.delete_programassignment",
        pk=pk,
    )
    return _confirm_removal(request, assignment, assignment.program)


@require_http_methods(["GET", "POST"])
def cohort_assignment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = changeable_or_403(
        CohortAssignment.objects.select_related("cohort__program", "user"),
        request.user,
        "cohorts.delete_cohortassignment",
        pk=pk,
    )
    return _confirm_removal(request, assignment, assignment.cohort.program)


def _confirm_removal(request: HttpRequest, assignment, program: Program) -> HttpResponse:
    back = reverse("cohorts:program_staff", args=[program.slug])
    return confirm_delete(
        request,
        assignment,
        back=back,
        deleted=_("Assignment removed: %(assignment)s.") % {"assignment": assignment},
        audit=True,
    )


def signatories(request: HttpRequest, slug: str) -> HttpResponse:
    """Who signs each official document of the programme (coordinators keep this)."""
    program = changeable_or_403(Program, request.user, "cohorts.change_programsignatory", slug=slug)
    formset = SignatoryFormSet(request.POST or None, instance=program, prefix="signers")
    if request.method == "POST" and formset.is_valid():
        formset.save()
        messages.success(request, _("Signatories saved."))
        return redirect(program)
    return render(request, "cohorts/signatories.html", {"formset": formset, "program": program})
