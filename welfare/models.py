"""Duty of care: cases abroad and their timelines, disaster events and their mass checks, the
way home, return planning and the follow-ups after return (purna).

Confidential by default: a case is seen only by users holding ``welfare.view_case`` (HR staff,
the coordinators of the programme, administrators), and only for the participants they see.
Leadership reads counts by kind and severity (``welfare.view_case_counts``), never a case."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participants.models import CheckIn, Contract, CostItem, Participant


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later; a day the month lacks falls back to its last day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


class ParticipantRowsVisibleTo(models.QuerySet):
    """Rows of a participant, seen by users holding ``permission`` for the people they see."""

    permission = ""

    def visible_to(self, user):
        if not user.is_authenticated or not user.has_perm(self.permission):
            return self.none()
        return Participant.objects.visible_to(user).rows_of(self)


# Cases


class CaseQuerySet(ParticipantRowsVisibleTo):
    permission = "welfare.view_case"

    def open(self) -> CaseQuerySet:
        return self.filter(status__in=Case.OPEN_STATUSES)

    def search(self, text: str) -> CaseQuerySet:
        text = " ".join((text or "").split())
        if not text:
            return self
        return self.filter(
            Q(participant__full_name__icontains=text)
            | Q(participant__participant_number__istartswith=text)
            | Q(description__icontains=text)
        )

    def waiting_for_acknowledgement(self, *, now: datetime.datetime) -> CaseQuerySet:
        """Critical cases their owner has not acknowledged within the set time, not yet
        escalated."""
        limit = now - datetime.timedelta(hours=settings.WELFARE_ACKNOWLEDGE_HOURS)
        return self.open().filter(
            severity=Case.Severity.CRITICAL,
            acknowledged_at__isnull=True,
            escalated_at__isnull=True,
            opened_at__lte=limit,
        )


class Case(models.Model):
    class Kind(models.TextChoices):
        ILLNESS = "illness", _("Illness")
        INJURY = "injury", _("Injury")
        ACCIDENT = "accident", _("Accident")
        MENTAL_HEALTH = "mental_health", _("Mental health")
        WORKPLACE_DISPUTE = "workplace_dispute", _("Workplace dispute")
        HARASSMENT = "harassment", _("Harassment or abuse")
        WAGE_BREACH = "wage_breach", _("Wage or contract breach")
        DISASTER = "disaster", _("Disaster")
        LEGAL = "legal", _("Legal trouble")
        MISSING = "missing", _("Missing/absconded")
        DEATH = "death", _("Death")
        FAMILY_EMERGENCY = "family_emergency", _("Family emergency at home")

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    class Source(models.TextChoices):
        CHECK_IN = "check_in", _("Check-in")
        PORTAL = "portal", _("Portal help request")
        EMPLOYER = "employer", _("Employer")
        FAMILY = "family", _("Family")
        EMBASSY = "embassy", _("Embassy/consulate")
        MEDIA = "media", _("Media")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (help requested)")
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        RESOLVED_IN_PLACE = "resolved_in_place", _("Resolved in place")
        EMPLOYER_CHANGED = "employer_changed", _("Employer changed")
        RETURNED_EARLY = "returned_early", _("Returned early")
        DECEASED = "deceased", _("Deceased")
        OTHER = "other", _("Other")

    OPEN_STATUSES = (Status.DRAFT, Status.OPEN, Status.IN_PROGRESS)

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="cases", verbose_name=_("participant")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    reported_via = models.CharField(_("reported by"), max_length=10, choices=Source.choices)
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="welfare_cases",
        verbose_name=_("staff owner"),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    check_in = models.ForeignKey(
        CheckIn,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("help-now check-in"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at"]
        permissions = [("view_case_counts", _("Can see case counts by kind and severity"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(kind=""), name="case_kind_unless_draft"
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(outcome=""), name="case_closed_has_outcome"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "severity"], name="case_status_severity_idx"),
            models.Index(fields=["participant", "opened_at"], name="case_person_opened_idx"),
        ]

    def __str__(self) -> str:
        kind = self.get_kind_display() or self.get_status_display()
        return f"{self.participant} · {kind} ({timezone.localtime(self.opened_at):%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("welfare:case_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class CaseRowQuerySet(models.QuerySet):
    """Rows of a case: a user sees those of the cases they see."""

    def visible_to(self, user):
        return self.filter(case__in=Case.objects.visible_to(user))


class TimelineEntry(models.Model):
    class Party(models.TextChoices):
        KBRI_TOKYO = "kbri_tokyo", _("KBRI Tokyo")
        KJRI_OSAKA = "kjri_osaka", _("KJRI Osaka")
        EMPLOYER = "employer", _("Employer")
        FAMILY = "family", _("Family")
        HOSPITAL = "hospital", _("Hospital")
        POLICE = "police", _("Police")
        INSURER = "insurer", _("Insurer")
        PLACEMENT_AGENCY = "placement_agency", _("National placement agency (BP2MI)")
        PARTICIPANT = "participant", _("The participant")
        OTHER = "other", _("Other")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="entries", verbose_name=_("case")
    )
    at = models.DateTimeField(_("date and time"))
    action = models.TextField(_("what was done"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    with_whom = models.CharField(_("with whom"), max_length=20, choices=Party.choices, blank=True)
    attachment = models.FileField(_("attachment"), upload_to="welfare/%Y/", blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_due = models.DateField(_("next step due"), null=True, blank=True)

    objects = CaseRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_due__isnull=True) | ~Q(next_step=""),
                name="timeline_due_date_has_step",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} · {timezone.localtime(self.at):%Y-%m-%d %H:%M}"


class CaseCost(models.Model):
    """A cost line of the case (treatment abroad, repatriation, family travel...): the link
    lives here, since the cost lines of ``participants`` cannot point up to a case."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="costs", verbose_name=_("case")
    )
    cost_item = models.OneToOneField(
        CostItem, on_delete=models.CASCADE, related_name="welfare_case", verbose_name=_("cost line")
    )

    class Meta:
        verbose_name = _("case cost")
        verbose_name_plural = _("case costs")

    def __str__(self) -> str:
        return str(self.cost_item)


