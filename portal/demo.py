"""The demo's portal accounts: someone of batch 5 in training, and someone of batch 4 at work
in Japan (who sends check-ins), signing in as themselves."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cohorts.models import Program
from delegation.roles import Role
from participants.models import Participant
from portal.models import PortalAccount

# username, batch number: the person of batch 5 (training.demo enters one) and the first of
# batch 4, working abroad. Batch 5 keeps its one person: the demo's journeys count on it.
PORTAL_USERS = [("peserta1", 5), ("peserta2", 4)]
# Illustrative numbers: the office enters the real ones on the programme's form.
EMERGENCY_NUMBERS = {
    "emergency_hotline_name": "KBRI Tokyo (perlindungan WNI)",
    "emergency_hotline": "+81 80-0000-0000",
    "coordinator_phone": "+62 811-0000-000",
}


def seed_portal_accounts(program: Program, *, password: str) -> list[str]:
    """Give the two demo participants their portal accounts; return the usernames made."""
    for field, value in EMERGENCY_NUMBERS.items():
        if not getattr(program, field):
            setattr(program, field, value)
    program.save(update_fields=list(EMERGENCY_NUMBERS))
    User = get_user_model()
    group = Group.objects.get(name=Role.PARTICIPANT)
    made = []
    for username, number in PORTAL_USERS:
        participant = (
            Participant.objects.filter(cohort__program=program, cohort__number=number)
            .order_by("participant_number", "pk")
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
