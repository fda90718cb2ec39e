"""Masking of personal data (NIK, passport number, birth date, phone, address).

Pages and exports show these masked unless the user holds ``participants.view_sensitive``;
even then a page reveals them only through a logged "show" action.
"""

from __future__ import annotations

import datetime

MASK = "•"


def can_reveal(user) -> bool:
    return user.has_perm("participants.view_sensitive")


def mask_number(value: str, *, keep_start: int = 4, keep_end: int = 2) -> str:
    """6371********01: enough to tell two people apart, not enough to use the number."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return MASK * len(value)
    return value[:keep_start] + MASK * (len(value) - keep_start - keep_end) + value[-keep_end:]


def mask_date(value: datetime.date | None) -> str:
    return f"{MASK * 2}-{MASK * 2}-{value.year}" if value else ""


def mask_phone(formatted: str) -> str:
    if not formatted:
        return ""
    visible = 4
    digits_seen = 0
    out = []
    for ch in reversed(formatted):
        if ch.isdigit():
            digits_seen += 1
            out.append(ch if digits_seen <= visible else MASK)
        else:
            out.append(ch)
    masked = "".join(reversed(out))
    # Keep the operator prefix (0812, +81) readable.
    return formatted[:4] + masked[4:]


def mask_text(value: str) -> str:
    return MASK * 6 if value else ""
