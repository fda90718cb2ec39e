"""Every kind of uploaded file: its bytes are sniffed, its size is limited, it is stored out of
reach of any public URL and it comes back only through a permission-checked, logged download.

Each kind is uploaded through its own page by HR staff, as a user would.
"""

from __future__ import annotations

import datetime
import io
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from cohorts.models import Agreement
from delegation.models import AuditEvent
from delegation.uploads import MAX_UPLOAD_BYTES, validate_document_upload
from participants.models import Contract, CostItem, Document, DocumentType, Participant, Status
from tests.factories import (
    CohortAssignmentFactory,
    CohortFactory,
    ParticipantFactory,
    ProgramAssignmentFactory,
    make_nik,
)
from training.models import ExamResult, ExamType

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass
class Kind:
    """How one kind of file is uploaded, found again and downloaded."""

    field: str
    good_name: str
    good_bytes: Callable[[], bytes]
    post_url: Callable[[dict], str]
    data: Callable[[dict], dict]
    stored: Callable[[], object]  # the saved object's file, or None when nothing was saved
    model: type
    download_url: Callable[[object], str] | None
    refused: str  # a user who sees the subject but may not download the file


def _first_file(model, attribute):
    def stored():
        obj = model.objects.order_by("-pk").first()
        return getattr(obj, attribute) if obj else None

    return stored


def _new_participant_photo():
    person = Participant.objects.filter(full_name="Hj. Siti Rahmah").first()
    return person.photo if person else None


BIRTH = datetime.date(1998, 2, 18)


def unused_nik() -> str:
    """A NIK of BIRTH that no participant holds yet: the factories number theirs in sequence,
    so a fixed serial would clash with whichever participant reached it first."""
    taken = set(Participant.objects.values_list("nik", flat=True))
    return next(
        nik
        for serial in range(9999, 0, -1)
        if (nik := make_nik(BIRTH, "F", serial=serial)) not in taken
    )


KINDS = {
    "participant document": Kind(
        field="file",
        good_name="paspor.pdf",
        good_bytes=lambda: PDF,
        post_url=lambda w: reverse("participants:document_create", args=[w["participant"].pk]),
        data=lambda w: {
            "document_type": DocumentType.objects.get(code="passport").pk,
            "number": "C1234567",
            "issued_on": "2025-01-01",
            "expires_on": "2030-01-01",
        },
        model=Document,
        stored=_first_file(Document, "file"),
        download_url=lambda f: reverse("participants:document_file", args=[f.instance.pk]),
        refused="coordinator",
    ),
    "participant photo": Kind(
        field="photo",
        good_name="foto.png",
        good_bytes=png,
        post_url=lambda w: reverse("participants:participant_create"),
        data=lambda w: {
            "full_name": "Hj. Siti Rahmah",
            "nik": unused_nik(),
            "gender": "F",
            "birth_date": BIRTH.isoformat(),
            "origin": w["participant"].origin.code,
            "track": "worker",
        },
        model=Participant,
        stored=lambda: _new_participant_photo(),
        download_url=lambda f: reverse("participants:participant_photo", args=[f.instance.pk]),
        refused="no_role",
    ),
    "agreement file": Kind(
        field="file",
        good_name="mou.pdf",
        good_bytes=lambda: PDF,
        post_url=lambda w: reverse("cohorts:agreement_create", args=[w["program"].slug]),
        data=lambda w: {"kind": "mou", "number": "7/MoU/2026", "signed_on": "2026-01-05"},
        model=Agreement,
        stored=_first_file(Agreement, "file"),
        download_url=lambda f: reverse("cohorts:agreement_file", args=[f.instance.pk]),
        refused="leadership",
    ),
    "signed contract": Kind(
        field="signed_file",
        good_name="kontrak.pdf",
        good_bytes=lambda: PDF,
        post_url=lambda w: reverse("participants:contract_create", args=[w["participant"].pk]),
        data=lambda w: {
            "employer": "Kaikoukai",
            "start_date": "2026-03-02",
            "term_years": "5",
            "salary_currency": "JPY",
        },
        model=Contract,
        stored=_first_file(Contract, "signed_file"),
        download_url=lambda f: reverse("participants:contract_file", args=[f.instance.pk]),
        refused="coordinator",
    ),
    "cost receipt": Kind(
        field="receipt",
        good_name="kwitansi.jpg",
        good_bytes=lambda: b"\xff\xd8\xff\xe0" + b"\x00" * 64,
        post_url=lambda w: reverse("participants:cost_create", args=[w["program"].slug]),
        data=lambda w: {
            "category": "exams",
            "payer": "sponsor",
            "amount": "100000",
            "currency": "IDR",
            "rate_to_idr": "1",
            "date": "2025-11-20",
            "description": "Ujian JFT",
        },
        model=CostItem,
        stored=_first_file(CostItem, "receipt"),
        download_url=lambda f: reverse("participants:cost_receipt", args=[f.instance.pk]),
        refused="leadership",
    ),
    "exam certificate": Kind(
        field="certificate",
        good_name="jlpt.pdf",
        good_bytes=lambda: PDF,
        post_url=lambda w: reverse("training:exam_result_create", args=[w["participant"].pk]),
        data=lambda w: {
            "exam_type": ExamType.objects.get(code="jlpt-n4").pk,
            "date": "2025-12-07",
            "verdict": "pass",
        },
        model=ExamResult,
        stored=_first_file(ExamResult, "certificate"),
        download_url=lambda f: reverse("training:exam_certificate", args=[f.instance.pk]),
        refused="instructor",
    ),
}


