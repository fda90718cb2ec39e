"""Certificates as printed documents (Sertifikat Pelatihan and Piagam Duta Budaya Banjar):
one layout pass per chunk of a batch, cut into one PDF per certificate, with the merged PDF
and all of them in one ZIP. The certificates themselves are issued by ``training.certificates``."""

from __future__ import annotations

import io
import zipfile
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from pypdf import PdfWriter

from cohorts.models import Cohort, ProgramSignatory
from delegation.formatting import generated_note, indonesian_date, number, roman
from delegation.pdf import html_to_document, letterhead
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
                "hours": number(certificate.hours, language="id"),
                "issued": indonesian_date(certificate.issued_on),
                "signers": ProgramSignatory.objects.signing(
                    program, SIGNERS[certificate.kind]
                ).blocks(),
            }
        )
    return facts


def _qr(url: str) -> str:
    return segno.make(url, error="m").png_data_uri(scale=6, border=2)


def render_pages(facts: list[dict]):
    """One layout pass for a chunk of certificates, one page each: a rendered document."""
    for fact in facts:
        fact["verify_url"] = settings.SITE_URL + f"/verify/{fact['token']}/"
        fact["qr"] = _qr(fact["verify_url"])
    org = letterhead()
    for fact in facts:
        fact["place_date"] = f"{org['place'] or ''}, {fact['issued']}".lstrip(", ")
    with translation.override("id"):
        html = render_to_string(
            "pdf/certificates.html",
            {
                "certificates": facts,
                "org": org,
                "generated_note": generated_note(""),
                "host": urlsplit(settings.SITE_URL).netloc or settings.SITE_URL,
            },
        )
    return html_to_document(html)


def certificates_of(cohort: Cohort) -> list[Certificate]:
    """The batch's valid certificates in the order they print."""
    return list(
        Certificate.objects.valid()
        .filter(participant__cohort=cohort)
        .select_related("participant__cohort__program__partner")
        .order_by("participant__participant_number", "-kind")
    )


def certificates_in_order(ids: list[int]) -> list[Certificate]:
    """The certificates of ``ids`` in that order (those since revoked or removed left out)."""
    found = (
        Certificate.objects.valid()
        .filter(pk__in=ids)
        .select_related("participant__cohort__program__partner")
        .in_bulk()
    )
    return [found[pk] for pk in ids if pk in found]


def render_zip(cohort: Cohort) -> bytes:
    return bundle(
        certificates_data(certificates_of(cohort)), name=f"sertifikat-angkatan-{cohort.number}"
    )


def file_name(fact: dict) -> str:
    kind = "sertifikat" if fact["kind"] == Certificate.Kind.TRAINING else "piagam-duta-budaya"
    return f"{fact['participant_number']}-{kind}.pdf"


MERGED_PART = "merged.pdf"


def render_part(facts: list[dict]) -> bytes:
    """One part of a batch's certificates, laid out once and cut into one PDF each: a ZIP of
    the part's merged PDF and its per-certificate PDFs. Parts are rendered apart (by several
    workers at once) and joined in order by ``assemble``."""
    document = render_pages(facts)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zipped:
        zipped.writestr(MERGED_PART, document.write_pdf())
        for fact, page in zip(facts, document.pages, strict=True):
            zipped.writestr(file_name(fact), document.copy([page]).write_pdf())
    return archive.getvalue()


def assemble(parts: list[bytes], *, name: str) -> bytes:
    """The one ZIP of a batch: the merged PDF of every part in order, and each certificate's
    own PDF under ``per-peserta/``."""
    merged = PdfWriter()
    files: list[tuple[str, bytes]] = []
    for part in parts:
        with zipfile.ZipFile(io.BytesIO(part)) as zipped:
            for info in zipped.infolist():
                if info.filename == MERGED_PART:
                    merged.append(io.BytesIO(zipped.read(info)))
                else:
                    files.append((info.filename, zipped.read(info)))
    merged_buffer = io.BytesIO()
    merged.write(merged_buffer)
    archive = io.BytesIO()
    # PDFs are compressed already: store them as they are.
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zipped:
        zipped.writestr(f"{name}-semua.pdf", merged_buffer.getvalue())
        for each_name, content in files:
            zipped.writestr(f"per-peserta/{each_name}", content)
    return archive.getvalue()


def bundle(facts: list[dict], *, name: str) -> bytes:
    """A ZIP of the merged PDF and one PDF per certificate, cut from one pass per chunk, all in
    this process."""
    return assemble(
        [render_part(facts[start : start + CHUNK]) for start in range(0, len(facts), CHUNK)],
        name=name,
    )
