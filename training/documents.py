"""Certificates as printed documents: one layout pass per chunk of a batch, cut into one PDF
per certificate, with the merged PDF and all of them in one ZIP."""

from __future__ import annotations

import io
import zipfile

import segno
from django.conf import settings
from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter

from cohorts.models import Cohort, ProgramSignatory
from delegation.documents.printing import generated_note, indonesian_date, letterhead, signers
from delegation.formatting import roman
from delegation.pdf import html_to_pdf
from training.models import Certificate, TrainingPlan

CHUNK = 200
SIGNERS = {
    Certificate.Kind.TRAINING: ProgramSignatory.Document.TRAINING_CERTIFICATE,
    Certificate.Kind.AMBASSADOR: ProgramSignatory.Document.AMBASSADOR_CHARTER,
}


def verify_url(certificate: Certificate) -> str:
    return settings.SITE_URL + certificate.get_verify_url()


def certificates_data(certificates: list[Certificate]) -> list[dict]:
    """The facts each certificate prints (their checksum identifies the document)."""
    plans = {
        plan.cohort_id: plan
        for plan in TrainingPlan.objects.filter(
            cohort_id__in={c.participant.cohort_id for c in certificates}
        ).select_related("cohort__program")
    }
    facts = []
    for certificate in certificates:
        participant = certificate.participant
        plan = plans[participant.cohort_id]
        program = plan.cohort.program
        facts.append(
            {
                "kind": certificate.kind,
                "number": certificate.number,
                "token": certificate.token,
                "revoked": certificate.revoked_at is not None,
                "name": participant.full_name,
                "katakana": participant.name_katakana,
                "participant_number": participant.participant_number,
                "program": program.name,
                "partner": program.partner.name,
                "cohort": f"Angkatan {roman(plan.cohort.number)}",
                "period": f"{indonesian_date(plan.start_date)} – {indonesian_date(plan.end_date)}",
                "location": plan.location,
                "hours": str(certificate.hours),
                "issued": indonesian_date(certificate.issued_on),
                "signers": signers(program, SIGNERS[certificate.kind]),
            }
        )
    return facts


def _qr(url: str) -> str:
    return segno.make(url, error="m").png_data_uri(scale=6, border=2)


def render_pages(facts: list[dict]) -> bytes:
    """One layout pass for a chunk of certificates: one page each."""
    for fact in facts:
        fact["verify_url"] = settings.SITE_URL + f"/verify/{fact['token']}/"
        fact["qr"] = _qr(fact["verify_url"])
    html = render_to_string(
        "pdf/certificates.html",
        {"certificates": facts, "org": letterhead(), "generated_note": generated_note("")},
    )
    return html_to_pdf(html)


def render_zip(cohort: Cohort) -> bytes:
    certificates = list(
        Certificate.objects.valid()
        .filter(participant__cohort=cohort)
        .select_related("participant__cohort__program__partner")
    )
    facts = certificates_data(certificates)
    merged = PdfWriter()
    files: list[tuple[str, bytes]] = []
    for start in range(0, len(facts), CHUNK):
        chunk = facts[start : start + CHUNK]
        reader = PdfReader(io.BytesIO(render_pages(chunk)))
        for fact, page in zip(chunk, reader.pages, strict=True):
            single = PdfWriter()
            single.add_page(page)
            buffer = io.BytesIO()
            single.write(buffer)
            kind = (
                "sertifikat" if fact["kind"] == Certificate.Kind.TRAINING else "piagam-duta-budaya"
            )
            files.append((f"{fact['participant_number']}-{kind}.pdf", buffer.getvalue()))
            merged.add_page(page)
    merged_buffer = io.BytesIO()
    merged.write(merged_buffer)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr(f"sertifikat-angkatan-{cohort.number}-semua.pdf", merged_buffer.getvalue())
        for name, content in files:
            bundle.writestr(f"per-peserta/{name}", content)
    return archive.getvalue()
