"""The participant list as CSV or XLSX, masked unless the user may see personal data, and a
programme's cost lines with their summary as XLSX; written by the core's spreadsheet writer
(text stays text)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook

from delegation.spreadsheets import Column, csv_bytes, workbook_bytes, write_table
from participants.cost_summary import CostSummary
from participants.models import CostItem
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


def costs_xlsx(items, *, summary: CostSummary) -> bytes:
    """The cost lines shown (one sheet, those that break the programme's promise marked)
    and their summary by category and payer (a second sheet), the city's operating costs
    apart."""
    flagged = {item.pk for item in summary.flagged}
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Cost lines")[:31]
    write_table(
        sheet,
        [
            Column(_("Date")),
            Column(_("Batch")),
            Column(_("Participant")),
            Column(_("Category")),
            Column(_("Paid by")),
            Column(_("Amount"), number_format="#,##0.00"),
            Column(_("Currency")),
            Column(_("Rate to IDR"), number_format="#,##0.######"),
            Column(_("Amount in IDR"), number_format="#,##0"),
            Column(_("Description")),
            Column(_("Reference")),
            Column(_("Breaks the promise")),
        ],
        (
            [
                item.date,
                str(item.cohort or ""),
                str(item.participant or ""),
                item.get_category_display(),
                item.get_payer_display(),
                item.amount,
                item.currency,
                item.rate_to_idr,
                item.amount_idr,
                item.description,
                item.reference,
                _("Yes") if item.pk in flagged else "",
            ]
            for item in items
        ),
    )
    money = "#,##0"
    write_table(
        workbook.create_sheet(_("Summary")[:31]),
        [
            Column(_("Category")),
            *[Column(str(label), number_format=money) for label in CostItem.Payer.labels],
            Column(_("Total"), number_format=money),
        ],
        [
            *([row.label, *row.by_payer, row.total] for row in summary.rows + summary.operating),
            [_("Programme costs"), *summary.payer_totals, summary.programme_total],
            [_("The city's operating costs"), "", "", "", summary.operating_total],
        ],
    )
    return workbook_bytes(workbook)
