"""Participant list, search, admin search, dashboards, a profile and the import on the large
data set (`make bench`; `BENCH_SCALE=1m` for the national one): median and 95th-percentile
server time and query count, beside the targets of that scale and beside the figures of the
other scale's last run (kept in var/bench/). The "cpu" column is the median processor time of
this (the Django) process alone: on a machine shared with other work it shows what waiting for
a processor added to the times. `EXPLAIN=1` prints the plan of each page's heaviest query
(``EXPLAIN (ANALYZE, BUFFERS)``), so a regression shows where it went.

Needs PostgreSQL: it uses the database BENCH_DATABASE_URL names (by default one per scale on
the local server) and builds the data set there once (see large_dataset). Every request goes
through the real views with Django's test client; nothing is asserted.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.config import SCALE

RUNS = int(os.environ.get("BENCH_RUNS", "40"))
EXPLAIN = os.environ.get("EXPLAIN", "") not in ("", "0")
NAME_FRAGMENT = "rahma"  # in about one name in twelve: Rahmah, Rahma, Rahman...
NIK_PREFIX = "63710245"  # Banjarmasin district 02, women born on the 5th
RESULTS = Path(__file__).resolve().parent.parent / "var" / "bench"

# The targets of each scale (figures in ms unless said otherwise).
TARGETS = {
    "100k": {
        "list": 20,
        "search": None,
        "search_ratio": 5,
        "dashboard_hr": 100,
        "dashboard_coordinator": None,
        "profile": None,
        "import_rows": 10_000,
        "import_rate": 1_000,
        "import_mb": None,
    },
    "1m": {
        "list": 50,
        "search": 50,
        "search_ratio": 20,
        "dashboard_hr": 150,
        "dashboard_coordinator": 100,
        "profile": 60,
        "import_rows": 50_000,
        "import_rate": 5_000,
        "import_mb": 500,
    },
}[SCALE.name]


class Timing:
    def __init__(self, key: str, label: str, target: str = ""):
        self.key, self.label, self.target = key, label, target
        self.times: list[float] = []
        self.cpu: list[float] = []
        self.queries = 0
        self.heaviest: tuple[float, str] = (0.0, "")  # (seconds, SQL) of the slowest query

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    def line(self, other: dict) -> str:
        beside = other.get(self.key)
        return (
            f"{self.label:<46} {self.median:8.1f} {self.p95:8.1f} "
            f"{statistics.median(self.cpu):8.1f} {self.queries:8d} "
            f"{'' if beside is None else f'{beside:8.1f}':>8}   {self.target}"
        )


def measure(
    key: str, label: str, request, *, target: str = "", runs: int = RUNS, warmups: int = 2
) -> Timing:
    """Time ``request()`` (which returns the response) ``runs`` times after ``warmups``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timing = Timing(key, label, target)
    for n in range(runs + warmups):
        with CaptureQueriesContext(connection) as queries:
            started, cpu = time.perf_counter(), time.process_time()
            response = request()
            elapsed = (time.perf_counter() - started) * 1000
            cpu = (time.process_time() - cpu) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{label}: the server answered {response.status_code}.")
        if n >= warmups:
            timing.times.append(elapsed)
            timing.cpu.append(cpu)
            timing.queries = len(queries)
            for query in queries.captured_queries:
                if float(query["time"]) > timing.heaviest[0] and query["sql"].startswith(
                    ("SELECT", "WITH")
                ):
                    timing.heaviest = (float(query["time"]), query["sql"])
    return timing


def explain(timing: Timing) -> None:
    """The plan of the page's slowest query, run again with EXPLAIN (ANALYZE, BUFFERS)."""
    from django.db import connection

    seconds, sql = timing.heaviest
    if not sql:
        return
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql.replace("%", "%%"), [])
        plan = "\n".join("    " + row[0] for row in cursor.fetchall())
    print(f"\n{timing.label}: slowest query ({seconds * 1000:.1f} ms)\n    {sql[:600]}\n{plan}")


