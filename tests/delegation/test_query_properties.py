"""Whatever a user types into a filter or the address bar, a list page answers without a 500."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from delegation.querystring import whole_number
from tests.conftest import examples

# The list pages and the query parameters each one reads.
FILTERS = [
    ("dashboard", "year"),
    ("dashboard", "program"),
    ("participants:contract_list", "cohort"),
    ("participants:contract_list", "ending"),
    ("participants:participant_list", "cohort"),
    ("participants:participant_list", "status"),
    ("participants:participant_list", "page"),
    ("participants:monitoring", "cohort"),
    ("training:non_teaching_days", "year"),
    ("cohorts:cohort_list", "q"),
    ("cohorts:cohort_list", "program"),
    ("cohorts:program_list", "q"),
    ("participants:participant_create", "cohort"),
]

typed = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["²", "٣", "１２", "1e5", "0", "-1", "99999", "2026 ", "\x00"]),
)


@pytest.mark.django_db
@settings(
    max_examples=examples(100),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(page_and_param=st.sampled_from(FILTERS), value=typed)
@example(page_and_param=("dashboard", "year"), value="²")
@example(page_and_param=("participants:contract_list", "cohort"), value="abc")
@example(page_and_param=("participants:contract_list", "cohort"), value="1e5")
@example(page_and_param=("participants:contract_list", "ending"), value="²")
@example(page_and_param=("training:non_teaching_days", "year"), value="0")
@example(page_and_param=("training:non_teaching_days", "year"), value="99999999999")
@example(page_and_param=("cohorts:cohort_list", "q"), value="²")
def test_a_filter_value_never_breaks_a_list_page(admin_user, page_and_param, value):
    page, param = page_and_param
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    response = client.get(reverse(page), {param: value})
    assert response.status_code < 500, (page, param, value)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("2026", 2026),
        (" 7 ", 7),
        ("", None),
        (None, None),
        ("²", None),
        ("٣", None),
        ("1e5", None),
        ("-1", None),
        ("10000", None),
        ("0", None),
    ],
)
def test_a_whole_number_is_read_only_from_ascii_digits_in_range(text, number):
    assert whole_number(text, minimum=1, maximum=9999) == number


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "param"), FILTERS)
def test_a_nul_character_in_the_address_is_a_bad_request(admin_user, page, param):
    """PostgreSQL refuses NUL in a query: the request is refused before any view runs."""
    client = Client()
    client.force_login(admin_user)
    assert client.get(reverse(page), {param: "a\x00b"}).status_code == 400
    assert client.get(reverse(page), {"a\x00b": "1"}).status_code == 400


@pytest.mark.django_db
def test_a_nul_character_in_a_path_is_a_bad_request(client):
    assert client.get("/verify/abc%00def/").status_code == 400
