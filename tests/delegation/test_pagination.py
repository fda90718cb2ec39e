from django.test import RequestFactory

from delegation.pagination import paginate, query_string_without_page


def test_the_pager_keeps_filters_and_sorting_but_not_the_page():
    request = RequestFactory().get("/", {"status": "working", "sort": "-year", "page": "3"})
    assert query_string_without_page(request) == "status=working&sort=-year"


def test_a_page_number_out_of_range_or_not_a_number_still_gives_a_page():
    items = list(range(60))
    assert paginate(RequestFactory().get("/", {"page": "9"}), items).number == 3
    assert paginate(RequestFactory().get("/", {"page": "x"}), items).number == 1
    assert list(paginate(RequestFactory().get("/", {"page": "2"}), items, 50)) == items[50:]
