"""The one spreadsheet and CSV writer: text stays text, numbers and dates stay typed, and a
sheet opens ready to print on A4."""

import csv
import datetime
import io
import re
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from delegation.formatting import file_name
from delegation.spreadsheets import (
    Column,
    csv_bytes,
    csv_cell,
    csv_response,
    title_row,
    workbook_bytes,
    write_table,
    xlsx_response,
)

PREFIXES = ["=", "+", "-", "@", "\t", "\r", ""]
FORMULAS = ["=1+1", "+1", "-1", "@SUM(A1)", '=HYPERLINK("http://x","klik")', "\t=1", "\r=1"]

# Any text a form could carry (no NUL, no lone surrogate), often behind a formula's first sign.
any_text = st.builds(
    lambda prefix, text: prefix + text,
    st.sampled_from(PREFIXES),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30),
)

A4 = 9  # the paper-size code of the OOXML standard
XML_REFUSES = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def kept_in_xlsx(value: str):
    """What a cell reads back as: XML reads every line end as a line feed and carries no
    other control characters; an empty text is an empty cell."""
    return XML_REFUSES.sub("", value.replace("\r\n", "\n").replace("\r", "\n")) or None


def read_back(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def table(columns, rows) -> bytes:
    workbook = Workbook()
    write_table(workbook.active, columns, rows)
    return workbook_bytes(workbook)


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


class TestCsv:
    def test_text_that_starts_a_formula_gets_one_apostrophe(self):
        assert [csv_cell(v) for v in FORMULAS] == ["'" + v for v in FORMULAS]

    def test_other_text_numbers_and_dates_are_written_plainly(self):
        values = ["Siti", "'quoted", "a=b", -5, Decimal("-1.50"), datetime.date(2026, 2, 18), None]
        assert [csv_cell(v) for v in values] == [
            "Siti",
            "'quoted",
            "a=b",
            "-5",
            "-1.50",
            "2026-02-18",
            "",
        ]

    def test_the_file_starts_with_a_byte_order_mark_for_excel(self):
        assert csv_bytes(["Nama"], [["Siti"]]).startswith("\ufeff".encode())

    @settings(max_examples=300, deadline=None)
    @given(st.lists(any_text, min_size=1, max_size=4))
    def test_every_text_reads_back_equal_after_the_one_added_apostrophe(self, values):
        (row,) = csv_rows(csv_bytes(["a"] * len(values), [values]))[1:]
        for value, read in zip(values, row, strict=True):
            if value.startswith(("=", "+", "-", "@", "\t", "\r")):
                assert read == "'" + value
            else:
                assert read == value


class TestXlsxCells:
    def test_a_formula_is_stored_as_a_string(self):
        sheet = read_back(table([Column("Nama")], [[v] for v in FORMULAS]))
        cells = [sheet.cell(row=r, column=1) for r in range(2, 2 + len(FORMULAS))]
        assert [c.data_type for c in cells] == ["s"] * len(FORMULAS)
        assert [c.value for c in cells] == [v.replace("\r", "\n") for v in FORMULAS]

    def test_numbers_and_dates_stay_typed(self):
        day = datetime.date(2026, 2, 18)
        sheet = read_back(
            table([Column("n"), Column("d"), Column("x")], [[-5, day, Decimal("2.5")]])
        )
        assert sheet["A2"].value == -5 and sheet["A2"].data_type == "n"
        assert sheet["B2"].value == datetime.datetime(2026, 2, 18) and sheet["B2"].is_date
        assert sheet["C2"].value == 2.5

    def test_a_text_column_keeps_digits_as_text_with_the_text_format(self):
        nik = "6371015802980001"
        sheet = read_back(table([Column("NIK", text=True)], [[nik], [6371015802980002]]))
        assert (sheet["A2"].value, sheet["A2"].data_type) == (nik, "s")
        assert sheet["A3"].value == "6371015802980002"
        assert sheet["A2"].number_format == sheet["A3"].number_format == "@"

    def test_control_characters_xml_cannot_carry_are_dropped_not_a_crash(self):
        sheet = read_back(table([Column("Nama")], [["Si\x01ti\x1f"]]))
        assert sheet["A2"].value == "Siti"

    @settings(max_examples=150, deadline=None)
    @given(st.lists(any_text, min_size=1, max_size=4))
    def test_no_cell_is_a_formula_and_every_text_reads_back_equal(self, values):
        sheet = read_back(table([Column("a")] * len(values), [values]))
        cells = [sheet.cell(row=2, column=i + 1) for i in range(len(values))]
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
        assert [cell.value for cell in cells] == [kept_in_xlsx(v) for v in values]
        assert all(cell.data_type == "s" for cell in cells if cell.value is not None)


class TestPrintSetup:
    def wide(self) -> bytes:
        workbook = Workbook()
        sheet = workbook.active
        title_row(sheet, "DAFTAR PESERTA", size=13)
        title_row(sheet)
        columns = [Column("No."), Column("NIK", text=True), Column("Nama Lengkap")]
        columns += [Column(f"Kolom {n}") for n in range(5)]
        rows = [[n, "6371015802980001", "Siti Rahmah " * n, *"abcde"] for n in range(1, 40)]
        write_table(sheet, columns, rows)
        return workbook_bytes(workbook)

    def test_a_wide_table_prints_landscape_on_a4_one_page_wide(self):
        sheet = read_back(self.wide())
        assert sheet.page_setup.paperSize == A4
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)

    def test_a_narrow_table_prints_portrait(self):
        sheet = read_back(table([Column("No."), Column("Nama")], [[1, "Siti"]]))
        assert sheet.page_setup.orientation == "portrait"

    def test_the_header_row_is_bold_frozen_and_repeated_on_every_page(self):
        sheet = read_back(self.wide())
        assert sheet.print_title_rows == "$3:$3"
        assert sheet.freeze_panes == "A4"
        assert all(cell.font.bold for cell in sheet[3])

    def test_columns_are_as_wide_as_their_content_within_bounds(self):
        sheet = read_back(self.wide())
        widths = {k: sheet.column_dimensions[k].width for k in "ABC"}
        assert widths["A"] == 6  # "No." and short numbers: the minimum, not the title's length
        assert widths["B"] == 18  # sixteen digits and a margin
        assert widths["C"] == 50  # long names: the maximum


class TestDownloads:
    def test_an_export_is_an_attachment_no_one_keeps(self):
        for response in (xlsx_response(b"x", "a.xlsx"), csv_response(b"x", "a.csv")):
            assert response["Cache-Control"] == "no-store"
            assert response["Content-Disposition"].startswith("attachment; filename=")

    def test_a_file_name_says_what_the_file_holds(self):
        day = datetime.date(2026, 2, 18)
        name = file_name("Daftar peserta", "kaikoukai", "Angkatan 4", day, extension="xlsx")
        assert name == "daftar-peserta_kaikoukai_angkatan-4_2026-02-18.xlsx"

    def test_a_file_name_leaves_out_empty_parts_and_keeps_to_ascii(self):
        assert file_name("Rekap", None, "", "Bánjar 壮行式", extension="csv") == "rekap_banjar.csv"
