"""The batches' list, forms and deletion, and the departure ceremony."""

import datetime

import pytest
from django.urls import reverse

from cohorts.models import (
    CeremonyAttendee,
    Cohort,
    DepartureCeremony,
)
from delegation.models import AuditEvent
from tests.factories import (
    CeremonyAttendeeFactory,
    CohortFactory,
    DepartureCeremonyFactory,
    ParticipantFactory,
)
from tests.pages import messages_of

pytestmark = pytest.mark.django_db


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

    def test_the_quota_cannot_go_below_the_people_in_the_batch(self, client, hr, cohort):
        for status in ("in_training", "in_training", "ready", "withdrawn"):
            ParticipantFactory(cohort=cohort, status=status)
        client.force_login(hr)
        url = reverse("cohorts:cohort_edit", args=[cohort.pk])
        response = client.post(url, {"number": 4, "year": 2026, "quota": 2})
        assert response.status_code == 200
        assert response.context["form"].errors["quota"] == [
            "Angkatan IV (2026) sudah memiliki 3 peserta (yang mengundurkan diri tidak "
            "dihitung): kuota tidak dapat lebih kecil dari itu."
        ]
        cohort.refresh_from_db()
        assert cohort.quota is None
        client.post(url, {"number": 4, "year": 2026, "quota": 3})  # the head count itself
        cohort.refresh_from_db()
        assert cohort.quota == 3

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
