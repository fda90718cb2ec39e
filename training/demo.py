"""Batch 4's training year for the demo, and one participant who is visibly not ready.

The plan runs from February 2025 to February 2026 in Banjarmasin. Sessions follow a weekly
timetable that skips Indonesia's public holidays; attendance, exam results and documents are
invented but plausible, and make batch 4's 15 participants ready. They are then marked ready
and depart together on the ceremony date, 18 February 2026, through the same services the
pages use, so each departure stores its readiness result. Each of them signed, at the start of
training, the consent to the transfer of their data to the partner that readiness requires.

Illustrative, not from the report: the timetable, the module hours, scores, the document
dates, and batch 5 with its single participant, who shows what "not ready" looks like.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile

from cohorts.models import Cohort, Program
from participants.demo import import_rows, person
from participants.models import (
    ConsentRecord,
    Document,
    DocumentRequirement,
    DocumentType,
    Participant,
    Status,
)
from training import services
from training.models import (
    Attendance,
    ExamRequirement,
    ExamResult,
    ExamType,
    Module,
    Session,
    TrainingPlan,
)

START = datetime.date(2025, 2, 17)
END = datetime.date(2026, 2, 13)
MODULES = [
    # name, kind, planned hours, weekdays, from, until, start hour, hours
    (
        "Bahasa Jepang",
        "japanese_language",
        560,
        {0, 1, 2, 3},
        START,
        datetime.date(2026, 2, 5),
        8,
        3,
    ),
    ("Budaya Jepang", "japanese_culture", 50, {4}, START, datetime.date(2025, 8, 29), 8, 2),
    (
        "Nilai Budaya Banjar",
        "banjar_culture",
        44,
        {4},
        datetime.date(2025, 9, 5),
        datetime.date(2026, 2, 6),
        8,
        2,
    ),
    (
        "Dasar Perawatan (Kaigo)",
        "caregiving",
        72,
        {5},
        datetime.date(2025, 8, 2),
        datetime.date(2026, 2, 7),
        8,
        3,
    ),
]
EXAM_GROUPS = [
    (
        "Bahasa Jepang: JLPT N4 ke atas atau JFT-Basic",
        ["jlpt-n4", "jlpt-n3", "jlpt-n2", "jlpt-n1", "jft-basic"],
    ),
    ("Tes Keterampilan Kaigo", ["ssw-care-skills"]),
    ("Tes Bahasa Jepang Kaigo", ["care-japanese"]),
]
REQUIRED_DOCUMENTS = ["passport", "medical", "police_clearance"]


def attendance_status(person_index: int, session_index: int) -> str:
    """Mostly present: about one session in twenty missed, a few late."""
    if (person_index * 7 + session_index) % 29 == 0:
        return Attendance.Status.ABSENT
    if (person_index + session_index * 3) % 37 == 0:
        return Attendance.Status.SICK
    if (person_index * 3 + session_index) % 17 == 0:
        return Attendance.Status.LATE
    return Attendance.Status.PRESENT


def seed_requirements(program: Program) -> None:
    for order, (name, codes) in enumerate(EXAM_GROUPS, start=1):
        group, created = ExamRequirement.objects.get_or_create(
            program=program, name=name, defaults={"order": order}
        )
        if created:
            group.exam_types.set(ExamType.objects.filter(code__in=codes))
    for code in REQUIRED_DOCUMENTS:
        DocumentRequirement.objects.get_or_create(
            program=program, document_type=DocumentType.objects.get(code=code)
        )


def seed_plan(cohort: Cohort, *, start=START, end=END, modules=MODULES) -> TrainingPlan:
    plan = TrainingPlan.objects.create(cohort=cohort, start_date=start, end_date=end)
    for order, (name, kind, hours, weekdays, first, last, hour, length) in enumerate(modules, 1):
        module = Module.objects.create(
            plan=plan, name=name, kind=kind, planned_hours=Decimal(hours), order=order
        )
        dates, _skipped = services.schedule_dates(start=first, end=last, weekdays=weekdays)
        services.sessions_create(
            module=module,
            dates=dates,
            start_time=datetime.time(hour, 0),
            end_time=datetime.time(hour + length, 0),
            topic="",
        )
    return plan


def seed_attendance(plan: TrainingPlan, participants: list[Participant], until: datetime.date):
    sessions = list(Session.objects.filter(module__plan=plan, date__lte=until).order_by("date"))
    rows = [
        Attendance(session=session, participant=participant, status=attendance_status(i, j))
        for j, session in enumerate(sessions)
        for i, participant in enumerate(participants)
    ]
    Attendance.objects.bulk_create(rows, batch_size=2000)


def seed_training(program: Program) -> int:
    """Run batch 4's training year and departure; return how many departed now."""
    cohort = Cohort.objects.filter(program=program, number=4).first()
    if cohort is None or TrainingPlan.objects.filter(cohort=cohort).exists():
        return 0
    seed_requirements(program)
    plan = seed_plan(cohort)
    people = list(cohort.participants.order_by("participant_number"))
    seed_attendance(plan, people, END)
    types = {t.code: t for t in ExamType.objects.all()}
    medical = DocumentType.objects.get(code="medical")
    police = DocumentType.objects.get(code="police_clearance")
    for index, participant in enumerate(people):
        if index % 4 == 0:
            ExamResult.objects.create(
                participant=participant,
                exam_type=types["jlpt-n4"],
                date=datetime.date(2025, 12, 7),
                passed=True,
            )
        else:
            score = Decimal(205 + (index * 7) % 40)
            ExamResult.objects.create(
                participant=participant,
                exam_type=types["jft-basic"],
                date=datetime.date(2025, 11, 12),
                score=score,
                passed=types["jft-basic"].passes(score),
            )
        for code, day in (
            ("ssw-care-skills", datetime.date(2025, 11, 20)),
            ("care-japanese", datetime.date(2025, 11, 20)),
        ):
            ExamResult.objects.create(
                participant=participant, exam_type=types[code], date=day, passed=True
            )
        Document.objects.create(
            participant=participant,
            document_type=medical,
            number=f"MCU-{participant.pk:04d}",
            issued_on=datetime.date(2026, 1, 12),
            expires_on=datetime.date(2026, 7, 12),
        )
        Document.objects.create(
            participant=participant,
            document_type=police,
            number=f"SKCK/{participant.pk:04d}/I/2026",
            issued_on=datetime.date(2026, 1, 8),
            expires_on=datetime.date(2026, 7, 8),
        )
        seed_transfer_consent(participant, program, given_on=START)
        participant.move(Status.SELECTED, by=None, effective_date=datetime.date(2025, 1, 20))
        participant.move(Status.IN_TRAINING, by=None, effective_date=START)
        services.participant_mark_ready(participant=participant, by=None, on=END)
    report = services.cohort_depart(cohort=cohort, by=None)
    if report.stayed:
        reasons = "; ".join(f"{p}: {' '.join(r)}" for p, r in report.stayed)
        raise ValueError(f"Batch 4's demo participants should all depart: {reasons}")
    seed_not_ready(program)
    return len(report.departed)


