"""What the list filters of every app share."""

import django_filters
from django.utils.translation import gettext_lazy as _


class OrderingFilter(django_filters.OrderingFilter):
    """Sorting choices in the project's languages: django-filter has no Indonesian of its own
    for "(descending)"."""

    descending_fmt = _("%s (descending)")
