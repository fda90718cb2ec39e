"""Import of participants from CSV or XLSX: parse, check every row, then save all or nothing.

The web page, the Celery task and ``manage.py import_participants`` all use these functions.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import itertools
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from simple_history.utils import bulk_create_with_history

from cohorts.models import Cohort
from delegation import spreadsheets
from delegation.querystring import whole_number
from participants.import_copy import save_by_copy
from participants.models import (
    KATAKANA,
    Contract,
    Document,
    DocumentType,
    Participant,
    Region,
    Status,
    StatusChange,
    contract_end,
    participant_numbers,
    quota_check,
)
from participants.nik import is_well_formed, normalise_nik
from participants.nik_regions import RegionCodes, nik_check_for
from participants.phones import normalise_phone

COLUMNS = [
    "full_name",
    "nik",
    "gender",
    "birth_date",
    "birth_place",
    "origin_regency",
    "track",
    "occupation",
    "education",
    "phone",
    "email",
    "name_katakana",
    "passport_number",
    "passport_expiry",
]
# The KTP address and the domicile, each in the model's parts (all optional).
ADDRESS_PARTS = ["street", "rt_rw", "village", "district", "regency", "postal_code"]
ADDRESS_COLUMNS = [f"{kind}_{part}" for kind in ("ktp", "domicile") for part in ADDRESS_PARTS]
COLUMNS += ADDRESS_COLUMNS
# Digits that are not numbers: the XLSX template keeps these columns as text.
TEXT_COLUMNS = {
    "nik",
    "phone",
    "passport_number",
    "ktp_rt_rw",
    "ktp_postal_code",
    "domicile_rt_rw",
    "domicile_postal_code",
}
# What Excel shows for a NIK it has turned into a number: 6.37102E+15, 6,37102E+15.
SCIENTIFIC = re.compile(r"\d(?:[.,]\d+)?\s*[eE]\s*\+?\s*\d+")
REQUIRED = ["full_name", "nik", "gender", "birth_date", "origin_regency", "track"]
HISTORICAL_COLUMNS = ["status", "departed_on"]
# The years an imported date may fall in: a contract's end and its extensions stay real dates.
DATE_YEARS = (1900, 2100)
# The participant fields whose import column has another name.
FIELD_COLUMNS = {"education_level": "education", "education_field": "education"}
# Optional in a historical import: the contract of someone already abroad.
CONTRACT_COLUMNS = ["contract_start", "contract_years", "employer"]

GENDERS = {
    "m": "M",
    "l": "M",
    "laki-laki": "M",
    "male": "M",
    "f": "F",
    "p": "F",
    "perempuan": "F",
    "female": "F",
}
TRACKS = {
    "worker": "worker",
    "tenaga kerja": "worker",
    "pekerja": "worker",
    "scholarship": "scholarship",
    "penerima beasiswa": "scholarship",
    "beasiswa": "scholarship",
}
EDUCATION = {choice.label.lower(): choice.value for choice in Participant.Education}
EDUCATION.update({"sma": "sma", "smk": "sma"})
# Statuses a historical row may carry: people who have left.
HISTORICAL_STATUSES = {
    Status.DEPARTED,
    Status.WORKING,
    Status.EXTENDED,
    Status.COMPLETED,
    Status.RETURNED_EARLY,
}


# Rows written per INSERT when saving.
SAVE_BATCH = 500

# Bounds of an import file: past one the file is refused with a message, and reading stops
# there, so no upload holds a web worker or its memory for long.
MAX_IMPORT_BYTES = 20 * 2**20
MAX_ROWS = 50_000
MAX_COLUMNS = 60
# What an XLSX file may unpack to (its shared strings are held in memory while it is read).
XLSX_MAX_UNPACKED_BYTES = 100 * 2**20
# Row errors listed; the rest are counted ("and 12 more").
MAX_LISTED_ERRORS = 200


class ImportFileError(Exception):
    """The file as a whole cannot be read."""


@dataclass
class RowError:
    line: int
    column: str
    message: str


@dataclass
class ParsedRow:
    line: int
    fields: dict
    passport_number: str = ""
    passport_expiry: datetime.date | None = None
    status: str = ""
    departed_on: datetime.date | None = None
    contract_start: datetime.date | None = None
    contract_years: int | None = None
    employer: str = ""

    @property
    def gender_label(self) -> str:
        """The gender as the page's language says it (``Laki-laki``), not its code."""
        return Participant.Gender(self.fields["gender"]).label

    @property
    def track_label(self) -> str:
        return Participant.Track(self.fields["track"]).label