# A stand-in for the scanned signed form: the demo has no real signatures.
SIGNED_FORM = b"%PDF-1.4\n% Formulir persetujuan (contoh demo)\n%%EOF\n"


def seed_transfer_consent(
    participant: Participant, program: Program, *, given_on: datetime.date
) -> ConsentRecord:
    consent = ConsentRecord(
        participant=participant,
        kind=ConsentRecord.Kind.TRANSFER,
        recipient=program.partner,
        given_on=given_on,
        scope=(
            "Identitas, data kesehatan dan catatan pelatihan, untuk penempatan dan hubungan "
            "kerja di Jepang."
        ),
    )
    consent.signed_file.save(
        f"persetujuan-transfer-{participant.pk}.pdf", ContentFile(SIGNED_FORM), save=False
    )
    consent.save()
    return consent


def seed_not_ready(program: Program) -> Participant | None:
    """One participant of an illustrative batch 5, half-way through training and not ready."""
    cohort, created = Cohort.objects.get_or_create(
        program=program,
        number=5,
        defaults={
            "year": 2027,
            "planned_departure": datetime.date(2027, 2, 17),
            "status": Cohort.Status.TRAINING,
            "notes": "Ilustrasi untuk demo: angkatan ini tidak disebut dalam berita.",
        },
    )
    if not created:
        return None
    start = datetime.date(2026, 3, 2)
    modules = [
        (
            "Bahasa Jepang",
            "japanese_language",
            560,
            {0, 1, 2, 3},
            start,
            datetime.date(2027, 2, 4),
            8,
            3,
        ),
        (
            "Nilai Budaya Banjar",
            "banjar_culture",
            44,
            {4},
            datetime.date(2026, 9, 4),
            datetime.date(2027, 2, 5),
            8,
            2,
        ),
    ]
    plan = seed_plan(cohort, start=start, end=datetime.date(2027, 2, 12), modules=modules)
    row = person(5, 0)
    row["passport_expiry"] = "2027-05-31"
    (participant,) = import_rows([(2, row)], cohort=cohort, historical=False)
    participant.move(Status.SELECTED, by=None, effective_date=datetime.date(2026, 2, 23))
    participant.move(Status.IN_TRAINING, by=None, effective_date=start)
    sessions = Session.objects.filter(module__plan=plan, date__lte=datetime.date(2026, 11, 20))
    Attendance.objects.bulk_create(
        Attendance(
            session=session,
            participant=participant,
            status=Attendance.Status.ABSENT if index % 4 == 0 else Attendance.Status.PRESENT,
        )
        for index, session in enumerate(sessions.order_by("date"))
    )
    ExamResult.objects.create(
        participant=participant,
        exam_type=ExamType.objects.get(code="jft-basic"),
        date=datetime.date(2026, 10, 14),
        score=Decimal(185),
        passed=False,
        note="Belum lulus; dijadwalkan ulang.",
    )
    return participant
