"""The demo's portal accounts: two people of batch 5, in training, signing in as themselves."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cohorts.models import Cohort, Program
from delegation.roles import Role
from participants.demo import import_rows, person
from participants.models import Status
from portal.models import PortalAccount

# username, index of the person in batch 5 (the first is the one training.demo enters).
PORTAL_USERS = [("peserta1", 0), ("peserta2", 1)]
# Illustrative numbers: the office enters the real ones on the programme's form.
EMERGENCY_NUMBERS = {
    "emergency_hotline_name": "KBRI Tokyo (perlindungan WNI)",
    "emergency_hotline": "+81 80-0000-0000",
    "coordinator_phone": "+62 811-0000-000",
}


def _batch_five_people(cohort: Cohort) -> list:
    people = list(cohort.participants.order_by("pk"))
    for index in range(len(people), len(PORTAL_USERS)):
        (added,) = import_rows([(2, person(5, index))], cohort=cohort, historical=False)
        added.move(Status.SELECTED, by=None, effective_date=datetime.date(2026, 2, 23))
        added.move(Status.IN_TRAINING, by=None, effective_date=datetime.date(2026, 3, 2))
        people.append(added)
    return people


def seed_portal_accounts(program: Program, *, password: str) -> list[str]:
    """Give two batch-5 participants their portal accounts; return the usernames made."""
    for field, value in EMERGENCY_NUMBERS.items():
        if not getattr(program, field):
            setattr(program, field, value)
    program.save(update_fields=list(EMERGENCY_NUMBERS))
    cohort = Cohort.objects.filter(program=program, number=5).first()
    if cohort is None:
        return []
    people = _batch_five_people(cohort)
    User = get_user_model()
    group = Group.objects.get(name=Role.PARTICIPANT)
    made = []
    for (username, _index), participant in zip(PORTAL_USERS, people, strict=False):
        if PortalAccount.objects.filter(participant=participant).exists():
            continue
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": participant.full_name[:150],
                "email": f"{username}@example.org",
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
            made.append(username)
        user.groups.add(group)
        PortalAccount.objects.get_or_create(user=user, defaults={"participant": participant})
    return made
