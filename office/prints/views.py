"""The jobs page (prints and imports under way or done), asking for the ceremony pack, the
certificates, the programme report and a call's selection documents, and downloading the
prints."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts.models import Cohort, Program
from delegation.access import visible_or_404
from delegation.audit import record_event
from delegation.downloads import private_file_response
from delegation.jobs import made_again_kinds
from delegation.models import AuditEvent, Job
from delegation.pagination import paginate
from delegation.spreadsheets import xlsx_response
from office.prints import ceremony_pack, services
from recruitment.models import Call


@permission_required("delegation.view_job", raise_exception=True)
def jobs(request: HttpRequest) -> HttpResponse:
    """Every job the user may see, newest first, with the latest programme reports."""
    jobs = (
        Job.objects.visible_to(request.user)
        .select_related("requested_by", "subject_type")
        .prefetch_related("subject")
    )
    page = paginate(request, jobs)
    polling = any_under_way(page)
    reports = (
        services.latest_programme_reports(request.user)
        if request.user.has_perm("delegation.download_reports")
        else []
    )
    return render(
        request,
        "office/jobs.html",
        {"page": page, "polling": polling, "reports": reports},
    )


def _requested(request: HttpRequest, job: Job, created: bool) -> None:
    if created:
        messages.success(request, _("The document is being prepared; it appears below when ready."))
    else:
        messages.info(request, _("This document is already prepared for the current data."))


def _ask(request: HttpRequest, pk: int, service) -> HttpResponse:
    cohort = visible_or_404(Cohort.objects.select_related("program"), request.user, pk=pk)
    try:
        job, created = service(cohort=cohort, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(cohort)
    _requested(request, job, created)
    return redirect("jobs")


@require_POST
@permission_required("delegation.generate_documents", raise_exception=True)
def ceremony_pack_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks for the pack; when it cannot be made yet, the page says why: the ceremony to
    record, who is not ready and what each one still misses."""
    cohort = visible_or_404(Cohort.objects.select_related("program"), request.user, pk=pk)
    try:
        job, created = services.ceremony_pack_request(cohort=cohort, user=request.user)
    except services.PackBlocked:
        blockers = services.ceremony_pack_blockers(cohort=cohort, user=request.user)
        context = {"cohort": cohort, "program": cohort.program, **blockers}
        return render(request, "office/prints/ceremony_pack_blocked.html", context, status=409)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(cohort)
    _requested(request, job, created)
    return redirect("jobs")


@require_POST
@permission_required("delegation.generate_documents", raise_exception=True)
def certificates_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _ask(request, pk, services.certificates_request)


@require_POST
@permission_required("delegation.generate_documents", raise_exception=True)
def programme_report_create(request: HttpRequest, slug: str) -> HttpResponse:
    program = visible_or_404(Program.objects.select_related("partner"), request.user, slug=slug)
    try:
        job, created = services.programme_report_request(program=program, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(program)
    _requested(request, job, created)
    return redirect("jobs")


@require_POST
@permission_required("delegation.generate_documents", raise_exception=True)
def selection_document_create(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    call = visible_or_404(Call.objects.select_related("program", "cohort"), request.user, pk=pk)
    try:
        job, created = services.selection_document_request(call=call, kind=kind, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(call)
    _requested(request, job, created)
    return redirect("jobs")


@require_POST
@permission_required("delegation.generate_documents", raise_exception=True)
def job_regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    job = visible_or_404(Job.objects.exclude(status=Job.Status.SUPERSEDED), request.user, pk=pk)
    if job.kind not in made_again_kinds():
        message = _("This kind of job cannot be made again.")
        return render(request, "bad_request.html", {"message": message}, status=400)
    if not job.can_be_made_again:
        messages.error(request, _("Wait until the document is ready before making it again."))
        return redirect("jobs")
    try:
        services.print_regenerate(job=job, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The document is being made again with new numbers."))
    return redirect("jobs")


@permission_required("delegation.download_documents", raise_exception=True)
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = visible_or_404(Job, request.user, pk=pk)
    if job.status != Job.Status.DONE:
        raise PermissionDenied
    return private_file_response(request, job.file, subject=job)


@permission_required("delegation.download_reports", raise_exception=True)
def programme_report_latest(request: HttpRequest, slug: str) -> FileResponse:
    """The latest programme report of a programme the user can see: leadership's reading."""
    program = visible_or_404(Program, request.user, slug=slug)
    job = services.latest_programme_report(program=program)
    if job is None:
        raise Http404(_("No programme report has been generated yet."))
    return private_file_response(request, job.file, subject=job)


@permission_required("delegation.download_documents", raise_exception=True)
def roster_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = visible_or_404(Cohort.objects.select_related("program"), request.user, pk=pk)
    try:
        data = ceremony_pack.pack_data(cohort)
    except ceremony_pack.NoCeremony:
        messages.error(request, _("Record the departure ceremony first."))
        return redirect(cohort)
    record_event(request.user, AuditEvent.Action.EXPORT, cohort, detail="roster.xlsx")
    return xlsx_response(
        ceremony_pack.roster_xlsx(data), ceremony_pack.roster_file_name(cohort, data)
    )


@permission_required("delegation.download_documents", raise_exception=True)
def handover_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The handover minutes as an editable DOCX, from the same facts as the pack's PDF."""
    cohort = visible_or_404(Cohort.objects.select_related("program__partner"), request.user, pk=pk)
    try:
        data = ceremony_pack.pack_data(cohort)
    except ceremony_pack.NoCeremony:
        messages.error(request, _("Record the departure ceremony first."))
        return redirect(cohort)
    record_event(request.user, AuditEvent.Action.EXPORT, cohort, detail="berita-acara.docx")
    response = HttpResponse(
        ceremony_pack.handover_docx(data, ceremony_pack.handover_number(cohort)),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="berita-acara-serah-terima-angkatan-{cohort.number}.docx"'
    )
    return response


def job_rows(request: HttpRequest) -> HttpResponse:
    """The jobs page's table alone: htmx polls it while a job is under way."""
    if not request.user.has_perm("delegation.view_job"):
        raise PermissionDenied
    jobs = list(
        Job.objects.visible_to(request.user)
        .select_related("requested_by")
        .prefetch_related("subject")[:25]
    )
    return render(request, "office/_job_rows.html", {"jobs": jobs, "polling": any_under_way(jobs)})


def any_under_way(jobs) -> bool:
    return any(job.status in {Job.Status.QUEUED, Job.Status.RUNNING} for job in jobs)
