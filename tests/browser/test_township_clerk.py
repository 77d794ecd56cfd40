"""The clerk of 花马池镇 logs in, sees only her township's villages, and a 大水坑镇 village answers 404."""

import pytest

from tests.browser.support import log_in
from tests.conftest import DASHUIKENG_VILLAGE
from yanzhen.divisions.models import Division

pytestmark = pytest.mark.browser


def test_township_clerk_sees_only_her_township(page, live_server, world):
    log_in(page, live_server, "huamachi")
    page.locator(".yz-sidebar a", has_text="村情").click()
    page.wait_for_url(f"{live_server.url}/divisions/")
    villages = page.locator("#division-tree .village").all_inner_texts()
    expected = list(
        Division.objects.filter(parent_id="640323100").order_by("code").values_list("name", flat=True)
    )
    assert villages == expected
    assert len(villages) == 24
    assert "大水坑镇" not in page.content()

    response = page.goto(f"{live_server.url}/divisions/{DASHUIKENG_VILLAGE}/")
    assert response.status == 404
    assert "不存在或不在您的辖区内" in page.content()


def test_county_clerk_sees_the_whole_county_and_a_village_page(page, live_server, world):
    log_in(page, live_server, "county")
    page.goto(f"{live_server.url}/divisions/")
    assert page.locator("#division-tree .village").count() == 120
    page.click("text=大水坑镇")
    page.wait_for_url(f"{live_server.url}/divisions/640323101/")
    assert page.locator("#breadcrumb").inner_text().replace("\n", "").startswith("宁夏回族自治区")


def test_phone_screen_shows_the_navigation(browser, live_server, world):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, live_server, "huamachi")
    # On a phone the navigation waits behind ☰ 菜单 (tests/browser/test_phone.py walks every page).
    assert not page.locator(".yz-sidebar").is_visible()
    page.click(".yz-menu-button")
    page.locator(".yz-sidebar a", has_text="村情").wait_for(state="visible")
    context.close()
