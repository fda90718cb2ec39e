"""Forms of sponsor-funded cost lines: entering a line and filtering the list."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, CostCategory, Program
from delegation.currencies import rate_problem
from delegation.forms import CurrencyField, DocumentFileField, LocalizedDecimalField
from participants.forms import DATE_INPUT, ParticipantChoiceField, program_currencies
from participants.models import CostItem, Participant, to_idr


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
            "receipt": DocumentFileField,
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
