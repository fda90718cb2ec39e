"""The programmes' list and forms."""

import pytest
from django.urls import reverse

from cohorts.models import (
    Program,
)
from tests.cohorts.pages import login_required, program_data
from tests.factories import (
    PartnerFactory,
    ProgramFactory,
)
from tests.pages import messages_of

pytestmark = pytest.mark.django_db


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
