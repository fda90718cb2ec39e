"""Forms of life abroad: contracts (signing, extending, changing employer, ending), the
residence abroad and monitoring check-ins."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from delegation.forms import CurrencyField, DocumentFileField, LocalizedDecimalField
from participants.forms import DATE_INPUT, program_currencies
from participants.geography import subdivision_choices
from participants.models import CheckIn, Contract, Residence
from participants.phones import format_phone, normalise_phone

# The years a contract may start in: its end and any extension stay real dates.
CONTRACT_YEARS = (1990, 2100)


class ContractForm(forms.ModelForm):
    term_years = forms.IntegerField(
        label=_("Term (years)"),
        min_value=1,
        max_value=20,
        required=False,
        help_text=_("Leave empty for the programme's contract length."),
    )
    salary_currency = CurrencyField(label=_("Salary currency"), initial="JPY")

    class Meta:
        model = Contract
        fields = [
            "employer",
            "facility",
            "subdivision",
            "prefecture",
            "city",
            "position",
            "signed_on",
            "start_date",
            "term_years",
            "monthly_salary",
            "salary_currency",
            "signed_file",
        ]
        widgets = {"signed_on": DATE_INPUT, "start_date": DATE_INPUT}
        field_classes = {"monthly_salary": LocalizedDecimalField, "signed_file": DocumentFileField}

    def __init__(self, *args, country: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["salary_currency"].choices = CurrencyField(
            first=program_currencies(None)
        ).choices
        # The place of work is a subdivision of the programme's destination country; with
        # no known country it stays the region as written.
        if country and subdivision_choices(country):
            self.fields["subdivision"] = forms.ChoiceField(
                label=_("Prefecture/region"),
                choices=[("", "---------"), *subdivision_choices(country)],
                required=False,
            )
            del self.fields["prefecture"]
        else:
            del self.fields["subdivision"]

    def clean_start_date(self):
        start = self.cleaned_data["start_date"]
        if not CONTRACT_YEARS[0] <= start.year <= CONTRACT_YEARS[1]:
            raise forms.ValidationError(
                _("Check the start date: a contract here starts between %(first)d and %(last)d.")
                % {"first": CONTRACT_YEARS[0], "last": CONTRACT_YEARS[1]}
            )
        return start

    def clean(self):
        cleaned = super().clean()
        signed, start = cleaned.get("signed_on"), cleaned.get("start_date")
        if signed and start and signed > start + datetime.timedelta(days=366):
            self.add_error("signed_on", _("A contract is signed before, or soon after, it starts."))
        return cleaned

    def contract_fields(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.get("term_years"):
            data.pop("term_years", None)
        return data


class ExtendForm(forms.Form):
    term_years = forms.IntegerField(label=_("Extension (years)"), min_value=1, max_value=10)


class EmployerChangeForm(ContractForm):
    class Meta(ContractForm.Meta):
        pass

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term_years"].required = True


class TerminateForm(forms.Form):
    ended_on = forms.DateField(label=_("Ends on"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()


class ResidenceForm(forms.ModelForm):
    class Meta:
        model = Residence
        fields = ["status", "address", "phone", "embassy_report_date", "notes"]
        widgets = {"embassy_report_date": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.phone:
            self.initial["phone"] = format_phone(self.instance.phone)

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"], region="JP")


class CheckInForm(forms.ModelForm):
    class Meta:
        model = CheckIn
        fields = [
            "date",
            "channel",
            "held_by",
            "wellbeing",
            "work_satisfaction",
            "wants_to_extend",
            "wants_family",
            "concerns",
            "follow_up_needed",
            "follow_up_done_on",
        ]
        widgets = {
            "date": DATE_INPUT,
            "follow_up_done_on": DATE_INPUT,
            "wellbeing": forms.NumberInput(attrs={"min": 1, "max": 5}),
            "work_satisfaction": forms.NumberInput(attrs={"min": 1, "max": 5}),
            "concerns": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("A check-in cannot be dated in the future."))
        return date

    def clean(self):
        cleaned = super().clean()
        done, date = cleaned.get("follow_up_done_on"), cleaned.get("date")
        if done and date and done < date:
            self.add_error("follow_up_done_on", _("A follow-up comes after the check-in."))
        return cleaned
