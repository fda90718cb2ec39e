"""Every portal page suits a cheap phone on a slow line: no script, a viewport for small
screens, and at most 100 KB compressed on first load (the page with its stylesheets and
scripts; images apart)."""

import gzip
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from participants.models import ConsentRecord
from portal import applicants
from portal.models import ApplicationDraft
from portal.services import invitation_create
from tests.factories import CallFactory, ParticipantFactory
from tests.portal.test_applying import fill_to_consent

pytestmark = pytest.mark.django_db

FIRST_LOAD_LIMIT = 100 * 1024
ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="([^"]+)"')


def compressed(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def first_load(html: bytes) -> tuple[int, list[str]]:
    """The compressed bytes of the page and of every stylesheet and script it links."""
    total = compressed(html)
    assets = [href for href in ASSET.findall(html.decode()) if href.startswith(settings.STATIC_URL)]
    for href in assets:
        path = finders.find(href.removeprefix(settings.STATIC_URL))
        assert path, f"{href} is not a static file"
        with open(path, "rb") as handle:
            total += compressed(handle.read())
    return total, assets


@pytest.fixture
def applicant_pages(applicant, call):
    """The applicants' pages, with every step of a draft and a sent application."""
    client = Client()
    client.force_login(applicant)
    fill_to_consent(client, call)
    drafts = {
        reverse("portal:apply_step", args=[call.pk, step]): client for step in applicants.STEPS
    }
    other = CallFactory(cohort=call.cohort, required_documents=["KTP", "Ijazah"])
    fill_to_consent(client, other)
    client.post(reverse("portal:apply_step", args=[other.pk, "consent"]), {"agree": "on"})
    sent = ApplicationDraft.objects.get(call=other)
    return {
        **drafts,
        reverse("portal:applications"): client,
        reverse("portal:application_detail", args=[sent.pk]): client,
        reverse("portal:open_calls"): Client(),
        reverse("portal:register"): Client(),
        reverse("portal:register_done"): Client(),
    }


@pytest.fixture
def pages(portal_client, person, cohort, applicant_pages):
    ConsentRecord.objects.create(
        participant=person, kind="processing", given_on="2025-02-03", scope="Pendaftaran"
    )
    _invitation, link = invitation_create(
        participant=ParticipantFactory(cohort=cohort), email="baru@example.org"
    )
    return {
        reverse("portal:home"): portal_client,
        reverse("portal:checklist"): portal_client,
        reverse("portal:document_upload", args=["passport"]): portal_client,
        reverse("portal:training"): portal_client,
        reverse("portal:abroad"): portal_client,
        reverse("portal:my_data"): portal_client,
        reverse("portal:follow_ups"): portal_client,
        **applicant_pages,
        link.removeprefix(settings.SITE_URL): Client(),
    }


def test_every_portal_page_loads_within_100_kb_without_scripts(pages):
    for path, client in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content
        assert b"<script" not in html, f"{path} carries a script"
        assert b'name="viewport" content="width=device-width' in html, path
        total, assets = first_load(html)
        assert assets, f"{path} links no stylesheet: the measure would be empty"
        assert total <= FIRST_LOAD_LIMIT, f"{path}: {total} bytes compressed on first load"


def test_the_measure_counts_the_stylesheets(pages):
    """A page linking the staff site's Bootstrap would weigh more: the measure reads files."""
    bootstrap = finders.find("vendor/bootstrap/bootstrap.min.css")
    with open(bootstrap, "rb") as handle:
        alone = compressed(handle.read())
    page = f'<link rel="stylesheet" href="{settings.STATIC_URL}vendor/bootstrap/bootstrap.min.css">'
    total, _assets = first_load(page.encode())
    assert total >= alone > 10 * 1024
