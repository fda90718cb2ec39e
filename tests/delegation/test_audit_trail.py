"""Every kind of event the personal-data duties name is written to the audit log.

Reads of sensitive fields and the participant CSV/XLSX export, imports and document downloads
are covered next to their views (tests/participants/test_views.py, tests/cohorts); this file
covers the remaining downloads, exports and deletions, and the admin's audit-log page.
"""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from delegation.audit import record_event
from delegation.models import AuditEvent, Job
from participants.models import (
    ConsentRecord,
    Contact,
    Contract,
    CostItem,
    Document,
    Participant,
    contract_end,
)
from recruitment.models import ApplicationDocument
from tests.factories import (
    AgreementFactory,
    ApplicationFactory,
    CohortAssignmentFactory,
    CohortFactory,
    ContactFactory,
    DepartureCeremonyFactory,
    DocumentFactory,
    ExamResultFactory,
    ModuleFactory,
    ParticipantFactory,
    SessionFactory,
    TrainingPlanFactory,
    UserFactory,
    make_nik,
)
from welfare.models import Case, Event

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def only_event(action: str) -> AuditEvent:
    events = list(AuditEvent.objects.filter(action=action))
    assert len(events) == 1, events
    return events[0]


class TestDownloads:
    def test_a_signed_contract_download_is_logged(self, client, hr, cohort):
        person = ParticipantFactory(cohort=cohort)
        start = datetime.date(2026, 3, 2)
        contract = Contract.objects.create(
            participant=person,
            employer="Kaikoukai",
            start_date=start,
            term_years=5,
            end_date=contract_end(start, 5),
        )
        contract.signed_file.save("kontrak.pdf", SimpleUploadedFile("kontrak.pdf", PDF))
        client.force_login(hr)
        response = client.get(reverse("participants:contract_file", args=[contract.pk]))
        assert b"".join(response.streaming_content) == PDF
        event = only_event("download")
        assert (event.actor, event.subject_id, event.detail) == (hr, str(person.pk), "kontrak.pdf")

    def test_a_cost_receipt_download_is_logged(self, client, hr, program, cohort):
        item = CostItem.objects.create(
            program=program,
            cohort=cohort,
            category="airfare",
            payer="sponsor",
            amount=Decimal("1000000"),
            currency="IDR",
            rate_to_idr=Decimal("1"),
            amount_idr=Decimal("1000000"),
            date=datetime.date(2026, 3, 1),
            description="Tiket",
        )
        item.receipt.save("kwitansi.pdf", SimpleUploadedFile("kwitansi.pdf", PDF))
        client.force_login(hr)
        response = client.get(reverse("participants:cost_receipt", args=[item.pk]))
        assert b"".join(response.streaming_content) == PDF
        assert only_event("download").subject_id == str(item.pk)

    def test_a_generated_document_download_is_logged(self, client, hr, cohort):
        job = Job.objects.create(kind="roster", subject=cohort, status=Job.Status.DONE)
        job.file.save("daftar.pdf", SimpleUploadedFile("daftar.pdf", PDF))
        client.force_login(hr)
        response = client.get(reverse("job_download", args=[job.pk]))
        assert b"".join(response.streaming_content) == PDF
        event = only_event("download")
        assert (event.actor, event.subject_id) == (hr, str(job.pk))

    def test_a_refused_download_is_not_logged(self, client, leadership, cohort):
        job = Job.objects.create(kind="roster", subject=cohort, status=Job.Status.DONE)
        job.file.save("daftar.pdf", SimpleUploadedFile("daftar.pdf", PDF))
        client.force_login(leadership)
        assert client.get(reverse("job_download", args=[job.pk])).status_code == 403
        assert not AuditEvent.objects.exists()


