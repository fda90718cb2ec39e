"""The fairness figures of a call: how many applied, were eligible, passed each stage and
were selected, by sex, region, track and education, and the pass rate of each stage."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from participants.models import Participant
from recruitment.models import Application, Call
from recruitment.services import call_rows


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def figures(call: Call) -> dict:
    rows = call_rows(call=call)
    stages = list(call.stages.order_by("order"))
    groupings = {
        "sex": (_("Sex"), lambda a: str(Participant.Gender(a.gender).label)),
        "region": (_("Regency/city (KTP)"), lambda a: a.ktp_regency.name),
        "track": (_("Track"), lambda a: str(Participant.Track(a.track).label)),
        "education": (
            _("Education"),
            lambda a: str(Participant.Education(a.education_level).label),
        ),
    }
    tables = []
    for _key, (title, group_of) in groupings.items():
        groups: dict[str, dict] = defaultdict(
            lambda: {"applied": 0, "eligible": 0, "passed": [0] * len(stages), "selected": 0}
        )
        for row in rows:
            application = row.application
            counts = groups[group_of(application)]
            counts["applied"] += 1
            if application.eligible:
                counts["eligible"] += 1
            for index, result in enumerate(row.results):
                if result.passed:
                    counts["passed"][index] += 1
            if row.outcome == Application.Outcome.SELECTED:
                counts["selected"] += 1
        lines = [
            {
                "group": name,
                **counts,
                "selected_rate": _rate(counts["selected"], counts["applied"]),
            }
            for name, counts in sorted(groups.items())
        ]
        tables.append({"title": title, "lines": lines})
    pass_rates = []
    for index, stage in enumerate(stages):
        sat = sum(1 for row in rows if row.results[index].passed is not None)
        passed = sum(1 for row in rows if row.results[index].passed)
        pass_rates.append(
            {"stage": stage, "sat": sat, "passed": passed, "rate": _rate(passed, sat)}
        )
    return {"stages": stages, "tables": tables, "pass_rates": pass_rates, "total": len(rows)}
