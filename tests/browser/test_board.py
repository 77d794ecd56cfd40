"""/reserves/ at county scale and the candidacy forms in Chromium (issue 13 §3, §4).

- The county's board of ~350 candidacies at 1366×768: no sideways scroll of the page, the board fits the
  window and each column scrolls on its own, the finished states are counts that open the table.
- At 390×844 the table is what /reserves/ shows.
- A candidacy moved to 在库 accepting every suggested date: 资格审查 (each item answered 无此情形), 考察,
  研究确定, the 公示 from today to its earliest legal end across the National Day holiday, and 入库 on the
  day after it ends.
- 出库 asks before it is sent: dismissing the dialog changes nothing.
- The ticked rows of the table start their 公示 in one go.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.browser.test_township_clerk import log_in
from yanzhen.candidacies.models import Candidacy, CandidacyState

pytestmark = pytest.mark.browser

State = CandidacyState
DESK = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

# The county's mix, like the demo's: most in the pool, a few at every step, some finished.
COUNTY_MIX = {
    State.NOMINATED: 6,
    State.VETTED: 5,
    State.INSPECTED: 4,
    State.DECIDED: 5,
    State.IN_NOTICE: 3,
    State.IN_POOL: 318,
    State.PROMOTED: 4,
    State.REMOVED: 5,
    State.REJECTED: 2,
}


def build_county(total_by_state: dict[str, int]) -> None:
    """People and candidacies written in bulk (no history, no timeline): the board only reads them."""
    from yanzhen.divisions.codes import Level
    from yanzhen.divisions.models import Division
    from yanzhen.people.models import Person

    villages = list(
        Division.objects.filter(level=Level.VILLAGE, code__startswith="640323").order_by("code")[:60]
    )
    states = [state for state, count in total_by_state.items() for _ in range(count)]
    people = Person.objects.bulk_create(
        Person(
            name=f"人员{index:03d}",
            birth_date=date(1980 + index % 20, 1 + index % 12, 1 + index % 28),
            gender="1",
            village=villages[index % len(villages)],
            id_number_encrypted="x",
            id_number_hash=f"board-test-{index}",
            id_number_masked=f"6403**********{index:04d}",
        )
        for index in range(len(states))
    )
    on = date(2024, 3, 1)
    Candidacy.objects.bulk_create(
        Candidacy(
            person=person,
            village=person.village,
            state=state,
            nomination_way="village_party",
            nominated_on=on,
            entered_pool_on=date(2024, 4, 1)
            if state in (State.IN_POOL, State.PROMOTED, State.REMOVED)
            else None,
            promoted_on=date(2024, 6, 1) if state == State.PROMOTED else None,
            removed_on=date(2024, 6, 1) if state == State.REMOVED else None,
        )
        for person, state in zip(people, states, strict=True)
    )


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.fixture
def desk(browser):
    context = browser.new_context(locale="zh-CN", viewport=DESK)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_the_county_board_fits_1366_and_its_columns_scroll(desk, live_server, world):
    build_county(COUNTY_MIX)
    assert Candidacy.objects.count() == 352
    log_in(desk, live_server, "county")
    desk.goto(f"{live_server.url}/reserves/")
    desk.wait_for_load_state("networkidle")

    assert no_sideways_scroll(desk)
    # The board fits the window: the page does not scroll down either, the columns do.
    assert desk.evaluate("document.documentElement.scrollHeight") <= DESK["height"] + 1
    sections = desk.locator("#board > section")
    assert sections.count() == 7
    for index in range(7):
        box = sections.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= DESK["width"], index
        assert box["y"] + box["height"] <= DESK["height"], index
    pool = desk.locator('#board [data-state="in_pool"] .yz-column-body')
    assert pool.evaluate("el => getComputedStyle(el).overflowY") == "auto"
    assert pool.evaluate("el => el.scrollHeight > el.clientHeight + 1000")
    pool.evaluate("el => { el.scrollTop = 2000; }")
    assert pool.evaluate("el => el.scrollTop") > 0
    assert desk.evaluate("window.scrollY") == 0 and desk.evaluate("window.scrollX") == 0
    # 50 cards, then the way to the rest in the table.
    assert pool.locator(".yz-card").count() == 50
    assert pool.locator(".yz-more").inner_text() == "另有 268 人 →"

    # The finished states are counts.
    finished = desk.locator("#finished")
    counts = {
        state: finished.locator(f'[data-state="{state}"] .yz-count').inner_text()
        for state in ("promoted", "removed", "rejected")
    }
    assert counts == {"promoted": "4", "removed": "5", "rejected": "2"}
    assert desk.locator('#board [data-state="promoted"] .yz-card').count() == 0
    desk.screenshot(path="docs/screenshots/board-county-1366.png")

    # A count opens the table filtered by its state.
    finished.locator('[data-state="removed"]').click()
    desk.wait_for_url(f"{live_server.url}/reserves/?view=list&state=removed")
    assert desk.locator("#candidacy-table tbody tr").count() == 5
    assert desk.locator("#board").count() == 0
    assert no_sideways_scroll(desk)

    # The switch back keeps the URL's filters; the table sorts by a header.
    desk.goto(f"{live_server.url}/reserves/?view=list")
    desk.locator('#candidacy-table th a[data-sort="state"]').click()
    desk.wait_for_url("**sort=state**")
    first = desk.locator("#candidacy-table tbody tr").first
    assert first.get_attribute("data-state") == "nominated"
    assert no_sideways_scroll(desk)
    desk.screenshot(path="docs/screenshots/board-list-1366.png")
    desk.locator("#view-switch a", has_text="看板").click()
    desk.wait_for_url("**view=board**")
    assert desk.locator("#board").is_visible()


def test_on_a_phone_the_table_is_the_default(phone, live_server, world):
    build_county({State.NOMINATED: 3, State.IN_POOL: 30, State.REMOVED: 2})
    log_in(phone, live_server, "county")
    phone.goto(f"{live_server.url}/reserves/")
    phone.wait_for_load_state("networkidle")
    assert phone.url == f"{live_server.url}/reserves/"  # no second page load
    assert phone.locator("#list-view").is_visible()
    assert not phone.locator("#board").is_visible()
    assert phone.locator("#candidacy-table tbody tr").count() == 35
    assert no_sideways_scroll(phone)
    phone.screenshot(path="docs/screenshots/board-list-390.png")
    # The board is one click away and scrolls inside its own box.
    phone.locator("#view-switch a", has_text="看板").click()
    phone.wait_for_url("**view=board**")
    assert phone.locator("#board").is_visible()
    assert no_sideways_scroll(phone)


@pytest.fixture
def frozen_today(monkeypatch):
    """The app's today for the live server too (it runs in this process): timezone.localdate."""
    from django.utils import timezone

    def set_today(day: date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)

    return set_today


