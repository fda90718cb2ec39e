"""Importing participants from CSV or XLSX: the upload, the preview that checks every row,
the confirmation, and the column templates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cohorts.models import Cohort
from delegation.audit import record_event
from delegation.models import AuditEvent, Job
from delegation.spreadsheets import csv_response, xlsx_response
from participants import importer, services
from participants.forms import ImportForm
from participants.services import (
    IMPORT_CHECK_JOB,
    ImportAlreadyConfirmed,
    participants_import_now,
    participants_import_request,
)

IMPORT_KEY = "participant_import"
# Files with more rows than this are imported by a background job.
SYNC_IMPORT_LIMIT = 200


@permission_required("participants.add_participant", raise_exception=True)
def import_upload(request: HttpRequest) -> HttpResponse:
    cohorts = Cohort.objects.visible_to(request.user).select_related("program")
    # A corrected file goes to the same batch, the same way, as the one it replaces.
    previous = request.session.get(IMPORT_KEY) or {}
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        cohorts=cohorts,
        initial={"cohort": previous.get("cohort"), "historical": previous.get("historical")},
    )
    if request.method == "POST" and form.is_valid():
        request.session[IMPORT_KEY] = services.import_upload_keep(
            upload=form.cleaned_data["file"],
            cohort=form.cleaned_data["cohort"],
            historical=form.cleaned_data["historical"],
            replacing=previous,
        )
        return redirect("participants:import_preview")
    return render(request, "participants/import_upload.html", {"form": form})


def _expired(request: HttpRequest) -> HttpResponse:
    messages.error(request, _("Upload the file again: the previous upload has expired."))
    return redirect("participants:import_upload")


def _pending_import(request: HttpRequest) -> tuple[dict | None, Cohort | None]:
    pending = request.session.get(IMPORT_KEY)
    if not pending or not default_storage.exists(pending["path"]):
        return None, None
    cohort = None
    if pending["cohort"]:
        cohort = Cohort.objects.visible_to(request.user).filter(pk=pending["cohort"]).first()
    return pending, cohort


def _background_check(request: HttpRequest, pending) -> Job | None:
    """The job checking a large file, started on the first visit; None for a small file."""
    job_id = pending.get("check_job")
    if job_id is None:
        job = services.import_check_start(pending=pending, user=request.user)
        if job is not None:
            request.session[IMPORT_KEY] = {**pending, "check_job": job.pk}
        return job
    mine = Job.objects.filter(kind=IMPORT_CHECK_JOB, requested_by=request.user)
    return mine.filter(pk=job_id).first()


def _import_in_background(request: HttpRequest, pending, cohort, count: int) -> HttpResponse:
    try:
        job = participants_import_request(pending=pending, cohort=cohort, user=request.user)
    except ImportAlreadyConfirmed as error:
        return _already_confirmed(request, error)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("participants:import_preview")
    request.session.pop(IMPORT_KEY, None)
    record_event(request.user, AuditEvent.Action.IMPORT, job, detail=f"{count} rows queued")
    messages.info(
        request,
        _("%(count)d rows are being imported in the background.") % {"count": count},
    )
    return redirect("jobs")


def _already_confirmed(request: HttpRequest, error: ImportAlreadyConfirmed) -> HttpResponse:
    request.session.pop(IMPORT_KEY, None)
    messages.error(request, " ".join(error.messages))
    return redirect("participants:import_upload")


@permission_required("participants.add_participant", raise_exception=True)
def import_preview(request: HttpRequest) -> HttpResponse:
    pending, cohort = _pending_import(request)
    if pending is None:
        return _expired(request)
    try:
        check = _background_check(request, pending)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("participants:import_upload")
    except FileNotFoundError:  # imported, and removed, by a confirmation a moment ago
        return _expired(request)
    if check is not None:
        return _preview_checked_in_background(request, pending, cohort, check)
    return _preview_checked_now(request, pending, cohort)


def _preview_checked_in_background(
    request: HttpRequest, pending: dict, cohort, check: Job
) -> HttpResponse:
    """A large file: the check job's progress, then its verdict; confirming queues the import."""
    checked_ok = check.status == Job.Status.DONE and not check.params.get("error_count")
    quota_problem = None
    if checked_ok:  # said at the preview already, and checked again on confirming
        quota_problem = services.import_quota_problem(cohort, check.params["rows"])
    if request.method == "POST" and checked_ok and quota_problem is None:
        return _import_in_background(request, pending, cohort, check.params["rows"])
    return render(
        request,
        "participants/import_preview.html",
        {
            "check": check,
            "checked_ok": checked_ok,
            "pending": pending,
            "cohort": cohort,
            "quota_problem": quota_problem,
        },
    )


def _preview_checked_now(request: HttpRequest, pending: dict, cohort) -> HttpResponse:
    """A small file, checked in the request: its rows or its errors; confirming imports it
    now (or queues it above ``SYNC_IMPORT_LIMIT`` rows)."""
    try:
        with default_storage.open(pending["path"], "rb") as handle:
            result = importer.check_file(handle, pending["name"], historical=pending["historical"])
    except FileNotFoundError:
        return _expired(request)
    quota_problem = None
    if result.ok:  # said at the preview already, and checked again on confirming
        quota_problem = services.import_quota_problem(cohort, len(result.rows))
    if request.method == "POST" and result.ok and quota_problem is None:
        count = len(result.rows)
        if count > SYNC_IMPORT_LIMIT:
            return _import_in_background(request, pending, cohort, count)
        try:
            return _import_now(request, pending, cohort, result.rows)
        except ImportAlreadyConfirmed as error:
            return _already_confirmed(request, error)
        except ValidationError as error:  # the batch filled up or a NIK was taken meanwhile
            quota_problem = " ".join(error.messages)
    return render(
        request,
        "participants/import_preview.html",
        {
            "result": result,
            "pending": pending,
            "cohort": cohort,
            "columns": importer.COLUMNS,
            "quota_problem": quota_problem,
        },
    )


def _import_now(request: HttpRequest, pending: dict, cohort, rows: list) -> HttpResponse:
    """Import the checked rows in this request (all or nothing), log it and go to the list."""
    participants_import_now(pending=pending, cohort=cohort, rows=rows, user=request.user)
    request.session.pop(IMPORT_KEY, None)
    count = len(rows)
    record_event(request.user, AuditEvent.Action.IMPORT, cohort, detail=f"{count} participants")
    messages.success(request, _("%(count)d participants imported.") % {"count": count})
    return redirect(
        reverse("participants:participant_list") + (f"?cohort={cohort.pk}" if cohort else "")
    )


@permission_required("participants.add_participant", raise_exception=True)
def import_template(request: HttpRequest) -> HttpResponse:
    return csv_response(importer.template_csv(), "template-peserta.csv")


@permission_required("participants.add_participant", raise_exception=True)
def import_template_xlsx(request: HttpRequest) -> HttpResponse:
    """The template as a workbook: digit columns kept as text, and the allowed values."""
    return xlsx_response(importer.template_xlsx(), "template-peserta.xlsx")
