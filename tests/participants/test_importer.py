import datetime
import io
import os
import re
import subprocess
import sys
import threading
import uuid
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone, translation
from openpyxl import Workbook

from delegation.models import Job
from participants import importer
from participants.models import Document, Participant, StatusChange
from participants.services import (
    discard_stale_imports,
    participants_import_from_job,
    participants_import_now,
    participants_import_request,
)
from participants.tasks import discard_stale_import_files
from tests.conftest import require
from tests.factories import ParticipantFactory, make_nik

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
HEADER = "full_name,nik,gender,birth_date,origin_regency,track"


def woman(serial=1, **overrides):
    row = {
        "full_name": "Siti Rahmah",
        "nik": make_nik(datetime.date(1998, 2, 18), "F", serial=serial),
        "gender": "P",
        "birth_date": "1998-02-18",
        "origin_regency": "63.71",
        "track": "tenaga kerja",
    }
    row.update(overrides)
    return row


def csv_bytes(*rows, header=HEADER, bom=False) -> bytes:
    columns = header.split(",")
    lines = [header] + [",".join(str(row.get(c.lower(), "")) for c in columns) for row in rows]
    text = "\n".join(lines) + "\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def xlsx_bytes(header: list[str], *rows: list) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def check(content: bytes, name="peserta.csv", historical=False):
    return importer.check_file(io.BytesIO(content), name, historical=historical)


def messages(result) -> list[tuple[int, str, str]]:
    return [(e.line, e.column, e.message) for e in result.errors]


def test_a_valid_csv_with_a_bom_and_mixed_case_headers_is_read(cohort):
    content = csv_bytes(
        woman(), header="Full_Name,NIK,Gender,Birth_Date,Origin_Regency,Track", bom=True
    )
    result = check(content)
    assert result.ok, messages(result)
    saved = importer.save_rows(result.rows, cohort=cohort, by=None)
    assert saved[0].gender == "F" and saved[0].origin.code == "63.71"
    assert saved[0].participant_number == "KAI-04-001"


def test_an_import_past_the_batchs_quota_saves_nobody(cohort):
    cohort.quota = 2
    cohort.save()
    ParticipantFactory().place(cohort)
    result = check(csv_bytes(woman(901), woman(902, full_name="Rina")))
    assert result.ok, messages(result)
    with translation.override("id"), pytest.raises(ValidationError) as error:
        importer.save_rows(result.rows, cohort=cohort, by=None)
    assert error.value.messages == [
        "Angkatan IV hanya dapat menerima 1 peserta lagi, bukan 2: kuota 2 peserta."
    ]
    assert cohort.participants.count() == 1


def test_an_xlsx_with_an_excel_date_cell_is_read():
    content = xlsx_bytes(
        ["full_name", "nik", "gender", "birth_date", "origin_regency", "track", "passport_number"],
        [
            "Siti",
            make_nik(datetime.date(1998, 2, 18)),
            "F",
            datetime.datetime(1998, 2, 18),
            "6371",
            "worker",
            "c1234567",
        ],
    )
    result = check(content, name="peserta.xlsx")
    assert result.ok, messages(result)
    participant = importer.save_rows(result.rows, cohort=None, by=None)[0]
    assert participant.birth_date == datetime.date(1998, 2, 18)
    assert Document.objects.get(participant=participant).number == "C1234567"


@pytest.mark.parametrize("written", ["1998-02-18", "18/02/1998", "18-02-1998"])
def test_dates_are_read_day_first(written):
    assert importer.parse_date(written) == datetime.date(1998, 2, 18)


