import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from delegation.access import changeable_or_403, visible_or_404
from delegation.models import Job
from tests.factories import JobFactory

pytestmark = pytest.mark.django_db


def test_it_returns_an_object_the_user_may_see(hr):
    job = JobFactory()
    assert visible_or_404(Job, hr, pk=job.pk) == job


def test_what_the_user_may_not_see_does_not_exist_for_them(coordinator):
    someone_elses = JobFactory()
    with pytest.raises(Http404):
        visible_or_404(Job, coordinator, pk=someone_elses.pk)


def test_it_accepts_a_narrowed_queryset(coordinator):
    own = JobFactory(requested_by=coordinator, status=Job.Status.FAILED)
    with pytest.raises(Http404):
        visible_or_404(Job.objects.live(), coordinator, pk=own.pk)


def test_seeing_is_not_changing(leadership):
    own = JobFactory(requested_by=leadership)
    assert visible_or_404(Job, leadership, pk=own.pk) == own
    with pytest.raises(PermissionDenied):
        changeable_or_403(Job, leadership, "delegation.generate_documents", pk=own.pk)


def test_a_user_with_the_permission_may_change(coordinator):
    own = JobFactory(requested_by=coordinator)
    assert changeable_or_403(Job, coordinator, "delegation.generate_documents", pk=own.pk) == own