@dataclass
class ImportResult:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # Errors found past the first ``MAX_LISTED_ERRORS``: counted, not kept.
    more_errors: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.more_errors

    def add_errors(self, errors: list[RowError]) -> None:
        room = max(0, MAX_LISTED_ERRORS - len(self.errors))
        self.errors.extend(errors[:room])
        self.more_errors += len(errors[room:])


def read_table(handle: BinaryIO, name: str) -> list[tuple[int, dict]]:
    """Rows as (line number, {lower-case header: value}), the header being line 1.

    Reading stops at the bounds (``MAX_IMPORT_BYTES``, ``MAX_ROWS``, ``MAX_COLUMNS``): a
    file past one is refused as a whole with ``ImportFileError``, as is a file that is not
    what its name says."""
    if name.lower().endswith(".xlsx"):
        return _read_xlsx(handle)
    return _read_csv(handle)


def _table(rows: Iterator[Sequence]) -> list[tuple[int, dict]]:
    """The header and the data rows of ``rows``, read no further than ``MAX_ROWS``."""
    try:
        header = next(rows)
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    keys = [str(h if h is not None else "").strip().lower() for h in header]
    while keys and not keys[-1]:
        keys.pop()
    if len(keys) > MAX_COLUMNS:
        raise ImportFileError(
            _("The file has more than %(limit)d columns: keep only the template's columns.")
            % {"limit": MAX_COLUMNS}
        )
    table = []
    for line, row in enumerate(rows, start=2):
        if line - 1 > MAX_ROWS:
            raise _too_many_rows()
        values = ["" if v is None else v.strip() if isinstance(v, str) else v for v in row]
        if any(str(v).strip() for v in values):
            table.append((line, dict(zip(keys, values, strict=False))))
    return table


def _read_csv(handle: BinaryIO) -> list[tuple[int, dict]]:
    raw = handle.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportFileError(_too_large())
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The CSV file is not UTF-8. Save it again as “CSV UTF-8” and upload that.")
        ) from None
    sample = text[:2048]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        return _table(reader)
    except csv.Error:
        raise ImportFileError(
            _("The CSV file cannot be read: check its quotes and line breaks (line %(line)d).")
            % {"line": reader.line_num}
        ) from None


def _too_large() -> str:
    return _("The file is larger than %(limit)d MB.") % {"limit": MAX_IMPORT_BYTES // 2**20}


def _unreadable_xlsx() -> ImportFileError:
    return ImportFileError(
        _("The file is not a readable XLSX workbook: open it in a spreadsheet and save it again.")
    )


def _read_xlsx(handle: BinaryIO) -> list[tuple[int, dict]]:
    with _first_sheet(handle) as sheet:
        return _table(_xlsx_rows(sheet))


@contextlib.contextmanager
def _first_sheet(handle: BinaryIO) -> Iterator:
    """The workbook's first worksheet, opened read-only; whatever breaks while it is read (a
    part of the zip, its XML) is reported as an unreadable workbook."""
    from openpyxl import load_workbook

    _check_xlsx_container(handle)
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise _unreadable_xlsx() from None
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("The workbook has no worksheet."))
        yield workbook.worksheets[0]
    except ImportFileError:
        raise
    except Exception:
        raise _unreadable_xlsx() from None
    finally:
        workbook.close()


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(limit)s rows: split it into smaller files.")
        % {"limit": number_format(MAX_ROWS, force_grouping=True)}
    )


