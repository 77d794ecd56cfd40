"""/reserves/ at county scale (issue 13 §3): the board shows the states in progress as columns and the
finished states as counts linking to the table; the table (state filter, sortable, paged, 乡镇/村 filters,
search) is one click away, kept in the URL, and carried with the board when no view is chosen (CSS shows
it on a phone); its ticked rows go to the 公示 (one notice per township, all or none) or to an export."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from yanzhen.candidacies.models import Candidacy, CountyRules, PublicNotice
from yanzhen.core.models import AuditEvent

from .candidacies_support import State, candidacy_in, footprint
from .conftest import DASHUIKENG_VILLAGE, shared_fixture
from .factories import make_person

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def row_names(page: str) -> list[str]:
    """The names in the table's rows, in order."""
    body = page[page.index('id="candidacy-table"') :]
    return re.findall(r'<td class="yz-name"><a href="/reserves/\d+/">([^<]+)</a>', body)


def make_pipeline() -> dict:
    """One candidacy in every state of 花马池镇, and one in the pool of 大水坑镇."""
    made = {
        state: candidacy_in(state, make_person(f"人{index}", born=date(1980 + index, 1, 2)))
        for index, state in enumerate(State.values)
    }
    made["other"] = candidacy_in(State.IN_POOL, make_person("钱七", village=DASHUIKENG_VILLAGE))
    return made


pipeline = shared_fixture("pipeline", make_pipeline)  # built once for the tests that ask for it


def test_the_board_collapses_the_finished_states_to_counts_with_links(client_for, pipeline):
    page = text(client_for("county").get("/reserves/?view=board"))
    columns = re.findall(r'<section class="yz-column card" data-state="(\w+)"', page)
    assert columns == ["nominated", "vetted", "inspected", "decided", "in_notice", "in_pool"]
    finished = page[page.index('id="finished"') :]
    for state in ["promoted", "removed", "rejected"]:
        link = re.search(
            rf'data-state="{state}" href="([^"]+)">\s*<span>[^<]+</span><span[^>]*>(\d+)<', finished
        )
        assert link, state
        assert link.group(1) == f"?view=list&amp;state={state}" and link.group(2) == "1"
    # Finished candidacies have no cards.
    assert f"/reserves/{pipeline[State.PROMOTED].pk}/" not in page
    assert page.count('class="yz-card') == 7  # six states in progress + the one of 大水坑镇 in the pool
    assert 'id="list-view"' not in page


def test_a_column_beyond_its_cards_links_to_the_table(client_for, monkeypatch):
    from yanzhen.candidacies import selectors

    for index in range(3):
        candidacy_in(State.NOMINATED, make_person(f"甲{index}"))
    monkeypatch.setattr(selectors, "BOARD_LIMIT", 2)
    page = text(client_for("huamachi").get("/reserves/?view=board"))
    assert page.count('class="yz-card') == 2
    assert re.search(
        r'class="small d-block p-1 yz-more" href="\?view=list&amp;state=nominated">另有 1 人', page
    )


def test_without_a_view_the_page_carries_both_and_a_state_means_the_list(client_for, pipeline):
    client = client_for("county")
    both = text(client.get("/reserves/"))
    assert 'id="board"' in both and 'id="list-view"' in both and "yz-auto" in both
    only_list = text(client.get("/reserves/?view=list"))
    assert 'id="board"' not in only_list and 'id="list-view"' in only_list and "yz-auto" not in only_list
    assert 'aria-current="page">列表</a>' in only_list
    by_state = text(client.get("/reserves/?state=in_pool"))
    assert 'id="board"' not in by_state and row_names(by_state) == ["人5", "钱七"]
    # The switch keeps the filters.
    filtered = text(client.get("/reserves/?view=list&township=640323100&q=ren"))
    assert 'href="?view=board&amp;township=640323100&amp;q=ren"' in filtered


def test_the_table_sorts_filters_and_searches(client_for, pipeline):
    client = client_for("county")
    by_state = row_names(text(client.get("/reserves/?view=list&sort=state")))
    # The order of the procedure, not the alphabet: 推荐 … 公示, 在库 (two), 已使用, 出库, 未通过.
    assert by_state[:5] == ["人0", "人1", "人2", "人3", "人4"]
    assert set(by_state[5:7]) == {"人5", "钱七"} and by_state[7:] == ["人6", "人7", "人8"]
    assert row_names(text(client.get("/reserves/?view=list&sort=-state")))[0] == "人8"
    assert row_names(text(client.get("/reserves/?view=list&township=640323101"))) == ["钱七"]
    assert row_names(text(client.get("/reserves/?view=list&q=qq"))) == ["钱七"]  # pinyin initials
    assert len(row_names(text(client.get("/reserves/?view=list&village=640323100200")))) == 9
    # Someone else's township answers 404 (issue 14), and the outsider sees nothing at all.
    assert client_for("huamachi").get("/reserves/?view=list&township=640323101").status_code == 404
    assert row_names(text(client_for("outsider").get("/reserves/?view=list"))) == []


def test_the_table_pages_and_keeps_its_filters(client_for):
    for index in range(25):
        candidacy_in(State.NOMINATED, make_person(f"乙{index:02d}"))
    client = client_for("huamachi")
    first = text(client.get("/reserves/?view=list&sort=name&page_size=20"))
    assert row_names(first) == [f"乙{index:02d}" for index in range(20)]
    second = text(client.get("/reserves/?view=list&sort=name&page_size=20&page=2"))
    assert row_names(second) == [f"乙{index:02d}" for index in range(20, 25)]
    # The pager's links keep the sort and the page size.
    assert 'href="?view=list&amp;sort=name&amp;page_size=20&amp;page=2"' in first
    assert len(row_names(text(client.get("/reserves/?view=list&page_size=50")))) == 25


