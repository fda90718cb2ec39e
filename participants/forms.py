from __future__ import annotations

import re

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, Program
from delegation.forms import DocumentFileField
from delegation.models import Organisation
from delegation.uploads import MAX_UPLOAD_BYTES, validate_document_upload
from participants import importer
from participants.models import (
    ConsentRecord,
    Contact,
    Contract,
    CostItem,
    Document,
    DocumentType,
    Participant,
    Region,
    Status,
)
from participants.nik import normalise_nik
from participants.nik_regions import nik_check_for
from participants.phones import format_phone, normalise_phone

REGENCY_OPTIONS_ID = "regency-options"
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OCCUPATION_SUGGESTIONS = [
    "Pekerja perawatan lansia (kaigo)",
    "Perawat",
    "Asisten perawat",
    "Pekerja rumah sakit",
    "Mahasiswa keperawatan",
]


def regency_suggestions(text: str = "", *, limit: int = 20) -> list[Region]:
    """The regencies and cities a picker suggests for ``text``, those of the organisation's
    own province first (its whole province when nothing is typed yet)."""
    found = Region.objects.search(text, province_first=Organisation.current_province_code())
    return list(found.select_related("province")[:limit])


class RegencyInput(forms.TextInput):
    """A text box for a regency or city: the browser suggests from the page's
    ``<datalist id="regency-options">``, which is refreshed from the search as one types
    (htmx). Without script, the name or code typed is read on the server."""

    def __init__(self, attrs=None):
        super().__init__(
            {
                "list": REGENCY_OPTIONS_ID,
                "autocomplete": "off",
                "hx-get": reverse_lazy("participants:regency_search"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": f"#{REGENCY_OPTIONS_ID}",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
                **(attrs or {}),
            }
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # The search reads the text under the box's own name.
        url = f"{context['widget']['attrs']['hx-get']}?field={name}"
        context["widget"]["attrs"]["hx-get"] = url
        return context


class RegencyField(forms.Field):
    """A regency or city, typed as its name ("Kota Banjarmasin", "Banjarmasin"), its code
    ("63.71" or "6371") or as the suggestions write it ("Kota Banjarmasin (63.71)")."""

    widget = RegencyInput
    default_error_messages = {"invalid": _("Choose a regency or city.")}

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            _("Type a few letters of the name or the code (63.71) and pick from the list."),
        )
        super().__init__(**kwargs)

    def to_python(self, value) -> Region | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Region):
            return value
        if isinstance(value, int):  # the stored key, from the instance
            return Region.objects.regencies().filter(pk=value).first()
        text = str(value).strip()
        labelled = re.fullmatch(r".*\((\d{2}\.?\d{2})\)", text)
        try:
            return Region.objects.resolve_regency(labelled.group(1) if labelled else text)
        except forms.ValidationError as error:
            raise forms.ValidationError(error.messages[0], code="invalid") from None

    def prepare_value(self, value):
        if isinstance(value, int):
            value = Region.objects.filter(pk=value).first()
        if isinstance(value, Region):
            return value.label
        return value

    def has_changed(self, initial, data) -> bool:
        try:
            return self.to_python(initial) != self.to_python(data)
        except forms.ValidationError:
            return True


class ParticipantForm(forms.ModelForm):
    origin = RegencyField(label=_("Regency/city of origin"))
    ktp_regency = RegencyField(label=_("Regency/city (KTP)"), required=False)
    domicile_regency = RegencyField(label=_("Regency/city (domicile)"), required=False)
    domicile_same_as_ktp = forms.BooleanField(
        label=_("Same as the KTP address"),
        required=False,
        help_text=_(
            "The domicile is saved as a copy of the KTP address; the fields below are ignored."
        ),
    )

    # The address fields the domicile copies from the KTP, by their common ending.
    ADDRESS_PARTS = ("street", "rt_rw", "village", "district", "regency", "postal_code")

    class Meta:
        model = Participant
        fields = [
            "full_name",
            "passport_surname",
            "passport_given_names",
            "name_katakana",
            "nik",
            "nik_reason",
            "kk_number",
            "gender",
            "birth_date",
            "birth_place",
            "origin",
            "ktp_street",
            "ktp_rt_rw",
            "ktp_village",
            "ktp_district",
            "ktp_regency",
            "ktp_postal_code",
            "domicile_street",
            "domicile_rt_rw",
            "domicile_village",
            "domicile_district",
            "domicile_regency",
            "domicile_postal_code",
            "phone",
            "email",
            "education_level",
            "education_field",
            "occupation",
            "track",
            "photo",
            "culture_ambassador",
            "notes",
        ]
        widgets = {
            "birth_date": DATE_INPUT,
            "nik_reason": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "occupation": forms.TextInput(attrs={"list": "occupation-suggestions"}),
            "nik": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        }

    occupation_suggestions = OCCUPATION_SUGGESTIONS

    def regency_suggestions(self) -> list[Region]:
        """The first suggestions of the regency pickers, before anything is typed."""
        return regency_suggestions()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.phone:
            self.initial["phone"] = format_phone(self.instance.phone)

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_passport_surname(self) -> str:
        return " ".join(self.cleaned_data["passport_surname"].split()).upper()

    def clean_passport_given_names(self) -> str:
        return " ".join(self.cleaned_data["passport_given_names"].split()).upper()

    def clean_name_katakana(self) -> str:
        return " ".join(self.cleaned_data["name_katakana"].split())

    def clean_nik(self) -> str:
        return normalise_nik(self.cleaned_data["nik"])

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"])

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "content_type"):
            kind = validate_document_upload(photo)
            if kind == "pdf":
                raise forms.ValidationError(_("A photo must be a JPEG or PNG image."))
        return photo

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("domicile_same_as_ktp"):
            for part in self.ADDRESS_PARTS:
                cleaned[f"domicile_{part}"] = cleaned.get(f"ktp_{part}")
                self.errors.pop(f"domicile_{part}", None)
        nik, birth_date, gender = (
            cleaned.get("nik"),
            cleaned.get("birth_date"),
            cleaned.get("gender"),
        )
        if nik:
            result = nik_check_for(nik, birth_date=birth_date, gender=gender)
            if result.errors:
                for message in result.errors:
                    self.add_error("nik", message)
            elif result.problems and not cleaned.get("nik_reason", "").strip():
                for message in result.problems:
                    self.add_error("nik", message)
                self.add_error(
                    "nik_reason",
                    _("The NIK disagrees with the data above: correct it, or say why it is right."),
                )
            elif not result.problems:
                cleaned["nik_reason"] = ""
            if not result.errors:
                cleaned["nik"] = result.nik
        return cleaned


class PlacementForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label=_("Batch"),
        queryset=Cohort.objects.none(),
        required=False,
        help_text=_("Leave empty until the person is placed in a batch."),
    )

    def __init__(self, *args, cohorts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts if cohorts is not None else Cohort.objects.none()


class MoveForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"))
    effective_date = forms.DateField(label=_("Effective date"), widget=DATE_INPUT)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, participant: Participant, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Status.choices)
        self.fields["to_status"].choices = [(s, labels[s]) for s in participant.offered_moves()]
        self.fields["effective_date"].initial = timezone.localdate()

    def clean_effective_date(self):
        date = self.cleaned_data["effective_date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The effective date cannot be in the future."))
        return date


class TransferForm(forms.Form):
    cohort = forms.ModelChoiceField(label=_("New batch"), queryset=Cohort.objects.none())
    effective_date = forms.DateField(label=_("Effective date"), widget=DATE_INPUT)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, participant: Participant, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = cohorts.exclude(status__in=[Cohort.Status.DEPARTED, Cohort.Status.CLOSED])
        if participant.cohort_id:
            queryset = queryset.exclude(pk=participant.cohort_id)
        self.fields["cohort"].queryset = queryset.select_related("program")
        self.fields["effective_date"].initial = timezone.localdate()


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["document_type", "number", "issued_on", "expires_on", "file", "notes"]
        field_classes = {"file": DocumentFileField}
        widgets = {
            "issued_on": DATE_INPUT,
            "expires_on": DATE_INPUT,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "file": _("PDF, JPEG or PNG, at most %(size)d MB.")
            % {"size": MAX_UPLOAD_BYTES // 2**20}
        }

    def __init__(self, *args, renewing: Document | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_type"].queryset = DocumentType.objects.all()
        if renewing:
            self.fields["document_type"].initial = renewing.document_type
            self.fields["document_type"].disabled = True


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["relation", "name", "phone", "address", "is_emergency", "is_heir"]

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"])


class BaseContactFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        heirs = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("is_heir")
        ]
        if len(heirs) > 1:
            raise forms.ValidationError(_("Mark only one contact as the heir."))


ContactFormSet = forms.inlineformset_factory(
    Participant, Contact, form=ContactForm, formset=BaseContactFormSet, extra=2, can_delete=True
)


class RequirementsForm(forms.Form):
    document_types = forms.ModelMultipleChoiceField(
        label=_("Documents required before departure"),
        queryset=DocumentType.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, participant number, NIK or passport number"), required=False, max_length=100
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("CSV (UTF-8) or XLSX, one participant a row.")
    )
    cohort = forms.ModelChoiceField(
        label=_("Batch"), queryset=Cohort.objects.none(), required=False
    )
    historical = forms.BooleanField(
        label=_("Historical import"),
        required=False,
        help_text=_("People who left before this system: the file has status and departed_on."),
    )

    def __init__(self, *args, cohorts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts if cohorts is not None else Cohort.objects.none()

    def clean_file(self):
        """Refuse, before it is kept, a file past the import's bounds or not what it says.

        Reading stops at the bounds, so no later preview of the kept file reads without end."""
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > importer.MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB: split it into smaller files.")
                % {"limit": importer.MAX_IMPORT_BYTES // 2**20}
            )
        try:
            importer.inspect_upload(upload, upload.name)
        except importer.ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


class ConsentForm(forms.ModelForm):
    class Meta:
        model = ConsentRecord
        fields = ["kind", "recipient", "given_on", "scope", "signed_file"]
        field_classes = {"signed_file": DocumentFileField}
        widgets = {"given_on": DATE_INPUT, "scope": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "signed_file": _("The signed form: PDF, JPEG or PNG, at most %(size)d MB.")
            % {"size": MAX_UPLOAD_BYTES // 2**20}
        }

    def __init__(self, *args, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Staff record signed forms; online consents come from the portal.
        self.fields["signed_file"].required = True
        if partners is not None:
            self.fields["recipient"].queryset = partners

    def clean_given_on(self):
        given_on = self.cleaned_data["given_on"]
        if given_on > timezone.localdate():
            raise forms.ValidationError(_("A consent cannot be given in the future."))
        return given_on


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("withdrawn on"), widget=DATE_INPUT)
    reason = forms.CharField(
        label=_("reason for withdrawal"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, consent: ConsentRecord, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent = consent

    def clean_withdrawn_on(self):
        withdrawn_on = self.cleaned_data["withdrawn_on"]
        if withdrawn_on > timezone.localdate():
            raise forms.ValidationError(_("A withdrawal cannot be dated in the future."))
        if withdrawn_on < self.consent.given_on:
            raise forms.ValidationError(_("A consent cannot be withdrawn before it was given."))
        return withdrawn_on


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
