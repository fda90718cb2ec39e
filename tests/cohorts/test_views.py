import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cohorts.models import (
    Agreement,
    CeremonyAttendee,
    Cohort,
    CohortAssignment,
    DepartureCeremony,
    Partner,
    Program,
    ProgramAssignment,
)
from delegation.models import AuditEvent
from tests.factories import (
    AgreementFactory,
    CeremonyAttendeeFactory,
    CohortAssignmentFactory,
    CohortFactory,
    DepartureCeremonyFactory,
    ParticipantFactory,
    PartnerFactory,
    ProgramFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def login_required(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def program_data(partner, **overrides):
    data = {
        "partner": partner.pk,
        "name": "Kerja Sama G-to-B Perawat",
        "slug": "perawat",
        "scheme": "g2b",
        "sector": "Kesehatan",
        "destination_country": "Jepang",
        "contract_years": 5,
        "training_months": 12,
        "sponsor_covers": ["exams", "language_training"],
        "status": "active",
    }
    data.update(overrides)
    return data


class TestProgramList:
    def test_hr_staff_see_every_programme(self, client, hr, program, other_program):
        client.force_login(hr)
        response = client.get(reverse("cohorts:program_list"))
        assert list(response.context["page"].object_list) == [other_program, program]

    def test_a_coordinator_sees_only_assigned_programmes(
        self, client, assigned, coordinator, program, other_program
    ):
        client.force_login(coordinator)
        response = client.get(reverse("cohorts:program_list"))
        assert list(response.context["page"].object_list) == [program]

    def test_it_searches_by_partner_and_filters_by_status(self, client, hr, program, other_program):
        other_program.status = Program.Status.CLOSED
        other_program.save()
        client.force_login(hr)
        url = reverse("cohorts:program_list")
        by_partner = client.get(url, {"q": program.partner.name})
        assert list(by_partner.context["page"].object_list) == [program]
        closed = client.get(url, {"status": "closed"})
        assert list(closed.context["page"].object_list) == [other_program]
        assert "Tidak ada program" in client.get(url, {"q": "zzz"}).content.decode()

    def test_anonymous_users_are_sent_to_login(self, client):
        assert login_required(client.get(reverse("cohorts:program_list")))

    def test_a_user_without_a_role_is_refused(self, client, outsider):
        client.force_login(outsider)
        assert client.get(reverse("cohorts:program_list")).status_code == 403

    def test_the_query_count_does_not_grow_with_the_programmes(
        self, client, hr, django_assert_max_num_queries
    ):
        ProgramFactory.create_batch(30)
        client.force_login(hr)
        with django_assert_max_num_queries(14):
            client.get(reverse("cohorts:program_list"))


class TestProgramForms:
    def test_hr_staff_create_a_programme(self, client, hr):
        partner = PartnerFactory()
        client.force_login(hr)
        response = client.post(reverse("cohorts:program_create"), program_data(partner))
        program = Program.objects.get(slug="perawat")
        assert response["Location"] == program.get_absolute_url()
        assert program.sponsor_covers == ["language_training", "exams"]
        assert "dibuat" in messages_of(response)[0]

    def test_invalid_terms_are_refused_and_nothing_is_saved(self, client, hr):
        partner = PartnerFactory()
        client.force_login(hr)
        response = client.post(
            reverse("cohorts:program_create"),
            program_data(partner, contract_years=0, slug="new", sponsor_covers=["champagne"]),
        )
        assert response.status_code == 200
        assert set(response.context["form"].errors) == {"contract_years", "slug", "sponsor_covers"}
        assert not Program.objects.exists()

    def test_a_coordinator_may_not_create_a_programme(self, client, coordinator):
        client.force_login(coordinator)
        assert client.get(reverse("cohorts:program_create")).status_code == 403
        response = client.post(reverse("cohorts:program_create"), program_data(PartnerFactory()))
        assert response.status_code == 403
        assert not Program.objects.exists()

    def test_hr_staff_edit_the_terms(self, client, hr, program):
        client.force_login(hr)
        response = client.post(
            reverse("cohorts:program_edit", args=[program.slug]),
            program_data(program.partner, name=program.name, slug=program.slug, contract_years=3),
        )
        assert response.status_code == 302
        program.refresh_from_db()
        assert program.contract_years == 3

    def test_a_coordinator_sees_but_may_not_edit_the_terms(
        self, client, assigned, coordinator, program
    ):
        client.force_login(coordinator)
        overview = client.get(program.get_absolute_url())
        assert overview.status_code == 200
        assert overview.context["program"] == program
        assert "5 tahun" in overview.content.decode()
        assert client.get(reverse("cohorts:program_edit", args=[program.slug])).status_code == 403

    def test_a_programme_out_of_scope_does_not_exist_for_a_coordinator(
        self, client, coordinator, other_program
    ):
        client.force_login(coordinator)
        url = reverse("cohorts:program_edit", args=[other_program.slug])
        assert client.get(url).status_code == 404


class TestPartners:
    def test_hr_staff_create_and_edit_a_partner(self, client, hr):
        client.force_login(hr)
        response = client.post(
            reverse("cohorts:partner_create"), {"name": "Sakura Care", "country": "Jepang"}
        )
        partner = Partner.objects.get(name="Sakura Care")
        assert response["Location"] == reverse("cohorts:partner_list")
        client.post(
            reverse("cohorts:partner_edit", args=[partner.pk]),
            {"name": "Sakura Care Inc.", "country": "Jepang"},
        )
        partner.refresh_from_db()
        assert partner.name == "Sakura Care Inc."

    def test_a_partner_needs_a_name_and_a_country(self, client, hr):
        client.force_login(hr)
        response = client.post(reverse("cohorts:partner_create"), {"name": ""})
        assert set(response.context["form"].errors) == {"name", "country"}
        assert not Partner.objects.exists()

    def test_leadership_read_partners_but_may_not_add_one(self, client, assigned, leadership):
        client.force_login(leadership)
        assert client.get(reverse("cohorts:partner_list")).status_code == 200
        assert client.get(reverse("cohorts:partner_create")).status_code == 403


class TestAgreements:
    def test_hr_staff_add_an_agreement_with_its_file(self, client, hr, program):
        client.force_login(hr)
        response = client.post(
            reverse("cohorts:agreement_create", args=[program.slug]),
            {
                "kind": "pks",
                "number": "100/PKS/2026",
                "signed_on": "2026-01-05",
                "valid_until": "2031-01-04",
                "file": SimpleUploadedFile("pks.pdf", PDF, content_type="application/pdf"),
            },
        )
        assert response["Location"] == program.get_absolute_url()
        agreement = Agreement.objects.get(number="100/PKS/2026")
        assert agreement.file.read() == PDF

    def test_a_file_that_is_not_a_document_is_refused(self, client, hr, program):
        client.force_login(hr)
        response = client.post(
            reverse("cohorts:agreement_create", args=[program.slug]),
            {
                "kind": "mou",
                "number": "1/MoU",
                "signed_on": "2026-01-05",
                "file": SimpleUploadedFile("mou.pdf", b"MZ\x90\x00 not a pdf"),
            },
        )
        assert "file" in response.context["form"].errors
        assert not Agreement.objects.exists()

    def test_an_agreement_cannot_end_before_it_is_signed(self, client, hr, program):
        client.force_login(hr)
        response = client.post(
            reverse("cohorts:agreement_create", args=[program.slug]),
            {
                "kind": "mou",
                "number": "2/MoU",
                "signed_on": "2026-01-05",
                "valid_until": "2025-01-01",
            },
        )
        assert "valid_until" in response.context["form"].errors
        assert not Agreement.objects.exists()

    def test_the_file_downloads_through_a_permission_check_and_is_logged(
        self, client, hr, leadership, assigned, program
    ):
        agreement = AgreementFactory(program=program)
        agreement.file.save("mou.pdf", SimpleUploadedFile("mou.pdf", PDF))
        url = reverse("cohorts:agreement_file", args=[agreement.pk])
        client.force_login(leadership)
        assert client.get(url).status_code == 403
        client.force_login(hr)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert 'attachment; filename="mou' in response["Content-Disposition"]
        event = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD)
        assert (event.actor, event.subject_id) == (hr, str(agreement.pk))

    def test_a_missing_file_answers_404(self, client, hr, program):
        agreement = AgreementFactory(program=program)
        client.force_login(hr)
        assert client.get(reverse("cohorts:agreement_file", args=[agreement.pk])).status_code == 404

    def test_deleting_asks_for_confirmation_first(self, client, hr, program):
        agreement = AgreementFactory(program=program)
        url = reverse("cohorts:agreement_delete", args=[agreement.pk])
        client.force_login(hr)
        confirm = client.get(url)
        assert confirm.status_code == 200 and "Ya, hapus" in confirm.content.decode()
        assert Agreement.objects.exists()
        response = client.post(url)
        assert response["Location"] == program.get_absolute_url()
        assert not Agreement.objects.exists()
        assert AuditEvent.objects.filter(action=AuditEvent.Action.DELETE).count() == 1

    def test_a_coordinator_may_not_delete_an_agreement(
        self, client, assigned, coordinator, program
    ):
        agreement = AgreementFactory(program=program)
        client.force_login(coordinator)
        assert (
            client.post(reverse("cohorts:agreement_delete", args=[agreement.pk])).status_code == 403
        )
        assert Agreement.objects.exists()


class TestCohortList:
    def test_it_filters_by_programme_year_and_status(self, client, hr, program, other_program):
        first = CohortFactory(program=program, number=1, year=2024, status="departed")
        second = CohortFactory(program=program, number=2, year=2026)
        third = CohortFactory(program=other_program, number=1, year=2026)
        client.force_login(hr)
        url = reverse("cohorts:cohort_list")

        def listed(**params):
            return list(client.get(url, params).context["page"].object_list)

        assert listed(program=program.pk) == [first, second]
        assert set(listed(year=2026)) == {second, third}
        assert listed(status="departed") == [first]
        assert listed(ordering="-year", program=program.pk) == [second, first]

    def test_it_is_paginated(self, client, hr, program):
        for number in range(1, 31):
            CohortFactory(program=program, number=number)
        client.force_login(hr)
        page_two = client.get(reverse("cohorts:cohort_list"), {"page": 2})
        assert len(page_two.context["page"].object_list) == 5

    def test_an_instructor_sees_only_their_batch(
        self, client, assigned, instructor, program, cohort
    ):
        CohortFactory(program=program, number=5)
        client.force_login(instructor)
        response = client.get(reverse("cohorts:cohort_list"))
        assert list(response.context["page"].object_list) == [cohort]

    def test_an_empty_result_says_so(self, client, hr, cohort):
        client.force_login(hr)
        response = client.get(reverse("cohorts:cohort_list"), {"year": 1999})
        assert "Tidak ada angkatan" in response.content.decode()


class TestCohortForms:
    def test_hr_staff_create_a_batch_with_the_next_number_suggested(self, client, hr, cohort):
        client.force_login(hr)
        page = client.get(reverse("cohorts:cohort_create"), {"program": cohort.program.slug})
        assert page.context["form"].initial["number"] == 5
        response = client.post(
            reverse("cohorts:cohort_create"),
            {"program": cohort.program.pk, "number": 5, "year": 2027, "quota": 15},
        )
        created = Cohort.objects.get(program=cohort.program, number=5)
        assert response["Location"] == created.get_absolute_url()

    def test_a_duplicate_number_is_refused_with_a_message(self, client, hr, cohort):
        client.force_login(hr)
        response = client.post(
            reverse("cohorts:cohort_create"),
            {"program": cohort.program.pk, "number": 4, "year": 2027},
        )
        assert "number" in response.context["form"].errors
        assert Cohort.objects.count() == 1

    def test_a_year_out_of_range_is_refused(self, client, hr, program):
        client.force_login(hr)
        response = client.post(
            reverse("cohorts:cohort_create"), {"program": program.pk, "number": 1, "year": 1890}
        )
        assert "year" in response.context["form"].errors

    def test_editing_keeps_the_batch_in_its_programme(self, client, hr, cohort, other_program):
        original = cohort.program_id
        client.force_login(hr)
        client.post(
            reverse("cohorts:cohort_edit", args=[cohort.pk]),
            {"program": other_program.pk, "number": 4, "year": 2026, "quota": 20},
        )
        cohort.refresh_from_db()
        assert (cohort.program_id, cohort.quota) == (original, 20)
        assert cohort.program != other_program

    def test_a_coordinator_may_not_create_or_edit_batches(
        self, client, assigned, coordinator, cohort
    ):
        client.force_login(coordinator)
        assert client.get(reverse("cohorts:cohort_create")).status_code == 403
        assert client.get(reverse("cohorts:cohort_edit", args=[cohort.pk])).status_code == 403

    def test_deleting_a_batch_asks_first_then_deletes(self, client, hr, cohort):
        url = reverse("cohorts:cohort_delete", args=[cohort.pk])
        client.force_login(hr)
        assert client.get(url).status_code == 200
        response = client.post(url)
        assert response["Location"] == reverse("cohorts:cohort_list")
        assert not Cohort.objects.exists()

    def test_a_batch_with_participants_is_not_deleted(self, client, hr, cohort):
        ParticipantFactory(cohort=cohort)
        client.force_login(hr)
        response = client.post(reverse("cohorts:cohort_delete", args=[cohort.pk]))
        assert response["Location"] == cohort.get_absolute_url()
        assert "masih memiliki peserta" in messages_of(response)[0]
        assert Cohort.objects.exists()
        assert not AuditEvent.objects.exists()

    def test_delete_is_offered_only_where_it_would_go_through(self, client, hr, cohort):
        url = reverse("cohorts:cohort_delete", args=[cohort.pk])
        client.force_login(hr)
        assert url in client.get(cohort.get_absolute_url()).content.decode()
        ParticipantFactory(cohort=cohort)
        assert url not in client.get(cohort.get_absolute_url()).content.decode()
        # Asked anyway, the confirmation page is not shown: the same rule answers.
        response = client.get(url)
        assert response["Location"] == cohort.get_absolute_url()
        assert "masih memiliki peserta" in messages_of(response)[0]


def ceremony_data(**overrides):
    data = {
        "starts_at": "2026-02-18T09:00",
        "venue": "Aula Kayuh Baimbai, Balai Kota Banjarmasin",
        "official_name": "Hj Ananda",
        "official_position": "Wakil Wali Kota Banjarmasin",
        "on_behalf_of_name": "H Muhammad Yamin HR",
        "on_behalf_of_title": "Wali Kota Banjarmasin",
        "attendees-TOTAL_FORMS": "3",
        "attendees-INITIAL_FORMS": "0",
        "attendees-MIN_NUM_FORMS": "0",
        "attendees-MAX_NUM_FORMS": "1000",
        "attendees-0-order": "2",
        "attendees-0-name": "Para Kepala SKPD",
        "attendees-1-order": "1",
        "attendees-1-name": "Ikhsan Budiman",
        "attendees-1-title": "Sekretaris Daerah",
        "attendees-2-order": "3",
    }
    data.update(overrides)
    return data


class TestCeremony:
    def test_a_coordinator_records_the_ceremony_with_its_officials(
        self, client, assigned, coordinator, cohort
    ):
        client.force_login(coordinator)
        response = client.post(reverse("cohorts:ceremony_edit", args=[cohort.pk]), ceremony_data())
        assert response["Location"] == cohort.get_absolute_url()
        ceremony = DepartureCeremony.objects.get(cohort=cohort)
        assert ceremony.starts_at == datetime.datetime(2026, 2, 18, 1, 0, tzinfo=datetime.UTC)
        assert [a.name for a in ceremony.attendees.all()] == ["Ikhsan Budiman", "Para Kepala SKPD"]

    def test_an_edit_removes_a_ticked_official(self, client, assigned, coordinator, cohort):
        ceremony = DepartureCeremonyFactory(cohort=cohort)
        kept = CeremonyAttendeeFactory(ceremony=ceremony, name="Ikhsan Budiman", order=1)
        gone = CeremonyAttendeeFactory(ceremony=ceremony, name="Someone else", order=2)
        client.force_login(coordinator)
        data = ceremony_data(
            **{
                "attendees-TOTAL_FORMS": "2",
                "attendees-INITIAL_FORMS": "2",
                "attendees-0-id": str(kept.pk),
                "attendees-0-order": "1",
                "attendees-0-name": "Ikhsan Budiman",
                "attendees-1-id": str(gone.pk),
                "attendees-1-order": "2",
                "attendees-1-name": "Someone else",
                "attendees-1-DELETE": "on",
            }
        )
        client.post(reverse("cohorts:ceremony_edit", args=[cohort.pk]), data)
        assert list(CeremonyAttendee.objects.values_list("name", flat=True)) == ["Ikhsan Budiman"]

    def test_a_half_named_representation_is_refused_and_nothing_saved(
        self, client, assigned, coordinator, cohort
    ):
        client.force_login(coordinator)
        response = client.post(
            reverse("cohorts:ceremony_edit", args=[cohort.pk]),
            ceremony_data(on_behalf_of_title=""),
        )
        assert response.status_code == 200
        assert response.context["form"].non_field_errors()
        assert not DepartureCeremony.objects.exists()
        assert not CeremonyAttendee.objects.exists()

    def test_hr_staff_read_but_do_not_record_ceremonies(self, client, hr, cohort):
        DepartureCeremonyFactory(cohort=cohort)
        client.force_login(hr)
        overview = client.get(cohort.get_absolute_url()).content.decode()
        assert "Aula Kayuh Baimbai, Balai Kota Banjarmasin" in overview
        assert reverse("cohorts:ceremony_edit", args=[cohort.pk]) not in overview
        assert client.get(reverse("cohorts:ceremony_edit", args=[cohort.pk])).status_code == 403

    def test_a_batch_out_of_scope_does_not_exist_for_a_coordinator(
        self, client, coordinator, other_program
    ):
        other = CohortFactory(program=other_program)
        client.force_login(coordinator)
        assert client.get(reverse("cohorts:ceremony_edit", args=[other.pk])).status_code == 404


class TestStaffAssignments:
    def test_hr_staff_assign_a_coordinator_and_an_instructor(
        self, client, hr, coordinator, instructor, program, cohort
    ):
        client.force_login(hr)
        url = reverse("cohorts:program_staff", args=[program.slug])
        client.post(url, {"program-user": coordinator.pk, "program-role": "coordinator"})
        client.post(url, {"cohort": cohort.pk, f"cohort{cohort.pk}-user": instructor.pk})
        assert ProgramAssignment.objects.get().user == coordinator
        assert CohortAssignment.objects.get().user == instructor

    def test_the_staff_pickers_show_names_not_usernames(self, client, hr, program, cohort):
        UserFactory(
            username="bkpsdm7", first_name="Rahmat", last_name="Hidayat", role="coordinator"
        )
        UserFactory(username="sensei9", first_name="", last_name="", role="instructor")
        client.force_login(hr)
        page = client.get(reverse("cohorts:program_staff", args=[program.slug]))
        program_labels = [label for _, label in page.context["program_form"].fields["user"].choices]
        assert "Rahmat Hidayat" in program_labels and "bkpsdm7" not in program_labels
        cohort_form = page.context["cohort_rows"][0]["form"]
        assert "sensei9" in [label for _, label in cohort_form.fields["user"].choices]

    def test_the_page_lists_each_batchs_instructors(self, client, hr, program, cohort):
        later = CohortFactory(program=program, number=5, year=2027)
        CohortAssignmentFactory(cohort=cohort, user=UserFactory(username="sensei-a"))
        CohortAssignmentFactory(cohort=later, user=UserFactory(username="sensei-b"))
        client.force_login(hr)
        rows = client.get(reverse("cohorts:program_staff", args=[program.slug])).context[
            "cohort_rows"
        ]
        assert [[a.user.username for a in row["assignments"]] for row in rows] == [
            ["sensei-a"],
            ["sensei-b"],
        ]

    def test_a_user_without_the_role_cannot_be_assigned_to_it(
        self, client, hr, leadership, program
    ):
        client.force_login(hr)
        response = client.post(
            reverse("cohorts:program_staff", args=[program.slug]),
            {"program-user": leadership.pk, "program-role": "coordinator"},
        )
        assert "role" in response.context["program_form"].errors
        assert not ProgramAssignment.objects.exists()

    def test_removing_an_assignment_asks_first(self, client, hr, assigned, program):
        assignment = ProgramAssignment.objects.first()
        url = reverse("cohorts:program_assignment_delete", args=[assignment.pk])
        client.force_login(hr)
        assert client.get(url).status_code == 200
        client.post(url)
        assert not ProgramAssignment.objects.filter(pk=assignment.pk).exists()

    def test_removing_an_instructor_from_a_batch(self, client, hr, assigned):
        assignment = CohortAssignment.objects.get()
        client.force_login(hr)
        client.post(reverse("cohorts:cohort_assignment_delete", args=[assignment.pk]))
        assert not CohortAssignment.objects.exists()

    def test_a_coordinator_may_not_manage_assignments(self, client, assigned, coordinator, program):
        client.force_login(coordinator)
        assert client.get(reverse("cohorts:program_staff", args=[program.slug])).status_code == 403
        assignment = ProgramAssignment.objects.first()
        url = reverse("cohorts:program_assignment_delete", args=[assignment.pk])
        assert client.post(url).status_code == 403
        assert ProgramAssignment.objects.filter(pk=assignment.pk).exists()
