"""A batch's certificates rendered in parts by several workers, joined into one ZIP exactly
once, also when a worker is killed in the middle of a part."""

import datetime
import io
import signal
import time
import zipfile

import psycopg
import pytest
from django.core.files.storage import default_storage
from django.db import connection
from pypdf import PdfReader

from delegation.models import Job
from office.prints import parts, services
from office.prints.tasks import render_certificate_part
from participants.models import Status
from tests.conftest import start_worker, stop_worker
from tests.factories import ModuleFactory, ParticipantFactory, SessionFactory, TrainingPlanFactory
from training import certificate_pdf as certificate_documents
from training.certificates import issue_certificates
from training.models import Attendance

PEOPLE = 5  # two papers each (certificate and charter): ten certificates


@pytest.fixture
def finished_batch(cohort):
    """A batch whose training year has ended, with people who attended: ten certificates."""
    plan = TrainingPlanFactory(cohort=cohort, end_date=datetime.date(2026, 2, 13))
    session = SessionFactory(module=ModuleFactory(plan=plan))
    for n in range(PEOPLE):
        person = ParticipantFactory(full_name=f"Peserta Bagian {n}", status=Status.DEPARTED)
        person.place(cohort)
        Attendance.objects.create(session=session, participant=person)
    return cohort


def zip_of(job: Job) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(job.file.read()))


def files_under(folder: str) -> list[str]:
    found = []
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return found
    found += [f"{folder}/{name}" for name in files]
    for name in folders:
        found += files_under(f"{folder}/{name}")
    return found


def test_the_parts_join_into_one_zip_in_print_order(
    finished_batch, coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(parts, "PART_SIZE", 3)  # ten certificates: four parts
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = services.certificates_request(cohort=finished_batch, user=coordinator)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert (job.params["part_size"], job.params["parts_done"]) == (3, [0, 1, 2, 3])
    bundle = zip_of(job)
    expected = [
        "per-peserta/" + certificate_documents.file_name(fact)
        for fact in certificate_documents.certificates_data(
            certificate_documents.certificates_of(finished_batch)
        )
    ]
    assert [n for n in bundle.namelist() if n.startswith("per-peserta/")] == expected
    assert len(expected) == 2 * PEOPLE
    merged = bundle.read(next(n for n in bundle.namelist() if n.endswith("-semua.pdf")))
    assert len(PdfReader(io.BytesIO(merged)).pages) == 2 * PEOPLE
    assert files_under("jobs") == [job.file.name]  # the parts are gone


def test_a_part_recorded_twice_joins_the_zip_once(finished_batch, coordinator, monkeypatch):
    monkeypatch.setattr(parts, "PART_SIZE", 6)  # two parts
    job = Job.objects.create(
        kind="certificates", params={"cohort": finished_batch.pk}, requested_by=coordinator
    )
    job.start(worker="worker@tests")
    sent = []
    issue_certificates(finished_batch, on=datetime.date(2026, 11, 27))
    parts.split(job, send=lambda job_id, index: sent.append(index))
    assert sent == [0, 1]
    parts.render(job_id=job.pk, index=0)
    parts.render(job_id=job.pk, index=0)  # delivered again: still one part of two
    job.refresh_from_db()
    assert (job.status, job.params["parts_done"]) == (Job.Status.RUNNING, [0])
    parts.render(job_id=job.pk, index=1)
    parts.render(job_id=job.pk, index=1)  # after the end: nothing more
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert files_under("jobs") == [job.file.name]
    assert len([n for n in zip_of(job).namelist() if n.startswith("per-peserta/")]) == 10


def wait_for(condition, *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds:.0f} s for {what}")
        time.sleep(0.2)


@pytest.mark.services
def test_a_worker_killed_during_a_part_still_gives_exactly_one_zip(
    transactional_db, finished_batch, coordinator, monkeypatch
):
    """Worker A renders part 0, then waits for the job's row lock the test holds; it is killed
    there. Its message, never acknowledged, goes to worker B once the (short) visibility
    timeout has passed; B finds part 0 written, records it, renders part 1 and joins them."""
    issue_certificates(finished_batch, on=datetime.date(2026, 11, 27))
    # Four of the batch's papers in two parts of two: as few renders as the story needs.
    ids = [c.pk for c in certificate_documents.certificates_of(finished_batch)][:4]
    job = Job.objects.create(
        kind="certificates",
        params={"cohort": finished_batch.pk, "certificates": ids, "part_size": 2},
        requested_by=coordinator,
    )
    job.start(worker="worker-split@tests")  # split by another worker, still running
    db = connection.settings_dict
    holder = psycopg.connect(
        dbname=db["NAME"],
        host=db["HOST"] or "localhost",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
    )
    # FOR KEY SHARE: the part's row lock (FOR UPDATE) waits, nothing else does.
    holder.execute("SELECT 1 FROM delegation_job WHERE id = %s FOR KEY SHARE", [job.pk])
    monkeypatch.setenv("CELERY_VISIBILITY_TIMEOUT", "3")
    worker_a = start_worker("worker-a@tests")
    worker_b = None
    try:
        render_certificate_part.apply_async(args=[job.pk, 0])
        render_certificate_part.apply_async(args=[job.pk, 1])
        wait_for(
            lambda: default_storage.exists(parts.part_name(job.pk, 0)),
            seconds=180,
            what="worker A to write part 0",
        )
        worker_a.send_signal(signal.SIGKILL)
        worker_a.wait(timeout=30)
        holder.rollback()
        worker_b = start_worker("worker-b@tests")
        wait_for(
            lambda: Job.objects.get(pk=job.pk).status == Job.Status.DONE,
            seconds=240,
            what="worker B to finish the job",
        )
    finally:
        holder.close()
        if worker_a.poll() is None:
            worker_a.kill()
        if worker_b is not None:
            stop_worker(worker_b)
    job.refresh_from_db()
    assert job.params["parts_done"] == [0, 1]
    assert files_under("jobs") == [job.file.name]
    names = [n for n in zip_of(job).namelist() if n.startswith("per-peserta/")]
    assert len(names) == len(set(names)) == len(ids)
