"""Contacts and heirs, uploaded documents and their files, and each programme's required
documents (``participants/views/documents.py``, contacts in ``people.py``)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from delegation.models import AuditEvent
from participants.models import Contact, Document, DocumentRequirement, DocumentType
from tests.factories import DocumentFactory, ParticipantFactory
from tests.participants.data import PDF

pytestmark = pytest.mark.django_db


class TestContactsAndDocuments:
    def contact_data(self, *rows):
        data = {
            "contacts-TOTAL_FORMS": str(len(rows)),
            "contacts-INITIAL_FORMS": "0",
            "contacts-MIN_NUM_FORMS": "0",
            "contacts-MAX_NUM_FORMS": "1000",
        }
        for index, row in enumerate(rows):
            for key, value in row.items():
                data[f"contacts-{index}-{key}"] = value
        return data

    def test_contacts_are_saved_with_one_heir(self, client, hr):
        participant = ParticipantFactory()
        client.force_login(hr)
        client.post(
            reverse("participants:participant_contacts", args=[participant.pk]),
            self.contact_data(
                {
                    "relation": "mother",
                    "name": "Ibu Aminah",
                    "phone": "081298765432",
                    "is_heir": "on",
                },
                {"relation": "father", "name": "Bapak Hasan", "is_emergency": "on"},
            ),
        )
        assert participant.contacts.get(is_heir=True).name == "Ibu Aminah"
        assert participant.contacts.get(is_emergency=True).name == "Bapak Hasan"

    def test_two_heirs_are_refused_and_nothing_saved(self, client, hr):
        participant = ParticipantFactory()
        client.force_login(hr)
        response = client.post(
            reverse("participants:participant_contacts", args=[participant.pk]),
            self.contact_data(
                {"relation": "mother", "name": "Ibu", "is_heir": "on"},
                {"relation": "spouse", "name": "Suami", "is_heir": "on"},
            ),
        )
        assert response.context["formset"].non_form_errors()
        assert not Contact.objects.exists()

    def test_a_document_is_uploaded_with_its_handler(self, client, hr):
        participant = ParticipantFactory()
        client.force_login(hr)
        passport = DocumentType.objects.get(code="passport")
        client.post(
            reverse("participants:document_create", args=[participant.pk]),
            {
                "document_type": passport.pk,
                "number": "C1234567",
                "issued_on": "2025-01-01",
                "expires_on": "2030-01-01",
                "file": SimpleUploadedFile("paspor.pdf", PDF),
            },
        )
        document = Document.objects.get()
        assert (document.handled_by, document.number) == (hr, "C1234567")

    def test_an_exe_renamed_pdf_is_refused(self, client, hr):
        participant = ParticipantFactory()
        client.force_login(hr)
        response = client.post(
            reverse("participants:document_create", args=[participant.pk]),
            {
                "document_type": DocumentType.objects.get(code="ktp").pk,
                "file": SimpleUploadedFile("ktp.pdf", b"MZ\x90\x00\x03\x00\x00\x00"),
            },
        )
        assert "file" in response.context["form"].errors
        assert not Document.objects.exists()

    def test_a_renewal_keeps_the_old_document(self, client, hr):
        old = DocumentFactory(expires_on=datetime.date(2026, 12, 1))
        client.force_login(hr)
        client.post(
            reverse("participants:document_renew", args=[old.pk]),
            {"number": "C7777777", "expires_on": "2036-12-01"},
        )
        new = Document.objects.get(replaces=old)
        assert new.document_type == old.document_type
        assert Document.objects.count() == 2

    def test_a_document_file_downloads_for_hr_only_and_is_logged(
        self, client, hr, assigned, coordinator, cohort
    ):
        document = DocumentFactory(participant=ParticipantFactory(cohort=cohort))
        document.file.save("paspor.pdf", SimpleUploadedFile("paspor.pdf", PDF))
        url = reverse("participants:document_file", args=[document.pk])
        client.force_login(coordinator)
        assert client.get(url).status_code == 403
        client.force_login(hr)
        response = client.get(url)
        assert b"".join(response.streaming_content) == PDF
        assert AuditEvent.objects.filter(action="download").count() == 1

    def test_the_programme_requirements_are_set_on_their_page(self, client, hr, program):
        client.force_login(hr)
        wanted = DocumentType.objects.filter(code__in=["passport", "medical"])
        client.post(
            reverse("participants:requirements", args=[program.slug]),
            {"document_types": [t.pk for t in wanted]},
        )
        assert set(
            DocumentRequirement.objects.filter(program=program).values_list(
                "document_type__code", flat=True
            )
        ) == {"passport", "medical"}

    def test_the_profile_shows_what_is_missing_before_departure(self, client, hr, cohort):
        participant = ParticipantFactory(cohort=cohort)
        DocumentRequirement.objects.create(
            program=cohort.program, document_type=DocumentType.objects.get(code="medical")
        )
        client.force_login(hr)
        response = client.get(participant.get_absolute_url())
        assert [t.code for t in response.context["missing_documents"]] == ["medical"]
        assert "Pemeriksaan Kesehatan (MCU)" in response.content.decode()
