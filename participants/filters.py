import django_filters
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, Program
from participants.models import Participant, Region


class ParticipantFilter(django_filters.FilterSet):
    program = django_filters.ModelChoiceFilter(
        label=_("Programme"),
        field_name="cohort__program",
        queryset=Program.objects.none(),
        empty_label=_("All programmes"),
    )
    cohort = django_filters.ModelChoiceFilter(
        label=_("Batch"), queryset=Cohort.objects.none(), empty_label=_("All batches")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Participant.Status.choices, empty_label=_("All statuses")
    )
    track = django_filters.ChoiceFilter(
        label=_("Track"), choices=Participant.Track.choices, empty_label=_("All tracks")
    )
    origin = django_filters.ModelChoiceFilter(
        label=_("Origin"), queryset=Region.objects.none(), empty_label=_("All regions")
    )
    gender = django_filters.ChoiceFilter(
        label=_("Gender"), choices=Participant.Gender.choices, empty_label=_("All")
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
        self.filters["cohort"].queryset = cohorts.select_related("program")
        self.filters["origin"].queryset = (
            Region.objects.regencies()
            .filter(participants__isnull=False)
            .distinct()
            .order_by("name")
        )