def machine_speed() -> str:
    """A fixed piece of pure Python, timed: the same code measures differently on this shared
    machine from one hour to the next, and this line lets two runs' figures be compared."""
    timings = []
    for _n in range(7):
        started = time.perf_counter()
        sum(i * i for i in range(200_000))
        timings.append((time.perf_counter() - started) * 1000)
    return f"reference loop {statistics.median(timings):.1f} ms"


def target(limit: float | None, unit: str = "ms") -> str:
    return "" if limit is None else f"median ≤ {limit:g} {unit}".rstrip()


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


def measure_import(rows: int) -> dict:
    """Import ``rows`` rows the way a large upload is imported (a Job run by the import
    service), into a new batch, then roll everything back, so the data set stays as it is.
    Runs in a process of its own (``import`` argument), so its peak memory is its own."""
    from benchmarks.seed import prepare

    program = prepare()
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from cohorts.models import Cohort
    from delegation.models import Job
    from participants.services import participants_import_from_job

    user = get_user_model().objects.get(username="bench-hr")
    content = import_table(rows)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

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
            if saved != rows:
                raise SystemExit(f"The import saved {saved} rows: {job.error}")
            raise Rollback
    except Rollback:
        pass
    # The rolled-back rows are dead rows: vacuum them away, so the tables' visibility map is
    # whole again and later index-only scans (the load test's) read no heap pages.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE participants_participant")
    return {
        "seconds": elapsed,
        "cpu": cpu,
        "queries": len(queries),
        "rate": rows / elapsed,
        "before_mb": before,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_import(rows: int) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "benchmarks.participants", "import", str(rows)],
        capture_output=True,
        text=True,
    )
    if output.returncode:
        raise SystemExit(f"The import benchmark failed:\n{output.stderr[-2000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def other_scale() -> tuple[str, dict]:
    """The medians of the other scale's last run, to print beside these."""
    for path in sorted(RESULTS.glob("*.json")):
        if path.stem != SCALE.name:
            return path.stem, json.loads(path.read_text())
    return "", {}


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "import":
        print(json.dumps(measure_import(int(sys.argv[2]))))
        return
    from benchmarks.seed import prepare

    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-media-"))
    started = time.perf_counter()
    program = prepare("Participant benchmark")
    if program is None:
        return
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from participants.models import Participant
    from training.models import Attendance

    settings.DEBUG = False
    # It times the search itself, many times a minute: not the limit on searches by number.
    settings.NIK_SEARCH_LIMIT = 1_000_000
    print(
        f"Data set {SCALE.name}: {Participant.objects.count():,} participants, "
        f"{Attendance.objects.count():,} attendance rows "
        f"(ready in {time.perf_counter() - started:.0f} s); {RUNS} runs each, times in ms."
    )
    print(f"Machine speed now: {machine_speed()}.")
    translation.activate("en")
    users = get_user_model().objects
    hr, admin = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    coordinator = Client(HTTP_HOST="127.0.0.1")
    hr.force_login(users.get(username="bench-hr"))
    admin.force_login(users.get(username="bench-admin"))
    coordinator.force_login(users.get(username="bench-coordinator-1"))
    listing = reverse("participants:participant_list")
    changelist = reverse("admin:participants_participant_changelist")
    pages = Participant.objects.count() // 25
    person = Participant.objects.filter(cohort__program=program).order_by("pk")[
        Participant.objects.filter(cohort__program=program).count() // 2
    ]
    hr.post(reverse("participants:search_clear"))

    def search(text):
        def run():
            return hr.post(listing, {"q": text}, follow=True)

        return run

    few = max(5, RUNS // 4)
    # The admin's search reads every row: seconds at 100,000 people, tens of seconds at a
    # million; a few runs tell the ratio.
    admin_runs = {"runs": 3, "warmups": 1} if SCALE.name == "1m" else {"runs": few}
    results = [
        measure("list_first", "Participant list, first page", lambda: hr.get(listing)),
        measure(
            "list_middle",
            f"Participant list, page {pages // 2:,} of {pages:,}",
            lambda: hr.get(listing, {"page": pages // 2}),
        ),
        measure(
            "list_last",
            f"Participant list, last page ({pages:,})",
            lambda: hr.get(listing, {"page": pages}),
        ),
    ]
    for result in results:
        result.target = target(TARGETS["list"])
    ours_name = measure(
        "search_name", f"Search “{NAME_FRAGMENT}” (post + list)", search(NAME_FRAGMENT)
    )
    ours_nik = measure(
        "search_nik", f"Search NIK prefix {NIK_PREFIX} (post + list)", search(NIK_PREFIX)
    )
    hr.post(reverse("participants:search_clear"))
    admin_name = measure(
        "admin_name",
        f"Admin changelist search “{NAME_FRAGMENT}”",
        lambda: admin.get(changelist, {"q": NAME_FRAGMENT}),
        **admin_runs,
    )
    admin_nik = measure(
        "admin_nik",
        f"Admin changelist search {NIK_PREFIX}",
        lambda: admin.get(changelist, {"q": NIK_PREFIX}),
        **admin_runs,
    )
    for ours, theirs in ((ours_name, admin_name), (ours_nik, admin_nik)):
        ours.target = (
            (target(TARGETS["search"]) + "; " if TARGETS["search"] else "")
            + f"≥ {TARGETS['search_ratio']}× faster than the admin: "
            f"{theirs.median / ours.median:.1f}×"
        )
    results += [ours_name, admin_name, ours_nik, admin_nik]
    # The dashboards are counted afresh on every render (DASHBOARD_CACHE_SECONDS=0).
    results.append(
        measure(
            "dashboard_hr",
            "Dashboard, HR staff (everything)",
            lambda: hr.get("/"),
            target=target(TARGETS["dashboard_hr"]),
            runs=few,
        )
    )
    programme_size = Participant.objects.filter(cohort__program=program).count()
    results.append(
        measure(
            "dashboard_coordinator",
            f"Dashboard, coordinator ({programme_size:,} people)",
            lambda: coordinator.get("/"),
            target=target(TARGETS["dashboard_coordinator"]),
            runs=few,
        )
    )
    profile = reverse("participant_profile", args=[person.pk])
    results.append(
        measure(
            "profile",
            "Participant profile (HR staff)",
            lambda: hr.get(profile),
            target=target(TARGETS["profile"]),
        )
    )
    other_name, other = other_scale()
    print(
        f"{'':<46} {'median':>8} {'p95':>8} {'cpu':>8} {'queries':>8} "
        f"{other_name or '':>8}   target"
    )
    for result in results:
        print(result.line(other))
    rows = TARGETS["import_rows"]
    figures = run_import(rows)
    memory = (
        f"; peak memory {figures['peak_mb']:.0f} MB (target ≤ {TARGETS['import_mb']} MB)"
        if TARGETS["import_mb"]
        else f"; peak memory {figures['peak_mb']:.0f} MB"
    )
    print(
        f"Import of {rows:,} rows (import service, into a new batch): {figures['seconds']:.1f} s "
        f"({figures['cpu']:.1f} s cpu), {figures['rate']:,.0f} rows/s, "
        f"{figures['queries']:,} queries (target ≥ {TARGETS['import_rate']:,} rows/s){memory}"
        + (f"; {other_name}: {other['import_rate']:,.0f} rows/s" if "import_rate" in other else "")
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    kept = {result.key: round(result.median, 1) for result in results}
    kept["import_rate"] = round(figures["rate"])
    (RESULTS / f"{SCALE.name}.json").write_text(json.dumps(kept, indent=1))
    if EXPLAIN:
        for result in results:
            explain(result)


if __name__ == "__main__":
    sys.exit(main())
