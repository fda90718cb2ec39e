"""Certificates for 1,000 people split across Celery workers in parts (`make bench`): the same
job rendered by one worker process and by two, side by side, with the wall time and the
processor time the workers used, so a busy machine shows. Printed, never asserted.

Needs PostgreSQL (the benchmark database of BENCH_SCALE, where a batch of 1,000 finished
participants is added once) and a Redis broker (REDIS_URL); without them it says so and stops.
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PEOPLE = 1000
SLUG = "bench-certificates"
ROOT = Path(__file__).resolve().parent.parent


def batch():
    """A programme with one batch of PEOPLE people who finished their training year, their
    certificates issued (training certificates only), built once."""
    from django.db import transaction

    from cohorts.models import Cohort, Partner, Program
    from participants.models import Participant, Region
    from training.certificates import issue_certificates
    from training.models import Attendance, Module, Session, TrainingPlan

    program = Program.objects.filter(slug=SLUG).first()
    if program:
        return Cohort.objects.get(program=program)
    with transaction.atomic():
        partner, _ = Partner.objects.get_or_create(
            name="Bench Partner", defaults={"country": "Jepang"}
        )
        program = Program.objects.create(
            partner=partner, name="Bench certificates", slug=SLUG, destination_country="Jepang"
        )
        cohort = Cohort.objects.create(
            program=program, number=1, year=2026, planned_departure=datetime.date(2026, 3, 1)
        )
        plan = TrainingPlan.objects.create(
            cohort=cohort, start_date=datetime.date(2025, 1, 6), end_date=datetime.date(2026, 1, 2)
        )
        module = Module.objects.create(
            plan=plan, name="Bahasa Jepang", kind="japanese_language", planned_hours=500
        )
        session = Session.objects.create(
            module=module,
            date=datetime.date(2025, 1, 6),
            start_time=datetime.time(8),
            end_time=datetime.time(11),
        )
        origin = Region.objects.regencies().filter(code__startswith="63").first()
        people = Participant.objects.bulk_create(
            Participant(
                full_name=f"Peserta Sertifikat {n}",
                nik=f"637109{1 + n % 28:02d}0199{1 + n // 28:04d}",
                gender="M",
                birth_date=datetime.date(1999, 1, 1 + n % 28),
                origin=origin,
                cohort=cohort,
                participant_number=f"CRT-{n:04d}",
                culture_ambassador=False,
                status="in_training",
            )
            for n in range(PEOPLE)
        )
        Attendance.objects.bulk_create(
            Attendance(session=session, participant=person) for person in people
        )
        issue_certificates(cohort, on=datetime.date(2026, 1, 5))
    return cohort


def start_workers(processes: int, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "delegation", "worker", "--pool", "prefork"]
        + ["--concurrency", str(processes), "--queues", "documents", "--loglevel", "WARNING"]
        + ["--without-heartbeat", "--without-gossip", "--without-mingle"]
        + ["--hostname", f"bench-certificates-{processes}@%h"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def workers_cpu(process: subprocess.Popen) -> float:
    import psutil

    main = psutil.Process(process.pid)
    total = 0.0
    for each in [main, *main.children(recursive=True)]:
        times = each.cpu_times()
        total += times.user + times.system
    return total


def run(cohort, processes: int, env: dict) -> tuple[float, float]:
    """Render the batch's certificates with ``processes`` worker processes: wall seconds from
    sending the job to its ZIP (each worker process loads its fonts on its first part, as a
    fresh worker does), and the processor seconds the workers used for it."""
    import signal

    from delegation.models import Job
    from office.prints.tasks import render_document

    workers = start_workers(processes, env)
    try:
        job = Job.objects.create(kind="certificates", params={"cohort": cohort.pk})
        cpu = workers_cpu(workers)
        started = time.perf_counter()
        render_document.apply_async(args=[job.pk])
        while Job.objects.filter(pk=job.pk).values_list("status", flat=True)[0] not in (
            Job.Status.DONE,
            Job.Status.FAILED,
        ):
            if workers.poll() is not None:
                raise SystemExit("The workers stopped.")
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
        used = workers_cpu(workers) - cpu
        job.refresh_from_db()
        if job.status == Job.Status.FAILED:
            raise SystemExit(f"The certificates job failed: {job.error}")
    finally:
        os.killpg(workers.pid, signal.SIGTERM)
        workers.wait(timeout=60)
    return elapsed, used


def main() -> None:
    from benchmarks.config import BENCH_URL
    from benchmarks.seed import ensure_database

    redis_url = os.environ.get("BENCH_REDIS_URL") or os.environ.get("REDIS_URL")
    if not redis_url:
        print("Certificate workers benchmark skipped: no broker (set REDIS_URL).")
        return
    if not ensure_database("Certificate workers benchmark"):
        return
    media = tempfile.mkdtemp(prefix="bench-certificates-")
    os.environ.update(
        DATABASE_URL=BENCH_URL,
        REDIS_URL=redis_url,
        MEDIA_ROOT=media,
        DJANGO_SETTINGS_MODULE="delegation.settings",
    )
    import django

    django.setup()
    from django.core.management import call_command

    from benchmarks.participants import machine_speed

    call_command("migrate", verbosity=0)
    cohort = batch()
    env = {**os.environ, "LOG_LEVEL": "WARNING"}
    print(f"Certificates for {PEOPLE:,} people in parts of 100; {machine_speed()}:")
    try:
        one = run(cohort, 1, env)
        two = run(cohort, 2, env)
    finally:
        shutil.rmtree(media, ignore_errors=True)  # the two ZIPs
    for processes, (elapsed, cpu) in ((1, one), (2, two)):
        print(
            f"  {processes} worker process{'es' if processes > 1 else ''}: {elapsed:6.1f} s, "
            f"workers' processor time {cpu:6.1f} s"
        )
    print(
        f"  two against one: {one[0] / two[0]:.2f}× faster (target ≥ 1.6×; "
        f"{os.cpu_count()} cores, shared)"
    )


if __name__ == "__main__":
    sys.exit(main())
