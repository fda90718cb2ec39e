"""The selection's part of the demo: a decided call for batch VI (about forty applicants, the
five stages, three committee members, one declared relation, one objection answered), whose
decision made batch VI's selected participants, and an open call for batch VII that accepts
applications today.

Everything goes through the selection's services, as a committee would run it. The people
are invented; the stages and the committee's make-up follow the city's usual practice."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cohorts.models import Cohort, Program
from participants.models import Region
from recruitment import services
from recruitment.models import Application, Call, CommitteeMember, Objection, Stage

WITA = datetime.timezone(datetime.timedelta(hours=8))
DOCUMENTS = ["KTP", "Ijazah terakhir"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FIRST = [
    "Ahmad", "Siti", "Muhammad", "Nur", "Rizky", "Dewi", "Fajar", "Aulia", "Hendra", "Rina",
    "Yusuf", "Intan", "Bayu", "Putri", "Arief", "Lestari", "Gusti", "Nadia", "Rahmat", "Wulan",
]  # fmt: skip
LAST = [
    "Hidayat", "Rahmawati", "Saputra", "Aminah", "Pratama", "Fitriani", "Maulana", "Sari",
    "Kurniawan", "Anggraini",
]  # fmt: skip
REGENCIES = ["63.71", "63.71", "63.03", "63.72", "63.04", "63.71", "63.10", "63.71"]
STAGES = [
    # order, name, kind, scoring, weight, pass mark, eliminates
    (1, "Seleksi Administrasi", "administration", "pass_fail", 0, None, True),
    (2, "Tes Tertulis dan Bahasa Jepang", "language", "score", 40, 60, True),
    (3, "Psikotes", "psychotest", "pass_fail", 0, None, True),
    (4, "Wawancara", "interview", "score", 60, 65, True),
    (5, "Pemeriksaan Kesehatan (MCU)", "medical", "pass_fail", 0, None, False),
]


def nik_for(regency: str, birth: datetime.date, gender: str, serial: int) -> str:
    day = birth.day + (40 if gender == "F" else 0)
    return f"{regency.replace('.', '')}01{day:02d}{birth:%m%y}{serial:04d}"


def person(index: int) -> dict:
    gender = "F" if index % 2 else "M"
    birth = datetime.date(1997 + index % 8, 1 + index % 12, 1 + (index * 7) % 27)
    if index == 37:  # too old for the call
        birth = datetime.date(1986, 4, 2)
    regency = "64.71" if index == 38 else REGENCIES[index % len(REGENCIES)]
    return {
        "full_name": f"{FIRST[index % len(FIRST)]} {LAST[(index * 3 + index // 20) % len(LAST)]}",
        "nik": nik_for(regency, birth, gender, 800 + index),
        "birth_date": birth,
        "birth_place": "Banjarmasin",
        "gender": gender,
        "ktp_street": f"Jl. Demo No. {index + 1}",
        "ktp_regency": Region.objects.get(code=regency),
        "education_level": ["sma", "d3", "s1"][index % 3],
        "education_field": "Keperawatan" if index % 3 else "",
        "track": "scholarship" if index % 6 == 0 else "worker",
        "phone": f"0812{5500000 + index:07d}",
    }


def _files() -> dict:
    return {name: SimpleUploadedFile(f"demo-{n}.pdf", PDF) for n, name in enumerate(DOCUMENTS)}


def _make_call(program, cohort, *, title, number, opens, closes, status_after=None) -> Call:
    call = Call.objects.create(
        program=program,
        cohort=cohort,
        title=title,
        number=number,
        opens_at=opens,
        closes_at=closes,
        quota_worker=10,
        quota_scholarship=3,
        reserves=2,
        age_reference_date=timezone.localdate(opens),
        min_age=18,
        max_age=30,
        education_levels=["sma", "d3", "s1"],
        required_documents=DOCUMENTS,
        status=Call.Status.OPEN,
        text=(
            "Pemerintah Kota Banjarmasin membuka kesempatan bagi putra-putri daerah untuk "
            "mengikuti pelatihan dan bekerja sebagai tenaga perawat lansia (kaigo) di Jepang, "
            "serta jalur penerima beasiswa pendidikan keperawatan."
        ),
    )
    call.regions.set(Region.objects.filter(code__in=["63", "63.71"]))
    for order, name, kind, scoring, weight, mark, eliminates in STAGES:
        Stage.objects.create(
            call=call,
            order=order,
            name=name,
            kind=kind,
            scoring=scoring,
            weight=Decimal(weight),
            pass_mark=Decimal(mark) if mark is not None else None,
            eliminates=eliminates,
            place="Balai Kota Banjarmasin",
        )
    return call


def _committee(call: Call, secretary_user) -> dict:
    stages = {stage.order: stage for stage in call.stages.all()}
    chair = CommitteeMember.objects.create(
        call=call,
        name="Dr. Hj. Rusdiana, M.Si.",
        position=CommitteeMember.Position.CHAIR,
        institution="BKPSDM Kota Banjarmasin",
        nip="197205141998032004",
    )
    secretary = CommitteeMember.objects.create(
        call=call,
        user=secretary_user,
        name="Noor Hayati, S.Sos.",
        position=CommitteeMember.Position.SECRETARY,
        institution="Bagian Kerja Sama Setda Kota Banjarmasin",
    )
    interviewer = CommitteeMember.objects.create(
        call=call,
        name="Tanaka Hiroshi",
        position=CommitteeMember.Position.MEMBER,
        institution="Kaikoukai Healthcare Corporation",
    )
    chair.stages.set([stages[2], stages[3], stages[4]])
    secretary.stages.set([stages[1], stages[2], stages[3], stages[5]])
    interviewer.stages.set([stages[4]])
    return {"chair": chair, "secretary": secretary, "interviewer": interviewer}


def _score(index: int, salt: int) -> Decimal:
    return Decimal(55 + (index * 37 + salt * 11) % 44)


def seed_decided_call(program: Program, *, by, secretary) -> Call | None:
    """Batch VI's call, run from the announcement to the decision."""
    cohort, _created = Cohort.objects.get_or_create(
        program=program,
        number=6,
        defaults={"year": 2027, "quota": 15, "status": Cohort.Status.RECRUITING},
    )
    if Call.objects.filter(cohort=cohort).exists():
        return None
    opens = datetime.datetime(2026, 9, 1, 8, 0, tzinfo=WITA)
    call = _make_call(
        program,
        cohort,
        title="Penerimaan Calon Peserta Program Kaigo Angkatan VI",
        number="800/101/KS-BJM/2026",
        opens=opens,
        closes=datetime.datetime(2026, 9, 30, 16, 0, tzinfo=WITA),
    )
    applications = [
        services.application_submit(
            call=call,
            data=person(index),
            documents=_files() if index != 36 else {"KTP": _files()["KTP"]},
            channel=Application.Channel.COUNTER,
            by=by,
            now=opens + datetime.timedelta(days=index // 2, hours=index % 7),
        )
        for index in range(40)
    ]
    services.call_move(call=call, to=Call.Status.CLOSED, by=by)
    for application in applications:
        services.application_check(
            application=application,
            eligible=application.auto_eligible,
            reason="" if application.auto_eligible else "Tidak memenuhi persyaratan pengumuman.",
            by=by,
        )
    members = _committee(call, secretary)
    for member in members.values():
        services.member_sign_pact(member=member, by=secretary)
    relative = applications[5]
    services.conflict_declare(
        member=members["chair"], application=relative, relation="Keponakan", by=secretary
    )
    services.call_move(call=call, to=Call.Status.SCORING, by=by)
    salts = {"chair": 0, "secretary": 1, "member": 2}
    for stage in call.stages.order_by("order"):
        for member in stage.assessors.all():
            barred = set(member.conflicts.values_list("application_id", flat=True))
            entries = []
            for application in services.sitting(stage):
                if application.pk in barred:
                    continue
                index = applications.index(application)
                if stage.is_scored:
                    value = _score(index, stage.order * 3 + salts[member.position])
                    entries.append(services.ScoreEntry(application, value=value))
                else:
                    passed = (index + stage.order) % 13 != 0
                    entries.append(services.ScoreEntry(application, passed=passed))
            services.scores_save(stage=stage, member=member, entries=entries, by=secretary)
        services.stage_lock(stage=stage, by=by)
    published = datetime.date(2026, 11, 2)
    services.call_publish_result(call=call, by=by, today=published)
    call.refresh_from_db()
    complainant = next(
        a for a in applications if Application.objects.get(pk=a.pk).outcome == "not_selected"
    )
    objection = services.objection_record(
        call=call,
        application=complainant,
        text="Saya merasa nilai wawancara saya lebih tinggi dari yang diumumkan.",
        received_on=datetime.date(2026, 11, 3),
        by=by,
    )
    services.objection_answer(
        objection=objection,
        answer=(
            "Panitia telah memeriksa kembali lembar nilai kedua pewawancara; nilai yang "
            "diumumkan sesuai dengan lembar nilai."
        ),
        verdict=Objection.Verdict.REJECTED,
        by=by,
        today=datetime.date(2026, 11, 4),
    )
    services.call_decide(call=call, by=by, today=datetime.date(2026, 11, 10))
    return call


def seed_open_call(program: Program, by) -> Call | None:
    """Batch VII's call, open today, with a few applications from the counter."""
    cohort, _created = Cohort.objects.get_or_create(
        program=program,
        number=7,
        defaults={"year": 2028, "quota": 15, "status": Cohort.Status.RECRUITING},
    )
    if Call.objects.filter(cohort=cohort).exists():
        return None
    now = timezone.now()
    call = _make_call(
        program,
        cohort,
        title="Penerimaan Calon Peserta Program Kaigo Angkatan VII",
        number="800/214/KS-BJM/2026",
        opens=now - datetime.timedelta(days=7),
        closes=now + datetime.timedelta(days=60),
    )
    for index in range(40, 44):
        services.application_submit(
            call=call,
            data=person(index),
            documents=_files(),
            channel=Application.Channel.COUNTER,
            by=by,
            now=now - datetime.timedelta(days=44 - index),
        )
    return call
