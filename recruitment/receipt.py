"""The applicant's receipt (tanda terima pendaftaran): a one-page PDF on the letterhead,
handed over at the counter, that names the registration number, what was received and when.
It never prints the NIK or the birth date: the receipt leaves the office in the applicant's
pocket."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from delegation.formatting import generated_note, indonesian_date, local_time
from delegation.pdf import html_to_pdf, letterhead
from recruitment.models import Application

TRACKS = {"worker": "Tenaga Kerja", "scholarship": "Penerima Beasiswa"}
CHANNELS = {"counter": "Loket", "portal": "Portal daring"}


def receipt_data(application: Application) -> dict:
    """What the receipt prints."""
    call = application.call
    org = letterhead()
    submitted = timezone.localtime(application.submitted_at)
    return {
        "org": org,
        "call_title": call.title,
        "call_number": call.number,
        "program": call.program.name,
        "cohort": str(call.cohort),
        "registration_number": application.registration_number,
        "name": application.full_name,
        "track": TRACKS.get(application.track, application.track),
        "channel": CHANNELS.get(application.channel, application.channel),
        "received": f"{indonesian_date(submitted.date(), weekday=True)}, {local_time(submitted)}",
        "documents": list(application.documents.values_list("name", flat=True)),
        "missing": [
            name
            for name in call.required_documents
            if not application.documents.filter(name=name).exists()
        ],
        "place_date": f"{org['place'] or ''}, {indonesian_date(submitted.date())}".lstrip(", "),
        "officer": (
            application.submitted_by.get_full_name() or application.submitted_by.get_username()
            if application.submitted_by
            else ""
        ),
    }


def receipt_pdf(data: dict, *, requested_by: str = "") -> bytes:
    with translation.override("id"):
        html = render_to_string(
            "pdf/selection_receipt.html",
            {
                **data,
                "signers": [{"position": "Petugas penerima", "name": data["officer"] or "." * 40}],
                "generated_note": generated_note(requested_by),
            },
        )
    return html_to_pdf(html)