def inspect_upload(handle: BinaryIO, name: str) -> None:
    """What the upload page refuses before it keeps a file, with ``ImportFileError``.

    A CSV is read whole (quick, and within the bounds). An XLSX is opened, its header read
    and the size its sheet declares compared with the row cap, without reading its rows
    (reading a large workbook takes seconds): a sheet that declares less than it holds is
    still stopped at the cap by ``read_table``."""
    try:
        if not name.lower().endswith(".xlsx"):
            read_table(handle, name)
            return
        with _first_sheet(handle) as sheet:
            if (sheet.max_row or 0) - 1 > MAX_ROWS:
                raise _too_many_rows()
            _table(itertools.islice(_xlsx_rows(sheet), 1))
    finally:
        handle.seek(0)


def _check_xlsx_container(handle: BinaryIO) -> None:
    """A workbook is a zip: refuse one that is not, is cut short or unpacks to too much.

    The sizes a zip declares bound what it unpacks to (reading stops there), so a small
    file that would unpack to gigabytes is refused before any of it is read."""
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise _unreadable_xlsx() from None
    finally:
        handle.seek(0)
    if unpacked > XLSX_MAX_UNPACKED_BYTES:
        raise ImportFileError(
            _("The workbook unpacks to more than %(limit)d MB: save only the participants' sheet.")
            % {"limit": XLSX_MAX_UNPACKED_BYTES // 2**20}
        )


def _declared_size(sheet) -> None:
    """The size a read-only sheet declares (its <dimension>), read no further than its rows.

    openpyxl (3.1) stops looking once <sheetData> has been parsed: after every row. A small
    workbook of millions of rows that declares no size (openpyxl's own write-only mode writes
    none) would hold a worker for minutes before a single row was counted. This reads only
    what comes before <sheetData>, where the schema puts <dimension>; a sheet without one has
    no declared size, as before, and its rows are still read at most to ``MAX_ROWS``."""
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    with sheet._get_source() as source:
        for _event, element in iterparse(source, events=("start",)):
            if element.tag == f"{{{SHEET_MAIN_NS}}}dimension":
                boundaries = range_boundaries(element.get("ref"))
                sheet._min_column, sheet._min_row, sheet._max_column, sheet._max_row = boundaries
                return
            if element.tag == f"{{{SHEET_MAIN_NS}}}sheetData":
                return


ReadOnlyWorksheet._get_size = _declared_size


def _xlsx_rows(sheet) -> Iterator[tuple]:
    """The sheet's rows as values, read one at a time from the file (read-only mode)."""
    return sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)


def parse_date(value) -> datetime.date:
    """YYYY-MM-DD, DD/MM/YYYY or an Excel date cell; never MM/DD."""
    text = str(value).strip()
    if isinstance(value, datetime.datetime):
        parsed = value.date()
    elif isinstance(value, datetime.date):
        parsed = value
    else:
        parsed = _parse_date_text(text)
    if not DATE_YEARS[0] <= parsed.year <= DATE_YEARS[1]:
        raise ValidationError(
            _("“%(value)s” is outside the years %(first)d–%(last)d: check the year.")
            % {"value": text, "first": DATE_YEARS[0], "last": DATE_YEARS[1]}
        )
    return parsed


# The usual way a date is written (1998-02-18): read without strptime, which is slower.
# ASCII digits only, as strptime reads them (``\d`` and ``int`` also take other scripts').
ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def _parse_date_text(text: str) -> datetime.date:
    iso = ISO_DATE.fullmatch(text)
    if iso:
        with contextlib.suppress(ValueError):  # 1998-02-30: the patterns below say why
            return datetime.date(*map(int, iso.groups()))
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    try:
        month_first = datetime.datetime.strptime(text, "%m/%d/%Y").date()
    except ValueError:
        month_first = None
    if month_first is not None:
        raise ValidationError(
            _(
                "“%(value)s” puts the month first: write the day first, "
                "as %(day_first)s (DD/MM/YYYY)."
            )
            % {"value": text, "day_first": month_first.strftime("%d/%m/%Y")}
        )
    raise ValidationError(
        _("“%(value)s” is not a date: write YYYY-MM-DD or DD/MM/YYYY.") % {"value": text}
    )


