"""The figures of duty of care for the dashboard, the overviews and the programme report:
returnees, the share in work and back in Japan at 12 months, and cases per 100 person-years
abroad by kind. Counts only: no person is named."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from participants.models import Contract
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


def person_years(participants, *, today: datetime.date) -> Decimal:
    """Years worked abroad under contract, to today or the day the contract ended."""
    days = 0
    for start, end, ended in Contract.objects.filter(participant__in=participants).values_list(
        "start_date", "end_date", "ended_on"
    ):
        last = min(ended or end, end, today)
        if last >= start:
            days += (last - start).days + 1
    return (Decimal(days) / Decimal("365.25")).quantize(Decimal("0.01"))


def welfare_figures(participants, *, today: datetime.date) -> WelfareFigures:
    """The figures of ``participants`` (a Participant QuerySet, already scoped to the user),
    in five queries whatever their number."""
    people = participants.values("pk")
    twelve = (
        FollowUp.objects.filter(participant__in=people, months=12)
        .filled()
        .aggregate(
            answered=Count("pk"),
            in_work=Count("pk", filter=Q(activity__in=FollowUp.IN_WORK)),
            back=Count("pk", filter=Q(activity=FollowUp.Activity.BACK_IN_JAPAN)),
        )
    )
    counted = Case.objects.filter(participant__in=people).exclude(status=Case.Status.DRAFT)
    by_kind: dict[str, int] = {}
    open_by_severity: dict[str, int] = {}
    for kind, severity, status, n in (
        counted.values_list("kind", "severity", "status").annotate(n=Count("pk")).order_by()
    ):
        by_kind[kind] = by_kind.get(kind, 0) + n
        if status in Case.OPEN_STATUSES:
            open_by_severity[severity] = open_by_severity.get(severity, 0) + n
    return WelfareFigures(
        returnees=Return.objects.filter(participant__in=people).count(),
        answered_12=twelve["answered"],
        in_work_12=twelve["in_work"],
        back_abroad_12=twelve["back"],
        person_years=person_years(people, today=today),
        cases_by_kind=by_kind,
        open_by_severity=open_by_severity,
    )
