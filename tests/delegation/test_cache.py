"""A dead cache server degrades the site instead of taking it down."""

import json
import logging
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.cache import caches
from django.urls import reverse

from delegation import cache as degrading
from tests.delegation.test_gunicorn import free_port

ROOT = Path(__file__).resolve().parents[2]
CLOSED = "redis://127.0.0.1:1/0"


@pytest.fixture
def dead_redis_cache(settings, monkeypatch):
    """The default cache is Redis on a closed port, behind the degrading backend."""
    monkeypatch.setitem(degrading._state, "down_until", 0.0)
    settings.CACHES = {
        "default": {"BACKEND": "delegation.cache.DegradingRedisCache", "LOCATION": CLOSED}
    }
    backend = caches["default"]
    backend._local.clear()
    return backend


def test_a_dead_redis_falls_back_to_memory_and_logs_once(dead_redis_cache, caplog):
    with caplog.at_level(logging.WARNING, logger="delegation.cache"):
        assert dead_redis_cache.get("missing", "default") == "default"
        dead_redis_cache.set("kept", 41, 60)
        dead_redis_cache.incr("kept")
        assert dead_redis_cache.get("kept") == 42
        assert dead_redis_cache.get_or_set("counter", 0, 60) == 0
    assert degrading.is_degraded()
    warnings = [record for record in caplog.records if record.name == "delegation.cache"]
    assert len(warnings) == 1
    assert "cannot be reached" in warnings[0].getMessage()


def test_other_redis_errors_still_raise(dead_redis_cache, monkeypatch):
    from redis.exceptions import ResponseError

    def refuse(*args, **kwargs):
        raise ResponseError("WRONGTYPE")

    monkeypatch.setattr(dead_redis_cache._redis, "get", refuse)
    with pytest.raises(ResponseError):
        dead_redis_cache.get("anything")


def test_redis_is_asked_again_once_the_retry_time_has_passed(dead_redis_cache, monkeypatch):
    dead_redis_cache.get("anything")
    answers = []
    monkeypatch.setattr(
        dead_redis_cache._redis, "get", lambda *args, **kwargs: answers.append(1) or "redis"
    )
    assert dead_redis_cache.get("anything") is None  # still left alone
    monkeypatch.setitem(degrading._state, "down_until", 1.0)  # long past
    assert dead_redis_cache.get("anything") == "redis"
    assert answers == [1] and not degrading.is_degraded()


@pytest.mark.django_db
def test_pages_that_read_the_cache_render_while_redis_is_down(dead_redis_cache, client, hr):
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("verify", args=["no-such-token"])).status_code == 404
    client.force_login(hr)
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get(reverse("participants:participant_list")).status_code == 200


def test_the_app_started_against_a_closed_redis_port_serves_the_login_page(tmp_path):
    """The web process as deployed, with REDIS_URL at a closed port: the login page renders
    and /healthz answers 503 naming the broker."""
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    environment = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": database,
        "REDIS_URL": CLOSED,
        "WEB_CONCURRENCY": "1",
    }
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        timeout=300,
    )
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "delegation.wsgi"],
        cwd=ROOT,
        env={**environment, "PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = []
    try:
        for line in process.stdout:
            output.append(line)
            if "Booting worker" in line:
                break
        login = f"http://127.0.0.1:{port}/accounts/login/"
        with urllib.request.urlopen(login, timeout=30) as reply:
            assert reply.status == 200
            assert b'name="password"' in reply.read()
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30)
        assert refused.value.code == 503
        assert json.loads(refused.value.read()) == {"database": "ok", "broker": "error"}
    finally:
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=30)
        output.append(rest)
    assert "Internal Server Error" not in "".join(output), "".join(output)
