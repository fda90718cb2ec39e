from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort
from delegation.forms import DocumentFileField
from delegation.roles import Role
from delegation.uploads import MAX_UPLOAD_BYTES
from participants.models import Participant, Region
from participants.nik import normalise_nik
from participants.phones import normalise_phone
from recruitment.models import Application, Call, CommitteeMember, Objection, Stage
from recruitment.services import (
    APPLICANT_FIELDS,
    OBJECTION_WORKING_DAYS,
    ScoreEntry,
    validate_scan,
    working_days_after,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class RegionField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, region: Region) -> str:
        return f"{region.name} ({region.code})"


class CallForm(forms.ModelForm):
    education_levels = forms.MultipleChoiceField(
        label=_("Education levels accepted"),
        choices=Participant.Education.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every level."),
    )
    regions = RegionField(
        label=_("Regions accepted"),
        queryset=Region.objects.order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("A province accepts all its regencies and cities; none: every region."),
    )
    required_documents = forms.CharField(
        label=_("Documents to upload"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, e.g. KTP, Ijazah, Surat Keterangan Sehat."),
    )

    class Meta:
        model = Call
        fields = [
            "program",
            "cohort",
            "title",
            "number",
            "opens_at",
            "closes_at",
            "quota_worker",
            "quota_scholarship",
            "reserves",
            "age_reference_date",
            "min_age",
            "max_age",
            "education_levels",
            "regions",
            "region_basis",
            "sex",
            "required_documents",
            "text",
        ]
        widgets = {
            "opens_at": DATETIME_INPUT,
            "closes_at": DATETIME_INPUT,
            "age_reference_date": DATE_INPUT,
            "text": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["cohort"].queryset = (
            Cohort.objects.filter(program__in=programs)
            .exclude(status__in=[Cohort.Status.DEPARTED, Cohort.Status.CLOSED])
            .select_related("program")
        )
        self.fields["cohort"].label_from_instance = lambda c: f"{c.program.name} — {c}"
        if self.instance.pk:
            self.initial["required_documents"] = "\n".join(self.instance.required_documents)
        else:
            # The city and its province, by default (Kota Banjarmasin, Kalimantan Selatan).
            self.initial.setdefault(
                "regions", list(Region.objects.filter(code__in=["63", "63.71"]))
            )

    def clean_required_documents(self) -> list[str]:
        lines = self.cleaned_data["required_documents"].splitlines()
        names = []
        for line in lines:
            name = " ".join(line.split())[:100]
            if name and name not in names:
                names.append(name)
        return names


class StageForm(forms.ModelForm):
    class Meta:
        model = Stage
        fields = [
            "order",
            "name",
            "kind",
            "scoring",
            "weight",
            "pass_mark",
            "eliminates",
            "scheduled_on",
            "place",
        ]
        widgets = {"scheduled_on": DATE_INPUT}

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scoring") == Stage.Scoring.PASS_FAIL:
            cleaned["weight"] = Decimal(0)
            cleaned["pass_mark"] = None
        order = cleaned.get("order")
        clash = Stage.objects.filter(call=self.call, order=order).exclude(pk=self.instance.pk)
        if order is not None and clash.exists():
            self.add_error("order", _("Another stage of this call has this order."))
        return cleaned


class CommitteeMemberForm(forms.ModelForm):
    class Meta:
        model = CommitteeMember
        fields = ["user", "name", "position", "institution", "nip", "stages"]
        widgets = {"stages": forms.CheckboxSelectMultiple}

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        users = get_user_model().objects.filter(
            Q(groups__name=Role.SELECTION_COMMITTEE) | Q(groups__name=Role.HR_STAFF)
        )
        self.fields["user"].queryset = users.distinct().order_by("username")
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.get_username()
        self.fields["stages"].queryset = call.stages.all()

    def clean_user(self):
        user = self.cleaned_data.get("user")
        if user is not None:
            taken = CommitteeMember.objects.filter(call=self.call, user=user)
            if taken.exclude(pk=self.instance.pk).exists():
                raise forms.ValidationError(_("This account is already on the committee."))
        return user


class ConflictForm(forms.Form):
    application = forms.ModelChoiceField(label=_("Applicant"), queryset=Application.objects.none())
    relation = forms.CharField(
        label=_("Relation"), max_length=200, help_text=_("e.g. nephew, neighbour, former pupil")
    )

    def __init__(self, *args, member: CommitteeMember, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = member.call.applications.exclude(
            conflicts__member=member
        ).order_by("full_name")


class ScanField(DocumentFileField):
    """An applicant's document: checked as every upload, and an image also by its pixels."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if isinstance(upload, UploadedFile):
            validate_scan(upload)
        return upload


class CallDocumentsMixin:
    """A form with a file field ``document_<n>`` for each of ``self.document_names`` (the
    documents a call asks for): ``documents()`` gives the files chosen, by name."""

    document_names: list[str]

    def documents(self) -> dict:
        return {
            name: self.cleaned_data[f"document_{index}"]
            for index, name in enumerate(self.document_names)
            if self.cleaned_data.get(f"document_{index}")
        }


class NikReasonWhenNeededMixin:
    """The field for why a NIK is right nonetheless stays out of sight until the NIK is
    found wrong (or a reason was already given): most applicants never need it."""

    def hide_nik_reason_until_needed(self) -> None:
        field = self.fields["nik_reason"]
        self.nik_reason_widget = field.widget
        if not str(self["nik_reason"].value() or "").strip():
            field.widget = forms.HiddenInput()

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        if "nik" in self._errors:
            self.fields["nik_reason"].widget = self.nik_reason_widget


class ApplicationForm(NikReasonWhenNeededMixin, CallDocumentsMixin, forms.ModelForm):
    """The applicant's data at the counter; a file field per document the call asks for."""

    class Meta:
        model = Application
        fields = list(APPLICANT_FIELDS)
        widgets = {
            "birth_date": DATE_INPUT,
            "nik": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "nik_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        regencies = Region.objects.regencies().order_by("code")
        for name in ("ktp_regency", "domicile_regency"):
            self.fields[name].queryset = regencies
            self.fields[name].label_from_instance = lambda r: f"{r.name} ({r.code})"
        self.fields["nik_reason"].help_text = _(
            "Only when the NIK disagrees with the birth date or sex and is right nonetheless."
        )
        self.hide_nik_reason_until_needed()
        self.document_names = list(call.required_documents)
        for index, name in enumerate(self.document_names):
            self.fields[f"document_{index}"] = ScanField(
                label=name,
                required=False,
                widget=forms.ClearableFileInput(
                    attrs={"accept": "application/pdf,image/png,image/jpeg"}
                ),
                help_text=_("PDF, JPEG or PNG, at most %(size)d MB.")
                % {"size": MAX_UPLOAD_BYTES // 2**20},
            )

    def _post_clean(self):
        # The service validates the application as a whole (rules, NIK, uniqueness).
        pass

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_nik(self) -> str:
        return normalise_nik(self.cleaned_data["nik"])

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"])

    def applicant_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in APPLICANT_FIELDS}


class CheckForm(forms.Form):
    eligible = forms.TypedChoiceField(
        label=_("Administrative check"),
        choices=[("1", _("Eligible")), ("0", _("Not eligible"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("eligible") is False and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give the reason the applicant is not eligible."))
        return cleaned


class PublishForm(forms.Form):
    """The objection period's last day, set by HR when the provisional result is published:
    by default ``OBJECTION_WORKING_DAYS`` working days after the publication."""

    objection_until = forms.DateField(
        label=_("Objections until"), required=False, widget=DATE_INPUT
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        default = working_days_after(today, OBJECTION_WORKING_DAYS)
        field = self.fields["objection_until"]
        field.widget.attrs["min"] = today.isoformat()
        field.help_text = _(
            "Empty: three working days after publication, without weekends and holidays "
            "(%(day)s if published today)."
        ) % {"day": date_format(default, "l, j F Y")}

    def clean_objection_until(self):
        day = self.cleaned_data.get("objection_until")
        if day is not None and day < self.today:
            raise forms.ValidationError(
                _("The objection period cannot end before the result is published (%(day)s).")
                % {"day": date_format(self.today, "j F Y")}
            )
        return day


class ObjectionForm(forms.ModelForm):
    class Meta:
        model = Objection
        fields = ["application", "received_on", "text"]
        widgets = {"received_on": DATE_INPUT, "text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = call.applications.order_by("full_name")
        self.fields["application"].label_from_instance = lambda a: (
            f"{a.registration_number} — {a.full_name}"
        )
        self.fields["received_on"].initial = timezone.localdate()

    def _post_clean(self):
        pass


class AnswerForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Verdict"), choices=Objection.Verdict.choices, widget=forms.RadioSelect
    )
    answer = forms.CharField(
        label=_("Committee's answer"), widget=forms.Textarea(attrs={"rows": 4})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class MemberChoiceForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Scores of"), queryset=CommitteeMember.objects.none())

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = CommitteeMember.objects.filter(
            pk__in=[m.pk for m in members]
        )


class ScoreSheetForm(forms.Form):
    """All applicants sitting a stage on one page: a score (or pass/fail) and a note each."""

    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required once the stage is locked; kept in the scores' history."),
    )

    def __init__(self, *args, stage: Stage, applications, scores: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage = stage
        self.rows = []
        for application in applications:
            score = scores.get(application.pk)
            if stage.is_scored:
                field = forms.DecimalField(
                    label=application.full_name,
                    required=False,
                    min_value=Decimal(0),
                    max_value=Decimal(100),
                    decimal_places=2,
                    localize=True,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
                )
                initial = score.value if score else None
            else:
                field = forms.TypedChoiceField(
                    label=application.full_name,
                    required=False,
                    choices=[("", "—"), ("1", _("Passed")), ("0", _("Failed"))],
                    coerce=lambda value: value == "1",
                    empty_value=None,
                )
                initial = (
                    "" if not score or score.passed is None else ("1" if score.passed else "0")
                )
            key = f"a{application.pk}"
            self.fields[key] = field
            self.fields[f"{key}_note"] = forms.CharField(
                label=_("Note"), required=False, max_length=300
            )
            self.initial[key] = initial
            self.initial[f"{key}_note"] = score.note if score else ""
            self.rows.append((application, key))

    def bound_rows(self):
        return [(a, self[key], self[f"{key}_note"]) for a, key in self.rows]

    def entries(self):
        entries = []
        for application, key in self.rows:
            value = self.cleaned_data.get(key)
            note = self.cleaned_data.get(f"{key}_note", "")
            if self.stage.is_scored:
                entries.append(ScoreEntry(application, value=value, note=note))
            else:
                entries.append(ScoreEntry(application, passed=value, note=note))
        return entries