def submit_step(page, to: str) -> None:
    card = page.locator(f'.yz-step[data-to="{to}"]')
    card.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".alert-success").count() == 1, page.locator("main").inner_text()


def test_a_candidacy_reaches_the_pool_with_the_suggested_dates_only(desk, live_server, world, frozen_today):
    from tests.candidacies_support import nominate
    from tests.factories import make_person
    from yanzhen.candidacies.models import CountyRules

    CountyRules.objects.create(county_id="640323", supervision_phone="0953-6012345")
    frozen_today(date(2024, 9, 27))  # a Friday; the National Day holiday starts on 1 October
    candidacy = nominate(make_person(), on=date(2024, 9, 2))
    log_in(desk, live_server, "huamachi")
    desk.goto(f"{live_server.url}/reserves/{candidacy.pk}/")

    # 资格审查: every item answered 无此情形; the date is the suggested one.
    vetting = desk.locator('.yz-step[data-to="vetted"]')
    boxes = vetting.locator('input[value="clear"]')
    assert boxes.count() == 10
    for index in range(10):
        boxes.nth(index).check()
    assert vetting.locator('[name="vetted-on"]').input_value() == "2024-09-27"
    submit_step(desk, "vetted")
    assert desk.locator("#vetting").inner_text().count("无此情形") == 10

    # 考察: what only the clerk knows, typed; the date suggested.
    inspection = desk.locator('.yz-step[data-to="inspected"]')
    for name, value in {
        "inspectors": "组织委员、包村领导",
        "people_talked_to": "12",
        "votes_for": "28",
        "votes_against": "1",
        "votes_abstaining": "1",
        "findings": "群众基础好",
    }.items():
        inspection.locator(f'[name="inspected-{name}"]').fill(value)
    submit_step(desk, "inspected")
    submit_step(desk, "decided")

    # 公示: today to the earliest legal end (27, 29, 30 Sep, 8, 9 Oct) with the county's phone.
    notice = desk.locator('.yz-step[data-to="in_notice"]')
    assert notice.locator('[name="in_notice-start"]').input_value() == "2024-09-27"
    assert notice.locator('[name="in_notice-end"]').input_value() == "2024-10-09"
    assert notice.locator('[name="in_notice-supervision_phone"]').input_value() == "0953-6012345"
    submit_step(desk, "in_notice")
    assert "打印公示 →" in desk.locator("main").inner_text()
    pool = desk.locator('.yz-step[data-to="in_pool"]')
    assert pool.locator('[name="in_pool-on"]').input_value() == "2024-10-10"
    assert "2024-10-10 起方可入库" in pool.inner_text()

    # The day after the notice: 入库 as suggested.
    frozen_today(date(2024, 10, 10))
    desk.reload()
    desk.screenshot(path="docs/screenshots/board-candidacy-1366.png", full_page=True)
    submit_step(desk, "in_pool")
    assert desk.locator("#state").inner_text() == "在库"
    assert "岗位已有在库后备人选（一村一职一备）" in desk.locator("main").inner_text()
    fresh = Candidacy.objects.get(pk=candidacy.pk)
    assert (fresh.state, fresh.entered_pool_on) == ("in_pool", date(2024, 10, 10))
    assert (fresh.public_notice.start, fresh.public_notice.end) == (date(2024, 9, 27), date(2024, 10, 9))
    assert [e.on for e in fresh.events.order_by("id")][1:] == [date(2024, 9, 27)] * 4 + [date(2024, 10, 10)]


