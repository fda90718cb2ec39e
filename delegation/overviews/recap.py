"""Rekapitulasi: counts by origin, gender, education, track and status, with totals, laid out
the way an Indonesian office pastes them into its reports."""

from __future__ import annotations

import io

from django.db.models import Count
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from participants.models import Participant

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def sections(people) -> list[tuple[str, list[tuple[str, int]]]]:
    def counts(field: str, labels: dict | None = None) -> list[tuple[str, int]]:
        rows = people.values_list(field).annotate(n=Count("id")).order_by("-n", field)
        return [(str((labels or {}).get(value, value or "—")), n) for value, n in rows]

    return [
        ("Kabupaten/Kota Asal", counts("origin__name")),
        ("Jenis Kelamin", counts("gender", dict(Participant.Gender.choices))),
        ("Pendidikan", counts("education_level", dict(Participant.Education.choices))),
        ("Jalur", counts("track", dict(Participant.Track.choices))),
        ("Status", counts("status", dict(Participant.Status.choices))),
    ]


def recap_xlsx(people, *, title: str, subtitle: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Rekapitulasi"
    sheet.append([f"REKAPITULASI PESERTA {title.upper()}"])
    sheet.append([subtitle])
    sheet["A1"].font = Font(bold=True, size=13)
    for name, rows in sections(people):
        sheet.append([])
        sheet.append([name.upper()])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        sheet.append(["No.", "Uraian", "Jumlah"])
        header = sheet.max_row
        for cell in sheet[header]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center")
            cell.border = BOX
        for index, (label, count) in enumerate(rows, start=1):
            sheet.append([index, label, count])
            for cell in sheet[sheet.max_row]:
                cell.border = BOX
        sheet.append(["", "Jumlah", sum(count for _label, count in rows)])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
            cell.border = BOX
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["C"].width = 10
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
