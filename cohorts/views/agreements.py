"""Agreements of a programme (MoU, PKS) and their files."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cohorts.forms import (
    AgreementForm,
)
from cohorts.models import (
    Agreement,
    Program,
)
from cohorts.views.programmes import program_crumbs
from delegation.access import changeable_or_403
from delegation.pages import confirm_delete, file_download, form_page


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
        breadcrumbs=program_crumbs(program, (_("New agreement"), None)),
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
        breadcrumbs=program_crumbs(agreement.program, (str(agreement), None)),
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
