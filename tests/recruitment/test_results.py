"""The ranking, publishing the provisional result and the objections."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from delegation.models import AuditEvent
from recruitment.models import Call, Objection
from recruitment.services import working_days_after
from tests.recruitment.pages import login

pytestmark = pytest.mark.django_db


def _lock_every_stage(call, user):
    call.stages.update(locked_at=timezone.now(), locked_by=user)


def test_the_ranking_and_rank_list_are_for_staff_not_the_committee(client, world):
    call = world["call"]
    for who, code in [("hr", 200), ("coordinator", 200), ("leadership", 200), ("member", 403)]:
        login(client, world["users"][who])
        assert client.get(reverse("recruitment:ranking", args=[call.pk])).status_code == code
        response = client.get(reverse("recruitment:ranking_export", args=[call.pk]))
        assert response.status_code == code
        if code == 200:
            assert response["Cache-Control"].startswith("no-store")
    assert AuditEvent.objects.filter(action="export").count() == 3


def test_objections_are_recorded_and_answered_on_their_page(client, world):
    call = world["call"]
    call.status = Call.Status.PROVISIONAL
    call.result_published_on = datetime.date(2026, 5, 13)
    call.objection_until = datetime.date(2030, 5, 19)
    call.save()
    login(client, world["users"]["coordinator"])
    url = reverse("recruitment:objections", args=[call.pk])
    response = client.post(
        url,
        {
            "application": world["others"][1].pk,
            "received_on": "2026-05-14",
            "text": "Nilai saya tertukar",
        },
    )
    assert response.status_code == 302
    objection = Objection.objects.get()
    answer = reverse("recruitment:objection_answer", args=[objection.pk])
    client.post(answer, {"verdict": "rejected", "answer": "Sudah diperiksa."})
    objection.refresh_from_db()
    assert objection.verdict == "rejected" and objection.answered_by.username == "coordinator"
    assert login(client, world["users"]["leadership"]).post(answer, {}).status_code == 403


def test_hr_sets_the_end_of_the_objection_period_when_publishing(client, world):
    call, hr = world["call"], world["users"]["hr"]
    _lock_every_stage(call, hr)
    login(client, hr)
    page = client.get(reverse("recruitment:call_detail", args=[call.pk])).content.decode()
    assert 'name="objection_until"' in page and "hari kerja" in page
    url = reverse("recruitment:call_publish", args=[call.pk])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(url, {"objection_until": yesterday.isoformat()}, follow=True)
    assert "sebelum hasil diumumkan" in response.content.decode()
    call.refresh_from_db()
    assert call.status == Call.Status.SCORING and call.objection_until is None
    client.post(url, {"objection_until": "not a date"})
    call.refresh_from_db()
    assert call.status == Call.Status.SCORING
    chosen = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(url, {"objection_until": chosen.isoformat()}, follow=True)
    call.refresh_from_db()
    assert call.status == Call.Status.PROVISIONAL and call.objection_until == chosen
    assert call.result_published_on == timezone.localdate()
    assert "diumumkan" in response.content.decode()


def test_the_objection_period_defaults_to_three_working_days(client, world):
    call, hr = world["call"], world["users"]["hr"]
    _lock_every_stage(call, hr)
    login(client, hr).post(reverse("recruitment:call_publish", args=[call.pk]), {})
    call.refresh_from_db()
    assert call.objection_until == working_days_after(timezone.localdate(), 3)


def test_only_hr_publishes_the_result(client, world):
    call = world["call"]
    _lock_every_stage(call, world["users"]["hr"])
    url = reverse("recruitment:call_publish", args=[call.pk])
    for who in ("coordinator", "leadership", "member"):
        assert login(client, world["users"][who]).post(url, {}).status_code == 403
    assert login(client, world["users"]["outsider"]).post(url, {}).status_code == 404
    call.refresh_from_db()
    assert call.status == Call.Status.SCORING
