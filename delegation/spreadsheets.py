"""The one writer of every spreadsheet (XLSX) and CSV file the application hands out.

Text is stored as text, never as a formula. A participant's name or occupation is typed by
people outside the office; a value beginning with ``=``, ``+``, ``-`` or ``@`` must not run
as a formula in the spreadsheet program of whoever opens the export:

* in XLSX every text cell is written with the string data type (openpyxl would otherwise
  store a ``str`` beginning with ``=`` as a formula); numbers and dates stay typed cells;
* in CSV, which has no types, a text value beginning with ``=``, ``+``, ``-``, ``@``, a tab or
  a carriage return gets one leading apostrophe (the OWASP rule), so a spreadsheet program
  shows it as text. Numbers and dates are written plainly.

XLSX sheets are also made ready to print in an Indonesian office: A4, landscape when the
table is wide, fit to the page's width, the header row bold, frozen and repeated on every
printed page, column widths from their content (bounded), and the columns declared ``text``
(NIK, phone numbers, participant numbers) stored as text with the text number format ``@``,
so a NIK never turns into 6.37102E+15.

Characters that XML cannot carry (control characters other than tab and line feed, U+FFFE,
U+FFFF, lone surrogates) are dropped from XLSX text, and a carriage return becomes a line
feed (XML reads every line end as one); everything else is kept as it was.

Usage::

    book = Workbook()
    sheet = book.active
    title_row(sheet, "DAFTAR PESERTA")
    write_table(sheet, [Column("No."), Column("NIK", text=True)], rows)
    content = workbook_bytes(book)

This module imports no app.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

# A CSV cell starting with one of these is read as a formula (or pads one) by spreadsheet
# programs: OWASP's list.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

TEXT_FORMAT = "@"
DATE_FORMAT = "dd/mm/yyyy"
WIDE = 6  # more columns than this print landscape
MIN_WIDTH, MAX_WIDTH = 6, 50
HEADER_WIDTH = 24  # a long header wraps rather than widening its column past this

_NOT_IN_XML = re.compile("[^\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NUMBERS = (int, float, Decimal)


@dataclass(frozen=True)
class Column:
    """A column of a table: its header, and whether its values are kept as text.

    ``text=True`` is for digits that are not numbers (NIK, phone, participant number): the
    cells get the ``@`` format and any number given is written as its text.
    ``number_format`` formats typed numbers (``"0.0"``, ``"#,##0"``).
    """

    header: str
    text: bool = False
    number_format: str | None = None


# ---- CSV --------------------------------------------------------------------------------


def csv_cell(value) -> str:
    """A value as CSV text: text that would start a formula gets one leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, _NUMBERS):
        return str(value)
    if isinstance(value, datetime.datetime):
        return _local(value).isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def csv_bytes(header: Sequence, rows: Iterable[Sequence]) -> bytes:
    """A CSV file in UTF-8 with a byte-order mark (so Excel reads it as UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(value) for value in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# ---- XLSX cells -------------------------------------------------------------------------


def xlsx_text(value) -> str:
    """The text an XLSX cell keeps of ``value``: line ends as line feeds, nothing XML refuses."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_IN_XML.sub("", text)


def put(sheet: Worksheet, row: int, column: int, value, *, text: bool = False) -> Cell:
    """Write one cell: numbers and dates typed, everything else a string, never a formula."""
    cell = sheet.cell(row=row, column=column)
    if value is None or value == "":
        cell.value = None
    elif isinstance(value, _NUMBERS) and not text:  # bool is an int: typed too
        cell.value = value
    elif isinstance(value, datetime.date) and not text:
        cell.value = _local(value) if isinstance(value, datetime.datetime) else value
        cell.number_format = DATE_FORMAT if type(value) is datetime.date else "dd/mm/yyyy hh:mm"
    else:
        kept = xlsx_text(value)
        cell.value = kept or None
        if kept:
            cell.data_type = "s"  # openpyxl takes a str starting with "=" for a formula
    if text:
        cell.number_format = TEXT_FORMAT
    return cell


