import os

import pytest
from django.db import OperationalError
from django.urls import reverse

from tests.conftest import require


@pytest.mark.django_db
def test_it_answers_ok_with_the_broker_disabled_when_no_redis_is_configured(client, settings):
    settings.REDIS_URL = None
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "disabled"}


@pytest.mark.django_db
def test_it_answers_503_when_the_configured_broker_is_down(client, settings):
    settings.REDIS_URL = "redis://:secret-password@127.0.0.1:1/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "error"}
    assert b"secret-password" not in response.content


@pytest.mark.django_db
def test_it_answers_503_when_the_database_is_down(client, settings, monkeypatch):
    settings.REDIS_URL = None

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("delegation.views.connection.cursor", broken_cursor)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "error"


@pytest.mark.django_db
def test_it_answers_ok_with_a_real_broker(client, settings):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        require("REDIS_URL is not set: no Redis to check against")
    settings.REDIS_URL = redis_url
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_it_answers_get_only(client):
    assert client.post(reverse("healthz")).status_code == 405
