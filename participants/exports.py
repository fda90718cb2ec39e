"""The participant list as CSV or XLSX, masked unless the user may see personal data."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from participants.phones import format_phone
from participants.sensitive import mask_date, mask_number, mask_phone


def headers() -> list[str]:
    return [
        _("Participant number"),
        _("Full name"),
        _("NIK"),
        _("Gender"),
        _("Birth date"),
        _("Regency/city of origin"),
        _("Track"),
        _("Batch"),
        _("Status"),
        _("Phone"),
        _("E-mail"),
        _("Education"),
        _("Occupation abroad"),
    ]


def rows(participants, *, reveal: bool):
    for p in participants:
        phone = format_phone(p.phone)
        yield [
            p.participant_number,
            p.full_name,
            p.nik if reveal else mask_number(p.nik),
            p.get_gender_display(),
            p.birth_date.isoformat() if reveal else mask_date(p.birth_date),
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
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers())
    writer.writerows(rows(participants, reveal=reveal))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(participants, *, reveal: bool) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Participants")[:31]
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(participants, reveal=reveal):
        sheet.append(row)
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 45)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