@pytest.fixture
def scene(hr, coordinator, leadership, instructor, outsider, program, cohort):
    ProgramAssignmentFactory(program=program, user=coordinator, role="coordinator")
    ProgramAssignmentFactory(program=program, user=leadership, role="leadership")
    CohortAssignmentFactory(cohort=cohort, user=instructor)
    participant = ParticipantFactory(cohort=cohort, status=Status.IN_TRAINING)
    users = {
        "hr": hr,
        "coordinator": coordinator,
        "leadership": leadership,
        "instructor": instructor,
        "no_role": outsider,
        "other_instructor": CohortAssignmentFactory(
            cohort=CohortFactory(), user__username="elsewhere"
        ).user,
    }
    users["other_instructor"].groups.add(*instructor.groups.all())
    return {"program": program, "cohort": cohort, "participant": participant, "users": users}


def refused_and_nothing_saved(scene, kind: Kind, name: str, content: bytes):
    before = kind.model.objects.count()
    response = upload(scene, kind, name, content)
    assert response.status_code == 200
    assert kind.model.objects.count() == before
    assert media_files() == []
    return response.context["form"].errors.get(kind.field, [])


def upload(scene, kind: Kind, name: str, content: bytes):
    client = Client()
    client.force_login(scene["users"]["hr"])
    data = {**kind.data(scene), kind.field: SimpleUploadedFile(name, content)}
    return client.post(kind.post_url(scene), data)


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.parametrize("kind_name", KINDS)
def test_a_good_file_is_stored(scene, kind_name):
    """The baseline the refusals below are measured against."""
    kind = KINDS[kind_name]
    response = upload(scene, kind, kind.good_name, kind.good_bytes())
    assert response.status_code == 302, response.context and response.context["form"].errors
    stored = kind.stored()
    assert stored and stored.read() == kind.good_bytes()


@pytest.mark.parametrize("kind_name", KINDS)
def test_a_program_renamed_as_a_document_is_refused(scene, kind_name):
    kind = KINDS[kind_name]
    assert refused_and_nothing_saved(scene, kind, kind.good_name, EXE)


@pytest.mark.parametrize("kind_name", KINDS)
def test_a_name_that_lies_about_the_content_is_refused(scene, kind_name):
    """PDF bytes under an image name (or image bytes under a PDF name) are refused."""
    kind = KINDS[kind_name]
    name = "scan.pdf" if kind.good_name.endswith((".png", ".jpg")) else "scan.png"
    assert refused_and_nothing_saved(scene, kind, name, kind.good_bytes())


@pytest.mark.parametrize("kind_name", KINDS)
def test_a_file_over_the_size_limit_is_refused_with_the_limit(scene, kind_name):
    kind = KINDS[kind_name]
    head = kind.good_bytes()
    content = head + b"\x00" * (MAX_UPLOAD_BYTES + 1 - len(head))
    errors = refused_and_nothing_saved(scene, kind, kind.good_name, content)
    shown = [error.replace("\xa0", " ").replace(",", ".") for error in errors]
    assert any("10.0 MB" in error for error in shown), errors


@pytest.mark.parametrize("kind_name", KINDS)
def test_a_stored_file_is_under_the_private_media_root_and_never_served_directly(
    scene, kind_name, admin_user
):
    kind = KINDS[kind_name]
    upload(scene, kind, kind.good_name, kind.good_bytes())
    stored = kind.stored()
    path = Path(stored.path).resolve()
    assert path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    client = Client()
    client.force_login(admin_user)
    for guess in {stored.url, f"/{stored.name}", f"/media/{stored.name}"}:
        response = client.get(guess)
        assert response.status_code == 404, guess
        assert kind.good_bytes() not in b"".join(getattr(response, "streaming_content", [b""]))


@pytest.mark.parametrize("kind_name", KINDS)
def test_the_download_checks_the_permission_and_is_logged(scene, kind_name):
    kind = KINDS[kind_name]
    upload(scene, kind, kind.good_name, kind.good_bytes())
    stored = kind.stored()
    url = kind.download_url(stored)
    users = scene["users"]
    answers = {}
    for who in (kind.refused, "other_instructor"):
        client = Client()
        client.force_login(users[who])
        answers[who] = client.get(url).status_code
    assert answers == {kind.refused: 403, "other_instructor": 404}
    client = Client()
    client.force_login(users["hr"])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == kind.good_bytes()
    if kind_name != "participant photo":  # a photo is shown in pages, not saved as a file
        assert response["Content-Disposition"].startswith("attachment")
        assert AuditEvent.objects.filter(
            action=AuditEvent.Action.DOWNLOAD, actor=users["hr"]
        ).exists()


def png_declaring(width: int, height: int) -> bytes:
    """A small PNG file whose header claims ``width`` x ``height`` pixels: opened by a
    viewer, it asks for gigabytes of memory (a pixel bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("size", [(60_000, 60_000), (12_000, 12_000)])
def test_an_image_of_too_many_pixels_is_refused(scene, size):
    kind = KINDS["participant document"]
    errors = refused_and_nothing_saved(scene, kind, "paspor.png", png_declaring(*size))
    assert any("89" in error for error in errors), errors


def test_a_large_but_plausible_scan_is_accepted():
    """A 600 dpi A4 scan (about 35 million pixels) is a document, not a bomb."""
    upload = SimpleUploadedFile("scan.png", png_declaring(4960, 7016))
    assert validate_document_upload(upload) == "png"
