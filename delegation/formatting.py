"""Small formatting helpers shared by every app's pages, messages and prints.

Numbers go through Django's localisation, so Indonesian reads "1.234,5" and English
"1,234.5"; ``language="id"`` pins a print to Indonesian whatever the reader's language.
"""

from __future__ import annotations

from contextlib import nullcontext
from decimal import Decimal
from functools import cache

from django.utils import formats, translation
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
