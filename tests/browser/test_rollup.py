"""A province rolls up two counties (issue 20 §3): 盐池县 and 青铜峡市 each submit their structure table from their
page of reports; the administrator of 宁夏 opens the roll-up and reads the sums, the shares computed from the
sums (tests/reports_up_support.py counts them by hand), then sends one county's report back with a note, which
that county reads."""

import pytest

from tests.browser.support import log_in
from yanzhen.core.guards import today

pytestmark = pytest.mark.browser


def _submit(browser, live_server, username: str) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20000)
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, live_server, username)
    page.get_by_role("link", name="报表上报").first.click()
    page.select_option("#id_kind", "structure")
    page.fill("#id_year", str(today().year))
    with page.expect_navigation():
        page.click("#submit-snapshot")
    assert page.locator("#signature-ok").is_visible()
    context.close()


def test_a_province_rolls_up_two_counties(browser, page, live_server, world):
    from tests import reports_up_support
    from yanzhen.reports_up.models import Snapshot, Status

    reports_up_support.build()
    errors: list[str] = []
    _submit(browser, live_server, "county")
    _submit(browser, live_server, "county2")
    assert Snapshot.objects.filter(status=Status.SUBMITTED).count() == 2

    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, live_server, "ningxia")
    page.get_by_role("link", name="报表上报").first.click()
    page.click("#open-rollup")
    page.select_option("#id_kind", "structure")
    with page.expect_navigation():
        page.get_by_role("button", name="查看").click()
    assert "已上报 2 个 · 未上报 0 个 · 退回更正 0 个" in page.locator("#rollup-summary").inner_text()
    rows = page.locator("#rollup-table tbody tr")
    assert [rows.nth(i).locator("td").first.inner_text() for i in range(3)] == ["盐池县", "青铜峡市", "合计"]
    total = page.locator("#rollup-total td").all_inner_texts()
    # 单位, 村数, 总数, the 8 bands, 达标村数, 村均, 8 shares, 覆盖率
    assert total[:3] == ["合计", "104", "5"]
    assert total[11] == "3"  # villages covered: 2 + 1
    assert total[12] == "0.05"  # 5 reserves over 104 villages
    assert total[13:16] == ["40.0", "20.0", "40.0"]  # under 35, 35–50, over 50: of the 5, not averaged
    assert total[-1] == "2.88"  # 3 of 104 villages covered

    # Send 青铜峡市's back; the roll-up then counts 盐池县 alone and names the other.
    page.get_by_role("link", name="青铜峡市").click()
    page.fill("#id_note", "林皋村的后备人数请核对")
    with page.expect_navigation():
        page.get_by_role("button", name="退回").click()
    assert "林皋村的后备人数请核对" in page.locator("#return-note").inner_text()
    page.goto(f"{live_server.url}/reports-up/rollup/?kind=structure&year={today().year}")
    assert page.locator("#rollup-total td").all_inner_texts()[:3] == ["合计", "102", "3"]
    assert "青铜峡市" in page.locator("#rollup-missing").inner_text()
    page.screenshot(path="docs/screenshots/snapshots-rollup.png", full_page=True)
    assert errors == []
