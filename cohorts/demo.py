"""The brief's programme as demo data: Kaikoukai Healthcare Corporation and batches 1 to 4.

Facts from the news report: the partner, the G-to-B scheme, five-year contracts, a year of
training, the sponsor paying training, exams, tickets and departure, 2026 as the last dispatch
under the current scheme (final intake), batch 4 released on Wednesday 18 February 2026 in Aula
Kayuh Baimbai, Balai Kota Banjarmasin, by Vice Mayor Hj Ananda on behalf of Mayor H Muhammad
Yamin HR, with Regional Secretary Ikhsan Budiman and the heads of SKPD present; programme
coordinator Machli Riyadi; 15 participants in batch 4, more than 60 sent since the start.

Illustrative, not from the report: the years, departure dates and quotas of batches 1 to 3,
the ceremony's starting time, and the agreement's number and dates.
"""

from __future__ import annotations

import datetime
import zoneinfo

from cohorts.models import (
    Agreement,
    CeremonyAttendee,
    Cohort,
    CohortAssignment,
    CostCategory,
    DepartureCeremony,
    Partner,
    Program,
    ProgramAssignment,
    ProgramSignatory,
)

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
PROGRAM_SLUG = "kaikoukai"

BATCHES = [
    # number, year, planned departure, quota
    (1, 2023, datetime.date(2023, 3, 15), 16),  # illustrative
    (2, 2024, datetime.date(2024, 2, 21), 16),  # illustrative
    (3, 2025, datetime.date(2025, 2, 19), 15),  # illustrative
    (4, 2026, datetime.date(2026, 2, 18), 15),  # from the report
]


def seed_cohorts(users: dict | None = None) -> Program:
    partner, _ = Partner.objects.get_or_create(
        name="Kaikoukai Healthcare Corporation",
        defaults={"country": "Jepang", "sector": "Kesehatan"},
    )
    program, _ = Program.objects.get_or_create(
        slug=PROGRAM_SLUG,
        defaults={
            "partner": partner,
            "name": "Kerja Sama G-to-B Pemkot Banjarmasin – Kaikoukai Healthcare Corporation",
            "scheme": Program.Scheme.G_TO_B,
            "sector": "Kesehatan",
            "destination_country": "Jepang",
            "contract_years": 5,
            "training_months": 12,
            "sponsor_covers": [
                CostCategory.LANGUAGE_TRAINING,
                CostCategory.EXAMS,
                CostCategory.AIRFARE,
                CostCategory.DEPARTURE,
            ],
            "status": Program.Status.FINAL_INTAKE,
            "notes": (
                "Tahun 2026 adalah pemberangkatan terakhir dengan skema saat ini. Kerja sama "
                "tidak berakhir, tetapi disesuaikan dengan kebutuhan pihak Jepang dan dapat "
                "dibuka untuk profesi lain."
            ),
        },
    )
    Agreement.objects.get_or_create(
        program=program,
        number="ILUSTRASI/MoU/2022",
        defaults={
            "kind": Agreement.Kind.MOU,
            "signed_on": datetime.date(2022, 6, 1),
            "valid_until": datetime.date(2027, 5, 31),
            "notes": "Contoh untuk demo: nomor dan tanggal bukan data sebenarnya.",
        },
    )
    cohorts = {}
    for number, year, departure, quota in BATCHES:
        cohorts[number], _ = Cohort.objects.get_or_create(
            program=program,
            number=number,
            defaults={
                "year": year,
                "planned_departure": departure,
                "quota": quota,
                "status": Cohort.Status.DEPARTED,
            },
        )
    ceremony, created = DepartureCeremony.objects.get_or_create(
        cohort=cohorts[4],
        defaults={
            "starts_at": datetime.datetime(2026, 2, 18, 9, 0, tzinfo=WITA),
            "venue": "Aula Kayuh Baimbai, Balai Kota Banjarmasin",
            "official_name": "Hj Ananda",
            "official_position": "Wakil Wali Kota Banjarmasin",
            "on_behalf_of_name": "H Muhammad Yamin HR",
            "on_behalf_of_title": "Wali Kota Banjarmasin",
        },
    )
    if created:
        CeremonyAttendee.objects.bulk_create(
            [
                CeremonyAttendee(
                    ceremony=ceremony,
                    order=1,
                    name="Ikhsan Budiman",
                    title="Sekretaris Daerah",
                    organisation="Pemerintah Kota Banjarmasin",
                ),
                CeremonyAttendee(
                    ceremony=ceremony,
                    order=2,
                    name="Para Kepala SKPD",
                    title="",
                    organisation="Pemerintah Kota Banjarmasin",
                ),
                CeremonyAttendee(
                    ceremony=ceremony,
                    order=3,
                    name="Machli Riyadi",
                    title="Koordinator Pelaksana Kerja Sama",
                    organisation="Pemerintah Kota Banjarmasin",
                ),
            ]
        )
    for username, role in [("coordinator", "coordinator"), ("leadership", "leadership")]:
        user = (users or {}).get(username)
        if user:
            ProgramAssignment.objects.get_or_create(
                program=program, user=user, defaults={"role": role}
            )
    seed_signatories(program)
    instructor = (users or {}).get("instructor")
    if instructor:
        CohortAssignment.objects.get_or_create(cohort=cohorts[4], user=instructor)
    return program


# Who signs what (illustrative: the report names the officials, not who signs which paper;
# elected officials have no NIP).
SIGNATORIES = [
    ("roster", 1, "Wakil Wali Kota Banjarmasin", "Hj Ananda", "", "", "Wali Kota Banjarmasin"),
    ("sign_in", 1, "Koordinator Pelaksana Kerja Sama", "Machli Riyadi", "", "", ""),
    (
        "handover",
        1,
        "Pihak Pertama, Wakil Wali Kota Banjarmasin",
        "Hj Ananda",
        "",
        "",
        "Wali Kota Banjarmasin",
    ),
    (
        "handover",
        2,
        "Pihak Kedua, Kaikoukai Healthcare Corporation",
        "(perwakilan mitra)",
        "",
        "",
        "",
    ),
    ("training_certificate", 1, "Koordinator Pelaksana Kerja Sama", "Machli Riyadi", "", "", ""),
    (
        "training_certificate",
        2,
        "Sekretaris Daerah Kota Banjarmasin",
        "Ikhsan Budiman",
        "",
        "",
        "Wali Kota Banjarmasin",
    ),
    (
        "ambassador_charter",
        1,
        "Wakil Wali Kota Banjarmasin",
        "Hj Ananda",
        "",
        "",
        "Wali Kota Banjarmasin",
    ),
]


def seed_signatories(program: Program) -> None:
    if ProgramSignatory.objects.filter(program=program).exists():
        return
    ProgramSignatory.objects.bulk_create(
        ProgramSignatory(
            program=program,
            document=document,
            order=order,
            position=position,
            name=name,
            rank=rank,
            nip=nip,
            on_behalf_of=on_behalf_of,
        )
        for document, order, position, name, rank, nip, on_behalf_of in SIGNATORIES
    )


def assign_instructor_to_training(program: Program, users: dict | None) -> None:
    """The demo instructor teaches the programme's batches in training too, so their day has
    sessions to hold and attendance to take (call once the batches have their status)."""
    instructor = (users or {}).get("instructor")
    if not instructor:
        return
    for cohort in Cohort.objects.filter(program=program, status=Cohort.Status.TRAINING):
        CohortAssignment.objects.get_or_create(cohort=cohort, user=instructor)
