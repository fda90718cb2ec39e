"""Properties of the NIK check over generated input: every real NIK passes, anything else is
refused with a message, and nothing raises."""

import datetime

from django.utils import translation
from hypothesis import example, given, settings
from hypothesis import strategies as st

from participants.nik import check_nik, normalise_nik

PROVINCES = frozenset({"63", "32", "11"})
REGENCIES = frozenset({"63.71", "63.03", "32.73", "11.01"})
FAST = settings(max_examples=100, deadline=None)

genders = st.sampled_from(["F", "M"])
birth_dates = st.dates(min_value=datetime.date(1940, 1, 1), max_value=datetime.date(2039, 12, 31))


@st.composite
def niks(draw, *, gender=None, birth_date=None):
    """A NIK as the civil registry issues it, for a person of that gender and birth date."""
    regency = draw(st.sampled_from(sorted(REGENCIES))).replace(".", "")
    district = draw(st.integers(1, 99))
    day = birth_date.day + (40 if gender == "F" else 0)
    serial = draw(st.integers(1, 9999))
    return f"{regency}{district:02d}{day:02d}{birth_date:%m%y}{serial:04d}"


def check(raw, **kwargs):
    with translation.override("en"):
        return check_nik(raw, province_codes=PROVINCES, regency_codes=REGENCIES, **kwargs)


@FAST
@given(st.data(), genders, birth_dates)
def test_every_real_nik_passes_for_its_owner(data, gender, birth_date):
    nik = data.draw(niks(gender=gender, birth_date=birth_date))
    result = check(nik, birth_date=birth_date, gender=gender)
    assert result.is_consistent, (nik, result.errors, result.problems)
    assert result.nik == nik


@FAST
@given(st.data(), genders, birth_dates, st.sampled_from([" ", ".", "-", "\u00a0"]))
def test_separators_typed_between_the_groups_change_nothing(data, gender, birth_date, sep):
    nik = data.draw(niks(gender=gender, birth_date=birth_date))
    typed = sep.join([nik[0:2], nik[2:4], nik[4:6], nik[6:12], nik[12:16]])
    assert normalise_nik(typed) == nik
    assert check(typed, birth_date=birth_date, gender=gender).is_consistent


@FAST
@given(st.text(max_size=40))
@example("²" * 16)  # digits to str.isdigit(), but not to int()
@example("٦٣٧١٠١٥٨٠٢٩٨٠٠٠١")  # Arabic-Indic digits
@example("６３７１０１５８０２９８０００１")  # full-width digits
@example("")
def test_any_text_gets_an_answer_and_never_an_exception(raw):
    result = check(raw)
    if result.is_valid:
        assert len(result.nik) == 16 and result.nik.isascii() and result.nik.isdigit()
        assert result.nik[0:2] in PROVINCES
    else:
        assert result.errors and all(isinstance(m, str) and m for m in result.errors)


@FAST
@given(st.text(alphabet=st.characters(exclude_characters=" .-\u00a0\t"), max_size=30))
def test_anything_but_sixteen_ascii_digits_is_refused(raw):
    if len(raw) == 16 and raw.isascii() and raw.isdigit():
        return
    result = check(raw)
    assert not result.is_valid
    assert result.errors


@FAST
@given(st.from_regex(r"[0-9]{16}", fullmatch=True))
def test_sixteen_digits_are_valid_only_with_a_province_a_date_and_a_serial(nik):
    result = check(nik)
    day, month = int(nik[6:8]), int(nik[8:10])
    birth_day = day - 40 if day > 40 else day
    try:
        datetime.date(2000, month, birth_day)
        real_date = True
    except ValueError:
        real_date = False
    expected = nik[0:2] in PROVINCES and real_date and nik[12:16] != "0000"
    assert result.is_valid == expected, (nik, result.errors)


@FAST
@given(st.data(), genders, birth_dates, birth_dates)
def test_a_nik_for_another_birth_date_is_a_problem_to_explain(data, gender, born, other):
    nik = data.draw(niks(gender=gender, birth_date=born))
    result = check(nik, birth_date=other, gender=gender)
    same_digits = (born.day, born.month, born.year % 100) == (
        other.day,
        other.month,
        other.year % 100,
    )
    assert result.is_valid
    assert result.is_consistent == same_digits
    if not same_digits:
        assert any("birth date" in problem for problem in result.problems)