def test_removal_asks_before_it_is_sent(desk, live_server, world):
    from tests.candidacies_support import candidacy_in

    candidacy = candidacy_in(State.IN_POOL)
    log_in(desk, live_server, "huamachi")
    desk.goto(f"{live_server.url}/reserves/{candidacy.pk}/")
    card = desk.locator('.yz-step[data-to="removed"]')
    card.locator('[name="removed-reason"]').select_option("request")
    card.locator('[name="removed-on"]').fill("2024-05-06")
    questions = []

    def dismiss(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    desk.once("dialog", dismiss)
    card.locator("button[type=submit]").click()
    desk.wait_for_timeout(300)
    assert questions == ["确定出库吗？此操作不可撤销。"]
    assert Candidacy.objects.get(pk=candidacy.pk).state == "in_pool"
    desk.once("dialog", lambda dialog: dialog.accept())
    card.locator("button[type=submit]").click()
    desk.wait_for_load_state()
    assert desk.locator("#state").inner_text() == "出库"
    assert Candidacy.objects.get(pk=candidacy.pk).state == "removed"


def test_the_ticked_rows_start_their_notice(desk, live_server, world):
    from tests.candidacies_support import candidacy_in
    from tests.factories import make_person
    from yanzhen.candidacies.models import CountyRules

    CountyRules.objects.create(county_id="640323", supervision_phone="0953-6012345")
    first = candidacy_in(State.DECIDED, make_person("甲"))
    second = candidacy_in(State.DECIDED, make_person("乙"))
    left = candidacy_in(State.DECIDED, make_person("丙"))
    log_in(desk, live_server, "huamachi")
    desk.goto(f"{live_server.url}/reserves/?view=list&state=decided")
    desk.locator(f'input[data-list-select][value="{first.pk}"]').check()
    desk.locator(f'input[data-list-select][value="{second.pk}"]').check()
    assert (
        desk.locator("[data-list-selected-count]").inner_text() == "已选 2 项"
    )  # the list component's wording
    desk.locator("button[data-list-bulk-action]", has_text="公示所选人员").click()
    desk.wait_for_url("**/reserves/notices/start/**")
    assert desk.locator("#selected tbody tr").count() == 2
    desk.fill("#id_start", "2024-03-20")
    desk.fill("#id_end", "2024-03-26")
    desk.locator("#notice-form button.btn-danger").click()
    desk.wait_for_url("**/reserves/notices/*/")
    printed = desk.locator("#notice").inner_text()
    assert "甲" in printed and "乙" in printed and "丙" not in printed
    assert "监督电话：0953-6012345" in printed
    states = dict(Candidacy.objects.filter(pk__in=[first.pk, second.pk, left.pk]).values_list("pk", "state"))
    assert states == {first.pk: "in_notice", second.pk: "in_notice", left.pk: "decided"}
