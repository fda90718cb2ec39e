"""The blank attendance sheet of one training session (Daftar Hadir Pertemuan), printed on
the letterhead for the teacher to sign."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils import timezone, translation

from delegation.formatting import generated_note, indonesian_date, local_time, roman
from delegation.pdf import html_to_pdf, letterhead, with_tail
from delegation.roles import Role
from training.models import Session


def session_teachers(session: Session) -> str:
    """Who teaches the session: its own instructor or guest teacher, else the instructors
    assigned to the batch (the sheet never says "—" while the batch has a teacher)."""
    if session.teacher:
        return session.teacher
    instructors = (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name=Role.INSTRUCTOR,
            cohort_assignments__cohort=session.module.plan.cohort_id,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    return ", ".join(user.get_full_name() or user.get_username() for user in instructors)


def session_sheet_data(session: Session, participants) -> dict:
    """What the blank attendance sheet of one session prints (Daftar Hadir Pertemuan)."""
    plan = session.module.plan
    cohort = plan.cohort

    def at(moment: datetime.time) -> datetime.datetime:
        return datetime.datetime.combine(
            session.date, moment, tzinfo=timezone.get_current_timezone()
        )

    starts, ends = local_time(at(session.start_time)), local_time(at(session.end_time))
    org = letterhead()
    day = indonesian_date(session.date, weekday=True)
    return {
        "org": org,
        "program": cohort.program.name,
        "cohort": f"Angkatan {roman(cohort.number)}",
        "module": session.module.name,
        "topic": session.topic,
        "day": day,
        # "09.00–11.00 WITA": the zone once, after the end.
        "time": f"{starts.rsplit(' ', 1)[0]}–{ends}",
        "place": plan.location,
        "teacher": session_teachers(session),
        "rows": [
            {"number": person.participant_number, "name": person.full_name}
            for person in participants
        ],
        "place_date": f"{org['place'] or ''}, {indonesian_date(session.date)}".lstrip(", "),
    }


def session_sheet_pdf(data: dict, *, requested_by: str = "") -> bytes:
    rows, tail = with_tail(data["rows"])
    signer = {"position": "Pengajar", "name": data["teacher"] or "." * 40}
    with translation.override("id"):
        html = render_to_string(
            "pdf/session_sign_in.html",
            {
                **data,
                "rows": rows,
                "tail": tail,
                "count": len(data["rows"]),
                "signers": [signer],
                "generated_note": generated_note(requested_by),
            },
        )
    return html_to_pdf(html)
