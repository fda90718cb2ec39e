"""Recruitment and selection: a call for applications, the applications, the stages of the
selection, the committee and its conflict declarations, the scores, the objections and what
the decision leaves on each application.

An applicant is not a ``Participant``: only the call's decision creates (or links) one.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, Program, ProgramAssignment
from delegation.roles import Role, sees_everything, user_has_role
from participants.models import DIGITS_16, Participant, Region

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class CallQuerySet(models.QuerySet):
    def visible_to(self, user) -> CallQuerySet:
        """HR staff and administrators see every call; coordinators and leadership the calls
        of their programmes; a committee member the calls they serve on."""
        if not user.is_authenticated:
            return self.none()
        if sees_everything(user):
            return self
        served = CommitteeMember.objects.filter(user=user).values("call_id")
        # Coordinators and leadership by their programme assignments (not instructors,
        # whose batches make the programme visible but not its selection).
        assigned = ProgramAssignment.objects.filter(user=user).values("program_id")
        return self.filter(Q(program_id__in=assigned) | Q(pk__in=served))

    def open_now(self, *, now: datetime.datetime | None = None) -> CallQuerySet:
        now = now or timezone.now()
        return self.filter(status=Call.Status.OPEN, opens_at__lte=now, closes_at__gt=now)


class Call(models.Model):
    """A call for applications (pengumuman penerimaan) for one batch of a programme."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for applications")
        CLOSED = "closed", _("Closed")
        SCORING = "scoring", _("Selection under way")
        PROVISIONAL = "provisional", _("Provisional result (objection period)")
        DECIDED = "decided", _("Decided")
        CANCELLED = "cancelled", _("Cancelled")

    MOVES = {
        Status.DRAFT: [Status.OPEN, Status.CANCELLED],
        Status.OPEN: [Status.CLOSED, Status.CANCELLED],
        Status.CLOSED: [Status.SCORING, Status.CANCELLED],
        Status.SCORING: [Status.CANCELLED],  # on to the result only by publishing it
        Status.PROVISIONAL: [Status.CANCELLED],  # on to decided only by the decision
        Status.DECIDED: [],
        Status.CANCELLED: [],
    }

    class RegionBasis(models.TextChoices):
        KTP = "ktp", _("Regency on the KTP")
        DOMICILE = "domicile", _("Regency of domicile")

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="calls", verbose_name=_("programme")
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="calls", verbose_name=_("target batch")
    )
    title = models.CharField(_("title"), max_length=200)
    number = models.CharField(_("announcement number"), max_length=100, blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    quota_worker = models.PositiveSmallIntegerField(_("quota: workers"), default=0)
    quota_scholarship = models.PositiveSmallIntegerField(
        _("quota: scholarship recipients"), default=0
    )
    reserves = models.PositiveSmallIntegerField(
        _("reserves per track"),
        default=0,
        help_text=_("How many applicants after the quota of each track are kept as reserves."),
    )
    age_reference_date = models.DateField(_("age reference date"))
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=18)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), default=35)
    education_levels = models.JSONField(_("education levels accepted"), default=list, blank=True)
    regions = models.ManyToManyField(
        Region,
        blank=True,
        related_name="+",
        verbose_name=_("domicile regions accepted"),
        help_text=_("Regencies, cities or provinces; empty accepts every region."),
    )
    region_basis = models.CharField(
        _("eligibility reads"),
        max_length=10,
        choices=RegionBasis.choices,
        default=RegionBasis.KTP,
    )
    sex = models.CharField(
        _("sex required"),
        max_length=1,
        choices=Participant.Gender.choices,
        blank=True,
        help_text=_("Only when the partner requires it."),
    )
    required_documents = models.JSONField(_("documents to upload"), default=list, blank=True)
    text = models.TextField(_("published text"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    result_published_on = models.DateField(_("provisional result published on"), null=True)
    objection_until = models.DateField(_("objections until"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        ordering = ["-opens_at", "-pk"]
        permissions = [("decide_call", _("Can publish the result and decide a call"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(max_age__gte=models.F("min_age")), name="call_age_range_ordered"
            ),
        ]
        indexes = [models.Index(fields=["status", "opens_at"], name="call_status_opens_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("recruitment:call_detail", args=[self.pk])

    def clean(self) -> None:
        if self.cohort_id and self.program_id and self.cohort.program_id != self.program_id:
            raise ValidationError({"cohort": gettext("The batch belongs to another programme.")})
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": gettext("The call closes after it opens.")})
        if self.min_age is not None and self.max_age is not None and self.max_age < self.min_age:
            raise ValidationError({"max_age": gettext("The maximum age is below the minimum.")})
        unknown = set(self.education_levels or []) - set(Participant.Education.values)
        if unknown:
            raise ValidationError({"education_levels": gettext("Unknown education level.")})

    def quota_for(self, track: str) -> int:
        return (
            self.quota_scholarship if track == Participant.Track.SCHOLARSHIP else self.quota_worker
        )

    @property
    def accepting(self) -> bool:
        now = timezone.now()
        return self.status == self.Status.OPEN and self.opens_at <= now < self.closes_at


class SelectionDocument(models.TextChoices):
    """The printed documents of a call (made as background jobs by the documents package),
    each available from a status of the call on."""

    ANNOUNCEMENT = "call_announcement", _("Announcement of the call")
    RESULT = "selection_result", _("Announcement of the result (Pengumuman Hasil Seleksi)")
    MINUTES = "selection_minutes", _("Minutes of the result (Berita Acara Hasil Seleksi)")
    DECREE = "selection_decree", _("Draft mayor's decree (Keputusan Wali Kota)")


DOCUMENT_FROM = {
    SelectionDocument.ANNOUNCEMENT: [
        Call.Status.OPEN,
        Call.Status.CLOSED,
        Call.Status.SCORING,
        Call.Status.PROVISIONAL,
        Call.Status.DECIDED,
    ],
    SelectionDocument.RESULT: [Call.Status.PROVISIONAL, Call.Status.DECIDED],
    SelectionDocument.MINUTES: [Call.Status.PROVISIONAL, Call.Status.DECIDED],
    SelectionDocument.DECREE: [Call.Status.DECIDED],
}


def documents_available(call: Call) -> list[tuple[str, str]]:
    return [
        (kind.value, kind.label) for kind in SelectionDocument if call.status in DOCUMENT_FROM[kind]
    ]


class StageQuerySet(models.QuerySet):
    def visible_to(self, user) -> StageQuerySet:
        """The stages of the calls a user sees; a committee member sees the stages they
        assess, and the call's secretary every stage of the call."""
        if not user.is_authenticated:
            return self.none()
        if sees_everything(user):
            return self
        assigned = ProgramAssignment.objects.filter(user=user).values("program_id")
        secretary = CommitteeMember.objects.filter(
            user=user, position=CommitteeMember.Position.SECRETARY
        ).values("call_id")
        assessed = CommitteeMember.objects.filter(user=user).values("stages")
        return self.filter(
            Q(call__program_id__in=assigned) | Q(call_id__in=secretary) | Q(pk__in=assessed)
        )


class Stage(models.Model):
    """One stage of a call's selection, in order."""

    class Kind(models.TextChoices):
        ADMINISTRATION = "administration", _("Administrative check")
        LANGUAGE = "language", _("Written / Japanese language test")
        PSYCHOTEST = "psychotest", _("Psychological test")
        INTERVIEW = "interview", _("Interview")
        MEDICAL = "medical", _("Medical check-up (MCU)")
        OTHER = "other", _("Other")

    class Scoring(models.TextChoices):
        SCORE = "score", _("Score 0–100")
        PASS_FAIL = "pass_fail", _("Pass or fail")

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="stages", verbose_name=_("call")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    scoring = models.CharField(_("scoring"), max_length=10, choices=Scoring.choices)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, default=Decimal("0"), validators=PERCENT
    )
    pass_mark = models.DecimalField(
        _("pass mark"), max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    eliminates = models.BooleanField(
        _("eliminates"), default=True, help_text=_("Only those who pass it sit the next stage.")
    )
    scheduled_on = models.DateField(_("scheduled on"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("locked by"),
    )

    objects = StageQuerySet.as_manager()

    class Meta:
        verbose_name = _("selection stage")
        verbose_name_plural = _("selection stages")
        ordering = ["call", "order"]
        constraints = [
            models.UniqueConstraint(fields=["call", "order"], name="stage_unique_order"),
            models.CheckConstraint(
                condition=Q(scoring="score") | Q(weight=0), name="stage_weight_only_when_scored"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    @property
    def is_scored(self) -> bool:
        return self.scoring == self.Scoring.SCORE

    @property
    def locked(self) -> bool:
        return self.locked_at is not None


class CommitteeMember(models.Model):
    """A member of a call's selection committee (panitia seleksi)."""

    class Position(models.TextChoices):
        CHAIR = "chair", _("Chair (ketua)")
        SECRETARY = "secretary", _("Secretary (sekretaris)")
        MEMBER = "member", _("Member (anggota)")

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="committee", verbose_name=_("call")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committee_seats",
        verbose_name=_("account"),
        help_text=_("Empty for an assessor without an account: the secretary enters their scores."),
    )
    name = models.CharField(_("name with titles"), max_length=200)
    position = models.CharField(_("position"), max_length=10, choices=Position.choices)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    nip = models.CharField(_("NIP"), max_length=21, blank=True)
    stages = models.ManyToManyField(
        Stage, blank=True, related_name="assessors", verbose_name=_("stages assessed")
    )
    pact_signed_at = models.DateTimeField(_("integrity pact signed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["call", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "user"],
                condition=Q(user__isnull=False),
                name="committee_member_once_per_call",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_position_display()})"


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user) -> ApplicationQuerySet:
        """The applications of the calls a user sees; a committee member without another
        role does not see the applicants they declared a relation to."""
        calls = Call.objects.visible_to(user)
        visible = self.filter(call__in=calls)
        if (
            sees_everything(user)
            or user_has_role(user, Role.COORDINATOR)
            or user_has_role(user, Role.LEADERSHIP)
        ):
            return visible
        return visible.exclude(
            pk__in=ConflictDeclaration.objects.filter(member__user=user).values("application_id")
        )

    def eligible(self) -> ApplicationQuerySet:
        return self.filter(auto_eligible=True).exclude(admin_status=Application.Check.INELIGIBLE)

    def search(self, text: str) -> ApplicationQuerySet:
        text = " ".join((text or "").split())
        if not text:
            return self
        return self.filter(Q(full_name__icontains=text) | Q(registration_number__icontains=text))


class Application(models.Model):
    """One person's application to one call, with their own data as they gave it."""

    class Channel(models.TextChoices):
        COUNTER = "counter", _("At the counter")
        PORTAL = "portal", _("Online portal")

    class Check(models.TextChoices):
        PENDING = "pending", _("Not checked yet")
        ELIGIBLE = "eligible", _("Eligible")
        INELIGIBLE = "ineligible", _("Not eligible")

    class Outcome(models.TextChoices):
        SELECTED = "selected", _("Selected")
        RESERVE = "reserve", _("Reserve")
        NOT_SELECTED = "not_selected", _("Not selected")
        INELIGIBLE = "ineligible", _("Not eligible")

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call")
    )
    registration_number = models.CharField(_("registration number"), max_length=30, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )

    full_name = models.CharField(_("full name"), max_length=200)
    nik = models.CharField(_("NIK"), max_length=16, validators=[DIGITS_16])
    nik_reason = models.TextField(_("reason for accepting the NIK"), blank=True)
    birth_date = models.DateField(_("birth date"))
    birth_place = models.CharField(_("birth place"), max_length=100, blank=True)
    gender = models.CharField(_("sex"), max_length=1, choices=Participant.Gender.choices)
    ktp_street = models.CharField(_("street (KTP)"), max_length=200, blank=True)
    ktp_village = models.CharField(_("kelurahan/desa (KTP)"), max_length=100, blank=True)
    ktp_district = models.CharField(_("kecamatan (KTP)"), max_length=100, blank=True)
    ktp_regency = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("regency/city (KTP)"),
        limit_choices_to={"level": "regency"},
    )
    domicile_street = models.CharField(_("street (domicile)"), max_length=200, blank=True)
    domicile_regency = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("regency/city (domicile)"),
        limit_choices_to={"level": "regency"},
    )
    education_level = models.CharField(
        _("education level"), max_length=3, choices=Participant.Education.choices
    )
    education_field = models.CharField(_("field of study"), max_length=100, blank=True)
    track = models.CharField(_("track"), max_length=12, choices=Participant.Track.choices)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    auto_eligible = models.BooleanField(_("meets the call's rules"), default=False)
    auto_reasons = models.JSONField(_("reasons from the rules"), default=list, blank=True)
    admin_status = models.CharField(
        _("administrative check"), max_length=10, choices=Check.choices, default=Check.PENDING
    )
    admin_reason = models.TextField(_("reason of the administrative check"), blank=True)
    admin_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    admin_checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank in the track"), null=True, blank=True)
    outcome_reason = models.CharField(_("why"), max_length=300, blank=True)
    total = models.DecimalField(
        _("weighted total"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("participant"),
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["call", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "nik"], name="application_once_per_call"),
            models.CheckConstraint(
                condition=~Q(admin_status="ineligible") | ~Q(admin_reason=""),
                name="application_ineligible_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["call", "track", "outcome"], name="application_outcome_idx"),
            models.Index(fields=["full_name"], name="application_name_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_number} {self.full_name}"

    def get_absolute_url(self) -> str:
        return reverse("recruitment:application_detail", args=[self.pk])

    @property
    def eligible(self) -> bool:
        return self.auto_eligible and self.admin_status != self.Check.INELIGIBLE

    @property
    def region(self) -> Region:
        """The regency the call's rules read: the KTP's, or the domicile's."""
        if self.call.region_basis == Call.RegionBasis.DOMICILE and self.domicile_regency_id:
            return self.domicile_regency
        return self.ktp_regency


class ApplicationDocument(models.Model):
    """A document an applicant gave with the application (a private, content-checked file)."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("application"),
    )
    name = models.CharField(_("document"), max_length=100)
    file = models.FileField(_("file"), upload_to="recruitment/documents/%Y/")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["application", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "name"], name="application_document_once"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ConflictDeclaration(models.Model):
    """A committee member's declared relation to an applicant: it bars them from scoring
    that applicant."""

    member = models.ForeignKey(
        CommitteeMember,
        on_delete=models.CASCADE,
        related_name="conflicts",
        verbose_name=_("committee member"),
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="conflicts",
        verbose_name=_("applicant"),
    )
    relation = models.CharField(_("relation"), max_length=200)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict-of-interest declaration")
        verbose_name_plural = _("conflict-of-interest declarations")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "application"], name="conflict_once_per_applicant"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member.name} — {self.application.full_name}: {self.relation}"


class Score(models.Model):
    """What one assessor gave one applicant at one stage."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="scores", verbose_name=_("applicant")
    )
    stage = models.ForeignKey(
        Stage, on_delete=models.CASCADE, related_name="scores", verbose_name=_("stage")
    )
    member = models.ForeignKey(
        CommitteeMember,
        on_delete=models.PROTECT,
        related_name="scores",
        verbose_name=_("assessor"),
    )
    value = models.DecimalField(
        _("score"), max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "stage", "member"], name="score_once_per_assessor"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | Q(passed__isnull=False),
                name="score_has_a_value_or_verdict",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.stage} · {self.member.name}"

    @property
    def on_behalf(self) -> bool:
        return self.member.user_id != self.entered_by_id


class ScoreChange(models.Model):
    """The history of a score: each change, with its reason (required once locked)."""

    score = models.ForeignKey(
        Score, on_delete=models.CASCADE, related_name="changes", verbose_name=_("score")
    )
    old_value = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    new_value = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    old_passed = models.BooleanField(null=True, blank=True)
    new_passed = models.BooleanField(null=True, blank=True)
    after_lock = models.BooleanField(_("after locking"), default=False)
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("score change")
        verbose_name_plural = _("score changes")
        ordering = ["score", "changed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(after_lock=False) | ~Q(reason=""), name="score_change_locked_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score} ({self.changed_at:%Y-%m-%d %H:%M})"


class Objection(models.Model):
    """An applicant's objection (sanggahan) to the provisional result, and the answer."""

    class Verdict(models.TextChoices):
        REJECTED = "rejected", _("Rejected")
        UPHELD = "upheld", _("Upheld")

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="objections", verbose_name=_("call")
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="objections",
        verbose_name=_("applicant"),
    )
    received_on = models.DateField(_("received on"))
    text = models.TextField(_("objection"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answer = models.TextField(_("committee's answer"), blank=True)
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["call", "received_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(verdict="") | ~Q(answer=""), name="objection_verdict_has_answer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} ({self.received_on})"


class Replacement(models.Model):
    """A withdrawn selected person replaced by the next reserve: who did it, when and why."""

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="replacements", verbose_name=_("call")
    )
    withdrawn = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        verbose_name=_("withdrawn applicant"),
    )
    reserve = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        related_name="replacing",
        verbose_name=_("reserve called"),
    )
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reserve replacement")
        verbose_name_plural = _("reserve replacements")
        ordering = ["call", "at"]
        constraints = [
            models.UniqueConstraint(fields=["withdrawn"], name="replacement_once_per_withdrawal"),
        ]

    def __str__(self) -> str:
        return f"{self.withdrawn.full_name} → {self.reserve.full_name}"
