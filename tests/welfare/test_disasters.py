"""Disasters: events and the mass check."""

import datetime

import pytest
from django.urls import reverse

from tests.welfare.conftest import working
from welfare import services
from welfare.models import Event, EventMember

pytestmark = pytest.mark.django_db


class TestEvents:
    def test_hr_opens_an_event_for_a_prefecture(self, client, hr, person, cohort):
        working(cohort, subdivision="JP-01")
        client.force_login(hr)
        response = client.post(
            reverse("welfare:event_create"),
            {"name": "Gempa Noto", "occurred_on": "2026-01-01", "subdivisions": ["JP-17"]},
        )
        event = Event.objects.get()
        assert response.url == event.get_absolute_url()
        assert [m.participant for m in event.members.all()] == [person]

    def test_an_event_without_a_prefecture_is_refused(self, client, hr, person):
        client.force_login(hr)
        response = client.post(
            reverse("welfare:event_create"), {"name": "x", "occurred_on": "2026-01-01"}
        )
        assert response.status_code == 200 and not Event.objects.exists()

    def test_the_contact_list_and_the_dashboard_banner(self, client, hr, leadership, person):
        event = services.event_open(
            name="Gempa Noto",
            country="JP",
            subdivisions=["JP-17"],
            occurred_on=datetime.date(2026, 1, 1),
            by=hr,
        )
        client.force_login(hr)
        page = client.get(event.get_absolute_url())
        assert person.full_name in page.content.decode()
        client.force_login(leadership)
        banner = client.get(reverse("dashboard")).content.decode()
        assert "Gempa Noto" in banner and "1 orang belum dihubungi" in banner
        member = event.members.get()
        services.event_record(member=member, result="safe", source="phone", by=hr)
        services.event_close(event=event, by=hr)
        assert "Gempa Noto" not in client.get(reverse("dashboard")).content.decode()

    def test_recording_needs_help_opens_a_case(self, client, coordinator, hr, person):
        event = services.event_open(
            name="Banjir",
            country="JP",
            subdivisions=["JP-17"],
            occurred_on=datetime.date(2026, 1, 1),
            by=hr,
        )
        member = event.members.get()
        client.force_login(coordinator)
        client.post(
            reverse("welfare:member_record", args=[member.pk]),
            {"result": "needs_help", "source": "family", "note": "Rumah rusak"},
        )
        member.refresh_from_db()
        assert member.result == EventMember.Result.NEEDS_HELP and member.case.kind == "disaster"

    def test_closing_with_people_not_reached_needs_a_reason(self, client, hr, person):
        event = services.event_open(
            name="Banjir",
            country="JP",
            subdivisions=["JP-17"],
            occurred_on=datetime.date(2026, 1, 1),
            by=hr,
        )
        client.force_login(hr)
        url = reverse("welfare:event_close", args=[event.pk])
        client.post(url, {"reason": ""})
        event.refresh_from_db()
        assert event.status == Event.Status.OPEN
        client.post(url, {"reason": "Nomor tidak aktif"})
        event.refresh_from_db()
        assert event.status == Event.Status.CLOSED
