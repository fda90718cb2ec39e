"""The selection attacked as an outsider would: other programmes' objects by their ids, a
barred assessor posting anyway, changes after locking or deciding, formulas and markup in
every text, hostile uploads, a double decision."""

from __future__ import annotations

import datetime
import io
import struct
import zlib
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from office.prints import selection as selection_prints
from participants.models import Participant, Region
from recruitment.models import (
    Application,
    Call,
    Objection,
    Score,
    ScoreChange,
    SelectionDocument,
    Stage,
)
from tests.factories import ApplicationFactory, CallFactory, make_nik
from tests.office.test_prints import pdf_text
from tests.recruitment.pages import PDF, login

pytestmark = pytest.mark.django_db

MARKUP = "<script>alert(1)</script>"
FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-1+1", "@SUM(1,1)"]


# ---- other programmes' and other calls' ids ----------------------------------------------


def _urls(world):
    call, stage = world["call"], world["stages"][0]
    application = world["others"][0]
    objection = Objection.objects.create(
        call=call,
        application=application,
        received_on=datetime.date(2026, 5, 14),
        text="Nilai",
        recorded_by=world["users"]["hr"],
    )
    member = world["members"][0]
    get = [
        reverse("recruitment:call_detail", args=[call.pk]),
        reverse("recruitment:application_list", args=[call.pk]),
        reverse("recruitment:ranking", args=[call.pk]),
        reverse("recruitment:ranking_export", args=[call.pk]),
        reverse("recruitment:objections", args=[call.pk]),
        reverse("recruitment:call_decide", args=[call.pk]),
        reverse("recruitment:fairness", args=[call.pk]),
        reverse("recruitment:application_detail", args=[application.pk]),
        reverse("recruitment:application_receipt", args=[application.pk]),
        reverse("recruitment:application_document", args=[world["document"].pk]),
        reverse("recruitment:stage_scores", args=[stage.pk]),
        reverse("recruitment:stage_edit", args=[stage.pk]),
        reverse("recruitment:member_conflicts", args=[member.pk]),
        reverse("recruitment:objection_answer", args=[objection.pk]),
        reverse("recruitment:reserve_replace", args=[application.pk]),
    ]
    post = [
        reverse("recruitment:application_reveal", args=[application.pk]),
        reverse("recruitment:application_check", args=[application.pk]),
        reverse("recruitment:call_publish", args=[call.pk]),
        reverse("recruitment:call_decide", args=[call.pk]),
        reverse("recruitment:call_move", args=[call.pk]),
        reverse("recruitment:stage_lock", args=[stage.pk]),
        reverse("recruitment:member_pact", args=[member.pk]),
        reverse("recruitment:stage_scores", args=[stage.pk]),
    ]
    return get, post


@pytest.mark.parametrize("who", ["outsider", "stranger"])
def test_another_programmes_coordinator_and_a_member_of_no_seat_find_nothing(client, world, who):
    """``outsider`` coordinates another programme; ``stranger`` is on the committee role but
    not on this call: every id of the call, its people and stages is 404 to them."""
    get, post = _urls(world)
    login(client, world["users"][who])
    for url in get:
        assert client.get(url).status_code == 404, url
    for url in post:
        assert client.post(
            url, {"to": "cancelled", "eligible": "0", "reason": "x"}
        ).status_code == (404), url
    call = Call.objects.get(pk=world["call"].pk)
    assert call.status == Call.Status.SCORING and not Score.objects.exists()


def test_a_call_of_another_programme_cannot_be_chosen_on_the_call_form(client, world):
    other = CallFactory()
    login(client, world["users"]["coordinator"])
    page = client.get(reverse("recruitment:call_create")).content.decode()
    assert f'value="{other.program.pk}"' not in page


# ---- scoring -------------------------------------------------------------------------------


def test_a_member_posting_a_score_for_a_declared_relation_saves_nothing(client, world):
    language = world["stages"][0]
    relative = world["relative"]
    login(client, world["users"]["member"])
    data = {f"a{a.pk}": "70" for a in world["others"]}
    data[f"a{relative.pk}"] = "100"
    data[f"a{relative.pk}_note"] = "keluarga"
    client.post(reverse("recruitment:stage_scores", args=[language.pk]), data)
    assert not Score.objects.filter(application=relative).exists()
    # Nor by pretending to be another assessor.
    secretary = world["members"][1]
    url = reverse("recruitment:stage_scores", args=[language.pk]) + f"?member={secretary.pk}"
    client.post(url, data)
    assert not Score.objects.filter(application=relative).exists()
    assert not Score.objects.filter(member=secretary).exists()


