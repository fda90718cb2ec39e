"""A batch's certificates rendered in parts by several workers at once, joined into one ZIP.

* The certificates job's task (``render_document``, through ``split``) fixes the
  certificates and the part size on the job and sends one task per part to the ``documents``
  queue; the job stays running.
* Each part task renders its certificates into a part file in the media storage
  (``jobs/parts/<job>/<n>.zip``) and then, holding the job's row lock, records the part as done.
  The one that completes the set joins the parts into the job's ZIP, finishes the job and
  removes the parts: the row lock and the job's status make that happen exactly once.
* A worker killed during a part leaves its message unacknowledged: the broker hands it to
  another worker after the visibility timeout, which renders the part again (or finds its file
  already written) and carries on. A job whose worker died during the split is sent again by
  ``requeue_stale_jobs``; parts already written are not rendered again.
"""

from __future__ import annotations

import hashlib
import math

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from cohorts.models import Cohort
from delegation.jobs import store_file
from delegation.models import Job
from training import certificate_pdf as certificate_documents

PART_SIZE = 100  # certificates per part: small enough to share 1,000 among workers evenly


def part_name(job_id: int, index: int) -> str:
    return f"jobs/parts/{job_id}/{index:04d}.zip"


def part_count(job: Job) -> int:
    return math.ceil(len(job.params["certificates"]) / job.params["part_size"])


def split(job: Job, *, send) -> None:
    """Fix the job's certificates and part size (once: a second run keeps them) and send a
    task for every part not yet done; with no certificate left, finish with an empty ZIP."""
    if "certificates" not in job.params:
        cohort = Cohort.objects.get(pk=job.params["cohort"])
        ids = [c.pk for c in certificate_documents.certificates_of(cohort)]
        job.params.update(certificates=ids, part_size=PART_SIZE, parts_done=[])
        Job.objects.filter(pk=job.pk).update(params=job.params)
    done = set(job.params.get("parts_done", []))
    total = part_count(job)
    if total == 0 or len(done) == total:
        complete(job.pk)
        return
    for index in range(total):
        if index not in done:
            send(job.pk, index)


def render(*, job_id: int, index: int) -> None:
    """Render part ``index`` of a running certificates job (unless its file is there already),
    then record it; nothing for a job no longer running."""
    job = Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).first()
    if job is None:
        return
    name = part_name(job_id, index)
    if not default_storage.exists(name):
        size = job.params["part_size"]
        ids = job.params["certificates"][index * size : (index + 1) * size]
        facts = certificate_documents.certificates_data(
            certificate_documents.certificates_in_order(ids)
        )
        store_file(name, certificate_documents.render_part(facts))
    complete(job_id, index)


def complete(job_id: int, index: int | None = None) -> None:
    """Record part ``index`` as done under the job's row lock; the call that completes the set
    joins the parts into the job's file and finishes the job."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != Job.Status.RUNNING:
            return
        done = set(job.params.get("parts_done", []))
        if index is not None:
            done.add(index)
        job.params["parts_done"] = sorted(done)
        total = part_count(job)
        if len(done) < total:
            Job.objects.filter(pk=job_id).update(params=job.params)
            job.set_progress(round(90 * len(done) / total))
            return
        cohort = Cohort.objects.get(pk=job.params["cohort"])
        parts = []
        for n in range(total):
            with default_storage.open(part_name(job_id, n), "rb") as handle:
                parts.append(handle.read())
        content = certificate_documents.assemble(parts, name=f"sertifikat-angkatan-{cohort.number}")
        stored = store_file(
            f"jobs/{timezone.now():%Y/%m}/{job.pk}-sertifikat-angkatan-{cohort.number}.zip",
            content,
        )
        Job.objects.filter(pk=job_id).update(params=job.params)
        job.finish(file_name=stored, sha256=hashlib.sha256(content).hexdigest())
    for n in range(total):
        default_storage.delete(part_name(job_id, n))
