"""Template filters: dates and times as Indonesian offices write them, and filter drop-downs."""

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


@register.filter
def select_widget(field) -> str:
    """A filter form's drop-down as Bootstrap draws it, marked invalid when it has errors.

    What crispy-forms draws for a select, without its templates: the participant list has
    seven such fields on every page view.
    """
    return field.as_widget(
        attrs={"class": "form-select is-invalid" if field.errors else "form-select"}
    )
