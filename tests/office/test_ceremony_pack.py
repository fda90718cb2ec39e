"""The ceremony pack's layout: a sign-off never stands alone on a page, the handover minutes
spell their date, and the minutes also come as an editable DOCX written from the same facts."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cohorts.models import ProgramSignatory
from delegation.formatting import date_in_words, spelled
from delegation.models import AuditEvent
from office.prints import ceremony_pack
from participants.models import Status
from tests.factories import DepartureCeremonyFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

NUMBERS = {"roster": "1/DP-PLP", "sign_in": "2/DH-PLP", "handover": "3/BAST-PLP"}
ROW = re.compile(r"KAI-04-\d{3}")
SIGNERS = {
    ProgramSignatory.Document.ROSTER: ("Wakil Wali Kota Banjarmasin", "Hj Ananda"),
    ProgramSignatory.Document.SIGN_IN: ("Sekretaris Daerah", "Ikhsan Budiman"),
    ProgramSignatory.Document.HANDOVER: ("Kepala Bagian Kerja Sama", "Machli Riyadi"),
}


@pytest.fixture
def ceremony_batch(cohort):
    DepartureCeremonyFactory(cohort=cohort, official_name="Pejabat Pelepas")
    for document, (position, name) in SIGNERS.items():
        ProgramSignatory.objects.create(
            program=cohort.program, document=document, position=position, name=name
        )
    ProgramSignatory.objects.create(
        program=cohort.program,
        document=ProgramSignatory.Document.HANDOVER,
        position="Pihak Kedua",
        name="Tanaka Hiroshi",
    )
    return cohort


def add_participants(cohort, up_to: int) -> None:
    """Departed participants KAI-04-001 … up to ``up_to``, adding only those still missing."""
    have = cohort.participants.count()
    for number in range(have + 1, up_to + 1):
        ParticipantFactory(
            cohort=cohort,
            participant_number=f"KAI-04-{number:03d}",
            full_name=f"Peserta Nomor {number}",
            status=Status.DEPARTED,
        )


def pages_of(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def test_no_page_holds_only_a_sign_off_whatever_the_batch_size(ceremony_batch):
    for size in (1, 14, 15, 16, 30, 250):
        add_participants(ceremony_batch, size)
        data = ceremony_pack.pack_data(ceremony_batch)
        assert len(data["participants"]) == size
        pages = pages_of(ceremony_pack.render_pack(data, NUMBERS))
        signed = {name: 0 for _position, name in SIGNERS.values()}
        for number, text in enumerate(pages, start=1):
            where = f"{size} people, page {number}"
            if "Hj Ananda" in text:
                signed["Hj Ananda"] += 1
                assert ROW.search(text), where
                assert f"Jumlah peserta: {size} orang" in text, where
            if "Ikhsan Budiman" in text:
                signed["Ikhsan Budiman"] += 1
                assert "Daftar Hadir" in text or re.search(r"\b1[0-9]\.", text), where
            if "Machli Riyadi" in text:
                signed["Machli Riyadi"] += 1
                assert ROW.search(text), where
                assert "Demikian berita acara ini dibuat" in text, where
                assert "Tanaka Hiroshi" in text, where
        assert signed == dict.fromkeys(signed, 1), size


def test_the_sign_in_sheet_keeps_its_last_rows_with_the_signature(ceremony_batch):
    add_participants(ceremony_batch, 1)
    pages = pages_of(ceremony_pack.render_pack(ceremony_pack.pack_data(ceremony_batch), NUMBERS))
    signed = next(text for text in pages if "Ikhsan Budiman" in text)
    guest_rows = ceremony_pack.EMPTY_GUEST_ROWS
    assert f"{guest_rows}." in signed


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (
            datetime.date(2026, 2, 18),
            "Rabu tanggal delapan belas bulan Februari tahun dua ribu dua puluh enam",
        ),
        (
            datetime.date(2026, 1, 1),
            "Kamis tanggal satu bulan Januari tahun dua ribu dua puluh enam",
        ),
        (
            datetime.date(2026, 6, 11),
            "Kamis tanggal sebelas bulan Juni tahun dua ribu dua puluh enam",
        ),
        (
            datetime.date(2030, 3, 21),
            "Kamis tanggal dua puluh satu bulan Maret tahun dua ribu tiga puluh",
        ),
        (
            datetime.date(2030, 12, 31),
            "Selasa tanggal tiga puluh satu bulan Desember tahun dua ribu tiga puluh",
        ),
    ],
)
def test_the_date_is_spelled_as_official_minutes_write_it(day, words):
    assert date_in_words(day) == words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "nol"),
        (11, "sebelas"),
        (15, "lima belas"),
        (100, "seratus"),
        (115, "seratus lima belas"),
        (250, "dua ratus lima puluh"),
        (1000, "seribu"),
        (1999, "seribu sembilan ratus sembilan puluh sembilan"),
        (2026, "dua ribu dua puluh enam"),
    ],
)
def test_numbers_are_spelled_in_indonesian(number, words):
    assert spelled(number) == words


def test_the_minutes_open_with_the_date_in_words(ceremony_batch):
    add_participants(ceremony_batch, 15)
    text = " ".join(
        pages_of(ceremony_pack.render_pack(ceremony_pack.pack_data(ceremony_batch), NUMBERS))
    )
    text = re.sub(r"\s+", " ", text)
    assert (
        "Pada hari ini Rabu tanggal delapan belas bulan Februari tahun dua ribu dua puluh enam, "
        "bertempat di Aula Kayuh Baimbai"
    ) in text
    assert "sejumlah 15 (lima belas) orang" in text


class TestHandoverDocx:
    def test_it_carries_the_title_the_date_sentence_every_name_and_both_signers(
        self, client, ceremony_batch, assigned, coordinator
    ):
        import docx

        add_participants(ceremony_batch, 15)
        client.force_login(coordinator)
        response = client.get(reverse("handover_docx", args=[ceremony_batch.pk]))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert response["Content-Disposition"].endswith('.docx"')
        document = docx.Document(io.BytesIO(response.content))
        paragraphs = [p.text for p in document.paragraphs]
        assert "BERITA ACARA SERAH TERIMA PESERTA" in paragraphs
        assert any(
            text.startswith(
                "Pada hari ini Rabu tanggal delapan belas bulan Februari tahun dua ribu dua "
                "puluh enam, bertempat di Aula Kayuh Baimbai"
            )
            for text in paragraphs
        )
        participants, signing = document.tables
        names = [row.cells[2].text for row in participants.rows[1:]]
        assert names == [f"Peserta Nomor {n}" for n in range(1, 16)]
        signed = " ".join(cell.text for row in signing.rows for cell in row.cells)
        assert "Machli Riyadi" in signed and "Tanaka Hiroshi" in signed
        event = AuditEvent.objects.get(detail="berita-acara.docx")
        assert event.actor == coordinator and event.action == AuditEvent.Action.EXPORT

    def test_the_pdf_and_the_docx_say_the_same(self, ceremony_batch):
        import docx

        add_participants(ceremony_batch, 4)
        data = ceremony_pack.pack_data(ceremony_batch)
        facts = ceremony_pack.handover_facts(data)
        document = docx.Document(io.BytesIO(ceremony_pack.handover_docx(data, "3/BAST-PLP")))
        rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
        assert rows == [facts["columns"], *facts["rows"]]
        assert facts["opening"] in [p.text for p in document.paragraphs]
        assert "Nomor: 3/BAST-PLP" in [p.text for p in document.paragraphs]

    def test_instructors_and_leadership_may_not_download_it(
        self, client, ceremony_batch, assigned, instructor, leadership
    ):
        for user in (instructor, leadership):
            client.force_login(user)
            response = client.get(reverse("handover_docx", args=[ceremony_batch.pk]))
            assert response.status_code == 403
        assert not AuditEvent.objects.filter(detail="berita-acara.docx").exists()

    def test_a_batch_without_a_ceremony_sends_back_with_a_message(
        self, client, cohort, assigned, coordinator
    ):
        client.force_login(coordinator)
        response = client.get(reverse("handover_docx", args=[cohort.pk]))
        assert response.status_code == 302
        assert not AuditEvent.objects.filter(detail="berita-acara.docx").exists()
