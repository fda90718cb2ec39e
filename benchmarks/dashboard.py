"""Dashboard speed on 100,000 participants and 2,000,000 attendance rows (`make bench`).

Needs PostgreSQL: it uses the database BENCH_DATABASE_URL names (default: a database
`delegation_bench` on the local server), builds the data set once, then renders the dashboard.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

BENCH_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/delegation_bench"
)


def main() -> None:
    os.environ["DATABASE_URL"] = BENCH_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "delegation.settings")
    os.environ["DASHBOARD_CACHE_SECONDS"] = "0"  # every render counts afresh: caches cold
    import django

    from benchmarks.participants import ensure_database, machine_speed

    if not ensure_database("Dashboard benchmark"):
        return
    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from benchmarks.large_dataset import build
    from participants.models import Participant
    from training.models import Attendance

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    build()
    ready = time.perf_counter() - started
    print(
        f"Data set: {Participant.objects.count():,} participants, "
        f"{Attendance.objects.count():,} attendance rows (ready in {ready:.0f} s); "
        f"machine speed now: {machine_speed()}"
    )
    client = Client()
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="bench-hr"))
    timings = []
    for _ in range(9):
        connection.close()  # a fresh connection each time: nothing cached in the session
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get("/", HTTP_HOST="127.0.0.1")
            timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"The dashboard answered {response.status_code}.")
    print(
        f"Dashboard: median {statistics.median(timings):.0f} ms over {len(timings)} renders "
        f"(first {timings[0]:.0f} ms), {len(queries)} queries (target ≤ 100 ms)"
    )


if __name__ == "__main__":
    sys.exit(main())