class ChecklistItem(models.Model):
    """What must be done after a death or a disappearance."""

    class Kind(models.TextChoices):
        REMAINS_REPATRIATED = "remains", _("Repatriation of the remains")
        HEIRS_RECORDED = "heirs", _("Heirs recorded in the registry")
        BPJS_CLAIM = "bpjs_claim", _("BPJS Ketenagakerjaan claim")
        EMPLOYER_PAYMENT = "employer_payment", _("Employer's payment")
        INSURER_PAYMENT = "insurer_payment", _("Insurer's payment")
        POLICE_REPORT = "police_report", _("Report to the police")
        EMBASSY_REPORT = "embassy_report", _("Report to the embassy/consulate")
        EMPLOYER_REPORT = "employer_report", _("Report from the employer")
        IMMIGRATION_REPORT = "immigration_report", _("Report to the immigration office")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="checklist", verbose_name=_("case")
    )
    kind = models.CharField(_("item"), max_length=20, choices=Kind.choices)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = CaseRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="checklist_item_once_per_case")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


DEATH_CHECKLIST = (
    ChecklistItem.Kind.REMAINS_REPATRIATED,
    ChecklistItem.Kind.HEIRS_RECORDED,
    ChecklistItem.Kind.BPJS_CLAIM,
    ChecklistItem.Kind.EMPLOYER_PAYMENT,
    ChecklistItem.Kind.INSURER_PAYMENT,
)
MISSING_CHECKLIST = (
    ChecklistItem.Kind.EMPLOYER_REPORT,
    ChecklistItem.Kind.POLICE_REPORT,
    ChecklistItem.Kind.EMBASSY_REPORT,
    ChecklistItem.Kind.IMMIGRATION_REPORT,
)


# Disasters and the mass check


class EventQuerySet(models.QuerySet):
    def visible_to(self, user) -> EventQuerySet:
        if not user.is_authenticated or not user.has_perm("welfare.view_event"):
            return self.none()
        return self

    def open(self) -> EventQuerySet:
        return self.filter(status=Event.Status.OPEN)


