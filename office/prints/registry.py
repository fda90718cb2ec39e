"""Which function renders each kind of document job: (file name, bytes) from a Job.

Official numbers are issued by the first run of a job and kept on it (``job_value``)."""

from __future__ import annotations

from django.utils import timezone

from cohorts.models import Cohort, Program
from delegation.jobs import job_value
from delegation.models import Job
from delegation.numbering import issue_number
from office.prints import ceremony_pack, report, selection
from recruitment.models import Call, SelectionDocument
from training import certificate_pdf as certificate_documents

CEREMONY_PACK = "ceremony_pack"
CERTIFICATES = "certificates"
PROGRAMME_REPORT = "programme_report"


def render_ceremony_pack(job: Job) -> tuple[str, bytes]:
    cohort = Cohort.objects.select_related("program__partner").get(pk=job.params["cohort"])
    data = ceremony_pack.pack_data(cohort)
    numbers = job_value(job, "numbers", lambda: ceremony_pack.issue_numbers(data))
    content = ceremony_pack.render_pack(data, numbers, requested_by=job.params.get("by", ""))
    return f"acara-pelepasan-angkatan-{cohort.number}.pdf", content


def render_certificates(job: Job) -> tuple[str, bytes]:
    cohort = Cohort.objects.get(pk=job.params["cohort"])
    return f"sertifikat-angkatan-{cohort.number}.zip", certificate_documents.render_zip(cohort)


def render_programme_report(job: Job) -> tuple[str, bytes]:
    program = Program.objects.select_related("partner").get(pk=job.params["program"])
    number = job_value(
        job, "number", lambda: issue_number(report.NUMBER_CODE, on=timezone.localdate())
    )
    return f"laporan-{program.slug}.pdf", report.render_report(job.params["data"], number)


def render_selection(job: Job) -> tuple[str, bytes]:
    call = Call.objects.select_related("program__partner", "cohort").get(pk=job.params["call"])
    kind = job.kind
    data = selection.selection_data(call, kind)
    number = job_value(
        job,
        "number",
        lambda: issue_number(selection.NUMBER_CODES[kind], on=timezone.localdate()),
    )
    return f"{selection.file_stem(kind)}-{call.pk}.pdf", selection.render_selection(data, number)


SELECTION_KINDS = tuple(kind.value for kind in SelectionDocument)

RENDERERS = {
    CEREMONY_PACK: render_ceremony_pack,
    CERTIFICATES: render_certificates,
    PROGRAMME_REPORT: render_programme_report,
    **dict.fromkeys(SELECTION_KINDS, render_selection),
}


def render(job: Job) -> tuple[str, bytes]:
    return RENDERERS[job.kind](job)
