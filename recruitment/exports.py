"""The rank list as XLSX, written by the core's spreadsheet writer (text stays text).
It carries names, origin, track, results and outcome: never a NIK."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook

from delegation.spreadsheets import Column, title_row, workbook_bytes, write_table
from recruitment.models import Call


def rank_list_xlsx(call: Call, rows) -> bytes:
    stages = list(call.stages.order_by("order"))
    columns = [
        Column(_("Rank")),
        Column(_("Registration number"), text=True),
        Column(_("Name")),
        Column(_("Regency/city (KTP)")),
        Column(_("Track")),
        *[Column(stage.name, number_format="0.00") for stage in stages],
        Column(_("Weighted total"), number_format="0.00"),
        Column(_("Outcome")),
        Column(_("Why")),
    ]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Ranking")[:31]
    title_row(sheet, f"{call.title} — {call.cohort}")

    def values():
        for row in rows:
            application = row.application
            results = []
            for result in row.results:
                if result.stage.is_scored:
                    results.append(result.result)
                elif result.passed is None:
                    results.append("")
                else:
                    results.append(_("Passed") if result.passed else _("Failed"))
            yield [
                row.rank,
                application.registration_number,
                application.full_name,
                application.ktp_regency.name,
                application.get_track_display(),
                *results,
                row.total,
                row.outcome_label,
                row.reason,
            ]

    write_table(sheet, columns, values())
    return workbook_bytes(workbook)