class Event(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200, help_text=_("e.g. Earthquake in Ishikawa"))
    occurred_on = models.DateField(_("occurred on"))
    country = models.CharField(_("country (ISO code)"), max_length=2)
    subdivisions = models.JSONField(_("affected prefectures/regions"), default=list)
    cities = models.JSONField(_("affected cities"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_reason = models.TextField(_("why it closed with people not reached"), blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("disaster event")
        verbose_name_plural = _("disaster events")
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("welfare:event_detail", args=[self.pk])


class EventMemberQuerySet(ParticipantRowsVisibleTo):
    permission = "welfare.view_event"

    def not_reached(self) -> EventMemberQuerySet:
        return self.filter(result__in=EventMember.NOT_REACHED)


class EventMember(models.Model):
    """One person the event may touch, and the answer of the check."""

    class Group(models.TextChoices):
        LOCATED = "located", _("Working in the affected area")
        UNKNOWN = "unknown", _("Abroad, place of work unknown")

    class Result(models.TextChoices):
        UNCHECKED = "unchecked", _("Not yet checked")
        SAFE = "safe", _("Safe")
        NEEDS_HELP = "needs_help", _("Needs help")
        NOT_REACHED = "not_reached", _("Not reached")

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        MESSAGE = "message", _("Message")
        EMPLOYER = "employer", _("Employer")
        FAMILY = "family", _("Family")
        EMBASSY = "embassy", _("Embassy/consulate")
        OTHER = "other", _("Other")

    NOT_REACHED = (Result.UNCHECKED, Result.NOT_REACHED)

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="members", verbose_name=_("event")
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="+", verbose_name=_("participant")
    )
    group = models.CharField(_("group"), max_length=10, choices=Group.choices)
    subdivision = models.CharField(_("prefecture/region"), max_length=6, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    result = models.CharField(
        _("result"), max_length=12, choices=Result.choices, default=Result.UNCHECKED
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Channel.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = EventMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("person of an event")
        verbose_name_plural = _("people of an event")
        ordering = ["group", "participant__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "participant"], name="event_member_once_per_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.participant}"

    @property
    def reached(self) -> bool:
        return self.result not in self.NOT_REACHED


# The way home


class ReturnQuerySet(ParticipantRowsVisibleTo):
    permission = "welfare.view_return"


class Return(models.Model):
    class Kind(models.TextChoices):
        EARLY = "early", _("Early return")
        END_OF_CONTRACT = "end_of_contract", _("End of contract")

    participant = models.OneToOneField(
        Participant,
        on_delete=models.PROTECT,
        related_name="return_home",
        verbose_name=_("participant"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    returned_on = models.DateField(_("returned on"))
    reason = models.TextField(_("reason"), blank=True)
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="returns",
        verbose_name=_("case"),
    )
    journey_paid_by = models.CharField(
        _("journey home paid by"), max_length=12, choices=CostItem.Payer.choices
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = ReturnQuerySet.as_manager()

    class Meta:
        verbose_name = _("return home")
        verbose_name_plural = _("returns home")
        ordering = ["-returned_on"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="early") | Q(case__isnull=False), name="return_early_has_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.returned_on:%Y-%m-%d}"


class ReturnTaskQuerySet(ParticipantRowsVisibleTo):
    permission = "welfare.view_returntask"

    def pending(self) -> ReturnTaskQuerySet:
        return self.filter(done_on__isnull=True)


class ReturnTask(models.Model):
    """One item of the return plan, made 90 days before the contract ends."""

    class Kind(models.TextChoices):
        EXTENSION_WISH = "extension_wish", _("Wish to extend asked")
        TICKET = "ticket", _("Ticket home booked")
        LAST_SALARY = "last_salary", _("Last salary paid")
        RESIDENCE_CARD = "residence_card", _("Residence card handed back at the airport")
        PENSION_LUMP_SUM = (
            "pension_lump_sum",
            _("Pension lump-sum withdrawal payment (dattai ichiji-kin) claimed"),
        )

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="return_tasks",
        verbose_name=_("participant"),
    )
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="+", verbose_name=_("contract")
    )
    kind = models.CharField(_("item"), max_length=20, choices=Kind.choices)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = ReturnTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("return planning item")
        verbose_name_plural = _("return planning items")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "kind"], name="return_task_once")
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.get_kind_display()}"


# After return (purna)


class FollowUpQuerySet(ParticipantRowsVisibleTo):
    permission = "welfare.view_followup"

    def due(self, *, today: datetime.date, within_days: int = 0) -> FollowUpQuerySet:
        return self.filter(
            filled_on__isnull=True, due_on__lte=today + datetime.timedelta(days=within_days)
        )

    def filled(self) -> FollowUpQuerySet:
        return self.filter(filled_on__isnull=False)


class FollowUp(models.Model):
    class Activity(models.TextChoices):
        WORKING_ID = "working_id", _("Working in Indonesia")
        BACK_IN_JAPAN = "back_abroad", _("Back in Japan (SSW or certified care worker)")
        STUDYING = "studying", _("Studying")
        OWN_BUSINESS = "own_business", _("Own business")
        LOOKING = "looking", _("Looking for work")
        OTHER = "other", _("Other")

    class EmployerKind(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        PRIVATE = "private", _("Private company")
        HOSPITAL = "hospital", _("Hospital or care home")
        JAPANESE_FIRM = "japanese_firm", _("Japanese company in Indonesia")
        TRAINING_CENTRE = "training_centre", _("Training centre (LPK)")
        OTHER = "other", _("Other")

    class IncomeBand(models.TextChoices):
        NONE = "none", _("No income")
        UNDER_3M = "under_3m", _("Under Rp3 million a month")
        FROM_3M = "3m_6m", _("Rp3–6 million a month")
        FROM_6M = "6m_10m", _("Rp6–10 million a month")
        OVER_10M = "over_10m", _("Over Rp10 million a month")

    class Via(models.TextChoices):
        STAFF = "staff", _("Staff")
        PORTAL = "portal", _("The returnee, through the portal")

    MONTHS = (1, 6, 12)
    # What a follow-up asks (staff fill it, or the returnee in the portal).
    ANSWER_FIELDS = (
        "activity",
        "sector",
        "employer_kind",
        "income_band",
        "willing_to_mentor",
        "willing_to_speak",
        "phone",
        "email",
        "notes",
    )
    IN_WORK = (Activity.WORKING_ID, Activity.BACK_IN_JAPAN, Activity.OWN_BUSINESS)

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("participant"),
    )
    months = models.PositiveSmallIntegerField(_("months after return"))
    due_on = models.DateField(_("due on"))
    filled_on = models.DateField(_("filled in on"), null=True, blank=True)
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filled in by"),
    )
    filled_via = models.CharField(_("filled in by"), max_length=10, choices=Via.choices, blank=True)
    activity = models.CharField(
        _("what the person does now"), max_length=20, choices=Activity.choices, blank=True
    )
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    employer_kind = models.CharField(
        _("kind of employer"), max_length=20, choices=EmployerKind.choices, blank=True
    )
    income_band = models.CharField(
        _("income band"), max_length=10, choices=IncomeBand.choices, blank=True
    )
    willing_to_mentor = models.BooleanField(_("willing to mentor the next batches"), default=False)
    willing_to_speak = models.BooleanField(_("willing to speak at the training"), default=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up after return")
        verbose_name_plural = _("follow-ups after return")
        ordering = ["due_on", "pk"]
        permissions = [("export_alumni", _("Can export the alumni directory"))]
        constraints = [
            models.UniqueConstraint(fields=["participant", "months"], name="follow_up_once"),
            models.CheckConstraint(
                condition=Q(filled_on__isnull=True) | ~Q(activity=""),
                name="follow_up_filled_has_activity",
            ),
        ]
        indexes = [models.Index(fields=["filled_on", "due_on"], name="follow_up_due_idx")]

    def __str__(self) -> str:
        return f"{self.participant} · {self.months}"

    @property
    def in_work(self) -> bool:
        return self.activity in self.IN_WORK
