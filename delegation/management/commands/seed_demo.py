"""Load the demo: the organisation, demo accounts and the real programme of the brief.

Each app seeds its own part (``cohorts.demo``...); this command runs them in order.

Safe to run again: it looks records up by their natural keys and creates only what is
missing, so a second run adds nothing.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from cohorts.demo import seed_cohorts
from delegation.models import Organisation
from delegation.roles import Role
from participants.demo import seed_life_abroad, seed_participants
from training.demo import seed_training

DEMO_PASSWORD = "demo-password"
DEMO_USERS = [
    # username, role (None: superuser), first name, last name
    ("admin", None, "Admin", "Sistem"),
    ("hr", Role.HR_STAFF, "Staf", "BKPSDM"),
    ("coordinator", Role.COORDINATOR, "Machli", "Riyadi"),
    ("leadership", Role.LEADERSHIP, "Pimpinan", "Daerah"),
    ("instructor", Role.INSTRUCTOR, "Pengajar", "Bahasa Jepang"),
]


class Command(BaseCommand):
    help = "Load demo data (idempotent). Demo accounts only with DEBUG on or --demo-users."

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo-users",
            action="store_true",
            help="Create the demo accounts even when DEBUG is off.",
        )

    @transaction.atomic
    def handle(self, *args, demo_users: bool = False, **options):
        seed_organisation()
        users = {}
        if settings.DEBUG or demo_users:
            users, created = seed_demo_users()
            self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {DEMO_PASSWORD}):"))
            for username, role, *_names in DEMO_USERS:
                mark = " (new)" if username in created else ""
                self.stdout.write(f"  {username:<12} {role or 'admin (superuser)'}{mark}")
        else:
            self.stdout.write("DEBUG is off: no demo accounts created (use --demo-users).")
        program = seed_cohorts(users)
        self.stdout.write(f"Programme: {program.name} ({program.cohorts.count()} batches)")
        added = seed_participants(program)
        self.stdout.write(f"Participants added: {added}")
        departed = seed_training(program)
        self.stdout.write(f"Batch 4 trained and departed: {departed}")
        contracts = seed_life_abroad(program)
        self.stdout.write(f"Batch 4 contracts: {contracts}")


def seed_organisation() -> Organisation:
    # The city's own letterhead. The unit and number format are illustrative.
    organisation, _created = Organisation.objects.get_or_create(
        pk=Organisation.SINGLE_ROW_ID,
        defaults={
            "name": "Pemerintah Kota Banjarmasin",
            "unit": "Koordinator Pelaksana Kerja Sama",
            "address": "Balai Kota Banjarmasin, Kalimantan Selatan",
            "place": "Banjarmasin",
            "document_number_format": "{seq:03d}/{code}/KS-BJM/{year}",
        },
    )
    return organisation


def seed_demo_users() -> tuple[dict, set[str]]:
    User = get_user_model()
    users = {}
    created_names = set()
    for username, role, first_name, last_name in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@example.org",
                "is_staff": role is None,
                "is_superuser": role is None,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created_names.add(username)
        if role is not None:
            user.groups.add(Group.objects.get(name=role))
        users[username] = user
    return users, created_names
