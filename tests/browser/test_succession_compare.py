"""The clerk of 花马池镇 ticks the three successors of her village's secretary seat, compares them side by side
(three columns and the radar drawn by ECharts, no page error) and opens the printable A4."""

import pytest

from tests.browser.support import log_in

pytestmark = pytest.mark.browser


def test_the_clerk_compares_three_successors_and_prints(page, live_server, world):
    from tests.candidacies_support import make_seat
    from tests.conftest import HUAMACHI_VILLAGE
    from tests.factories import make_person
    from tests.matching_support import grade, put_in_pool

    seat = make_seat(HUAMACHI_VILLAGE, "secretary")
    first = put_in_pool(make_person("甲"), readiness="ready", posts=("secretary",)).person
    put_in_pool(make_person("乙", sequence=2), readiness="1-2y", posts=("secretary",))
    put_in_pool(make_person("丙", sequence=3), readiness="3y+", posts=("secretary",))
    grade(first, 2025, 2, "excellent")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    log_in(page, live_server, "huamachi")
    page.goto(f"{live_server.url}/succession/seats/{seat.pk}/")
    boxes = page.locator('#successors input[type="checkbox"]')
    assert boxes.count() == 3
    for index in range(3):
        boxes.nth(index).check()
    with page.expect_navigation():
        page.locator("#compare-button").click()
    assert "/succession/compare/" in page.url
    assert page.locator("#compare-table thead th.compare-person").all_inner_texts() == ["甲", "乙", "丙"]
    page.wait_for_selector("#compare-radar canvas")
    assert "可随时使用" in page.locator("#compare-table").inner_text()

    page.locator("#compare-print").click()
    page.wait_for_load_state()
    page.emulate_media(media="print")
    assert page.title().startswith("后备人选并列比较表")
    assert page.locator("h1").inner_text() == "后备人选并列比较表"
    assert page.locator("thead th.compare-person").count() == 3
    assert page.locator("[data-print]").is_hidden()  # the toolbar does not print
    assert page.locator("nav").count() == 0
    assert errors == []
