"""/reserves/ at county scale: the board (看板) and the table (列表), one click apart and kept in the URL
(`view`), with the same filters (township, village, search). The board shows the states in progress as
columns that scroll on their own and the finished states as counts linking to the table; the table is
sortable and paged, and its ticked rows go to the 公示 (`views.notice_start`) or to an xlsx export.

Without `view` the page carries both and CSS picks by the screen: the table on a phone (≤ 576 px), the
board elsewhere, so a phone needs no second request to get its default."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from urllib.parse import quote, urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from yanzhen.accounts.roles import Role
from yanzhen.candidacies import selectors, workflow
from yanzhen.candidacies.models import Candidacy, CandidacyState
from yanzhen.core import audit
from yanzhen.core.models import AuditAction
from yanzhen.divisions.codes import CODE_LENGTH, Level

State = CandidacyState
VIEWS = ("board", "list")
PAGE_SIZES = (20, 50, 100)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The list's columns: (order key or "" when it does not sort, label).
LIST_COLUMNS = [
    ("name", _("full name")),
    ("village", _("village")),
    ("", _("target posts")),
    ("state", _("state")),
    ("readiness", _("readiness")),
    ("nominated_on", _("nominated on")),
    ("entered_pool_on", _("entered the pool on")),
]


@dataclass
class Filters:
    """The query of /reserves/: which view, where, what, in which order, which page."""

    view: str = ""
    township: str = ""
    village: str = ""
    state: str = ""
    q: str = ""
    order: str = selectors.DEFAULT_LIST_ORDER
    page: str = "1"
    size: int = PAGE_SIZES[0]

    @classmethod
    def from_query(cls, query) -> Filters:
        township = "".join(c for c in query.get("township", "") if c.isdigit())[:9]
        village = "".join(c for c in query.get("village", "") if c.isdigit())[:12]
        within = "".join(c for c in query.get("in", "") if c.isdigit())[:12]  # older links: one code
        if within and not (township or village):
            township = within[: CODE_LENGTH[Level.TOWNSHIP]] if len(within) >= 9 else ""
            village = within if len(within) == 12 else ""
        if village and not village.startswith(township):
            village = ""
        state = query.get("state", "")
        view = query.get("view", "")
        order = query.get("order", "")
        try:
            size = int(query.get("size", PAGE_SIZES[0]))
        except ValueError:
            size = PAGE_SIZES[0]
        return cls(
            view=view if view in VIEWS else "",
            township=township,
            village=village,
            state=state if state in State.values else "",
            q=query.get("q", "").strip()[:50],
            order=order if order.lstrip("-") in selectors.LIST_ORDERINGS else selectors.DEFAULT_LIST_ORDER,
            page=query.get("page", "1"),
            size=size if size in PAGE_SIZES else PAGE_SIZES[0],
        )

    def hidden(self, *names: str) -> list[tuple[str, str]]:
        """(name, value) of the given parameters that are set, for a form's hidden inputs."""
        values = {name: str(getattr(self, name)) for name in names}
        if values.get("order") == selectors.DEFAULT_LIST_ORDER:
            values.pop("order")
        if values.get("size") == str(PAGE_SIZES[0]):
            values.pop("size")
        return [(name, value) for name, value in values.items() if value]

    @property
    def within(self) -> str:
        return self.village or self.township

    def url(self, **changes) -> str:
        """This query with some values changed, as "?…" (defaults left out, so URLs stay short)."""
        values = {
            "view": self.view,
            "township": self.township,
            "village": self.village,
            "state": self.state,
            "q": self.q,
            "order": self.order if self.order != selectors.DEFAULT_LIST_ORDER else "",
            "size": self.size if self.size != PAGE_SIZES[0] else "",
            "page": self.page if self.page != "1" else "",
        }
        values.update(changes)
        return "?" + urlencode({key: value for key, value in values.items() if value not in ("", None)})


def _sort_headers(filters: Filters) -> list[dict]:
    headers = []
    for key, label in LIST_COLUMNS:
        header = {"label": label, "key": key, "url": "", "direction": ""}
        if key:
            current = filters.order.lstrip("-") == key
            descending = filters.order.startswith("-")
            header["direction"] = ("desc" if descending else "asc") if current else ""
            header["url"] = filters.url(
                view="list", order=f"-{key}" if current and not descending else key, page=""
            )
        headers.append(header)
    return headers


def _page_links(filters: Filters, page) -> list[tuple[str, str]]:
    """(label, url) of the pages around the current one, with the first and the last."""
    numbers = sorted(
        {1, page.paginator.num_pages}
        | {n for n in range(page.number - 2, page.number + 3) if 1 <= n <= page.paginator.num_pages}
    )
    links, previous = [], 0
    for number in numbers:
        if number - previous > 1:
            links.append(("…", ""))
        links.append((str(number), filters.url(view="list", page=str(number))))
        previous = number
    return links


