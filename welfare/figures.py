"""The figures of duty of care for the dashboard, the overviews and the programme report:
returnees, the share in work and back in Japan at 12 months, and cases per 100 person-years
abroad by kind. Counts only: no person is named."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Func, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce, Least

from participants.models import Contract, contract_days
from welfare.models import Case, FollowUp, Return


@dataclass(frozen=True)
class WelfareFigures:
    returnees: int
    answered_12: int
    in_work_12: int
    back_abroad_12: int
    person_years: Decimal
    cases_by_kind: dict[str, int] = field(default_factory=dict)
    open_by_severity: dict[str, int] = field(default_factory=dict)

    @staticmethod
    def _share(part: int, whole: int) -> Decimal | None:
        if not whole:
            return None
        return (Decimal(100) * part / whole).quantize(Decimal("1"), rounding=ROUND_HALF_UP)

    @property
    def in_work_share(self) -> Decimal | None:
        return self._share(self.in_work_12, self.answered_12)

    @property
    def back_abroad_share(self) -> Decimal | None:
        return self._share(self.back_abroad_12, self.answered_12)

    def rate_per_100(self, count: int) -> Decimal | None:
        if not self.person_years:
            return None
        return (Decimal(100) * count / self.person_years).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def open_rows(self) -> list[tuple[str, int]]:
        """Open cases by severity, the most severe first."""
        return [
            (label, self.open_by_severity.get(value, 0))
            for value, label in reversed(Case.Severity.choices)
        ]

    @property
    def rates_by_kind(self) -> list[tuple[str, int, Decimal | None]]:
        labels = dict(Case.Kind.choices)
        return [
            (labels.get(kind, kind), count, self.rate_per_100(count))
            for kind, count in sorted(self.cases_by_kind.items(), key=lambda kv: -kv[1])
        ]


class DaysBetween(Func):
    """Whole days from the second date to the first, as a number (a million people's
    person-days overflow an interval)."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


def person_years(
    participants, *, today: datetime.date, cohort_ids: list[int] | None = None
) -> Decimal:
    """Years worked abroad under contract, to today or the day the contract ended. Of
    everyone, or of exactly the people of ``cohort_ids`` when given, they come from the spans
    PostgreSQL keeps (``contract_days``); otherwise the database sums the contracts: at a
    million people the contracts are never read one by one."""
    days = None
    if participants.is_everyone() or cohort_ids is not None:
        days = contract_days(today=today, cohort_ids=cohort_ids)
    if days is None:
        days = _contract_days(participants, today=today)
    return (Decimal(days) / Decimal("365.25")).quantize(Decimal("0.01"))


def _contract_days(participants, *, today: datetime.date) -> int:
    last = Least(Coalesce("ended_on", "end_date"), F("end_date"), Value(today))
    totals = (
        participants.rows_of(Contract.objects.all())
        .annotate(last_day=last)
        .filter(last_day__gte=F("start_date"))
        .aggregate(
            span=Sum(DaysBetween("last_day", "start_date")),
            contracts=Count("pk"),
        )
    )
    # Both ends count: a contract that started and ended on one day is one day abroad.
    return (totals["span"] or 0) + totals["contracts"]


def welfare_figures(
    participants, *, today: datetime.date, cohort_ids: list[int] | None = None
) -> WelfareFigures:
    """The figures of ``participants`` (a Participant QuerySet, already scoped to the user;
    ``cohort_ids`` when they are exactly the people of those batches), in five queries
    whatever their number."""
    twelve = (
        participants.rows_of(FollowUp.objects.filter(months=12))
        .filled()
        .aggregate(
            answered=Count("pk"),
            in_work=Count("pk", filter=Q(activity__in=FollowUp.IN_WORK)),
            back=Count("pk", filter=Q(activity=FollowUp.Activity.BACK_IN_JAPAN)),
        )
    )
    counted = participants.rows_of(Case.objects.exclude(status=Case.Status.DRAFT))
    by_kind: dict[str, int] = {}
    open_by_severity: dict[str, int] = {}
    for kind, severity, status, n in (
        counted.values_list("kind", "severity", "status").annotate(n=Count("pk")).order_by()
    ):
        by_kind[kind] = by_kind.get(kind, 0) + n
        if status in Case.OPEN_STATUSES:
            open_by_severity[severity] = open_by_severity.get(severity, 0) + n
    return WelfareFigures(
        returnees=participants.rows_of(Return.objects.all()).count(),
        answered_12=twelve["answered"],
        in_work_12=twelve["in_work"],
        back_abroad_12=twelve["back"],
        person_years=person_years(participants, today=today, cohort_ids=cohort_ids),
        cases_by_kind=by_kind,
        open_by_severity=open_by_severity,
    )
