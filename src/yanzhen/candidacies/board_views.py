"""/reserves/ at county scale: the board (看板) and the table (列表), one click apart and kept in the URL
(`view`), with the same filters (township, village, search). The board shows the states in progress as
columns that scroll on their own and the finished states as counts linking to the table; the table is
sortable and paged, and its ticked rows go to the 公示 (`views.notice_start`) or to an xlsx export.

Without `view` the page carries both and CSS picks by the screen: the table on a phone (≤ 576 px), the
board elsewhere, so a phone needs no second request to get its default."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from yanzhen.accounts.roles import Role
from yanzhen.candidacies import selectors, workflow
from yanzhen.candidacies.models import Candidacy, CandidacyState
from yanzhen.core import xlsx
from yanzhen.core.guards import today
from yanzhen.core.listing import ListSpec, selected_ids
from yanzhen.core.views_kit import export_response
from yanzhen.divisions.codes import CODE_LENGTH, Level
from yanzhen.divisions.place_filter import code_of_jurisdiction

State = CandidacyState
VIEWS = ("board", "list")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The table's sortable columns (the list component's whitelist); state and readiness sort in the order of
# the procedure, annotated by `selectors.candidacy_list`.
CANDIDACIES = ListSpec(
    sorts={
        "name": ("person__name_pinyin", "person__name"),
        "village": ("village_id", "person__name_pinyin"),
        "state": ("state_rank", "village_id", "person__name_pinyin"),
        "readiness": ("readiness_rank", "village_id"),
        "nominated_on": ("nominated_on",),
        "entered_pool_on": ("entered_pool_on",),
    },
    default_sort="village",
)


def _digits(query, key: str, length: int) -> str:
    return "".join(c for c in query.get(key, "") if c.isdigit())[:length]


def _place(query) -> tuple[str, str]:
    """(township, village) codes of the query; older links give one code as `in`."""
    township = _digits(query, "township", 9)
    village = _digits(query, "village", 12)
    within = _digits(query, "in", 12)
    if within and not (township or village):
        township = within[: CODE_LENGTH[Level.TOWNSHIP]] if len(within) >= 9 else ""
        village = within if len(within) == 12 else ""
    return township, village


@dataclass
class Filters:
    """What /reserves/ shows: which view, where (township, village), which state, what search. Sort, page
    and page size belong to the list component (`core.listing`)."""

    view: str = ""
    township: str = ""
    village: str = ""
    state: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, query, user=None) -> Filters:
        """The filters of the query; with `user`, a township or village outside his jurisdiction is a 404."""
        township, village = _place(query)
        if user is not None:
            code_of_jurisdiction(user, township)
            code_of_jurisdiction(user, village)
        if village and township and not village.startswith(township):
            village = ""
        state = query.get("state", "")
        view = query.get("view", "")
        return cls(
            view=view if view in VIEWS else "",
            township=township,
            village=village,
            state=state if state in State.values else "",
            q=query.get("q", "").strip()[:50],
        )

    @property
    def within(self) -> str:
        return self.village or self.township

    @property
    def place(self) -> SimpleNamespace | None:
        """The chosen division for the 乡镇 → 村 widget, which reads it from its code (None: from the query)."""
        return SimpleNamespace(code=self.within) if self.within else None

    def url(self, **changes) -> str:
        """These filters with some changed, as "?…" (empty values left out, so URLs stay short)."""
        values = {
            "view": self.view,
            "township": self.township,
            "village": self.village,
            "state": self.state,
            "q": self.q,
        }
        values.update(changes)
        return "?" + urlencode({key: value for key, value in values.items() if value})


@require_GET
def board(request):
    user = request.user
    filters = Filters.from_query(request.GET, request.user)
    if filters.state and not filters.view:
        filters.view = "list"  # a state is a filter of the list (the board's "more" and count links)
    show_board = filters.view in ("", "board")
    show_list = filters.view in ("", "list")
    context = {
        "filters": filters,
        "state_choices": State.choices,
        "can_nominate": user.can_edit or user.has_role(Role.VILLAGE_SECRETARY),
        "can_decide": workflow.may_decide(user),
        "board_url": filters.url(view="board", state=""),
        "list_url": filters.url(view="list"),
        "show_board": show_board,
        "show_list": show_list,
    }
    if show_board:
        columns = selectors.board(user, within=filters.within, q=filters.q)
        for column in columns:
            column.list_url = filters.url(view="list", state=column.state)  # type: ignore[attr-defined]
        context["columns"] = [column for column in columns if not column.terminal]
        context["finished"] = [column for column in columns if column.terminal]
    if show_list:
        candidacies = selectors.candidacy_list(user, within=filters.within, state=filters.state, q=filters.q)
        listing = CANDIDACIES.page(request, candidacies)
        actions = []
        if workflow.may_decide(user):
            actions.append(
                {
                    "url": reverse("candidacies:notice-start"),
                    "label": pgettext("pipeline", "Start the public notice of the selected"),
                    "css": "btn-danger",
                }
            )
        if user.can_edit:
            actions.append(
                {"url": reverse("candidacies:export"), "label": pgettext("pipeline", "Export selected")}
            )
        context.update(
            listing=listing,
            bulk_actions=actions,
            export_url=f"{reverse('candidacies:export')}?{listing.filter_query()}" if user.can_edit else "",
        )
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
    """The ticked candidacies (`selected`) as xlsx, or the filtered list when none is ticked, in the list's
    order. Exports leave the system: only the roles that manage the pipeline take one, and each is in the
    audit log."""
    user = request.user
    if not user.can_edit:
        raise PermissionDenied
    filters = Filters.from_query(request.GET, request.user)
    ids = selected_ids(request)
    candidacies = selectors.candidacy_list(user, within=filters.within, state=filters.state, q=filters.q)
    if ids:
        # The ticked rows are looked for in the user's jurisdiction only, whatever the filters say.
        candidacies = selectors.candidacy_list(user).filter(pk__in=ids)
    rows = list(CANDIDACIES.order(request, candidacies))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("后备力量人选")
    xlsx.append(sheet, EXPORT_HEADER)
    for candidacy in rows:
        sheet.append([xlsx.cell(sheet, value) for value in export_row(candidacy)])
    on = today()
    return export_response(
        request,
        workbook,
        title="后备力量人选",
        detail={"rows": len(rows), "selected": len(ids), "state": filters.state, "in": filters.within},
        filename=f"后备力量人选_{on:%Y-%m-%d}.xlsx",
        fallback=f"reserves_{on:%Y-%m-%d}.xlsx",
    )