def test_the_board_and_the_table_in_few_queries(client_for, pipeline):
    client = client_for("county")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/reserves/").status_code == 200
    assert len(queries) <= 40, [q["sql"] for q in queries]


# --- 公示 of the ticked rows -------------------------------------------------------------------------


def test_the_ticked_decided_rows_start_one_notice_per_township(client_for):
    mine = candidacy_in(State.DECIDED)
    theirs = candidacy_in(State.DECIDED, make_person("钱七", village=DASHUIKENG_VILLAGE))
    in_pool = candidacy_in(State.IN_POOL, make_person("已在库"))
    CountyRules.objects.create(county_id="640323", supervision_phone="0953-6012345")
    client = client_for("county")
    page = text(client.get("/reserves/notices/start/", {"selected": [mine.pk, theirs.pk, in_pool.pk]}))
    assert "未经研究确定，不列入公示" in page and 'name="township"' not in page
    assert page.count('<input type="hidden" name="selected"') == 2
    response = client.post(
        "/reserves/notices/start/",
        {
            "selected": [mine.pk, theirs.pk],
            "start": "2024-03-20",
            "end": "2024-03-26",
            "supervision_phone": "0953-6012345",
        },
        follow=True,
    )
    notices = list(PublicNotice.objects.exclude(pk=in_pool.public_notice_id).order_by("township_id"))
    assert [n.township_id for n in notices] == ["640323100", "640323101"]
    assert {c.state for c in Candidacy.objects.filter(pk__in=[mine.pk, theirs.pk])} == {"in_notice"}
    assert Candidacy.objects.get(pk=in_pool.pk).state == "in_pool"
    assert response.redirect_chain[-1][0] == "/reserves/?view=list&state=in_notice"
    for notice in notices:
        assert f'href="/reserves/notices/{notice.pk}/">打印公示 →</a>' in text(response)


def test_one_township_goes_straight_to_its_print(client_for):
    first = candidacy_in(State.DECIDED)
    candidacy_in(State.DECIDED, make_person("未勾选"))
    response = client_for("huamachi").post(
        "/reserves/notices/start/",
        {"selected": [first.pk], "start": "2024-03-20", "end": "2024-03-26", "supervision_phone": "1"},
    )
    notice = PublicNotice.objects.get()
    assert response["Location"] == f"/reserves/notices/{notice.pk}/"
    assert list(notice.candidacies.values_list("pk", flat=True)) == [first.pk]


def test_a_ticked_row_not_decided_refuses_the_whole_notice(client_for):
    decided = candidacy_in(State.DECIDED)
    vetted = candidacy_in(State.VETTED, make_person("审查中"))
    before = (footprint(decided), footprint(vetted))
    response = client_for("huamachi").post(
        "/reserves/notices/start/",
        {
            "selected": [decided.pk, vetted.pk],
            "start": "2024-03-20",
            "end": "2024-03-26",
            "supervision_phone": "1",
        },
    )
    assert response.status_code == 200
    assert "只有“研究确定”的后备人选才能开始公示，所选人员中审查中（资格审查）不是" in text(response)
    assert (footprint(decided), footprint(vetted)) == before


@pytest.mark.parametrize("username,status", [("dashuikeng", 404), ("outsider", 404), ("auditor", 403)])
def test_ticked_rows_of_others_or_by_a_reader_change_nothing(client_for, username, status):
    decided = candidacy_in(State.DECIDED)
    before = footprint(decided)
    response = client_for(username).post(
        "/reserves/notices/start/",
        {"selected": [decided.pk], "start": "2024-03-20", "end": "2024-03-26", "supervision_phone": "1"},
    )
    assert response.status_code == status
    assert footprint(decided) == before


# --- export ----------------------------------------------------------------------------------------


def sheet_rows(response) -> list[list]:
    workbook = load_workbook(BytesIO(response.content))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_export_the_ticked_rows_or_the_filtered_list(client_for, pipeline):
    client = client_for("county")
    ticked = [pipeline[State.IN_POOL].pk, pipeline["other"].pk]
    response = client.get("/reserves/export/", {"selected": ticked, "sort": "name"})
    rows = sheet_rows(response)
    assert rows[0][:3] == ["姓名", "性别", "出生年月"]
    assert [row[0] for row in rows[1:]] == ["钱七", "人5"]  # by pinyin: qian, ren
    assert rows[2][4:9] == ["花马池镇", rows[2][5], "村党组织书记", "在库", "1–2 年"]
    assert rows[2][11] == "2024-03-27"
    filtered = sheet_rows(client.get("/reserves/export/", {"state": "rejected"}))
    assert [row[0] for row in filtered[1:]] == ["人8"]
    event = AuditEvent.objects.filter(action="export").latest("id")
    assert event.detail["rows"] == 1 and event.object_repr == "后备力量人选"


def test_export_is_scoped_and_refused_to_readers(client_for, pipeline):
    theirs = pipeline["other"].pk
    rows = sheet_rows(client_for("huamachi").get("/reserves/export/", {"selected": [theirs]}))
    assert rows[1:] == []
    assert client_for("auditor").get("/reserves/export/").status_code == 403
    assert client_for("cunshuji").get("/reserves/export/").status_code == 403
