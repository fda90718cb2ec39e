"""Registering, editing, moving and transferring a participant
(``participants/views/people.py``), and the admin's search."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from participants.models import Participant
from tests.factories import CohortFactory, DocumentFactory, ParticipantFactory, make_nik
from tests.pages import messages_of
from tests.participants.data import BIRTH, person_data, region

pytestmark = pytest.mark.django_db


class TestCreateAndEdit:
    def test_hr_staff_register_a_participant_in_a_batch(self, client, hr, cohort):
        client.force_login(hr)
        response = client.post(
            reverse("participants:participant_create"), person_data(cohort=cohort.pk)
        )
        siti = Participant.objects.get()
        assert response["Location"] == siti.get_absolute_url()
        assert (siti.passport_surname, siti.passport_given_names) == ("RAHMAH", "SITI")
        assert siti.phone == "+6281234567890"
        assert siti.participant_number == "KAI-04-001"
        assert siti.full_name == "Hj. Siti Rahmah"

    def test_a_full_batch_refuses_a_new_participant_with_its_quota(self, client, hr, cohort):
        cohort.quota = 1
        cohort.save()
        ParticipantFactory().place(cohort)
        client.force_login(hr)
        response = client.post(
            reverse("participants:participant_create"), person_data(cohort=cohort.pk)
        )
        assert response.status_code == 200
        assert "Angkatan IV sudah penuh: kuota 1 peserta." in response.content.decode()
        assert not Participant.objects.filter(full_name="Hj. Siti Rahmah").exists()

    def test_same_as_the_ktp_address_copies_it_to_the_domicile_on_save(self, client, hr):
        client.force_login(hr)
        client.post(
            reverse("participants:participant_create"),
            person_data(
                ktp_street="Jl. Pramuka No. 12",
                ktp_rt_rw="004/002",
                ktp_village="Pemurus Luar",
                ktp_district="Banjarmasin Timur",
                ktp_regency=region("63.71"),
                ktp_postal_code="70238",
                domicile_street="ignored",
                domicile_rt_rw="bad",
                domicile_same_as_ktp="on",
            ),
        )
        siti = Participant.objects.get()
        assert [
            getattr(siti, f"domicile_{part}") for part in ("street", "rt_rw", "postal_code")
        ] == [
            "Jl. Pramuka No. 12",
            "004/002",
            "70238",
        ]
        assert (siti.domicile_village, siti.domicile_district) == (
            "Pemurus Luar",
            "Banjarmasin Timur",
        )
        assert siti.domicile_regency.code == "63.71"

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"nik": "637101580298001"}, "nik"),
            ({"nik": "9971015802980001"}, "nik"),
            ({"name_katakana": "Siti"}, "name_katakana"),
            ({"phone": "12"}, "phone"),
            ({"origin": ""}, "origin"),
        ],
    )
    def test_bad_input_gets_a_message_and_saves_nothing(self, client, hr, overrides, field):
        client.force_login(hr)
        response = client.post(reverse("participants:participant_create"), person_data(**overrides))
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert not Participant.objects.exists()

    def test_an_inconsistent_nik_needs_a_written_reason(self, client, hr):
        client.force_login(hr)
        wrong_day = person_data(nik=make_nik(BIRTH, "M"))  # a woman's NIK without the +40
        response = client.post(reverse("participants:participant_create"), wrong_day)
        errors = response.context["form"].errors
        assert "dinaikkan 40" in errors["nik"][0]
        assert "nik_reason" in errors
        assert not Participant.objects.exists()

        wrong_day["nik_reason"] = (
            "KTP lama diterbitkan dengan kode laki-laki; sudah dicek Disdukcapil."
        )
        client.post(reverse("participants:participant_create"), wrong_day)
        siti = Participant.objects.get()
        assert siti.nik_reason.startswith("KTP lama")
        page = client.get(siti.get_absolute_url()).content.decode()
        assert "KTP lama diterbitkan" in page

    def test_a_possible_duplicate_is_pointed_out(self, client, hr):
        ParticipantFactory(full_name="Hj. Siti Rahmah", nik=make_nik(BIRTH, "F", serial=7))
        client.force_login(hr)
        response = client.post(reverse("participants:participant_create"), person_data())
        assert any("duplikat" in m.lower() for m in messages_of(response))

    def test_an_exe_renamed_as_a_photo_is_refused(self, client, hr):
        client.force_login(hr)
        fake = SimpleUploadedFile("foto.png", b"MZ\x90\x00\x03" + b"\x00" * 100)
        response = client.post(
            reverse("participants:participant_create"), {**person_data(), "photo": fake}
        )
        assert "photo" in response.context["form"].errors
        assert not Participant.objects.exists()

    def test_a_coordinator_may_not_register_participants(self, client, assigned, coordinator):
        client.force_login(coordinator)
        assert client.get(reverse("participants:participant_create")).status_code == 403

    def test_hr_staff_correct_a_participant(self, client, hr):
        siti = ParticipantFactory(full_name="Siti", nik=make_nik(BIRTH, "F"))
        client.force_login(hr)
        client.post(
            reverse("participants:participant_edit", args=[siti.pk]),
            person_data(full_name="Siti Rahmah"),
        )
        siti.refresh_from_db()
        assert siti.full_name == "Siti Rahmah"
        assert siti.history.count() == 2


class TestMovesAndTransfers:
    def test_the_status_page_offers_only_the_allowed_moves(self, client, hr):
        participant = ParticipantFactory(status="in_training")
        client.force_login(hr)
        response = client.get(reverse("participants:participant_move", args=[participant.pk]))
        choices = [value for value, _label in response.context["form"].fields["to_status"].choices]
        assert choices == ["postponed", "withdrawn"]

    def test_withdrawing_without_a_reason_is_refused(self, client, hr):
        participant = ParticipantFactory()
        client.force_login(hr)
        url = reverse("participants:participant_move", args=[participant.pk])
        response = client.post(url, {"to_status": "withdrawn", "effective_date": "2026-11-01"})
        assert response.context["form"].non_field_errors()
        participant.refresh_from_db()
        assert participant.status == "applicant"

    def test_a_move_is_recorded(self, client, hr):
        participant = ParticipantFactory()
        client.force_login(hr)
        url = reverse("participants:participant_move", args=[participant.pk])
        client.post(url, {"to_status": "selected", "effective_date": "2026-11-01"})
        participant.refresh_from_db()
        assert participant.status == "selected"
        assert participant.status_changes.get().recorded_by == hr

    def test_a_future_effective_date_is_refused(self, client, hr):
        participant = ParticipantFactory()
        client.force_login(hr)
        url = reverse("participants:participant_move", args=[participant.pk])
        response = client.post(url, {"to_status": "selected", "effective_date": "2999-01-01"})
        assert "effective_date" in response.context["form"].errors

    def test_a_move_into_a_full_batch_is_refused_with_its_quota(self, client, hr, cohort):
        participant = ParticipantFactory(status="in_training")
        participant.place(cohort)
        later = CohortFactory(program=cohort.program, number=5, quota=1)
        ParticipantFactory().place(later)
        client.force_login(hr)
        response = client.post(
            reverse("participants:participant_transfer", args=[participant.pk]),
            {"cohort": later.pk, "effective_date": "2026-11-01", "reason": "Ditunda"},
        )
        assert "Angkatan V sudah penuh: kuota 1 peserta." in response.content.decode()
        participant.refresh_from_db()
        assert participant.cohort == cohort

    def test_hr_staff_move_a_participant_to_another_batch(self, client, hr, cohort):
        participant = ParticipantFactory(status="in_training")
        participant.place(cohort)
        later = CohortFactory(program=cohort.program, number=5)
        client.force_login(hr)
        client.post(
            reverse("participants:participant_transfer", args=[participant.pk]),
            {"cohort": later.pk, "effective_date": "2026-11-01", "reason": "Ditunda"},
        )
        participant.refresh_from_db()
        assert participant.cohort == later
        assert participant.status_changes.get().kind == "transfer"


class TestAdminSearch:
    @pytest.mark.parametrize("query", ["rahmah", "nik", "c7654321"])
    def test_the_admin_finds_by_name_nik_or_passport_number(self, client, admin_user, query):
        siti = ParticipantFactory(full_name="Siti Rahmah")
        DocumentFactory(participant=siti, number="C7654321")
        ParticipantFactory(full_name="Budi Santoso", gender="M")
        client.force_login(admin_user)
        response = client.get(
            reverse("admin:participants_participant_changelist"),
            {"q": siti.nik if query == "nik" else query},
        )
        assert list(response.context["cl"].result_list) == [siti]
