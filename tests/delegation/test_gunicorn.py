"""The web process as docker-compose.yml starts it: gunicorn with gunicorn.conf.py."""

import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_serves_the_app_and_logs_paths_without_query_strings(tmp_path):
    port = free_port()
    environment = {
        **os.environ,
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "DEBUG": "0",
        "SECRET_KEY": "gunicorn-test-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "",
        "EMAIL_URL": "consolemail://",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "delegation.wsgi"],
        cwd=ROOT,
        env=environment,
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
        secret_query = "nik=6371010101900001"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz?{secret_query}") as reply:
            assert reply.status == 200
            assert reply.read() == b'{"database": "ok", "broker": "disabled"}'
    finally:
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=30)
        output.append(rest)
    log = "".join(output)
    assert '"GET /healthz HTTP/1.1" 200' in log
    assert "6371010101900001" not in log