class RowChecker:
    """Checks rows one by one, remembering the NIKs already seen in the file."""

    def __init__(self, *, historical: bool, registered_niks: set[str] | None = None):
        self.historical = historical
        self.codes = RegionCodes.load()
        self.regions = Region.objects.all()
        self.seen_niks: dict[str, int] = {}
        # Looked up once for the whole file (check_table); None: ask the database per row.
        self.registered_niks = registered_niks
        self.resolved_regions: dict[str, Region | ValidationError] = {}
        # Looked up once, not per row: the required columns, and each text field's column
        # name in the file and its length in the database.
        self.required = REQUIRED + (HISTORICAL_COLUMNS if historical else [])
        self.limits = {
            model_field.name: (FIELD_COLUMNS.get(model_field.name, model_field.name), model_field)
            for model_field in Participant._meta.concrete_fields
        }
        self.passport_limit = ("passport_number", Document._meta.get_field("number"))
        self.address_validators = {
            column: Participant._meta.get_field(column).run_validators
            for column in ADDRESS_COLUMNS
            if column.endswith(("_rt_rw", "_postal_code"))
        }

    def is_registered(self, nik: str) -> bool:
        if self.registered_niks is not None:
            return nik in self.registered_niks
        return Participant.objects.filter(nik=nik).exists()

    def resolve_regency(self, text: str) -> Region:
        """The region a cell names; each distinct cell is looked up once per file."""
        if text not in self.resolved_regions:
            try:
                self.resolved_regions[text] = self.regions.resolve_regency(text)
            except ValidationError as error:
                self.resolved_regions[text] = error
        found = self.resolved_regions[text]
        if isinstance(found, ValidationError):
            raise found
        return found

    def check(self, line: int, data: dict) -> tuple[ParsedRow | None, list[RowError]]:
        errors: list[RowError] = []

        def fail(column: str, message: str) -> None:
            errors.append(RowError(line, column, message))

        # Each cell's text, its runs of spaces made one: read once, looked up many times.
        cells = {column: _cell_text(value) for column, value in data.items()}

        def text(column: str) -> str:
            return cells.get(column, "")

        # A NUL character is never meant, and PostgreSQL refuses it even in a lookup: such a
        # row is reported before any of its cells is looked up.
        for column, value in data.items():
            if isinstance(value, str) and "\x00" in value:
                fail(column, _("The value holds a NUL character: type it again."))
        if errors:
            return None, errors

        for column in self.required:
            if not text(column):
                fail(column, _("This column is required."))
        fields: dict = {"full_name": text("full_name")}

        gender = GENDERS.get(text("gender").lower())
        if text("gender") and gender is None:
            fail("gender", _("Write M or F (L or P)."))
        fields["gender"] = gender

        birth_date = None
        if text("birth_date"):
            try:
                birth_date = parse_date(data["birth_date"])
            except ValidationError as error:
                fail("birth_date", error.messages[0])
        fields["birth_date"] = birth_date

        nik = text("nik").replace(" ", "")
        if _number_from_excel(data.get("nik")):
            fail(
                "nik",
                # The message repeats none of the number: it is kept with a background check.
                _(
                    "Excel turned this NIK into a number (such as 6.37102E+15) and lost its last "
                    "digits. Format the NIK column as Text (or type an apostrophe ' before the "
                    "NIK), type the 16 digits again and save."
                ),
            )
            nik = ""
        if nik:
            result = nik_check_for(nik, birth_date=birth_date, gender=gender, codes=self.codes)
            for message in result.errors + result.problems:
                fail("nik", message)
            nik = result.nik
            if nik in self.seen_niks:
                fail(
                    "nik",
                    _("This NIK is already on line %(line)d.") % {"line": self.seen_niks[nik]},
                )
            else:
                self.seen_niks[nik] = line
            if self.is_registered(nik):
                fail("nik", _("A participant with this NIK is already registered."))
        fields["nik"] = nik

        if text("origin_regency"):
            try:
                fields["origin"] = self.resolve_regency(text("origin_regency"))
            except ValidationError as error:
                fail("origin_regency", error.messages[0])

        track = TRACKS.get(text("track").lower())
        if text("track") and track is None:
            fail("track", _("Write worker or scholarship (tenaga kerja or penerima beasiswa)."))
        fields["track"] = track

        fields["birth_place"] = text("birth_place")
        fields["occupation"] = text("occupation")
        education = text("education")
        if education:
            level, _sep, field_of_study = education.partition(" ")
            fields["education_level"] = EDUCATION.get(level.lower(), "")
            if not fields["education_level"]:
                fail(
                    "education",
                    _("Start with a level such as SMA, D3 or S1 (e.g. D3 Keperawatan)."),
                )
            fields["education_field"] = field_of_study
        try:
            fields["phone"] = normalise_phone(text("phone"))
        except ValidationError as error:
            fail("phone", error.messages[0])
        email = text("email")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                fail("email", _("“%(value)s” is not an e-mail address.") % {"value": email})
        fields["email"] = email
        katakana = text("name_katakana")
        if katakana:
            try:
                KATAKANA(katakana)
            except ValidationError as error:
                fail("name_katakana", error.messages[0])
        fields["name_katakana"] = katakana

        self._check_addresses(fields, text, fail)

        row = ParsedRow(line=line, fields=fields, passport_number=text("passport_number").upper())
        self._check_fits(row, fail)
        if text("passport_expiry"):
            try:
                row.passport_expiry = parse_date(data["passport_expiry"])
            except ValidationError as error:
                fail("passport_expiry", error.messages[0])
        if self.historical:
            status = text("status").lower().replace(" ", "_")
            if text("status") and status not in HISTORICAL_STATUSES:
                fail(
                    "status",
                    _("A historical row has one of: %(statuses)s.")
                    % {"statuses": ", ".join(sorted(HISTORICAL_STATUSES))},
                )
            row.status = status
            if text("departed_on"):
                try:
                    row.departed_on = parse_date(data["departed_on"])
                except ValidationError as error:
                    fail("departed_on", error.messages[0])
            self._check_contract(row, data, text, fail)
        return (None if errors else row), errors

    def _check_addresses(self, fields: dict, text, fail) -> None:
        """The KTP address and the domicile: regencies looked up, RT/RW and postal code checked
        as the participant form checks them."""
        for column in ADDRESS_COLUMNS:
            value = text(column)
            if column.endswith("_regency"):
                fields[column] = None
                if value:
                    try:
                        fields[column] = self.resolve_regency(value)
                    except ValidationError as error:
                        fail(column, error.messages[0])
                continue
            if value and column in self.address_validators:
                try:
                    self.address_validators[column](value)
                except ValidationError as error:
                    fail(column, error.messages[0])
            fields[column] = value

    def _check_fits(self, row: ParsedRow, fail) -> None:
        """Every text fits its column in the database and holds no NUL character."""
        values = [
            (*self.limits[name], value)
            for name, value in row.fields.items()
            if isinstance(value, str)
        ]
        values.append((*self.passport_limit, row.passport_number))
        for column, model_field, value in values:
            if "\x00" in value:
                fail(column, _("The value holds a NUL character: type it again."))
            elif model_field.max_length and len(value) > model_field.max_length:
                fail(
                    column,
                    _("At most %(limit)d characters; this value has %(count)d.")
                    % {"limit": model_field.max_length, "count": len(value)},
                )

    def _check_contract(self, row: ParsedRow, data: dict, text, fail) -> None:
        if not text("contract_start"):
            if text("employer") or text("contract_years"):
                fail("contract_start", _("Give the contract's start date."))
            return
        try:
            row.contract_start = parse_date(data["contract_start"])
        except ValidationError as error:
            fail("contract_start", error.messages[0])
        row.employer = text("employer")
        if not row.employer:
            fail("employer", _("Give the employer of the contract."))
        if text("contract_years"):
            try:
                row.contract_years = _contract_years(text("contract_years"))
            except ValidationError as error:
                fail("contract_years", error.messages[0])
        if row.contract_start and row.departed_on and row.contract_start < row.departed_on:
            fail("contract_start", _("A contract abroad starts on or after the departure."))


