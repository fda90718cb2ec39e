"""The shapes most pages take, shared by every app: a form on its own page, a form acting on
one participant, a confirmation before deleting, and a stored file sent to someone allowed to
have it. A view fetches its object through the access helpers, then answers with one of
these."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.forms import BaseForm
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from delegation.access import changeable_or_403
from delegation.audit import record_event
from delegation.downloads import private_file_response
from delegation.models import AuditEvent

Crumbs = list[tuple[str, str | None]]


def form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    title: str,
    cancel_url: str,
    breadcrumbs: Crumbs | None = None,
    note: str = "",
) -> HttpResponse:
    """A form alone on its page (``form_page.html``), with Save and Cancel, and a note above
    it where the form needs one."""
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "breadcrumbs": breadcrumbs,
            "note": note,
        },
    )


def action_page(
    request: HttpRequest, form: BaseForm, *, participant: models.Model, title: str
) -> HttpResponse:
    """A form that acts on one participant, under their name, with a way back to them."""
    return render(
        request,
        "participants/action_form.html",
        {"form": form, "participant": participant, "title": title},
    )


def confirm_delete(
    request: HttpRequest,
    obj: models.Model,
    *,
    back: str,
    deleted: str,
    files: Iterable[FieldFile] = (),
    audit: bool = False,
) -> HttpResponse:
    """Ask before deleting ``obj`` (GET); on POST delete it with its stored ``files``, record
    the deletion when ``audit`` (who deleted what), say ``deleted`` and go ``back``."""
    if request.method != "POST":
        return render(request, "confirm_delete.html", {"object": obj, "cancel_url": back})
    with transaction.atomic():
        if audit:
            record_event(request.user, AuditEvent.Action.DELETE, obj, detail=str(obj))
        obj.delete()
    for stored in files:
        stored.delete(save=False)
    messages.success(request, deleted)
    return redirect(back)


def file_download(
    request: HttpRequest,
    source: type[models.Model] | models.QuerySet,
    pk: int,
    *,
    permission: str,
    field: str,
    subject: str | None = None,
) -> FileResponse:
    """The file stored in ``field`` of the object ``pk`` the user sees and holds
    ``permission`` for (404, 403 otherwise), logged against ``subject`` (an attribute of the
    object, such as its participant; the object itself when None)."""
    obj = changeable_or_403(source, request.user, permission, pk=pk)
    return private_file_response(
        request, getattr(obj, field), subject=getattr(obj, subject) if subject else obj
    )


def refuse(request: HttpRequest, error: ValidationError) -> None:
    """Show each reason of a refused service call as an error message."""
    for message in error.messages:
        messages.error(request, message)
