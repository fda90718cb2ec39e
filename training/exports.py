"""Each participant's attendance by module, as a spreadsheet written by the core's writer:
a row per participant; per module the hours attended, the hours held and the rate; then the
same overall."""

from __future__ import annotations

import datetime

from django.utils import formats
from django.utils.translation import gettext as _
from openpyxl import Workbook

from cohorts.models import Cohort
from delegation.formatting import roman
from delegation.spreadsheets import Column, title_row, workbook_bytes, write_table
from participants.models import Participant
from training.models import Module, TrainingPlan
from training.progress import batch_hours

HOURS = "0.##"
RATE = "0.0"


def attendance_xlsx(
    cohort: Cohort, plan: TrainingPlan, participants: list[Participant], *, on: datetime.date
) -> bytes:
    hours = batch_hours(plan, on, [p.pk for p in participants])
    modules = list(Module.objects.filter(plan=plan))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Attendance")[:31]
    title_row(
        sheet,
        _("ATTENDANCE BY MODULE %(programme)s BATCH %(batch)s")
        % {"programme": cohort.program.name.upper(), "batch": roman(cohort.number)},
        size=13,
    )
    title_row(
        sheet,
        _("Hours attended (present or late) of the hours held up to %(date)s")
        % {"date": formats.date_format(on, "j F Y")},
    )
    title_row(sheet)
    columns = [
        Column(_("No.")),
        Column(_("Participant number"), text=True),
        Column(_("Full name")),
        Column(_("Status")),
    ]
    for name in [m.name for m in modules] + [_("Overall")]:
        columns += [
            Column(_("%(module)s: hours attended") % {"module": name}, number_format=HOURS),
            Column(_("%(module)s: hours held") % {"module": name}, number_format=HOURS),
            Column(_("%(module)s: %%") % {"module": name}, number_format=RATE),
        ]
    rows = []
    for index, person in enumerate(participants, start=1):
        row = [index, person.participant_number, person.full_name, person.get_status_display()]
        figures = hours[person.pk]
        for module in figures.modules:
            row += [module.attended, module.held, module.rate]
        row += [figures.attended, figures.held, figures.rate]
        rows.append(row)
    write_table(sheet, columns, rows)
    return workbook_bytes(workbook)
