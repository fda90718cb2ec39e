import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from celery import current_app
from django.db import transaction
from django_celery_results.models import TaskResult

from delegation.settings import broker_transport_options
from delegation.tasks import ping
from participants.tasks import contracts_daily

ROOT = Path(__file__).resolve().parents[2]


def test_celery_speaks_json_only_and_acknowledges_late():
    conf = current_app.conf
    assert conf.accept_content == ["json"]
    assert conf.task_serializer == conf.result_serializer == "json"
    assert conf.task_acks_late is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.result_backend == "django-db"


def test_the_broker_visibility_timeout_outlasts_the_longest_job():
    conf = current_app.conf
    assert conf.task_soft_time_limit < conf.task_time_limit
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit


def test_a_dead_workers_messages_are_looked_for_within_a_short_visibility_timeout():
    """A worker sweeps for unacknowledged messages every interval × throttle seconds."""
    short = broker_transport_options(3)
    assert short["unacked_restore_interval"] * short["unacked_restore_throttle"] <= 3
    usual = broker_transport_options(7200)
    assert (usual["unacked_restore_interval"], usual["unacked_restore_throttle"]) == (10, 10)
    assert current_app.conf.broker_transport_options["unacked_restore_throttle"] == 10


def test_without_a_broker_tasks_run_in_process(tmp_path):
    """Started without REDIS_URL (the tests' own fixture aside), the app runs tasks in-process."""
    environment = {
        **os.environ,
        "REDIS_URL": "",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    code = (
        "from celery import current_app; from delegation.tasks import ping; "
        "print(current_app.conf.task_always_eager, ping.delay().get(timeout=5))"
    )
    finished = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.splitlines()[-1] == "True pong"


@pytest.mark.django_db
def test_a_task_queued_on_commit_runs_only_once_the_transaction_commits(
    django_capture_on_commit_callbacks, monkeypatch
):
    ran = []
    monkeypatch.setattr(ping, "delay", lambda: ran.append("sent"))
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        ping.delay_on_commit()
        assert ran == []
    assert len(callbacks) == 1
    assert ran == ["sent"]


def test_a_task_makes_a_round_trip_through_a_real_worker_and_redis(worker):
    result = ping.delay()
    try:
        assert result.get(timeout=60) == "pong"
    except Exception:
        worker.terminate()
        print(worker.communicate(timeout=30)[0])
        raise
    stored = TaskResult.objects.get(task_id=result.id)
    assert stored.status == "SUCCESS"
    assert stored.task_name == "delegation.ping"


def test_beat_schedules_the_daily_contract_task():
    schedule = current_app.conf.beat_schedule
    assert schedule["contracts-daily"]["task"] == "participants.contracts_daily"
    assert contracts_daily.name == "participants.contracts_daily"


def test_the_beat_process_starts_as_docker_compose_runs_it(tmp_path):
    """Beat keeps its schedule in the database: the settings' entries are written there."""
    database = tmp_path / "db.sqlite3"
    environment = {**os.environ, "REDIS_URL": "", "DATABASE_URL": f"sqlite:///{database}"}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        timeout=300,
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "delegation", "beat", "--loglevel", "INFO"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    try:
        for line in process.stdout:
            lines.append(line)
            if "DatabaseScheduler: Schedule changed" in line:
                break
    finally:
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=30)
    assert any("Schedule changed" in line for line in lines), "".join(lines) + rest
    with sqlite3.connect(database) as db:
        names = {row[0] for row in db.execute("SELECT name FROM django_celery_beat_periodictask")}
    assert {"contracts-daily", "reminders-daily", "requeue-stale-jobs"} <= names