def test_a_locked_stage_takes_no_change_without_a_reason(client, world):
    language = world["stages"][0]
    member = world["members"][0]
    login(client, world["users"]["member"])
    url = reverse("recruitment:stage_scores", args=[language.pk])
    client.post(url, {f"a{a.pk}": "70" for a in world["others"]})
    Stage.objects.filter(pk=language.pk).update(
        locked_at=timezone.now(), locked_by=world["users"]["hr"]
    )
    changed = {f"a{a.pk}": "70" for a in world["others"]}
    changed[f"a{world['others'][0].pk}"] = "95"
    response = client.post(url, changed)
    assert response.status_code == 200 and "alasan" in response.content.decode()
    assert Score.objects.get(application=world["others"][0], member=member).value == 70
    assert not ScoreChange.objects.filter(after_lock=True).exists()
    client.post(url, {**changed, "reason": "   "})
    assert Score.objects.get(application=world["others"][0], member=member).value == 70
    client.post(url, {**changed, "reason": "Salah baca lembar jawaban"})
    assert Score.objects.get(application=world["others"][0], member=member).value == 95
    change = ScoreChange.objects.get(after_lock=True)
    assert (change.old_value, change.new_value) == (Decimal(70), Decimal(95))


def test_stages_do_not_change_once_the_selection_is_under_way(client, world):
    language = world["stages"][0]
    login(client, world["users"]["hr"])
    edit = reverse("recruitment:stage_edit", args=[language.pk])
    data = {"order": 1, "name": "X", "kind": "language", "scoring": "score", "weight": "1"}
    response = client.post(edit, {**data, "pass_mark": "99"})
    assert response.status_code == 302
    assert Stage.objects.get(pk=language.pk).weight == 60
    create = reverse("recruitment:stage_create", args=[world["call"].pk])
    client.post(create, {**data, "order": 9})
    assert world["call"].stages.count() == 2


def test_the_committee_of_a_decided_call_is_closed(client, world):
    call = world["call"]
    Call.objects.filter(pk=call.pk).update(status=Call.Status.DECIDED)
    login(client, world["users"]["hr"])
    url = reverse("recruitment:member_create", args=[call.pk])
    response = client.post(url, {"name": "Baru", "position": "member"})
    assert response.status_code == 302 and call.committee.count() == 3


# ---- formulas and markup -----------------------------------------------------------------


@pytest.fixture
def hostile(world):
    call = world["call"]
    Call.objects.filter(pk=call.pk).update(
        title=MARKUP + FORMULAS[0], text=MARKUP + " " + FORMULAS[1], number=FORMULAS[3]
    )
    call.refresh_from_db()
    Stage.objects.filter(pk=world["stages"][0].pk).update(name=FORMULAS[2])
    application = world["others"][0]
    Application.objects.filter(pk=application.pk).update(
        full_name=FORMULAS[0],
        ktp_street=MARKUP,
        education_field=FORMULAS[3],
        admin_reason=MARKUP,
    )
    second = world["others"][1]
    Application.objects.filter(pk=second.pk).update(full_name=MARKUP)
    Objection.objects.create(
        call=call,
        application=second,
        received_on=datetime.date(2026, 5, 14),
        text=MARKUP,
        answer=FORMULAS[1],
        verdict="rejected",
        recorded_by=world["users"]["hr"],
    )
    return call


