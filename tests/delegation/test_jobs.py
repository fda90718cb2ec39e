"""The one job system: the registry of kinds, sending, the sweep, progress, refusing work."""

# The documents' ``batch`` fixture is imported, and named again by the tests that use it.
# ruff: noqa: F811

import datetime
import io
import os
import threading
import time
from pathlib import Path

import pytest
from celery import current_app
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.storage import default_storage
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone, translation
from kombu.exceptions import OperationalError

from delegation import jobs
from delegation.models import DocumentCounter, Job
from office.prints import services
from office.prints.tasks import render_document
from participants import importer
from participants.models import Participant
from participants.services import (
    IMPORT_JOB,
    participants_import_from_job,
    participants_import_request,
)
from participants.tasks import import_participants_job
from tests.conftest import require, start_worker, stop_worker
from tests.factories import ParticipantFactory, make_nik
from tests.office.test_prints import batch  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
UNAVAILABLE_ID = "Pekerjaan latar belakang sedang tidak tersedia"


@pytest.fixture(autouse=True)
def _english():
    """Reasons and messages are compared in English (pages are read in Indonesian)."""
    with translation.override("en"):
        yield


CLOSED = "redis://127.0.0.1:1/0"


def import_file(rows: int) -> str:
    lines = ["full_name,nik,gender,birth_date,origin_regency,track"] + [
        f"Peserta {n},{make_nik(datetime.date(1998, 2, 18), 'F', serial=n)},P,1998-02-18,"
        "63.71,tenaga kerja"
        for n in range(1, rows + 1)
    ]
    return default_storage.save("imports/big.csv", io.BytesIO("\n".join(lines).encode()))


def import_job(cohort, user, rows: int, **fields) -> Job:
    params = {"path": import_file(rows), "name": "big.csv", "cohort": cohort.pk}
    return Job.objects.create(
        kind=IMPORT_JOB, params={**params, "historical": False}, requested_by=user, **fields
    )


@pytest.fixture
def broker_down(settings):
    """Tasks would go through a broker, and the broker does not answer."""
    settings.REDIS_URL = CLOSED
    current_app.conf.task_always_eager = False


class TestRegistry:
    def test_every_kind_goes_to_its_own_task_under_its_frozen_name(self):
        frozen = {
            "ceremony_pack": "delegation.render_document",
            "certificates": "delegation.render_document",
            "programme_report": "delegation.render_document",
            "participant_import": "participants.import_participants",
        }
        assert frozen.items() <= jobs.registered_kinds().items()
        assert jobs.task_for("participant_import") is import_participants_job
        assert jobs.task_for("ceremony_pack") is render_document

    def test_a_kind_cannot_be_sent_to_a_second_task(self):
        with pytest.raises(ImproperlyConfigured):
            jobs.register_kind("participant_import", "delegation.render_document")

    def test_a_kind_may_be_registered_by_the_name_of_its_task(self, monkeypatch):
        from delegation.tasks import ping

        monkeypatch.setattr(jobs, "_TASKS", {})
        jobs.register_kind("ping_kind", "delegation.ping")
        assert jobs.task_for("ping_kind").name == ping.name == "delegation.ping"

    def test_an_unknown_kind_has_no_task(self):
        with pytest.raises(LookupError):
            jobs.task_for("no_such_kind")

    def test_only_documents_are_offered_to_be_made_again(self):
        assert jobs.made_again_kinds() == {
            "ceremony_pack",
            "certificates",
            "programme_report",
            "call_announcement",
            "selection_result",
            "selection_minutes",
            "selection_decree",
        }


