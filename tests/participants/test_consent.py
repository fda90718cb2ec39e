"""Consent to processing and to transfer abroad, recorded and withdrawn from the profile."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from delegation.models import AuditEvent
from participants.models import ConsentRecord
from tests.factories import ParticipantFactory, PartnerFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the pages, as the messages
    with translation.override("en"):
        yield


def form(**overrides):
    data = {
        "kind": "transfer",
        "given_on": "2026-03-02",
        "scope": "Identity, health and training records, for placement and employment.",
        "signed_file": SimpleUploadedFile("persetujuan.pdf", PDF),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def consent(participant, **fields) -> ConsentRecord:
    record = ConsentRecord(
        participant=participant,
        kind=fields.pop("kind", "processing"),
        given_on=fields.pop("given_on", datetime.date(2026, 3, 2)),
        scope="All data in the registry",
        **fields,
    )
    record.signed_file.save("persetujuan.pdf", SimpleUploadedFile("persetujuan.pdf", PDF))
    return record


class TestRecording:
    def test_hr_records_a_transfer_consent_with_its_recipient_and_signed_file(
        self, client, hr, cohort
    ):
        person = ParticipantFactory(cohort=cohort)
        partner = PartnerFactory(name="Kaikoukai Healthcare Corporation")
        client.force_login(hr)
        response = client.post(
            reverse("participants:consent_create", args=[person.pk]),
            form(recipient=partner.pk),
        )
        assert response["Location"] == person.get_absolute_url()
        record = ConsentRecord.objects.get()
        assert (record.kind, record.recipient, record.recorded_by) == ("transfer", partner, hr)
        assert record.given_on == datetime.date(2026, 3, 2)
        assert record.signed_file.read() == PDF
        assert record.history.count() == 1
        page = client.get(person.get_absolute_url()).content.decode()
        assert "Kaikoukai Healthcare Corporation" in page and "In force" in page

    def test_a_transfer_without_a_recipient_is_refused(self, client, hr):
        person = ParticipantFactory()
        client.force_login(hr)
        response = client.post(reverse("participants:consent_create", args=[person.pk]), form())
        assert response.status_code == 200
        assert "recipient" in response.context["form"].errors
        assert not ConsentRecord.objects.exists()

    def test_a_processing_consent_needs_no_recipient(self, client, hr):
        person = ParticipantFactory()
        client.force_login(hr)
        client.post(
            reverse("participants:consent_create", args=[person.pk]), form(kind="processing")
        )
        assert ConsentRecord.objects.get().recipient is None

    def test_a_file_that_is_not_a_document_is_refused(self, client, hr):
        person = ParticipantFactory()
        client.force_login(hr)
        response = client.post(
            reverse("participants:consent_create", args=[person.pk]),
            form(kind="processing", signed_file=SimpleUploadedFile("x.pdf", b"MZ\x90\x00")),
        )
        assert "signed_file" in response.context["form"].errors
        assert not ConsentRecord.objects.exists()

    def test_the_signed_file_is_required(self, client, hr):
        person = ParticipantFactory()
        client.force_login(hr)
        response = client.post(
            reverse("participants:consent_create", args=[person.pk]),
            form(kind="processing", signed_file=None),
        )
        assert "signed_file" in response.context["form"].errors

    def test_a_consent_dated_in_the_future_is_refused(self, client, hr):
        person = ParticipantFactory()
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        client.force_login(hr)
        response = client.post(
            reverse("participants:consent_create", args=[person.pk]),
            form(kind="processing", given_on=tomorrow.isoformat()),
        )
        assert "given_on" in response.context["form"].errors

    def test_a_coordinator_sees_consents_but_may_not_record_them(
        self, client, assigned, coordinator, cohort
    ):
        person = ParticipantFactory(cohort=cohort)
        consent(person)
        client.force_login(coordinator)
        page = client.get(person.get_absolute_url()).content.decode()
        assert "Processing of personal data" in page
        assert reverse("participants:consent_create", args=[person.pk]) not in page
        url = reverse("participants:consent_create", args=[person.pk])
        assert client.get(url).status_code == 403

    def test_leadership_does_not_see_consents(self, client, assigned, leadership, cohort):
        person = ParticipantFactory(cohort=cohort)
        consent(person)
        client.force_login(leadership)
        page = client.get(person.get_absolute_url()).content.decode()
        assert "Processing of personal data" not in page

    def test_the_anonymous_user_is_sent_to_log_in(self, client):
        person = ParticipantFactory()
        response = client.get(reverse("participants:consent_create", args=[person.pk]))
        assert response.status_code == 302 and "/login/" in response["Location"]


class TestWithdrawal:
    def test_hr_records_a_withdrawal_with_its_date_and_reason(self, client, hr):
        record = consent(ParticipantFactory())
        client.force_login(hr)
        response = client.post(
            reverse("participants:consent_withdraw", args=[record.pk]),
            {"withdrawn_on": "2026-04-01", "reason": "Letter of 1 April"},
        )
        assert response.status_code == 302
        record.refresh_from_db()
        assert record.withdrawn_on == datetime.date(2026, 4, 1)
        assert record.withdrawal_reason == "Letter of 1 April"
        assert [h.withdrawn_on for h in record.history.order_by("history_date")] == [
            None,
            datetime.date(2026, 4, 1),
        ]

    def test_a_withdrawal_before_the_consent_was_given_is_refused(self, client, hr):
        record = consent(ParticipantFactory())
        client.force_login(hr)
        response = client.post(
            reverse("participants:consent_withdraw", args=[record.pk]),
            {"withdrawn_on": "2026-01-01", "reason": "x"},
        )
        assert "withdrawn_on" in response.context["form"].errors
        record.refresh_from_db()
        assert record.withdrawn_on is None

    def test_a_withdrawn_consent_cannot_be_withdrawn_again(self, client, hr):
        record = consent(ParticipantFactory(), withdrawn_on=datetime.date(2026, 4, 1))
        client.force_login(hr)
        url = reverse("participants:consent_withdraw", args=[record.pk])
        assert client.get(url).status_code == 404

    def test_a_coordinator_may_not_withdraw(self, client, assigned, coordinator, cohort):
        record = consent(ParticipantFactory(cohort=cohort))
        client.force_login(coordinator)
        url = reverse("participants:consent_withdraw", args=[record.pk])
        assert client.post(url, {"withdrawn_on": "2026-04-01", "reason": "x"}).status_code == 403


class TestSignedFile:
    def test_hr_downloads_the_signed_form_and_it_is_logged(self, client, hr):
        person = ParticipantFactory()
        record = consent(person)
        client.force_login(hr)
        response = client.get(reverse("participants:consent_file", args=[record.pk]))
        assert b"".join(response.streaming_content) == PDF
        event = AuditEvent.objects.get(action="download")
        assert (event.actor, event.subject_id) == (hr, str(person.pk))

    def test_a_coordinator_may_not_download_it(self, client, assigned, coordinator, cohort):
        record = consent(ParticipantFactory(cohort=cohort))
        client.force_login(coordinator)
        assert client.get(reverse("participants:consent_file", args=[record.pk])).status_code == 403
        assert not AuditEvent.objects.exists()

    def test_out_of_scope_consents_do_not_exist_for_a_coordinator(
        self, client, assigned, coordinator
    ):
        record = consent(ParticipantFactory())
        client.force_login(coordinator)
        assert client.get(reverse("participants:consent_file", args=[record.pk])).status_code == 404
