"""The partners' list and forms."""

import pytest
from django.urls import reverse

from cohorts.models import (
    Partner,
)

pytestmark = pytest.mark.django_db


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
