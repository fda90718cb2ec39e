"""Hours held and attended, per module: what the training pages show."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from training.models import Attendance, Module, Session, TrainingPlan
from training.readiness import percent


@dataclass
class ModuleHours:
    module: Module
    planned: Decimal
    held: Decimal
    attended: Decimal | None = None

    @property
    def rate(self) -> Decimal | None:
        if self.attended is None or not self.held:
            return None
        return percent(self.attended, self.held)


def module_hours(
    plan: TrainingPlan, on: datetime.date, participant_id: int | None = None
) -> list[ModuleHours]:
    modules = list(Module.objects.filter(plan=plan).annotate(session_count=Count("sessions")))
    sessions = Session.objects.filter(module__plan=plan).held_hours(on)
    held: dict[int, Decimal] = defaultdict(Decimal)
    for module_id, hours in sessions.values():
        held[module_id] += hours
    attended: dict[int, Decimal] = defaultdict(Decimal)
    if participant_id is not None:
        for session_id in Attendance.objects.filter(
            participant_id=participant_id,
            session_id__in=list(sessions),
            status__in=Attendance.ATTENDED,
        ).values_list("session_id", flat=True):
            module_id, hours = sessions[session_id]
            attended[module_id] += hours
    return [
        ModuleHours(
            module=module,
            planned=module.planned_hours,
            held=held.get(module.pk, Decimal(0)),
            attended=attended.get(module.pk, Decimal(0)) if participant_id is not None else None,
        )
        for module in modules
    ]


@dataclass
class PersonHours:
    """One participant's attendance by module, and overall."""

    participant_id: int
    modules: list[ModuleHours]

    @property
    def attended(self) -> Decimal:
        return sum((m.attended or Decimal(0) for m in self.modules), Decimal(0))

    @property
    def held(self) -> Decimal:
        return sum((m.held for m in self.modules), Decimal(0))

    @property
    def rate(self) -> Decimal | None:
        return percent(self.attended, self.held) if self.held else None


def batch_hours(
    plan: TrainingPlan, on: datetime.date, participant_ids: list[int]
) -> dict[int, PersonHours]:
    """Each participant's hours attended of the hours held, by module, as of ``on``: the same
    count as readiness (present or late attended; sessions not cancelled, dated up to ``on``),
    in three queries whatever the batch's size."""
    modules = list(Module.objects.filter(plan=plan))
    sessions = Session.objects.filter(module__plan=plan).held_hours(on)
    held: dict[int, Decimal] = defaultdict(Decimal)
    for module_id, hours in sessions.values():
        held[module_id] += hours
    attended: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for participant_id, session_id in Attendance.objects.filter(
        participant_id__in=participant_ids,
        session_id__in=list(sessions),
        status__in=Attendance.ATTENDED,
    ).values_list("participant_id", "session_id"):
        module_id, hours = sessions[session_id]
        attended[participant_id, module_id] += hours
    return {
        pk: PersonHours(
            pk,
            [
                ModuleHours(
                    module=module,
                    planned=module.planned_hours,
                    held=held.get(module.pk, Decimal(0)),
                    attended=attended.get((pk, module.pk), Decimal(0)),
                )
                for module in modules
            ],
        )
        for pk in participant_ids
    }
