"""Properties of the main participant forms, posted through their pages with generated input:
never a 500; invalid input is shown back with a message and saves nothing; what is saved holds
no NUL character (PostgreSQL refuses those).

Each example starts from a good submission and changes up to three fields to a typical slip or
to any text at all. Each runs in a transaction that is rolled back, so examples are independent.
"""

import datetime

import pytest
from django.db import models, transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from participants.models import CheckIn, Contract, CostItem, Participant, Region, Status
from tests.conftest import examples
from tests.factories import ParticipantFactory, make_nik

pytestmark = pytest.mark.django_db

SETTINGS = settings(
    max_examples=examples(30),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
BIRTH = datetime.date(1998, 2, 18)

SLIPS = [
    "",
    " ",
    "²",
    "٣",
    "NaN",
    "sNaN",
    "Infinity",
    "-1",
    "0",
    "1e999",
    "99999999999999999999",
    "2026-02-30",
    "30/02/2026",
    "9999-12-31",
    "0001-01-01",
    "Siti\x00Rahmah",
    "x" * 400,
    "<script>alert(1)</script>",
]
any_value = st.one_of(st.sampled_from(SLIPS), st.text(max_size=20))


def changed(good: dict) -> st.SearchStrategy[dict]:
    @st.composite
    def build(draw):
        data = dict(good)
        for name in draw(st.lists(st.sampled_from(sorted(good)), max_size=3, unique=True)):
            data[name] = draw(any_value)
        return data

    return build()


def no_nul_saved(model):
    for obj in model.objects.all():
        for field in obj._meta.concrete_fields:
            value = getattr(obj, field.attname)
            if isinstance(field, models.CharField | models.TextField) and value:
                assert "\x00" not in value, (model.__name__, field.name)


def post_and_check(user, url: str, data: dict, model) -> None:
    """Post a creation form once inside a rolled-back transaction and check the invariants:
    accepted, it saves exactly one row; refused, it shows the form's errors and saves none."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    with transaction.atomic():
        before = model.objects.count()
        response = client.post(url, data)
        assert response.status_code < 500, data
        if response.status_code == 302:
            assert model.objects.count() == before + 1, data
            no_nul_saved(model)
        else:
            assert response.status_code == 200, data
            form = response.context["form"]
            assert form.errors, data
            assert model.objects.count() == before, data
        transaction.set_rollback(True)


def person(origin) -> dict:
    return {
        "full_name": "Hj. Siti Rahmah",
        "passport_surname": "rahmah",
        "passport_given_names": "siti",
        "nik": make_nik(BIRTH, "F", serial=88),
        "gender": "F",
        "birth_date": BIRTH.isoformat(),
        "birth_place": "Banjarmasin",
        "origin": origin.code,
        "phone": "0812-3456-7890",
        "email": "siti@example.org",
        "education_level": "d3",
        "education_field": "Keperawatan",
        "track": "worker",
    }


@SETTINGS
@given(data=st.data())
def test_the_participant_form_never_fails_and_saves_only_valid_people(hr, data):
    origin = Region.objects.get(code="63.71")
    post_and_check(
        hr,
        reverse("participants:participant_create"),
        data.draw(changed(person(origin))),
        Participant,
    )


COST = {
    "category": "airfare",
    "payer": "sponsor",
    "amount": "1650000",
    "currency": "IDR",
    "rate_to_idr": "1",
    "date": "2026-02-10",
    "description": "Tiket pesawat",
}


@SETTINGS
@given(data=st.data())
@example(data=None)
def test_the_cost_line_form_never_fails_and_saves_only_valid_lines(hr, program, cohort, data):
    values = (
        data.draw(changed({**COST, "cohort": str(cohort.pk)}))
        if data
        else {**COST, "amount": "NaN"}
    )
    post_and_check(hr, reverse("participants:cost_create", args=[program.slug]), values, CostItem)


CONTRACT = {
    "employer": "Kaikoukai Healthcare Corporation",
    "start_date": "2026-03-02",
    "signed_on": "2026-01-15",
    "term_years": "5",
    "monthly_salary": "210000",
    "salary_currency": "JPY",
}


@SETTINGS
@given(data=st.data())
def test_the_contract_form_never_fails_and_saves_only_valid_contracts(hr, cohort, data):
    participant = ParticipantFactory(cohort=cohort, status=Status.WORKING)
    post_and_check(
        hr,
        reverse("participants:contract_create", args=[participant.pk]),
        data.draw(changed(CONTRACT)),
        Contract,
    )


CHECK_IN = {
    "date": "2026-06-01",
    "channel": "video",
    "held_by": "city",
    "wellbeing": "4",
    "work_satisfaction": "5",
    "wants_to_extend": "yes",
    "wants_family": "undecided",
    "concerns": "Rindu keluarga",
    "follow_up_done_on": "",
}


@SETTINGS
@given(data=st.data())
def test_the_check_in_form_never_fails_and_saves_only_valid_check_ins(hr, cohort, data):
    participant = ParticipantFactory(cohort=cohort, status=Status.WORKING)
    post_and_check(
        hr,
        reverse("participants:check_in_create", args=[participant.pk]),
        data.draw(changed(CHECK_IN)),
        CheckIn,
    )