class TestExports:
    def test_the_recap_export_is_logged(self, client, hr, cohort):
        client.force_login(hr)
        assert client.get(reverse("cohort_recap", args=[cohort.pk])).status_code == 200
        assert only_event("export").detail == "rekapitulasi.xlsx"

    def test_the_cost_export_is_logged(self, client, hr, cohort):
        client.force_login(hr)
        client.get(reverse("participants:cohort_cost_export", args=[cohort.pk]))
        event = only_event("export")
        assert (event.subject_id, event.detail) == (str(cohort.pk), "costs.xlsx")


class TestDeletions:
    def test_a_contact_deleted_on_the_contacts_page_is_logged(self, client, hr):
        contact = ContactFactory(name="Ibu Aminah")
        client.force_login(hr)
        response = client.post(
            reverse("participants:participant_contacts", args=[contact.participant.pk]),
            {
                "contacts-TOTAL_FORMS": "1",
                "contacts-INITIAL_FORMS": "1",
                "contacts-MIN_NUM_FORMS": "0",
                "contacts-MAX_NUM_FORMS": "1000",
                "contacts-0-id": str(contact.pk),
                "contacts-0-relation": contact.relation,
                "contacts-0-name": contact.name,
                "contacts-0-DELETE": "on",
            },
        )
        assert response.status_code == 302
        assert not Contact.objects.exists()
        event = only_event("delete")
        assert event.actor == hr and event.subject_repr.startswith("Ibu Aminah")

    def test_a_participant_deleted_in_the_admin_is_logged(self, client, admin_user):
        person = ParticipantFactory(full_name="Siti Rahmah")
        client.force_login(admin_user)
        url = reverse("admin:participants_participant_delete", args=[person.pk])
        assert client.post(url, {"post": "yes"}).status_code == 302
        assert not Participant.objects.exists()
        event = only_event("delete")
        assert (event.actor, event.subject_repr, event.subject_id) == (
            admin_user,
            "Siti Rahmah",
            str(person.pk),
        )

    def test_documents_deleted_in_bulk_in_the_admin_are_each_logged(self, client, admin_user):
        documents = DocumentFactory.create_batch(2)
        client.force_login(admin_user)
        client.post(
            reverse("admin:participants_document_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [d.pk for d in documents],
                "post": "yes",
            },
        )
        assert not Document.objects.exists()
        logged = AuditEvent.objects.filter(action="delete").values_list("subject_id", flat=True)
        assert set(logged) == {str(d.pk) for d in documents}

    def test_an_exam_result_deleted_in_the_admin_is_logged(self, client, admin_user):
        result = ExamResultFactory()
        client.force_login(admin_user)
        url = reverse("admin:training_examresult_delete", args=[result.pk])
        client.post(url, {"post": "yes"})
        assert only_event("delete").subject_id == str(result.pk)


class TestAdminReads:
    def test_opening_a_participant_in_the_admin_is_a_logged_read(self, client, admin_user):
        person = ParticipantFactory()
        client.force_login(admin_user)
        url = reverse("admin:participants_participant_change", args=[person.pk])
        assert person.nik in client.get(url).content.decode()
        event = only_event("view_sensitive")
        assert (event.actor, event.subject_id, event.detail) == (
            admin_user,
            str(person.pk),
            "Django admin",
        )

    def test_an_earlier_version_in_the_admin_history_is_a_logged_read(self, client, admin_user):
        person = ParticipantFactory()
        old_nik = person.nik
        person.nik = make_nik(person.birth_date, person.gender, serial=4321)
        person.save()
        version = person.history.get(nik=old_nik).history_id
        client.force_login(admin_user)
        url = reverse("admin:participants_participant_simple_history", args=[person.pk, version])
        assert old_nik in client.get(url).content.decode()
        event = only_event("view_sensitive")
        assert (event.actor, event.subject_id, event.detail) == (
            admin_user,
            str(person.pk),
            f"Django admin: history version {version}",
        )

    def test_the_admin_history_list_with_its_changes_is_a_logged_read(self, client, admin_user):
        person = ParticipantFactory()
        client.force_login(admin_user)
        url = reverse("admin:participants_participant_history", args=[person.pk])
        assert client.get(url).status_code == 200
        event = only_event("view_sensitive")
        assert (event.subject_id, event.detail) == (str(person.pk), "Django admin: history")

    def test_the_admin_list_is_not_a_read_of_each_record(self, client, admin_user):
        ParticipantFactory()
        client.force_login(admin_user)
        client.get(reverse("admin:participants_participant_changelist"))
        assert not AuditEvent.objects.exists()