def _cell_text(value) -> str:
    """A cell as text, its runs of white space made one space (an Excel whole number
    without its ".0")."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value if value is not None else "").split())


def _number_from_excel(value) -> bool:
    """A NIK cell Excel stored as a number (read as int or float), or its scientific notation
    as text (a CSV saved from such a sheet): its last digits are gone."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True
    return isinstance(value, str) and SCIENTIFIC.fullmatch(value.strip()) is not None


def _contract_years(text: str) -> int:
    years = whole_number(text, minimum=1, maximum=20)
    if years is None:
        raise ValidationError(_("Write the contract length in whole years, from 1 to 20."))
    return years


def check_table(table: list[tuple[int, dict]], *, historical: bool = False) -> ImportResult:
    result = ImportResult()
    if not table:
        result.errors.append(RowError(1, "", _("The file has no participant rows.")))
        return result
    present = set(table[0][1])
    needed = REQUIRED + (HISTORICAL_COLUMNS if historical else [])
    missing = [column for column in needed if column not in present]
    if missing:
        result.errors.append(
            RowError(1, ", ".join(missing), _("Required columns are missing from the header."))
        )
        return result
    candidates = {normalise_nik(data.get("nik")) for _line, data in table}
    registered = set()
    # Only what could be a NIK is looked up: a stored one is always 16 ASCII digits, and
    # PostgreSQL refuses some other text (a NUL character) outright.
    candidate_list = sorted(nik for nik in candidates if is_well_formed(nik))
    for start in range(0, len(candidate_list), 1000):  # SQLite allows 999 parameters
        chunk = candidate_list[start : start + 1000]
        registered.update(Participant.objects.filter(nik__in=chunk).values_list("nik", flat=True))
    checker = RowChecker(historical=historical, registered_niks=registered)
    for line, data in table:
        row, errors = checker.check(line, data)
        result.add_errors(errors)
        if row:
            result.rows.append(row)
    return result


