"""Hostile input against this round's scale work: the import saved with COPY, the bounded
count of searched lists, and the contract spans behind the person-years."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from openpyxl import Workbook

from delegation import spreadsheets
from participants import import_copy, importer, listing
from participants.models import (
    Contract,
    ContractSpan,
    Document,
    Participant,
    contract_days,
    contract_end,
    read_tally,
)
from tests.conftest import require
from tests.factories import ParticipantFactory, make_nik
from tests.participants.data import listed
from tests.participants.test_import_copy import (
    FULL,
    forget_everyone,
    person,
    saved_state,
)

pytestmark = pytest.mark.django_db
URL = "/participants/"


@pytest.fixture
def _postgresql():
    if connection.vendor != "postgresql":
        require("DATABASE_URL is not PostgreSQL: only PostgreSQL saves an import with COPY")


# ---- The import saved with COPY ------------------------------------------------------------

EMOJI = "\U0001f600"
HOSTILE = [
    {"full_name": "Tab\there and\r\nline\nbreak", "occupation": "back\\slash \\\\ two"},
    {"full_name": "\\N", "birth_place": "\\.", "occupation": "\\N", "ktp_street": "\\."},
    {"full_name": '=HYPERLINK("http://x")', "birth_place": "+62", "occupation": "-1+1"},
    {"full_name": "@SUM(A1)", "ktp_village": "=1+2", "domicile_street": "\\\t\\"},
    {"full_name": "Siti \u202eharmaR\u202c \u200bZero\u200d\ufeff", "occupation": EMOJI + " 🇮🇩"},
    {"full_name": "O'Brien \"quoted\" '; -- DROP TABLE x", "occupation": "%_ like"},
    {"email": "siti@exämple.org", "ktp_district": "Ünïcödé 日本語", "education": "S1 ١٢٣"},
    {"phone": "0812 3456 7890", "passport_number": "c\\n12"},
    # Exactly at each column's length, in characters (an emoji is one).
    {
        "full_name": EMOJI * 200,
        "birth_place": "y" * 100,
        "occupation": "\\" * 100,
        "ktp_street": "é" * 200,
        "ktp_village": "v" * 100,
        "domicile_district": "d" * 100,
        "email": "a" * 64 + "@" + ("b" * 63 + ".") * 2 + "c" * 59,
        "passport_number": "P" * 100,
        "education": "D3 " + "k" * 100,
    },
]


def quoted_csv(rows: list[dict], columns: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue().encode()


def workbook(rows: list[dict], columns: list[str]) -> bytes:
    """Every cell a text cell (never a formula), as the template keeps them."""
    book = Workbook()
    sheet = book.active
    for index, name in enumerate(columns, start=1):
        spreadsheets.put(sheet, 1, index, name, text=True)
    for number, row in enumerate(rows, start=2):
        for index, name in enumerate(columns, start=1):
            spreadsheets.put(sheet, number, index, row.get(name, ""), text=True)
    return spreadsheets.workbook_bytes(book)


def hostile_rows(extra: list[dict] = ()) -> list[dict]:
    return [person(i + 1, **cells) for i, cells in enumerate([*HOSTILE, *extra])]


def both_ways(content: bytes, name: str, *, cohort, hr, settings) -> list:
    """Import ``content`` through the ORM, then (everything forgotten) by COPY: what each
    stored, field by field, must be the same."""
    kept = {}
    for copy in (False, True):
        settings.PARTICIPANT_IMPORT_COPY = copy
        result = importer.check_file(io.BytesIO(content), name)
        assert result.ok, [(e.line, e.column, e.message) for e in result.errors]
        importer.save_rows(result.rows, cohort=cohort, by=hr)
        kept[copy] = saved_state()
        if not copy:
            forget_everyone()
    assert kept[True] == kept[False]
    return kept[True]["participants"]


def test_hostile_csv_cells_are_stored_by_copy_as_the_orm_stores_them(
    _postgresql, cohort, hr, settings
):
    stored = both_ways(
        quoted_csv(hostile_rows(), FULL), "p.csv", cohort=cohort, hr=hr, settings=settings
    )
    names = {row["full_name"] for row in stored}
    # What the cells said, their runs of white space made one space, nothing else changed.
    assert "Tab here and line break" in names and "\\N" in names and EMOJI * 200 in names
    assert '=HYPERLINK("http://x")' in names and "O'Brien \"quoted\" '; -- DROP TABLE x" in names
    assert {row["occupation"] for row in stored} >= {"back\\slash \\\\ two", "\\N", "\\" * 100}
    assert "\\ \\" in {row["domicile_street"] for row in stored}
    assert Document.objects.filter(number="C\\N12").exists()
    assert "+6281234567890" in {row["phone"] for row in stored}


def test_hostile_xlsx_cells_are_stored_by_copy_as_the_orm_stores_them(
    _postgresql, cohort, hr, settings
):
    stored = both_ways(
        workbook(hostile_rows(), FULL), "p.xlsx", cohort=cohort, hr=hr, settings=settings
    )
    names = {row["full_name"] for row in stored}
    assert "\\N" in names and '=HYPERLINK("http://x")' in names and EMOJI * 200 in names


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("full_name", EMOJI * 201),
        ("birth_place", "y" * 101),
        ("occupation", "\\" * 101),
        ("ktp_street", "é" * 201),
        ("passport_number", "P" * 101),
        ("education", "D3 " + "k" * 101),
        ("phone", "0812345678901234"),
        ("email", "siti@@example.org"),
        ("ktp_rt_rw", "003/0055"),
        ("ktp_postal_code", "702345"),
        ("nik", "63710158029800011"),
        ("nik", "637101580298000"),
        ("nik", "６３７１０１５８０２９８０００１"),
    ],
)
@pytest.mark.parametrize("name", ["p.csv", "p.xlsx"])
def test_one_cell_past_its_limit_saves_nobody_of_the_file(_postgresql, column, value, name):
    rows = hostile_rows([{column: value}])
    content = quoted_csv(rows, FULL) if name.endswith(".csv") else workbook(rows, FULL)
    result = importer.check_file(io.BytesIO(content), name)
    assert {(e.line, e.column) for e in result.errors} == {(len(rows) + 1, column)}
    assert not result.ok and not Participant.objects.exists()


def test_a_nik_twice_in_the_file_and_one_already_registered_are_row_errors(_postgresql):
    ParticipantFactory(nik=person(3)["nik"])
    rows = [person(1), person(2), person(1, full_name="Again"), person(3)]
    result = importer.check_file(io.BytesIO(quoted_csv(rows, FULL)), "p.csv")
    assert [(e.line, e.column) for e in result.errors] == [(4, "nik"), (5, "nik")]


def test_a_failure_after_the_participants_are_inserted_leaves_nothing(
    _postgresql, cohort, hr, settings, monkeypatch
):
    settings.PARTICIPANT_IMPORT_COPY = True
    result = importer.check_file(io.BytesIO(quoted_csv(hostile_rows(), FULL)), "p.csv")
    assert result.ok
    before = read_tally().count

    def broken(cursor, **kwargs):
        raise ValidationError("the passports could not be written")

    monkeypatch.setattr(import_copy, "_insert_passports", broken)
    with pytest.raises(ValidationError):
        importer.save_rows(result.rows, cohort=cohort, by=hr)
    assert not Participant.objects.exists() and not Participant.history.model.objects.exists()
    assert read_tally().count == before == 0
    # The staging table went with the transaction: the next import works.
    monkeypatch.undo()
    settings.PARTICIPANT_IMPORT_COPY = True
    assert len(importer.save_rows(result.rows, cohort=cohort, by=hr)) == len(HOSTILE)


def test_an_import_past_the_quota_by_copy_saves_nobody(_postgresql, cohort, hr, settings):
    settings.PARTICIPANT_IMPORT_COPY = True
    cohort.quota = len(HOSTILE) - 1
    cohort.save()
    result = importer.check_file(io.BytesIO(quoted_csv(hostile_rows(), FULL)), "p.csv")
    with pytest.raises(ValidationError):
        importer.save_rows(result.rows, cohort=cohort, by=hr)
    assert not Participant.objects.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\xef\xbb\xbf",
        ",".join(FULL).encode(),
        "\ufeff".encode() + ",".join(FULL).encode() + b"\r\n",
        ",".join(FULL).encode() + b"\n" + "Sïti,".encode("cp1252"),
        b"\x00" * 10,
    ],
    ids=["empty", "bom only", "header only", "bom and header", "windows-1252", "nul bytes"],
)
def test_a_file_without_rows_is_refused_with_a_message(content):
    result = importer.check_file(io.BytesIO(content), "p.csv")
    assert not result.ok and not result.rows
    assert result.errors[0].message and result.errors[0].line in (0, 1)


def test_a_file_of_200000_rows_is_refused_at_the_cap(monkeypatch):
    line = ",".join(["a"] * 6) + "\n"
    content = ("full_name,nik,gender,birth_date,origin_regency,track\n" + line * 200_000).encode()
    assert len(content) < importer.MAX_IMPORT_BYTES  # the row cap, not the size, refuses it
    result = importer.check_file(io.BytesIO(content), "p.csv")
    assert [e.line for e in result.errors] == [0]
    assert "50.000" in result.errors[0].message or "50,000" in result.errors[0].message


# ---- The list: pages and search texts ------------------------------------------------------


@pytest.fixture
def crowd(monkeypatch):
    monkeypatch.setattr(listing, "COUNT_BOUND", 30)
    return [ParticipantFactory(full_name=f"Siti Rahma {n:02d}") for n in range(33)]


PAGES = ["-1", "0", str(10**30), "abc", "1e3", "", "2.5", "１", "٣", "9" * 40, "NaN", "inf"]
TEXTS = ["%", "_", "\\", "'", '"', "'; --", "%%_\\", " " * 50, "a" * 100, "ra_ma", "\\%", "%s"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("narrowed", [False, True], ids=["everyone", "searched"])
def test_any_page_number_gives_a_page(client, hr, crowd, page, narrowed):
    client.force_login(hr)
    if narrowed:
        client.post(URL, {"q": "rahma"})
    response = client.get(URL, {"page": page})
    assert response.status_code == 200
    assert listed(response)


def test_a_nul_in_the_page_number_is_a_bad_request(client, hr, crowd):
    client.force_login(hr)
    assert client.get(URL, {"page": "1\x00"}).status_code == 400


@pytest.mark.parametrize("text", TEXTS)
def test_search_texts_are_plain_text(client, hr, crowd, text):
    odd = ParticipantFactory(full_name=f"Odd {text} name")
    client.force_login(hr)
    client.post(URL, {"q": text})
    for params in ({}, {"page": "2"}, {"ordering": "-name"}, {"gender": "F"}, {"ordering": "nik"}):
        response = client.get(URL, params)
        assert response.status_code == 200, (text, params)
    if text.strip():
        assert (
            odd.pk in listed(client.get(URL, {"page": "1"}))
            or client.get(URL, {"page": "2"}).context["page"].paginator.more
        )


@pytest.mark.parametrize("text", ["a\x00b", "x" * 10_000])
def test_a_search_text_the_form_refuses_changes_nothing(client, hr, crowd, text):
    client.force_login(hr)
    client.post(URL, {"q": "rahma"})
    assert client.post(URL, {"q": text}).status_code == 302
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["page"].paginator.more  # still the earlier search


@pytest.mark.parametrize("ordering", ["nik", "-birth_date", "phone", "pk", "full_name", "name,nik"])
def test_sorting_by_what_the_list_does_not_offer_is_ignored(client, hr, crowd, ordering):
    client.force_login(hr)
    client.post(URL, {"q": "rahma"})
    response = client.get(URL, {"ordering": ordering})
    assert response.status_code == 200
    plain = client.get(URL)
    assert listed(response) == listed(plain) or ordering == "full_name"


@pytest.mark.parametrize("user", ["coordinator", "instructor"])
def test_a_nik_searched_by_who_may_not_reveal_finds_nobody_and_says_nothing(
    client, assigned, cohort, request, user
):
    born = datetime.date(1998, 2, 18)
    known = make_nik(born, "F", serial=7)
    ParticipantFactory(cohort=cohort, nik=known, full_name="Siti Rahmah")
    ParticipantFactory.create_batch(3, cohort=cohort)
    unknown = make_nik(born, "F", serial=8)
    client.force_login(request.getfixturevalue(user))
    pages = {}
    for text in (known, unknown, known[:8], unknown[:6] + "99"):
        client.post(URL, {"q": text})
        response = client.get(URL)
        assert response.status_code == 200
        assert listed(response) == []
        page = response.context["page"]
        pages[text] = (page.paginator.count, page.paginator.more, response.content.count(b"<tr"))
    assert len(set(pages.values())) == 1, pages


# ---- Contract spans, person-years and the dashboard ----------------------------------------


def _contract(participant, start, *, ended_on=None):
    return Contract.objects.create(
        participant=participant,
        employer="Kaikoukai",
        start_date=start,
        term_years=3,
        end_date=contract_end(start, 3),
        ended_on=ended_on,
        status=Contract.Status.COMPLETED if ended_on else Contract.Status.ACTIVE,
    )


def test_a_contract_span_cannot_be_added_changed_or_deleted_in_the_admin(
    _postgresql, admin_client, cohort
):
    _contract(ParticipantFactory(cohort=cohort), datetime.date(2025, 1, 1))
    span = ContractSpan.objects.get()
    changelist = reverse("admin:participants_contractspan_changelist")
    assert admin_client.get(changelist).status_code == 200
    change = reverse("admin:participants_contractspan_change", args=[span.pk])
    delete = reverse("admin:participants_contractspan_delete", args=[span.pk])
    assert admin_client.post(change, {"n": "1000", "start_date": "2000-01-01"}).status_code == 403
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert admin_client.get(reverse("admin:participants_contractspan_add")).status_code == 403
    admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [span.pk], "post": "yes"}
    )
    assert list(ContractSpan.objects.values_list("n", "start_date")) == [
        (1, datetime.date(2025, 1, 1))
    ]


def test_a_contract_ending_before_it_starts_is_refused_by_the_database(_postgresql, cohort):
    from django.db import IntegrityError, transaction

    person_ = ParticipantFactory(cohort=cohort)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.create(
            participant=person_,
            employer="K",
            start_date=datetime.date(2025, 1, 1),
            term_years=1,
            end_date=datetime.date(2024, 12, 31),
        )
    assert not ContractSpan.objects.exists()


def test_a_contract_ended_before_it_started_counts_no_days(_postgresql, cohort):
    from welfare.figures import _contract_days

    person_ = ParticipantFactory(cohort=cohort)
    _contract(person_, datetime.date(2025, 1, 10), ended_on=datetime.date(2025, 1, 1))
    today = datetime.date(2026, 1, 1)
    assert contract_days(today=today) == 0 == _contract_days(Participant.objects.all(), today=today)


@pytest.mark.parametrize("who", ["coordinator", "instructor", "leadership"])
def test_a_user_with_no_programme_or_batch_gets_a_dashboard_of_nobody(
    _postgresql, client, cohort, request, who, settings
):
    settings.DASHBOARD_CACHE_SECONDS = 0
    _contract(ParticipantFactory(cohort=cohort), datetime.date(2025, 1, 1))
    client.force_login(request.getfixturevalue(who))  # not assigned to anything
    for params in ({}, {"year": "2026"}, {"program": cohort.program.slug}, {"year": "abc"}):
        response = client.get(reverse("dashboard"), params)
        assert response.status_code == 200, params
        welfare = response.context["figures"]["welfare"]
        assert welfare is None or welfare.person_years == 0
        assert response.context["figures"]["registered"] == 0


def test_person_years_follow_transfers_bulk_edits_and_deletions_on_the_dashboard(
    _postgresql, client, hr, cohort, settings
):
    from tests.factories import CohortFactory
    from welfare.figures import person_years

    settings.DASHBOARD_CACHE_SECONDS = 0
    other = CohortFactory(program=cohort.program, number=9, year=2024)
    people = [ParticipantFactory(cohort=cohort) for _n in range(3)]
    for n, someone in enumerate(people):
        _contract(someone, datetime.date(2024, 1, 1 + n))
    Participant.objects.filter(pk=people[0].pk).update(cohort=other)
    Contract.objects.filter(participant__in=people[1:]).update(ended_on=datetime.date(2024, 6, 30))
    Contract.objects.filter(participant=people[2]).delete()
    people[2].delete()
    today = datetime.date(2026, 1, 1)
    for ids, queryset in (
        ([cohort.pk], Participant.objects.filter(cohort=cohort)),
        ([other.pk], Participant.objects.filter(cohort=other)),
        ([], Participant.objects.none()),
    ):
        # The spans answer as the contracts summed one by one answer.
        spans = person_years(queryset, today=today, cohort_ids=ids)
        assert spans == person_years(queryset.filter(pk__gte=0), today=today), ids
    assert person_years(Participant.objects.filter(cohort=cohort), today=today) > 0
    client.force_login(hr)
    response = client.get(reverse("dashboard"), {"program": cohort.program.slug})
    assert response.status_code == 200
