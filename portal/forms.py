from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from delegation.uploads import validate_document_upload
from participants.models import IDENTITY_FIELDS, CheckIn, Participant, Region
from participants.nik import normalise_nik
from participants.nik_regions import nik_check_for
from participants.phones import format_phone, normalise_phone
from recruitment.forms import CallDocumentsMixin, NikReasonWhenNeededMixin, ScanField
from welfare.models import FollowUp

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


# ---- applicants ----------------------------------------------------------------------------


class RegistrationForm(PasswordChoiceForm):
    """An applicant's own account: an e-mail address and a password."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=150,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send a link to it: your account opens when you follow it."),
    )
    field_order = ["email", "password1", "password2"]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class RegistrationConfirmForm(forms.Form):
    """The confirmation link's page: the password chosen when registering."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("The one you chose when you registered this address."),
    )


class PersonalStepForm(NikReasonWhenNeededMixin, forms.Form):
    """Step 1: who the applicant is. The NIK is checked as on the staff's form (its format,
    its region, date and serial digits against the birth date and sex), never whether it is
    known."""

    full_name = forms.CharField(label=_("Full name (as on the KTP)"), max_length=200)
    nik = forms.CharField(
        label=_("NIK"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("The 16 digits on your KTP."),
    )
    birth_date = forms.DateField(label=_("Birth date"), widget=DATE)
    birth_place = forms.CharField(label=_("Birth place"), max_length=100)
    gender = forms.ChoiceField(
        label=_("Sex"), choices=[("", _("— choose —")), *Participant.Gender.choices]
    )
    phone = forms.CharField(
        label=_("Phone (WhatsApp)"),
        max_length=30,
        help_text=_("e.g. 0812-3456-7890"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    nik_reason = forms.CharField(
        label=_("Why the NIK is right nonetheless"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when the NIK disagrees with the birth date or sex and is right."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.hide_nik_reason_until_needed()

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_nik(self) -> str:
        return normalise_nik(self.cleaned_data["nik"])

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        nik = cleaned.get("nik")
        if not nik:
            return cleaned
        result = nik_check_for(
            nik, birth_date=cleaned.get("birth_date"), gender=cleaned.get("gender")
        )
        if result.errors:
            self.add_error("nik", result.errors)
        elif result.problems and not cleaned.get("nik_reason", "").strip():
            self.add_error(
                "nik",
                [
                    *result.problems,
                    _("The NIK disagrees with the data: correct it, or say why it is right."),
                ],
            )
        elif not result.problems:
            cleaned["nik_reason"] = ""
        return cleaned


class RegencyField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


def _regency_field(label, *, required: bool) -> RegencyField:
    return RegencyField(
        label=label,
        queryset=Region.objects.regencies().order_by("name"),
        required=required,
        empty_label=_("— choose —"),
    )


class AddressStepForm(forms.Form):
    """Step 2: the address on the KTP, and where the applicant lives when it differs."""

    ktp_street = forms.CharField(label=_("Street, number, RT/RW (KTP)"), max_length=200)
    ktp_village = forms.CharField(label=_("Kelurahan/desa (KTP)"), max_length=100)
    ktp_district = forms.CharField(label=_("Kecamatan (KTP)"), max_length=100)
    domicile_street = forms.CharField(
        label=_("Address where you live now"),
        max_length=200,
        required=False,
        help_text=_("Only when it differs from the KTP."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ktp_regency"] = _regency_field(_("Regency/city (KTP)"), required=True)
        self.fields["domicile_regency"] = _regency_field(
            _("Regency/city where you live now"), required=False
        )
        self.order_fields(
            ["ktp_street", "ktp_village", "ktp_district", "ktp_regency", "domicile_street"]
        )


class EducationStepForm(forms.Form):
    """Step 3: education and the track applied for."""

    education_level = forms.ChoiceField(
        label=_("Highest education"),
        choices=[("", _("— choose —")), *Participant.Education.choices],
    )
    education_field = forms.CharField(
        label=_("Field of study"), max_length=100, required=False, help_text=_("e.g. Nursing")
    )
    track = forms.ChoiceField(
        label=_("Track"), choices=Participant.Track.choices, widget=forms.RadioSelect
    )


class DocumentsStepForm(CallDocumentsMixin, forms.Form):
    """Step 4: the documents the call asks for, one file each, sent together or one at a
    time. A file already uploaded in the draft is kept unless another is chosen."""

    def __init__(self, *args, names: list[str], have: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.document_names = names
        for index, name in enumerate(names):
            self.fields[f"document_{index}"] = ScanField(
                label=name,
                required=False,
                help_text=_("Already uploaded: choose a file only to replace it.")
                if name in have
                else _("PDF, PNG or JPEG, at most 10 MB."),
            )


class ConsentStepForm(forms.Form):
    agree = forms.BooleanField(
        label=_("I have read the text above and agree to it."),
        error_messages={"required": _("Your application can be sent only with your consent.")},
    )


class DuplicateDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accepted", "accepted"), ("merged", "merged"), ("rejected", "rejected")]
    )
    note = forms.CharField(max_length=500, required=False)


class FollowUpAnswerForm(forms.ModelForm):
    """A returnee's own answers to a follow-up after return."""

    class Meta:
        model = FollowUp
        fields = FollowUp.ANSWER_FIELDS
        labels = {
            "activity": _("What do you do now?"),
            "sector": _("In which sector (e.g. care, hospitality)?"),
            "employer_kind": _("Who do you work for?"),
            "income_band": _("Your income"),
            "willing_to_mentor": _("I am willing to mentor the next batches"),
            "willing_to_speak": _("I am willing to speak at the training"),
            "phone": _("Phone where we reach you now"),
            "email": _("E-mail where we reach you now"),
            "notes": _("Anything else you want to tell us"),
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].required = True

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"])
