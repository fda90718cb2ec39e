from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, Program
from delegation.forms import DocumentFileField
from delegation.roles import Role
from participants.models import Participant, Status
from participants.services import BULK_MOVES
from training.models import (
    ExamRequirement,
    ExamResult,
    ExamType,
    Module,
    NonTeachingDay,
    Session,
    TrainingPlan,
    add_months,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


def instructors():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.INSTRUCTOR)
        .order_by("first_name", "username")
    )


class InstructorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.get_username()


class PlanForm(forms.ModelForm):
    end_date = forms.DateField(
        label=_("End"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Leave empty to end after the programme's training length."),
    )

    class Meta:
        model = TrainingPlan
        fields = ["start_date", "end_date", "location", "attendance_threshold"]
        widgets = {"start_date": DATE_INPUT}

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and not end:
            cleaned["end_date"] = add_months(
                start, self.program.training_months
            ) - datetime.timedelta(days=1)
        elif start and end and end < start:
            self.add_error("end_date", _("The plan cannot end before it starts."))
        return cleaned


class ModuleForm(forms.ModelForm):
    class Meta:
        model = Module
        fields = ["name", "kind", "planned_hours", "required", "order"]


class ScheduleForm(forms.Form):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    start_date = forms.DateField(label=_("From"), widget=DATE_INPUT)
    end_date = forms.DateField(label=_("Until"), widget=DATE_INPUT)
    start_time = forms.TimeField(label=_("Starts at"), widget=TIME_INPUT)
    end_time = forms.TimeField(label=_("Ends at"), widget=TIME_INPUT)
    instructor = InstructorChoiceField(label=_("Instructor"), queryset=None, required=False)
    guest_instructor = forms.CharField(
        label=_("Or a guest teacher"), required=False, max_length=200
    )
    topic = forms.CharField(label=_("Topic"), required=False, max_length=200)
    skip = forms.CharField(
        label=_("Also skip these dates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One date a line or separated by commas, as YYYY-MM-DD."),
    )

    def __init__(self, *args, plan: TrainingPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["instructor"].queryset = instructors()
        self.fields["start_date"].initial = plan.start_date
        self.fields["end_date"].initial = plan.end_date

    def clean_skip(self) -> set[datetime.date]:
        text = self.cleaned_data["skip"].replace(",", "\n")
        dates = set()
        for item in filter(None, (line.strip() for line in text.splitlines())):
            try:
                dates.add(datetime.date.fromisoformat(item))
            except ValueError:
                raise forms.ValidationError(
                    _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": item}
                ) from None
        return dates

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end:
            if end < start:
                self.add_error("end_date", _("The last date comes before the first."))
            elif start < self.plan.start_date or end > self.plan.end_date:
                self.add_error("end_date", _("Keep the sessions within the training plan's dates."))
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("A session ends after it starts."))
        return cleaned


class SessionForm(forms.ModelForm):
    instructor = InstructorChoiceField(label=_("Instructor"), queryset=None, required=False)

    class Meta:
        model = Session
        fields = [
            "date",
            "start_time",
            "end_time",
            "instructor",
            "guest_instructor",
            "topic",
            "cancelled",
        ]
        widgets = {"date": DATE_INPUT, "start_time": TIME_INPUT, "end_time": TIME_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instructor"].queryset = instructors()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("A session ends after it starts."))
        return cleaned


class NonTeachingDayForm(forms.ModelForm):
    class Meta:
        model = NonTeachingDay
        fields = ["date", "name", "estimated"]
        widgets = {"date": DATE_INPUT}


ExamRequirementFormSet = forms.inlineformset_factory(
    Program,
    ExamRequirement,
    fields=["name", "exam_types", "order"],
    widgets={"exam_types": forms.CheckboxSelectMultiple},
    extra=1,
    can_delete=True,
)

PASS_CHOICES = [("", "—"), ("pass", _("Passed")), ("fail", _("Not passed"))]


def judge(exam_type: ExamType, score, verdict: str) -> tuple[bool | None, str | None]:
    """(passed, error): a score rule decides from the score, a pass/fail rule from the verdict."""
    if score is not None and exam_type.max_score is not None and score > exam_type.max_score:
        return None, _("The highest score of %(exam)s is %(max)s.") % {
            "exam": exam_type.name,
            "max": exam_type.max_score,
        }
    if exam_type.rule == ExamType.Rule.MIN_SCORE:
        if score is None:
            return None, _("%(exam)s is passed by score: give the score.") % {
                "exam": exam_type.name
            }
        return exam_type.passes(score), None
    if not verdict:
        return None, _("Say whether it was passed.")
    return verdict == "pass", None


class ExamResultForm(forms.ModelForm):
    verdict = forms.ChoiceField(
        label=_("Result"),
        choices=PASS_CHOICES,
        required=False,
        help_text=_("For exams passed by score, the score decides."),
    )

    class Meta:
        model = ExamResult
        fields = ["exam_type", "date", "score", "verdict", "certificate", "note"]
        field_classes = {"certificate": DocumentFileField}
        widgets = {"date": DATE_INPUT}

    def clean_date(self):
        return exam_date(self.cleaned_data["date"])

    def clean(self):
        cleaned = super().clean()
        exam_type = cleaned.get("exam_type")
        if exam_type:
            passed, error = judge(exam_type, cleaned.get("score"), cleaned.get("verdict", ""))
            if error:
                self.add_error(None, error)
            else:
                self.instance.passed = passed
        return cleaned


class BatchExamForm(forms.Form):
    exam_type = forms.ModelChoiceField(label=_("Exam"), queryset=ExamType.objects.all())
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)

    def clean_date(self):
        return exam_date(self.cleaned_data["date"])


def exam_date(date: datetime.date) -> datetime.date:
    """An exam result is dated on or before today (a day's grace for time zones)."""
    if date > datetime.date.today() + datetime.timedelta(days=1):
        raise forms.ValidationError(_("An exam result cannot be dated in the future."))
    return date


class DepartForm(forms.Form):
    departure_date = forms.DateField(label=_("Departure date"), widget=DATE_INPUT)
    flight = forms.CharField(label=_("Flight"), max_length=50, required=False)


class CohortDepartForm(forms.Form):
    flight = forms.CharField(label=_("Flight"), max_length=50, required=False)


class BulkAction(models.TextChoices):
    ACCEPT = "accept", _("Accept into training")
    MOVE = "move", _("Change status")
    TRANSFER = "transfer", _("Move to another batch")
    READY = "mark_ready", _("Mark ready (readiness check)")


class BulkActionForm(forms.Form):
    """One action for the participants ticked in a batch's list, with one date and reason."""

    participants = forms.ModelMultipleChoiceField(
        label=_("Participants"),
        queryset=Participant.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one participant.")},
    )
    action = forms.ChoiceField(label=_("Action"), choices=BulkAction.choices)
    to_status = forms.ChoiceField(
        label=_("New status"),
        required=False,
        help_text=_("For “Change status”."),
    )
    cohort = forms.ModelChoiceField(
        label=_("New batch"),
        queryset=Cohort.objects.none(),
        required=False,
        help_text=_("For “Move to another batch”."),
    )
    effective_date = forms.DateField(
        label=_("Effective date"),
        widget=DATE_INPUT,
        help_text=_("“Mark ready” is checked as of the planned departure, as on each page."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed for withdrawn and postponed."),
    )

    def __init__(self, *args, participants, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = participants
        labels = dict(Status.choices)
        self.fields["to_status"].choices = [("", "—"), *((s, labels[s]) for s in BULK_MOVES)]
        self.fields["cohort"].queryset = cohorts.exclude(
            status__in=[Cohort.Status.DEPARTED, Cohort.Status.CLOSED]
        ).select_related("program")
        self.fields["effective_date"].initial = timezone.localdate()

    def clean_effective_date(self):
        date = self.cleaned_data["effective_date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The effective date cannot be in the future."))
        return date

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == BulkAction.MOVE and not data.get("to_status"):
            self.add_error("to_status", _("Choose the new status."))
        if action == BulkAction.TRANSFER and not data.get("cohort"):
            self.add_error("cohort", _("Choose the batch to move them to."))
        return data
