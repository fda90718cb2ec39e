"""Template filters: dates and times as Indonesian offices write them, and filter drop-downs."""

import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

from delegation import formatting

register = template.Library()


@register.filter
def long_date(value: datetime.date | datetime.datetime | None) -> str:
    """ "Rabu, 18 Februari 2026" (in the active language)."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return date_format(value, "l, j F Y")


@register.filter
def local_time(value: datetime.datetime | None) -> str:
    """ "09.00 WITA": the local time with its zone's abbreviation."""
    if not value:
        return ""
    return date_format(timezone.localtime(value), "H.i T")


@register.filter
def number(value, decimals=None) -> str:
    """ "1.234,5" (Indonesian) or "1,234.5" (English); ``|number:2`` for two decimals."""
    return formatting.number(value, None if decimals in (None, "") else int(decimals))


@register.filter
def percent(value, decimals=None) -> str:
    """ "66,7%"; empty for None."""
    return formatting.percent(value, None if decimals in (None, "") else int(decimals))


@register.filter
def rupiah(value) -> str:
    """ "Rp20.072.500"."""
    return formatting.rupiah(value)


@register.filter
def money(value, currency: str) -> str:
    """ "Rp1.500.000" for rupiah, "1.250,00 JPY" for other currencies."""
    return formatting.money(value, currency)


@register.filter
def person(user) -> str:
    """A staff account as people read it: the full name (the username when none is kept)."""
    return formatting.person_name(user) if user else ""


@register.filter
def select_widget(field) -> str:
    """A filter form's drop-down as Bootstrap draws it, marked invalid when it has errors.

    What crispy-forms draws for a select, without its templates: the participant list has
    seven such fields on every page view.
    """
    return field.as_widget(
        attrs={"class": "form-select is-invalid" if field.errors else "form-select"}
    )
