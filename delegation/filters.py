"""What the list filters of every app share."""

import django_filters
from django.forms.utils import pretty_name
from django.utils.functional import lazy
from django.utils.translation import gettext


def _descending(label) -> str:
    return gettext("%s (descending)") % label


class OrderingFilter(django_filters.OrderingFilter):
    """Sorting choices in the language of each request.

    django-filter writes "Name (descending)" once, when the filter class is defined, in the
    language active then; here the label stays lazy and is written for each page.
    """

    def build_choices(self, fields, labels):
        choices = []
        for field, param in fields.items():
            label = labels.get(field, pretty_name(param))
            choices.append((param, label))
            choices.append((f"-{param}", labels.get(f"-{field}", lazy(_descending, str)(label))))
        return choices
