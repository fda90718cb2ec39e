"""A local number written as bare digits is read without ``phonenumbers.parse`` (an import
reads tens of thousands): it must be read exactly as ``parse`` reads it."""

import phonenumbers
import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given, settings
from hypothesis import strategies as st

from participants.phones import normalise_phone

PREFIXES = ["0", "08", "081", "0812", "0813", "0852", "0881", "0800", "0809", "021", "0361", "0511"]


def parsed(text: str) -> str | None:
    """What ``parse`` makes of ``text`` in Indonesia: E.164, or None for no valid number."""
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalised(text: str) -> str | None:
    try:
        return normalise_phone(text)
    except ValidationError:
        return None


@settings(max_examples=1000, deadline=None)
@given(st.sampled_from(PREFIXES), st.text(alphabet="0123456789", min_size=0, max_size=13))
@example("08", "123456789")
@example("0", "8123456789012")
@example("021", "5550123")
@example("0", "0812345678")
def test_bare_local_digits_are_read_as_parse_reads_them(prefix, digits):
    text = prefix + digits
    assert normalised(text) == parsed(text)


@pytest.mark.parametrize("text", ["081234567890", "0812-3456-7890", "+6281234567890"])
def test_a_mobile_number_written_any_way_is_the_same_number(text):
    assert normalise_phone(text) == "+6281234567890"


# Digits of other scripts: ``\d`` matches them and ``int`` reads them, but a stored number is
# always ASCII (``parse`` turns them into 0-9).
OTHER_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
WIDE_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize(
    "text",
    [
        "081" + "234567890".translate(OTHER_DIGITS),
        "08" + "1234567890".translate(WIDE_DIGITS),
        "0812345" + "67890".translate(OTHER_DIGITS),
    ],
)
def test_digits_of_other_scripts_are_stored_as_ascii_digits(text):
    assert normalise_phone(text) == parsed(text) == "+6281234567890"


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(PREFIXES),
    st.text(alphabet="0123456789٠١٢٣٤٥٦٧٨٩０１２３４５６７８９", max_size=13),
)
def test_any_digits_after_a_local_prefix_are_read_as_parse_reads_them(prefix, digits):
    text = prefix + digits
    assert normalised(text) == parsed(text)
