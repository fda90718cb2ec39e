"""Every "Delete" (or "Remove") button of the site against the rule of the view behind it.

The button is shown only to those the view lets delete, and only where the deletion would go
through; deleting asks for confirmation first, then says what was deleted; where a rule
keeps the object (a batch with people, a module with sessions), the view refuses and says why,
and nothing is deleted.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse

from cohorts.models import Agreement, Cohort, CohortAssignment, ProgramAssignment
from participants.models import CostItem, to_idr
from tests.factories import (
    AgreementFactory,
    CohortAssignmentFactory,
    CohortFactory,
    ModuleFactory,
    ParticipantFactory,
    ProgramAssignmentFactory,
    SessionFactory,
    TrainingPlanFactory,
    UserFactory,
)
from tests.pages import messages_of
from training.models import Module, NonTeachingDay

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Deletable:
    name: str
    make: Callable  # (program, cohort) -> the object
    page: Callable  # the object -> the page that offers its button
    url: str  # the delete view's name
    label: Callable  # the object -> what the success message names
    model: type
    coordinator_sees_page: bool = True


def cost_line(program, cohort):
    amount = Decimal("12500")
    return CostItem.objects.create(
        program=program,
        cohort=cohort,
        category="exams",
        payer="sponsor",
        amount=amount,
        currency="JPY",
        rate_to_idr=Decimal("108.5"),
        amount_idr=to_idr(amount, Decimal("108.5")),
        date=datetime.date(2026, 2, 10),
        description="Biaya ujian JFT-Basic",
    )


def staff(first_name: str):
    return UserFactory(first_name=first_name, last_name="Wulandari")


DELETABLES = [
    Deletable(
        "agreement",
        lambda program, cohort: AgreementFactory(program=program, number="PKS/07/2026"),
        lambda agreement: agreement.program.get_absolute_url(),
        "cohorts:agreement_delete",
        lambda agreement: "PKS/07/2026",
        Agreement,
    ),
    Deletable(
        "batch",
        lambda program, cohort: CohortFactory(program=program, number=7, year=2029),
        lambda batch: batch.get_absolute_url(),
        "cohorts:cohort_delete",
        lambda batch: "VII (2029)",
        Cohort,
    ),
    Deletable(
        "programme assignment",
        lambda program, cohort: ProgramAssignmentFactory(
            program=program, user=staff("Rina"), role="leadership"
        ),
        lambda assignment: reverse("cohorts:program_staff", args=[assignment.program.slug]),
        "cohorts:program_assignment_delete",
        lambda assignment: "Rina Wulandari",
        ProgramAssignment,
        coordinator_sees_page=False,
    ),
    Deletable(
        "instructor assignment",
        lambda program, cohort: CohortAssignmentFactory(cohort=cohort, user=staff("Sari")),
        lambda assignment: reverse("cohorts:program_staff", args=[assignment.cohort.program.slug]),
        "cohorts:cohort_assignment_delete",
        lambda assignment: "Sari Wulandari",
        CohortAssignment,
        coordinator_sees_page=False,
    ),
    Deletable(
        "cost line",
        cost_line,
        lambda item: reverse("participants:cohort_costs", args=[item.cohort_id]),
        "participants:cost_delete",
        lambda item: "Biaya ujian JFT-Basic (12.500,00 JPY)",
        CostItem,
    ),
    Deletable(
        "module",
        lambda program, cohort: ModuleFactory(
            plan=TrainingPlanFactory(cohort=cohort), name="Budaya Banjar"
        ),
        lambda module: reverse("training:cohort_training", args=[module.plan.cohort_id]),
        "training:module_delete",
        lambda module: "Budaya Banjar",
        Module,
    ),
    Deletable(
        "non-teaching day",
        lambda program, cohort: NonTeachingDay.objects.create(
            date=datetime.date(2026, 12, 24), name="Cuti bersama Natal"
        ),
        lambda day: f"{reverse('training:non_teaching_days')}?year=2026",
        "training:non_teaching_day_delete",
        lambda day: "Cuti bersama Natal",
        NonTeachingDay,
    ),
]
IDS = [deletable.name for deletable in DELETABLES]


@pytest.fixture(params=DELETABLES, ids=IDS)
def case(request, program, cohort, assigned):
    deletable = request.param
    return deletable, deletable.make(program, cohort)


def delete_url(deletable: Deletable, obj) -> str:
    return reverse(deletable.url, args=[obj.pk])


def test_the_button_is_offered_to_those_who_may_delete(client, hr, case):
    deletable, obj = case
    client.force_login(hr)
    page = client.get(deletable.page(obj))
    assert page.status_code == 200
    assert f'href="{delete_url(deletable, obj)}"' in page.content.decode()


@pytest.mark.parametrize(
    "deletable", [d for d in DELETABLES if d.coordinator_sees_page], ids=lambda d: d.name
)
def test_a_coordinator_reading_the_page_is_not_offered_it_and_may_not_delete(
    client, coordinator, program, cohort, assigned, deletable
):
    obj = deletable.make(program, cohort)
    client.force_login(coordinator)
    page = client.get(deletable.page(obj))
    assert page.status_code == 200
    assert delete_url(deletable, obj) not in page.content.decode()
    assert client.post(delete_url(deletable, obj)).status_code == 403
    assert deletable.model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize(
    "deletable", [d for d in DELETABLES if not d.coordinator_sees_page], ids=lambda d: d.name
)
def test_staff_pages_and_their_removals_are_refused_to_a_coordinator(
    client, coordinator, program, cohort, assigned, deletable
):
    obj = deletable.make(program, cohort)
    client.force_login(coordinator)
    assert client.get(deletable.page(obj)).status_code == 403
    assert client.post(delete_url(deletable, obj)).status_code == 403
    assert deletable.model.objects.filter(pk=obj.pk).exists()


def test_deleting_asks_for_confirmation_first(client, hr, case):
    deletable, obj = case
    client.force_login(hr)
    response = client.get(delete_url(deletable, obj))
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "confirm_delete.html"
    html = response.content.decode()
    assert deletable.label(obj) in html
    assert f'href="{deletable.page(obj)}"' in html  # the way back
    assert deletable.model.objects.filter(pk=obj.pk).exists()


def test_a_confirmed_deletion_says_what_was_deleted(client, hr, case):
    deletable, obj = case
    client.force_login(hr)
    response = client.post(delete_url(deletable, obj))
    assert response.status_code == 302
    assert not deletable.model.objects.filter(pk=obj.pk).exists()
    assert any(deletable.label(obj) in message for message in messages_of(response))


def test_the_delete_views_answer_only_get_and_post(client, hr, case):
    deletable, obj = case
    client.force_login(hr)
    assert client.put(delete_url(deletable, obj)).status_code == 405
    assert deletable.model.objects.filter(pk=obj.pk).exists()


# Rules that keep an object: the button is not offered, and the view refuses with a reason.


def batch_with_a_participant(program, cohort):
    batch = CohortFactory(program=program, number=7, year=2029)
    ParticipantFactory().place(batch)
    return batch, "cohorts:cohort_delete", batch.get_absolute_url()


def module_with_a_session(program, cohort):
    module = ModuleFactory(plan=TrainingPlanFactory(cohort=cohort), name="Budaya Banjar")
    SessionFactory(module=module)
    return module, "training:module_delete", reverse("training:cohort_training", args=[cohort.pk])


KEPT = {
    "batch with a participant": (batch_with_a_participant, "peserta"),
    "module with a session": (module_with_a_session, "pertemuan"),
}


@pytest.mark.parametrize("kept", KEPT, ids=list(KEPT))
def test_an_object_a_rule_keeps_is_not_offered_and_the_view_refuses_saying_why(
    client, hr, program, cohort, kept
):
    make, reason = KEPT[kept]
    obj, url_name, page = make(program, cohort)
    url = reverse(url_name, args=[obj.pk])
    client.force_login(hr)
    assert url not in client.get(page).content.decode()
    for method in (client.get, client.post):
        response = method(url, follow=True)
        assert response.redirect_chain == [(page, 302)]
        refusal = [str(message) for message in response.context["messages"]]
        assert len(refusal) == 1 and reason in refusal[0]
    assert type(obj).objects.filter(pk=obj.pk).exists()
