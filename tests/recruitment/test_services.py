"""The selection's services, checked against totals computed by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from delegation.models import AuditEvent
from participants.models import Participant, Region, Status
from recruitment import services
from recruitment.models import Application, Call, Objection, ScoreChange, Stage
from recruitment.services import ScoreEntry
from tests.factories import (
    WITA,
    ApplicationFactory,
    CallFactory,
    CohortFactory,
    CommitteeMemberFactory,
    ParticipantFactory,
    StageFactory,
    UserFactory,
    make_nik,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NOW = datetime.datetime(2026, 1, 10, 10, 0, tzinfo=WITA)


def pdf(name="ktp.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def applicant_data(**changes):
    birth = changes.pop("birth_date", datetime.date(2000, 3, 14))
    gender = changes.pop("gender", "F")
    data = {
        "full_name": "Siti  Aminah",
        "nik": make_nik(birth, gender, serial=77),
        "birth_date": birth,
        "birth_place": "Banjarmasin",
        "gender": gender,
        "ktp_street": "Jl. Pramuka 3",
        "ktp_regency": Region.objects.get(code="63.71"),
        "education_level": "sma",
        "track": "worker",
        "phone": "081234567890",
    }
    data.update(changes)
    return data


@pytest.fixture
def hr():
    return UserFactory(username="hr", role="hr_staff")


# ---- eligibility and submission ------------------------------------------------------------


def test_a_counter_application_gets_a_number_and_the_rules_pass(hr):
    call = CallFactory(required_documents=["KTP"])
    call.regions.set(Region.objects.filter(code__in=["63.71", "63"]))
    application = services.application_submit(
        call=call,
        data=applicant_data(),
        documents={"KTP": pdf()},
        channel="counter",
        by=hr,
        now=NOW,
    )
    assert application.registration_number == f"P{call.pk:03d}-0001"
    assert application.full_name == "Siti Aminah"
    assert application.auto_eligible and application.auto_reasons == []
    assert application.documents.get().name == "KTP"
    assert application.submitted_by == hr and application.channel == "counter"


def test_the_rules_give_each_reason_they_are_not_met(hr):
    call = CallFactory(
        required_documents=["KTP", "Ijazah"], education_levels=["d3", "s1"], sex="F", max_age=24
    )
    call.regions.set(Region.objects.filter(code="63.71"))
    data = applicant_data(
        birth_date=datetime.date(1990, 5, 1),
        gender="M",
        ktp_regency=Region.objects.get(code="63.03"),
    )
    application = services.application_submit(
        call=call, data=data, documents={"KTP": pdf()}, channel="portal", now=NOW
    )
    assert not application.auto_eligible
    reasons = " | ".join(application.auto_reasons)
    assert "35" in reasons and "18–24" in reasons  # age on the reference date
    assert "SMA/SMK" in reasons
    assert "Kabupaten Banjar" in reasons
    assert "Ijazah" in reasons
    assert len(application.auto_reasons) == 5  # age, education, region, sex, documents


def test_a_province_accepts_its_regencies_and_the_domicile_can_be_read(hr):
    call = CallFactory(region_basis=Call.RegionBasis.DOMICILE)
    call.regions.set(Region.objects.filter(code="63"))
    outside = Region.objects.get(code="64.71")
    data = applicant_data(ktp_regency=outside, domicile_regency=Region.objects.get(code="63.03"))
    application = services.application_submit(
        call=call, data=data, documents={}, channel="counter", by=hr, now=NOW
    )
    assert application.auto_eligible


def test_age_counts_full_years_on_the_reference_date():
    from recruitment.eligibility import age_on

    assert age_on(datetime.date(2000, 1, 6), datetime.date(2026, 1, 5)) == 25
    assert age_on(datetime.date(2000, 1, 5), datetime.date(2026, 1, 5)) == 26


def test_a_bad_nik_is_refused_and_nothing_is_saved(hr):
    call = CallFactory()
    with pytest.raises(ValidationError) as refused:
        services.application_submit(
            call=call,
            data=applicant_data(nik="1234"),
            documents={},
            channel="counter",
            by=hr,
            now=NOW,
        )
    assert "16" in str(refused.value)
    assert not Application.objects.exists()


def test_a_nik_disagreeing_with_the_birth_date_needs_a_reason(hr):
    call = CallFactory()
    nik = make_nik(datetime.date(2000, 3, 15), "F", serial=9)
    with pytest.raises(ValidationError):
        services.application_submit(
            call=call, data=applicant_data(nik=nik), documents={}, channel="counter", now=NOW
        )
    application = services.application_submit(
        call=call,
        data=applicant_data(nik=nik, nik_reason="KTP lama salah cetak"),
        documents={},
        channel="counter",
        now=NOW,
    )
    assert application.nik_reason == "KTP lama salah cetak"


def test_one_application_per_person_per_call(hr):
    call = CallFactory()
    services.application_submit(
        call=call, data=applicant_data(), documents={}, channel="counter", by=hr, now=NOW
    )
    with pytest.raises(ValidationError, match="sudah mendaftar"):
        services.application_submit(
            call=call, data=applicant_data(), documents={}, channel="counter", by=hr, now=NOW
        )
    assert Application.objects.count() == 1


def test_a_closed_call_or_a_fake_pdf_is_refused(hr):
    closed = CallFactory(status=Call.Status.CLOSED)
    with pytest.raises(ValidationError, match="tidak sedang menerima"):
        services.application_submit(
            call=closed, data=applicant_data(), documents={}, channel="counter", now=NOW
        )
    call = CallFactory()
    fake = SimpleUploadedFile("ktp.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.application_submit(
            call=call, data=applicant_data(), documents={"KTP": fake}, channel="counter", now=NOW
        )
    assert not Application.objects.exists()


def test_an_application_is_not_a_participant(hr):
    call = CallFactory()
    services.application_submit(
        call=call, data=applicant_data(), documents={}, channel="counter", by=hr, now=NOW
    )
    assert not Participant.objects.exists()


# ---- scoring, ranking and the decision --------------------------------------------------


@pytest.fixture
def selection(hr):
    """A call with a language test (weight 60, pass mark 60), an interview (weight 40, pass
    mark 70) and an MCU (pass/fail); two assessors each."""
    call = CallFactory(status=Call.Status.SCORING, quota_worker=2, quota_scholarship=1, reserves=1)
    language = StageFactory(
        call=call, order=1, name="Bahasa Jepang", kind="language", weight=60, pass_mark=60
    )
    interview = StageFactory(
        call=call, order=2, name="Wawancara", kind="interview", weight=40, pass_mark=70
    )
    medical = StageFactory(
        call=call, order=3, name="MCU", kind="medical", scoring="pass_fail", weight=0
    )
    first, second = (
        CommitteeMemberFactory(call=call, user=UserFactory(role="selection_committee")),
        CommitteeMemberFactory(call=call, user=None, name="Tanaka Hiroshi"),
    )
    for member in (first, second):
        member.stages.set([language, interview, medical])
    return call, (language, interview, medical), (first, second)


def score(stage, member, application, value=None, passed=None, by=None):
    services.scores_save(
        stage=stage,
        member=member,
        entries=[ScoreEntry(application, value=value, passed=passed)],
        by=by or member.user,
    )


def sit(selection, application, language, interview, medical=(True, True), hr=None):
    call, stages, members = selection
    for stage, values in zip(stages[:2], (language, interview), strict=True):
        for member, value in zip(members, values, strict=True):
            score(stage, member, application, value=Decimal(value), by=member.user or hr)
    for member, verdict in zip(members, medical, strict=True):
        score(stages[2], member, application, passed=verdict, by=member.user or hr)


def test_the_ranking_matches_totals_computed_by_hand(selection, hr):
    call = selection[0]
    a = ApplicationFactory(call=call, full_name="Ani")
    b = ApplicationFactory(call=call, full_name="Budi")
    c = ApplicationFactory(call=call, full_name="Citra")
    d = ApplicationFactory(call=call, full_name="Dewi")
    # Ani: language (80+90)/2 = 85, interview (75+76)/2 = 75.5 → (60×85 + 40×75.5)/100 = 81.2
    sit(selection, a, ("80", "90"), ("75", "76"), hr=hr)
    # Budi: language 70, interview 90 → (4200 + 3600)/100 = 78
    sit(selection, b, ("70", "70"), ("90", "90"), hr=hr)
    # Citra: language 95, interview 80.25 → (5700 + 3210)/100 = 89.1
    sit(selection, c, ("95", "95"), ("80", "80.5"), hr=hr)
    # Dewi: language 77.335 → 77.34 (half up), interview 71 → (4640.4 + 2840)/100 = 74.80
    sit(selection, d, ("77.33", "77.34"), ("71", "71"), hr=hr)
    rows = services.call_rank(call=call)
    got = [(r.application.full_name, r.total, r.outcome, r.rank) for r in rows]
    assert got == [
        ("Citra", Decimal("89.10"), "selected", 1),
        ("Ani", Decimal("81.20"), "selected", 2),
        ("Budi", Decimal("78.00"), "reserve", 3),
        ("Dewi", Decimal("74.80"), "not_selected", 4),
    ]
    assert rows[0].results[0].result == Decimal("95.00")
    assert rows[0].reason == "Peringkat 1 jalur Tenaga Kerja, dalam kuota 2."


def test_quotas_are_per_track_and_failures_and_ineligible_come_last(selection, hr):
    call = selection[0]
    scholar = ApplicationFactory(call=call, full_name="Eka", track="scholarship")
    weak = ApplicationFactory(call=call, full_name="Fajar")
    sick = ApplicationFactory(call=call, full_name="Gita")
    ApplicationFactory(call=call, full_name="Hadi", auto_eligible=False, auto_reasons=["x"])
    sit(selection, scholar, ("61", "61"), ("70", "70"), hr=hr)
    sit(selection, weak, ("59", "60"), ("99", "99"), hr=hr)  # language 59.5 < 60
    sit(selection, sick, ("99", "99"), ("99", "99"), medical=(True, False), hr=hr)
    rows = {r.application.full_name: r for r in services.call_rank(call=call)}
    assert (rows["Eka"].outcome, rows["Eka"].rank) == ("selected", 1)
    assert rows["Fajar"].outcome == "not_selected" and "59.50" in rows["Fajar"].reason
    assert rows["Gita"].outcome == "not_selected" and "MCU" in rows["Gita"].reason
    assert rows["Hadi"].outcome == "ineligible"
    assert [r.application.full_name for r in services.call_rank(call=call)][-1] == "Hadi"


def test_a_tie_goes_to_the_language_test_then_the_earlier_submission(selection, hr):
    call = selection[0]
    early = ApplicationFactory(
        call=call, full_name="Early", submitted_at=datetime.datetime(2026, 1, 6, tzinfo=WITA)
    )
    late = ApplicationFactory(
        call=call, full_name="Late", submitted_at=datetime.datetime(2026, 1, 7, tzinfo=WITA)
    )
    linguist = ApplicationFactory(
        call=call, full_name="Linguist", submitted_at=datetime.datetime(2026, 1, 8, tzinfo=WITA)
    )
    # Everyone totals 80: (60×80 + 40×80)/100, and (60×85 + 40×72.5)/100 = (5100 + 2900)/100.
    sit(selection, early, ("80", "80"), ("80", "80"), hr=hr)
    sit(selection, late, ("80", "80"), ("80", "80"), hr=hr)
    sit(selection, linguist, ("85", "85"), ("72", "73"), hr=hr)
    rows = services.call_rank(call=call)
    assert [r.application.full_name for r in rows] == ["Linguist", "Early", "Late"]
    assert {r.total for r in rows} == {Decimal("80.00")}
    assert "Nilai akhir sama" in rows[1].reason


def test_a_declared_relation_bars_scoring_and_hides_the_applicant(selection):
    call, (language, _i, _m), (member, _other) = selection
    relative = ApplicationFactory(call=call, full_name="Keponakan")
    stranger = ApplicationFactory(call=call)
    services.conflict_declare(member=member, application=relative, relation="Paman", by=member.user)
    with pytest.raises(ValidationError, match="menyatakan hubungan"):
        score(language, member, relative, value=Decimal(80))
    assert not relative.scores.exists()
    visible = Application.objects.visible_to(member.user)
    assert stranger in visible and relative not in visible


def test_an_unsigned_pact_or_a_foreign_stage_bars_scoring(selection):
    call, (language, _i, _m), (member, _other) = selection
    application = ApplicationFactory(call=call)
    member.pact_signed_at = None
    member.save()
    with pytest.raises(ValidationError, match="pakta integritas"):
        score(language, member, application, value=Decimal(80))
    other_stage = StageFactory(call=call, order=9)
    services.member_sign_pact(member=member, by=member.user)
    with pytest.raises(ValidationError):
        score(other_stage, member, application, value=Decimal(80))


def test_only_the_secretary_or_hr_enter_an_assessor_without_account(selection, hr):
    call, (language, _i, _m), (member, paper) = selection
    application = ApplicationFactory(call=call)
    with pytest.raises(ValidationError, match="sekretaris"):
        score(language, paper, application, value=Decimal(70), by=member.user)
    secretary = CommitteeMemberFactory(
        call=call, user=UserFactory(role="selection_committee"), position="secretary"
    )
    score(language, paper, application, value=Decimal(70), by=secretary.user)
    saved = application.scores.get()
    assert saved.entered_by == secretary.user and saved.on_behalf


def test_a_locked_stage_changes_only_with_a_reason_kept_in_history(selection, hr):
    call, (language, _i, _m), members = selection
    application = ApplicationFactory(call=call)
    for member in members:
        score(language, member, application, value=Decimal(60), by=member.user or hr)
    services.stage_lock(stage=language, by=hr)
    with pytest.raises(ValidationError, match="alasan"):
        score(language, members[0], application, value=Decimal(65))
    services.scores_save(
        stage=language,
        member=members[0],
        entries=[ScoreEntry(application, value=Decimal(65))],
        by=members[0].user,
        reason="Salah baca lembar nilai",
    )
    change = ScoreChange.objects.get(after_lock=True)
    assert (change.old_value, change.new_value) == (Decimal(60), Decimal(65))
    assert change.reason == "Salah baca lembar nilai"


def test_a_stage_is_not_locked_while_someone_sitting_it_has_no_score(selection, hr):
    call, (language, _i, _m), _members = selection
    ApplicationFactory(call=call, full_name="Belum Dinilai")
    with pytest.raises(ValidationError, match="Belum Dinilai"):
        services.stage_lock(stage=language, by=hr)


def test_locking_reads_the_stages_scores_at_once_however_many_sit_it(
    selection, hr, django_assert_max_num_queries
):
    call, (language, _i, _m), members = selection
    for _n in range(12):
        application = ApplicationFactory(call=call)
        for member in members:
            score(language, member, application, value=Decimal(70), by=member.user or hr)
    with django_assert_max_num_queries(8):
        services.stage_lock(stage=language, by=hr)
    language.refresh_from_db()
    assert language.locked


def test_an_eliminating_stage_keeps_those_who_failed_from_the_next(selection, hr):
    call, (language, interview, _m), members = selection
    language.eliminates = True
    language.save()
    failed = ApplicationFactory(call=call)
    for member in members:
        score(language, member, failed, value=Decimal(40), by=member.user or hr)
    assert failed not in services.sitting(interview)
    with pytest.raises(ValidationError, match="tidak mengikuti"):
        score(interview, members[0], failed, value=Decimal(90))


def test_the_objection_period_counts_working_days_with_indonesian_holidays():
    # Wednesday 13 May 2026; Thursday 14 May is Ascension Day, then a weekend.
    assert services.working_days_after(datetime.date(2026, 5, 13), 3) == datetime.date(2026, 5, 19)
    # Friday 2 January 2026: Monday, Tuesday, Wednesday.
    assert services.working_days_after(datetime.date(2026, 1, 2), 3) == datetime.date(2026, 1, 7)


def _decidable(selection, hr, applicants=3):
    call, stages, _members = selection
    people = [ApplicationFactory(call=call, full_name=f"Orang {n}") for n in range(applicants)]
    for n, person in enumerate(people):
        value = str(90 - n * 5)
        sit(selection, person, (value, value), (value, value), hr=hr)
    for stage in stages:
        services.stage_lock(stage=stage, by=hr)
    services.call_publish_result(call=call, by=hr, today=datetime.date(2026, 5, 13))
    call.refresh_from_db()
    return call, people


def test_publishing_opens_the_objection_period_and_keeps_the_ranking(selection, hr):
    call, people = _decidable(selection, hr)
    assert call.status == Call.Status.PROVISIONAL
    assert call.objection_until == datetime.date(2026, 5, 19)
    people[2].refresh_from_db()
    assert (people[2].outcome, people[2].rank, people[2].total) == ("reserve", 3, Decimal("80.00"))


def test_objections_are_taken_in_the_period_and_answered_before_the_decision(selection, hr):
    call, people = _decidable(selection, hr)
    with pytest.raises(ValidationError, match="Masa sanggah"):
        services.objection_record(
            call=call,
            application=people[2],
            text="Nilai saya",
            received_on=datetime.date(2026, 5, 20),
            by=hr,
        )
    objection = services.objection_record(
        call=call,
        application=people[2],
        text="Nilai wawancara saya salah tulis",
        received_on=datetime.date(2026, 5, 15),
        by=hr,
    )
    with pytest.raises(ValidationError, match="jawaban"):
        services.call_decide(call=call, by=hr, today=datetime.date(2026, 5, 20))
    services.objection_answer(
        objection=objection,
        answer="Nilai sudah diperiksa ulang dan benar.",
        verdict=Objection.Verdict.REJECTED,
        by=hr,
        today=datetime.date(2026, 5, 18),
    )
    services.call_decide(call=call, by=hr, today=datetime.date(2026, 5, 20))
    assert Call.objects.get(pk=call.pk).status == Call.Status.DECIDED


def test_the_decision_waits_for_the_end_of_the_objection_period(selection, hr):
    call, _people = _decidable(selection, hr)
    with pytest.raises(ValidationError, match="sampai"):
        services.call_decide(call=call, by=hr, today=datetime.date(2026, 5, 19))


def test_the_decision_makes_the_selected_participants_of_the_batch(selection, hr):
    call, people = _decidable(selection, hr)
    known = ParticipantFactory(
        nik=people[1].nik, full_name=people[1].full_name, status=Status.APPLICANT, cohort=None
    )
    created = services.call_decide(call=call, by=hr, today=datetime.date(2026, 5, 20))
    assert len(created) == 2
    first = Participant.objects.get(nik=people[0].nik)
    assert (first.status, first.cohort, first.track) == ("selected", call.cohort, "worker")
    assert first.participant_number.endswith("-001")
    assert first.status_changes.get().to_status == "selected"
    known.refresh_from_db()
    assert known.status == "selected" and known.cohort == call.cohort  # linked, not duplicated
    people[2].refresh_from_db()
    assert people[2].participant is None and people[2].outcome == "reserve"
    assert Participant.objects.count() == 2


def test_the_decision_tells_the_layers_above_of_each_participant_made(
    selection, hr, django_capture_on_commit_callbacks
):
    call, people = _decidable(selection, hr)
    heard = []

    def receiver(sender, *, application, participant, by, **kwargs):
        heard.append((application.pk, participant.nik, by))

    services.participant_made.connect(receiver, dispatch_uid="test-participant-made")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.call_decide(call=call, by=hr, today=datetime.date(2026, 5, 20))
    finally:
        services.participant_made.disconnect(dispatch_uid="test-participant-made")
    assert sorted(heard) == sorted((person.pk, person.nik, hr) for person in people[:2])


def test_the_decision_is_all_or_nothing(selection, hr):
    call, people = _decidable(selection, hr)
    ParticipantFactory(nik=people[1].nik, status=Status.WITHDRAWN)
    with pytest.raises(ValidationError, match="sudah terdaftar"):
        services.call_decide(call=call, by=hr, today=datetime.date(2026, 5, 20))
    assert Call.objects.get(pk=call.pk).status == Call.Status.PROVISIONAL
    assert not Participant.objects.filter(nik=people[0].nik).exists()


def test_the_decision_respects_the_batch_quota(selection, hr):
    call, _people = _decidable(selection, hr)
    call.cohort.quota = 1
    call.cohort.save()
    with pytest.raises(ValidationError, match="full|penuh"):
        services.call_decide(call=call, by=hr, today=datetime.date(2026, 5, 20))


def test_a_withdrawn_person_is_replaced_by_the_next_reserve(selection, hr):
    call, people = _decidable(selection, hr)
    services.call_decide(call=call, by=hr, today=datetime.date(2026, 5, 20))
    people[0].refresh_from_db()
    with pytest.raises(ValidationError, match="mengundurkan diri"):
        services.reserve_replace(withdrawn=people[0], reason="Mundur", by=hr)
    people[0].participant.move(
        Status.WITHDRAWN, by=hr, effective_date=datetime.date(2026, 6, 1), reason="Menikah"
    )
    replacement = services.reserve_replace(
        withdrawn=people[0], reason="Mengundurkan diri", by=hr, today=datetime.date(2026, 6, 2)
    )
    assert replacement.reserve == people[2] and replacement.by == hr
    people[2].refresh_from_db()
    assert people[2].outcome == "selected" and people[2].rank == 3
    assert people[2].participant.status == "selected"
    assert people[2].participant.cohort == call.cohort
    event = AuditEvent.objects.get(action=AuditEvent.Action.REPLACE)
    assert event.actor == hr and event.subject_id == str(people[0].pk)
    assert people[0].full_name in event.detail and people[2].full_name in event.detail
    assert people[0].nik not in event.detail and people[2].nik not in event.detail
    with pytest.raises(ValidationError):
        services.reserve_replace(withdrawn=people[0], reason="Lagi", by=hr)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REPLACE).count() == 1


def test_the_call_opens_only_with_stages_and_a_quota(hr):
    call = CallFactory(status=Call.Status.DRAFT)
    with pytest.raises(ValidationError, match="tahap seleksi"):
        services.call_move(call=call, to=Call.Status.OPEN, by=hr)
    Stage.objects.create(call=call, order=1, name="Tes", kind="language", scoring="score")
    assert services.call_move(call=call, to=Call.Status.OPEN, by=hr).status == "open"
    with pytest.raises(ValidationError):
        services.call_move(call=call, to=Call.Status.DECIDED, by=hr)


def test_a_batch_of_another_programme_cannot_be_the_target():
    call = CallFactory.build(cohort=CohortFactory(), program=CohortFactory().program)
    with pytest.raises(ValidationError):
        call.full_clean()


def test_changing_the_rules_checks_the_applications_again(hr):
    call = CallFactory()
    application = services.application_submit(
        call=call, data=applicant_data(), documents={}, channel="counter", by=hr, now=NOW
    )
    assert application.auto_eligible
    call.max_age = 22  # born 14 March 2000: 25 on 5 January 2026
    call.save()
    assert services.call_recheck(call=call) == 1
    application.refresh_from_db()
    assert not application.auto_eligible
    assert "18–22" in services.eligibility_reasons(application)[0]


def test_a_called_reserve_reads_selected_with_whom_they_replaced(selection, hr):
    call, people = _decidable(selection, hr)
    services.call_decide(call=call, by=hr, today=datetime.date(2026, 5, 20))
    people[0].refresh_from_db()
    people[0].participant.move(
        Status.WITHDRAWN, by=hr, effective_date=datetime.date(2026, 6, 1), reason="Menikah"
    )
    services.reserve_replace(withdrawn=people[0], reason="Mengundurkan diri", by=hr)
    call.refresh_from_db()
    row = services.application_row(Application.objects.get(pk=people[2].pk))
    assert row.outcome == "selected" and "Orang 0" in row.reason
