"""Fictional participants for the demo, entered through the import.

Everyone here is invented: names, NIKs (well-formed, with made-up serials), birth dates and
phone numbers. Batches 1 to 3 left before the system and come in through the historical
import, which brings the number sent since the start above 60, as the report says. Batch 4
has the report's 15 participants, registered as applicants: its training year
(``training.demo``) takes them through training, readiness and departure.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from cohorts.models import Cohort, Program
from participants import importer
from participants.models import CheckIn, CostItem, Participant, Residence, Status, to_idr
from participants.services import contract_create

WOMEN = [
    ("Siti", "シティ"),
    ("Nurul", "ヌルル"),
    ("Rina", "リナ"),
    ("Aulia", "アウリア"),
    ("Dewi", "デウィ"),
    ("Putri", "プトゥリ"),
    ("Fitri", "フィトゥリ"),
    ("Nadia", "ナディア"),
]
MEN = [
    ("Ahmad", "アフマド"),
    ("Rizky", "リズキ"),
    ("Fajar", "ファジャル"),
    ("Budi", "ブディ"),
    ("Hendra", "ヘンドラ"),
    ("Ilham", "イルハム"),
    ("Yusuf", "ユスフ"),
    ("Arif", "アリフ"),
]
FAMILY = [
    ("Maulana", "マウラナ"),
    ("Saputra", "サプトラ"),
    ("Rahman", "ラフマン"),
    ("Hidayat", "ヒダヤット"),
    ("Wulandari", "ウランダリ"),
    ("Anggraini", "アングライニ"),
    ("Pratama", "プラタマ"),
    ("Ramadhani", "ラマダニ"),
    ("Kurniawan", "クルニアワン"),
    ("Safitri", "サフィトゥリ"),
    ("Hasanah", "ハサナ"),
]
# Regencies and cities of South Kalimantan; Banjarmasin comes up most often.
ORIGINS = [
    "63.71",
    "63.03",
    "63.72",
    "63.71",
    "63.04",
    "63.05",
    "63.06",
    "63.71",
    "63.07",
    "63.08",
    "63.09",
    "63.01",
    "63.10",
    "63.11",
    "63.02",
]
EDUCATION = ["D3 Keperawatan", "S1 Keperawatan", "SMK Keperawatan", "D3 Kebidanan"]

# batch number: (participants, departure date, statuses of those who changed since);
# a batch without a departure date is registered now, not historically.
BATCHES = {
    1: (16, datetime.date(2023, 3, 15), {0: "returned_early"}),
    2: (16, datetime.date(2024, 2, 21), {}),
    3: (15, datetime.date(2025, 2, 19), {}),
    4: (15, None, {}),
}


def person(batch: int, index: int) -> dict:
    """A deterministic invented person: the same batch and index give the same row."""
    seed = batch * 100 + index
    woman = seed % 3 != 0
    given, given_kana = (WOMEN if woman else MEN)[seed % 8]
    family, family_kana = FAMILY[(seed * 7) % len(FAMILY)]
    birth = datetime.date(1996 + seed % 8, 1 + seed % 12, 1 + (seed * 5) % 28)
    origin = ORIGINS[seed % len(ORIGINS)]
    day = birth.day + (40 if woman else 0)
    nik = f"{origin.replace('.', '')}{1 + seed % 5:02d}{day:02d}{birth:%m%y}{seed:04d}"
    return {
        "full_name": f"{given} {family}",
        "nik": nik,
        "gender": "P" if woman else "L",
        "birth_date": birth.isoformat(),
        "birth_place": "Banjarmasin" if origin == "63.71" else "",
        "origin_regency": origin,
        "track": "penerima beasiswa" if index % 7 == 3 else "tenaga kerja",
        "occupation": "Pekerja perawatan lansia (kaigo)",
        "education": EDUCATION[seed % len(EDUCATION)],
        "phone": f"0812{seed:04d}{(seed * 37) % 10000:04d}",
        "email": "",
        "name_katakana": f"{given_kana}・{family_kana}",
        "passport_number": f"X{seed:07d}",
        "passport_expiry": (birth.replace(year=2031)).isoformat(),
    }


EMPLOYER = "Kaikoukai Healthcare Corporation"


def first_working_day(departed_on: datetime.date) -> datetime.date:
    """The first Monday after a fortnight's arrival (illustrative)."""
    day = departed_on + datetime.timedelta(days=14)
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


def seed_participants(program: Program) -> int:
    """Enter each batch's people unless the batch already has some; return how many."""
    added = 0
    for number, (count, departed_on, changed) in BATCHES.items():
        cohort = Cohort.objects.filter(program=program, number=number).first()
        if cohort is None or cohort.participants.exists():
            continue
        historical = departed_on is not None
        table = []
        for index in range(count):
            row = person(number, index)
            if historical:
                row["status"] = changed.get(index, "working")
                row["departed_on"] = departed_on.isoformat()
                row["contract_start"] = first_working_day(departed_on).isoformat()
                row["employer"] = EMPLOYER
            table.append((index + 2, row))
        added += len(import_rows(table, cohort=cohort, historical=historical))
    return added


