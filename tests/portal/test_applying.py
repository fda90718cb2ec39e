"""Applying to an open call from the portal: a draft kept at every step (resumed at the first
step not completed), the NIK checked as on the staff's form (format only), the call's uploads,
the consent shown in full and recorded, then the application through the recruitment service;
the applicant sees its number, receipt, stages and published result."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.html import escape

from delegation.models import AuditEvent, Notification
from delegation.roles import Role
from participants.models import Region
from portal import applicants
from portal.models import ApplicationDraft, DraftDocument
from recruitment import services as recruitment_services
from recruitment.models import Application, Call
from tests.factories import (
    ApplicationFactory,
    ParticipantFactory,
    UserFactory,
    make_nik,
)
from tests.office.test_prints import pdf_text
from tests.recruitment.test_attacks import _png_bomb as png_bomb

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BIRTH = datetime.date(2001, 5, 9)
NIK = make_nik(BIRTH, "F", serial=321)


def personal(**changes):
    return {
        "full_name": " Rina   Amalia ",
        "nik": f"{NIK[:6]} {NIK[6:12]} {NIK[12:]}",
        "birth_date": BIRTH.isoformat(),
        "birth_place": "Banjarmasin",
        "gender": "F",
        "nik_reason": "",
        "phone": "0812-3456-7890",
        **changes,
    }


def address():
    return {
        "ktp_street": "Jl. Lambung Mangkurat 1",
        "ktp_village": "Kertak Baru Ilir",
        "ktp_district": "Banjarmasin Tengah",
        "ktp_regency": Region.objects.get(code="63.71").pk,
        "domicile_street": "",
        "domicile_regency": "",
    }


EDUCATION = {"education_level": "sma", "education_field": "IPA", "track": "worker"}


def upload(name="ktp.pdf"):
    return ContentFile(PDF, name=name)


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def step_url(call, step):
    return reverse("portal:apply_step", args=[call.pk, step])


def fill_to_consent(client, call):
    assert client.post(step_url(call, "personal"), personal()).status_code == 302
    assert client.post(step_url(call, "address"), address()).status_code == 302
    assert client.post(step_url(call, "education"), EDUCATION).status_code == 302
    files = {"document_0": upload("ktp.pdf"), "document_1": upload("ijazah.pdf")}
    assert client.post(step_url(call, "documents"), files).status_code == 302


class TestDraft:
    def test_starting_goes_to_the_first_step_and_each_step_is_kept(self, applicant_client, call):
        response = applicant_client.get(reverse("portal:apply", args=[call.pk]))
        assert response.url == step_url(call, "personal")
        response = applicant_client.post(step_url(call, "personal"), personal())
        assert response.url == step_url(call, "address")
        draft = ApplicationDraft.objects.get(call=call)
        assert draft.steps_done == ["personal"]
        assert draft.data["nik"] == NIK and draft.data["full_name"] == "Rina Amalia"
        assert draft.data["birth_date"] == "2001-05-09" and draft.data["phone"] == "+6281234567890"

    def test_resuming_continues_at_the_first_incomplete_step(self, applicant_client, call):
        applicant_client.post(step_url(call, "personal"), personal())
        applicant_client.post(step_url(call, "address"), address())
        applicant_client.logout()  # the idle timeout, a lost connection
        applicant_client.force_login(ApplicationDraft.objects.get().user)
        response = applicant_client.get(reverse("portal:apply", args=[call.pk]))
        assert response.url == step_url(call, "education")
        page = applicant_client.get(step_url(call, "personal")).content.decode()
        assert 'value="Rina Amalia"' in page  # what was typed is still there

    def test_a_later_step_cannot_be_skipped_to(self, applicant_client, call):
        applicant_client.post(step_url(call, "personal"), personal())
        response = applicant_client.get(step_url(call, "consent"))
        assert response.url == step_url(call, "address")
        assert applicant_client.get(step_url(call, "nonsense")).url == step_url(call, "address")

    def test_uploads_are_kept_in_the_draft_and_need_not_be_given_again(
        self, applicant_client, call
    ):
        fill_to_consent(applicant_client, call)
        draft = ApplicationDraft.objects.get()
        assert sorted(draft.documents.values_list("name", flat=True)) == ["Ijazah", "KTP"]
        response = applicant_client.post(step_url(call, "documents"), {})
        assert response.status_code == 302  # both kept
        assert DraftDocument.objects.count() == 2

    def test_uploads_may_come_one_at_a_time(self, applicant_client, call):
        applicant_client.post(step_url(call, "personal"), personal())
        applicant_client.post(step_url(call, "address"), address())
        applicant_client.post(step_url(call, "education"), EDUCATION)
        response = applicant_client.post(step_url(call, "documents"), {"document_0": upload()})
        assert response.url == step_url(call, "documents")  # still Ijazah to come
        draft = ApplicationDraft.objects.get()
        assert "documents" not in draft.steps_done
        assert applicants.documents_missing(draft) == ["Ijazah"]
        assert applicant_client.get(reverse("portal:apply", args=[call.pk])).url == step_url(
            call, "documents"
        )
        response = applicant_client.post(
            step_url(call, "documents"), {"document_1": upload("ijazah.pdf")}
        )
        assert response.url == step_url(call, "consent")
        draft.refresh_from_db()
        assert "documents" in draft.steps_done

    def test_a_file_that_is_not_a_document_is_refused(self, applicant_client, call, english):
        applicant_client.post(step_url(call, "personal"), personal())
        applicant_client.post(step_url(call, "address"), address())
        applicant_client.post(step_url(call, "education"), EDUCATION)
        response = applicant_client.post(
            step_url(call, "documents"),
            {"document_0": ContentFile(b"MZ\x90\x00", name="ktp.pdf"), "document_1": upload()},
        )
        assert response.status_code == 400
        assert "Upload a PDF, PNG or JPEG file." in response.content.decode()
        assert not DraftDocument.objects.exists()

    def test_an_image_claiming_a_huge_size_is_refused_as_at_the_counter(
        self, applicant_client, call
    ):
        applicant_client.post(step_url(call, "personal"), personal())
        applicant_client.post(step_url(call, "address"), address())
        applicant_client.post(step_url(call, "education"), EDUCATION)
        response = applicant_client.post(
            step_url(call, "documents"), {"document_0": ContentFile(png_bomb(), name="ktp.png")}
        )
        assert response.status_code == 400
        assert not DraftDocument.objects.exists()

    def test_a_closed_call_takes_no_application(self, applicant_client, call):
        call.status = Call.Status.CLOSED
        call.save()
        assert applicant_client.get(reverse("portal:apply", args=[call.pk])).status_code == 404


class TestNik:
    def test_a_malformed_nik_gets_the_staff_forms_message(self, applicant_client, call, english):
        response = applicant_client.post(step_url(call, "personal"), personal(nik="123"))
        assert response.status_code == 400
        assert "A NIK has exactly 16 digits; this one has 3." in response.content.decode()
        assert ApplicationDraft.objects.get().steps_done == []

    def test_a_nik_against_the_birth_date_needs_a_reason(self, applicant_client, call, english):
        response = applicant_client.post(
            step_url(call, "personal"), personal(birth_date="2001-05-10")
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "correct it, or say why it is right" in page
        # The reason's box appears once the NIK is found wrong, not before.
        assert '<textarea name="nik_reason"' in page
        first = applicant_client.get(step_url(call, "personal")).content.decode()
        assert '<textarea name="nik_reason"' not in first
        assert 'type="hidden" name="nik_reason"' in first
        response = applicant_client.post(
            step_url(call, "personal"),
            personal(birth_date="2001-05-10", nik_reason="KTP lama, tanggal salah cetak"),
        )
        assert response.status_code == 302

    def test_a_known_nik_is_not_told_at_the_step(self, applicant_client, call, english):
        ApplicationFactory(call=call, nik=NIK, birth_date=BIRTH)
        ParticipantFactory(nik=NIK, birth_date=BIRTH, gender="F")
        response = applicant_client.post(step_url(call, "personal"), personal())
        assert response.status_code == 302


class TestSending:
    def test_the_consent_is_shown_in_full_and_required(self, applicant_client, call, english):
        fill_to_consent(applicant_client, call)
        page = applicant_client.get(step_url(call, "consent")).content.decode()
        for paragraph in applicants.CONSENT_TEXT:
            assert escape(str(paragraph)) in page
        assert applicants.CONSENT_VERSION in page
        response = applicant_client.post(step_url(call, "consent"), {})
        assert response.status_code == 400
        assert "only with your consent" in response.content.decode()
        assert not Application.objects.exists()

    def test_sending_makes_the_application_through_the_service(
        self, applicant_client, applicant, call, django_capture_on_commit_callbacks
    ):
        fill_to_consent(applicant_client, call)
        with django_capture_on_commit_callbacks(execute=True):
            response = applicant_client.post(step_url(call, "consent"), {"agree": "on"})
        draft = ApplicationDraft.objects.get()
        assert response.url == reverse("portal:application_detail", args=[draft.pk])
        application = Application.objects.get()
        assert draft.application == application and draft.status == "submitted"
        assert application.channel == Application.Channel.PORTAL
        assert application.submitted_by is None
        assert application.nik == NIK and application.full_name == "Rina Amalia"
        assert application.email == "rina@example.org"
        assert application.ktp_regency.code == "63.71"
        assert sorted(application.documents.values_list("name", flat=True)) == ["Ijazah", "KTP"]
        assert application.documents.get(name="KTP").file.read() == PDF
        assert not DraftDocument.objects.exists()  # the draft's copies are gone
        assert draft.consent_version == applicants.CONSENT_VERSION
        assert draft.consented_at is not None and draft.user == applicant
        assert [m.to for m in mail.outbox] == [["rina@example.org"]]

    def test_a_sent_application_cannot_be_sent_or_changed_again(self, applicant_client, call):
        fill_to_consent(applicant_client, call)
        applicant_client.post(step_url(call, "consent"), {"agree": "on"})
        draft = ApplicationDraft.objects.get()
        response = applicant_client.post(step_url(call, "personal"), personal(full_name="X"))
        assert response.url == reverse("portal:application_detail", args=[draft.pk])
        assert Application.objects.get().full_name == "Rina Amalia"
        with pytest.raises(ValidationError):
            applicants.application_send(draft=draft)

    def test_the_application_page_shows_number_receipt_stages(self, applicant_client, call):
        fill_to_consent(applicant_client, call)
        applicant_client.post(step_url(call, "consent"), {"agree": "on"})
        draft = ApplicationDraft.objects.get()
        number = draft.application.registration_number
        page = applicant_client.get(
            reverse("portal:application_detail", args=[draft.pk])
        ).content.decode()
        assert number in page and "Tes tertulis" in page and "Balai Kota" in page
        receipt_url = reverse("portal:application_receipt", args=[draft.pk])
        assert receipt_url in page
        response = applicant_client.get(receipt_url)
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith('attachment; filename="tanda-terima_')
        receipt = pdf_text(response.content)
        assert "TANDA TERIMA PENDAFTARAN" in receipt and number in receipt
        assert "Rina Amalia" in receipt and "KTP" in receipt
        assert NIK not in receipt
        event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
        assert event.actor == draft.user and event.subject_id == str(draft.application_id)
        assert event.detail == "tanda terima"
        listing = applicant_client.get(reverse("portal:applications")).content.decode()
        assert number in listing

    def test_another_applicants_application_does_not_exist(self, applicant_client, call):
        fill_to_consent(applicant_client, call)
        applicant_client.post(step_url(call, "consent"), {"agree": "on"})
        draft = ApplicationDraft.objects.get()
        other = UserFactory(username="other@example.org", role=Role.PARTICIPANT)
        applicant_client.force_login(other)
        for name in ("portal:application_detail", "portal:application_receipt"):
            assert applicant_client.get(reverse(name, args=[draft.pk])).status_code == 404
        assert not AuditEvent.objects.exists()

    def test_an_unsent_draft_has_no_receipt_yet(self, applicant_client, call):
        fill_to_consent(applicant_client, call)
        draft = ApplicationDraft.objects.get()
        response = applicant_client.get(reverse("portal:application_receipt", args=[draft.pk]))
        assert response.url == reverse("portal:application_detail", args=[draft.pk])
        assert not AuditEvent.objects.exists()

    def test_staff_reach_none_of_the_applicants_pages(self, client, hr, call):
        client.force_login(hr)
        assert client.get(reverse("portal:apply", args=[call.pk])).status_code == 403
        assert client.get(reverse("portal:applications")).status_code == 403


class TestResults:
    def test_publishing_the_result_tells_each_portal_applicant(
        self, applicant_client, applicant, call, hr, django_capture_on_commit_callbacks
    ):
        fill_to_consent(applicant_client, call)
        applicant_client.post(step_url(call, "consent"), {"agree": "on"})
        draft = ApplicationDraft.objects.get()
        Call.objects.filter(pk=call.pk).update(status=Call.Status.SCORING)
        call.stages.update(locked_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC))
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            recruitment_services.call_publish_result(
                call=call, by=hr, today=datetime.date(2026, 3, 2)
            )
        link = reverse("portal:application_detail", args=[draft.pk])
        note = Notification.objects.get(user=applicant, link=link, key__startswith="portal-results")
        assert "published" in note.text or "diumumkan" in note.text
        assert [m.to for m in mail.outbox] == [["rina@example.org"]]
        assert note.emailed_at is not None
        page = applicant_client.get(link).content.decode()
        assert "Not published yet" not in page and "Belum diumumkan" not in page

    def test_it_tells_each_once(self, applicant_client, applicant, call):
        fill_to_consent(applicant_client, call)
        applicant_client.post(step_url(call, "consent"), {"agree": "on"})
        applicants.results_published_notify(call=call)
        applicants.results_published_notify(call=call)
        assert Notification.objects.filter(key__startswith="portal-results").count() == 1
