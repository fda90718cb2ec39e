import re
import string
from dataclasses import dataclass
from pathlib import PurePath

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from delegation.models import Organisation
from delegation.numbering import NUMBER_MAX_LENGTH
from delegation.uploads import validate_image_upload


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
