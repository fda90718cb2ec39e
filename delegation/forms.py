"""Forms and form fields of the core: the login form, the organisation's letterhead, and
fields every app's forms use."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from delegation import formatting
from delegation.currencies import currency_choices
from delegation.models import Organisation
from delegation.numbering import NUMBER_MAX_LENGTH
from delegation.uploads import validate_document_upload, validate_image_upload


class LoginForm(AuthenticationForm):
    """The login form, with the attributes browsers and password managers expect."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username", autofocus=True)
        self.fields["password"].widget.attrs.update(autocomplete="current-password")


NUMBER_PLACEHOLDERS = {"seq", "code", "year", "month"}
# A placeholder's format: an optional width of at most two digits, zero-padded or not.
PLAIN_SPEC = re.compile(r"0?[0-9]{0,2}d?")


class HttpsURLField(forms.URLField):
    """A web address; one typed without a scheme is taken as https."""

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


@dataclass(frozen=True)
class StoredCrest:
    """How the form shows the current crest: its file name, linked to the checked download
    (media files have no public URL)."""

    name: str

    @property
    def url(self) -> str:
        return reverse("letterhead_crest")

    def __str__(self) -> str:
        return self.name


class DocumentFileField(forms.FileField):
    """A scan or a signed paper: a PDF, PNG or JPEG of at most 10 MB, its type read from its
    bytes (``delegation.uploads``). A file kept from before is not checked again."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if isinstance(upload, UploadedFile):
            validate_document_upload(upload)
        return upload


class CrestField(forms.FileField):
    def prepare_value(self, value):
        if isinstance(value, FieldFile) and value:
            return StoredCrest(PurePath(value.name).name)
        return value


class LetterheadForm(forms.ModelForm):
    """The organisation's letterhead. The crest is checked by its bytes (PNG or JPEG only, no
    SVG, at most 1 MB); the number format must fill in with the placeholders it offers."""

    logo = CrestField(
        label=_("Crest"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
        help_text=_("The government's crest, printed left of the name: PNG or JPEG, at most 1 MB."),
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "unit",
            "address",
            "phone",
            "email",
            "website",
            "place",
            "province_code",
            "document_number_format",
            "logo",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"website": HttpsURLField}

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):
            validate_image_upload(logo)
        return logo

    def clean_document_number_format(self) -> str:
        pattern = self.cleaned_data["document_number_format"].strip()
        try:
            fields = [
                (name, spec, conv) for _text, name, spec, conv in string.Formatter().parse(pattern)
            ]
        except ValueError:
            fields = [("?", "", None)]
        names = {name for name, _spec, _conv in fields}
        if names - {None} <= NUMBER_PLACEHOLDERS and "seq" in names:
            # A width is at most two digits and nothing else is converted or formatted: a wide
            # field would be allocated (gigabytes) just to try the format, and a number is
            # stored in at most NUMBER_MAX_LENGTH characters.
            plain = all(
                conv is None and PLAIN_SPEC.fullmatch(spec or "")
                for name, spec, conv in fields
                if name is not None
            )
            sample = ""
            if plain:  # tried only once its widths are known to be small
                try:
                    sample = pattern.format(seq=99999, code="DP-PLP", year=2026, month=12)
                except ValueError:  # a number's format given to the code, a text
                    plain = False
            if not plain or len(sample) > NUMBER_MAX_LENGTH:
                raise forms.ValidationError(
                    _(
                        "Use the placeholders as they are, e.g. {seq}, or with a width of at most"
                        " two digits, e.g. {seq:03d}; a number may be at most %(limit)d"
                        " characters long."
                    )
                    % {"limit": NUMBER_MAX_LENGTH}
                )
        if not names - {None} <= NUMBER_PLACEHOLDERS:
            raise forms.ValidationError(
                _(
                    "Use only the placeholders {seq}, {code}, {year} and {month}, "
                    'e.g. "{seq:03d}/{code}/{year}".'
                )
            )
        if "seq" not in names:
            raise forms.ValidationError(_("The format needs the running number {seq}."))
        return pattern


class LocalizedDecimalField(forms.DecimalField):
    """An amount typed as the page's language writes numbers, whatever the currency.

    On an Indonesian page "5.950.000" is five million nine hundred and fifty thousand and
    "5.950.000,50" has fifty cents; on an English page the same is "5,950,000.50". Plain
    digits ("5950000") are read everywhere. A single separator that cannot be a thousands
    group ("108.5" on an Indonesian page) is read as the decimal point, since it can mean
    nothing else; "1.650" stays one thousand six hundred and fifty there. Anything else is
    refused with the field's message, never guessed.
    """

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, (int, Decimal)):
            return super().to_python(value)
        text = read_localized_number(str(value))
        if text is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(text)

    def prepare_value(self, value):
        if isinstance(value, (int, Decimal)):
            return formatting.number(value)
        return value


def read_localized_number(text: str) -> str | None:
    """``text`` as a plain number ("5950000.50") read in the active language, or None."""
    decimal_sep = formats.get_format("DECIMAL_SEPARATOR", use_l10n=True)
    group_sep = formats.get_format("THOUSAND_SEPARATOR", use_l10n=True)
    text = "".join(text.split()).replace("\u00a0", "")
    sign = ""
    if text and text[0] in "+-":
        sign, text = ("-" if text[0] == "-" else ""), text[1:]
    whole, fraction = text, ""
    if decimal_sep in text:
        whole, _sep, fraction = text.rpartition(decimal_sep)
        if not fraction.isdigit():
            return None
    elif text.count(group_sep) == 1 and not re.fullmatch(
        r"\d{1,3}" + re.escape(group_sep) + r"\d{3}", text
    ):
        whole, _sep, fraction = text.partition(group_sep)
        if not (whole.isdigit() and fraction.isdigit()):
            return None
    if re.fullmatch(r"\d{1,3}(" + re.escape(group_sep) + r"\d{3})+", whole):
        whole = whole.replace(group_sep, "")
    if not whole.isdigit():
        return None
    return f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"


class CurrencyField(forms.ChoiceField):
    """An ISO 4217 currency chosen from a list, the programme's own first (``first``)."""

    def __init__(self, *, first=(), **kwargs):
        super().__init__(choices=currency_choices(first), **kwargs)

    def to_python(self, value):
        return super().to_python(value).strip().upper()


class StaffChoiceField(forms.ModelChoiceField):
    """A picker of staff accounts that shows people's names (the username when no name is
    recorded), so nobody has to know who "bkpsdm3" is."""

    def label_from_instance(self, user) -> str:
        return formatting.person_name(user)
