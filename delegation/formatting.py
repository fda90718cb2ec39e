"""Small formatting helpers shared by every app's pages, messages and prints.

Numbers go through Django's localisation, so Indonesian reads "1.234,5" and English
"1,234.5"; ``language="id"`` pins a print to Indonesian whatever the reader's language.
Dates and times on prints are written as Indonesian offices write them ("18 Februari 2026",
"09.00 WITA", the date in words of official minutes).
"""

from __future__ import annotations

import datetime
from contextlib import nullcontext
from decimal import Decimal
from functools import cache

from django.utils import formats, timezone, translation
from django.utils.text import slugify

_ROMAN = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]


@cache  # batch numbers are few and are named on every page that lists batches
def roman(number: int) -> str:
    """Batch numbers print in Roman numerals: ``roman(4) == "IV"``."""
    if number < 1:
        raise ValueError("Roman numerals start at 1.")
    parts = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        parts.append(letters * count)
    return "".join(parts)


def number(value, decimals: int | None = None, *, language: str | None = None) -> str:
    """A number with the language's separators: ``number(Decimal("1234.50"))`` is
    "1.234,5" in Indonesian and "1,234.5" in English. With ``decimals`` None the digits are
    those the value needs (719.0 prints "719"); otherwise exactly ``decimals`` of them.
    Empty for None."""
    if value is None or value == "":
        return ""
    value = Decimal(str(value))
    if decimals is None:
        exponent = value.normalize().as_tuple().exponent
        decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    else:
        value = value.quantize(Decimal(1).scaleb(-decimals))
    with translation.override(language) if language else nullcontext():
        return formats.number_format(value, decimals, use_l10n=True, force_grouping=True)


def percent(value, decimals: int | None = None, *, language: str | None = None) -> str:
    """ "66,7%": the percent sign written together with the number, as Indonesian spells it."""
    shown = number(value, decimals, language=language)
    return f"{shown}%" if shown else ""


def rupiah(amount, *, language: str | None = None) -> str:
    """ "Rp20.072.500": whole rupiah, the symbol written together with the number."""
    shown = number(amount, 0, language=language)
    return f"Rp{shown}" if shown else ""


def money(amount, currency: str, *, language: str | None = None) -> str:
    """An amount in its currency: rupiah as "Rp1.500.000", others as "1.250,00 JPY"."""
    if currency == "IDR":
        return rupiah(amount, language=language)
    shown = number(amount, 2, language=language)
    return f"{shown} {currency}" if shown else ""


def person_name(user) -> str:
    """A staff account as people read it: the full name, the username when none is recorded."""
    return user.get_full_name() or user.get_username()


def file_name(*parts, extension: str) -> str:
    """A download's name from what it holds, each part slugged, parts joined by "_":
    ``file_name("Daftar peserta", "kaikoukai", "Angkatan 4", date(2026, 2, 18),
    extension="xlsx") == "daftar-peserta_kaikoukai_angkatan-4_2026-02-18.xlsx"``.
    Empty parts are left out; the name is plain ASCII, safe in a header."""
    slugs = [slugify(str(part)) for part in parts if part is not None]
    return "_".join(slug for slug in slugs if slug) + "." + extension


NUMBERS = [
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
]


def indonesian_date(day: datetime.date, *, weekday: bool = False) -> str:
    """ "Rabu, 18 Februari 2026" (or without the weekday), whatever the active language."""
    with translation.override("id"):
        return formats.date_format(day, "l, j F Y" if weekday else "j F Y")


def local_time(moment: datetime.datetime) -> str:
    """ "09.00 WITA"."""
    return formats.date_format(timezone.localtime(moment), "H.i T")


def spelled(number: int) -> str:
    """Numbers in words, as minutes of handover write them ("lima belas", "dua ribu dua
    puluh enam")."""
    if number < 0:
        raise ValueError("Only whole numbers from zero up are spelled.")
    if number < 12:
        return NUMBERS[number]
    if number < 20:
        return f"{NUMBERS[number - 10]} belas"
    for size, word, one in (
        (1_000_000_000, "miliar", "satu miliar"),
        (1_000_000, "juta", "satu juta"),
        (1000, "ribu", "seribu"),
        (100, "ratus", "seratus"),
        (10, "puluh", "sepuluh"),
    ):
        if number >= size:
            lead, rest = divmod(number, size)
            words = one if lead == 1 else f"{spelled(lead)} {word}"
            return f"{words} {spelled(rest)}" if rest else words
    return NUMBERS[number]  # pragma: no cover - every number below 10 returned above


def date_in_words(day: datetime.date) -> str:
    """The date as official minutes open with it ("Pada hari ini …"): "Rabu tanggal
    delapan belas bulan Februari tahun dua ribu dua puluh enam"."""
    with translation.override("id"):
        weekday = formats.date_format(day, "l")
        month = formats.date_format(day, "F")
    return f"{weekday} tanggal {spelled(day.day)} bulan {month} tahun {spelled(day.year)}"


def generated_note(user_name: str) -> str:
    """The "generated by" line at the foot of every print."""
    stamp = formats.date_format(timezone.localtime(), "j F Y H.i T")
    return f"Dibuat oleh sistem pada {stamp}" + (f" oleh {user_name}" if user_name else "")
