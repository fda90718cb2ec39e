"""Pages that were renamed keep their old addresses: a bookmark or a printed link still
leads to the page (permanently redirected), and the frozen public address stays put."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/documents/", "/jobs/"),
        ("/documents/?page=2", "/jobs/?page=2"),
        ("/documents/rows/", "/jobs/rows/"),
        ("/documents/41/download/", "/jobs/41/download/"),
    ],
)
def test_an_old_address_leads_to_the_renamed_page(client, hr, old, new):
    client.force_login(hr)
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, new)


def test_the_jobs_page_answers_at_its_new_address(client, hr):
    client.force_login(hr)
    assert reverse("jobs") == "/jobs/"
    assert client.get("/jobs/").status_code == 200


def test_uploaded_documents_keep_their_addresses():
    assert reverse("participants:document_file", args=[3]) == "/documents/3/file/"
    assert reverse("participants:document_renew", args=[3]) == "/documents/3/renew/"


def test_the_address_printed_on_certificates_is_unchanged():
    assert reverse("verify", args=["abc"]) == "/verify/abc/"
