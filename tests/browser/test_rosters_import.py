"""The clerk of 花马池镇 imports a messy roster in the browser: upload → every row's outcome → confirm."""

import pytest

from tests.browser.test_township_clerk import log_in
from tests.test_rosters import messy_sheet
from yanzhen.candidacies.models import Candidacy
from yanzhen.people.models import Person

pytestmark = pytest.mark.browser


def test_a_clerk_imports_a_roster(page, live_server, world, tmp_path):
    roster = tmp_path / "花名册.xlsx"
    roster.write_bytes(messy_sheet())
    log_in(page, live_server, "huamachi")
    page.locator(".yz-sidebar a", has_text="导入导出").click()
    page.wait_for_url(f"{live_server.url}/rosters/")
    page.set_input_files("#roster-upload input[type=file]", str(roster))
    page.click("#roster-upload button")
    page.wait_for_selector("#preview-rows")
    assert page.locator("#preview-rows tbody tr").count() == 9  # 7 people, the total and the signature
    assert "新建人员" in page.locator("#preview-rows").inner_text()
    page.screenshot(path=str(tmp_path / "preview.png"), full_page=True)
    assert not Person.objects.exists()
    page.click("#confirm-import")
    page.wait_for_url(f"{live_server.url}/rosters/")
    assert "导入成功" in page.content()
    assert page.locator("#import-runs tbody tr").count() == 1
    assert Person.objects.count() == 7 and Candidacy.objects.count() == 7
