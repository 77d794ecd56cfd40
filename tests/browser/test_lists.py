"""Sort and page the people list at a desk (1366×768) and on a phone (390×844), as the clerk clicks it: a
column header toggles ▲/▼, the page size and the jump box keep the filters, the cascade follows the 乡镇, and
ticking rows counts them in the bulk bar. The table scrolls in its own box; the page body does not."""

from datetime import date, timedelta

import pytest

from tests.browser.support import log_in
from tests.conftest import HUAMACHI, HUAMACHI_VILLAGE

pytestmark = pytest.mark.browser

SIZES = [(1366, 768), (390, 844)]
OTHER_VILLAGE = "640323100201"


def make_crowd(count: int = 45) -> list[str]:
    """People of two villages born 40 days apart: the names oldest first."""
    from yanzhen.accounts.models import User
    from yanzhen.divisions.models import Division
    from yanzhen.people.idcard import make_id_number
    from yanzhen.people.services import PersonInput, create_person

    actor = User.objects.get(username="county")
    names = []
    for index in range(count):
        born = date(1960, 1, 1) + timedelta(days=index * 40)
        village = HUAMACHI_VILLAGE if index % 3 else OTHER_VILLAGE
        person = create_person(
            actor=actor,
            data=PersonInput(
                name=f"人员{index:02d}",
                id_number=make_id_number("640323", born, index * 2 + 1),
                village=Division.objects.get(code=village),
                political_status="13",
            ),
        )
        names.append(person.name)
    return names


def first_column(page) -> list[str]:
    return page.locator("#person-list tbody tr td:nth-child(2)").all_inner_texts()


@pytest.mark.parametrize("width, height", SIZES)
def test_sort_and_page_the_people_list(browser, live_server, world, width, height):
    names = make_crowd()
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, live_server, "huamachi")
    page.goto(f"{live_server.url}/people/?political_status=13")
    assert "共 45 条" in page.locator(".list-total").inner_text()

    # 年龄 ascending (youngest first), then descending (oldest first): the arrow follows.
    header = page.locator("#person-list thead a[data-sort=age]")
    header.scroll_into_view_if_needed()
    with page.expect_navigation():
        header.click()
    assert [name.strip() for name in first_column(page)] == names[::-1]
    assert page.locator("#person-list thead a[data-sort=age] .sort-arrow").inner_text() == "▲"
    with page.expect_navigation():
        page.locator("#person-list thead a[data-sort=age]").click()
    assert [name.strip() for name in first_column(page)] == names
    assert page.locator("#person-list thead a[data-sort=age] .sort-arrow").inner_text() == "▼"

    # 20 a page, then page 3 by the jump box: the filter and the sort stay.
    with page.expect_navigation():
        page.select_option("select[name=page_size]", "20")
    assert [name.strip() for name in first_column(page)] == names[:20]
    page.fill("#list-jump-page", "3")
    with page.expect_navigation():
        page.locator(".list-jump-form button").click()
    assert [name.strip() for name in first_column(page)] == names[40:]
    assert "political_status=13" in page.url and "sort=-age" in page.url and "page_size=20" in page.url

    # The next-page arrow from page 1, then the bulk bar counts the ticked rows.
    with page.expect_navigation():
        page.locator(".list-pager a.page-link", has_text="1").first.click()
    with page.expect_navigation():
        page.locator(".list-pager a[rel=next]").click()
    assert [name.strip() for name in first_column(page)] == names[20:40]
    page.locator("#person-list tbody input[data-list-select]").nth(0).check()
    page.locator("#person-list tbody input[data-list-select]").nth(2).check()
    assert page.locator("[data-list-selected-count]").inner_text() == "已选 2 项"
    page.locator("#person-list thead input[data-list-select-all]").check()
    assert page.locator("[data-list-selected-count]").inner_text() == "已选 20 项"
    assert page.locator("button[data-list-bulk-action]").first.is_enabled()

    # The table scrolls in its own box; the page body never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    scroll_box = page.locator(".list-scroll").first
    assert scroll_box.evaluate("e => getComputedStyle(e).overflowX") == "auto"
    if width < 500:
        assert scroll_box.evaluate("e => e.scrollWidth > e.clientWidth")
    page.screenshot(path=f"docs/screenshots/lists-people-{width}.png")
    context.close()


def test_the_village_choices_follow_the_township(page, live_server, world):
    from yanzhen.divisions.models import Division

    log_in(page, live_server, "county")
    page.goto(f"{live_server.url}/people/")
    every = page.locator("#id_village option").count()
    assert every == Division.objects.filter(level=5, code__startswith="640323").count() + 1
    with page.expect_response(lambda response: "/divisions/filter/villages/" in response.url):
        page.select_option("#id_township", HUAMACHI)
    page.wait_for_function(f"() => document.querySelectorAll('#id_village option').length < {every}")
    codes = page.locator("#id_village option").evaluate_all("options => options.map(o => o.value)")
    assert codes == [
        "",
        *Division.objects.filter(level=5, parent_id=HUAMACHI).order_by("code").values_list("code", flat=True),
    ]
