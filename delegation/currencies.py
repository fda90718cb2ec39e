"""Plausible exchange rates against the rupiah, to catch a rate typed wrong.

A cost line in a foreign currency carries its rate to IDR. A rate of 1 for yen, or a rate
off by a factor of a thousand, turns a real cost into nonsense without anyone noticing: each
common currency has a wide band of rupiah per unit that covers its rate over recent years
with room to spare. A rate outside its band is refused unless the person recording it
confirms it with a written reason (kept on the line). Widen a band here when the rupiah
moves past it.

It also holds the currencies a form offers: a compact ISO 4217 list (the currencies of the
countries that send or receive workers and of the main trading partners), the programme's own
first. No currency library is installed; a code not listed here is still a valid ISO code for
the models (three capitals): add it here when a programme needs it.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

D = Decimal

# Rupiah per one unit of the currency: (lowest plausible, highest plausible).
PLAUSIBLE_RATES: dict[str, tuple[Decimal, Decimal]] = {
    "JPY": (D(80), D(200)),
    "USD": (D(12_000), D(20_000)),
    "EUR": (D(13_000), D(24_000)),
    "GBP": (D(15_000), D(27_000)),
    "SGD": (D(9_000), D(15_000)),
    "MYR": (D(2_800), D(4_800)),
    "SAR": (D(3_200), D(5_500)),
    "AED": (D(3_200), D(5_500)),
    "QAR": (D(3_200), D(5_500)),
    "KWD": (D(40_000), D(66_000)),
    "KRW": (D(8), D(16)),
    "TWD": (D(380), D(650)),
    "HKD": (D(1_500), D(2_600)),
    "CNY": (D(1_700), D(2_800)),
    "AUD": (D(8_500), D(14_000)),
    "NZD": (D(7_500), D(12_500)),
}


def rate_problem(currency: str, rate: Decimal) -> str | None:
    """Why ``rate`` rupiah per unit of ``currency`` looks wrong, or None when it is plausible.

    IDR is left to the caller (its rate is 1). A currency without a band is only refused a
    rate of 1, which says the amount was already in rupiah.
    """
    if currency == "IDR":
        return None
    band = PLAUSIBLE_RATES.get(currency)
    if band is None:
        if rate == 1:
            return _(
                "A rate of 1 means the amount is already in rupiah: give how many rupiah "
                "one %(currency)s was worth."
            ) % {"currency": currency}
        return None
    low, high = band
    if low <= rate <= high:
        return None
    return _(
        "1 %(currency)s at %(rate)s rupiah is outside the usual range "
        "(%(low)s–%(high)s rupiah): check the rate."
    ) % {"currency": currency, "rate": _number(rate), "low": _number(low), "high": _number(high)}


def _number(value: Decimal) -> str:
    """12000 as "12.000", 0.5 as "0,5": as Indonesian offices write numbers."""
    whole, _dot, fraction = f"{value.normalize():f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{grouped},{fraction}" if fraction else grouped


# ISO 4217 code and its English name, by code.
ISO_4217: dict[str, str] = {
    "AED": "UAE dirham",
    "AUD": "Australian dollar",
    "BND": "Brunei dollar",
    "BRL": "Brazilian real",
    "CAD": "Canadian dollar",
    "CHF": "Swiss franc",
    "CNY": "Chinese yuan renminbi",
    "DKK": "Danish krone",
    "EUR": "Euro",
    "GBP": "Pound sterling",
    "HKD": "Hong Kong dollar",
    "IDR": "Indonesian rupiah",
    "INR": "Indian rupee",
    "JPY": "Japanese yen",
    "KRW": "South Korean won",
    "KWD": "Kuwaiti dinar",
    "MYR": "Malaysian ringgit",
    "NOK": "Norwegian krone",
    "NZD": "New Zealand dollar",
    "OMR": "Omani rial",
    "PHP": "Philippine peso",
    "QAR": "Qatari riyal",
    "SAR": "Saudi riyal",
    "SEK": "Swedish krona",
    "SGD": "Singapore dollar",
    "THB": "Thai baht",
    "TWD": "New Taiwan dollar",
    "USD": "US dollar",
    "VND": "Vietnamese dong",
}


def currency_choices(first: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Choices "JPY — Japanese yen", the codes in ``first`` (a programme's) at the top in
    their order, then the rest by code. A code of ``first`` not in the list is kept."""
    leading = list(dict.fromkeys(code.upper() for code in first if code))
    rest = [code for code in ISO_4217 if code not in leading]
    return [(code, f"{code} — {ISO_4217.get(code, code)}") for code in [*leading, *rest]]