class TestAuditLogAdmin:
    def test_the_log_filters_by_action_actor_subject_type_and_date(
        self, client, admin_user, hr, coordinator
    ):
        person = ParticipantFactory()
        record_event(hr, AuditEvent.Action.VIEW_SENSITIVE, person)
        record_event(coordinator, AuditEvent.Action.EXPORT, detail="roster-by-coordinator")
        old = record_event(hr, AuditEvent.Action.EXPORT, detail="old-export")
        last_year = timezone.now() - datetime.timedelta(days=400)
        AuditEvent.objects.filter(pk=old.pk).update(at=last_year)
        client.force_login(admin_user)
        url = reverse("admin:delegation_auditevent_changelist")

        by_actor = client.get(url, {"actor__id__exact": coordinator.pk}).context["cl"]
        assert [e.detail for e in by_actor.result_list] == ["roster-by-coordinator"]
        by_action = client.get(url, {"action__exact": "view_sensitive"}).context["cl"]
        assert [e.actor for e in by_action.result_list] == [hr]
        subject_type = AuditEvent.objects.get(action="view_sensitive").subject_type_id
        by_type = client.get(url, {"subject_type__id__exact": subject_type}).context["cl"]
        assert by_type.result_count == 1
        year = timezone.localdate().year
        by_year = client.get(url, {"at__year": year}).context["cl"]
        assert "old-export" not in {e.detail for e in by_year.result_list}

    def test_the_log_cannot_be_edited_or_deleted_in_the_admin(self, client, admin_user, hr):
        event = record_event(hr, AuditEvent.Action.EXPORT, detail="roster.xlsx")
        client.force_login(admin_user)
        change = reverse("admin:delegation_auditevent_change", args=[event.pk])
        page = client.get(change)
        assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
        client.post(change, {"detail": "nothing happened"})
        delete = reverse("admin:delegation_auditevent_delete", args=[event.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        event.refresh_from_db()
        assert event.detail == "roster.xlsx"

    def test_a_non_admin_cannot_open_the_log(self, client, hr, settings):
        UserFactory()  # another account, so the log is not trivially empty of actors
        client.force_login(hr)
        response = client.get(reverse("admin:delegation_auditevent_changelist"), follow=True)
        # Sent to the site's login page (the admin's own login page forwards there), with
        # nothing of the log on the way.
        assert response.status_code == 200
        assert response.request["PATH_INFO"] == reverse(settings.LOGIN_URL)
        assert all(status == 302 for _url, status in response.redirect_chain)
        assert "cl" not in response.context


# Every place that writes an audit event, with how many calls it makes; the situations below
# drive each of them. A new call makes the census fail until a situation covers it.
AUDIT_CALLS = {
    "cohorts/views/batches.py": 1,
    "delegation/audit.py": 4,
    "delegation/downloads.py": 1,
    "delegation/pages.py": 1,
    "office/prints/views.py": 2,
    "office/overviews/views.py": 6,  # with the portal's own data downloads (tests/portal)
    "participants/services.py": 2,
    "participants/views/costs.py": 1,
    "participants/views/imports.py": 2,
    "participants/views/lists.py": 1,
    "participants/views/people.py": 1,  # WhatsApp (tests/participants/test_whatsapp.py)
    # The rank list, the receipt and the NIK shown (tests/recruitment/test_applications.py,
    # test_results.py); a reserve's call-up (tests/recruitment/test_services.py).
    "recruitment/views/applications.py": 2,
    "recruitment/views/results.py": 1,
    "recruitment/services.py": 1,
    "portal/views/training.py": 1,  # own certificate download (tests/portal/test_training.py)
    "portal/views/applying.py": 1,  # own receipt (tests/portal/test_applying.py)
    "portal/applicants.py": 1,  # a duplicate decided (tests/portal/test_duplicates.py)
    "training/views/sessions.py": 2,
    "welfare/views/cases.py": 1,
    "welfare/views/disasters.py": 1,
    "welfare/views/returnees.py": 1,
}


def test_the_census_of_audit_calls_is_complete():
    root = Path(__file__).resolve().parents[2]
    found = {}
    for path in sorted(root.glob("*/**/*.py")):
        relative = path.relative_to(root).as_posix()
        if relative.startswith(("tests/", ".venv/", "var/")):
            continue
        calls = path.read_text().count("record_event(")
        calls -= path.read_text().count("def record_event(")
        calls -= path.read_text().count("``record_event(")
        if calls:
            found[relative] = calls
    assert found == AUDIT_CALLS


@pytest.fixture
def secrets(cohort, program):
    """A participant with a NIK and a passport numbered X0000408, and every file about them."""
    person = ParticipantFactory(cohort=cohort, full_name="Siti Rahmah")
    passport = DocumentFactory(participant=person, number="X0000408")
    passport.file.save("paspor_X0000408.pdf", SimpleUploadedFile("p.pdf", PDF))
    start = datetime.date(2026, 3, 2)
    contract = Contract.objects.create(
        participant=person,
        employer="Kaikoukai",
        start_date=start,
        term_years=5,
        end_date=contract_end(start, 5),
    )
    contract.signed_file.save(f"kontrak-{person.nik}.pdf", SimpleUploadedFile("k.pdf", PDF))
    consent = ConsentRecord(participant=person, kind="processing", given_on="2026-01-02")
    consent.signed_file.save("persetujuan.pdf", SimpleUploadedFile("c.pdf", PDF))
    exam = ExamResultFactory(participant=person)
    exam.certificate.save("jlpt-X0000408.pdf", SimpleUploadedFile("j.pdf", PDF))
    item = CostItem.objects.create(
        program=program,
        cohort=cohort,
        participant=person,
        category="airfare",
        payer="sponsor",
        amount=Decimal("1000000"),
        currency="IDR",
        rate_to_idr=Decimal("1"),
        amount_idr=Decimal("1000000"),
        date=datetime.date(2026, 3, 1),
        description="Tiket paspor X0000408",
    )
    item.receipt.save("kwitansi.pdf", SimpleUploadedFile("r.pdf", PDF))
    agreement = AgreementFactory(program=program)
    agreement.file.save("pks.pdf", SimpleUploadedFile("a.pdf", PDF))
    job = Job.objects.create(kind="roster", subject=cohort, status=Job.Status.DONE)
    job.file.save("daftar.pdf", SimpleUploadedFile("d.pdf", PDF))
    DepartureCeremonyFactory(cohort=cohort)
    contact = ContactFactory(participant=person, name="Ibu Aminah")
    session = SessionFactory(module=ModuleFactory(plan=TrainingPlanFactory(cohort=cohort)))
    return {
        "session": session,
        "person": person,
        "passport": passport,
        "contract": contract,
        "consent": consent,
        "exam": exam,
        "item": item,
        "agreement": agreement,
        "job": job,
        "contact": contact,
        "empty_cohort": CohortFactory(program=program, number=9),
        "assignment": CohortAssignmentFactory(cohort=cohort),
    }


def _contacts_deleted(client, s):
    contact = s["contact"]
    return client.post(
        reverse("participants:participant_contacts", args=[s["person"].pk]),
        {
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "1",
            "contacts-MIN_NUM_FORMS": "0",
            "contacts-MAX_NUM_FORMS": "1000",
            "contacts-0-id": str(contact.pk),
            "contacts-0-relation": contact.relation,
            "contacts-0-name": contact.name,
            "contacts-0-DELETE": "on",
        },
    )


def _imported(client, s):
    line = f"Peserta Baru,{make_nik(datetime.date(1999, 1, 5), 'F', serial=77)},P,1999-01-05"
    content = f"full_name,nik,gender,birth_date,origin_regency,track\n{line},63.71,worker\n"
    client.post(
        reverse("participants:import_upload"),
        {"file": SimpleUploadedFile("peserta.csv", content.encode())},
    )
    return client.post(reverse("participants:import_preview"))


def _searched_by_nik(client, s):
    return client.post(reverse("participants:participant_list"), {"q": s["person"].nik})


def _searched_by_nik_past_the_limit(client, s):
    s["settings"].NIK_SEARCH_LIMIT = 1
    _searched_by_nik(client, s)
    AuditEvent.objects.all().delete()
    return _searched_by_nik(client, s)


def _admin_history_version(client, s):
    person = s["person"]
    version = person.history.first().history_id
    url = reverse("admin:participants_participant_simple_history", args=[person.pk, version])
    return client.get(url)


def _admin_document_history_version(client, s):
    passport = s["passport"]
    version = passport.history.first().history_id
    url = reverse("admin:participants_document_simple_history", args=[passport.pk, version])
    return client.get(url)


def _admin_bulk_delete(client, s):
    return client.post(
        reverse("admin:participants_document_changelist"),
        {"action": "delete_selected", "_selected_action": [s["passport"].pk], "post": "yes"},
    )


def _rank_list_exported(client, s):
    application = ApplicationFactory(nik=s["person"].nik, full_name=s["person"].full_name)
    return client.get(reverse("recruitment:ranking_export", args=[application.call_id]))


def _application_document(client, s):
    application = ApplicationFactory(nik=s["person"].nik)
    document = ApplicationDocument.objects.create(application=application, name="KTP")
    document.file.save(f"ktp-{s['person'].nik}.pdf", SimpleUploadedFile("k.pdf", PDF))
    return client.get(reverse("recruitment:application_document", args=[document.pk]))


SITUATIONS = {
    "rank list export": _rank_list_exported,
    "application document": _application_document,
    "profile revealed": lambda c, s: c.post(reverse("participant_reveal", args=[s["person"].pk])),
    "data-access archive": lambda c, s: c.post(
        reverse("participant_data_export", args=[s["person"].pk])
    ),
    "participant export": lambda c, s: c.get(
        reverse("participants:participant_export", args=["csv"])
    ),
    "import": _imported,
    "search by NIK": _searched_by_nik,
    "search by NIK past the limit": _searched_by_nik_past_the_limit,
    "document file": lambda c, s: c.get(
        reverse("participants:document_file", args=[s["passport"].pk])
    ),
    "contract file": lambda c, s: c.get(
        reverse("participants:contract_file", args=[s["contract"].pk])
    ),
    "consent file": lambda c, s: c.get(
        reverse("participants:consent_file", args=[s["consent"].pk])
    ),
    "exam certificate": lambda c, s: c.get(
        reverse("training:exam_certificate", args=[s["exam"].pk])
    ),
    "cost receipt": lambda c, s: c.get(reverse("participants:cost_receipt", args=[s["item"].pk])),
    "agreement file": lambda c, s: c.get(
        reverse("cohorts:agreement_file", args=[s["agreement"].pk])
    ),
    "generated document": lambda c, s: c.get(reverse("job_download", args=[s["job"].pk])),
    "roster export": lambda c, s: c.get(reverse("roster_xlsx", args=[s["person"].cohort_id])),
    "handover minutes": lambda c, s: c.get(reverse("handover_docx", args=[s["person"].cohort_id])),
    "attendance sheet": lambda c, s: c.get(
        reverse("training:session_sheet", args=[s["session"].pk])
    ),
    "recap export": lambda c, s: c.get(reverse("cohort_recap", args=[s["person"].cohort_id])),
    "readiness export": lambda c, s: c.get(
        reverse("readiness_export", args=[s["person"].cohort_id])
    ),
    "attendance export": lambda c, s: c.get(
        reverse("training:attendance_export", args=[s["person"].cohort_id])
    ),
    "cost export": lambda c, s: c.get(
        reverse("participants:cohort_cost_export", args=[s["person"].cohort_id])
    ),
    "contacts deleted": _contacts_deleted,
    "cost line deleted": lambda c, s: c.post(
        reverse("participants:cost_delete", args=[s["item"].pk])
    ),
    "agreement deleted": lambda c, s: c.post(
        reverse("cohorts:agreement_delete", args=[s["agreement"].pk])
    ),
    "batch deleted": lambda c, s: c.post(
        reverse("cohorts:cohort_delete", args=[s["empty_cohort"].pk])
    ),
    "instructor assignment removed": lambda c, s: c.post(
        reverse("cohorts:cohort_assignment_delete", args=[s["assignment"].pk])
    ),
    "admin participant read": lambda c, s: c.get(
        reverse("admin:participants_participant_change", args=[s["person"].pk])
    ),
    "admin document read": lambda c, s: c.get(
        reverse("admin:participants_document_change", args=[s["passport"].pk])
    ),
    "admin contact read": lambda c, s: c.get(
        reverse("admin:participants_contact_change", args=[s["contact"].pk])
    ),
    "admin participant history": lambda c, s: c.get(
        reverse("admin:participants_participant_history", args=[s["person"].pk])
    ),
    "admin participant history version": _admin_history_version,
    "admin document history version": _admin_document_history_version,
    "admin document deleted": lambda c, s: c.post(
        reverse("admin:participants_document_delete", args=[s["passport"].pk]), {"post": "yes"}
    ),
    "admin documents deleted in bulk": _admin_bulk_delete,
    "welfare case opened": lambda c, s: c.get(_welfare_case(s["person"]).get_absolute_url()),
    "disaster contact list": lambda c, s: c.get(
        Event.objects.create(
            name="Gempa", country="JP", subdivisions=["JP-17"], occurred_on=datetime.date.today()
        ).get_absolute_url()
    ),
    "alumni export": lambda c, s: c.get(reverse("welfare:alumni_export")),
}


def _welfare_case(person):
    return Case.objects.create(
        participant=person,
        kind=Case.Kind.ILLNESS,
        severity=Case.Severity.LOW,
        reported_via=Case.Source.EMPLOYER,
        description="Demam",
    )


class TestNoIdentifiersInTheTrail:
    @pytest.mark.parametrize("situation", SITUATIONS)
    def test_no_nik_or_passport_number_reaches_an_audit_event(
        self, client, admin_user, secrets, settings, situation
    ):
        client.force_login(admin_user)
        response = SITUATIONS[situation](client, {**secrets, "settings": settings})
        assert response.status_code in {200, 302}, response
        events = list(AuditEvent.objects.values_list("action", "subject_repr", "detail"))
        assert events, "the situation wrote no audit event"
        written = repr(events)
        assert secrets["person"].nik not in written
        assert "X0000408" not in written and "0000408" not in written
        logged = repr(list(LogEntry.objects.values_list("object_repr", "change_message")))
        assert secrets["person"].nik not in logged and "X0000408" not in logged

    def test_a_documents_label_names_its_type_but_not_its_number(self):
        passport = DocumentFactory(number="X0000408")
        assert "X0000408" not in str(passport)
        assert str(passport) == str(passport.document_type)