class TestSweep:
    def stale_start(self):
        return timezone.now() - datetime.timedelta(hours=2)

    @pytest.mark.parametrize(
        "kind", ["ceremony_pack", "certificates", "programme_report", "participant_import"]
    )
    def test_each_stale_kind_is_sent_again_to_its_own_task(
        self, kind, monkeypatch, django_capture_on_commit_callbacks
    ):
        sent = []
        for task in (render_document, import_participants_job):
            monkeypatch.setattr(
                task, "apply_async", lambda args, task=task: sent.append((task.name, args))
            )
        job = Job.objects.create(
            kind=kind, status=Job.Status.RUNNING, started_at=self.stale_start(), attempts=1
        )
        with django_capture_on_commit_callbacks(execute=True):
            assert jobs.requeue_stale_jobs() == 1
        job.refresh_from_db()
        assert sent == [(jobs.registered_kinds()[kind], [job.pk])]
        assert job.status == Job.Status.QUEUED and job.sent_at is not None

    def test_a_job_never_sent_is_sent_after_a_while_and_a_fresh_one_is_left(
        self, django_capture_on_commit_callbacks
    ):
        sent = []
        old = Job.objects.create(
            kind="ceremony_pack", created_at=timezone.now() - datetime.timedelta(minutes=6)
        )
        Job.objects.create(kind="ceremony_pack")
        Job.objects.create(
            kind="ceremony_pack",
            created_at=timezone.now() - datetime.timedelta(minutes=6),
            sent_at=timezone.now(),
        )
        with django_capture_on_commit_callbacks(execute=True):
            jobs.requeue_stale_jobs(send=sent.append)
        assert sent == [old.pk]

    def test_after_its_attempts_it_fails_with_a_readable_reason(self):
        job = Job.objects.create(
            kind=IMPORT_JOB,
            status=Job.Status.RUNNING,
            started_at=self.stale_start(),
            attempts=jobs.MAX_ATTEMPTS,
        )
        jobs.requeue_stale_jobs(send=lambda pk: pytest.fail("sent again"))
        job.refresh_from_db()
        assert job.status == Job.Status.FAILED
        assert job.error == "The background worker stopped during each of 3 attempts."

    def test_a_job_of_an_unknown_kind_fails_instead_of_going_to_another_task(self):
        job = Job.objects.create(
            kind="retired_kind", status=Job.Status.RUNNING, started_at=self.stale_start()
        )
        jobs.requeue_stale_jobs(send=lambda pk: pytest.fail("sent"))
        job.refresh_from_db()
        assert job.status == Job.Status.FAILED and "retired_kind" in job.error

    def test_an_import_of_a_dead_worker_goes_back_to_the_import_and_completes_once(
        self, cohort, hr, django_capture_on_commit_callbacks
    ):
        job = import_job(cohort, hr, 30, status=Job.Status.RUNNING, worker="w1@host", attempts=1)
        job.started_at = timezone.now()
        job.save()
        with django_capture_on_commit_callbacks(execute=True):
            jobs.requeue_stale_jobs(worker="w1@host")  # the worker w1 started again
        job.refresh_from_db()
        assert (job.status, job.attempts, job.error) == (Job.Status.DONE, 2, "")
        # The broker's own redelivery of the old message finds the job done.
        assert import_participants_job.delay(job.pk).get() == 0
        assert Participant.objects.count() == 30


class TestSending:
    def test_a_failed_send_fails_the_job_with_a_reason_and_it_is_not_reused(
        self, batch, coordinator, monkeypatch, django_capture_on_commit_callbacks
    ):
        def refuse(*args, **kwargs):
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        monkeypatch.setattr(render_document, "apply_async", refuse)
        with django_capture_on_commit_callbacks(execute=True):
            job, created = services.ceremony_pack_request(cohort=batch, user=coordinator)
        job.refresh_from_db()
        assert created and job.status == Job.Status.FAILED
        assert "could not be sent to the background worker" in job.error
        monkeypatch.undo()
        with django_capture_on_commit_callbacks(execute=True):
            again, created = services.ceremony_pack_request(cohort=batch, user=coordinator)
        again.refresh_from_db()
        assert created and again != job and again.status == Job.Status.DONE

    def test_asking_uses_no_number_until_the_work_runs(self, batch, coordinator):
        job, created = services.ceremony_pack_request(cohort=batch, user=coordinator)
        assert created and "numbers" not in job.params
        assert not DocumentCounter.objects.exists()
        render_document(job.pk)
        job.refresh_from_db()
        assert job.params["numbers"]["roster"].startswith("001/")

    def test_a_second_attempt_prints_the_numbers_of_the_first(self, batch, coordinator):
        job, _ = services.ceremony_pack_request(cohort=batch, user=coordinator)
        job.params["numbers"] = {"roster": "7", "sign_in": "8", "handover": "9"}
        job.save()
        render_document(job.pk)
        job.refresh_from_db()
        assert job.params["numbers"]["roster"] == "7"
        assert not DocumentCounter.objects.exists()


