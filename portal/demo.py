"""The demo's portal accounts: two people of batch 5 in training, and someone of batch 4 at
work in Japan (who sends check-ins), signing in as themselves."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cohorts.models import Cohort, Program
from delegation.roles import Role
from participants.demo import import_rows, person
from participants.models import Participant, Status
from portal.models import PortalAccount
from training.models import Attendance, Session

# username, batch number, place in the batch: the person of batch 5 training.demo enters (not
# ready), the first of batch 4, working abroad, and a second person of batch 5 made here.
PORTAL_USERS = [("peserta1", 5, 0), ("peserta2", 4, 0), ("peserta3", 5, 1)]
TRAINING_START = datetime.date(2026, 3, 2)
# Illustrative numbers: the office enters the real ones on the programme's form.
EMERGENCY_NUMBERS = {
    "emergency_hotline_name": "KBRI Tokyo (perlindungan WNI)",
    "emergency_hotline": "+81 80-0000-0000",
    "coordinator_phone": "+62 811-0000-000",
}


def seed_second_trainee(program: Program) -> Participant | None:
    """A second person of batch 5 in training, present at every session so far; None when
    there is no batch 5 or they are there already."""
    cohort = Cohort.objects.filter(program=program, number=5).first()
    row = person(5, 1)
    if cohort is None or Participant.objects.filter(nik=row["nik"]).exists():
        return None
    (participant,) = import_rows([(2, row)], cohort=cohort, historical=False)
    participant.move(Status.SELECTED, by=None, effective_date=datetime.date(2026, 2, 23))
    participant.move(Status.IN_TRAINING, by=None, effective_date=TRAINING_START)
    sessions = Session.objects.filter(
        module__plan__cohort=cohort, date__lte=datetime.date(2026, 11, 20), cancelled=False
    )
    Attendance.objects.bulk_create(
        Attendance(session=session, participant=participant, status=Attendance.Status.PRESENT)
        for session in sessions
    )
    return participant


def seed_portal_accounts(program: Program, *, password: str) -> list[str]:
    """Give the three demo participants their portal accounts; return the usernames made."""
    for field, value in EMERGENCY_NUMBERS.items():
        if not getattr(program, field):
            setattr(program, field, value)
    program.save(update_fields=list(EMERGENCY_NUMBERS))
    User = get_user_model()
    group = Group.objects.get(name=Role.PARTICIPANT)
    made = []
    seed_second_trainee(program)
    for username, number, index in PORTAL_USERS:
        participant = (
            Participant.objects.filter(cohort__program=program, cohort__number=number)
            .order_by("pk")[index : index + 1]
            .first()
        )
        if participant is None or PortalAccount.objects.filter(participant=participant).exists():
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


# A self-registered applicant (e-mail verified, no participant yet), to apply to the demo's
# open call from the portal.
APPLICANT_USER = "pendaftar1"


def seed_applicant_account(*, password: str) -> str | None:
    """The demo applicant's account; its username when made now."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=APPLICANT_USER, defaults={"email": f"{APPLICANT_USER}@example.org"}
    )
    user.groups.add(Group.objects.get(name=Role.PARTICIPANT))
    if not created:
        return None
    user.set_password(password)
    user.save(update_fields=["password"])
    return APPLICANT_USER