@require_GET
def board(request):
    user = request.user
    filters = Filters.from_query(request.GET)
    if filters.state and not filters.view:
        filters.view = "list"  # a state is a filter of the list (the board's "more" and count links)
    show_board = filters.view in ("", "board")
    show_list = filters.view in ("", "list")
    context = {
        "filters": filters,
        "townships": selectors.township_choices(user),
        "villages": selectors.village_choices(user, filters.township),
        "state_choices": State.choices,
        "can_nominate": user.can_edit or user.has_role(Role.VILLAGE_SECRETARY),
        "can_decide": workflow.may_decide(user),
        "board_url": filters.url(view="board", state="", page=""),
        "list_url": filters.url(view="list"),
        "can_export": user.can_edit,
    }
    if show_board:
        columns = selectors.board(user, within=filters.within, q=filters.q)
        for column in columns:
            column.list_url = filters.url(view="list", state=column.state, page="")  # type: ignore[attr-defined]
        context["columns"] = [column for column in columns if not column.terminal]
        context["finished"] = [column for column in columns if column.terminal]
    if show_list:
        candidacies = selectors.candidacy_list(
            user, within=filters.within, state=filters.state, q=filters.q, order=filters.order
        )
        page = Paginator(candidacies, filters.size).get_page(filters.page)
        context.update(
            page=page,
            headers=_sort_headers(filters),
            page_links=_page_links(filters, page),
            bulk_hidden=filters.hidden("township", "village", "state", "q", "order"),
            jump_hidden=[
                ("view", "list"),
                *filters.hidden("township", "village", "state", "q", "order", "size"),
            ],
            size_urls=[(size, filters.url(view="list", size=size, page="")) for size in PAGE_SIZES],
        )
    context["show_board"], context["show_list"] = show_board, show_list
    return render(request, "candidacies/board.html", context)


# --- export of the ticked rows (or of the filtered list when none is ticked) ---------------------------

EXPORT_HEADER = [
    "姓名",
    "性别",
    "出生年月",
    "政治面貌",
    "乡镇（街道）",
    "村",
    "拟培养岗位",
    "状态",
    "成熟度",
    "重点培养",
    "推荐时间",
    "入库时间",
]


def _cell(sheet, value):
    """A text cell Excel shows as text, even when a name begins with "=" (no formula injection)."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def export_row(candidacy: Candidacy) -> list:
    person = candidacy.person
    village = candidacy.village
    return [
        person.name,
        person.get_gender_display(),
        f"{person.birth_date:%Y.%m}" if person.birth_date else "",
        person.get_political_status_display(),
        village.parent.name if village.parent else "",
        village.name,
        candidacy.target_names(),
        workflow.state_name(candidacy.state),
        workflow.chinese(candidacy.get_readiness_display()),
        "是" if candidacy.key_cultivation else "",
        f"{candidacy.nominated_on:%Y-%m-%d}",
        f"{candidacy.entered_pool_on:%Y-%m-%d}" if candidacy.entered_pool_on else "",
    ]


@require_GET
def export(request):
    """The ticked candidacies (`ids`) as xlsx, or the filtered list when none is ticked. Exports leave the
    system: only the roles that manage the pipeline take one, and each is in the audit log."""
    user = request.user
    if not user.can_edit:
        raise PermissionDenied
    ids = [int(value) for value in request.GET.getlist("ids") if value.isdigit()]
    filters = Filters.from_query(request.GET)
    if ids:
        candidacies = selectors.selected_candidacies(user, ids)
    else:
        candidacies = list(
            selectors.candidacy_list(
                user, within=filters.within, state=filters.state, q=filters.q, order=filters.order
            )
        )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("后备力量人选")
    sheet.append(EXPORT_HEADER)
    for candidacy in candidacies:
        sheet.append([_cell(sheet, value) for value in export_row(candidacy)])
    buffer = BytesIO()
    workbook.save(buffer)
    audit.record(
        action=AuditAction.EXPORT,
        user=user,
        request=request,
        object_repr="后备力量人选",
        detail={"rows": len(candidacies), "selected": len(ids), "state": filters.state, "in": filters.within},
    )
    today = timezone.localdate()
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = quote(f"后备力量人选_{today:%Y-%m-%d}.xlsx")
    response["Content-Disposition"] = (
        f"attachment; filename=\"reserves_{today:%Y-%m-%d}.xlsx\"; filename*=UTF-8''{name}"
    )
    return response
