"""Life in the destination country and the city's monitoring check-ins."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _

from participants.models.people import Participant, ParticipantRowQuerySet, Status


class Residence(models.Model):
    """Where and under which status a participant lives abroad."""

    class Kind(models.TextChoices):
        SSW1 = "ssw1", _("Specified Skilled Worker (i)")
        SSW2 = "ssw2", _("Specified Skilled Worker (ii)")
        CARE = "care", _("Care worker (kaigo visa)")
        STUDENT = "student", _("Student")
        OTHER = "other", _("Other")

    participant = models.OneToOneField(
        Participant,
        on_delete=models.CASCADE,
        related_name="residence",
        verbose_name=_("participant"),
    )
    status = models.CharField(_("residence status"), max_length=10, choices=Kind.choices)
    address = models.CharField(_("address abroad"), max_length=300, blank=True)
    phone = models.CharField(_("phone abroad"), max_length=20, blank=True)
    embassy_report_date = models.DateField(
        _("self-report to the embassy (lapor diri)"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("life abroad")
        verbose_name_plural = _("life abroad")

    def __str__(self) -> str:
        return f"{self.participant} · {self.get_status_display()}"

    @property
    def allows_family(self) -> bool:
        """Specified Skilled Worker (i) allows no family and five years in total."""
        return self.status != self.Kind.SSW1


class CheckInQuerySet(ParticipantRowQuerySet):
    def open_follow_ups(self) -> CheckInQuerySet:
        return self.filter(follow_up_needed=True, follow_up_done_on__isnull=True)

    def latest_per_participant(self) -> list[CheckIn]:
        """Each participant's most recent check-in (by date, then by entry)."""
        latest: dict[int, CheckIn] = {}
        for check_in in self.order_by("participant_id", "-date", "-pk"):
            latest.setdefault(check_in.participant_id, check_in)
        return list(latest.values())


# Who should be checked on: those working abroad.
CHECKED_STATUSES = (Status.WORKING, Status.EXTENDED)


def check_in_limit(today: datetime.date, days: int | None = None) -> datetime.date:
    """The oldest date a check-in may have and still count as recent."""
    days = settings.CHECKIN_OVERDUE_DAYS if days is None else days
    return today - datetime.timedelta(days=days)


def overdue_check_ins(participants, *, today: datetime.date, days: int | None = None):
    """Working participants with no check-in in the last ``days`` (the setting by default)."""
    limit = check_in_limit(today, days)
    return (
        participants.filter(status__in=CHECKED_STATUSES)
        .annotate(last_check_in=Max("check_ins__date"))
        .filter(Q(last_check_in__isnull=True) | Q(last_check_in__lt=limit))
    )


def overdue_check_in_count(
    participants, *, today: datetime.date, checked: int, days: int | None = None
) -> int:
    """How many ``overdue_check_ins(participants)`` there are, given ``checked``, the number of
    those participants working abroad (a count the caller has already made): those minus the
    ones checked in recently. This reads only the recent check-ins, not every participant."""
    recent = (
        CheckIn.objects.filter(
            participant__in=participants.filter(status__in=CHECKED_STATUSES),
            date__gte=check_in_limit(today, days),
        )
        .values("participant_id")
        .distinct()
        .count()
    )
    return checked - recent


class CheckIn(models.Model):
    class Channel(models.TextChoices):
        VIDEO = "video", _("Video call")
        PHONE = "phone", _("Phone")
        VISIT = "visit", _("Visit")
        MESSAGE = "message", _("Message")
        SURVEY = "survey", _("Survey")
        PORTAL = "portal", _("Portal (sent by the participant)")

    class HeldBy(models.TextChoices):
        CITY = "city", _("City staff")
        SUPPORT = "support", _("Support organisation")
        EMPLOYER = "employer", _("Employer")
        SELF = "self", _("The participant")

    class Wish(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        UNDECIDED = "undecided", _("Undecided")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="check_ins",
        verbose_name=_("participant"),
    )
    date = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    held_by = models.CharField(_("held by"), max_length=10, choices=HeldBy.choices)
    wellbeing = models.PositiveSmallIntegerField(
        _("wellbeing (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    work_satisfaction = models.PositiveSmallIntegerField(
        _("work satisfaction (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    wants_to_extend = models.CharField(
        _("wants to extend"), max_length=10, choices=Wish.choices, default=Wish.UNDECIDED
    )
    wants_family = models.CharField(
        _("wants to bring family"), max_length=10, choices=Wish.choices, default=Wish.UNDECIDED
    )
    concerns = models.TextField(_("concerns"), blank=True)
    work = models.TextField(_("work"), blank=True)
    housing = models.TextField(_("housing"), blank=True)
    health = models.TextField(_("health"), blank=True)
    money_sent_home = models.DecimalField(
        _("money sent home this month"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    money_currency = models.CharField(_("currency"), max_length=3, blank=True)
    help_requested = models.BooleanField(
        _("asked for help now"),
        default=False,
        help_text=_("The participant marked “I need help now” in the portal."),
    )
    follow_up_needed = models.BooleanField(_("follow-up needed"), default=False)
    follow_up_done_on = models.DateField(_("follow-up done on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = CheckInQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(wellbeing__gte=1) & Q(wellbeing__lte=5), name="check_in_wellbeing_1_5"
            ),
            models.CheckConstraint(
                condition=Q(work_satisfaction__gte=1) & Q(work_satisfaction__lte=5),
                name="check_in_satisfaction_1_5",
            ),
            models.CheckConstraint(
                condition=Q(money_sent_home__isnull=True) | Q(money_sent_home__gte=0),
                name="check_in_money_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(help_requested=False) | Q(follow_up_needed=True),
                name="check_in_help_opens_follow_up",
            ),
        ]
        indexes = [models.Index(fields=["participant", "date"], name="check_in_person_date_idx")]

    def __str__(self) -> str:
        return f"{self.participant} · {self.date:%Y-%m-%d}"
