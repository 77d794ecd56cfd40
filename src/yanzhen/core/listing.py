"""The one list component of the app (若依/dvadmin-style lists): sortable column headers, page sizes 20/50/100,
jump to page, the total count, and every filter, the sort and the page kept in the querystring.

A list declares once, at module level, which columns sort and how:

    PEOPLE = ListSpec(
        sorts={"name": ("name_pinyin",), "age": ("-birth_date",)},   # ORM order_by, ascending direction
        default_sort="name",                                         # or None: keep the data's own order
    )

and its view calls `listing = PEOPLE.page(request, queryset)`; the template draws the headers with
`{% sort_th listing "name" _("Name") %}` and the pager with `{% list_pager listing %}` (`core.templatetags.
listing`). An export calls `PEOPLE.order(request, queryset)` so that it holds the rows in the list's order,
and `selected_ids(request)` for "export the selected rows".

The data may be a queryset (the sorts are `order_by` terms; descending flips each; `tiebreak` is appended so
equal values keep one stable order across pages) or a list of rows computed in Python (the sorts are key
functions; Python's sort is stable, so equal values keep the list's own order, and empty values stay last
both ways). A sort key outside the whitelist, a page size outside 20/50/100 or a page that is not a number
fall back to the defaults: a hand-edited URL never answers 500.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import QueryDict

SORT_PARAM = "sort"
PAGE_PARAM = "page"
PAGE_SIZE_PARAM = "page_size"
SELECTED_PARAM = "selected"
PAGE_SIZES = (20, 50, 100)

# An ORM sort is a sequence of order_by terms; a Python sort a key function of the row.
SortSpec = Sequence[str] | Callable[[Any], Any]


def _flip(term: str) -> str:
    return term[1:] if term.startswith("-") else f"-{term}"


def _page_number(raw: str) -> int:
    """The page asked for: a number from 1 (0 or a negative one or no number is page 1; past the end, the
    paginator answers the last page)."""
    raw = (raw or "").strip()
    return max(int(raw), 1) if raw.isdigit() and len(raw) < 10 else 1


def selected_ids(request, param: str = SELECTED_PARAM) -> list[int]:
    """The ids of the rows ticked in the list (`?selected=1&selected=7`), numbers only, at most 5000.

    They narrow a query that is already restricted to the user's jurisdiction, so an id outside it simply
    selects nothing."""
    ids = []
    for value in request.GET.getlist(param)[:5000]:
        if value.isdigit() and len(value) < 19:
            ids.append(int(value))
    return ids


def only_selected(rows: list, chosen: list[int], id_of: Callable[[Any], int]) -> list:
    """The rows computed in Python whose id (`id_of(row)`) is among the ticked ones (`selected_ids`), all
    rows when none is ticked."""
    if not chosen:
        return rows
    wanted = set(chosen)
    return [row for row in rows if id_of(row) in wanted]


@dataclass(frozen=True)
class ListSpec:
    """What a list allows: its sortable columns, the default sort, the page sizes."""

    sorts: Mapping[str, SortSpec]
    default_sort: str | None = None
    tiebreak: Sequence[str] = ("pk",)
    page_sizes: Sequence[int] = PAGE_SIZES
    default_page_size: int = field(default_factory=lambda: settings.PAGE_SIZE)

    def __post_init__(self):
        if self.default_sort is not None and self.default_sort.lstrip("-") not in self.sorts:
            raise ValueError(f"default sort {self.default_sort!r} is not one of the sortable columns")

    def sort_of(self, params: QueryDict) -> tuple[str | None, bool]:
        """(column key, descending) asked for in the query, or the default when it names no sortable column."""
        raw = params.get(SORT_PARAM, "") or ""
        key = raw.lstrip("-")
        if raw.count("-") <= 1 and key in self.sorts:
            return key, raw.startswith("-")
        if self.default_sort is None:
            return None, False
        return self.default_sort.lstrip("-"), self.default_sort.startswith("-")

    def page_size_of(self, params: QueryDict) -> int:
        raw = params.get(PAGE_SIZE_PARAM, "")
        if raw.isdigit() and int(raw) in self.page_sizes:
            return int(raw)
        return self.default_page_size

    def order(self, request, data):
        """The data in the order the query asks for: what the list shows, and what its export writes."""
        key, descending = self.sort_of(request.GET)
        if key is None:
            return data
        spec = self.sorts[key]
        if isinstance(data, QuerySet):
            terms = [_flip(term) if descending else term for term in cast(Sequence[str], spec)]
            return data.order_by(*terms, *self.tiebreak)
        key_of = cast(Callable[[Any], Any], spec)
        keyed = [(key_of(row), row) for row in data]  # each key computed once (a pinyin is not free)
        present = [pair for pair in keyed if pair[0] is not None and pair[0] != ""]
        empty = [row for key, row in keyed if key is None or key == ""]
        present.sort(key=lambda pair: pair[0], reverse=descending)
        return [row for _key, row in present] + empty

    def page(self, request, data) -> Listing:
        """One page of the ordered data, with what the headers and the pager need."""
        key, descending = self.sort_of(request.GET)
        page_size = self.page_size_of(request.GET)
        paginator = Paginator(self.order(request, data), page_size)
        page = paginator.get_page(_page_number(request.GET.get(PAGE_PARAM, "")))
        return Listing(
            page=page,
            params=request.GET.copy(),
            sort=key,
            descending=descending,
            page_size=page_size,
            page_sizes=tuple(self.page_sizes),
            sortable=frozenset(self.sorts),
        )


@dataclass
class Listing:
    """One page of a list as the templates see it. `rows` may be replaced by the view (rows computed for
    display from the page's records); `page.paginator.count` stays the total."""

    page: Page
    params: QueryDict
    sort: str | None
    descending: bool
    page_size: int
    page_sizes: tuple[int, ...]
    sortable: frozenset[str]
    rows: list = field(default_factory=list)

    def __post_init__(self):
        if not self.rows:
            self.rows = list(self.page.object_list)

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def num_pages(self) -> int:
        return self.page.paginator.num_pages

    @property
    def filtered(self) -> bool:
        """Whether a filter is set (not only the sort, page or page size): a phone then shows the filters open."""
        listing_params = {SORT_PARAM, PAGE_PARAM, PAGE_SIZE_PARAM, SELECTED_PARAM}
        return any(
            value.strip()
            for name, values in self.params.lists()
            if name not in listing_params
            for value in values
        )

    def query(self, **changes) -> str:
        """The current querystring with some parameters changed (None removes one), without its "?"."""
        params = self.params.copy()
        params.pop(SELECTED_PARAM, None)
        for name, value in changes.items():
            params.pop(name, None)
            if value is not None:
                params[name] = str(value)
        return params.urlencode()

    def url(self, **changes) -> str:
        query = self.query(**changes)
        return f"?{query}" if query else "?"

    def filter_query(self) -> str:
        """The filters and the sort without the page: what an export link carries."""
        return self.query(**{PAGE_PARAM: None, PAGE_SIZE_PARAM: None})

    def sort_url(self, key: str) -> str:
        """The link of a column header: ascending first, then the other way; back to page 1."""
        descending = self.sort == key and not self.descending
        return self.url(**{SORT_PARAM: f"-{key}" if descending else key, PAGE_PARAM: None})

    def page_url(self, number: int) -> str:
        return self.url(**{PAGE_PARAM: number})

    def hidden_fields(self, *excluded: str) -> list[tuple[str, str]]:
        """The current query as (name, value) pairs for the hidden inputs of a GET form (page size, jump,
        bulk actions), without the parameters that form sets itself."""
        dropped = {*excluded, SELECTED_PARAM}
        return [
            (name, value) for name, values in self.params.lists() if name not in dropped for value in values
        ]

    def page_links(self, around: int = 2) -> list[int | None]:
        """The page numbers to show: the first, the last and those around the current one; None for "…"."""
        current, last = self.page.number, self.num_pages
        shown = sorted({1, last, *range(max(1, current - around), min(last, current + around) + 1)})
        links: list[int | None] = []
        for number in shown:
            if links and number - links[-1] > 1:
                links.append(None)
            links.append(number)
        return links
