"""A participant's uploaded papers (identity and travel documents), their files, and the
documents each programme requires."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cohorts.models import Program
from delegation.access import changeable_or_403
from delegation.pages import action_page, file_download
from participants.forms import DocumentForm, RequirementsForm
from participants.models import Document, DocumentRequirement, Participant


def document_create(request: HttpRequest, pk: int) -> HttpResponse:
    participant = changeable_or_403(Participant, request.user, "participants.add_document", pk=pk)
    return _document_form(request, participant, renewing=None)


def document_renew(request: HttpRequest, pk: int) -> HttpResponse:
    old = changeable_or_403(
        Document.objects.current().select_related("participant", "document_type"),
        request.user,
        "participants.add_document",
        pk=pk,
    )
    return _document_form(request, old.participant, renewing=old)


def _document_form(request: HttpRequest, participant, *, renewing) -> HttpResponse:
    form = DocumentForm(request.POST or None, request.FILES or None, renewing=renewing)
    if request.method == "POST" and form.is_valid():
        document = form.save(commit=False)
        document.participant = participant
        document.handled_by = request.user
        if renewing:
            document.document_type = renewing.document_type
            document.replaces = renewing
        document.save()
        messages.success(request, _("%(document)s saved.") % {"document": document.document_type})
        return redirect(participant)
    title = (
        _("Renew %(document)s") % {"document": renewing.document_type}
        if renewing
        else _("New document")
    )
    return action_page(request, form, participant=participant, title=title)


def document_file(request: HttpRequest, pk: int) -> FileResponse:
    return file_download(
        request,
        Document.objects.select_related("participant"),
        pk,
        permission="participants.download_document",
        field="file",
        subject="participant",
    )


def requirements(request: HttpRequest, slug: str) -> HttpResponse:
    program = changeable_or_403(
        Program, request.user, "participants.change_documentrequirement", slug=slug
    )
    current = DocumentRequirement.objects.filter(program=program)
    form = RequirementsForm(
        request.POST or None,
        initial={"document_types": [r.document_type_id for r in current]},
    )
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["document_types"])
        with transaction.atomic():
            current.exclude(document_type__in=chosen).delete()
            for document_type in chosen:
                DocumentRequirement.objects.get_or_create(
                    program=program, document_type=document_type
                )
        messages.success(request, _("Required documents saved."))
        return redirect(program)
    return render(
        request, "participants/requirements_form.html", {"form": form, "program": program}
    )
