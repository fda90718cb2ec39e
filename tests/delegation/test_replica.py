"""Reads that may lag (the dashboard's and the programme report's figures) go to a read
replica when one is configured; everything else, and every write, to the primary."""

import os

import pytest
from django.db import router

from delegation.replica import ReplicaRouter, _reading, replica_reads
from participants.models import Participant
from tests.delegation.test_settings import manage

REPLICA = {"ENGINE": "django.db.backends.postgresql", "NAME": "replica"}


def test_reads_go_to_the_replica_only_inside_replica_reads_and_only_when_configured(
    settings, monkeypatch
):
    with replica_reads():
        assert router.db_for_read(Participant) == "default"  # no replica configured
    monkeypatch.setitem(settings.DATABASES, "replica", REPLICA)
    assert router.db_for_read(Participant) == "default"
    with replica_reads():
        assert router.db_for_read(Participant) == "replica"
        assert router.db_for_write(Participant) == "default"
    assert router.db_for_read(Participant) == "default"
    assert ReplicaRouter().allow_migrate("replica", "participants") is False
    assert ReplicaRouter().allow_migrate("default", "participants") is True


@pytest.mark.django_db
def test_the_dashboard_and_the_report_count_inside_replica_reads(hr, program, monkeypatch):
    """Both compute their figures with the flag up (where the reads then go is the router's
    business, above); no replica is configured here, so they still read the primary."""
    from django.test import Client

    from office.overviews import views
    from office.prints import report

    seen = []

    def spy(real):
        def figures(*args, **kwargs):
            seen.append(_reading.get())
            return real(*args, **kwargs)

        return figures

    monkeypatch.setattr(views, "dashboard_figures", spy(views.dashboard_figures))
    monkeypatch.setattr(report, "dashboard_figures", spy(report.dashboard_figures))
    client = Client()
    client.force_login(hr)
    assert client.get("/").status_code == 200
    report.report_data(program, user=hr)
    assert seen == [True, True]
    assert _reading.get() is False


def test_a_replica_url_configures_a_second_connection_that_is_never_migrated():
    url = os.environ.get("DATABASE_URL") or "sqlite:///var/replica-test.sqlite3"
    code = (
        "from django.db import connections, router\n"
        "from delegation.replica import replica_reads\n"
        "from participants.models import Participant\n"
        "with replica_reads():\n"
        "    print(router.db_for_read(Participant))\n"
        "    with connections['replica'].cursor() as cursor:\n"
        "        cursor.execute('SELECT 1')\n"
        "        print(cursor.fetchone()[0])\n"
        "print(router.db_for_read(Participant))\n"
        "print(router.allow_migrate('replica', 'participants'))\n"
    )
    result = manage("shell", "--no-imports", "-c", code, DATABASE_URL=url, DATABASE_REPLICA_URL=url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["replica", "1", "default", "False"]
