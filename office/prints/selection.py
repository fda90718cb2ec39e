"""The selection's official documents, on the letterhead and in Indonesian: the call's
announcement, the Pengumuman Hasil Seleksi (names, origin, track; never a NIK), the Berita
Acara Hasil Seleksi signed by the committee, and the draft Keputusan Wali Kota on the
selected and reserve participants with its lampiran.

``selection_data`` gathers the facts a document prints (their checksum identifies the job);
``render_selection`` turns them into a PDF with the numbers issued by the job's first run."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from delegation.formatting import date_in_words, generated_note, indonesian_date, number
from delegation.pdf import html_to_pdf, letterhead
from participants.models import Participant
from recruitment.models import Application, Call, CommitteeMember, SelectionDocument
from recruitment.services import call_rank

NUMBER_CODES = {
    SelectionDocument.ANNOUNCEMENT: "PENG-SEL",
    SelectionDocument.RESULT: "PENG-HSL",
    SelectionDocument.MINUTES: "BA-SEL",
    SelectionDocument.DECREE: "KEP-SEL",
}
TEMPLATES = {
    SelectionDocument.ANNOUNCEMENT: "pdf/selection_announcement.html",
    SelectionDocument.RESULT: "pdf/selection_result.html",
    SelectionDocument.MINUTES: "pdf/selection_minutes.html",
    SelectionDocument.DECREE: "pdf/selection_decree.html",
}
FILE_NAMES = {
    SelectionDocument.ANNOUNCEMENT: "pengumuman-penerimaan",
    SelectionDocument.RESULT: "pengumuman-hasil-seleksi",
    SelectionDocument.MINUTES: "berita-acara-hasil-seleksi",
    SelectionDocument.DECREE: "rancangan-keputusan-wali-kota",
}
TRACKS = {"worker": "Tenaga Kerja", "scholarship": "Penerima Beasiswa"}
OUTCOMES = {
    "selected": "Lulus",
    "reserve": "Cadangan",
    "not_selected": "Tidak lulus",
    "ineligible": "Tidak memenuhi syarat",
}


def _person(application: Application, *, rank=None, total=None) -> dict:
    """What a list prints of a person: name, origin, track (never a NIK or birth date)."""
    return {
        "number": application.registration_number,
        "name": application.full_name,
        "origin": application.ktp_regency.name,
        "track": TRACKS[application.track],
        "rank": rank,
        "total": number(total, 2, language="id"),
    }


def _rows(call: Call) -> list:
    """The ranking: as published (kept on the applications) once the result is out."""
    if call.status in (Call.Status.PROVISIONAL, Call.Status.DECIDED):
        tracks = list(Participant.Track.values)
        applications = sorted(
            call.applications.select_related("ktp_regency").filter(
                outcome__in=[Application.Outcome.SELECTED, Application.Outcome.RESERVE]
            ),
            key=lambda a: (tracks.index(a.track), a.rank or 0, a.full_name),
        )
        return [(a, a.outcome, a.rank, a.total) for a in applications]
    return [
        (row.application, row.outcome, row.rank, row.total)
        for row in call_rank(call=call)
        if row.outcome in (Application.Outcome.SELECTED, Application.Outcome.RESERVE)
    ]


def _committee(call: Call) -> list[dict]:
    order = {
        CommitteeMember.Position.CHAIR: 0,
        CommitteeMember.Position.SECRETARY: 1,
        CommitteeMember.Position.MEMBER: 2,
    }
    members = sorted(call.committee.all(), key=lambda m: (order[m.position], m.name))
    positions = {"chair": "Ketua", "secretary": "Sekretaris", "member": "Anggota"}
    return [
        {
            "name": m.name,
            "position": positions[m.position],
            "institution": m.institution,
            "nip": m.nip,
        }
        for m in members
    ]


def selection_data(call: Call, kind: str) -> dict:
    """The facts one selection document prints, as plain values."""
    cohort = call.cohort
    with translation.override("id"):
        stages = [
            {
                "name": stage.name,
                "kind": str(stage.get_kind_display()),
                "scored": stage.is_scored,
                "weight": number(stage.weight, language="id"),
                "pass_mark": number(stage.pass_mark, language="id"),
                "day": indonesian_date(stage.scheduled_on) if stage.scheduled_on else "",
                "place": stage.place,
            }
            for stage in call.stages.order_by("order")
        ]
        education = [
            str(label)
            for value, label in Application.education_level.field.choices
            if value in (call.education_levels or [])
        ]
    data = {
        "org": letterhead(),
        "kind": kind,
        "call": {
            "title": call.title,
            "number": call.number,
            "programme": call.program.name,
            "partner": call.program.partner.name,
            "country": call.program.destination_country,
            "cohort": f"Angkatan {cohort.roman_number} ({cohort.year})",
            "opens": indonesian_date(timezone.localdate(call.opens_at)),
            "closes": indonesian_date(timezone.localdate(call.closes_at)),
            "quota_worker": call.quota_worker,
            "quota_scholarship": call.quota_scholarship,
            "reserves": call.reserves,
            "min_age": call.min_age,
            "max_age": call.max_age,
            "age_day": indonesian_date(call.age_reference_date),
            "education": education,
            "regions": [r.name for r in call.regions.order_by("code")],
            "sex": {"M": "laki-laki", "F": "perempuan"}.get(call.sex, ""),
            "documents": list(call.required_documents),
            "text": call.text,
            "published": indonesian_date(call.result_published_on)
            if call.result_published_on
            else "",
            "objection_until": indonesian_date(call.objection_until, weekday=True)
            if call.objection_until
            else "",
            "decided": indonesian_date(call.decided_on) if call.decided_on else "",
        },
        "stages": stages,
        "committee": _committee(call),
    }
    if kind != SelectionDocument.ANNOUNCEMENT:
        rows = _rows(call)
        data["selected"] = [
            _person(a, rank=rank, total=total)
            for a, outcome, rank, total in rows
            if outcome == Application.Outcome.SELECTED
        ]
        data["reserves"] = [
            _person(a, rank=rank, total=total)
            for a, outcome, rank, total in rows
            if outcome == Application.Outcome.RESERVE
        ]
        applications = call.applications.all()
        data["counts"] = {
            "applied": applications.count(),
            "eligible": applications.eligible().count(),
        }
        data["objections"] = [
            {"verdict": o.get_verdict_display(), "answered": bool(o.verdict)}
            for o in call.objections.all()
        ]
    return data


def render_selection(data: dict, number: str, *, day=None) -> bytes:
    day = day or timezone.localdate()
    kind = data["kind"]
    with translation.override("id"):
        html = render_to_string(
            TEMPLATES[kind],
            {
                **data,
                "number": number,
                "day_words": date_in_words(day),
                "place_date": f"{data['org']['place']}, {indonesian_date(day)}".lstrip(", "),
                "mayor": f"WALI KOTA {data['org']['place'].upper()}".strip(),
                "generated_note": generated_note(""),
            },
        )
    return html_to_pdf(html)


def file_stem(kind: str) -> str:
    return FILE_NAMES[kind]
