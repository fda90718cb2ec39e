"""Fictional participants for the demo, entered through the import.

Everyone here is invented: names, NIKs (well-formed, with made-up serials), birth dates and
phone numbers. Batches 1 to 3 left before the system and come in through the historical
import, which brings the number sent since the start above 60, as the report says. Batch 4
has the report's 15 participants, registered as applicants: its training year
(``training.demo``) takes them through training, readiness and departure.
"""

from __future__ import annotations

import datetime

from cohorts.models import Cohort, Program
from participants import importer

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
        "occupation": "Care worker (kaigo)",
        "education": EDUCATION[seed % len(EDUCATION)],
        "phone": f"0812{seed:04d}{(seed * 37) % 10000:04d}",
        "email": "",
        "name_katakana": f"{given_kana}・{family_kana}",
        "passport_number": f"X{seed:07d}",
        "passport_expiry": (birth.replace(year=2031)).isoformat(),
    }


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
            table.append((index + 2, row))
        added += len(import_rows(table, cohort=cohort, historical=historical))
    return added


def import_rows(table, *, cohort, historical: bool):
    result = importer.check_table(table, historical=historical)
    if not result.ok:
        problems = "; ".join(f"line {e.line} {e.column}: {e.message}" for e in result.errors)
        raise ValueError(f"The demo rows are invalid: {problems}")
    return importer.save_rows(result.rows, cohort=cohort, by=None, historical=historical)
