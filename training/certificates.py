"""Who completed the training year, and their certificates.

A participant completed the year when the plan has ended and their overall attendance is at
or above its threshold: they get the training certificate. Culture ambassadors who also met
the threshold in every culture module get the Duta Budaya Banjar charter.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from cohorts.models import Cohort
from delegation.numbering import issue_number
from participants.models import Participant
from training import readiness
from training.models import Attendance, Certificate, Session, TrainingPlan, session_hours

NUMBER_CODES = {
    Certificate.Kind.TRAINING: "SERT-PLT",
    Certificate.Kind.AMBASSADOR: "PIAGAM-DBB",
}


@dataclass
class Completion:
    participant: Participant
    hours: Decimal
    training: bool
    ambassador: bool


def completions(cohort: Cohort, *, on: datetime.date) -> list[Completion]:
    plan = cohort.plan
    if plan is None or not plan.has_ended(on):
        return []
    people = list(
        Participant.objects.filter(cohort=cohort)
        .exclude(status__in=["withdrawn"])
        .order_by("participant_number")
    )
    results = readiness.check_batch(cohort, on=plan.end_date, participants=people)
    hours = _attended_hours(plan, [p.pk for p in people])
    done = []
    for person in people:
        requirements = {r.key: r.met for r in results[person.pk].requirements}
        attended = requirements.get("attendance", False)
        culture = all(met for key, met in requirements.items() if key.startswith("module-"))
        done.append(
            Completion(
                participant=person,
                hours=hours.get(person.pk, Decimal(0)),
                training=attended,
                ambassador=attended and culture and person.culture_ambassador,
            )
        )
    return done


def _attended_hours(plan: TrainingPlan, ids: list[int]) -> dict[int, Decimal]:
    sessions = {
        row["id"]: session_hours(row["start_time"], row["end_time"])
        for row in Session.objects.filter(module__plan=plan)
        .held(plan.end_date)
        .values("id", "start_time", "end_time")
    }
    totals: dict[int, Decimal] = {}
    for participant_id, session_id in Attendance.objects.filter(
        session_id__in=list(sessions), participant_id__in=ids, status__in=Attendance.ATTENDED
    ).values_list("participant_id", "session_id"):
        totals[participant_id] = totals.get(participant_id, Decimal(0)) + sessions[session_id]
    return totals


@transaction.atomic
def issue_certificates(cohort: Cohort, *, on: datetime.date) -> list[Certificate]:
    """Issue what each completer is owed; certificates already issued keep number and token."""
    plan = TrainingPlan.objects.get(cohort=cohort)
    issued = []
    for completion in completions(cohort, on=on):
        kinds = [Certificate.Kind.TRAINING] if completion.training else []
        if completion.ambassador:
            kinds.append(Certificate.Kind.AMBASSADOR)
        for kind in kinds:
            certificate = Certificate.objects.filter(
                participant=completion.participant, kind=kind
            ).first()
            if certificate is None:
                certificate = Certificate.objects.create(
                    participant=completion.participant,
                    kind=kind,
                    number=issue_number(NUMBER_CODES[kind], on=plan.end_date),
                    token=secrets.token_urlsafe(24),
                    issued_on=plan.end_date,
                    hours=completion.hours,
                )
            issued.append(certificate)
    return issued
