"""Phone numbers: stored in E.164 (+6281234567890), shown the way people write them."""

from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_REGION = "ID"
# A local number written as bare digits (081234567890), as an import's rows mostly are: its
# national number is the digits after the 0, so it is checked without ``parse``, which reads
# every other way of writing a number and takes most of the time. Anything else, or a number
# this finds invalid, goes through ``parse`` (same result, tested). ASCII digits only: ``\d``
# also matches other scripts' digits, which ``int`` reads but a stored number never holds.
LOCAL_DIGITS = re.compile(r"0[1-9][0-9]{6,12}")


def normalise_phone(raw: str, *, region: str = DEFAULT_REGION) -> str:
    """Return the number in E.164; a local number is read as Indonesian."""
    text = (raw or "").strip()
    if not text:
        return ""
    if LOCAL_DIGITS.fullmatch(text):
        code = phonenumbers.country_code_for_region(region)
        local = phonenumbers.PhoneNumber(country_code=code, national_number=int(text[1:]))
        if phonenumbers.is_valid_number(local):
            return f"+{code}{text[1:]}"
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _(
                "“%(value)s” is not a phone number: write it like 0812-3456-7890 "
                "or +81 90-1234-5678."
            )
            % {"value": text}
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """Indonesian numbers in local form (0812-3456-7890), others in international form."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == DEFAULT_REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
