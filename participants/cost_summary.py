"""The cost summary of a programme or a batch: by category and payer, in rupiah."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from cohorts.models import OPERATING_CATEGORIES, CostCategory, Program
from participants.models import CostItem

PAYERS = [value for value, _label in CostItem.Payer.choices]


@dataclass
class CategoryRow:
    category: str
    label: str
    by_payer: list[Decimal]
    total: Decimal
    covered_by_sponsor: bool


@dataclass
class CostSummary:
    rows: list[CategoryRow] = field(default_factory=list)
    operating: list[CategoryRow] = field(default_factory=list)
    payer_totals: list[Decimal] = field(default_factory=list)
    programme_total: Decimal = Decimal(0)
    operating_total: Decimal = Decimal(0)
    sponsor_share: Decimal | None = None
    per_participant: Decimal | None = None
    participant_count: int = 0
    flagged: list[CostItem] = field(default_factory=list)

    @property
    def promise_held(self) -> bool:
        return not self.flagged

    @property
    def by_payer(self) -> list[tuple[str, Decimal]]:
        return list(zip(CostItem.Payer.labels, self.payer_totals, strict=True))


def summarise(items, *, program: Program, participant_count: int) -> CostSummary:
    """``items`` is a CostItem QuerySet already narrowed to what the page shows."""
    totals: dict[tuple[str, str], Decimal] = {
        (row["category"], row["payer"]): row["total"]
        for row in items.values("category", "payer").annotate(total=Sum("amount_idr"))
    }
    covered = set(program.sponsor_covers or [])
    summary = CostSummary(participant_count=participant_count)
    for category, label in CostCategory.choices:
        by_payer = [totals.get((category, payer), Decimal(0)) for payer in PAYERS]
        if not any(by_payer):
            continue
        row = CategoryRow(
            category, str(label), by_payer, sum(by_payer, Decimal(0)), category in covered
        )
        (summary.operating if category in OPERATING_CATEGORIES else summary.rows).append(row)
    summary.payer_totals = [
        sum((row.by_payer[index] for row in summary.rows), Decimal(0))
        for index in range(len(PAYERS))
    ]
    summary.programme_total = sum(summary.payer_totals, Decimal(0))
    summary.operating_total = sum((row.total for row in summary.operating), Decimal(0))
    if summary.programme_total:
        sponsor = summary.payer_totals[PAYERS.index(CostItem.Payer.SPONSOR)]
        summary.sponsor_share = (sponsor * 100 / summary.programme_total).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    if participant_count and summary.programme_total:
        summary.per_participant = (summary.programme_total / participant_count).quantize(
            Decimal("1"), rounding=ROUND_HALF_UP
        )
    summary.flagged = list(
        items.breaking_the_promise(program).select_related("cohort", "participant")
    )
    return summary
