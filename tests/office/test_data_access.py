"""“Everything we hold about this participant”: the data-access ZIP."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from delegation.models import AuditEvent
from participants.models import ConsentRecord, StatusChange
from tests.factories import ContactFactory, DocumentFactory, ExamResultFactory, ParticipantFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def person(cohort, hr):
    person = ParticipantFactory(cohort=cohort, full_name="Siti Rahmah", phone="081234567890")
    person.move("selected", by=hr, effective_date=person.birth_date.replace(year=2026))
    passport = DocumentFactory(participant=person, number="C1234567")
    passport.file.save("paspor.pdf", SimpleUploadedFile("paspor.pdf", PDF))
    ContactFactory(participant=person, name="Ibu Aminah")
    result = ExamResultFactory(participant=person)
    result.certificate.save("jlpt.pdf", SimpleUploadedFile("jlpt.pdf", PDF))
    consent = ConsentRecord(
        participant=person, kind="processing", given_on="2026-03-02", scope="All records"
    )
    consent.signed_file.save("persetujuan.pdf", SimpleUploadedFile("persetujuan.pdf", PDF))
    ParticipantFactory(full_name="Someone Else")
    return person


def archive_of(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_hr_gets_every_record_and_file_about_the_person(client, hr, person):
    client.force_login(hr)
    response = client.post(reverse("participant_data_export", args=[person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert person.nik not in response["Content-Disposition"]
    bundle = archive_of(response)
    records = json.loads(bundle.read("records.json"))
    assert records["participant"]["fields"]["nik"] == person.nik
    assert records["participant"]["fields"]["phone"] == "081234567890"
    assert [d["fields"]["number"] for d in records["documents"]] == ["C1234567"]
    assert [c["fields"]["name"] for c in records["contacts"]] == ["Ibu Aminah"]
    assert len(records["exam_results"]) == 1 and len(records["consents"]) == 1
    assert [s["fields"]["to_status"] for s in records["status_changes"]] == ["selected"]
    assert records["change_history"]["participant"][0]["fields"]["full_name"] == "Siti Rahmah"
    assert records["change_history"]["documents"], "the documents' history is included"
    assert "Someone Else" not in bundle.read("records.json").decode()
    files = {name for name in bundle.namelist() if name.startswith("files/")}
    assert {name.split("/")[1] for name in files} == {"documents", "exam_results", "consents"}
    assert all(bundle.read(name) == PDF for name in files)
    assert StatusChange.objects.count() == 1


def test_the_archive_is_logged_as_an_export_of_the_person(client, hr, person):
    client.force_login(hr)
    client.post(reverse("participant_data_export", args=[person.pk]))
    event = AuditEvent.objects.get(action="export")
    assert (event.actor, event.subject_id) == (hr, str(person.pk))
    assert person.nik not in event.detail


def test_a_second_archive_lists_the_first_export_among_the_audit_events(client, hr, person):
    client.force_login(hr)
    client.post(reverse("participant_data_export", args=[person.pk]))
    response = client.post(reverse("participant_data_export", args=[person.pk]))
    records = json.loads(archive_of(response).read("records.json"))
    assert [e["fields"]["action"] for e in records["audit_events"]] == ["export"]


def test_it_takes_a_post(client, hr, person):
    client.force_login(hr)
    assert client.get(reverse("participant_data_export", args=[person.pk])).status_code == 405


def test_a_coordinator_may_not_export_everything(client, assigned, coordinator, person):
    client.force_login(coordinator)
    response = client.post(reverse("participant_data_export", args=[person.pk]))
    assert response.status_code == 403
    assert not AuditEvent.objects.exists()


def test_the_anonymous_user_is_sent_to_log_in(client, person):
    response = client.post(reverse("participant_data_export", args=[person.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_profile_offers_the_action_to_hr_only(client, hr, assigned, coordinator, person):
    url = reverse("participant_data_export", args=[person.pk])
    client.force_login(hr)
    assert url in client.get(person.get_absolute_url()).content.decode()
    client.force_login(coordinator)
    assert url not in client.get(person.get_absolute_url()).content.decode()
