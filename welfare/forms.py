"""Forms of duty of care: they validate and normalise; the services act."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts.models import CostCategory, ProgramAssignment
from delegation.forms import CurrencyField, LocalizedDecimalField
from delegation.roles import Role
from delegation.uploads import validate_document_upload
from participants.geography import subdivision_choices
from participants.models import CheckIn, CostItem, Participant
from welfare.models import Case, EventMember, FollowUp, Return, TimelineEntry

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
# What the welfare of a person abroad costs: the categories a case may record.
CASE_COST_CATEGORIES = (
    CostCategory.TREATMENT_ABROAD,
    CostCategory.REPATRIATION,
    CostCategory.FAMILY_TRAVEL,
    CostCategory.AIRFARE,
    CostCategory.MEDICAL,
    CostCategory.OTHER,
)


def case_owners(participant: Participant):
    """Who may own a case: HR staff and the coordinators of the participant's programme."""
    coordinators = ProgramAssignment.objects.filter(role=Role.COORDINATOR)
    if participant.cohort_id:
        coordinators = coordinators.filter(program_id=participant.cohort.program_id)
    else:
        coordinators = coordinators.none()
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name=Role.HR_STAFF) | Q(pk__in=coordinators.values("user_id")))
        .distinct()
        .order_by("first_name", "username")
    )


class OwnerField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.get_username()


class CaseForm(forms.ModelForm):
    owner = OwnerField(queryset=get_user_model().objects.none(), label=_("Staff owner"))

    class Meta:
        model = Case
        fields = ["kind", "severity", "reported_via", "description", "owner"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, participant: Participant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = case_owners(participant)
        self.fields["kind"].required = True
        self.fields["kind"].choices = Case.Kind.choices


class CaseEditForm(CaseForm):
    class Meta(CaseForm.Meta):
        fields = ["kind", "severity", "description", "owner"]


class HelpNowForm(forms.Form):
    concerns = forms.CharField(
        label=_("What help is needed"), widget=forms.Textarea(attrs={"rows": 4})
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=CheckIn.Channel.choices)
    wellbeing = forms.IntegerField(label=_("Wellbeing (1–5)"), min_value=1, max_value=5)
    work_satisfaction = forms.IntegerField(
        label=_("Work satisfaction (1–5)"), min_value=1, max_value=5
    )


class EntryForm(forms.ModelForm):
    class Meta:
        model = TimelineEntry
        fields = ["at", "action", "with_whom", "attachment", "next_step", "next_due"]
        widgets = {
            "at": DATETIME_INPUT,
            "next_due": DATE_INPUT,
            "action": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload and hasattr(upload, "content_type"):
            validate_document_upload(upload)
        return upload

    def clean_at(self):
        at = self.cleaned_data["at"]
        if at > timezone.now() + datetime.timedelta(minutes=5):
            raise forms.ValidationError(_("A timeline entry cannot be in the future."))
        return at

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("next_due") and not cleaned.get("next_step", "").strip():
            self.add_error("next_step", _("Name the next step that is due."))
        return cleaned


class CaseCostForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"))
    payer = forms.ChoiceField(label=_("Paid by"), choices=CostItem.Payer.choices)
    amount = LocalizedDecimalField(label=_("Amount"), min_value=Decimal("0"), decimal_places=2)
    currency = CurrencyField(label=_("Currency"), first=["IDR", "JPY"], initial="IDR")
    rate_to_idr = LocalizedDecimalField(
        label=_("Rate to IDR"), min_value=Decimal("0.000001"), decimal_places=6, initial=1
    )
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    description = forms.CharField(label=_("Description"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(CostCategory.choices)
        self.fields["category"].choices = [(c.value, labels[c]) for c in CASE_COST_CATEGORIES]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("currency") == "IDR" and cleaned.get("rate_to_idr") not in (None, 1):
            self.add_error("rate_to_idr", _("The rate of the rupiah is 1."))
        return cleaned


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Case.Status.RESOLVED, Case.Status.RESOLVED.label),
            (Case.Status.CLOSED, Case.Status.CLOSED.label),
        ],
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "---------"), *Case.Outcome.choices], required=False
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DatedReasonForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return on


class DoneForm(forms.Form):
    on = forms.DateField(label=_("Done on"), widget=DATE_INPUT)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return on


class EventForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    occurred_on = forms.DateField(label=_("Occurred on"), widget=DATE_INPUT)
    subdivisions = forms.MultipleChoiceField(
        label=_("Affected prefectures/regions"), widget=forms.SelectMultiple(attrs={"size": 8})
    )
    cities = forms.CharField(
        label=_("Affected cities"),
        required=False,
        help_text=_("Optional, one per line: only people working there are listed."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, country: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subdivisions"].choices = subdivision_choices(country)

    def clean_occurred_on(self):
        on = self.cleaned_data["occurred_on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return on

    def clean_cities(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["cities"].splitlines() if line.strip()]


class MemberForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[c for c in EventMember.Result.choices if c[0] != EventMember.Result.UNCHECKED],
        widget=forms.RadioSelect,
    )
    source = forms.ChoiceField(label=_("Source"), choices=EventMember.Channel.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class EventCloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why close with people not reached"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReturnForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Return.Kind.choices)
    on = forms.DateField(label=_("Returned on"), widget=DATE_INPUT)
    case = forms.ModelChoiceField(
        label=_("Case"),
        queryset=Case.objects.none(),
        required=False,
        help_text=_("An early return needs its case."),
    )
    journey_paid_by = forms.ChoiceField(
        label=_("Journey home paid by"), choices=CostItem.Payer.choices
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Return.Kind.EARLY and not cleaned.get("case"):
            self.add_error("case", _("An early return needs its case."))
        return cleaned


class ExtendInsteadForm(forms.Form):
    term_years = forms.IntegerField(label=_("Extension (years)"), min_value=1, max_value=10)


class FollowUpForm(forms.ModelForm):
    on = forms.DateField(label=_("Filled in on"), widget=DATE_INPUT)

    class Meta:
        model = FollowUp
        fields = FollowUp.ANSWER_FIELDS
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].required = True
        self.fields["on"].initial = timezone.localdate()

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return on

    def answers(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class AlumniFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    cohort = forms.ModelChoiceField(label=_("Batch"), queryset=None, required=False)
    occupation = forms.CharField(label=_("Occupation"), required=False)
    mentor = forms.BooleanField(label=_("Willing to mentor"), required=False)

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
