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
