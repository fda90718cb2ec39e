import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, Program
from participants.models import Participant, Region


class PlainSelect(forms.Select):
    """A drop-down whose options are written directly, not through a template per option.

    Django's template for each <option> made the list page spend most of its time on the
    batch filter once a programme has hundreds of batches; the HTML is the same.
    """

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if key in selected else "", label)
                for key, label in ((str(v), label) for v, label in self.choices)
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)


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
    ordering = django_filters.OrderingFilter(
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
        # join through every participant.
        self.filters["origin"].queryset = (
            Region.objects.regencies()
            .filter(Exists(Participant.objects.filter(origin=OuterRef("pk"))))
            .order_by("name")
        )
