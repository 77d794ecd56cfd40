"""The clerk of 花马池镇 reorders the successors of her village's secretary seat with the arrows, names the
emergency cover, and opens the risk map: the chart draws the village (ECharts, served locally, no page error)."""

from datetime import date

import pytest

from tests.browser.support import log_in

pytestmark = pytest.mark.browser


def test_the_clerk_orders_successors_and_reads_the_risk_map(page, live_server, world):
    from tests.candidacies_support import make_seat, user
    from tests.conftest import HUAMACHI_VILLAGE
    from tests.factories import make_person
    from tests.matching_support import place_village, put_in_pool
    from yanzhen.posts import services as post_services
    from yanzhen.succession import selectors

    place_village(HUAMACHI_VILLAGE, latitude=37.78, longitude=107.39)
    seat = make_seat(HUAMACHI_VILLAGE, "secretary")
    put_in_pool(make_person("甲"), readiness="ready", posts=("secretary",))
    put_in_pool(make_person("乙"), readiness="1-2y", posts=("secretary",))
    post_services.appoint(
        actor=user("county"),
        seat=seat,
        person=make_person("老书记", born=date(1960, 1, 1)),
        start=date(2024, 1, 1),
    )
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    log_in(page, live_server, "huamachi")
    page.goto(f"{live_server.url}/succession/seats/{seat.pk}/")
    rows = page.locator("#successors tbody tr")
    assert rows.nth(0).locator("td").nth(1).inner_text() == "甲"
    with page.expect_navigation():
        rows.nth(0).get_by_role("button", name="↓").click()
    assert page.locator("#successors tbody tr").nth(0).locator("td").nth(1).inner_text() == "乙"
    with page.expect_navigation():
        page.locator("#successors tbody tr").nth(1).get_by_role("button", name="设为应急接替").click()
    assert "应急接替: 甲" in page.locator("#bench-strength").inner_text()
    assert [s.name for s in selectors.bench_of(seat).successors] == ["乙", "甲"]

    page.goto(f"{live_server.url}/succession/risk/")
    page.wait_for_selector("#risk-chart canvas")
    assert "老书记" in page.locator("#risks").inner_text()
    assert errors == []
