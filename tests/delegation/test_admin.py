"""Every model is in the Django admin, and its pages open for an administrator."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db
PROJECT_APPS = {"delegation", "cohorts", "participants", "training"}


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
