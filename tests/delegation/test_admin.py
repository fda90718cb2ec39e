"""Every model is in the Django admin, and its pages open for an administrator."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.messages import get_messages
from django.urls import reverse

from delegation.models import AuditEvent
from delegation.roles import Role
from tests.factories import DocumentFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db
PROJECT_APPS = {"delegation", "cohorts", "participants", "training", "recruitment"}


def project_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
        and not model._meta.auto_created
        # Change-history tables are read through their model's admin page.
        and not model._meta.model_name.startswith("historical")
    ]


def test_every_project_model_is_registered():
    missing = [m._meta.label for m in project_models() if not admin.site.is_registered(m)]
    assert missing == []


@pytest.mark.parametrize("model", project_models(), ids=lambda m: m._meta.label)
def test_its_list_and_search_open(client, admin_user, model):
    client.force_login(admin_user)
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "banjar"}).status_code == 200


@pytest.mark.parametrize("name", ["participanttally", "participantmix", "departurecount"])
def test_the_running_counts_are_read_but_never_edited(client, admin_user, name):
    from participants.models import ParticipantTally

    row = ParticipantTally.objects.create(delta=1)
    client.force_login(admin_user)
    assert client.get(reverse(f"admin:participants_{name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:participants_{name}_add")).status_code == 403
    if name == "participanttally":
        change = client.post(reverse(f"admin:participants_{name}_change", args=[row.pk]), {})
        assert change.status_code == 403
        delete = client.post(
            reverse(f"admin:participants_{name}_delete", args=[row.pk]), {"post": "yes"}
        )
        assert delete.status_code == 403
        assert ParticipantTally.objects.filter(pk=row.pk, delta=1).exists()


class TestParticipantSearchInTheAdmin:
    """The admin's search follows the site's rule: by number only for those who may reveal."""

    def changelist(self, client, user, text):
        client.force_login(user)
        url = reverse("admin:participants_participant_changelist")
        return client.get(url, {"q": text})

    def test_staff_without_the_sensitive_permission_find_nobody_by_nik(self, client):
        staff = UserFactory(username="staff-coordinator", is_staff=True, role=Role.COORDINATOR)
        siti = ParticipantFactory(full_name="Siti Rahmah")
        DocumentFactory(participant=siti, number="C7654321")
        for text in (siti.nik[:8], siti.nik, "C7654321"):
            response = self.changelist(client, staff, text)
            assert response.status_code == 200
            assert list(response.context["cl"].result_list) == [], text
        assert list(self.changelist(client, staff, "rahmah").context["cl"].result_list) == [siti]
        assert AuditEvent.objects.filter(action=AuditEvent.Action.SEARCH).count() == 2

    def test_an_administrator_finds_by_nik_and_is_limited_and_logged(
        self, client, admin_user, settings
    ):
        settings.NIK_SEARCH_LIMIT = 1
        siti = ParticipantFactory()
        found = self.changelist(client, admin_user, siti.nik[:8])
        assert list(found.context["cl"].result_list) == [siti]
        refused = self.changelist(client, admin_user, siti.nik[:8])
        assert refused.status_code == 200
        assert list(refused.context["cl"].result_list) == []
        assert [str(m) for m in get_messages(refused.wsgi_request)] == [
            "Terlalu banyak pencarian dengan nomor: paling banyak 1 per menit. "
            "Tunggu satu menit, lalu cari lagi."
        ]
        assert list(AuditEvent.objects.values_list("detail", flat=True).order_by("at", "pk")) == [
            "NIK-like search: 1 matched",
            "NIK-like search refused: limit reached",
        ]
