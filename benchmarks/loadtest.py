"""`make loadtest`: gunicorn with production settings on the loopback, against the large
PostgreSQL data set, and 50 simulated signed-in staff for 60 seconds (locust, headless).

Prints requests per second, the median and 95th-percentile latency and the error count, in
total and per kind of page. The load generator runs on the same machine as the server and the
database: the figures say what the whole machine manages, not the server alone.

Settings: LOADTEST_USERS (50), LOADTEST_SECONDS (60), WEB_CONCURRENCY (gunicorn workers, 3),
BENCH_DATABASE_URL (the benchmarks' database), LOADTEST_DASHBOARD=0 (leave the dashboard out),
LOADTEST_SPAWN_RATE (users started per second, 1).
"""

from __future__ import annotations

import csv
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.config import BENCH_URL, SCALE

USERS = int(os.environ.get("LOADTEST_USERS", "50"))
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "60"))
TARGET_P95_MS = {"100k": 250, "1m": 300}[SCALE.name]
DASHBOARD = os.environ.get("LOADTEST_DASHBOARD", "1") != "0"
# Users sign in one a second: each sign-in hashes a password (PBKDF2, slow on purpose), and
# fifty at once would measure a sign-in storm rather than browsing. Statistics are reset once
# all have started, so the figures are those of 50 signed-in users browsing.
SPAWN_RATE = float(os.environ.get("LOADTEST_SPAWN_RATE", "1"))
ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare() -> dict[str, str]:
    """Build the data set (once) and return what locust needs to know about it: HR staff
    browse everyone, coordinators the people of their programme (the first bench programme)."""
    from benchmarks.seed import prepare

    program = prepare("Load test")
    if program is None:
        raise SystemExit(1)
    from django.db.models import Max, Min

    from benchmarks.large_dataset import PASSWORD, SLUG
    from participants.models import Participant

    everyone = Participant.objects.filter(cohort__program__slug__startswith=SLUG)
    ids = everyone.aggregate(first=Min("pk"), last=Max("pk"))
    theirs = Participant.objects.filter(cohort__program=program)
    their_ids = theirs.aggregate(first=Min("pk"), last=Max("pk"))
    return {
        "LOADTEST_PASSWORD": PASSWORD,
        "LOADTEST_FIRST_ID": str(ids["first"]),
        "LOADTEST_LAST_ID": str(ids["last"]),
        "LOADTEST_PAGES": str(max(1, everyone.count() // 25)),
        "LOADTEST_COORDINATOR_FIRST_ID": str(their_ids["first"]),
        "LOADTEST_COORDINATOR_LAST_ID": str(their_ids["last"]),
        "LOADTEST_COORDINATOR_PAGES": str(max(1, theirs.count() // 25)),
    }


def production_env(static_root: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "LOADTEST_"))
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="loadtest-only-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=BENCH_URL,
        REDIS_URL="",
        EMAIL_URL="consolemail://",  # no mail is sent during the run
        STATIC_ROOT=static_root,
        TWO_FACTOR_REQUIRED="0",  # the simulated staff sign in with a password only
        LOG_LEVEL="WARNING",
        REMINDERS_ON_FIRST_VISIT="0",  # the daily reminders are beat's work, not a page's
    )
    return env


def wait_until_up(port: int, server: subprocess.Popen) -> None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz", headers={"X-Forwarded-Proto": "https"}
    )
    for _ in range(120):
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before it answered.")
        try:
            with urllib.request.urlopen(request, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer within a minute.")


def report(prefix: str) -> None:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    print(
        f"\n{'':<34} {'requests':>9} {'errors':>7} {'req/s':>7} {'median':>7} {'p95':>7}"
        f" {'max':>7}   (ms)"
    )
    for row in rows:
        name = "All requests" if row["Name"] == "Aggregated" else row["Name"]
        print(
            f"{name:<34} {row['Request Count']:>9} {row['Failure Count']:>7} "
            f"{float(row['Requests/s']):>7.1f} {float(row['Median Response Time']):>7.0f} "
            f"{float(row['95%']):>7.0f} {float(row['Max Response Time']):>7.0f}"
        )
    total = rows[-1]
    with open(f"{prefix}_failures.csv", newline="") as handle:
        failures = list(csv.DictReader(handle))
    for failure in failures:
        print(f"  error: {failure['Name']}: {failure['Error']} ×{failure['Occurrences']}")
    print(
        f"\nData set {SCALE.name}. Target: no errors ({total['Failure Count']}), "
        f"95th percentile ≤ {TARGET_P95_MS} ms "
        f"({total['95%']} ms). One {os.cpu_count()}-core machine runs gunicorn, PostgreSQL "
        "and the load generator together"
        + ("." if DASHBOARD else "; the dashboard was left out (LOADTEST_DASHBOARD=0).")
    )


def main() -> None:
    locust_env = prepare()
    work = Path(tempfile.mkdtemp(prefix="loadtest-"))
    static_root = ROOT / "var" / "loadtest-static"
    env = production_env(str(static_root))
    manifest = static_root / "staticfiles.json"
    newest = max(path.stat().st_mtime for path in (ROOT / "static").rglob("*") if path.is_file())
    if not manifest.exists() or manifest.stat().st_mtime < newest:
        print("Collecting static files for the production settings...")
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
        + ["--access-logfile", str(work / "access.log"), "delegation.wsgi"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        wait_until_up(port, server)
        workers = os.environ.get("WEB_CONCURRENCY", "3")
        ramp = math.ceil(USERS / SPAWN_RATE)
        print(
            f"gunicorn ({workers} workers) on 127.0.0.1:{port}; {USERS} users sign in over "
            f"{ramp} s, then browse for {SECONDS} s (the figures cover these {SECONDS} s)..."
        )
        subprocess.run(
            [str(BIN / "locust"), "-f", str(ROOT / "benchmarks" / "locustfile.py")]
            + ["--headless", "--users", str(USERS), "--spawn-rate", str(SPAWN_RATE)]
            + ["--run-time", f"{ramp + SECONDS}s", "--reset-stats", "--stop-timeout", "10"]
            + ["--host", f"http://127.0.0.1:{port}", "--csv", str(work / "stats")]
            + ["--only-summary", "--loglevel", "WARNING"],
            cwd=ROOT,
            env={**os.environ, **locust_env},
            check=False,
            timeout=ramp + SECONDS + 120,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    report(str(work / "stats"))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