class TestBrokerDown:
    def test_a_document_is_refused_with_nothing_saved_and_no_number_used(
        self, batch, coordinator, broker_down
    ):
        with pytest.raises(ValidationError, match="Background work is unavailable"):
            services.ceremony_pack_request(cohort=batch, user=coordinator)
        with pytest.raises(ValidationError, match="Background work is unavailable"):
            services.certificates_request(cohort=batch, user=coordinator)
        assert not Job.objects.exists()
        assert not DocumentCounter.objects.exists()
        assert not batch.participants.filter(certificates__isnull=False).exists()

    def test_the_page_says_background_work_is_unavailable(
        self, client, batch, coordinator, assigned, broker_down
    ):
        client.force_login(coordinator)
        response = client.post(reverse("ceremony_pack_create", args=[batch.pk]), follow=True)
        assert UNAVAILABLE_ID in response.content.decode()
        assert not Job.objects.exists()

    def test_healthz_names_the_broker(self, client, broker_down):
        response = client.get(reverse("healthz"))
        assert response.status_code == 503 and response.json()["broker"] == "error"


class TestProgress:
    def test_progress_is_read_from_the_cache_while_the_job_runs(self):
        job = Job.objects.create(kind=IMPORT_JOB, status=Job.Status.RUNNING)
        job.set_progress(40)
        assert Job.objects.get(pk=job.pk).current_progress == 40
        assert Job.objects.get(pk=job.pk).progress == 0  # the row is not written

    def test_a_job_given_an_old_jobs_id_does_not_show_the_old_jobs_progress(self):
        # After a restore or a rebuilt database, ids are issued again while the cache lives on.
        old = Job.objects.create(
            kind=IMPORT_JOB,
            status=Job.Status.RUNNING,
            created_at=timezone.now() - datetime.timedelta(days=1),
        )
        old.set_progress(100)
        pk = old.pk
        old.delete()
        new = Job.objects.create(pk=pk, kind=IMPORT_JOB, status=Job.Status.RUNNING)
        assert new.current_progress == 0
        new.set_progress(10)
        assert Job.objects.get(pk=pk).current_progress == 10

    @pytest.mark.django_db(transaction=True)
    def test_another_connection_sees_an_imports_progress_during_its_transaction(
        self, cohort, hr, monkeypatch
    ):
        if connection.vendor != "postgresql":
            require("DATABASE_URL is not PostgreSQL: two connections to the test database")
        monkeypatch.setattr("participants.importer.SAVE_BATCH", 50)
        monkeypatch.setattr("participants.import_copy.COPY_CHUNK", 50)
        job = import_job(cohort, hr, 200)
        seen = []
        real_set_progress = Job.set_progress

        def look_from_elsewhere(self, percent):
            real_set_progress(self, percent)
            if seen:
                return

            def read():
                try:
                    elsewhere = Job.objects.get(pk=self.pk)
                    seen.append((elsewhere.current_progress, Participant.objects.count()))
                finally:
                    connections.close_all()

            reader = threading.Thread(target=read)
            reader.start()
            reader.join(timeout=30)
            assert not reader.is_alive(), "the progress read was blocked"

        monkeypatch.setattr(Job, "set_progress", look_from_elsewhere)
        assert participants_import_from_job(job_id=job.pk, storage=default_storage) == 200
        # Part-way through the import's transaction (the first of its batches, or of the rows
        # copied): its rows are not yet visible elsewhere, its progress is.
        assert seen == [(10 if importer.copies() else 25, 0)]


