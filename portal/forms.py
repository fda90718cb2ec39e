from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from delegation.uploads import validate_document_upload
from participants.models import IDENTITY_FIELDS, CheckIn, Participant
from participants.phones import format_phone, normalise_phone

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PasswordChoiceForm(forms.Form):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not like your name."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            raise ValidationError(_("The two passwords differ."))
        if first:
            password_validation.validate_password(first, self.user)
        return cleaned


class DocumentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Scan or photo"), help_text=_("PDF, PNG or JPEG, at most 10 MB.")
    )
    number = forms.CharField(label=_("Document number"), max_length=100, required=False)
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DATE)
    expires_on = forms.DateField(label=_("Valid until"), required=False, widget=DATE)

    def __init__(self, *args, needs_expiry: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].required = needs_expiry

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_document_upload(upload)
        return upload

    def clean_number(self) -> str:
        return "".join(self.cleaned_data["number"].split()).upper()

    def clean(self):
        cleaned = super().clean()
        issued, expires = cleaned.get("issued_on"), cleaned.get("expires_on")
        if issued and expires and expires < issued:
            self.add_error("expires_on", _("A document cannot expire before it is issued."))
        return cleaned


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the participant"))


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusal"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The person reads it on their checklist, e.g. “The photo is blurred”."),
    )


SCALE = [(n, str(n)) for n in range(1, 6)]


class CheckInForm(forms.ModelForm):
    """The monthly check-in the person sends from abroad."""

    wellbeing = forms.TypedChoiceField(
        label=_("How are you? (1 = very bad, 5 = very good)"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
    )
    work_satisfaction = forms.TypedChoiceField(
        label=_("How is work? (1 = very bad, 5 = very good)"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
    )
    help_requested = forms.BooleanField(
        label=_("I need help now"),
        required=False,
        help_text=_(
            "Tick this if you are in danger, ill or in trouble: the office is told at once."
        ),
    )

    class Meta:
        model = CheckIn
        fields = [
            "wellbeing",
            "work_satisfaction",
            "work",
            "housing",
            "health",
            "money_sent_home",
            "money_currency",
            "concerns",
            "wants_to_extend",
            "wants_family",
            "help_requested",
        ]
        labels = {
            "work": _("Work: hours, tasks, colleagues"),
            "housing": _("Housing"),
            "health": _("Health"),
            "money_sent_home": _("Money sent home this month"),
            "money_currency": _("Currency (e.g. JPY)"),
            "concerns": _("Anything that worries you"),
            "wants_to_extend": _("Do you wish to extend your contract?"),
            "wants_family": _("Do you wish to bring your family?"),
        }
        widgets = {
            "work": forms.Textarea(attrs={"rows": 2}),
            "housing": forms.Textarea(attrs={"rows": 2}),
            "health": forms.Textarea(attrs={"rows": 2}),
            "concerns": forms.Textarea(attrs={"rows": 3}),
            "money_sent_home": forms.NumberInput(attrs={"min": 0, "step": "any"}),
            "money_currency": forms.TextInput(attrs={"maxlength": 3, "size": 4}),
        }

    def clean_money_currency(self) -> str:
        code = self.cleaned_data["money_currency"].strip().upper()
        if code and (len(code) != 3 or not code.isalpha()):
            raise ValidationError(_("Write the currency as three letters, e.g. JPY."))
        return code

    def clean(self):
        cleaned = super().clean()
        amount = cleaned.get("money_sent_home")
        if amount is not None and amount < 0:
            self.add_error("money_sent_home", _("An amount sent cannot be negative."))
        if amount and not cleaned.get("money_currency"):
            self.add_error("money_currency", _("Give the currency of the amount."))
        return cleaned


class ContactDetailsForm(forms.ModelForm):
    """What the person keeps current themselves: how to reach them and where they live."""

    class Meta:
        model = Participant
        fields = [
            "phone",
            "email",
            "domicile_street",
            "domicile_rt_rw",
            "domicile_village",
            "domicile_district",
            "domicile_postal_code",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.phone and not self.is_bound:
            self.initial["phone"] = format_phone(self.instance.phone)
        self.fields["phone"].help_text = _("e.g. 0812-3456-7890 or +81 90-1234-5678")

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"])


class IdentityRequestForm(forms.Form):
    field_name = forms.ChoiceField(label=_("What is wrong"))
    new_value = forms.CharField(
        label=_("The correct value"),
        max_length=200,
        help_text=_("Dates as YYYY-MM-DD; gender as M or F."),
    )
    reason = forms.CharField(
        label=_("Why, and which document shows it"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field_name"].choices = [
            (name, Participant._meta.get_field(name).verbose_name) for name in IDENTITY_FIELDS
        ]


class ConsentWithdrawalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
