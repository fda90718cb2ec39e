import datetime

import pytest
from django.utils import translation

from participants.nik import check_nik, normalise_nik

PROVINCES = {"63", "32"}
REGENCIES = {"63.71", "63.03"}
BIRTH = datetime.date(1998, 2, 18)


def check(nik, **kwargs):
    with translation.override("en"):
        return check_nik(nik, province_codes=PROVINCES, regency_codes=REGENCIES, **kwargs)


def test_a_womans_nik_that_agrees_with_her_data_passes():
    result = check("6371015802980001", birth_date=BIRTH, gender="F")
    assert result.is_consistent
    assert result.regency_code == "63.71"


def test_a_mans_nik_has_the_plain_day():
    assert check("6371011802980001", birth_date=BIRTH, gender="M").is_consistent


def test_spaces_and_dots_typed_between_groups_are_dropped():
    assert normalise_nik("63.71.01 580298 0001") == "6371015802980001"


@pytest.mark.parametrize(
    ("nik", "message"),
    [
        ("637101580298001", "exactly 16 digits; this one has 15"),
        ("63710158029800012", "exactly 16 digits; this one has 17"),
        ("63710158O2980001", "only digits"),
        ("9971015802980001", "Digits 1–2 (99) are not a province code"),
        ("6371013202980001", "Digits 7–12 (320298) are not a date of birth"),
        ("6371017202980001", "Digits 7–12 (720298) are not a date of birth"),
        ("6371011813980001", "Digits 7–12 (181398) are not a date of birth"),
        ("6371013002980001", "Digits 7–12 (300298) are not a date of birth"),
        ("6371015802980000", "serial number) cannot be 0000"),
    ],
)
def test_format_errors_are_refused_with_the_reason(nik, message):
    result = check(nik)
    assert not result.is_valid
    assert message in " ".join(result.errors)


def test_29_february_is_a_possible_date():
    assert check("6371012902000001").is_valid


def test_an_unknown_regency_is_a_problem_not_an_error():
    result = check("6399015802980001", birth_date=BIRTH, gender="F")
    assert result.is_valid and not result.is_consistent
    assert result.problems == [
        "Digits 1–4 (63.99) are not a known regency or city: it may be an old code."
    ]


def test_date_digits_that_disagree_with_the_birth_date_are_explained():
    result = check("6371015802990001", birth_date=BIRTH, gender="F")
    assert result.problems == [
        "Digits 7–12 (580299) give the birth date 18-02-99, but the birth date is 18-02-1998."
    ]


def test_a_womans_nik_without_the_plus_40_is_explained():
    result = check("6371011802980001", birth_date=BIRTH, gender="F")
    assert result.problems == ["For a woman the day in digits 7–8 is raised by 40 (58, not 18)."]


def test_a_mans_nik_with_the_plus_40_is_explained():
    result = check("6371015802980001", birth_date=BIRTH, gender="M")
    assert "for a man" in result.problems[0]


def test_every_inconsistency_is_listed_part_by_part():
    result = check("6399011802990001", birth_date=BIRTH, gender="F")
    assert len(result.problems) == 3
