"""Whole numbers read from what a user typed (query strings, search boxes).

``str.isdigit`` is not enough before ``int``: it accepts superscripts such as "²", which
``int`` refuses, and a year like 99999 passes ``int`` but not ``datetime.date``.
"""

from __future__ import annotations


def whole_number(text: str | None, *, minimum: int = 0, maximum: int = 2**31 - 1) -> int | None:
    """The number written in ``text`` if it lies in the range, else None."""
    value = (text or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > len(str(maximum)):
        return None
    number = int(value)
    return number if minimum <= number <= maximum else None
