from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cohorts.models import (
    Agreement,
    CeremonyAttendee,
    Cohort,
    CohortAssignment,
    CostCategory,
    DepartureCeremony,
    Partner,
    Program,
    ProgramAssignment,
    ProgramSignatory,
)
from cohorts.quota import places_taken
from delegation.forms import DocumentFileField, StaffChoiceField
from delegation.roles import Role

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "country", "sector", "city", "contact_person", "contact_email", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class ProgramForm(forms.ModelForm):
    sponsor_covers = forms.MultipleChoiceField(
        label=_("Costs the sponsor covers"),
        choices=CostCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Program
        fields = [
            "partner",
            "name",
            "slug",
            "scheme",
            "sector",
            "destination_country",
            "contract_years",
            "training_months",
            "sponsor_covers",
            "start_date",
            "status",
            "emergency_hotline_name",
            "emergency_hotline",
            "coordinator_phone",
            "notes",
        ]
        widgets = {"start_date": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"slug": _("Letters, digits and hyphens, used in addresses, e.g. kaikoukai.")}

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].lower()
        if slug in {"new"}:
            raise forms.ValidationError(_("This short name is reserved; choose another."))
        return slug

    def clean_sponsor_covers(self) -> list[str]:
        chosen = set(self.cleaned_data["sponsor_covers"])
        return [value for value in CostCategory.values if value in chosen]

    def clean_contract_years(self) -> int:
        years = self.cleaned_data["contract_years"]
        if not 1 <= years <= 20:
            raise forms.ValidationError(_("A contract lasts from 1 to 20 years."))
        return years

    def clean_training_months(self) -> int:
        months = self.cleaned_data["training_months"]
        if not 1 <= months <= 60:
            raise forms.ValidationError(_("Training lasts from 1 to 60 months."))
        return months


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["kind", "number", "signed_on", "valid_until", "file", "notes"]
        field_classes = {"file": DocumentFileField}
        widgets = {
            "signed_on": DATE_INPUT,
            "valid_until": DATE_INPUT,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["program", "number", "year", "planned_departure", "quota", "notes"]
        widgets = {"planned_departure": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, programs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if programs is not None:
            self.fields["program"].queryset = programs
        if self.instance.pk:
            # A batch stays in its programme: its number is unique there.
            self.fields["program"].disabled = True

    def clean_quota(self) -> int | None:
        quota = self.cleaned_data["quota"]
        if quota is None or not self.instance.pk:
            return quota
        taken = places_taken(self.instance)
        if quota < taken:
            raise forms.ValidationError(
                ngettext(
                    "%(cohort)s already has %(count)d participant (those who withdrew not "
                    "counted): the quota cannot be lower than that.",
                    "%(cohort)s already has %(count)d participants (those who withdrew not "
                    "counted): the quota cannot be lower than that.",
                    taken,
                )
                % {"cohort": self.instance, "count": taken}
            )
        return quota

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("Enter a year between 2000 and 2100."))
        return year

    def clean(self):
        cleaned = super().clean()
        program, number = cleaned.get("program"), cleaned.get("number")
        if program and number:
            clash = Cohort.objects.filter(program=program, number=number)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("number", _("This programme already has a batch with this number."))
        return cleaned


class DepartureCeremonyForm(forms.ModelForm):
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Local time in Asia/Makassar (WITA)."),
    )

    class Meta:
        model = DepartureCeremony
        fields = [
            "starts_at",
            "venue",
            "official_name",
            "official_title",
            "official_position",
            "on_behalf_of_name",
            "on_behalf_of_title",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["starts_at"] = timezone.localtime(self.instance.starts_at).strftime(
                "%Y-%m-%dT%H:%M"
            )

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("on_behalf_of_name")) != bool(cleaned.get("on_behalf_of_title")):
            raise forms.ValidationError(
                _("Give both the name and the position of the person represented, or neither.")
            )
        return cleaned


class AttendeeForm(forms.ModelForm):
    """One row of the attendee table: the column heading is each input's accessible name."""

    class Meta:
        model = CeremonyAttendee
        fields = ["order", "name", "title", "organisation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")
            field.widget.attrs["aria-label"] = field.label
        self.fields["order"].widget.attrs.update(min=0, max=999)


class BaseAttendeeFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs.update(
                {"class": "form-check-input", "aria-label": _("Delete")}
            )


AttendeeFormSet = forms.inlineformset_factory(
    DepartureCeremony,
    CeremonyAttendee,
    form=AttendeeForm,
    formset=BaseAttendeeFormSet,
    extra=3,
    can_delete=True,
)


class ProgramAssignmentForm(forms.ModelForm):
    class Meta:
        model = ProgramAssignment
        fields = ["user", "role"]
        field_classes = {"user": StaffChoiceField}

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.program = program
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__name__in=[Role.COORDINATOR, Role.LEADERSHIP])
            .exclude(program_assignments__program=program)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )

    def clean(self):
        cleaned = super().clean()
        user, role = cleaned.get("user"), cleaned.get("role")
        if user and role and not user.groups.filter(name=role).exists():
            self.add_error("role", _("This user does not have that role."))
        return cleaned


class CohortAssignmentForm(forms.ModelForm):
    class Meta:
        model = CohortAssignment
        fields = ["user"]
        field_classes = {"user": StaffChoiceField}

    def __init__(self, *args, cohort: Cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cohort = cohort
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__name=Role.INSTRUCTOR)
            .exclude(cohort_assignments__cohort=cohort)
            .order_by("first_name", "last_name", "username")
        )


SignatoryFormSet = forms.inlineformset_factory(
    Program,
    ProgramSignatory,
    fields=["document", "order", "position", "name", "rank", "nip", "on_behalf_of"],
    extra=2,
    can_delete=True,
)
