"""Participant list, search, admin search, dashboard and import on the large data set
(`make bench`): median and 95th-percentile server time and query count, beside the targets.
The "cpu" column is the median processor time of this (the Django) process alone: on a
machine shared with other work it shows what waiting for a processor added to the times.

Needs PostgreSQL: it uses the database BENCH_DATABASE_URL names (default: a database
`delegation_bench` on the local server) and builds the data set once (see large_dataset).
Every request goes through the real views with Django's test client; nothing is asserted.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import statistics
import sys
import tempfile
import time

BENCH_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/delegation_bench"
)
RUNS = int(os.environ.get("BENCH_RUNS", "40"))
IMPORT_ROWS = 10_000
NAME_FRAGMENT = "rahma"  # in about one name in twelve: Rahmah, Rahma, Rahman...
NIK_PREFIX = "63710245"  # Banjarmasin district 02, women born on the 5th: ~570 people


class Timing:
    def __init__(self, label: str, target: str = ""):
        self.label, self.target = label, target
        self.times: list[float] = []
        self.cpu: list[float] = []
        self.queries = 0

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    def line(self) -> str:
        return (
            f"{self.label:<44} {self.median:8.1f} {self.p95:8.1f} "
            f"{statistics.median(self.cpu):8.1f} {self.queries:8d}   {self.target}"
        )


def measure(label: str, request, *, target: str = "", runs: int = RUNS) -> Timing:
    """Time ``request()`` (which returns the response) ``runs`` times after two warm-ups."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timing = Timing(label, target)
    for n in range(runs + 2):
        with CaptureQueriesContext(connection) as queries:
            started, cpu = time.perf_counter(), time.process_time()
            response = request()
            elapsed = (time.perf_counter() - started) * 1000
            cpu = (time.process_time() - cpu) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{label}: the server answered {response.status_code}.")
        if n >= 2:
            timing.times.append(elapsed)
            timing.cpu.append(cpu)
            timing.queries = len(queries)
    return timing


def machine_speed() -> str:
    """A fixed piece of pure Python, timed: the same code measures differently on this shared
    machine from one hour to the next, and this line lets two runs' figures be compared."""
    timings = []
    for _n in range(7):
        started = time.perf_counter()
        sum(i * i for i in range(200_000))
        timings.append((time.perf_counter() - started) * 1000)
    return f"reference loop {statistics.median(timings):.1f} ms"


