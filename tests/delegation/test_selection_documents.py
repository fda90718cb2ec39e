"""The selection's documents: background jobs on the letterhead, read back from the PDF."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from delegation.models import Job, Organisation
from office.prints import services
from recruitment import services as selection
from recruitment.models import Call, CommitteeMember
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    CommitteeMemberFactory,
    StageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def decided():
    Organisation.objects.create(
        pk=Organisation.SINGLE_ROW_ID, name="Pemerintah Kota Banjarmasin", place="Banjarmasin"
    )
    hr = UserFactory(username="hr", role="hr_staff")
    call = CallFactory(
        status=Call.Status.SCORING, title="Penerimaan Calon Peserta Angkatan V", quota_worker=1
    )
    stage = StageFactory(call=call, order=1, name="Wawancara", kind="interview", weight=100)
    chair = CommitteeMemberFactory(
        call=call, user=None, name="Drs. H. Ikhsan Alhak", position=CommitteeMember.Position.CHAIR
    )
    chair.stages.set([stage])
    people = [
        ApplicationFactory(call=call, full_name=name)
        for name in ("Aulia Rahmah", "Bayu Saputra", "Citra Lestari")
    ]
    for person, value in zip(people, (90, 80, 70), strict=True):
        selection.scores_save(
            stage=stage,
            member=chair,
            entries=[selection.ScoreEntry(person, value=Decimal(value))],
            by=hr,
        )
    selection.stage_lock(stage=stage, by=hr)
    selection.call_publish_result(call=call, by=hr, today=datetime.date(2026, 5, 13))
    selection.call_decide(call=call, by=hr, today=datetime.date(2026, 5, 20))
    call.refresh_from_db()
    return call, hr, people


def make(call, kind, user, captured) -> Job:
    with captured(execute=True):
        job, _created = services.selection_document_request(call=call, kind=kind, user=user)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    return job


def test_the_result_names_the_selected_and_the_reserve_never_a_nik(
    decided, django_capture_on_commit_callbacks
):
    call, hr, people = decided
    job = make(call, "selection_result", hr, django_capture_on_commit_callbacks)
    text = pdf_text(job.file.read())
    assert "PENGUMUMAN HASIL SELEKSI" in text
    assert "PEMERINTAH KOTA BANJARMASIN" in text.upper()
    assert "Aulia Rahmah" in text and "Bayu Saputra" in text
    assert "Citra Lestari" not in text  # beyond the quota and the one reserve
    assert "Kota Banjarmasin" in text and "Tenaga Kerja" in text
    assert "Selasa, 19 Mei 2026" in text  # the end of the objection period
    for person in people:
        assert person.nik not in text


def test_the_minutes_open_with_the_date_in_words_and_carry_the_committee(
    decided, django_capture_on_commit_callbacks
):
    call, hr, _people = decided
    job = make(call, "selection_minutes", hr, django_capture_on_commit_callbacks)
    text = pdf_text(job.file.read())
    assert "BERITA ACARA HASIL SELEKSI" in text
    assert "Pada hari ini" in text
    assert "Drs. H. Ikhsan Alhak" in text and "Ketua" in text
    assert "Jumlah pendaftar" in text


def test_the_draft_decree_has_its_lampiran(decided, django_capture_on_commit_callbacks):
    call, hr, _people = decided
    job = make(call, "selection_decree", hr, django_capture_on_commit_callbacks)
    reader = PdfReader(io.BytesIO(job.file.read()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "KEPUTUSAN WALI KOTA BANJARMASIN" in text
    assert "LAMPIRAN I" in text and "LAMPIRAN II" in text
    assert len(reader.pages) >= 3
    assert job.params["number"] in text


def test_the_announcement_lists_the_rules_and_stages(decided, django_capture_on_commit_callbacks):
    call, hr, _people = decided
    job = make(call, "call_announcement", hr, django_capture_on_commit_callbacks)
    text = pdf_text(job.file.read())
    assert "18 sampai dengan 35 tahun" in text and "Wawancara" in text


def test_asking_twice_reuses_the_job(decided, django_capture_on_commit_callbacks):
    call, hr, _people = decided
    first = make(call, "selection_result", hr, django_capture_on_commit_callbacks)
    second, created = services.selection_document_request(
        call=call, kind="selection_result", user=hr
    )
    assert second == first and not created


def test_a_decree_is_refused_before_the_decision(django_capture_on_commit_callbacks):
    call = CallFactory(status=Call.Status.OPEN)
    with pytest.raises(ValidationError):
        services.selection_document_request(
            call=call, kind="selection_decree", user=UserFactory(role="hr_staff")
        )
    assert not Job.objects.exists()


def test_the_call_page_asks_for_a_document(client, decided, django_capture_on_commit_callbacks):
    call, hr, _people = decided
    client.force_login(hr)
    url = reverse("selection_document_create", args=[call.pk, "selection_minutes"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("jobs")
    assert Job.objects.get().kind == "selection_minutes"
    bad = client.post(reverse("selection_document_create", args=[call.pk, "nonsense"]))
    assert bad.status_code == 302 and Job.objects.count() == 1
