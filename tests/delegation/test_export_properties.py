"""Every spreadsheet and CSV file the application writes, fed names, occupations, notes and
module names from the whole of Unicode, often behind a formula's first sign: no cell is ever a
formula, and every value reads back as it was typed (in CSV, after taking off the one
apostrophe the writer put before a value that would start a formula)."""

import csv
import datetime
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from office.overviews.exports import readiness_xlsx
from office.overviews.recap import recap_xlsx
from office.overviews.views import readiness_board
from office.prints import ceremony_pack
from participants import exports
from participants.models import CostItem, Participant, Region
from tests.conftest import examples
from tests.factories import (
    DepartureCeremonyFactory,
    ModuleFactory,
    ParticipantFactory,
    SessionFactory,
    TrainingPlanFactory,
)
from training.exports import attendance_xlsx
from training.models import Module

pytestmark = pytest.mark.django_db

SETTINGS = settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# What a database column takes from a form: any character but NUL and lone surrogates.
hostile = st.builds(
    lambda prefix, text: prefix + text,
    st.sampled_from([*TRIGGERS, "=HYPERLINK(", "-2+3+cmd|' /C calc'!A0", ""]),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=25),
)
XML_REFUSES = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def kept(value: str):
    """What an XLSX cell reads back as: XML reads every line end as a line feed and carries no
    other control characters; an empty text is an empty cell."""
    return XML_REFUSES.sub("", value.replace("\r\n", "\n").replace("\r", "\n")) or None


def csv_kept(value: str) -> str:
    return "'" + value if value.startswith(TRIGGERS) else value


def sheets(content: bytes):
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        formulas = [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
        assert formulas == [], f"{sheet.title}: formulas in {formulas}"
    return workbook.worksheets


@pytest.fixture
def world(cohort):
    DepartureCeremonyFactory(cohort=cohort)
    plan = TrainingPlanFactory(cohort=cohort)
    module = ModuleFactory(plan=plan, kind=Module.Kind.BANJAR_CULTURE)
    SessionFactory(module=module)
    person = ParticipantFactory(
        cohort=cohort, status=Participant.Status.READY, education_level="", phone=""
    )
    CostItem.objects.create(
        program=cohort.program,
        cohort=cohort,
        category="airfare",
        payer="sponsor",
        amount=1,
        currency="IDR",
        rate_to_idr=1,
        amount_idr=1,
        date=datetime.date(2026, 2, 10),
        description="Tiket",
    )
    return cohort, plan, module, person


def typed(person, **fields) -> Participant:
    Participant.objects.filter(pk=person.pk).update(**fields)
    return Participant.objects.select_related("cohort__program", "origin").get(pk=person.pk)


@SETTINGS
@given(name=hostile, occupation=hostile, field=hostile, origin=hostile)
def test_the_participant_exports(world, name, occupation, field, origin):
    _cohort, _plan, _module, person = world
    Region.objects.filter(pk=person.origin_id).update(name=origin)
    typed(person, full_name=name, occupation=occupation, education_field=field)
    people = Participant.objects.filter(pk=person.pk).select_related("cohort", "origin")

    (sheet,) = sheets(exports.as_xlsx(people, reveal=True))
    row = [cell.value for cell in sheet[2]]
    assert (row[1], row[5], row[11], row[12]) == (
        kept(name),
        kept(origin),
        kept(field),
        kept(occupation),
    )

    text = exports.as_csv(people, reveal=True).decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(text, newline="")))[1]
    assert (row[1], row[5], row[11], row[12]) == tuple(
        csv_kept(v) for v in (name, origin, field, occupation)
    )


@SETTINGS
@given(name=hostile, surname=hostile, katakana=hostile, occupation=hostile, venue=hostile)
def test_the_ceremony_roster(world, name, surname, katakana, occupation, venue):
    cohort, _plan, _module, person = world
    typed(
        person,
        full_name=name,
        passport_surname=surname,
        name_katakana=katakana,
        occupation=occupation,
    )
    cohort.ceremony.__class__.objects.filter(pk=cohort.ceremony.pk).update(venue=venue)
    cohort.refresh_from_db()
    data = ceremony_pack.pack_data(cohort)
    (sheet,) = sheets(ceremony_pack.roster_xlsx(data))
    (printed,) = data["participants"]
    row = [cell.value for cell in sheet[6]]
    expected = ["name", "passport_name", "katakana", "occupation"]
    assert [row[2], row[3], row[4], row[8]] == [kept(printed[key]) for key in expected]
    assert sheet["A3"].value == kept(
        f"{data['ceremony']['date']}, {data['ceremony']['time']}, {venue}"
    )


@SETTINGS
@given(description=hostile, reference=hostile)
def test_the_cost_export(world, hr, description, reference):
    cohort, *_ = world
    CostItem.objects.update(description=description, reference=reference)
    client = Client()
    client.force_login(hr)
    response = client.get(reverse("participants:cohort_cost_export", args=[cohort.pk]))
    lines, _summary = sheets(response.content)
    assert (lines["J2"].value, lines["K2"].value) == (kept(description), kept(reference))


@SETTINGS
@given(origin=hostile)
def test_the_recap(world, origin):
    cohort, _plan, _module, person = world
    Region.objects.filter(pk=person.origin_id).update(name=origin)
    (sheet,) = sheets(recap_xlsx(Participant.objects.all(), title="Kaikoukai", subtitle="Per"))
    rows = list(sheet.iter_rows(values_only=True))
    origins = rows[rows.index(("KABUPATEN/KOTA ASAL", None, None)) + 2]
    assert origins == (1, kept(origin) or "—", 1)


@SETTINGS
@given(name=hostile, module_name=hostile)
def test_the_readiness_board(world, hr, name, module_name):
    cohort, _plan, module, person = world
    Module.objects.filter(pk=module.pk).update(name=module_name)
    people = [typed(person, full_name=name)]
    board = readiness_board(cohort, people, user=hr)
    (sheet,) = sheets(readiness_xlsx(cohort, board, on=datetime.date(2026, 2, 18)))
    header = [cell.value for cell in sheet[4]]
    row = [cell.value for cell in sheet[5]]
    assert row[2] == kept(name)
    assert header[7 + board["columns"].index(module_name)] == kept(module_name)
    assert row[-1] == kept("\n".join(board["rows"][0]["missing"]))


@SETTINGS
@given(name=hostile, module_name=hostile)
def test_the_attendance_by_module(world, name, module_name):
    cohort, plan, module, person = world
    Module.objects.filter(pk=module.pk).update(name=module_name)
    people = [typed(person, full_name=name)]
    (sheet,) = sheets(attendance_xlsx(cohort, plan, people, on=datetime.date(2026, 2, 18)))
    assert sheet["C5"].value == kept(name)
    assert sheet["E4"].value.startswith(kept(module_name) or "")
