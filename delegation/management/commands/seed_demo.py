"""Load the demo: the organisation, demo accounts and the real programme of the brief.

Each app seeds its own part (``cohorts.demo``...); this command runs them in order.

Safe to run again: it looks records up by their natural keys and creates only what is
missing, so a second run adds nothing.
"""

import io
import math

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from cohorts.demo import assign_instructor_to_training, seed_cohorts
from delegation.models import Organisation
from delegation.roles import Role
from participants.demo import seed_life_abroad, seed_participants
from portal.demo import APPLICANT_USER, PORTAL_USERS, seed_applicant_account, seed_portal_accounts
from recruitment.demo import seed_decided_call, seed_open_call
from training.demo import seed_training
from welfare.demo import seed_welfare

DEMO_PASSWORD = "demo-password"
DEMO_USERS = [
    # username, role (None: superuser), first name, last name
    ("admin", None, "Admin", "Sistem"),
    ("hr", Role.HR_STAFF, "Staf", "BKPSDM"),
    ("coordinator", Role.COORDINATOR, "Machli", "Riyadi"),
    ("leadership", Role.LEADERSHIP, "Pimpinan", "Daerah"),
    ("instructor", Role.INSTRUCTOR, "Pengajar", "Bahasa Jepang"),
    ("committee", Role.SELECTION_COMMITTEE, "Noor", "Hayati"),
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
        assign_instructor_to_training(program, users)
        contracts = seed_life_abroad(program)
        self.stdout.write(f"Batch 4 contracts: {contracts}")
        cases = seed_welfare(program, users)
        self.stdout.write(f"Welfare cases: {cases}")
        if users:
            with translation.override("id"):  # what the services record, as the desk would
                decided = seed_decided_call(program, by=users["hr"], secretary=users["committee"])
                opened = seed_open_call(program, by=users["hr"])
            if decided:
                self.stdout.write(f"Selection decided: {decided.title}")
            if opened:
                self.stdout.write(f"Selection open: {opened.title}")
        else:
            self.stdout.write("No demo accounts: the selection calls are not seeded.")
        if settings.DEBUG or demo_users:
            seed_portal_accounts(program, password=DEMO_PASSWORD)
            self.stdout.write("Portal (/saya/) logins of three participants and an applicant:")
            for username, number, _index in PORTAL_USERS:
                self.stdout.write(f"  {username:<12} participant of batch {number}")
            seed_applicant_account(password=DEMO_PASSWORD)
            self.stdout.write(f"  {APPLICANT_USER:<12} an applicant, to apply to the open call")


def seed_organisation() -> Organisation:
    # The city's own letterhead. The unit and number format are illustrative.
    organisation, _created = Organisation.objects.get_or_create(
        pk=Organisation.SINGLE_ROW_ID,
        defaults={
            "name": "Pemerintah Kota Banjarmasin",
            "unit": "Koordinator Pelaksana Kerja Sama",
            "address": "Balai Kota Banjarmasin, Kalimantan Selatan",
            "place": "Banjarmasin",
            "province_code": "63",  # Kalimantan Selatan: its regencies are offered first
            "document_number_format": "{seq:03d}/{code}/KS-BJM/{year}",
        },
    )
    if not organisation.logo:
        organisation.logo.save("lambang-contoh.png", ContentFile(placeholder_crest_png()))
    return organisation


def placeholder_crest_png(size: int = 240) -> bytes:
    """A plain shield with a chevron and a star: a stand-in that no one can take for a real
    coat of arms. HR staff upload the city's own crest on the Letterhead page."""
    from PIL import Image, ImageDraw

    scale = 4  # drawn large, then scaled down for smooth edges
    side = size * scale
    image = Image.new("RGBA", (side, side), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)

    def shield(inset: float) -> list[tuple[float, float]]:
        left, right, top = side * 0.12 + inset, side * 0.88 - inset, side * 0.06 + inset
        shoulder, point = side * 0.55, side * 0.95 - inset * 1.4
        points = [(left, top), (right, top), (right, shoulder)]
        steps = 24
        for step in range(1, steps):  # the curved sides meeting at the point
            t = step / steps
            points.append((right - (right - side / 2) * t, shoulder + (point - shoulder) * t**0.8))
        points.append((side / 2, point))
        for step in range(steps - 1, 0, -1):
            t = step / steps
            points.append((left + (side / 2 - left) * t, shoulder + (point - shoulder) * t**0.8))
        points.append((left, shoulder))
        return points

    draw.polygon(shield(0), fill=(60, 72, 88))
    draw.polygon(shield(side * 0.04), fill=(226, 232, 240))
    draw.polygon(shield(side * 0.075), fill=(70, 110, 150))
    middle = side / 2
    draw.line(
        [(side * 0.22, side * 0.62), (middle, side * 0.40), (side * 0.78, side * 0.62)],
        fill=(226, 232, 240),
        width=int(side * 0.07),
        joint="curve",
    )
    star = []
    for corner in range(10):
        radius = side * (0.1 if corner % 2 == 0 else 0.04)
        angle = math.pi / 2 + corner * math.pi / 5
        star.append((middle + radius * math.cos(angle), side * 0.24 - radius * math.sin(angle)))
    draw.polygon(star, fill=(240, 200, 80))
    buffer = io.BytesIO()
    image.resize((size, size), Image.Resampling.LANCZOS).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


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
