"""The selection's pages: who reaches them, what they show and what they change."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from delegation.models import AuditEvent
from participants.models import Region
from recruitment.models import Application, Call, Objection, Score
from recruitment.services import working_days_after
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    ProgramAssignmentFactory,
    UserFactory,
    make_nik,
)
from tests.office.test_prints import pdf_text

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def login(client, user):
    client.force_login(user)
    return client


def test_the_calls_list_shows_each_user_the_calls_they_may_see(client, world):
    url = reverse("recruitment:call_list")
    for who, sees in [
        ("hr", True),
        ("coordinator", True),
        ("leadership", True),
        ("member", True),
        ("stranger", False),
        ("outsider", False),
    ]:
        response = login(client, world["users"][who]).get(url)
        assert response.status_code == 200, who
        assert (world["call"].title in response.content.decode()) is sees, who


def test_the_calls_list_is_refused_to_a_user_without_a_role(client, world):
    response = login(client, UserFactory()).get(reverse("recruitment:call_list"))
    assert response.status_code == 403


def test_a_call_of_another_programme_does_not_exist_for_its_outsiders(client, world):
    url = reverse("recruitment:call_detail", args=[world["call"].pk])
    assert login(client, world["users"]["outsider"]).get(url).status_code == 404
    assert login(client, world["users"]["stranger"]).get(url).status_code == 404
    assert login(client, world["users"]["hr"]).get(url).status_code == 200


def test_a_committee_member_sees_only_their_stages(client, world):
    response = login(client, world["users"]["member"]).get(
        reverse("recruitment:call_detail", args=[world["call"].pk])
    )
    page = response.content.decode()
    language, interview = world["stages"]
    assert reverse("recruitment:stage_scores", args=[language.pk]) in page
    assert reverse("recruitment:stage_scores", args=[interview.pk]) not in page
    scores = reverse("recruitment:stage_scores", args=[interview.pk])
    assert client.get(scores).status_code == 404


def test_the_score_sheet_hides_the_applicant_of_a_declared_relation(client, world):
    language = world["stages"][0]
    response = login(client, world["users"]["member"]).get(
        reverse("recruitment:stage_scores", args=[language.pk])
    )
    page = response.content.decode()
    assert "Pendaftar 0" in page and "Keponakan Rina" not in page
    url = reverse("recruitment:application_detail", args=[world["relative"].pk])
    assert client.get(url).status_code == 404


def test_the_score_sheet_saves_every_applicant_in_one_submit(client, world):
    language = world["stages"][0]
    others = world["others"]
    login(client, world["users"]["member"])
    data = {f"a{a.pk}": "72,5" for a in others}
    data[f"a{others[0].pk}_note"] = "Lancar"
    response = client.post(reverse("recruitment:stage_scores", args=[language.pk]), data)
    assert response.status_code == 302
    assert sorted(Score.objects.values_list("value", flat=True)) == [Decimal("72.5")] * 3
    assert Score.objects.get(application=others[0]).note == "Lancar"


def test_a_score_out_of_range_is_refused_and_nothing_saved(client, world):
    language = world["stages"][0]
    login(client, world["users"]["member"])
    data = {f"a{a.pk}": "80" for a in world["others"]}
    data[f"a{world['others'][1].pk}"] = "180"
    response = client.post(reverse("recruitment:stage_scores", args=[language.pk]), data)
    assert response.status_code == 200
    assert not Score.objects.exists()


def test_the_secretary_enters_the_paper_sheet_of_an_assessor_without_account(client, world):
    interview = world["stages"][1]
    paper = world["members"][2]
    login(client, world["users"]["secretary"])
    url = reverse("recruitment:stage_scores", args=[interview.pk]) + f"?member={paper.pk}"
    assert "Tanaka Hiroshi" in client.get(url).content.decode()
    paper.pact_signed_at = None
    paper.save()
    client.post(reverse("recruitment:member_pact", args=[paper.pk]))
    paper.refresh_from_db()
    assert paper.pact_signed_at is not None
    data = {f"a{a.pk}": "65" for a in [world["relative"], *world["others"]]}
    response = client.post(url, data)
    assert response.status_code == 302
    score = Score.objects.filter(member=paper).first()
    assert score.entered_by == world["users"]["secretary"] and score.on_behalf


def test_a_member_cannot_score_for_someone_else(client, world):
    interview = world["stages"][1]
    login(client, world["users"]["member"])
    response = client.get(reverse("recruitment:stage_scores", args=[interview.pk]))
    assert response.status_code == 404


def test_the_counter_desk_registers_an_application_with_its_document(client, world):
    call = CallFactory(required_documents=["KTP"])
    ProgramAssignmentFactory(program=call.program, user=world["users"]["coordinator"])
    login(client, world["users"]["coordinator"])
    birth = datetime.date(2001, 7, 9)
    data = {
        "full_name": "Rahmat Hidayat",
        "nik": make_nik(birth, "M", serial=31),
        "birth_date": "2001-07-09",
        "gender": "M",
        "ktp_regency": Region.objects.get(code="63.71").pk,
        "education_level": "sma",
        "track": "worker",
        "document_0": SimpleUploadedFile("ktp.pdf", PDF, content_type="application/pdf"),
    }
    response = client.post(reverse("recruitment:application_create", args=[call.pk]), data)
    application = Application.objects.get(call=call)
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url() + "?registered=1"
    assert application.channel == "counter" and application.auto_eligible
    assert application.documents.get().name == "KTP"
    page = client.get(response["Location"]).content.decode()
    receipt_url = reverse("recruitment:application_receipt", args=[application.pk])
    assert receipt_url in page
    receipt = client.get(receipt_url)
    assert receipt["Content-Type"] == "application/pdf"
    assert receipt["Content-Disposition"].startswith('attachment; filename="tanda-terima_')
    text = pdf_text(receipt.content)
    assert "TANDA TERIMA PENDAFTARAN" in text and application.registration_number in text
    assert "Rahmat Hidayat" in text and "KTP" in text
    assert application.nik not in text and "2001" not in text.split("Dibuat oleh")[0]


def test_the_receipt_escapes_markup_and_names_missing_documents(client, world):
    call = CallFactory(required_documents=["KTP", "Ijazah"])
    application = ApplicationFactory(call=call, full_name="<b>Budi</b> =HYPERLINK(1)")
    login(client, world["users"]["hr"])
    text = pdf_text(
        client.get(reverse("recruitment:application_receipt", args=[application.pk])).content
    )
    assert "<b>Budi</b> =HYPERLINK(1)" in text
    assert "belum diserahkan" in text and "Ijazah" in text
    assert AuditEvent.objects.filter(action="export", subject_id=str(application.pk)).exists()


def test_the_counter_desk_shows_a_bad_nik_and_saves_nothing(client, world):
    call = CallFactory()
    login(client, world["users"]["hr"])
    data = {
        "full_name": "X",
        "nik": "12345",
        "birth_date": "2001-07-09",
        "gender": "M",
        "ktp_regency": Region.objects.get(code="63.71").pk,
        "education_level": "sma",
        "track": "worker",
    }
    response = client.post(reverse("recruitment:application_create", args=[call.pk]), data)
    assert response.status_code == 200
    assert "16" in response.content.decode()
    assert not Application.objects.filter(call=call).exists()


def test_leadership_and_the_committee_cannot_register_applications(client, world):
    call = CallFactory(program=world["call"].program, cohort=world["call"].cohort)
    url = reverse("recruitment:application_create", args=[call.pk])
    assert login(client, world["users"]["leadership"]).get(url).status_code == 403


def test_personal_data_is_masked_and_hidden_from_the_committee(client, world):
    application = world["others"][0]
    url = reverse("recruitment:application_detail", args=[application.pk])
    page = login(client, world["users"]["coordinator"]).get(url).content.decode()
    assert application.nik not in page and application.nik[:4] in page
    page = login(client, world["users"]["member"]).get(url).content.decode()
    assert application.nik[:4] not in page and application.full_name in page


def test_the_nik_is_masked_until_hr_shows_it_and_the_showing_is_logged(client, world):
    application = world["others"][0]
    application.ktp_street = "Jl. Rahasia 7"
    application.save()
    detail = reverse("recruitment:application_detail", args=[application.pk])
    reveal = reverse("recruitment:application_reveal", args=[application.pk])
    page = login(client, world["users"]["hr"]).get(detail).content.decode()
    assert application.nik not in page and "Jl. Rahasia 7" not in page and reveal in page
    assert client.get(reveal).status_code == 405
    assert not AuditEvent.objects.filter(action="view_sensitive").exists()
    response = client.post(reveal)
    page = response.content.decode()
    assert response.status_code == 200 and application.nik in page and "Jl. Rahasia 7" in page
    event = AuditEvent.objects.get(action="view_sensitive")
    assert event.actor == world["users"]["hr"] and event.subject_id == str(application.pk)
    assert application.nik not in event.subject_repr + event.detail
    assert application.nik not in response.request["PATH_INFO"]


def test_coordinators_and_the_committee_cannot_show_the_nik(client, world):
    application = world["others"][0]
    reveal = reverse("recruitment:application_reveal", args=[application.pk])
    detail = reverse("recruitment:application_detail", args=[application.pk])
    for who in ("coordinator", "leadership", "member"):
        login(client, world["users"][who])
        assert reveal not in client.get(detail).content.decode()
        assert client.post(reveal).status_code == 403
    login(client, world["users"]["outsider"])
    assert client.post(reveal).status_code == 404
    assert not AuditEvent.objects.filter(action="view_sensitive").exists()


def test_the_administrative_check_needs_a_reason_to_refuse(client, world):
    call = CallFactory(status=Call.Status.CLOSED)
    application = ApplicationFactory(call=call)
    login(client, world["users"]["hr"])
    url = reverse("recruitment:application_check", args=[application.pk])
    assert client.get(url).status_code == 405
    client.post(url, {"eligible": "0", "reason": ""})
    application.refresh_from_db()
    assert application.admin_status == "pending"
    client.post(url, {"eligible": "0", "reason": "Ijazah tidak sah"})
    application.refresh_from_db()
    assert (application.admin_status, application.admin_reason) == (
        "ineligible",
        "Ijazah tidak sah",
    )


def test_a_document_download_is_audited_and_not_for_leadership(client, world):
    url = reverse("recruitment:application_document", args=[world["document"].pk])
    assert login(client, world["users"]["leadership"]).get(url).status_code == 403
    response = login(client, world["users"]["member"]).get(url)
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="download", actor=world["users"]["member"]).exists()


def test_the_ranking_and_rank_list_are_for_staff_not_the_committee(client, world):
    call = world["call"]
    for who, code in [("hr", 200), ("coordinator", 200), ("leadership", 200), ("member", 403)]:
        login(client, world["users"][who])
        assert client.get(reverse("recruitment:ranking", args=[call.pk])).status_code == code
        response = client.get(reverse("recruitment:ranking_export", args=[call.pk]))
        assert response.status_code == code
        if code == 200:
            assert response["Cache-Control"].startswith("no-store")
    assert AuditEvent.objects.filter(action="export").count() == 3


def test_objections_are_recorded_and_answered_on_their_page(client, world):
    call = world["call"]
    call.status = Call.Status.PROVISIONAL
    call.result_published_on = datetime.date(2026, 5, 13)
    call.objection_until = datetime.date(2030, 5, 19)
    call.save()
    login(client, world["users"]["coordinator"])
    url = reverse("recruitment:objections", args=[call.pk])
    response = client.post(
        url,
        {
            "application": world["others"][1].pk,
            "received_on": "2026-05-14",
            "text": "Nilai saya tertukar",
        },
    )
    assert response.status_code == 302
    objection = Objection.objects.get()
    answer = reverse("recruitment:objection_answer", args=[objection.pk])
    client.post(answer, {"verdict": "rejected", "answer": "Sudah diperiksa."})
    objection.refresh_from_db()
    assert objection.verdict == "rejected" and objection.answered_by.username == "coordinator"
    assert login(client, world["users"]["leadership"]).post(answer, {}).status_code == 403


def test_every_page_of_a_call_answers_hr(client, world):
    call = world["call"]
    login(client, world["users"]["hr"])
    for name in [
        "call_detail",
        "call_edit",
        "stage_create",
        "member_create",
        "application_list",
        "ranking",
        "objections",
        "call_decide",
        "fairness",
    ]:
        response = client.get(reverse(f"recruitment:{name}", args=[call.pk]))
        assert response.status_code in (200, 302), name
    assert client.get(reverse("recruitment:call_create")).status_code == 200


def test_the_lists_keep_to_a_query_budget(client, world, django_assert_max_num_queries):
    call = world["call"]
    for n in range(20):
        ApplicationFactory(call=call, full_name=f"Tambahan {n}")
    CallFactory(program=call.program, cohort=call.cohort)
    login(client, world["users"]["coordinator"])
    with django_assert_max_num_queries(20):
        assert client.get(reverse("recruitment:call_list")).status_code == 200
    with django_assert_max_num_queries(20):
        response = client.get(reverse("recruitment:application_list", args=[call.pk]))
    assert response.status_code == 200 and "Tambahan 19" in response.content.decode()


def _lock_every_stage(call, user):
    call.stages.update(locked_at=timezone.now(), locked_by=user)


def test_hr_sets_the_end_of_the_objection_period_when_publishing(client, world):
    call, hr = world["call"], world["users"]["hr"]
    _lock_every_stage(call, hr)
    login(client, hr)
    page = client.get(reverse("recruitment:call_detail", args=[call.pk])).content.decode()
    assert 'name="objection_until"' in page and "hari kerja" in page
    url = reverse("recruitment:call_publish", args=[call.pk])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(url, {"objection_until": yesterday.isoformat()}, follow=True)
    assert "sebelum hasil diumumkan" in response.content.decode()
    call.refresh_from_db()
    assert call.status == Call.Status.SCORING and call.objection_until is None
    client.post(url, {"objection_until": "not a date"})
    call.refresh_from_db()
    assert call.status == Call.Status.SCORING
    chosen = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(url, {"objection_until": chosen.isoformat()}, follow=True)
    call.refresh_from_db()
    assert call.status == Call.Status.PROVISIONAL and call.objection_until == chosen
    assert call.result_published_on == timezone.localdate()
    assert "diumumkan" in response.content.decode()


def test_the_objection_period_defaults_to_three_working_days(client, world):
    call, hr = world["call"], world["users"]["hr"]
    _lock_every_stage(call, hr)
    login(client, hr).post(reverse("recruitment:call_publish", args=[call.pk]), {})
    call.refresh_from_db()
    assert call.objection_until == working_days_after(timezone.localdate(), 3)


def test_only_hr_publishes_the_result(client, world):
    call = world["call"]
    _lock_every_stage(call, world["users"]["hr"])
    url = reverse("recruitment:call_publish", args=[call.pk])
    for who in ("coordinator", "leadership", "member"):
        assert login(client, world["users"][who]).post(url, {}).status_code == 403
    assert login(client, world["users"]["outsider"]).post(url, {}).status_code == 404
    call.refresh_from_db()
    assert call.status == Call.Status.SCORING
