"""Reference data of the training year: exam types and Indonesia's public holidays.

Loaded by a data migration and again after a flush (``TrainingConfig``); both only add what
is missing, so edits made in the admin stay.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

# code, name, provider, level, kind, rule, pass score, max score
EXAM_TYPES = [
    ("jlpt-n5", "JLPT N5", "Japan Foundation / JEES", "N5", "language", "pass_fail", None, 180),
    ("jlpt-n4", "JLPT N4", "Japan Foundation / JEES", "N4", "language", "pass_fail", None, 180),
    ("jlpt-n3", "JLPT N3", "Japan Foundation / JEES", "N3", "language", "pass_fail", None, 180),
    ("jlpt-n2", "JLPT N2", "Japan Foundation / JEES", "N2", "language", "pass_fail", None, 180),
    ("jlpt-n1", "JLPT N1", "Japan Foundation / JEES", "N1", "language", "pass_fail", None, 180),
    ("jft-basic", "JFT-Basic", "Japan Foundation", "A2", "language", "min_score", 200, 250),
    (
        "ssw-care-skills",
        "Tes Keterampilan Kaigo (介護技能評価試験)",
        "Kementerian Kesehatan, Tenaga Kerja dan Kesejahteraan Jepang",
        "SSW",
        "skill",
        "pass_fail",
        None,
        None,
    ),
    (
        "care-japanese",
        "Tes Bahasa Jepang Kaigo (介護日本語評価試験)",
        "Kementerian Kesehatan, Tenaga Kerja dan Kesejahteraan Jepang",
        "SSW",
        "language",
        "pass_fail",
        None,
        None,
    ),
    (
        "kaigo-fukushishi",
        "Ujian Nasional Kaigo Fukushishi (介護福祉士国家試験)",
        "Kementerian Kesehatan, Tenaga Kerja dan Kesejahteraan Jepang",
        "",
        "national",
        "pass_fail",
        None,
        None,
    ),
    (
        "nat-5q",
        "NAT-TEST 5Q",
        "Senmon Kyouiku Publishing",
        "5Q",
        "language",
        "pass_fail",
        None,
        180,
    ),
    (
        "nat-4q",
        "NAT-TEST 4Q",
        "Senmon Kyouiku Publishing",
        "4Q",
        "language",
        "pass_fail",
        None,
        180,
    ),
    (
        "nat-3q",
        "NAT-TEST 3Q",
        "Senmon Kyouiku Publishing",
        "3Q",
        "language",
        "pass_fail",
        None,
        180,
    ),
    (
        "jtest-ef",
        "J.TEST E-F",
        "Japanese Language Testing Association",
        "E-F",
        "language",
        "pass_fail",
        None,
        500,
    ),
    (
        "jtest-ad",
        "J.TEST A-D",
        "Japanese Language Testing Association",
        "A-D",
        "language",
        "pass_fail",
        None,
        1000,
    ),
    (
        "mock",
        "Tes simulasi internal",
        "Penyelenggara pelatihan",
        "",
        "internal",
        "min_score",
        60,
        100,
    ),
]

HOLIDAY_YEARS = range(2023, 2029)
ESTIMATE_MARK = "(perkiraan)"


def load_exam_types(exam_type_model) -> int:
    existing = set(exam_type_model.objects.values_list("code", flat=True))
    missing = [
        exam_type_model(
            code=code,
            name=name,
            provider=provider,
            level=level,
            kind=kind,
            rule=rule,
            pass_score=None if pass_score is None else Decimal(pass_score),
            max_score=None if max_score is None else Decimal(max_score),
            order=order,
        )
        for order, (code, name, provider, level, kind, rule, pass_score, max_score) in enumerate(
            EXAM_TYPES, start=1
        )
        if code not in existing
    ]
    exam_type_model.objects.bulk_create(missing)
    return len(missing)


def indonesian_holidays(years) -> list[tuple[datetime.date, str, bool]]:
    """(date, name, estimated) from the holidays package; later Islamic dates are estimates."""
    import holidays

    calendar = holidays.country_holidays("ID", years=list(years), language="id")
    rows = []
    for day, names in sorted(calendar.items()):
        for name in names.split("; "):
            estimated = ESTIMATE_MARK in name
            rows.append((day, name.replace(ESTIMATE_MARK, "").strip(), estimated))
    return rows


def load_non_teaching_days(non_teaching_day_model, years=HOLIDAY_YEARS) -> int:
    existing = set(non_teaching_day_model.objects.values_list("date", flat=True))
    missing = {}
    for day, name, estimated in indonesian_holidays(years):
        if day in existing:
            continue
        if day in missing:
            missing[day].name = f"{missing[day].name}; {name}"
            continue
        missing[day] = non_teaching_day_model(date=day, name=name, estimated=estimated)
    non_teaching_day_model.objects.bulk_create(missing.values())
    return len(missing)
