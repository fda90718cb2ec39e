"""Upload → verification by HR → readiness: only a verified document counts."""

import datetime

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from participants.models import Document
from tests.factories import DocumentFactory
from tests.portal.conftest import pdf_upload
from training import readiness

pytestmark = pytest.mark.django_db

EXPIRY = datetime.date(2031, 5, 1)


def upload_passport(client, **extra):
    data = {"file": pdf_upload(), "number": "c 123 4567", "expires_on": EXPIRY.isoformat()}
    data.update(extra)
    return client.post(reverse("portal:document_upload", args=["passport"]), data)


def passport_met(person) -> bool:
    check = readiness.check(person, on=datetime.date(2026, 9, 1))
    return next(r for r in check.requirements if r.key == "passport").met


@pytest.fixture
def staff():
    """A second browser, for the member of staff, beside the person's own."""
    return Client()


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


class TestUpload:
    def test_an_upload_waits_and_counts_for_nothing_until_verified(
        self, portal_client, person, portal_user, english
    ):
        response = upload_passport(portal_client)
        assert response.status_code == 302
        document = Document.objects.get(participant=person)
        assert document.review == Document.Review.PENDING
        assert document.submitted_by == portal_user
        assert document.number == "C1234567"
        assert not passport_met(person)
        page = portal_client.get(reverse("portal:checklist")).content.decode()
        assert "the office is checking it." in page

    def test_a_file_that_is_not_a_document_is_refused_and_nothing_kept(
        self, portal_client, person, english
    ):
        response = upload_passport(portal_client, file=ContentFile(b"MZ\x90\x00", name="a.pdf"))
        assert response.status_code == 400
        assert "Upload a PDF, PNG or JPEG file." in response.content.decode()
        assert not Document.objects.exists()

    def test_a_passport_needs_its_expiry(self, portal_client, english):
        response = upload_passport(portal_client, expires_on="")
        assert response.status_code == 400
        assert not Document.objects.exists()

    def test_a_document_not_asked_of_the_person_cannot_be_uploaded(self, portal_client):
        response = portal_client.get(reverse("portal:document_upload", args=["visa"]))
        assert response.status_code == 404

    def test_a_second_upload_waits_for_the_first_to_be_checked(self, portal_client, person):
        upload_passport(portal_client)
        response = upload_passport(portal_client)
        assert response.status_code == 302
        assert Document.objects.filter(participant=person).count() == 1


class TestVerification:
    def test_hr_accepts_an_upload_and_it_counts_for_readiness(
        self, portal_client, staff, hr, person, portal_user, django_capture_on_commit_callbacks
    ):
        upload_passport(portal_client)
        document = Document.objects.get(participant=person)
        staff.force_login(hr)
        queue = staff.get(reverse("portal_staff:verification_queue")).content.decode()
        assert person.full_name in queue
        with django_capture_on_commit_callbacks(execute=True):
            response = staff.post(reverse("portal_staff:document_accept", args=[document.pk]))
        assert response.status_code == 302
        document.refresh_from_db()
        assert document.review == Document.Review.VERIFIED
        assert document.reviewed_by == hr
        assert passport_met(person)
        queue = staff.get(reverse("portal_staff:verification_queue")).content.decode()
        assert reverse("portal_staff:document_accept", args=[document.pk]) not in queue
        assert [m.to for m in mail.outbox] == [[portal_user.email]]
        assert portal_user.notifications.count() == 1

    def test_an_accepted_upload_replaces_the_earlier_passport(
        self, portal_client, staff, hr, person
    ):
        old = DocumentFactory(participant=person, expires_on=datetime.date(2026, 10, 1))
        assert not passport_met(person)  # expires too soon
        upload_passport(portal_client)
        new = Document.objects.get(review=Document.Review.PENDING)
        staff.force_login(hr)
        staff.post(reverse("portal_staff:document_accept", args=[new.pk]))
        new.refresh_from_db()
        assert new.replaces == old
        assert list(person.documents.current()) == [new]
        assert passport_met(person)

    def test_hr_refuses_with_a_reason_the_person_reads(
        self, portal_client, staff, hr, person, portal_user, django_capture_on_commit_callbacks
    ):
        upload_passport(portal_client)
        document = Document.objects.get(participant=person)
        staff.force_login(hr)
        with django_capture_on_commit_callbacks(execute=True):
            staff.post(
                reverse("portal_staff:document_refuse", args=[document.pk]),
                {"reason": "Fotonya buram, unggah lagi"},
            )
        document.refresh_from_db()
        assert document.review == Document.Review.REFUSED
        assert not passport_met(person)
        page = portal_client.get(reverse("portal:checklist")).content.decode()
        assert "Fotonya buram, unggah lagi" in page
        assert reverse("portal:document_upload", args=["passport"]) in page
        assert "Fotonya buram" in mail.outbox[0].body

    def test_a_refusal_without_reason_changes_nothing(
        self, portal_client, staff, hr, person, django_capture_on_commit_callbacks
    ):
        upload_passport(portal_client)
        document = Document.objects.get(participant=person)
        staff.force_login(hr)
        with django_capture_on_commit_callbacks(execute=True):
            staff.post(reverse("portal_staff:document_refuse", args=[document.pk]), {"reason": " "})
        document.refresh_from_db()
        assert document.review == Document.Review.PENDING
        assert mail.outbox == []

    def test_an_upload_is_reviewed_once(self, portal_client, staff, hr, person):
        upload_passport(portal_client)
        document = Document.objects.get(participant=person)
        staff.force_login(hr)
        staff.post(reverse("portal_staff:document_accept", args=[document.pk]))
        response = staff.post(
            reverse("portal_staff:document_refuse", args=[document.pk]), {"reason": "late"}
        )
        assert response.status_code == 404
        document.refresh_from_db()
        assert document.review == Document.Review.VERIFIED

    def test_a_coordinator_cannot_verify(self, portal_client, staff, coordinator, person, assigned):
        upload_passport(portal_client)
        document = Document.objects.get(participant=person)
        staff.force_login(coordinator)
        assert staff.get(reverse("portal_staff:verification_queue")).status_code == 403
        response = staff.post(reverse("portal_staff:document_accept", args=[document.pk]))
        assert response.status_code == 403
        document.refresh_from_db()
        assert document.review == Document.Review.PENDING

    def test_a_staff_entered_document_is_verified_from_the_start(self, person):
        document = DocumentFactory(participant=person, expires_on=EXPIRY)
        assert document.review == Document.Review.VERIFIED
        assert passport_met(person)
