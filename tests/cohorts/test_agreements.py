"""A programme's agreements and their files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cohorts.models import (
    Agreement,
)
from delegation.models import AuditEvent
from tests.cohorts.pages import PDF
from tests.factories import (
    AgreementFactory,
)

pytestmark = pytest.mark.django_db


class TestAgreements:
    def test_hr_staff_add_an_agreement_with_its_file(self, client, hr, program):
        client.force_login(hr)
        response = client.post(
            reverse("cohorts:agreement_create", args=[program.slug]),
            {
                "kind": "pks",
                "number": "100/PKS/2026",
                "signed_on": "2026-01-05",
                "valid_until": "2031-01-04",
                "file": SimpleUploadedFile("pks.pdf", PDF, content_type="application/pdf"),
            },
        )
        assert response["Location"] == program.get_absolute_url()
        agreement = Agreement.objects.get(number="100/PKS/2026")
        assert agreement.file.read() == PDF

    def test_a_file_that_is_not_a_document_is_refused(self, client, hr, program):
        client.force_login(hr)
        response = client.post(
            reverse("cohorts:agreement_create", args=[program.slug]),
            {
                "kind": "mou",
                "number": "1/MoU",
                "signed_on": "2026-01-05",
                "file": SimpleUploadedFile("mou.pdf", b"MZ\x90\x00 not a pdf"),
            },
        )
        assert "file" in response.context["form"].errors
        assert not Agreement.objects.exists()

    def test_an_agreement_cannot_end_before_it_is_signed(self, client, hr, program):
        client.force_login(hr)
        response = client.post(
            reverse("cohorts:agreement_create", args=[program.slug]),
            {
                "kind": "mou",
                "number": "2/MoU",
                "signed_on": "2026-01-05",
                "valid_until": "2025-01-01",
            },
        )
        assert "valid_until" in response.context["form"].errors
        assert not Agreement.objects.exists()

    def test_the_file_downloads_through_a_permission_check_and_is_logged(
        self, client, hr, leadership, assigned, program
    ):
        agreement = AgreementFactory(program=program)
        agreement.file.save("mou.pdf", SimpleUploadedFile("mou.pdf", PDF))
        url = reverse("cohorts:agreement_file", args=[agreement.pk])
        client.force_login(leadership)
        assert client.get(url).status_code == 403
        client.force_login(hr)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert 'attachment; filename="mou' in response["Content-Disposition"]
        event = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD)
        assert (event.actor, event.subject_id) == (hr, str(agreement.pk))

    def test_a_missing_file_answers_404(self, client, hr, program):
        agreement = AgreementFactory(program=program)
        client.force_login(hr)
        assert client.get(reverse("cohorts:agreement_file", args=[agreement.pk])).status_code == 404

    def test_deleting_asks_for_confirmation_first(self, client, hr, program):
        agreement = AgreementFactory(program=program)
        url = reverse("cohorts:agreement_delete", args=[agreement.pk])
        client.force_login(hr)
        confirm = client.get(url)
        assert confirm.status_code == 200 and "Ya, hapus" in confirm.content.decode()
        assert Agreement.objects.exists()
        response = client.post(url)
        assert response["Location"] == program.get_absolute_url()
        assert not Agreement.objects.exists()
        assert AuditEvent.objects.filter(action=AuditEvent.Action.DELETE).count() == 1

    def test_a_coordinator_may_not_delete_an_agreement(
        self, client, assigned, coordinator, program
    ):
        agreement = AgreementFactory(program=program)
        client.force_login(coordinator)
        assert (
            client.post(reverse("cohorts:agreement_delete", args=[agreement.pk])).status_code == 403
        )
        assert Agreement.objects.exists()
