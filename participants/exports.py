"""The participant list as CSV or XLSX, masked unless the user may see personal data,
written by the core's spreadsheet writer (text stays text)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook

from delegation.spreadsheets import Column, csv_bytes, workbook_bytes, write_table
from participants.phones import format_phone
from participants.sensitive import mask_date, mask_number, mask_phone


def columns() -> list[Column]:
    return [
        Column(_("Participant number"), text=True),
        Column(_("Full name")),
        Column(_("NIK"), text=True),
        Column(_("Gender")),
        Column(_("Birth date")),
        Column(_("Regency/city of origin")),
        Column(_("Track")),
        Column(_("Batch")),
        Column(_("Status")),
        Column(_("Phone"), text=True),
        Column(_("E-mail")),
        Column(_("Education")),
        Column(_("Occupation abroad")),
    ]


def headers() -> list[str]:
    return [column.header for column in columns()]


def rows(participants, *, reveal: bool):
    for p in participants:
        phone = format_phone(p.phone)
        yield [
            p.participant_number,
            p.full_name,
            p.nik if reveal else mask_number(p.nik),
            p.get_gender_display(),
            p.birth_date if reveal else mask_date(p.birth_date),
            p.origin.name,
            p.get_track_display(),
            str(p.cohort) if p.cohort else "",
            p.get_status_display(),
            phone if reveal else mask_phone(phone),
            p.email,
            " ".join(x for x in [p.get_education_level_display(), p.education_field] if x),
            p.occupation,
        ]


def as_csv(participants, *, reveal: bool) -> bytes:
    return csv_bytes(headers(), rows(participants, reveal=reveal))


def as_xlsx(participants, *, reveal: bool) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Participants")[:31]
    write_table(sheet, columns(), rows(participants, reveal=reveal))
    return workbook_bytes(workbook)