def wait_for(condition, *, timeout: float, what: str):
    """Poll ``condition`` until it returns something true, or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    pytest.fail(f"Timed out waiting for {what}")


class _Rollback(Exception):
    pass


def hold_nik(nik: str, holding: threading.Event, release: threading.Event) -> None:
    """Insert a participant with ``nik`` in a transaction of this thread's own, and keep it
    uncommitted until ``release``; then roll it back."""
    try:
        with transaction.atomic():
            ParticipantFactory(nik=nik)
            holding.set()
            release.wait(300)
            raise _Rollback
    except _Rollback:
        pass
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_with_its_worker_completes_exactly_once_after_the_sweep(
    cohort, hr, settings
):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        require("REDIS_URL is not set: no broker for a real worker")
    # Read the progress the worker writes, from the cache it writes it to.
    settings.CACHES = {
        "default": {
            "BACKEND": "delegation.cache.DegradingRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "cache",
        }
    }
    rows = 4000
    path = import_file(rows)
    # Another transaction holds the last row's NIK, uncommitted: the worker's last batch of rows
    # waits on the unique index, so it is surely killed mid-import, however fast it runs.
    holding, release = threading.Event(), threading.Event()
    holder = threading.Thread(
        target=hold_nik,
        args=(make_nik(datetime.date(1998, 2, 18), "F", serial=rows), holding, release),
    )
    holder.start()
    assert holding.wait(60), "the NIK could not be held"
    process = start_worker(hostname="w1@tests")
    try:
        job = participants_import_request(
            pending={"path": path, "name": "big.csv", "historical": False}, cohort=cohort, user=hr
        )
        progress = wait_for(
            lambda: cache.get(job.progress_key), timeout=180, what="the import to make progress"
        )
        process.kill()  # SIGKILL: no clean-up, the message is never acknowledged
        process.communicate(timeout=30)
        release.set()
        holder.join(60)
        assert progress < 100, "the import finished before the worker could be killed"
        job.refresh_from_db()
        assert job.status == Job.Status.RUNNING and job.worker == "w1@tests"
        assert not Participant.objects.exists()  # the half-done transaction left nothing
        process = start_worker(hostname="w1@tests")  # the sweep runs as it starts
        wait_for(
            lambda: Job.objects.filter(pk=job.pk, status=Job.Status.DONE).exists(),
            timeout=300,
            what="the import to be sent again and complete",
        )
    finally:
        output = stop_worker(process)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == (Job.Status.DONE, 2, ""), output
    assert Participant.objects.count() == rows
    assert Participant.objects.values("nik").distinct().count() == rows


class TestRenderingOnce:
    def test_a_job_superseded_while_it_renders_leaves_no_file_behind(self, cohort, settings):
        job = Job.objects.create(kind="roster", subject=cohort)

        def render(running: Job) -> tuple[str, bytes]:
            # Meanwhile the batch's people were anonymised (or its data changed).
            Job.objects.filter(pk=running.pk).update(status=Job.Status.SUPERSEDED)
            return "daftar.pdf", b"%PDF-1.4 Siti Rahmah"

        finished = jobs.run_job(job.pk, render)
        assert (finished.status, finished.file.name) == (Job.Status.SUPERSEDED, "")
        written = [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]
        assert written == []

    def test_a_job_that_finishes_keeps_its_file(self, cohort, settings):
        job = Job.objects.create(kind="roster", subject=cohort)
        finished = jobs.run_job(job.pk, lambda running: ("daftar.pdf", b"%PDF-1.4"))
        assert finished.status == Job.Status.DONE
        assert (Path(settings.MEDIA_ROOT) / finished.file.name).read_bytes() == b"%PDF-1.4"
