import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, Program
from delegation.filters import OrderingFilter
from delegation.querystring import whole_number


class CohortFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    program = django_filters.ModelChoiceFilter(
        label=_("Programme"), queryset=Program.objects.none(), empty_label=_("All programmes")
    )
    year = django_filters.NumberFilter(
        label=_("Year"), widget=forms.NumberInput(attrs={"min": 2000, "max": 2100})
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Cohort.Status.choices, empty_label=_("All statuses")
    )
    ordering = OrderingFilter(
        label=_("Sort by"),
        fields=(("number", "number"), ("year", "year"), ("planned_departure", "departure")),
        field_labels={
            "number": _("Batch number"),
            "year": _("Year"),
            "planned_departure": _("Planned departure"),
        },
        empty_label=_("Programme and number"),
    )

    class Meta:
        model = Cohort
        fields = ["q", "program", "year", "status"]

    def __init__(self, *args, programs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if programs is not None:
            self.filters["program"].queryset = programs

    def search(self, queryset, name, value):
        value = value.strip()
        number = whole_number(value, maximum=32767)
        if number is not None:
            return queryset.filter(Q(number=number) | Q(year=number))
        return queryset.filter(
            Q(program__name__icontains=value) | Q(program__partner__name__icontains=value)
        )
