"""Paging for the list pages: one page size, and links that keep the filters."""

from __future__ import annotations

from django.core.paginator import Page
from django.core.paginator import Paginator as DjangoPaginator

PAGE_SIZE = 25


class Paginator(DjangoPaginator):
    # True when there are more items than ``count``, which the pages then stop at (a list
    # counted only up to a bound): its last page is not the end.
    more = False


def paginate(
    request, items, per_page: int = PAGE_SIZE, *, count: int | None = None, more: bool = False
) -> Page:
    """The page the request asks for; a missing or bad number gives the first or last.

    ``count``, when the caller knows how many items there are, spares counting them;
    with ``more``, there are more than ``count`` and the pages go no further.
    """
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count
    paginator.more = more
    return paginator.get_page(request.GET.get("page"))


def query_string_without_page(request) -> str:
    """The request's filters and sorting, for the pager's links to carry on."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
