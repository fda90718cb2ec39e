"""Small formatting helpers shared by every app's pages and prints."""

from functools import cache

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
