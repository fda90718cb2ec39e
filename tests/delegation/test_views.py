import pytest
from django.urls import reverse

from delegation.models import Job
from tests.factories import JobFactory

pytestmark = pytest.mark.django_db


def test_a_user_without_a_role_is_told_so(client, outsider):
    client.force_login(outsider)
    page = client.get(reverse("dashboard")).content.decode()
    assert "belum memiliki peran" in page


def test_the_navbar_shows_the_areas_that_exist_and_the_admin_to_staff(client, hr, admin_user):
    client.force_login(hr)
    page = client.get(reverse("dashboard")).content.decode()
    assert reverse("jobs") in page
    assert reverse("admin:index") not in page
    client.force_login(admin_user)
    assert reverse("admin:index") in client.get(reverse("dashboard")).content.decode()


def test_the_navbar_hides_areas_the_user_may_not_open(client, instructor, outsider):
    client.force_login(instructor)
    page = client.get(reverse("dashboard")).content.decode()
    assert reverse("cohorts:cohort_list") in page
    assert reverse("jobs") not in page
    client.force_login(outsider)
    page = client.get(reverse("dashboard")).content.decode()
    assert reverse("cohorts:program_list") not in page


def test_documents_lists_the_jobs_with_an_empty_state_first(client, hr):
    client.force_login(hr)
    assert "Belum ada dokumen" in client.get(reverse("jobs")).content.decode()
    JobFactory(kind="ceremony_pack", status=Job.Status.RUNNING, progress=40)
    page = client.get(reverse("jobs")).content.decode()
    assert "Paket acara pelepasan" in page and "40%" in page


def test_documents_shows_a_coordinator_only_their_own_jobs(client, coordinator):
    JobFactory(kind="someone_elses")
    JobFactory(kind="mine", requested_by=coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("jobs")).content.decode()
    assert "mine" in page and "someone_elses" not in page


def test_documents_is_paginated(client, hr, django_assert_max_num_queries):
    JobFactory.create_batch(30)
    client.force_login(hr)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("jobs"))
    assert len(response.context["page"].object_list) == 25
    assert len(client.get(reverse("jobs") + "?page=2").context["page"].object_list) == 5


def test_documents_is_refused_to_a_user_without_the_role(client, instructor):
    client.force_login(instructor)
    assert client.get(reverse("jobs")).status_code == 403