def test_the_rank_list_keeps_formulas_as_text(client, world, hostile):
    response = login(client, world["users"]["hr"]).get(
        reverse("recruitment:ranking_export", args=[hostile.pk])
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    texts = {cell.value for cell in cells}
    for formula in (FORMULAS[0], FORMULAS[2]):
        assert formula in texts
    assert any(str(value).startswith(MARKUP) for value in texts)
    assert all(cell.data_type != "f" for cell in cells)


def test_pages_show_markup_as_text(client, world, hostile):
    login(client, world["users"]["hr"])
    second = world["others"][1]
    pages = [
        reverse("recruitment:call_list"),
        reverse("recruitment:call_detail", args=[hostile.pk]),
        reverse("recruitment:application_list", args=[hostile.pk]),
        reverse("recruitment:ranking", args=[hostile.pk]),
        reverse("recruitment:objections", args=[hostile.pk]),
        reverse("recruitment:application_detail", args=[second.pk]),
        reverse("recruitment:fairness", args=[hostile.pk]),
    ]
    for url in pages:
        page = client.get(url).content.decode()
        assert MARKUP not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
    revealed = client.post(
        reverse("recruitment:application_reveal", args=[world["others"][0].pk])
    ).content.decode()
    assert MARKUP not in revealed and "&lt;script&gt;" in revealed


def test_prints_show_markup_as_text(client, world, hostile):
    Call.objects.filter(pk=hostile.pk).update(
        status=Call.Status.PROVISIONAL,
        result_published_on=datetime.date(2026, 5, 13),
        objection_until=datetime.date(2026, 5, 19),
    )
    Application.objects.filter(pk=world["others"][1].pk).update(outcome="selected", rank=1)
    hostile.refresh_from_db()
    for kind in (SelectionDocument.ANNOUNCEMENT, SelectionDocument.RESULT):
        data = selection_prints.selection_data(hostile, kind)
        text = pdf_text(selection_prints.render_selection(data, "1/2026"))
        assert "<script>alert(1)</script>" in " ".join(text.split()).replace("< ", "<"), kind
    receipt = login(client, world["users"]["hr"]).get(
        reverse("recruitment:application_receipt", args=[world["others"][1].pk])
    )
    assert MARKUP in pdf_text(receipt.content)


# ---- uploads at the counter ---------------------------------------------------------------


def _png_bomb() -> bytes:
    """A PNG header that claims 100 000 × 100 000 pixels, and a few bytes of data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def _big_pdf() -> bytes:
    return PDF + b"0" * (30 * 1024 * 1024)


UPLOADS = {
    "thirty megabytes": ("scan.pdf", _big_pdf, "10"),
    "html named pdf": ("ktp.pdf", lambda: b"<html><script>alert(1)</script></html>", "PDF"),
    "empty": ("ktp.pdf", lambda: b"", "kosong"),
    "pixel bomb": ("ktp.png", _png_bomb, "piksel"),
    "pdf named png": ("ktp.png", lambda: PDF, "PDF"),
}


@pytest.mark.parametrize("case", UPLOADS)
def test_the_counter_desk_refuses_hostile_uploads_and_saves_nothing(client, world, case):
    name, content, said = UPLOADS[case]
    call = CallFactory(required_documents=["KTP"], program=world["call"].program)
    login(client, world["users"]["hr"])
    birth = datetime.date(2001, 7, 9)
    data = {
        "full_name": "Rahmat Hidayat",
        "nik": make_nik(birth, "M", serial=41),
        "birth_date": "2001-07-09",
        "gender": "M",
        "ktp_regency": Region.objects.get(code="63.71").pk,
        "education_level": "sma",
        "track": "worker",
        "document_0": SimpleUploadedFile(name, content()),
    }
    response = client.post(reverse("recruitment:application_create", args=[call.pk]), data)
    assert response.status_code == 200
    assert said in response.content.decode()
    assert not Application.objects.filter(call=call).exists()


# ---- the decision ---------------------------------------------------------------------------


@pytest.fixture
def provisional(world):
    call = world["call"]
    hr = world["users"]["hr"]
    call.stages.update(locked_at=timezone.now(), locked_by=hr)
    for application in world["others"]:
        application.outcome = "selected"
        application.save()
    Call.objects.filter(pk=call.pk).update(
        status=Call.Status.PROVISIONAL,
        result_published_on=timezone.localdate() - datetime.timedelta(days=10),
        objection_until=timezone.localdate() - datetime.timedelta(days=3),
    )
    for stage in world["stages"]:
        for member in stage.assessors.all():
            for application in [world["relative"], *world["others"]]:
                Score.objects.create(
                    application=application,
                    stage=stage,
                    member=member,
                    value=80,
                    entered_by=hr,
                )
    call.refresh_from_db()
    return call


def test_a_double_submitted_decision_decides_once(client, world, provisional):
    login(client, world["users"]["hr"])
    url = reverse("recruitment:call_decide", args=[provisional.pk])
    first = client.post(url)
    assert first.status_code == 302
    made = Participant.objects.count()
    assert made == 2  # the two workers' places; every applicant applied as a worker
    second = client.post(url, follow=True)
    assert "sementara" in second.content.decode()
    assert Participant.objects.count() == made
    assert Call.objects.get(pk=provisional.pk).status == Call.Status.DECIDED


def test_no_decision_before_the_objection_period_ends(client, world, provisional):
    Call.objects.filter(pk=provisional.pk).update(objection_until=timezone.localdate())
    login(client, world["users"]["hr"])
    url = reverse("recruitment:call_decide", args=[provisional.pk])
    page = client.get(url).content.decode()
    assert "Tetapkan hasil seleksi" not in page and "Masa sanggah" in page
    response = client.post(url, follow=True)
    assert "Masa sanggah" in response.content.decode()
    assert Call.objects.get(pk=provisional.pk).status == Call.Status.PROVISIONAL
    assert not Participant.objects.exists()


def test_no_decision_while_an_objection_awaits_its_answer(client, world, provisional):
    Objection.objects.create(
        call=provisional,
        application=world["others"][0],
        received_on=provisional.result_published_on,
        text="Nilai saya",
        recorded_by=world["users"]["hr"],
    )
    login(client, world["users"]["hr"])
    client.post(reverse("recruitment:call_decide", args=[provisional.pk]))
    assert Call.objects.get(pk=provisional.pk).status == Call.Status.PROVISIONAL
    assert not Participant.objects.exists()


def test_applications_by_pk_of_a_nik_never_reach_a_url(world):
    application = ApplicationFactory(call=world["call"])
    for name in ("application_detail", "application_reveal", "application_receipt"):
        assert application.nik not in reverse(f"recruitment:{name}", args=[application.pk])
