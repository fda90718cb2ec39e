"""The benchmark data set of BENCH_SCALE, in its own database, built once (`make bench-data`;
every benchmark calls ``prepare`` too). Django is set up here, so the models are imported
after it."""

from __future__ import annotations

import os
import sys
import time

from benchmarks.config import BENCH_URL, SCALE


def ensure_database(label: str) -> bool:
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


def prepare(label: str = "Benchmark"):
    """Point Django at the benchmark database (created when missing), migrate it and build
    the data set there once. Returns the first bench programme, or None (and why) without
    PostgreSQL."""
    os.environ["DATABASE_URL"] = BENCH_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "delegation.settings")
    os.environ["DASHBOARD_CACHE_SECONDS"] = "0"  # every render counts afresh: caches cold
    # The daily reminders are a scheduled task's work (beat), not a page's: measured apart.
    os.environ["REMINDERS_ON_FIRST_VISIT"] = "0"
    if not ensure_database(label):
        return None
    import django

    django.setup()
    from django.core.management import call_command

    from benchmarks.large_dataset import build

    call_command("migrate", verbosity=0)
    return build()


def main() -> None:
    started = time.perf_counter()
    if prepare("Data set") is None:
        return
    from participants.models import Participant
    from training.models import Attendance

    print(
        f"Data set {SCALE.name} in {BENCH_URL.rsplit('/', 1)[1]}: "
        f"{Participant.objects.count():,} participants, "
        f"{Attendance.objects.count():,} attendance rows "
        f"(ready in {time.perf_counter() - started:.0f} s)."
    )


if __name__ == "__main__":
    sys.exit(main())
