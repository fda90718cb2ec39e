"""The training year of a batch: its plan, modules, sessions and attendance; days without
teaching; exams, what each programme requires of them, and the results."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cohorts.models import Cohort, Program
from participants.models import Participant, ParticipantRowQuerySet


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


class TrainingPlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> TrainingPlanQuerySet:
        return self.filter(cohort__in=Cohort.objects.visible_to(user))


class TrainingPlan(models.Model):
    """The training year of one batch: the one source of the batch's training dates."""

    cohort = models.OneToOneField(
        Cohort, on_delete=models.CASCADE, related_name="training_plan", verbose_name=_("batch")
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    location = models.CharField(_("location"), max_length=200, default="Banjarmasin")
    attendance_threshold = models.DecimalField(
        _("attendance threshold (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("80"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    objects = TrainingPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="plan_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(attendance_threshold__gte=0) & Q(attendance_threshold__lte=100),
                name="plan_threshold_is_a_percentage",
            ),
        ]

    def __str__(self) -> str:
        return str(self.cohort)

    def get_absolute_url(self) -> str:
        return reverse("training:cohort_training", args=[self.cohort_id])

    def has_ended(self, on: datetime.date) -> bool:
        return self.end_date < on


class ModuleQuerySet(models.QuerySet):
    def visible_to(self, user) -> ModuleQuerySet:
        return self.filter(plan__cohort__in=Cohort.objects.visible_to(user))


class Module(models.Model):
    class Kind(models.TextChoices):
        JAPANESE_LANGUAGE = "japanese_language", _("Japanese language")
        JAPANESE_CULTURE = "japanese_culture", _("Japanese culture")
        BANJAR_CULTURE = "banjar_culture", _("Banjar culture")
        CAREGIVING = "caregiving", _("Caregiving")
        OTHER = "other", _("Other")

    CULTURE_KINDS = frozenset({Kind.JAPANESE_CULTURE, Kind.BANJAR_CULTURE})

    plan = models.ForeignKey(
        TrainingPlan, on_delete=models.CASCADE, related_name="modules", verbose_name=_("plan")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    planned_hours = models.DecimalField(
        _("planned hours"), max_digits=6, decimal_places=1, validators=[MinValueValidator(0)]
    )
    required = models.BooleanField(_("required"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ModuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def deletable(self) -> bool:
        """Whether the module may be deleted: not once it has sessions (cancel or delete them
        first). Reads the ``session_count`` annotation when the list has it."""
        count = getattr(self, "session_count", None)
        return not (self.sessions.exists() if count is None else count)

    @property
    def is_culture(self) -> bool:
        return self.kind in self.CULTURE_KINDS


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> SessionQuerySet:
        return self.filter(module__plan__cohort__in=Cohort.objects.visible_to(user))

    def held(self, on: datetime.date) -> SessionQuerySet:
        """Sessions that took place: not cancelled and dated on or before ``on``."""
        return self.filter(cancelled=False, date__lte=on)

    def held_hours(
        self, on: datetime.date, group: str = "module_id"
    ) -> dict[int, tuple[int, Decimal]]:
        """Each held session's id, with its ``group`` (module by default) and its hours."""
        return {
            row["id"]: (row[group], session_hours(row["start_time"], row["end_time"]))
            for row in self.held(on).values("id", group, "start_time", "end_time")
        }


class Session(models.Model):
    """One meeting (pertemuan) of a module."""

    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("module")
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions_taught",
        verbose_name=_("instructor"),
    )
    guest_instructor = models.CharField(_("guest teacher"), max_length=200, blank=True)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="session_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["module", "date"], name="session_module_date_idx")]

    def __str__(self) -> str:
        return f"{self.module} · {self.date:%Y-%m-%d} {self.start_time:%H.%M}"

    @property
    def hours(self) -> Decimal:
        return session_hours(self.start_time, self.end_time)

    @property
    def teacher(self) -> str:
        if self.instructor:
            return self.instructor.get_full_name() or self.instructor.get_username()
        return self.guest_instructor


def session_hours(start: datetime.time, end: datetime.time) -> Decimal:
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        EXCUSED = "excused", _("Excused")
        SICK = "sick", _("Sick")
        ABSENT = "absent", _("Absent")

    # Present and late count as attended; sick and excused do not.
    ATTENDED = frozenset({Status.PRESENT, Status.LATE})

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("session")
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("participant"),
    )
    status = models.CharField(
        _("attendance"), max_length=10, choices=Status.choices, default=Status.PRESENT
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"], name="attendance_once_per_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.session} · {self.get_status_display()}"


class NonTeachingDay(models.Model):
    """A public holiday, collective leave (cuti bersama) or local day without teaching."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    estimated = models.BooleanField(
        _("estimated"), default=False, help_text=_("The date is an estimate (later Islamic dates).")
    )

    class Meta:
        verbose_name = _("non-teaching day")
        verbose_name_plural = _("non-teaching days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class ExamType(models.Model):
    class Kind(models.TextChoices):
        LANGUAGE = "language", _("Language")
        SKILL = "skill", _("Skill")
        NATIONAL = "national", _("National qualification")
        INTERNAL = "internal", _("Internal")

    class Rule(models.TextChoices):
        MIN_SCORE = "min_score", _("Minimum score")
        PASS_FAIL = "pass_fail", _("Pass or fail")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    rule = models.CharField(_("pass rule"), max_length=10, choices=Rule.choices)
    pass_score = models.DecimalField(
        _("pass score"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    max_score = models.DecimalField(
        _("maximum score"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("exam type")
        verbose_name_plural = _("exam types")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rule="pass_fail") | Q(pass_score__isnull=False),
                name="exam_type_score_rule_has_pass_score",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def passes(self, score: Decimal | None) -> bool | None:
        """Whether a score passes; None when the rule is pass/fail (recorded by hand)."""
        if self.rule != self.Rule.MIN_SCORE or score is None:
            return None
        return score >= self.pass_score


class ExamRequirement(models.Model):
    """A group of exams any one of which a participant of the programme must pass."""

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="exam_requirements",
        verbose_name=_("programme"),
    )
    name = models.CharField(
        _("name"), max_length=200, help_text=_("e.g. Japanese: JLPT N4 or higher, or JFT-Basic")
    )
    exam_types = models.ManyToManyField(
        ExamType, related_name="+", verbose_name=_("any of these exams")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("exam requirement")
        verbose_name_plural = _("exam requirements")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ExamResultQuerySet(ParticipantRowQuerySet):
    def passed(self) -> ExamResultQuerySet:
        return self.filter(passed=True)


class ExamResult(models.Model):
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="exam_results",
        verbose_name=_("participant"),
    )
    exam_type = models.ForeignKey(
        ExamType, on_delete=models.PROTECT, related_name="results", verbose_name=_("exam")
    )
    date = models.DateField(_("date"))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField(_("passed"))
    certificate = models.FileField(
        _("certificate"), upload_to="training/certificates/%Y/", blank=True
    )
    note = models.CharField(_("note"), max_length=200, blank=True, help_text=_("e.g. partial pass"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    history = HistoricalRecords()
    objects = ExamResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("exam result")
        verbose_name_plural = _("exam results")
        ordering = ["-date"]
        indexes = [
            models.Index(fields=["participant", "exam_type"], name="exam_result_person_type_idx")
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.exam_type} · {self.date:%Y-%m-%d}"


class CertificateQuerySet(ParticipantRowQuerySet):
    def valid(self) -> CertificateQuerySet:
        return self.filter(revoked_at__isnull=True)


class Certificate(models.Model):
    """A training certificate or a Duta Budaya Banjar charter, verifiable by its token."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training certificate")
        AMBASSADOR = "ambassador", _("Duta Budaya Banjar charter")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("participant"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=100, unique=True)
    token = models.CharField(_("verification token"), max_length=43, unique=True, editable=False)
    issued_on = models.DateField(_("issued on"))
    hours = models.DecimalField(_("hours attended"), max_digits=7, decimal_places=1)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["participant__participant_number", "kind"]
        permissions = [("issue_certificates", _("Can issue certificates"))]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "kind"], name="certificate_once_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def get_verify_url(self) -> str:
        return reverse("verify", args=[self.token])