def import_rows(table, *, cohort, historical: bool):
    result = importer.check_table(table, historical=historical)
    if not result.ok:
        problems = "; ".join(f"line {e.line} {e.column}: {e.message}" for e in result.errors)
        raise ValueError(f"The demo rows are invalid: {problems}")
    return importer.save_rows(result.rows, cohort=cohort, by=None, historical=historical)


# Batch 4's cost lines (illustrative amounts, in the categories the report names: training,
# exams, tickets, departure; the city's own ceremony cost is an operating cost).
BATCH4_COSTS = [
    (
        "language_training",
        "sponsor",
        "675000000",
        "IDR",
        "1",
        "2025-02-17",
        "Pelatihan bahasa dan budaya Jepang, 12 bulan",
        True,
    ),
    (
        "exams",
        "sponsor",
        "1650000",
        "JPY",
        "108.5",
        "2025-11-20",
        "Biaya ujian JFT-Basic dan tes kaigo",
        True,
    ),
    (
        "airfare",
        "sponsor",
        "127500000",
        "IDR",
        "1",
        "2026-02-10",
        "Tiket Banjarmasin–Jakarta–Jepang",
        True,
    ),
    (
        "departure",
        "sponsor",
        "45000000",
        "IDR",
        "1",
        "2026-02-16",
        "Perlengkapan dan biaya keberangkatan",
        True,
    ),
    (
        "ceremony",
        "city",
        "12500000",
        "IDR",
        "1",
        "2026-02-18",
        "Acara pelepasan di Aula Kayuh Baimbai",
        False,
    ),
]


FAMILY_CONCERN = "Ingin membawa keluarga; perlu informasi ujian kaigo fukushishi."


def seed_life_abroad(program: Program) -> int:
    """Contracts, costs, residence and check-ins; returns the contracts created."""

    cohort = Cohort.objects.filter(program=program, number=4).first()
    if cohort is None or CostItem.objects.filter(cohort=cohort).exists():
        return 0
    for category, payer, amount, currency, rate, day, description, is_total in BATCH4_COSTS:
        amount, rate = Decimal(amount), Decimal(rate)
        CostItem.objects.create(
            program=program,
            cohort=cohort,
            category=category,
            payer=payer,
            amount=amount,
            currency=currency,
            rate_to_idr=rate,
            amount_idr=to_idr(amount, rate),
            date=datetime.date.fromisoformat(day),
            description=description,
            is_total=is_total,
        )
    created = 0
    today = timezone.localdate()
    for person in cohort.participants.filter(status=Status.DEPARTED).order_by("participant_number"):
        contract_create(
            participant=person,
            by=None,
            today=today,
            employer=EMPLOYER,
            start_date=datetime.date(2026, 3, 2),
            signed_on=datetime.date(2025, 12, 15),
            position="Pekerja perawatan lansia (kaigo)",
            term_years=program.contract_years,
        )
        created += 1
    abroad = Participant.objects.filter(
        cohort__program=program, status__in=[Status.WORKING, Status.EXTENDED, Status.DEPARTED]
    ).order_by("participant_number")
    for index, person in enumerate(abroad):
        Residence.objects.get_or_create(
            participant=person,
            defaults={
                "status": Residence.Kind.SSW1,
                "embassy_report_date": person.status_changes.filter(to_status="departed")
                .values_list("effective_date", flat=True)
                .first(),
            },
        )
        if person.cohort.number == 4 and index % 3:
            continue  # the newest batch has had fewer check-ins yet
        wish_extend = (
            CheckIn.Wish.YES
            if index % 3 == 0
            else (CheckIn.Wish.UNDECIDED if index % 3 == 1 else CheckIn.Wish.NO)
        )
        wish_family = CheckIn.Wish.YES if index % 5 == 0 else CheckIn.Wish.NO
        CheckIn.objects.create(
            participant=person,
            date=today - datetime.timedelta(days=20 + (index * 11) % 150),
            channel=[CheckIn.Channel.VIDEO, CheckIn.Channel.PHONE, CheckIn.Channel.SURVEY][
                index % 3
            ],
            held_by=CheckIn.HeldBy.CITY,
            wellbeing=4 if index % 4 else 3,
            work_satisfaction=4 if index % 5 else 3,
            wants_to_extend=wish_extend,
            wants_family=wish_family,
            concerns="Ingin membawa keluarga; perlu informasi ujian kaigo fukushishi."
            if wish_family == CheckIn.Wish.YES
            else "",
            follow_up_needed=wish_family == CheckIn.Wish.YES and index % 2 == 0,
        )
    return created
