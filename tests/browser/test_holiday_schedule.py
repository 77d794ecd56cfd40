"""The holiday schedule in the browser (issue 14): the 公示 form warns as soon as its start moves the end
into a year without a schedule, and the warning goes once the top administrator has entered the year."""

import pytest

from tests.browser.support import log_in

pytestmark = pytest.mark.browser

NOTE_2027 = "2027 年法定节假日安排尚未录入，公示期按周六、周日休息计算，截止日期可能需要调整"


def test_the_notice_form_warns_until_the_year_is_entered(page, live_server, world, tmp_path):
    log_in(page, live_server, "county")
    page.goto(f"{live_server.url}/reserves/notices/start/")
    note = page.locator("#notice-form [data-calendar-note]")
    page.fill("#id_start", "2026-12-28")
    page.dispatch_event("#id_start", "change")
    page.wait_for_function("() => document.querySelector('#id_end').value === '2027-01-01'")
    assert note.is_visible() and NOTE_2027 in note.inner_text()
    page.screenshot(path=str(tmp_path / "notice-form.png"), full_page=True)

    page.goto(f"{live_server.url}/system/holidays/2027/")
    page.fill("#id_lines", "2027-01-01 至 2027-01-03 元旦\n2027-02-08 春节 上班")
    page.click("#holiday-form button")
    assert page.locator("text=第 1 行：请在行末写明“放假”或“上班”").is_visible()
    assert page.locator("text=第 2 行：2027-02-08 是星期一").is_visible()
    assert page.locator("#id_lines").input_value() == "2027-01-01 至 2027-01-03 元旦\n2027-02-08 春节 上班"
    page.screenshot(path=str(tmp_path / "holiday-errors.png"), full_page=True)
    page.fill("#id_lines", "2027-01-01 至 2027-01-03 元旦 放假")
    page.click("#holiday-form button")
    page.wait_for_url(f"{live_server.url}/system/holidays/2027/")
    assert page.locator("#holiday-history tbody tr").count() == 1

    page.goto(f"{live_server.url}/reserves/notices/start/")
    page.fill("#id_start", "2026-12-28")
    page.dispatch_event("#id_start", "change")
    page.wait_for_function("() => document.querySelector('#id_end').value === '2027-01-04'")
    assert note.is_hidden()
