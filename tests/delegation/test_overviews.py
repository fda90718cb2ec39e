import datetime

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from cohorts.models import Cohort, Program
from tests.factories import (
    AgreementFactory,
    CeremonyAttendeeFactory,
    CohortFactory,
    DepartureCeremonyFactory,
)
from tests.signin import sign_in

pytestmark = pytest.mark.django_db


class TestProgramOverview:
    def test_it_shows_partner_terms_batches_and_agreements(self, client, hr, program, cohort):
        AgreementFactory(program=program, number="7/PKS/2025")
        client.force_login(hr)
        page = client.get(reverse("program_overview", args=[program.slug])).content.decode()
        for text in [program.partner.name, "Government-to-Business", "5 tahun", "12 bulan"]:
            assert text in page
        assert "Angkatan IV (2026)" in page and "7/PKS/2025" in page
        assert "Pelatihan bahasa, Ujian" in page

    def test_it_warns_of_an_agreement_expiring_within_six_months(self, client, hr, program):
        soon = datetime.date.today() + datetime.timedelta(days=60)
        AgreementFactory(program=program, valid_until=soon)
        client.force_login(hr)
        page = client.get(reverse("program_overview", args=[program.slug])).content.decode()
        assert "1 perjanjian berakhir dalam enam bulan." in page

    def test_a_coordinator_opens_an_assigned_programme_but_not_another(
        self, client, assigned, coordinator, program, other_program
    ):
        client.force_login(coordinator)
        assert client.get(reverse("program_overview", args=[program.slug])).status_code == 200
        url = reverse("program_overview", args=[other_program.slug])
        assert client.get(url).status_code == 404

    def test_leadership_reads_it_without_edit_links(self, client, assigned, leadership, program):
        client.force_login(leadership)
        page = client.get(reverse("program_overview", args=[program.slug])).content.decode()
        assert reverse("cohorts:program_edit", args=[program.slug]) not in page

    def test_anonymous_users_are_sent_to_login(self, client, program):
        response = client.get(reverse("program_overview", args=[program.slug]))
        assert response["Location"].startswith(reverse("login"))


class TestCohortOverview:
    def test_it_shows_the_ceremony_card_and_honest_empty_sections(self, client, hr, cohort):
        ceremony = DepartureCeremonyFactory(
            cohort=cohort,
            on_behalf_of_name="H Muhammad Yamin HR",
            on_behalf_of_title="Wali Kota Banjarmasin",
        )
        CeremonyAttendeeFactory(ceremony=ceremony, name="Ikhsan Budiman", title="Sekretaris Daerah")
        client.force_login(hr)
        page = client.get(reverse("cohort_overview", args=[cohort.pk])).content.decode()
        assert "Rabu, 18 Februari 2026, 09.00 WITA" in page
        assert "Wakil Wali Kota Banjarmasin Hj Ananda" in page
        assert "Wali Kota Banjarmasin H Muhammad Yamin HR" in page
        assert "Sekretaris Daerah Ikhsan Budiman" in page
        assert "Belum ada peserta di angkatan ini." in page

    def test_it_offers_only_the_moves_the_batch_may_make(self, client, hr, cohort):
        cohort.status = Cohort.Status.READY
        cohort.save()
        client.force_login(hr)
        response = client.get(reverse("cohort_overview", args=[cohort.pk]))
        assert [m["status"] for m in response.context["moves"]] == ["training"]
        assert "Catat acara pelepasan terlebih dahulu." in response.content.decode()

    def test_a_coordinator_sees_no_move_buttons(self, client, assigned, coordinator, cohort):
        client.force_login(coordinator)
        page = client.get(reverse("cohort_overview", args=[cohort.pk])).content.decode()
        assert reverse("cohorts:cohort_move", args=[cohort.pk]) not in page
        assert reverse("cohorts:ceremony_edit", args=[cohort.pk]) in page

    def test_an_instructor_opens_only_their_batch(
        self, client, assigned, instructor, program, cohort
    ):
        other = CohortFactory(program=program, number=5)
        client.force_login(instructor)
        assert client.get(reverse("cohort_overview", args=[cohort.pk])).status_code == 200
        assert client.get(reverse("cohort_overview", args=[other.pk])).status_code == 404


class TestTheBriefsProgramme:
    """What a coordinator reads after `seed_demo`: the programme exactly as the report tells it."""

    @pytest.fixture
    def seeded(self):
        call_command("seed_demo", "--demo-users", verbosity=0)
        return Program.objects.get(slug="kaikoukai")

    def test_the_programme_has_batches_one_to_four(self, client, seeded):
        sign_in(client, "coordinator", "demo-password")
        response = client.get(reverse("program_overview", args=[seeded.slug]))
        page = response.content.decode()
        for label in ["Angkatan I (2023)", "Angkatan II (2024)", "Angkatan III (2025)"]:
            assert label in page
        assert "Angkatan IV (2026)" in page
        assert "Penerimaan terakhir" in page

    @pytest.mark.parametrize(
        ("language", "when", "released_by"),
        [
            ("id", "Rabu, 18 Februari 2026, 09.00 WITA", "Dilepas oleh"),
            ("en", "Wednesday, 18 February 2026, 09.00 WITA", "Released by"),
        ],
    )
    def test_batch_four_shows_its_ceremony_in_both_languages(
        self, client, seeded, language, when, released_by
    ):
        sign_in(client, "coordinator", "demo-password")
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        batch4 = seeded.cohorts.get(number=4)
        page = client.get(reverse("cohort_overview", args=[batch4.pk])).content.decode()
        assert when in page
        assert "Aula Kayuh Baimbai, Balai Kota Banjarmasin" in page
        assert released_by in page
        assert "Wakil Wali Kota Banjarmasin Hj Ananda" in page
        assert "Wali Kota Banjarmasin H Muhammad Yamin HR" in page
        assert "Sekretaris Daerah Ikhsan Budiman" in page
        assert "Para Kepala SKPD" in page
        assert "Koordinator Pelaksana Kerja Sama Machli Riyadi" in page