def append(
    sheet: Worksheet, values: Sequence, *, text: Sequence[bool] = (), bold: bool = False
) -> int:
    """Write ``values`` as the next row (``text[i]`` marks a text column); its number."""
    row = _next_row(sheet)
    for index, value in enumerate(values):
        cell = put(sheet, row, index + 1, value, text=index < len(text) and text[index])
        if bold:
            cell.font = Font(bold=True)
    return row


def title_row(sheet: Worksheet, text: str = "", *, size: int | None = None) -> int:
    """A line above the table (title, place and date); an empty string leaves a blank row."""
    row = _next_row(sheet)
    cell = put(sheet, row, 1, text)
    if text and size:
        cell.font = Font(bold=True, size=size)
    return row


# ---- XLSX tables and pages --------------------------------------------------------------


def write_table(sheet: Worksheet, columns: Sequence[Column], rows: Iterable[Sequence]) -> int:
    """The header row and the rows, and the sheet made ready to print; the header's row."""
    header = append(sheet, [column.header for column in columns], bold=True)
    for cell in sheet[header]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    text = [column.text for column in columns]
    formats = [column.number_format for column in columns]
    for values in rows:
        row = append(sheet, values, text=text)
        for index, number_format in enumerate(formats):
            cell = sheet.cell(row=row, column=index + 1)
            if number_format and isinstance(cell.value, _NUMBERS):
                cell.number_format = number_format
    print_ready(sheet, header_row=header, columns=len(columns))
    return header


def print_ready(
    sheet: Worksheet,
    *,
    header_row: int,
    columns: int,
    title_rows: str | None = None,
) -> None:
    """A4, landscape past six columns, one page wide, the header frozen and repeated
    (``title_rows`` to repeat others, e.g. ``"1:2"``), column widths from the content at and
    below the header, bounded."""
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = (
        sheet.ORIENTATION_LANDSCAPE if columns > WIDE else sheet.ORIENTATION_PORTRAIT
    )
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.print_title_rows = title_rows or f"{header_row}:{header_row}"
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1).coordinate
    sheet.print_options.horizontalCentered = True
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    # A line with text in its first cell alone is a title: it runs on over the empty cells
    # to its right and does not widen its column.
    titles = {
        row[0].row
        for row in sheet.iter_rows(min_row=header_row)
        if row[0].value is not None and all(cell.value is None for cell in row[1:])
    }
    for index in range(1, columns + 1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = _width(sheet, index, header_row, titles)


def _width(sheet: Worksheet, column: int, header_row: int, titles: set[int]) -> float:
    widest = 0
    for (cell,) in sheet.iter_rows(min_row=header_row, min_col=column, max_col=column):
        if cell.row in titles:
            continue
        shown = _shown(cell.value)
        if cell.row == header_row:
            shown = min(shown, HEADER_WIDTH)
        widest = max(widest, shown)
    return min(max(widest + 2, MIN_WIDTH), MAX_WIDTH)


def _shown(value) -> int:
    """Roughly how many character widths a value takes: wide (East Asian) characters two."""
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    longest = max(str(value).split("\n"), key=len)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in longest)


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---- responses ----------------------------------------------------------------------------


def xlsx_response(content: bytes, file_name: str) -> HttpResponse:
    return _download(content, XLSX_CONTENT_TYPE, file_name)


def csv_response(content: bytes, file_name: str) -> HttpResponse:
    return _download(content, CSV_CONTENT_TYPE, file_name)


def _download(content: bytes, content_type: str, file_name: str) -> HttpResponse:
    """An attachment no browser or proxy keeps: exports carry personal data."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response["Cache-Control"] = "no-store"
    return response


def _next_row(sheet: Worksheet) -> int:
    """The row after the last one written, as openpyxl's own ``append`` counts it."""
    return sheet._current_row + 1


def _local(moment: datetime.datetime) -> datetime.datetime:
    """Spreadsheets know no time zones: an aware moment as local wall time."""
    if timezone.is_aware(moment):
        return timezone.localtime(moment).replace(tzinfo=None)
    return moment
