"""Programmes: their list and terms, and who signs their documents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cohorts.forms import (
    ProgramForm,
    SignatoryFormSet,
)
from cohorts.models import (
    Program,
)
from delegation.access import changeable_or_403
from delegation.pages import form_page
from delegation.pagination import paginate, query_string_without_page


def program_crumbs(program: Program, *more):
    return [
        (_("Programmes"), reverse("cohorts:program_list")),
        (program.name, program.get_absolute_url()),
        *more,
    ]


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
        breadcrumbs=program_crumbs(program, (_("Edit"), None)),
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
