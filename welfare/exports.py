"""The alumni directory as a row per returnee, on screen and in the spreadsheet. The phone
follows the trust rules: masked unless the user may see personal data in full."""

from __future__ import annotations

from django.utils.translation import gettext as _

from delegation.spreadsheets import Column, write_table
from participants.phones import format_phone
from participants.sensitive import can_reveal, mask_phone
from welfare.models import FollowUp, Return


def alumni_row(home: Return, *, user) -> dict:
    person = home.participant
    latest: FollowUp | None = next(iter(getattr(person, "answers", [])), None)
    phone = format_phone(latest.phone) if latest and latest.phone else ""
    return {
        "home": home,
        "person": person,
        "latest": latest,
        "phone": phone if can_reveal(user) else mask_phone(phone),
        "mentor": bool(latest and latest.willing_to_mentor),
        "speak": bool(latest and latest.willing_to_speak),
    }


def columns() -> list[Column]:
    return [
        Column(_("Participant number"), text=True),
        Column(_("Full name")),
        Column(_("Batch")),
        Column(_("Occupation abroad")),
        Column(_("Returned on")),
        Column(_("Kind of return")),
        Column(_("Latest follow-up (months)")),
        Column(_("What the person does now")),
        Column(_("Sector")),
        Column(_("Income band")),
        Column(_("Willing to mentor")),
        Column(_("Willing to speak at the training")),
        Column(_("Phone"), text=True),
        Column(_("E-mail")),
    ]


def alumni_sheet(sheet, returns, *, user) -> None:
    sheet.title = _("Alumni")[:31]
    yes, no = _("Yes"), _("No")

    def rows():
        for home in returns:
            row = alumni_row(home, user=user)
            person, latest = row["person"], row["latest"]
            yield [
                person.participant_number,
                person.full_name,
                str(person.cohort) if person.cohort else "",
                person.occupation,
                home.returned_on,
                home.get_kind_display(),
                latest.months if latest else "",
                latest.get_activity_display() if latest else "",
                latest.sector if latest else "",
                latest.get_income_band_display() if latest else "",
                yes if row["mentor"] else no,
                yes if row["speak"] else no,
                row["phone"],
                latest.email if latest else "",
            ]

    write_table(sheet, columns(), rows())
