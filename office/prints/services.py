"""Asking for prints: each request becomes (or reuses) one print job.

Official numbers are issued when the job runs (``registry``), not here: a request that is
refused, or never runs, uses none."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Cohort, Program
from delegation.jobs import checksum, request_job, require_background
from delegation.models import Job
from office.prints import ceremony_pack, report, selection
from office.prints.registry import CEREMONY_PACK, CERTIFICATES, PROGRAMME_REPORT, SELECTION_KINDS
from office.prints.tasks import render_document  # noqa: F401  (registers the kinds)
from participants.models import Participant, Status
from recruitment.models import DOCUMENT_FROM, Call, SelectionDocument
from training import certificate_pdf as certificate_documents
from training import readiness
from training.certificates import issue_certificates

# Those still on their way to "ready": the people a pack without anyone on it waits for.
ON_THE_WAY = (Status.SELECTED, Status.IN_TRAINING, Status.POSTPONED)


class PackBlocked(ValidationError):
    """The ceremony pack cannot be made yet: no ceremony recorded, or nobody on the roster."""


def ceremony_pack_request(*, cohort: Cohort, user) -> tuple[Job, bool]:
    try:
        data = ceremony_pack.pack_data(cohort)
    except ceremony_pack.NoCeremony:
        raise PackBlocked(_("Record the departure ceremony first.")) from None
    if not data["participants"]:
        raise PackBlocked(_("Nobody in this batch is ready to depart or has departed."))
    return request_job(
        kind=CEREMONY_PACK,
        subject=cohort,
        data_checksum=checksum(data),
        make_params=lambda: {
            "cohort": cohort.pk,
            "by": user.get_full_name() or user.get_username(),
        },
        user=user,
    )


def ceremony_pack_blockers(*, cohort: Cohort, user) -> dict:
    """Why the batch's pack cannot be printed, for its page: whether the ceremony is missing,
    and each person still on the way to "ready" with the requirements they do not meet yet
    (those ``user`` may read)."""
    waiting = list(
        Participant.objects.visible_to(user)
        .filter(cohort=cohort, status__in=ON_THE_WAY)
        .order_by("participant_number", "full_name")
    )
    checks = readiness.check_batch(cohort, participants=waiting) if waiting else {}
    not_ready = []
    for participant in waiting:
        result = checks[participant.pk]
        shown = readiness.requirements_shown_to(user, result.requirements)
        not_ready.append(
            {
                "participant": participant,
                "ready": result.ready,
                "missing": [r.detail for r in shown if not r.met],
            }
        )
    return {
        "ceremony_missing": getattr(cohort, "ceremony", None) is None,
        "on_roster": Participant.objects.filter(
            cohort=cohort, status__in=ceremony_pack.ON_THE_ROSTER
        ).exists(),
        "waiting": not_ready,
    }


def certificates_request(*, cohort: Cohort, user) -> tuple[Job, bool]:
    require_background()  # before any certificate is issued
    certificates = issue_certificates(cohort, on=timezone.localdate())
    if not certificates:
        raise ValidationError(
            _("Nobody has completed the training year yet: the plan must have ended.")
        )
    data = certificate_documents.certificates_data(certificates)
    return request_job(
        kind=CERTIFICATES,
        subject=cohort,
        data_checksum=checksum(data),
        make_params=lambda: {"cohort": cohort.pk},
        user=user,
    )


def programme_report_request(*, program, user) -> tuple[Job, bool]:
    data = report.report_data(program, user)
    return request_job(
        kind=PROGRAMME_REPORT,
        subject=program,
        data_checksum=checksum(data),
        make_params=lambda: {"program": program.pk, "data": data},
        user=user,
    )


def selection_document_request(*, call: Call, kind: str, user) -> tuple[Job, bool]:
    """One of a call's documents (announcement, result, minutes, draft decree)."""
    if kind not in SELECTION_KINDS:
        raise ValidationError(_("Unknown document."))
    if call.status not in DOCUMENT_FROM[SelectionDocument(kind)]:
        raise ValidationError(
            _("This document is not available while the call is “%(status)s”.")
            % {"status": call.get_status_display()}
        )
    data = selection.selection_data(call, kind)
    return request_job(
        kind=kind,
        subject=call,
        data_checksum=checksum(data),
        make_params=lambda: {"call": call.pk},
        user=user,
    )


@transaction.atomic
def print_regenerate(*, job: Job, user) -> tuple[Job, bool]:
    """Ask again for a finished or failed document: new numbers, a fresh file. A finished one
    is superseded (a failed one stays failed, with its reason)."""
    require_background()
    job = Job.objects.select_for_update().get(pk=job.pk)
    subject = job.subject
    if job.status == Job.Status.DONE:
        job.supersede()
    if job.kind == PROGRAMME_REPORT:
        return programme_report_request(program=subject, user=user)
    if job.kind in SELECTION_KINDS:
        return selection_document_request(call=subject, kind=job.kind, user=user)
    request = ceremony_pack_request if job.kind == CEREMONY_PACK else certificates_request
    return request(cohort=subject, user=user)


def latest_programme_reports(user) -> list[Job]:
    """The latest finished programme report of each programme ``user`` can see, newest first.

    Leadership read these though they request no jobs: the report is theirs. Whoever asked
    for it, a report is shown only while its programme is visible to ``user``."""
    jobs = (
        Job.objects.filter(
            kind=PROGRAMME_REPORT,
            status=Job.Status.DONE,
            subject_type=ContentType.objects.get_for_model(Program),
            subject_id__in=Program.objects.visible_to(user).values("pk"),
        )
        .exclude(file="")
        .order_by("subject_id", "-finished_at", "-pk")
    )
    latest: dict[int, Job] = {}
    for job in jobs:
        latest.setdefault(job.subject_id, job)
    programs = Program.objects.in_bulk(list(latest))
    for subject_id, job in latest.items():
        job.program = programs[subject_id]
    return sorted(latest.values(), key=lambda job: job.finished_at, reverse=True)


def latest_programme_report(*, program: Program) -> Job | None:
    """The latest finished report of ``program`` (the caller has checked it is visible)."""
    return (
        Job.objects.for_subject(program)
        .filter(kind=PROGRAMME_REPORT, status=Job.Status.DONE)
        .exclude(file="")
        .order_by("-finished_at", "-pk")
        .first()
    )
