"""Work contracts abroad: one active at a time, extensions and employer changes chained."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cohorts.models import Cohort
from participants.geography import subdivision_name
from participants.models.people import Participant, ParticipantRowQuerySet


def contract_end(start: datetime.date, years: int) -> datetime.date:
    """The day before the same month and day ``years`` later; 29 February falls back to
    28 February (so a contract from 29 February 2024 for 5 years ends 27 February 2029)."""
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:
        anniversary = start.replace(year=start.year + years, day=28)
    return anniversary - datetime.timedelta(days=1)


class ContractQuerySet(ParticipantRowQuerySet):
    def active(self) -> ContractQuerySet:
        return self.filter(status=Contract.Status.ACTIVE)

    def ending_within(self, *, today: datetime.date, months: int) -> ContractQuerySet:
        """Active contracts ending soon and not yet extended (a signed extension waits for
        them to end: nothing needs doing)."""
        until = today + datetime.timedelta(days=round(months * 30.44))
        return self.active().filter(
            end_date__gte=today, end_date__lte=until, continued_by__isnull=True
        )

    def in_cohort(self, cohort: Cohort) -> ContractQuerySet:
        return self.filter(participant__cohort=cohort)


class Contract(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Signed, not started")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        EXTENDED = "extended", _("Extended")
        TERMINATED = "terminated", _("Terminated")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("participant"),
    )
    employer = models.CharField(_("employer"), max_length=200)
    facility = models.CharField(_("facility"), max_length=200, blank=True)
    subdivision = models.CharField(
        _("prefecture/region"),
        max_length=6,
        blank=True,
        help_text=_("The ISO 3166-2 subdivision of the destination country, e.g. JP-17."),
    )
    # The region as it was typed before subdivisions were coded; kept for what could not be
    # matched to a subdivision.
    prefecture = models.CharField(_("region as written"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    position = models.CharField(_("position"), max_length=100, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    start_date = models.DateField(_("start date"), help_text=_("The first working day abroad."))
    term_years = models.PositiveSmallIntegerField(_("term (years)"))
    end_date = models.DateField(_("end date"))
    monthly_salary = models.DecimalField(
        _("monthly salary"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    salary_currency = models.CharField(_("salary currency"), max_length=3, default="JPY")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    continues = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="continued_by",
        verbose_name=_("continues"),
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("reason it ended"), blank=True)
    signed_file = models.FileField(_("signed contract"), upload_to="contracts/%Y/", blank=True)

    history = HistoricalRecords()
    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(status="active"),
                name="contract_one_active_per_participant",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="contract_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(term_years__gte=1), name="contract_term_positive"),
        ]
        indexes = [
            models.Index(fields=["status", "end_date"], name="contract_status_end_idx"),
            models.Index(fields=["subdivision", "status"], name="contract_subdivision_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.employer} ({self.start_date:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("participant_profile", args=[self.participant_id])

    @property
    def place(self) -> str:
        """Where the person works: the subdivision's name (or the region as written), then
        the city."""
        region = subdivision_name(self.subdivision) if self.subdivision else self.prefecture
        return ", ".join(part for part in [region, self.city] if part)
