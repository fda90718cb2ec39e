"""Applications: the counter desk, the receipt, personal data behind a logged reveal,
the administrative check and the documents."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from delegation.models import AuditEvent
from participants.models import Region
from recruitment.models import Application, Call
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    ProgramAssignmentFactory,
    make_nik,
)
from tests.office.test_prints import pdf_text
from tests.recruitment.pages import PDF, login

pytestmark = pytest.mark.django_db


def test_the_counter_desk_registers_an_application_with_its_document(client, world):
    call = CallFactory(required_documents=["KTP"])
    ProgramAssignmentFactory(program=call.program, user=world["users"]["coordinator"])
    login(client, world["users"]["coordinator"])
    birth = datetime.date(2001, 7, 9)
    data = {
        "full_name": "Rahmat Hidayat",
        "nik": make_nik(birth, "M", serial=31),
        "birth_date": "2001-07-09",
        "gender": "M",
        "ktp_regency": Region.objects.get(code="63.71").pk,
        "education_level": "sma",
        "track": "worker",
        "document_0": SimpleUploadedFile("ktp.pdf", PDF, content_type="application/pdf"),
    }
    response = client.post(reverse("recruitment:application_create", args=[call.pk]), data)
    application = Application.objects.get(call=call)
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url() + "?registered=1"
    assert application.channel == "counter" and application.auto_eligible
    assert application.documents.get().name == "KTP"
    page = client.get(response["Location"]).content.decode()
    receipt_url = reverse("recruitment:application_receipt", args=[application.pk])
    assert receipt_url in page
    receipt = client.get(receipt_url)
    assert receipt["Content-Type"] == "application/pdf"
    assert receipt["Content-Disposition"].startswith('attachment; filename="tanda-terima_')
    text = pdf_text(receipt.content)
    assert "TANDA TERIMA PENDAFTARAN" in text and application.registration_number in text
    assert "Rahmat Hidayat" in text and "KTP" in text
    assert application.nik not in text and "2001" not in text.split("Dibuat oleh")[0]


def test_the_receipt_escapes_markup_and_names_missing_documents(client, world):
    call = CallFactory(required_documents=["KTP", "Ijazah"])
    application = ApplicationFactory(call=call, full_name="<b>Budi</b> =HYPERLINK(1)")
    login(client, world["users"]["hr"])
    text = pdf_text(
        client.get(reverse("recruitment:application_receipt", args=[application.pk])).content
    )
    assert "<b>Budi</b> =HYPERLINK(1)" in text
    assert "belum diserahkan" in text and "Ijazah" in text
    assert AuditEvent.objects.filter(action="export", subject_id=str(application.pk)).exists()


def test_the_counter_desk_shows_a_bad_nik_and_saves_nothing(client, world):
    call = CallFactory()
    login(client, world["users"]["hr"])
    data = {
        "full_name": "X",
        "nik": "12345",
        "birth_date": "2001-07-09",
        "gender": "M",
        "ktp_regency": Region.objects.get(code="63.71").pk,
        "education_level": "sma",
        "track": "worker",
    }
    url = reverse("recruitment:application_create", args=[call.pk])
    assert '<textarea name="nik_reason"' not in client.get(url).content.decode()  # hidden at first
    response = client.post(url, data)
    assert response.status_code == 200
    assert "16" in response.content.decode()
    assert '<textarea name="nik_reason"' in response.content.decode()  # shown with the error
    assert not Application.objects.filter(call=call).exists()


def test_leadership_and_the_committee_cannot_register_applications(client, world):
    call = CallFactory(program=world["call"].program, cohort=world["call"].cohort)
    url = reverse("recruitment:application_create", args=[call.pk])
    assert login(client, world["users"]["leadership"]).get(url).status_code == 403


def test_personal_data_is_masked_and_hidden_from_the_committee(client, world):
    application = world["others"][0]
    url = reverse("recruitment:application_detail", args=[application.pk])
    page = login(client, world["users"]["coordinator"]).get(url).content.decode()
    assert application.nik not in page and application.nik[:4] in page
    page = login(client, world["users"]["member"]).get(url).content.decode()
    assert application.nik[:4] not in page and application.full_name in page


def test_the_nik_is_masked_until_hr_shows_it_and_the_showing_is_logged(client, world):
    application = world["others"][0]
    application.ktp_street = "Jl. Rahasia 7"
    application.save()
    detail = reverse("recruitment:application_detail", args=[application.pk])
    reveal = reverse("recruitment:application_reveal", args=[application.pk])
    page = login(client, world["users"]["hr"]).get(detail).content.decode()
    assert application.nik not in page and "Jl. Rahasia 7" not in page and reveal in page
    assert client.get(reveal).status_code == 405
    assert not AuditEvent.objects.filter(action="view_sensitive").exists()
    response = client.post(reveal)
    page = response.content.decode()
    assert response.status_code == 200 and application.nik in page and "Jl. Rahasia 7" in page
    event = AuditEvent.objects.get(action="view_sensitive")
    assert event.actor == world["users"]["hr"] and event.subject_id == str(application.pk)
    assert application.nik not in event.subject_repr + event.detail
    assert application.nik not in response.request["PATH_INFO"]


def test_coordinators_and_the_committee_cannot_show_the_nik(client, world):
    application = world["others"][0]
    reveal = reverse("recruitment:application_reveal", args=[application.pk])
    detail = reverse("recruitment:application_detail", args=[application.pk])
    for who in ("coordinator", "leadership", "member"):
        login(client, world["users"][who])
        assert reveal not in client.get(detail).content.decode()
        assert client.post(reveal).status_code == 403
    login(client, world["users"]["outsider"])
    assert client.post(reveal).status_code == 404
    assert not AuditEvent.objects.filter(action="view_sensitive").exists()


def test_the_administrative_check_needs_a_reason_to_refuse(client, world):
    call = CallFactory(status=Call.Status.CLOSED)
    application = ApplicationFactory(call=call)
    login(client, world["users"]["hr"])
    url = reverse("recruitment:application_check", args=[application.pk])
    assert client.get(url).status_code == 405
    client.post(url, {"eligible": "0", "reason": ""})
    application.refresh_from_db()
    assert application.admin_status == "pending"
    client.post(url, {"eligible": "0", "reason": "Ijazah tidak sah"})
    application.refresh_from_db()
    assert (application.admin_status, application.admin_reason) == (
        "ineligible",
        "Ijazah tidak sah",
    )


def test_a_document_download_is_audited_and_not_for_leadership(client, world):
    url = reverse("recruitment:application_document", args=[world["document"].pk])
    assert login(client, world["users"]["leadership"]).get(url).status_code == 403
    response = login(client, world["users"]["member"]).get(url)
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="download", actor=world["users"]["member"]).exists()
