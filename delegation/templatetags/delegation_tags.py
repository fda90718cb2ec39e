"""Template filters for dates and times as Indonesian offices write them."""

import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

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
