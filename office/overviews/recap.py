"""Rekapitulasi: counts by origin, gender, education, track and status, with totals, laid out
the way an Indonesian office pastes them into its reports."""

from __future__ import annotations

from django.db.models import Count
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Side

from delegation.spreadsheets import append, print_ready, title_row, workbook_bytes
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
    title_row(sheet, f"REKAPITULASI PESERTA {title.upper()}", size=13)
    title_row(sheet, subtitle)
    for name, rows in sections(people):
        title_row(sheet)
        title_row(sheet, name.upper(), size=11)
        header = append(sheet, ["No.", "Uraian", "Jumlah"], bold=True)
        for cell in sheet[header]:
            cell.alignment = Alignment(horizontal="center")
            cell.border = BOX
        for index, (label, count) in enumerate(rows, start=1):
            for cell in sheet[append(sheet, [index, label, count])]:
                cell.border = BOX
        total = append(sheet, ["", "Jumlah", sum(count for _label, count in rows)], bold=True)
        for cell in sheet[total]:
            cell.border = BOX
    print_ready(sheet, header_row=2, columns=3, title_rows="1:2")
    return workbook_bytes(workbook)
