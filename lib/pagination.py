"""One way to split a list into pages: the page number travels as ``?seite=``, every other parameter
(filters, sort order) stays in the links of ``templates/includes/pagination.html``."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_PARAMETER = "seite"


def paginate(request: HttpRequest, items: Any, per_page: int, *, by_key: bool = False) -> tuple[Page[Any], str]:
    """The requested page of ``items`` and the query string of the other parameters.

    A page number that is not a number, or below 1, gives the first page, one past the end the last one,
    so an old bookmark or an edited link still lands on a list rather than on an error.

    ``by_key`` (for long lists of wide rows): the page is first found by primary keys alone, which an
    index can answer without reading the rows it skips, and then only the page's rows are read, with
    the queryset's joins and prefetches."""
    number = page_number(request)
    if by_key:
        page = Paginator(items.values_list("pk", flat=True), per_page).get_page(number)
        page.object_list = _rows_in_order(items, list(page.object_list))
    else:
        page = Paginator(items, per_page).get_page(number)
    return page, other_parameters(request)


def page_number(request: HttpRequest) -> int:
    """The requested page: 1 when ``?seite=`` is missing, not a number, or below 1."""
    try:
        return max(int(request.GET.get(PAGE_PARAMETER, "1")), 1)
    except ValueError:
        return 1


def other_parameters(request: HttpRequest) -> str:
    """The query string without the page number, for links to the other pages of the same list."""
    query = request.GET.copy()
    query.pop(PAGE_PARAMETER, None)
    return query.urlencode()


def _rows_in_order(items: QuerySet[Any], keys: list[Any]) -> list[Any]:
    rows = {row.pk: row for row in items.filter(pk__in=keys)} if keys else {}
    return [rows[key] for key in keys if key in rows]
