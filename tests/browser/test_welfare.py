"""The clerk of 花马池镇 opens 待遇保障 from the navigation, shows April 2026's pay sheet of her township and exports
it for the finance office: the downloaded xlsx holds the hand-counted rows and total (tests/test_welfare.py)."""

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.browser.support import log_in

pytestmark = pytest.mark.browser


def test_a_clerk_exports_the_township_pay_sheet(page, live_server, world, tmp_path):
    from tests.welfare_support import build_township

    build_township()
    log_in(page, live_server, "huamachi")
    page.get_by_role("link", name="待遇保障").first.click()
    page.wait_for_url("**/welfare/")
    page.locator("#welfare-parts").get_by_role("link", name="报酬发放表").click()
    page.wait_for_url("**/welfare/pay/**")
    page.fill("#choose-month", "2026-04")
    with page.expect_navigation():
        page.locator("#township-chooser button").click()
    assert "7360.01" in page.locator("#pay-sheet-total").inner_text()
    assert "未考评" in page.locator("#pay-sheet").inner_text()

    with page.expect_download() as download_info:
        page.locator("#pay-sheet-export").click()
    download = download_info.value
    assert download.suggested_filename == "报酬发放表_花马池镇_2026-04.xlsx"
    path = tmp_path / "sheet.xlsx"
    download.save_as(path)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][0] == "花马池镇2026年4月村干部报酬发放表"
    assert "生成人：huamachi" in rows[2][0]
    names = [row[1] for row in rows[4:8]]
    assert names == ["张书记", "张书记", "李委员", "王委员"]
    assert rows[8][0] == "合计" and Decimal(str(rows[8][10])) == Decimal("7360.01")
