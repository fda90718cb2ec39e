"""The selection's demo: a decided call and an open one, made through the services."""

import pytest
from django.core.management import call_command

from recruitment.models import Application, Call, ConflictDeclaration, Objection

pytestmark = pytest.mark.django_db


def test_the_demo_holds_a_decided_call_whose_decision_made_the_batch():
    call_command("seed_demo", "--demo-users")
    decided = Call.objects.get(status=Call.Status.DECIDED)
    assert decided.applications.count() == 40
    assert decided.stages.count() == 5 and decided.committee.count() == 3
    assert ConflictDeclaration.objects.filter(member__call=decided).count() == 1
    objection = Objection.objects.get(call=decided)
    assert objection.verdict and objection.answer
    selected = decided.applications.filter(outcome=Application.Outcome.SELECTED)
    assert selected.count() == 13  # ten workers and three scholarship recipients
    batch = decided.cohort
    assert set(batch.participants.values_list("nik", flat=True)) == set(
        selected.values_list("nik", flat=True)
    )
    assert set(batch.participants.values_list("status", flat=True)) == {"selected"}
    assert decided.applications.filter(outcome=Application.Outcome.RESERVE).count() == 4


def test_the_demo_holds_an_open_call_accepting_applications_and_runs_twice():
    call_command("seed_demo", "--demo-users")
    call_command("seed_demo", "--demo-users")
    assert Call.objects.count() == 2
    assert Call.objects.open_now().get().applications.count() == 4
