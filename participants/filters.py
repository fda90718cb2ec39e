import html

import django_filters
from django import forms
from django.db.models import Case, Exists, IntegerField, OuterRef, Subquery, When
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, Program
from delegation.filters import OrderingFilter
from delegation.formatting import roman
from delegation.models import Organisation
from participants.models import Participant, Region


class PlainSelect(forms.Select):
    """A drop-down whose options are written directly, not through a template per option.

    Django's template for each <option> made the list page spend most of its time on the
    batch filter once a programme has hundreds of batches; the HTML is the same. ``rows``,
    when set, are plain (value, label) pairs used as they are, without the normalising that
    assigning ``choices`` does to each of hundreds of rows.
    """

    rows = None

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = set(self.format_value(value))
        options = []
        for key, label in self.choices if self.rows is None else self.rows:
            key = str(key)
            options.append(
                f'<option value="{html.escape(key)}"'
                f"{' selected' if key in selected else ''}>{html.escape(str(label))}</option>"
            )
        return format_html(
            "<select{}>{}</select>", flatatt(final_attrs), mark_safe("".join(options))
        )


class ParticipantFilter(django_filters.FilterSet):
    program = django_filters.ModelChoiceFilter(
        label=_("Programme"),
        field_name="cohort__program",
        queryset=Program.objects.none(),
        empty_label=_("All programmes"),
        widget=PlainSelect,
    )
    cohort = django_filters.ModelChoiceFilter(
        label=_("Batch"),
        queryset=Cohort.objects.none(),
        empty_label=_("All batches"),
        widget=PlainSelect,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Participant.Status.choices,
        empty_label=_("All statuses"),
        widget=PlainSelect,
    )
    track = django_filters.ChoiceFilter(
        label=_("Track"),
        choices=Participant.Track.choices,
        empty_label=_("All tracks"),
        widget=PlainSelect,
    )
    origin = django_filters.ModelChoiceFilter(
        label=_("Origin"),
        queryset=Region.objects.none(),
        empty_label=_("All regions"),
        widget=PlainSelect,
    )
    gender = django_filters.ChoiceFilter(
        label=_("Gender"),
        choices=Participant.Gender.choices,
        empty_label=_("All"),
        widget=PlainSelect,
    )
    ordering = OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("full_name", "name"),
            ("participant_number", "number"),
            ("status", "status"),
            ("created_at", "created"),
        ),
        field_labels={
            "full_name": _("Name"),
            "participant_number": _("Participant number"),
            "status": _("Status"),
            "created_at": _("Registered"),
        },
        empty_label=_("Name"),
        widget=PlainSelect,
    )

    class Meta:
        model = Participant
        fields = ["program", "cohort", "status", "track", "origin", "gender"]

    def __init__(self, *args, programs=None, cohorts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["program"].queryset = programs
        # Only what the label shows: a long-running programme has hundreds of batches.
        self.filters["cohort"].queryset = cohorts.only("pk", "number", "year")
        # The regions someone comes from: a probe of the origin index per region, not a
        # join through every participant; the office's own province first.
        office_province = Organisation.objects.filter(pk=Organisation.SINGLE_ROW_ID).values(
            "province_code"
        )
        self.filters["origin"].queryset = (
            Region.objects.regencies()
            .filter(Exists(Participant.objects.filter(origin=OuterRef("pk"))))
            .annotate(
                elsewhere=Case(
                    When(province__code=Subquery(office_province), then=0),
                    default=1,
                    output_field=IntegerField(),
                )
            )
            .order_by("elsewhere", "name")
        )

    @property
    def form(self):
        """The form, its drop-downs listed (three queries) only once someone asks for it:
        an unfiltered list does not, it filters nothing."""
        if not hasattr(self, "_form"):
            self._form = super().form
            self._fill_options()
        return self._form

    def _fill_options(self) -> None:
        # The drop-downs list plain (id, label) rows rather than model instances: with
        # hundreds of batches, building and naming each object cost more than the list.
        # Choosing still goes through each field's queryset, which checks the value.
        batch = gettext("Batch %(number)s (%(year)s)")
        self._plain_choices(
            "cohort",
            (
                (pk, batch % {"number": roman(number), "year": year})
                for pk, number, year in self.filters["cohort"].queryset.values_list(
                    "pk", "number", "year"
                )
            ),
        )
        self._plain_choices("program", self.filters["program"].queryset.values_list("pk", "name"))
        self._plain_choices("origin", self.filters["origin"].queryset.values_list("pk", "name"))

    def _plain_choices(self, name: str, rows) -> None:
        field = self._form.fields[name]
        field.widget.rows = [("", field.empty_label), *rows]
