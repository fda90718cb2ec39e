"""Forms of costs, contracts, life abroad and check-ins."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, CostCategory, Program
from delegation.currencies import rate_problem
from delegation.forms import CurrencyField, LocalizedDecimalField
from delegation.uploads import validate_document_upload
from participants.geography import subdivision_choices
from participants.models import CheckIn, Contract, CostItem, Participant, Residence, to_idr
from participants.phones import format_phone, normalise_phone

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The years a contract may start in: its end and any extension stay real dates.
CONTRACT_YEARS = (1990, 2100)


def _checked_upload(upload):
    if upload and hasattr(upload, "content_type"):
        validate_document_upload(upload)
    return upload


class ParticipantChoiceField(forms.ModelChoiceField):
    """A participant picker that tells namesakes apart: name, number and batch."""

    def label_from_instance(self, participant: Participant) -> str:
        return participant.label


def program_currencies(program: Program | None) -> list[str]:
    """The currencies a programme works in, first in its pickers: rupiah, then those of its
    cost lines and its participants' contracts, the most used first."""
    if program is None:
        used = Contract.objects.values_list("salary_currency", flat=True)
    else:
        used = [
            *CostItem.objects.filter(program=program).values_list("currency", flat=True),
            *Contract.objects.filter(participant__cohort__program=program).values_list(
                "salary_currency", flat=True
            ),
        ]
    counts: dict[str, int] = {}
    for code in used:
        counts[code] = counts.get(code, 0) + 1
    return ["IDR", *sorted(counts, key=lambda code: -counts[code])]


class CostItemForm(forms.ModelForm):
    currency = CurrencyField(label=_("Currency"), initial="IDR")

    class Meta:
        model = CostItem
        fields = [
            "cohort",
            "participant",
            "category",
            "payer",
            "amount",
            "currency",
            "rate_to_idr",
            "rate_confirmed",
            "rate_reason",
            "date",
            "description",
            "reference",
            "is_total",
            "receipt",
        ]
        widgets = {"date": DATE_INPUT, "rate_reason": forms.Textarea(attrs={"rows": 2})}
        field_classes = {
            "participant": ParticipantChoiceField,
            "amount": LocalizedDecimalField,
            "rate_to_idr": LocalizedDecimalField,
        }

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.instance.program = program
        self.fields["currency"].choices = CurrencyField(first=program_currencies(program)).choices
        self.fields["cohort"].queryset = Cohort.objects.of_program(program).order_by("number")
        self.fields["participant"].queryset = (
            Participant.objects.filter(cohort__program=program)
            .select_related("cohort")
            .order_by("full_name", "participant_number")
        )
        self.fields["participant"].required = False

    def clean_receipt(self):
        return _checked_upload(self.cleaned_data.get("receipt"))

    def clean(self):
        cleaned = super().clean()
        currency, rate = cleaned.get("currency"), cleaned.get("rate_to_idr")
        if currency == "IDR" and rate is not None and rate != 1:
            self.add_error("rate_to_idr", _("An amount in IDR has the rate 1."))
        if rate is not None and rate <= 0:
            self.add_error("rate_to_idr", _("The rate must be above zero."))
        elif currency and rate is not None and (problem := rate_problem(currency, rate)):
            if not cleaned.get("rate_confirmed"):
                confirm = _("If it is right, tick “the rate is right” and say why.")
                self.add_error("rate_to_idr", f"{problem} {confirm}")
            elif not (cleaned.get("rate_reason") or "").strip():
                self.add_error("rate_reason", _("Say why this rate is right."))
        if not cleaned.get("rate_confirmed"):
            cleaned["rate_reason"] = ""
        participant, cohort = cleaned.get("participant"), cleaned.get("cohort")
        if participant and cohort and participant.cohort_id != cohort.pk:
            self.add_error("participant", _("This participant is not in the chosen batch."))
        if cleaned.get("is_total") and not cohort:
            self.add_error("cohort", _("A total is reported for a batch: choose it."))
        amount = cleaned.get("amount")
        if amount is not None and rate is not None and rate > 0:
            self.instance.amount_idr = to_idr(amount, rate)
        return cleaned


class CostFilterForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label=_("Batch"), queryset=Cohort.objects.none(), required=False
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("All categories")), *CostCategory.choices],
        required=False,
    )
    payer = forms.ChoiceField(
        label=_("Paid by"), choices=[("", _("Anyone")), *CostItem.Payer.choices], required=False
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("Until"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, program: Program, with_cohort: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if with_cohort:
            self.fields["cohort"].queryset = Cohort.objects.of_program(program).order_by("number")
        else:
            del self.fields["cohort"]

    def apply(self, items):
        if not self.is_valid():
            return items
        data = self.cleaned_data
        if data.get("cohort"):
            items = items.filter(cohort=data["cohort"])
        if data["category"]:
            items = items.filter(category=data["category"])
        if data["payer"]:
            items = items.filter(payer=data["payer"])
        if data["date_from"]:
            items = items.filter(date__gte=data["date_from"])
        if data["date_to"]:
            items = items.filter(date__lte=data["date_to"])
        return items


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
        field_classes = {"monthly_salary": LocalizedDecimalField}

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

    def clean_signed_file(self):
        return _checked_upload(self.cleaned_data.get("signed_file"))

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
