"""The NIK check: one function for the forms, the import and the admin.

A NIK (Nomor Induk Kependudukan) has 16 digits: province (2), regency (2), district (2),
birth date as DDMMYY with 40 added to the day for women (6), and a serial (4).

``check_nik`` separates two kinds of findings:

* **errors**: the number cannot be a NIK (length, unknown province, impossible date digits,
  serial 0000). Such a NIK is always refused.
* **problems**: the number could be a NIK but disagrees with the person (regency code
  unknown, date digits against the birth date, the +40 for women). An import refuses the row;
  the single-person form accepts it only with a written reason.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

FEMALE = "F"
MALE = "M"


@dataclass(frozen=True)
class NikCheck:
    nik: str
    errors: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        """A well-formed NIK (it may still have consistency problems)."""
        return not self.errors

    @property
    def is_consistent(self) -> bool:
        return not self.errors and not self.problems

    @property
    def regency_code(self) -> str:
        return f"{self.nik[0:2]}.{self.nik[2:4]}"


def normalise_nik(raw: str) -> str:
    """Drop the spaces, dots and dashes people type between the digit groups."""
    return "".join(ch for ch in str(raw or "") if ch not in " .-\u00a0\t")


def _date_digits(nik: str) -> tuple[int, int, int]:
    return int(nik[6:8]), int(nik[8:10]), int(nik[10:12])


def is_well_formed(nik: str) -> bool:
    """Sixteen digits 0-9 (``str.isdigit`` alone also takes "²" and other scripts' digits)."""
    return len(nik) == 16 and nik.isascii() and nik.isdigit()


def check_nik(
    raw: str,
    *,
    province_codes: Collection[str],
    regency_codes: Collection[str],
    birth_date: datetime.date | None = None,
    gender: str | None = None,
) -> NikCheck:
    nik = normalise_nik(raw)
    result = NikCheck(nik=nik)
    if not is_well_formed(nik):
        digits_only = nik.isascii() and nik.isdigit()
        result.errors.append(
            _("A NIK has exactly 16 digits; this one has %(count)d.") % {"count": len(nik)}
            if digits_only
            else _("A NIK has only digits.")
        )
        return result
    if nik[0:2] not in province_codes:
        result.errors.append(
            _("Digits 1–2 (%(code)s) are not a province code.") % {"code": nik[0:2]}
        )
    day, month, year = _date_digits(nik)
    birth_day = day - 40 if day > 40 else day
    try:
        # Any year works for the check: 2000 is a leap year, so 29 February passes.
        datetime.date(2000, month, birth_day)
    except ValueError:
        result.errors.append(
            _("Digits 7–12 (%(digits)s) are not a date of birth.") % {"digits": nik[6:12]}
        )
        return result
    if nik[12:16] == "0000":
        result.errors.append(_("Digits 13–16 (the serial number) cannot be 0000."))
    if result.errors:
        return result

    if result.regency_code not in regency_codes:
        result.problems.append(
            _("Digits 1–4 (%(code)s) are not a known regency or city: it may be an old code.")
            % {"code": result.regency_code}
        )
    nik_date = (birth_day, month, year)
    if birth_date is not None and nik_date != (
        birth_date.day,
        birth_date.month,
        birth_date.year % 100,
    ):
        result.problems.append(
            _(
                "Digits 7–12 (%(digits)s) give the birth date %(nik_date)s, "
                "but the birth date is %(birth_date)s."
            )
            % {
                "digits": nik[6:12],
                "nik_date": f"{birth_day:02d}-{month:02d}-{year:02d}",
                "birth_date": birth_date.strftime("%d-%m-%Y"),
            }
        )
    if gender == FEMALE and day <= 40:
        result.problems.append(
            _("For a woman the day in digits 7–8 is raised by 40 (%(expected)02d, not %(day)02d).")
            % {"expected": day + 40, "day": day}
        )
    elif gender == MALE and day > 40:
        result.problems.append(
            _("Digits 7–8 (%(day)02d) are a woman's day of birth (raised by 40), for a man.")
            % {"day": day}
        )
    return result
