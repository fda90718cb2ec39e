"""My data: contact details kept by the person, identity corrections and consent withdrawals
approved by staff, and the download of everything held about them."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from delegation.models import AuditEvent
from participants.models import ConsentRecord, PersonRequest
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def staff(hr):
    client = Client()
    client.force_login(hr)
    return client


@pytest.fixture
def consent(person):
    record = ConsentRecord.objects.create(
        participant=person,
        kind=ConsentRecord.Kind.PROCESSING,
        given_on=datetime.date(2025, 2, 3),
        scope="Pendaftaran dan pelatihan",
    )
    record.signed_file.save("persetujuan.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return record


def test_the_person_keeps_their_contact_details(portal_client, person):
    response = portal_client.post(
        reverse("portal:my_data"),
        {"phone": "0812-3456-7890", "email": "siti.baru@example.org", "domicile_street": "Jl. A"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.phone, person.email, person.domicile_street) == (
        "+6281234567890",
        "siti.baru@example.org",
        "Jl. A",
    )
    assert person.history.first().history_user is not None


def test_a_bad_phone_number_changes_nothing(portal_client, person, english):
    response = portal_client.post(reverse("portal:my_data"), {"phone": "12", "email": ""})
    assert response.status_code == 400
    assert "is not a phone number" in response.content.decode()
    person.refresh_from_db()
    assert person.phone == ""


def test_identity_fields_change_only_when_staff_approve(portal_client, staff, person):
    portal_client.post(
        reverse("portal:identity_request"),
        {"field_name": "full_name", "new_value": "Siti Rahmah Wati", "reason": "Sesuai KTP baru"},
    )
    person.refresh_from_db()
    assert person.full_name == "Siti Rahmah"
    request = PersonRequest.objects.get(participant=person)
    assert "Siti Rahmah Wati" in staff.get(reverse("portal_staff:person_requests")).content.decode()
    staff.post(
        reverse("portal_staff:person_request_answer", args=[request.pk]), {"decision": "approve"}
    )
    person.refresh_from_db()
    assert person.full_name == "Siti Rahmah Wati"
    request.refresh_from_db()
    assert request.status == PersonRequest.Status.APPROVED


def test_an_impossible_value_is_refused_at_once(portal_client, person, english):
    response = portal_client.post(
        reverse("portal:identity_request"),
        {"field_name": "birth_date", "new_value": "31-02-1998", "reason": "x"},
    )
    assert response.status_code == 400
    assert not PersonRequest.objects.exists()


def test_a_refused_request_tells_the_person_why(portal_client, staff, person, english):
    portal_client.post(
        reverse("portal:identity_request"),
        {"field_name": "birth_place", "new_value": "Martapura", "reason": "salah ketik"},
    )
    request = PersonRequest.objects.get()
    staff.post(
        reverse("portal_staff:person_request_answer", args=[request.pk]),
        {"decision": "refuse", "response": "Akta kelahiran menyebut Banjarmasin"},
    )
    person.refresh_from_db()
    assert person.birth_place != "Martapura"
    page = portal_client.get(reverse("portal:my_data")).content.decode()
    assert "Akta kelahiran menyebut Banjarmasin" in page


def test_a_consent_withdrawal_is_asked_once_and_recorded_by_staff(
    portal_client, staff, person, consent
):
    url = reverse("portal:consent_withdrawal", args=[consent.pk])
    portal_client.post(url, {"reason": "Tidak jadi berangkat"})
    portal_client.post(url, {"reason": "lagi"})
    assert PersonRequest.objects.filter(consent=consent).count() == 1
    request = PersonRequest.objects.get()
    staff.post(
        reverse("portal_staff:person_request_answer", args=[request.pk]), {"decision": "approve"}
    )
    consent.refresh_from_db()
    assert consent.withdrawn_on is not None
    assert consent.withdrawal_reason == "Tidak jadi berangkat"


def test_someone_elses_consent_cannot_be_withdrawn(portal_client, cohort):
    other = ConsentRecord.objects.create(
        participant=ParticipantFactory(cohort=cohort),
        kind=ConsentRecord.Kind.PROCESSING,
        given_on=datetime.date(2025, 2, 3),
        scope="x",
    )
    response = portal_client.post(reverse("portal:consent_withdrawal", args=[other.pk]))
    assert response.status_code == 404
    assert not PersonRequest.objects.exists()


def test_the_person_downloads_everything_held_about_them_and_it_is_logged(
    portal_client, person, consent, portal_user
):
    ParticipantFactory(cohort=person.cohort, full_name="Budi Santoso")
    assert portal_client.get(reverse("portal_data_export")).status_code == 405
    response = portal_client.post(reverse("portal_data_export"))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    records = json.loads(archive.read("records.json"))
    assert records["participant"]["fields"]["full_name"] == "Siti Rahmah"
    assert len(records["consents"]) == 1
    assert records["portal_account"][0]["fields"]["user"] == portal_user.pk
    assert "Budi Santoso" not in archive.read("records.json").decode()
    assert any(name.endswith("persetujuan.pdf") for name in archive.namelist())
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.actor == portal_user and event.subject_id == str(person.pk)