def check_file(handle: BinaryIO, name: str, *, historical: bool = False) -> ImportResult:
    try:
        table = read_table(handle, name)
    except ImportFileError as error:
        return ImportResult(errors=[RowError(0, "", str(error))])
    return check_table(table, historical=historical)


def save_rows(
    rows: list[ParsedRow],
    *,
    cohort: Cohort | None,
    by,
    historical: bool = False,
    progress=None,
) -> Sequence[Participant]:
    """Save every row in one transaction: all of them or none.

    On PostgreSQL the rows go in set-based statements (see ``participants.import_copy``);
    elsewhere (or with ``PARTICIPANT_IMPORT_COPY`` off) through the ORM in batches. Either way
    participants and passports get their history records and are numbered in the rows'
    order; a historical row's moves are then recorded row by row, as they happened.

    A NIK registered by someone else since the rows were checked is refused by the database:
    nothing is saved and a ``ValidationError`` says so, as a full batch does.
    """
    passport = DocumentType.objects.get(code="passport")
    try:
        with transaction.atomic():
            if cohort is not None:
                quota_check(cohort, adding=len(rows))
            numbers = participant_numbers(cohort, len(rows)) if cohort is not None else None
            if not copies():
                return _save_through_orm(
                    rows,
                    cohort=cohort,
                    numbers=numbers,
                    by=by,
                    passport=passport,
                    historical=historical,
                    progress=progress,
                )
            ids = save_by_copy(
                rows,
                cohort_id=cohort.pk if cohort is not None else None,
                numbers=numbers,
                user_id=by.pk if by is not None else None,
                passport_type_id=passport.pk,
                progress=(lambda percent: progress(percent // 2))
                if historical and progress
                else progress,
            )
            saved = SavedParticipants(ids)
            if historical:
                for done, (participant, row) in enumerate(zip(saved, rows, strict=True), 1):
                    _record_history(participant, row, by=by)
                    if progress and done % SAVE_BATCH == 0:
                        progress(50 + done * 50 // len(rows))
            if progress:
                progress(100)
            return saved
    except IntegrityError as error:
        if not _is_duplicate_nik(error):
            raise
        raise ValidationError(
            _(
                "A participant with a NIK of this file was registered while it was being "
                "imported: nothing was imported. Check the file again."
            )
        ) from error


def copies() -> bool:
    """Whether rows are saved with COPY and set-based statements (PostgreSQL only)."""
    return connection.vendor == "postgresql" and settings.PARTICIPANT_IMPORT_COPY


def _is_duplicate_nik(error: IntegrityError) -> bool:
    """Whether the database refused a NIK already registered (the unique NIK)."""
    table = Participant._meta.db_table
    constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None) or ""
    return constraint == f"{table}_nik_key" or f"{table}.nik" in str(error)


class SavedParticipants(Sequence):
    """The participants an import saved, read from the database when asked for (a national
    import saves tens of thousands: most callers want only how many)."""

    def __init__(self, ids: list[int]):
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return list(self._read(self.ids[index]))
        return Participant.objects.select_related("cohort__program").get(pk=self.ids[index])

    def __iter__(self) -> Iterator[Participant]:
        return self._read(self.ids)

    @staticmethod
    def _read(ids: list[int]) -> Iterator[Participant]:
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            found = Participant.objects.select_related("cohort__program").in_bulk(chunk)
            yield from (found[pk] for pk in chunk)


def _save_through_orm(
    rows: list[ParsedRow], *, cohort, numbers, by, passport, historical: bool, progress
) -> list[Participant]:
    """Rows written in batches (participants, then their passports, each with its history
    record); a historical row's moves are recorded after its batch."""
    numbers = iter(numbers or [])
    saved = []
    for start in range(0, len(rows), SAVE_BATCH):
        chunk = rows[start : start + SAVE_BATCH]
        participants = [
            Participant(
                **row.fields,
                cohort=cohort,
                participant_number=next(numbers) if cohort is not None else "",
            )
            for row in chunk
        ]
        bulk_create_with_history(participants, Participant, default_user=by)
        documents = [
            Document(
                participant=participant,
                document_type=passport,
                number=row.passport_number,
                expires_on=row.passport_expiry,
                handled_by=by,
            )
            for participant, row in zip(participants, chunk, strict=True)
            if row.passport_number
        ]
        if documents:
            bulk_create_with_history(documents, Document, default_user=by)
        if historical:
            for participant, row in zip(participants, chunk, strict=True):
                _record_history(participant, row, by=by)
        saved.extend(participants)
        if progress:
            progress(len(saved) * 100 // len(rows))
    return saved


def _record_history(participant: Participant, row: ParsedRow, *, by) -> None:
    """The moves of someone who left before the system, dated as they happened."""
    steps = [Status.DEPARTED]
    if row.status in {Status.WORKING, Status.EXTENDED, Status.COMPLETED}:
        steps.append(Status.WORKING)
    if row.status in {Status.EXTENDED, Status.COMPLETED, Status.RETURNED_EARLY}:
        steps.append(row.status)
    previous = participant.status
    for step in steps:
        StatusChange.objects.create(
            participant=participant,
            kind=StatusChange.Kind.STATUS,
            from_status=previous,
            to_status=step,
            effective_date=row.departed_on,
            departure_date=row.departed_on if step == Status.DEPARTED else None,
            historical=True,
            recorded_by=by,
            from_cohort=participant.cohort,
            to_cohort=participant.cohort,
        )
        previous = step
    participant.status = row.status
    participant.departed_on = row.departed_on
    participant.save(update_fields=["status", "departed_on"])
    if row.contract_start:
        _record_contract(participant, row)


# The contract of someone already abroad, by the status they have now.
CONTRACT_STATUS_BY_PARTICIPANT = {
    Status.DEPARTED: Contract.Status.DRAFT,
    Status.WORKING: Contract.Status.ACTIVE,
    Status.EXTENDED: Contract.Status.ACTIVE,
    Status.COMPLETED: Contract.Status.COMPLETED,
    Status.RETURNED_EARLY: Contract.Status.TERMINATED,
}


def _record_contract(participant: Participant, row: ParsedRow) -> Contract:
    years = row.contract_years or participant.contract_years
    status = CONTRACT_STATUS_BY_PARTICIPANT[row.status]
    return Contract.objects.create(
        participant=participant,
        employer=row.employer,
        start_date=row.contract_start,
        term_years=years,
        end_date=contract_end(row.contract_start, years),
        status=status,
        end_reason=_("Returned early.") if status == Contract.Status.TERMINATED else "",
    )


EXAMPLE = {
    "full_name": "Siti Rahmah",
    "nik": "6371015802980001",
    "gender": "P",
    "birth_date": "1998-02-18",
    "birth_place": "Banjarmasin",
    "origin_regency": "63.71",
    "track": "tenaga kerja",
    "occupation": "care worker",
    "education": "D3 Keperawatan",
    "phone": "081234567890",
    "email": "siti@example.org",
    "name_katakana": "シティ・ラフマ",
    "passport_number": "C1234567",
    "passport_expiry": "2030-01-31",
    "ktp_street": "Jl. Pangeran Antasari No. 12",
    "ktp_rt_rw": "003/005",
    "ktp_village": "Pekapuran Raya",
    "ktp_district": "Banjarmasin Timur",
    "ktp_regency": "63.71",
    "ktp_postal_code": "70234",
    "domicile_street": "Jl. Sultan Adam No. 7",
    "domicile_rt_rw": "011/002",
    "domicile_village": "Sungai Jingah",
    "domicile_district": "Banjarmasin Utara",
    "domicile_regency": "63.71",
    "domicile_postal_code": "70122",
}
# Rows below the example formatted in advance: a NIK typed there stays text.
TEMPLATE_ROWS = 500


def template_csv() -> str:
    return spreadsheets.csv_bytes(COLUMNS, [[EXAMPLE[c] for c in COLUMNS]]).decode("utf-8-sig")


def allowed_values() -> list[tuple[str, str, str]]:
    """(column, what to write, what it means) for the columns that take a fixed set of
    values, in the active language."""
    rows = [
        ("gender", "L", Participant.Gender.MALE.label),
        ("gender", "P", Participant.Gender.FEMALE.label),
    ]
    rows += [
        ("track", "tenaga kerja", Participant.Track.WORKER.label),
        ("track", "penerima beasiswa", Participant.Track.SCHOLARSHIP.label),
    ]
    rows += [
        ("education", choice.label.split("/")[0], choice.label) for choice in Participant.Education
    ]
    rows += [
        ("status", status.value, status.label) for status in Status if status in HISTORICAL_STATUSES
    ]
    return [(column, code, str(label)) for column, code, label in rows]


def template_xlsx() -> bytes:
    """The import template as a workbook, in Indonesian: the columns with an example row (NIK,
    phone and the other digit columns kept as text), and a second sheet of allowed values."""
    from openpyxl import Workbook

    with translation.override("id"):
        book = Workbook()
        sheet = book.active
        sheet.title = "Peserta"
        columns = [spreadsheets.Column(name, text=name in TEXT_COLUMNS) for name in COLUMNS]
        spreadsheets.write_table(sheet, columns, [[EXAMPLE[c] for c in COLUMNS]])
        for index, column in enumerate(columns, start=1):
            if column.text:
                for row in range(3, 3 + TEMPLATE_ROWS):
                    sheet.cell(row=row, column=index).number_format = spreadsheets.TEXT_FORMAT
        choices = book.create_sheet(_("Allowed values"))
        spreadsheets.write_table(
            choices,
            [
                spreadsheets.Column(_("Column")),
                spreadsheets.Column(_("Write")),
                spreadsheets.Column(_("Meaning")),
            ],
            allowed_values(),
        )
        return spreadsheets.workbook_bytes(book)