def ensure_database(label: str = "Participant benchmark") -> bool:
    """Create the benchmark database when missing; False (and why) without PostgreSQL."""
    try:
        import psycopg

        name = BENCH_URL.rsplit("/", 1)[1]
        with psycopg.connect(BENCH_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as db:
            if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                db.execute(f'CREATE DATABASE "{name}"')
    except Exception as error:  # no PostgreSQL here: say so and stop
        print(f"{label} skipped: no PostgreSQL ({error.__class__.__name__}).")
        return False
    return True


def import_table(rows: int) -> bytes:
    """A CSV of new, valid participants whose NIKs the data set does not hold (district 07)."""
    from participants.importer import COLUMNS

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    start = datetime.date(1995, 1, 1)
    for n in range(rows):
        birth = start + datetime.timedelta(days=n % 3000)
        female = n % 2 == 0
        day = birth.day + (40 if female else 0)
        nik = f"637107{day:02d}{birth:%m%y}{1 + n // 3000:04d}"
        writer.writerow(
            {
                "full_name": f"{'Siti' if female else 'Ahmad'} Impor {n}",
                "nik": nik,
                "gender": "P" if female else "L",
                "birth_date": birth.isoformat(),
                "birth_place": "Banjarmasin",
                "origin_regency": "63.71",
                "track": "tenaga kerja",
                "occupation": "care worker",
                "education": "D3 Keperawatan",
                "phone": f"0812{n:08d}",
                "email": f"impor{n}@example.org",
                "name_katakana": "",
                "passport_number": f"X{n + 1000000:07d}",
                "passport_expiry": "2034-01-31",
            }
        )
    return out.getvalue().encode()


def measure_import(program) -> tuple[float, float, int, float]:
    """Import IMPORT_ROWS rows the way a large upload is imported (a Job run by the import
    service), into a new batch, then roll everything back and vacuum, so the data set stays
    as it is."""
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from cohorts.models import Cohort
    from delegation.models import Job
    from participants.services import participants_import_from_job

    user = get_user_model().objects.get(username="bench-hr")
    content = import_table(IMPORT_ROWS)

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            cohort = Cohort.objects.create(
                program=program,
                number=9999,
                year=2027,
                planned_departure=datetime.date(2027, 2, 18),
                status=Cohort.Status.TRAINING,
            )
            path = default_storage.save("imports/bench.csv", ContentFile(content))
            job = Job.objects.create(
                kind="participant_import",
                params={
                    "path": path,
                    "name": "bench.csv",
                    "cohort": cohort.pk,
                    "historical": False,
                },
                requested_by=user,
            )
            with CaptureQueriesContext(connection) as queries:
                started, cpu = time.perf_counter(), time.process_time()
                saved = participants_import_from_job(job_id=job.pk, storage=default_storage)
                elapsed = time.perf_counter() - started
                cpu = time.process_time() - cpu
            job.refresh_from_db()
            if saved != IMPORT_ROWS:
                raise SystemExit(f"The import saved {saved} rows: {job.error}")
            raise Rollback
    except Rollback:
        pass
    # The rolled-back rows are dead rows: vacuum them away, so the tables' visibility map is
    # whole again and later index-only scans (the load test's) read no heap pages.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return elapsed, cpu, len(queries), IMPORT_ROWS / elapsed


def main() -> None:
    os.environ["DATABASE_URL"] = BENCH_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "delegation.settings")
    os.environ["DASHBOARD_CACHE_SECONDS"] = "0"  # every render counts afresh: caches cold
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-media-"))
    import django

    if not ensure_database():
        return
    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from benchmarks.large_dataset import build
    from participants.models import Participant
    from training.models import Attendance

    settings.DEBUG = False
    # It times the search itself, many times a minute: not the limit on searches by number.
    settings.NIK_SEARCH_LIMIT = 1_000_000
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    program = build()
    print(
        f"Data set: {Participant.objects.count():,} participants, "
        f"{Attendance.objects.count():,} attendance rows "
        f"(ready in {time.perf_counter() - started:.0f} s); {RUNS} runs each, times in ms."
    )
    print(f"Machine speed now: {machine_speed()}.")
    translation.activate("en")
    users = get_user_model().objects
    hr, admin = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    hr.force_login(users.get(username="bench-hr"))
    admin.force_login(users.get(username="bench-admin"))
    listing = reverse("participants:participant_list")
    changelist = reverse("admin:participants_participant_changelist")
    pages = Participant.objects.count() // 25
    hr.post(reverse("participants:search_clear"))

    def search(text):
        def run():
            return hr.post(listing, {"q": text}, follow=True)

        return run

    results = [
        measure("Participant list, first page", lambda: hr.get(listing), target="median ≤ 20"),
        measure(
            f"Participant list, page {pages // 2:,} of {pages:,}",
            lambda: hr.get(listing, {"page": pages // 2}),
            target="median ≤ 20",
        ),
        measure(
            f"Participant list, last page ({pages:,})",
            lambda: hr.get(listing, {"page": pages}),
            target="median ≤ 20",
        ),
    ]
    ours_name = measure(f"Search “{NAME_FRAGMENT}” (post + list)", search(NAME_FRAGMENT))
    ours_nik = measure(f"Search NIK prefix {NIK_PREFIX} (post + list)", search(NIK_PREFIX))
    hr.post(reverse("participants:search_clear"))
    admin_name = measure(
        f"Admin changelist search “{NAME_FRAGMENT}”",
        lambda: admin.get(changelist, {"q": NAME_FRAGMENT}),
        runs=max(5, RUNS // 4),
    )
    admin_nik = measure(
        f"Admin changelist search {NIK_PREFIX}",
        lambda: admin.get(changelist, {"q": NIK_PREFIX}),
        runs=max(5, RUNS // 4),
    )
    for ours, theirs in ((ours_name, admin_name), (ours_nik, admin_nik)):
        ours.target = f"≥ 5× faster than the admin: {theirs.median / ours.median:.1f}×"
    results += [ours_name, admin_name, ours_nik, admin_nik]
    results.append(
        measure("Dashboard", lambda: hr.get("/"), target="median ≤ 100", runs=max(5, RUNS // 4))
    )
    print(f"{'':<44} {'median':>8} {'p95':>8} {'cpu':>8} {'queries':>8}   target")
    for result in results:
        print(result.line())
    elapsed, cpu, queries, rate = measure_import(program)
    print(
        f"Import of {IMPORT_ROWS:,} rows (import service, into a new batch): {elapsed:.1f} s "
        f"({cpu:.1f} s cpu), {rate:,.0f} rows/s, {queries:,} queries (target ≥ 1,000 rows/s)"
    )


if __name__ == "__main__":
    sys.exit(main())
