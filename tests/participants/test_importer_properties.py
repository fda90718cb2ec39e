"""Properties of the participant import over generated files and rows: it never raises, every
bad row is reported with its line, a row it accepts is one the database takes, and nothing is
saved unless every row is valid."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from participants import importer
from participants.models import Document, Participant
from tests.conftest import examples
from tests.factories import make_nik

pytestmark = pytest.mark.django_db

SETTINGS = settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
BIRTH = datetime.date(1998, 2, 18)

# For each column: values a clerk would type, right or wrong, next to arbitrary text.
TYPICAL = {
    "full_name": ["Siti Rahmah", "Hj. Norhalimah", "A" * 201, ""],
    "nik": [make_nik(BIRTH, "F", serial=n) for n in (1, 2, 3)]
    + [make_nik(BIRTH, "M", serial=4), "6371015802980000", "12345", "²" * 16],
    "gender": ["P", "F", "perempuan", "L", "X", ""],
    "birth_date": ["1998-02-18", "18/02/1998", "02/18/1998", "1998-02-30", "31/12/9999", ""],
    "birth_place": ["Banjarmasin", "B" * 101],
    "origin_regency": ["63.71", "6371", "Kota Banjarmasin", "Banjar", "99.99", ""],
    "track": ["worker", "tenaga kerja", "beasiswa", "pilot", ""],
    "occupation": ["care worker", "O" * 101],
    "education": ["D3 Keperawatan", "S1", "PhD Physics", "SMA " + "x" * 101],
    "phone": ["081234567890", "+62 812-3456-7890", "12", "x" * 30],
    "email": ["siti@example.org", "not-an-email", "a@" + "b" * 300 + ".org"],
    "name_katakana": ["シティ・ラフマ", "Siti", ""],
    "passport_number": ["C1234567", "P" * 40, ""],
    "passport_expiry": ["2030-01-31", "31/01/2030", "soon", ""],
}
VALID_ROW = {column: values[0] for column, values in TYPICAL.items()}


@st.composite
def rows(draw):
    """A good row with up to three cells changed: a typical slip or any text at all."""
    row = dict(VALID_ROW)
    for column in draw(st.lists(st.sampled_from(list(TYPICAL)), max_size=3, unique=True)):
        row[column] = draw(st.one_of(st.sampled_from(TYPICAL[column]), st.text(max_size=15)))
    return row


def csv_bytes(header, table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in table:
        writer.writerow([row.get(column, "") for column in header])
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(header, table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in table:
        # A workbook cannot hold control characters: Excel would not have written them.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", row.get(column, "")) for column in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def check(content: bytes, name: str):
    with translation.override("en"):
        return importer.check_file(io.BytesIO(content), name)


@SETTINGS
@given(content=st.binary(max_size=400), name=st.sampled_from(["peserta.csv", "peserta.xlsx"]))
@example(content=b"", name="peserta.csv")
@example(content=b"\xff\xfe\x00garbage", name="peserta.csv")
@example(content=b"PK\x03\x04 not really a zip", name="peserta.xlsx")
@example(content=b'full_name,nik\n"unclosed,quote\n', name="peserta.csv")
@example(content=b"full_name\r\nA\rB\x00C\n", name="peserta.csv")
def test_any_bytes_give_a_result_with_messages_and_never_an_exception(content, name):
    result = check(content, name)
    assert result.ok or result.errors
    for error in result.errors:
        assert error.message and isinstance(error.message, str)


@SETTINGS
@given(table=st.lists(rows(), min_size=1, max_size=4), as_xlsx=st.booleans())
@example(table=[VALID_ROW], as_xlsx=False)
@example(table=[VALID_ROW], as_xlsx=True)
def test_every_row_is_either_accepted_or_reported_with_its_line(table, as_xlsx):
    header = list(TYPICAL)
    content = xlsx_bytes(header, table) if as_xlsx else csv_bytes(header, table)
    result = check(content, "peserta.xlsx" if as_xlsx else "peserta.csv")
    reported = {error.line for error in result.errors}
    accepted = {row.line for row in result.rows}
    assert not reported & accepted
    assert reported | accepted <= set(range(0, len(table) + 2))
    for row in result.rows:
        # What the import accepts, the model (and so the database) accepts too.
        person = Participant(**row.fields)
        try:
            person.full_clean(validate_unique=False)
        except ValidationError as error:
            pytest.fail(f"line {row.line} was accepted but the model refuses it: {error}")
        values = [v for v in row.fields.values() if isinstance(v, str)]
        assert not any("\x00" in v for v in values), row.fields
        document = Document(number=row.passport_number)
        assert len(document.number) <= Document._meta.get_field("number").max_length


@SETTINGS
@given(table=st.lists(rows(), min_size=1, max_size=3))
@example(table=[VALID_ROW])
@example(table=[VALID_ROW, {**VALID_ROW, "nik": TYPICAL["nik"][1], "origin_regency": "Banjar"}])
def test_nothing_is_saved_unless_every_row_is_valid(hr, table):
    header = list(TYPICAL)
    content = csv_bytes(header, table)
    client = Client(raise_request_exception=False)
    client.force_login(hr)
    with transaction.atomic():
        before = Participant.objects.count()
        upload = client.post(
            reverse("participants:import_upload"),
            {"file": SimpleUploadedFile("peserta.csv", content)},
        )
        assert upload.status_code == 302
        preview = client.get(reverse("participants:import_preview"))
        assert preview.status_code == 200
        ok = preview.context["result"].ok
        confirm = client.post(reverse("participants:import_preview"))
        if ok:
            assert confirm.status_code == 302
            assert Participant.objects.count() == before + len(table)
        else:
            assert confirm.status_code == 200
            assert Participant.objects.count() == before
        transaction.set_rollback(True)