@pytest.mark.parametrize(
    "written",
    ["1998-02-18".translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")), "１９９８-０２-１８"],
)
def test_a_date_in_digits_of_another_script_is_refused_whichever_way_it_is_read(written):
    # The quick reading of YYYY-MM-DD refuses what the patterns (strptime) refuse.
    with pytest.raises(ValidationError):
        importer.parse_date(written)


def test_a_month_first_date_is_refused():
    result = check(csv_bytes(woman(birth_date="02/18/1998")))
    assert [(line, column) for line, column, _m in messages(result)] == [(2, "birth_date")]


def test_a_month_first_date_is_refused_with_a_day_first_hint():
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        importer.parse_date("02/18/2026")
    assert "18/02/2026" in str(refused.value)
    assert "month first" in str(refused.value)


def test_every_bad_row_is_listed_and_nothing_is_saved():
    rows = [
        woman(serial=1),
        woman(serial=2, nik="637101580298001"),
        woman(serial=3, nik=make_nik(datetime.date(1998, 2, 18), "M", serial=3)),
        woman(serial=4, birth_date="1999-02-18"),
        woman(serial=5, origin_regency="Atlantis"),
        woman(serial=6, origin_regency="Banjar"),
        woman(serial=7, gender="X", track="astronaut"),
    ]
    result = check(csv_bytes(*rows))
    columns = [(line, column) for line, column, _m in messages(result)]
    assert columns == [
        (3, "nik"),
        (4, "nik"),
        (5, "nik"),
        (6, "origin_regency"),
        (7, "origin_regency"),
        (8, "gender"),
        (8, "track"),
    ]
    assert "Kabupaten Banjar" in messages(result)[4][2]
    assert not Participant.objects.exists()


def test_optional_columns_are_checked_too():
    header = HEADER + ",name_katakana,phone,email,education"
    result = check(
        csv_bytes(
            woman(name_katakana="Siti", phone="12345", email="siti@", education="Kursus"),
            header=header,
        )
    )
    assert [column for _l, column, _m in messages(result)] == [
        "education",
        "phone",
        "email",
        "name_katakana",
    ]


def test_a_nik_repeated_in_the_file_or_already_registered_is_a_row_error():
    ParticipantFactory(nik=make_nik(datetime.date(1998, 2, 18), "F", serial=9))
    result = check(csv_bytes(woman(serial=1), woman(serial=1), woman(serial=9)))
    assert [(line, message) for line, _c, message in messages(result)] == [
        (3, "NIK ini sudah ada di baris 2."),
        (4, "Peserta dengan NIK ini sudah terdaftar."),
    ]


def test_a_file_missing_a_required_column_is_refused_whole():
    content = xlsx_bytes(["full_name", "nik", "gender"], ["Siti", "6371015802980001", "F"])
    result = check(content, name="peserta.xlsx")
    assert [(line, column) for line, column, _m in messages(result)] == [
        (1, "birth_date, origin_regency, track")
    ]


def test_a_csv_that_is_not_utf8_is_refused_with_a_clear_message():
    content = csv_bytes(woman(full_name="Siti Ra\u0127mah")).decode().encode("utf-16")
    result = check(content)
    assert "UTF-8" in result.errors[0].message


def test_a_file_that_is_not_a_workbook_is_refused():
    result = check(b"MZ\x90\x00 not a zip", name="peserta.xlsx")
    assert "XLSX" in result.errors[0].message


class TestBounds:
    """Files past the bounds, or not what they say, are refused whole with a message."""

    def refusal(self, content: bytes, name: str) -> str:
        with translation.override("en"):
            result = check(content, name=name)
        assert (result.rows, len(result.errors)) == ([], 1), result.errors[:3]
        assert result.errors[0].line == 0
        return result.errors[0].message

    def test_a_csv_of_more_rows_than_the_cap_is_refused(self):
        bad_rows = b"x,1,Z,not a date,nowhere,astronaut\n" * (importer.MAX_ROWS + 1)
        message = self.refusal(HEADER.encode() + b"\n" + bad_rows, "peserta.csv")
        assert message == "The file has more than 50,000 rows: split it into smaller files."

    def test_a_csv_of_exactly_the_cap_is_read(self):
        rows = b"x\n" * importer.MAX_ROWS
        table = importer.read_table(io.BytesIO(HEADER.encode() + b"\n" + rows), "peserta.csv")
        assert len(table) == importer.MAX_ROWS

    def test_a_csv_wider_than_the_cap_is_refused(self):
        header = HEADER + "".join(f",extra{n}" for n in range(importer.MAX_COLUMNS))
        message = self.refusal(csv_bytes(woman(), header=header), "peserta.csv")
        assert message == "The file has more than 60 columns: keep only the template's columns."

    def test_a_csv_larger_than_the_cap_is_refused_without_reading_it_all(self):
        class Endless(io.RawIOBase):
            """A stream that never ends: reading it all would never return."""

            asked = 0

            def readable(self):
                return True

            def readinto(self, buffer):
                Endless.asked += len(buffer)
                buffer[:] = b"x" * len(buffer)
                return len(buffer)

        with translation.override("en"):
            result = importer.check_file(io.BufferedReader(Endless()), "peserta.csv")
        assert result.errors[0].message == "The file is larger than 20 MB."
        assert Endless.asked <= importer.MAX_IMPORT_BYTES + 2**20

    def test_an_xlsx_of_more_rows_than_the_cap_stops_being_read_at_the_cap(
        self, tall_xlsx, monkeypatch
    ):
        read = []
        original = importer._xlsx_rows

        def counting(sheet):
            for row in original(sheet):
                read.append(1)
                yield row

        monkeypatch.setattr(importer, "_xlsx_rows", counting)
        message = self.refusal(tall_xlsx, "peserta.xlsx")
        assert message == "The file has more than 50,000 rows: split it into smaller files."
        # The header, the rows up to the cap and the one past it: never the whole sheet.
        assert len(read) == 1 + importer.MAX_ROWS + 1

    def test_the_upload_check_refuses_an_xlsx_declaring_too_many_rows_without_reading_them(
        self, monkeypatch
    ):
        content = xlsx_bytes(HEADER.split(","), list(woman().values()))
        sheet = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
        sheet = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:F50002"/>', sheet)
        content = rezip(content, {"xl/worksheets/sheet1.xml": sheet})
        monkeypatch.setattr(importer, "_xlsx_rows", lambda sheet: pytest.fail("rows were read"))
        with translation.override("en"), pytest.raises(importer.ImportFileError) as refused:
            importer.inspect_upload(io.BytesIO(content), "peserta.xlsx")
        assert str(refused.value) == (
            "The file has more than 50,000 rows: split it into smaller files."
        )

    def test_the_upload_check_reads_only_the_header_of_an_xlsx(self, tall_xlsx, monkeypatch):
        read = []
        original = importer._xlsx_rows

        def counting(sheet):
            for row in original(sheet):
                read.append(1)
                yield row

        monkeypatch.setattr(importer, "_xlsx_rows", counting)
        handle = io.BytesIO(tall_xlsx)
        importer.inspect_upload(handle, "peserta.xlsx")  # it declares no size: read later
        assert len(read) == 1
        assert handle.tell() == 0

    @pytest.mark.parametrize(
        "content",
        [b"PK\x03\x04 cut short", b"full_name,nik\n"],
        ids=["truncated", "not-a-zip"],
    )
    def test_the_upload_check_refuses_what_is_not_a_workbook(self, content):
        with translation.override("en"), pytest.raises(importer.ImportFileError) as refused:
            importer.inspect_upload(io.BytesIO(content), "peserta.xlsx")
        assert "not a readable XLSX workbook" in str(refused.value)

    def test_an_xlsx_is_opened_read_only(self, monkeypatch):
        import openpyxl

        modes = []
        original = openpyxl.load_workbook

        def spy(*args, **kwargs):
            modes.append(kwargs.get("read_only"))
            return original(*args, **kwargs)

        monkeypatch.setattr(openpyxl, "load_workbook", spy)
        check(xlsx_bytes(HEADER.split(","), list(woman().values())), name="peserta.xlsx")
        assert modes == [True]

    def test_a_truncated_xlsx_is_refused(self):
        content = xlsx_bytes(HEADER.split(","), list(woman().values()))
        message = self.refusal(content[: len(content) // 2], "peserta.xlsx")
        assert "not a readable XLSX workbook" in message

    def test_an_xlsx_with_an_entity_bomb_in_its_shared_strings_is_refused(self):
        bomb = (
            '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
            + "".join(
                f'<!ENTITY {b} "{("&" + a + ";") * 10}">'
                for a, b in zip("abcdefgh", "bcdefghi", strict=True)
            )
            + ']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
            ' count="1" uniqueCount="1"><si><t>&i;</t></si></sst>'
        )
        content = xlsx_bytes(HEADER.split(","), list(woman().values()))
        types = zipfile.ZipFile(io.BytesIO(content)).read("[Content_Types].xml").decode()
        types = types.replace(
            "</Types>",
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
        content = rezip(
            content,
            {"xl/sharedStrings.xml": bomb.encode(), "[Content_Types].xml": types.encode()},
        )
        assert "not a readable XLSX workbook" in self.refusal(content, "peserta.xlsx")

    def test_xml_entities_are_refused_by_defusedxml_not_left_to_the_parser(self):
        import openpyxl

        assert openpyxl.DEFUSEDXML is True

    def test_a_zip_with_no_worksheet_is_refused(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("peserta.csv", HEADER)
        message = self.refusal(buffer.getvalue(), "peserta.xlsx")
        assert "not a readable XLSX workbook" in message

    def test_a_workbook_without_its_sheet_is_refused(self):
        content = xlsx_bytes(HEADER.split(","), list(woman().values()))
        content = rezip(content, {"xl/worksheets/sheet1.xml": None})
        assert self.refusal(content, "peserta.xlsx") == "The workbook has no worksheet."

    def test_opening_an_xlsx_whose_sheet_declares_no_size_does_not_read_its_rows(
        self, tall_xlsx, monkeypatch
    ):
        # openpyxl's write-only mode writes no <dimension>; looking for one must not read
        # the whole sheet (a small file of millions of rows held a worker for minutes).
        from openpyxl import load_workbook
        from openpyxl.worksheet._read_only import ReadOnlyWorksheet

        sheet_xml = zipfile.ZipFile(io.BytesIO(tall_xlsx)).read("xl/worksheets/sheet1.xml")
        assert b"<dimension" not in sheet_xml and len(sheet_xml) > 2**20
        read = []
        original = ReadOnlyWorksheet._get_source

        def counted(sheet):
            source = original(sheet)
            real_read = source.read

            def read_counted(size=-1):
                data = real_read(size)
                read.append(len(data))
                return data

            source.read = read_counted
            return source

        monkeypatch.setattr(ReadOnlyWorksheet, "_get_source", counted)
        workbook = load_workbook(io.BytesIO(tall_xlsx), read_only=True)
        assert workbook.worksheets[0].max_row is None
        assert sum(read) < 2**18

    def test_a_sheet_declaring_its_size_under_a_namespace_prefix_is_read(self):
        content = xlsx_bytes(HEADER.split(","), list(woman().values()))
        sheet = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
        prefixed = re.sub(r"<(/?)(\w+)", r"<\1x:\2", sheet).replace("xmlns=", "xmlns:x=")
        content = rezip(content, {"xl/worksheets/sheet1.xml": prefixed.encode()})
        result = check(content, name="peserta.xlsx")
        assert (len(result.rows), result.errors) == (1, [])

    def test_a_csv_named_xlsx_is_refused(self):
        message = self.refusal(csv_bytes(woman()), "peserta.xlsx")
        assert "not a readable XLSX workbook" in message

    def test_an_xlsx_that_unpacks_to_too_much_is_refused_before_it_is_read(self):
        content = rezip(
            xlsx_bytes(HEADER.split(","), list(woman().values())),
            {"xl/sharedStrings.xml": b" " * (importer.XLSX_MAX_UNPACKED_BYTES + 1)},
        )
        message = self.refusal(content, "peserta.xlsx")
        assert message == (
            "The workbook unpacks to more than 100 MB: save only the participants' sheet."
        )

    def test_at_most_200_row_errors_are_listed_and_the_rest_counted(self):
        rows = [woman(serial=n, gender="X") for n in range(1, 251)]
        result = check(csv_bytes(*rows))
        assert (len(result.errors), result.more_errors, result.error_count) == (200, 50, 250)
        assert not result.ok


def rezip(content: bytes, replace: dict[str, bytes | None]) -> bytes:
    """The zip ``content`` with members replaced (None: left out)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename in replace:
                continue
            target.writestr(item, source.read(item.filename))
        for name, data in replace.items():
            if data is not None:
                target.writestr(name, data)
    return buffer.getvalue()


def test_a_csv_with_a_stray_carriage_return_is_reported_not_raised():
    content = HEADER.encode() + b"\r\nSiti\rRahmah,6371015802980001,P,1998-02-18,63.71,worker\n"
    result = check(content)
    assert result.errors and not result.ok


def test_a_csv_cell_past_the_reader_limit_is_refused_with_a_message():
    content = csv_bytes(woman(full_name="A" * 200_000))
    with translation.override("en"):
        result = check(content)
    assert [(e.line, e.message) for e in result.errors] == [
        (0, "The CSV file cannot be read: check its quotes and line breaks (line 2).")
    ]


@pytest.mark.parametrize(
    ("column", "value", "limit"),
    [
        ("full_name", "A" * 201, 200),
        ("birth_place", "B" * 101, 100),
        ("occupation", "O" * 101, 100),
        ("education", "D3 " + "K" * 101, 100),
        ("passport_number", "P" * 101, 100),
    ],
)
def test_a_value_longer_than_its_column_is_a_row_error(column, value, limit):
    header = HEADER + ",birth_place,occupation,education,passport_number"
    with translation.override("en"):
        result = check(csv_bytes(woman(**{column: value}), header=header))
    length = len(value.split()[-1]) if column == "education" else len(value)
    message = f"At most {limit} characters; this value has {length}."
    assert (2, column, message) in messages(result)
    assert not result.rows


def test_a_nul_character_is_a_row_error():
    with translation.override("en"):
        result = check(csv_bytes(woman(full_name="Siti\x00Rahmah")))
    assert messages(result) == [(2, "full_name", "The value holds a NUL character: type it again.")]


def test_a_contract_length_in_other_digits_is_a_row_error():
    header = HEADER + ",status,departed_on,contract_start,contract_years,employer"
    row = woman(
        status="working",
        departed_on="2023-03-15",
        contract_start="2023-04-01",
        contract_years="²",
        employer="Kaikoukai",
    )
    with translation.override("en"):
        result = check(csv_bytes(row, header=header), historical=True)
    assert [(e.column, e.message) for e in result.errors] == [
        ("contract_years", "Write the contract length in whole years, from 1 to 20.")
    ]


def test_a_date_past_the_calendar_of_contracts_is_a_row_error():
    header = HEADER + ",status,departed_on,contract_start,contract_years,employer"
    row = woman(
        status="working",
        departed_on="2023-03-15",
        contract_start="31/12/9999",
        contract_years="5",
        employer="Kaikoukai",
    )
    with translation.override("en"):
        result = check(csv_bytes(row, header=header), historical=True)
    assert [(e.column, e.message) for e in result.errors] == [
        ("contract_start", "“31/12/9999” is outside the years 1900–2100: check the year.")
    ]


def test_a_historical_import_creates_dated_history_marked_historical(cohort):
    header = HEADER + ",status,departed_on"
    content = csv_bytes(
        woman(status="working", departed_on="2023-03-15"),
        woman(serial=2, status="returned_early", departed_on="15/03/2023"),
        header=header,
    )
    result = check(content, historical=True)
    assert result.ok, messages(result)
    working, returned = importer.save_rows(result.rows, cohort=cohort, by=None, historical=True)
    assert (working.status, returned.status) == ("working", "returned_early")
    moves = list(
        StatusChange.objects.filter(participant=working)
        .order_by("pk")
        .values_list("to_status", "effective_date", "historical")
    )
    assert moves == [
        ("departed", datetime.date(2023, 3, 15), True),
        ("working", datetime.date(2023, 3, 15), True),
    ]
    working.refresh_from_db()
    assert working.departed_on == datetime.date(2023, 3, 15)


def test_a_historical_row_needs_a_status_of_someone_who_left():
    header = HEADER + ",status,departed_on"
    result = check(
        csv_bytes(woman(status="in_training", departed_on="2023-03-15"), header=header),
        historical=True,
    )
    assert [column for _l, column, _m in messages(result)] == ["status"]


def test_the_template_file_is_itself_a_valid_import():
    result = check(importer.template_csv().encode())
    assert result.ok, messages(result)


class TestCommand:
    def write(self, tmp_path, content: bytes) -> Path:
        path = tmp_path / "peserta.csv"
        path.write_bytes(content)
        return path

    def test_it_imports_and_reports_the_count(self, tmp_path, cohort, capsys):
        path = self.write(tmp_path, csv_bytes(woman(), woman(serial=2)))
        call_command("import_participants", str(path), "--cohort", str(cohort.pk))
        assert "Participants imported: 2" in capsys.readouterr().out
        assert cohort.participants.count() == 2

    def test_a_dry_run_saves_nothing(self, tmp_path, cohort):
        path = self.write(tmp_path, csv_bytes(woman()))
        call_command("import_participants", str(path), "--cohort", str(cohort.pk), "--dry-run")
        assert not Participant.objects.exists()

    def test_from_the_shell_errors_exit_1_and_a_good_file_exits_0(self, tmp_path):
        environment = {
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "REDIS_URL": "",
        }

        def manage(*args):
            return subprocess.run(
                [sys.executable, "manage.py", *args],
                cwd=ROOT,
                capture_output=True,
                text=True,
                env=environment,
                timeout=300,
            )

        assert manage("migrate", "--noinput").returncode == 0
        bad = self.write(tmp_path, csv_bytes(woman(), woman(serial=2, nik="123")))
        result = manage("import_participants", str(bad))
        assert result.returncode == 1
        assert "line 3, nik" in result.stderr
        good = self.write(tmp_path, csv_bytes(woman()))
        result = manage("import_participants", str(good))
        assert result.returncode == 0
        assert "Participants imported: 1" in result.stdout

    def test_a_file_past_the_batchs_quota_exits_1_and_saves_nobody(self, tmp_path, cohort):
        cohort.quota = 1
        cohort.save()
        path = self.write(tmp_path, csv_bytes(woman(), woman(serial=2, full_name="Rina")))
        with translation.override("en"), pytest.raises(CommandError) as error:
            call_command("import_participants", str(path), "--cohort", str(cohort.pk))
        assert error.value.returncode == 1
        assert "quota of 1 participants" in str(error.value)
        assert not Participant.objects.exists()

    def test_errors_raise_with_returncode_1(self, tmp_path, cohort):
        path = self.write(tmp_path, csv_bytes(woman(), woman(serial=2, nik="123")))
        with pytest.raises(CommandError) as error:
            call_command("import_participants", str(path), "--cohort", str(cohort.pk))
        assert error.value.returncode == 1
        assert not Participant.objects.exists()

    def test_an_unknown_batch_is_refused(self, tmp_path):
        path = self.write(tmp_path, csv_bytes(woman()))
        with pytest.raises(CommandError, match="no batch"):
            call_command("import_participants", str(path), "--cohort", "9999")


class TestJob:
    def queue(self, content: bytes, cohort, user) -> Job:
        path = default_storage.save("imports/test.csv", io.BytesIO(content))
        return Job.objects.create(
            kind="participant_import",
            params={"path": path, "name": "test.csv", "cohort": cohort.pk, "historical": False},
            requested_by=user,
        )

    def test_a_large_import_runs_on_a_job_and_finishes_it(self, cohort, hr):
        rows = [woman(serial=n, full_name=f"Peserta {n}") for n in range(1, 61)]
        job = self.queue(csv_bytes(*rows), cohort, hr)
        assert participants_import_from_job(job_id=job.pk, storage=default_storage) == 60
        job.refresh_from_db()
        assert (job.status, job.progress, job.attempts) == ("done", 100, 1)
        assert cohort.participants.count() == 60
        assert not default_storage.exists(job.params["path"])

    def test_running_the_job_twice_imports_once(self, cohort, hr):
        job = self.queue(csv_bytes(woman()), cohort, hr)
        participants_import_from_job(job_id=job.pk, storage=default_storage)
        assert participants_import_from_job(job_id=job.pk, storage=default_storage) == 0
        assert Participant.objects.count() == 1

    def test_a_file_that_went_bad_fails_the_job_with_the_reason(self, cohort, hr):
        job = self.queue(csv_bytes(woman(nik="1")), cohort, hr)
        participants_import_from_job(job_id=job.pk, storage=default_storage)
        job.refresh_from_db()
        assert job.status == "failed" and "nik" in job.error
        assert not Participant.objects.exists()


class TestStaleUploads:
    def upload(self, name: str, hours_ago: float) -> str:
        path = default_storage.save(f"imports/{name}", io.BytesIO(b"nik,full_name\n"))
        stamp = (timezone.now() - datetime.timedelta(hours=hours_ago)).timestamp()
        os.utime(default_storage.path(path), (stamp, stamp))
        return path

    def test_abandoned_and_failed_uploads_go_after_a_day_waiting_ones_stay(self, cohort, hr):
        abandoned = self.upload("abandoned.csv", hours_ago=30)
        failed = self.upload("failed.csv", hours_ago=25)
        queued = self.upload("queued.csv", hours_ago=30)
        fresh = self.upload("fresh.csv", hours_ago=2)
        for path, status in ((failed, Job.Status.FAILED), (queued, Job.Status.QUEUED)):
            Job.objects.create(
                kind="participant_import",
                params={"path": path, "name": "x.csv", "cohort": cohort.pk, "historical": False},
                requested_by=hr,
                status=status,
            )
        assert discard_stale_import_files() == 2
        assert not default_storage.exists(abandoned) and not default_storage.exists(failed)
        assert default_storage.exists(queued) and default_storage.exists(fresh)
        assert discard_stale_import_files() == 0

    def test_no_upload_folder_yet_is_nothing_to_do(self, tmp_path):
        assert discard_stale_imports(storage=FileSystemStorage(tmp_path / "empty")) == 0

    def test_beat_runs_it_daily(self, settings):
        entry = settings.CELERY_BEAT_SCHEDULE["discard-stale-imports-daily"]
        assert entry["task"] == discard_stale_import_files.name


def test_an_import_into_a_batch_numbers_after_those_there_and_records_history(cohort, hr):
    ParticipantFactory(cohort=cohort, participant_number=f"{_prefix(cohort)}-007")
    rows = [woman(serial=n, full_name=f"Siti {n}", passport_number=f"C{n:07d}") for n in (11, 12)]
    result = check(csv_bytes(*rows, header=HEADER + ",passport_number"))
    assert result.ok, messages(result)
    first, second = importer.save_rows(result.rows, cohort=cohort, by=hr)
    first.refresh_from_db()
    assert (first.cohort, first.participant_number) == (cohort, f"{_prefix(cohort)}-008")
    assert second.participant_number == f"{_prefix(cohort)}-009"
    assert first.history.get().history_user == hr
    passport = Document.objects.get(participant=second)
    assert (passport.number, passport.handled_by) == ("C0000012", hr)
    assert passport.history.get().history_user == hr


def _prefix(cohort) -> str:
    from participants.models import program_prefix

    return f"{program_prefix(cohort.program)}-{cohort.number:02d}"


@pytest.mark.parametrize("count", [3, 20])
def test_checking_and_saving_take_as_many_queries_for_3_rows_as_for_20(
    count, cohort, hr, django_assert_num_queries
):
    rows = [woman(serial=n, passport_number=f"C{n:07d}") for n in range(1, count + 1)]
    content = csv_bytes(*rows, header=HEADER + ",passport_number")
    with django_assert_num_queries(3):  # region codes, the NIKs registered, the regency
        result = check(content)
    assert result.ok, messages(result)
    # Through the ORM (SQLite writes about 25 rows per INSERT) or, on PostgreSQL, copied: the
    # ids, the staging table made and dropped, one INSERT per table (COPY is not counted).
    with django_assert_num_queries(11 if importer.copies() else 9):
        importer.save_rows(result.rows, cohort=cohort, by=hr)
    assert Participant.objects.filter(cohort=cohort).count() == count


def test_a_nik_cell_holding_a_nul_character_is_reported_not_looked_up():
    """PostgreSQL refuses a NUL character in a query: such a cell is only ever a row error."""
    result = check(csv_bytes(woman(nik="\x00"), woman(serial=2)))
    assert result.errors
    assert {error.line for error in result.errors} == {2}  # the second row is fine
    assert Participant.objects.count() == 0


def test_a_region_cell_holding_a_nul_character_is_reported_not_looked_up():
    result = check(csv_bytes(woman(origin_regency="63.71\x00"), woman(serial=2)))
    assert [(error.line, error.column) for error in result.errors] == [(2, "origin_regency")]
    assert Participant.objects.count() == 0


class TestConfirmingOnce:
    """Two confirmations of one preview import it once; the other is told, never a 500."""

    def pending(self, content: bytes) -> dict:
        path = default_storage.save(f"imports/{uuid.uuid4().hex}.csv", io.BytesIO(content))
        return {"path": path, "name": "peserta.csv", "cohort": None, "historical": False}

    def confirm(self, pending, user, *, background=False):
        if background:
            return participants_import_request(pending=pending, cohort=None, user=user)
        with default_storage.open(pending["path"], "rb") as handle:
            rows = importer.check_file(handle, pending["name"]).rows
        return participants_import_now(pending=pending, cohort=None, rows=rows, user=user)

    @pytest.mark.parametrize("background", [False, True], ids=["now", "in-the-background"])
    def test_a_second_confirmation_of_the_same_preview_is_refused(self, hr, background):
        pending = self.pending(csv_bytes(woman(1), woman(2)))
        self.confirm(pending, hr, background=background)
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            self.confirm(pending, hr, background=background)
        assert "already been imported" in refused.value.messages[0]
        assert Job.objects.filter(kind="participant_import").count() == 1
        assert Participant.objects.count() == (0 if background else 2)

    def test_a_new_upload_of_the_same_file_is_a_new_preview(self, hr):
        first = self.pending(csv_bytes(woman(1)))
        second = self.pending(csv_bytes(woman(2)))
        assert first["path"] != second["path"]
        self.confirm(first, hr)
        self.confirm(second, hr)
        assert Participant.objects.count() == 2

    def test_the_upload_is_removed_only_once_the_import_is_committed(
        self, hr, django_capture_on_commit_callbacks
    ):
        pending = self.pending(csv_bytes(woman(1)))
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            self.confirm(pending, hr)
        assert default_storage.exists(pending["path"])
        for callback in callbacks:
            callback()
        assert not default_storage.exists(pending["path"])


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_the_same_moment_import_once(hr):
    """Two connections confirm one preview; the second waits on the first's claim and is
    refused when it commits."""
    if connection.vendor != "postgresql":
        require("DATABASE_URL is not PostgreSQL: SQLite takes one writer at a time")
    content = csv_bytes(woman(1), woman(2), woman(3))
    path = default_storage.save("imports/fedcba9876543210fedcba9876543210.csv", io.BytesIO(content))
    pending = {"path": path, "name": "peserta.csv", "cohort": None, "historical": False}
    rows = importer.check_file(io.BytesIO(content), "peserta.csv").rows
    claimed, commit_first = threading.Event(), threading.Event()
    outcomes: dict[str, str] = {}

    def confirm(name: str, *, hold: bool) -> None:
        try:
            with transaction.atomic():
                participants_import_now(pending=pending, cohort=None, rows=rows, user=hr)
                if hold:
                    claimed.set()
                    assert commit_first.wait(30), "the second confirmation never waited"
            outcomes[name] = "imported"
        except ValidationError:
            outcomes[name] = "refused"
        finally:
            connection.close()

    first = threading.Thread(target=confirm, args=("first",), kwargs={"hold": True})
    first.start()
    assert claimed.wait(30)
    second = threading.Thread(target=confirm, args=("second",), kwargs={"hold": False})
    second.start()
    # Let the first commit only once the second is blocked on the first's claim.
    for _attempt in range(3000):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                break
        threading.Event().wait(0.01)
    else:
        pytest.fail("the second confirmation did not wait for the first")
    commit_first.set()
    first.join(30)
    second.join(30)
    assert outcomes == {"first": "imported", "second": "refused"}
    assert Participant.objects.count() == 3
    assert Job.objects.filter(kind="participant_import").count() == 1


# Lists kept the way offices keep them: in Excel, with addresses.


def template_workbook():
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(importer.template_xlsx()))


def test_the_xlsx_template_is_itself_a_valid_import():
    result = check(importer.template_xlsx(), name="template-peserta.xlsx")
    assert result.ok, messages(result)
    assert result.rows[0].fields["ktp_street"] == "Jl. Pangeran Antasari No. 12"


def test_the_xlsx_template_keeps_nik_and_phone_as_text_below_the_example_too():
    sheet = template_workbook().worksheets[0]
    header = [cell.value for cell in sheet[1]]
    for name in ("nik", "phone", "ktp_postal_code"):
        column = header.index(name) + 1
        example = sheet.cell(row=2, column=column)
        assert example.data_type == "s" and example.number_format == "@"
        assert sheet.cell(row=50, column=column).number_format == "@"
    assert sheet.cell(row=2, column=header.index("nik") + 1).value == "6371015802980001"


def test_the_xlsx_template_has_a_bold_header_widths_and_every_import_column():
    sheet = template_workbook().worksheets[0]
    assert [cell.value for cell in sheet[1]] == importer.COLUMNS
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.column_dimensions["A"].width > 10


def test_the_xlsx_templates_second_sheet_lists_the_allowed_values_in_indonesian():
    choices = template_workbook().worksheets[1]
    rows = {(row[0], row[1]): row[2] for row in choices.iter_rows(min_row=2, values_only=True)}
    assert rows[("gender", "L")] == "Laki-laki"
    assert rows[("gender", "P")] == "Perempuan"
    assert rows[("track", "tenaga kerja")] == "Tenaga Kerja"
    assert rows[("education", "D3")] == "D3"
    assert ("status", "working") in rows
    assert all(cell.font.bold for cell in choices[1])


def test_the_csv_template_has_the_address_columns():
    header = importer.template_csv().splitlines()[0].split(",")
    assert "ktp_street" in header and "domicile_postal_code" in header


def test_the_ktp_address_and_the_domicile_are_imported(cohort, hr):
    row = woman(
        ktp_street="Jl. Veteran No. 3",
        ktp_rt_rw="003/005",
        ktp_village="Melayu",
        ktp_district="Banjarmasin Tengah",
        ktp_regency="63.71",
        ktp_postal_code="70232",
        domicile_street="Jl. A. Yani Km 4",
        domicile_regency="Kota Banjarmasin",
    )
    header = HEADER + "," + ",".join(importer.ADDRESS_COLUMNS)
    result = check(csv_bytes(row, header=header))
    assert result.ok, messages(result)
    importer.save_rows(result.rows, cohort=cohort, by=hr, historical=False)
    saved = Participant.objects.get()
    assert (saved.ktp_street, saved.ktp_rt_rw, saved.ktp_postal_code) == (
        "Jl. Veteran No. 3",
        "003/005",
        "70232",
    )
    assert saved.ktp_regency.code == "63.71"
    assert saved.domicile_regency.code == "63.71"
    assert saved.domicile_village == ""


def test_a_wrong_rt_rw_postal_code_or_address_regency_is_a_row_error():
    header = HEADER + ",ktp_rt_rw,domicile_postal_code,domicile_regency"
    row = woman(ktp_rt_rw="3-5", domicile_postal_code="7012", domicile_regency="Atlantis")
    result = check(csv_bytes(row, header=header))
    assert {column for _line, column, _message in messages(result)} == {
        "ktp_rt_rw",
        "domicile_postal_code",
        "domicile_regency",
    }


@pytest.mark.parametrize("nik", [6371015802980001, 6.37102e15, 6371015802980000.0])
def test_a_nik_excel_turned_into_a_number_says_so_and_how_to_keep_it_text(nik):
    row = woman()
    columns = HEADER.split(",")
    values = [nik if column == "nik" else row[column] for column in columns]
    with translation.override("en"):
        result = check(xlsx_bytes(columns, values), name="peserta.xlsx")
    [(line, column, message)] = messages(result)
    assert (line, column) == (2, "nik")
    assert str(nik) not in message and "6371015802980" not in message
    assert "Excel" in message and "Text" in message and "apostrophe" in message


@pytest.mark.parametrize("shown", ["6.37102E+15", "6,37102E+15", "6.37102e+15"])
def test_a_nik_in_scientific_notation_in_a_csv_says_excel_turned_it_into_a_number(shown):
    result = check(csv_bytes(woman(nik=f'"{shown}"')))  # quoted: a decimal comma
    [(_line, column, message)] = messages(result)
    assert column == "nik"
    assert "Excel" in message and "6.37102E+15" in message


def test_the_excel_number_message_is_in_indonesian_on_an_indonesian_page():
    with translation.override("id"):
        result = check(csv_bytes(woman(nik="6.37102E+15")))
    assert "Teks" in result.errors[0].message


def test_a_nik_written_as_text_in_a_workbook_is_still_read():
    row = woman()
    columns = HEADER.split(",")
    result = check(xlsx_bytes(columns, [row[c] for c in columns]), name="peserta.xlsx")
    assert result.ok, messages(result)


def test_a_checked_row_names_its_gender_and_track_in_the_pages_language():
    with translation.override("id"):
        row = check(
            csv_bytes(woman(gender="L", nik=make_nik(datetime.date(1998, 2, 18), "M")))
        ).rows[0]
        assert (row.gender_label, row.track_label) == ("Laki-laki", "Tenaga Kerja")
    with translation.override("en"):
        assert (row.gender_label, row.track_label) == ("Male", "Worker")
