"""Cost lines: who paid what for a programme, a batch or one participant."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts.models import OPERATING_CATEGORIES, Cohort, CostCategory, Program
from delegation.formatting import money
from participants.models.people import Participant

CURRENCY = RegexValidator(
    r"^[A-Z]{3}$", _("Use a three-letter ISO currency code such as IDR or JPY.")
)


def to_idr(amount: Decimal, rate: Decimal) -> Decimal:
    """The IDR amount rounded half-up to whole rupiah."""
    return (amount * rate).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


class CostItemQuerySet(models.QuerySet):
    def visible_to(self, user) -> CostItemQuerySet:
        return self.filter(program__in=Program.objects.visible_to(user))

    def operating(self) -> CostItemQuerySet:
        return self.filter(category__in=OPERATING_CATEGORIES)

    def programme_costs(self) -> CostItemQuerySet:
        return self.exclude(category__in=OPERATING_CATEGORIES)

    def breaking_the_promise(self, program: Program) -> CostItemQuerySet:
        """Any line a participant paid; any city-paid line in a category the sponsor covers."""
        return self.filter(
            Q(payer=CostItem.Payer.PARTICIPANT)
            | Q(payer=CostItem.Payer.CITY, category__in=program.sponsor_covers or [])
        )


class CostItem(models.Model):
    class Payer(models.TextChoices):
        SPONSOR = "sponsor", _("Sponsor")
        CITY = "city", _("City")
        PARTICIPANT = "participant", _("Participant")

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="cost_items", verbose_name=_("programme")
    )
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cost_items",
        verbose_name=_("batch"),
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cost_items",
        verbose_name=_("participant"),
    )
    category = models.CharField(_("category"), max_length=20, choices=CostCategory.choices)
    payer = models.CharField(_("paid by"), max_length=12, choices=Payer.choices)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="IDR", validators=[CURRENCY])
    rate_to_idr = models.DecimalField(
        _("rate to IDR"),
        max_digits=14,
        decimal_places=6,
        default=Decimal("1"),
        help_text=_("How many rupiah one unit of the currency was worth; 1 for IDR."),
    )
    rate_confirmed = models.BooleanField(
        _("the rate is right"),
        default=False,
        help_text=_("Tick to keep a rate outside the usual range for its currency."),
    )
    rate_reason = models.TextField(
        _("why the rate is right"),
        blank=True,
        help_text=_("e.g. the rate printed on the sponsor's invoice."),
    )
    amount_idr = models.DecimalField(_("amount in IDR"), max_digits=16, decimal_places=0)
    date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=300)
    reference = models.CharField(_("reference number"), max_length=100, blank=True)
    is_total = models.BooleanField(
        _("reported as one total"),
        default=False,
        help_text=_("The partner reported one total for the batch instead of itemised lines."),
    )
    receipt = models.FileField(_("receipt"), upload_to="costs/%Y/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = CostItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("cost line")
        verbose_name_plural = _("cost lines")
        ordering = ["-date", "-pk"]
        permissions = [("download_receipt", _("Can download cost receipts"))]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="cost_amount_not_negative"),
            models.CheckConstraint(condition=Q(rate_to_idr__gt=0), name="cost_rate_positive"),
            models.CheckConstraint(
                condition=Q(rate_confirmed=False) | ~Q(rate_reason=""),
                name="cost_rate_confirmed_with_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["program", "cohort", "date"], name="cost_program_cohort_date")
        ]

    def __str__(self) -> str:
        return f"{self.description} ({money(self.amount, self.currency)})"

    @property
    def is_operating(self) -> bool:
        return self.category in OPERATING_CATEGORIES

    def breaks_the_promise(self) -> bool:
        return self.payer == self.Payer.PARTICIPANT or (
            self.payer == self.Payer.CITY and self.category in (self.program.sponsor_covers or [])
        )
