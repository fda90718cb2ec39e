"""A long list printed in parts: the roster and the handover minutes are laid out a few
hundred rows at a time (``PRINT_PART_ROWS``) and must come out as the one document would,
every row once and in order, the pages broken at the same rows, numbered across the whole
list, the last rows with the sign-off. A small part size puts 40 rows in several parts."""

import io
import re

import pytest
from pypdf import PdfReader

from delegation import pdf
from office.prints import ceremony_pack
from tests.office.test_ceremony_pack import NUMBERS, add_participants, ceremony_batch  # noqa: F401

NOTE = "Dibuat oleh sistem pada 4 Desember 2026 15.00 WITA oleh Uji"
ROW = re.compile(r"KAI-04-\d{4}")
SIZE = 40


def roster_context(size: int) -> dict:
    """What the ceremony pack gives the roster, for ``size`` participants."""
    return {
        "org": {"name": "Pemerintah Kota Banjarmasin", "unit": "", "address": "", "place": ""},
        "program": {"name": "Program", "partner": "Kaikoukai", "country": "Jepang"},
        "cohort": {"label": "Angkatan IV", "number": 4},
        "ceremony": {
            "date": "Rabu, 18 Februari 2026",
            "time": "09.00 WITA",
            "venue": "Aula Kayuh Baimbai",
            "released_by": "Pejabat Pelepas",
        },
        "participants": [
            {
                "number": f"KAI-04-{index:04d}",
                "name": f"Peserta Uji {index}",
                "passport_name": f"PESERTA UJI {index}",
                "katakana": "シティ・ラフマ",
                "gender": "P",
                "origin": "Kota Banjarmasin",
                "track": "Tenaga Kerja",
                "occupation": "Care worker (kaigo)",
            }
            for index in range(1, size + 1)
        ],
        "signers": {
            "roster": [
                {
                    "position": "Wakil Wali Kota Banjarmasin",
                    "name": "Hj Ananda",
                    "rank": "",
                    "nip": "",
                    "on_behalf_of": "",
                }
            ]
        },
        "number": "001/DP-PLP/2026",
        "place_date": "Banjarmasin, 18 Februari 2026",
        "generated_note": NOTE,
    }


def pages_of(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def roster(settings, part_rows: int, size: int = SIZE) -> list[str]:
    settings.PRINT_PART_ROWS = part_rows
    return pages_of(ceremony_pack.roster_pdf(roster_context(size)))


@pytest.fixture
def whole(settings) -> list[str]:
    """The roster laid out as one document, as every roster was before parts."""
    return roster(settings, part_rows=1000)


@pytest.fixture
def in_parts(settings) -> list[str]:
    return roster(settings, part_rows=10)


def test_every_row_is_printed_once_and_in_order(in_parts):
    printed = [number for text in in_parts for number in ROW.findall(text)]
    assert printed == [f"KAI-04-{index:04d}" for index in range(1, SIZE + 1)]


@pytest.mark.parametrize("part_rows", [4, 10, 25])
def test_the_pages_break_at_the_rows_the_whole_document_breaks_at(settings, whole, part_rows):
    # 4 rows do not fill a page: the part takes more rows until one page is full.
    in_parts = roster(settings, part_rows)
    assert len(whole) >= 3
    assert [ROW.findall(text) for text in in_parts] == [ROW.findall(text) for text in whole]


def test_no_page_in_the_middle_is_left_half_empty(in_parts):
    rows_per_page = [len(ROW.findall(text)) for text in in_parts]
    middle = rows_per_page[1:-1]
    assert middle and all(count == middle[0] for count in middle), rows_per_page
    assert rows_per_page[0] < middle[0]  # the letterhead and the facts take the first page's top


def test_every_page_is_numbered_across_the_whole_roster_with_the_note(in_parts):
    total = len(in_parts)
    for number, text in enumerate(in_parts, start=1):
        assert re.findall(r"Halaman \d+ dari \d+", text) == [f"Halaman {number} dari {total}"]
        assert NOTE in text


def test_the_last_rows_stay_with_the_total_and_the_signature(in_parts):
    *before, last = in_parts
    assert ROW.findall(last)[-3:] == ["KAI-04-0038", "KAI-04-0039", "KAI-04-0040"]
    assert f"Jumlah peserta: {SIZE} orang" in last and "Hj Ananda" in last
    assert not any("Jumlah peserta" in text or "Hj Ananda" in text for text in before)
    assert all("DAFTAR PESERTA PELEPASAN" not in text for text in before[1:])


@pytest.mark.django_db
def test_the_pack_prints_its_roster_and_minutes_in_parts_as_in_one_piece(
    settings,
    monkeypatch,
    ceremony_batch,  # noqa: F811
):
    monkeypatch.setattr(ceremony_pack, "generated_note", lambda requested_by: NOTE)
    laid_out_in_parts = []

    def html_to_document(html, *, footer=True):
        if not footer:
            laid_out_in_parts.append(re.search(r"<title>(\w+ \w+)", html)[1])
        return original(html, footer=footer)

    original = pdf.html_to_document
    monkeypatch.setattr(pdf, "html_to_document", html_to_document)
    add_participants(ceremony_batch, SIZE)
    data = ceremony_pack.pack_data(ceremony_batch)
    settings.PRINT_PART_ROWS = 1000
    whole = pages_of(ceremony_pack.render_pack(data, NUMBERS))
    settings.PRINT_PART_ROWS = 10
    in_parts = pages_of(ceremony_pack.render_pack(data, NUMBERS))
    assert len(in_parts) == len(whole) > 3

    def rows_and_footer(text):
        return re.findall(r"KAI-04-\d{3}|Halaman \d+ dari \d+", text)

    assert [rows_and_footer(text) for text in in_parts] == [rows_and_footer(text) for text in whole]
    assert {"Daftar Peserta", "Berita Acara"} == set(laid_out_in_parts)
    minutes_pages = re.search(r"Halaman (\d+) dari \1", in_parts[-1])
    assert "Machli Riyadi" in in_parts[-1] and int(minutes_pages[1]) >= 2
