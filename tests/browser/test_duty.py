"""A sitting cadre logs in with his own login on a phone-sized window (390×844), lands on his duty days and
checks in on today's duty with the big button; the township's page then shows him checked in, not missed."""

from datetime import date

import pytest
from django.utils import timezone

from tests.conftest import HUAMACHI_VILLAGE, PASSWORD

pytestmark = pytest.mark.browser

TODAY = date(2026, 9, 8)  # a Tuesday, a working day


@pytest.fixture
def cadre_login(world, monkeypatch):
    from tests.candidacies_support import user
    from tests.duty_support import own_login, sitting
    from yanzhen.duty import services

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    secretary = sitting("韩值班")
    login = own_login(secretary)
    login.set_password(PASSWORD)
    login.save()
    duty = services.add_assignment(
        actor=user("huamachi"), village=HUAMACHI_VILLAGE, day=TODAY, person=secretary
    )
    return login, duty


def test_a_cadre_checks_in_on_his_phone(browser, live_server, cadre_login):
    from yanzhen.duty.models import CheckIn

    login, duty = cadre_login
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", login.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    # His own login lands on his duty days: nothing else of the system is open to him.
    page.wait_for_url(f"{live_server.url}/duty/me/")
    assert page.locator("h1").inner_text() == "我的值班"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    button = page.locator("#check-in")
    assert button.inner_text() == "签到" and button.bounding_box()["width"] > 300
    page.fill("#check-in-note", "在村部")
    with page.expect_navigation():
        button.click()
    assert "签到成功" in page.locator("[role=status]").inner_text()
    assert "今天已签到" in page.locator("#checked-in").inner_text()
    assert page.locator("#check-in").count() == 0
    record = CheckIn.objects.get()
    assert (record.assignment_id, record.note, record.recorded_by_id) == (duty.pk, "在村部", login.pk)
    page.goto(f"{live_server.url}/people/")
    assert page.url == f"{live_server.url}/duty/me/"
    context.close()
