from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from delegation.uploads import validate_document_upload

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
