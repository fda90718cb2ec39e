"""The batch's readiness board as a spreadsheet: a row per participant, a column per
requirement, and the reasons; written by the core's spreadsheet writer."""

from __future__ import annotations

import datetime

from django.utils import formats
from django.utils.translation import gettext as _
from openpyxl import Workbook

from cohorts.models import Cohort
from delegation.formatting import roman
from delegation.spreadsheets import Column, title_row, workbook_bytes, write_table


def readiness_xlsx(cohort: Cohort, board: dict | None, *, on: datetime.date) -> bytes:
    """``board`` as ``readiness_board`` builds it (None: nobody to show)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Readiness")[:31]
    title_row(
        sheet,
        _("READINESS FOR DEPARTURE %(programme)s BATCH %(batch)s")
        % {"programme": cohort.program.name.upper(), "batch": roman(cohort.number)},
        size=13,
    )
    title_row(sheet, _("As of %(date)s") % {"date": formats.date_format(on, "j F Y")})
    title_row(sheet)
    requirements = board["columns"] if board else []
    met, unmet = _("Met"), _("Not met")
    write_table(
        sheet,
        [
            Column(_("No.")),
            Column(_("Participant number"), text=True),
            Column(_("Full name")),
            Column(_("Status")),
            Column(_("Ready")),
            Column(_("Reference date")),
            Column(_("Attendance so far (%)")),
            *[Column(str(label)) for label in requirements],
            Column(_("What is missing")),
        ],
        (
            [
                index,
                row["participant"].participant_number,
                row["participant"].full_name,
                row["participant"].get_status_display()
                + (" · " + _("at departure") if row["stored"] else ""),
                _("Yes") if row["ready"] else _("No"),
                _day(row["reference_date"]),
                row["attendance_so_far"],
                *[
                    None if cell["met"] is None else met if cell["met"] else unmet
                    for cell in row["cells"]
                ],
                "\n".join(row["missing"]),
            ]
            for index, row in enumerate(board["rows"] if board else [], start=1)
        ),
    )
    return workbook_bytes(workbook)


def _day(value) -> datetime.date:
    """A live result carries a date, a stored one its ISO text."""
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    return value
