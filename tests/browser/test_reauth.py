"""In a real browser: the 显示完整号码 button of an archive whose user entered his password more than 5 minutes
ago loads 请再次输入密码 in the window (HTMX's HX-Redirect), not inside the number's place; after the password
the archive comes back and the button shows the number. A second login of the same user elsewhere ends the
first window's session, which lands on the login page told why. At a desk and on a phone."""

import time
from datetime import date

import pytest
from django.contrib.sessions.backends.db import SessionStore

from tests.conftest import HUAMACHI_VILLAGE, PASSWORD
from yanzhen.accounts import reauth
from yanzhen.accounts.models import User
from yanzhen.divisions.models import Division
from yanzhen.people.idcard import make_id_number
from yanzhen.people.services import PersonInput, create_person

pytestmark = pytest.mark.browser

SIZES = {"desk": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
NUMBER = make_id_number("640323", date(1990, 5, 12), 11)


@pytest.fixture
def person(world):
    return create_person(
        actor=User.objects.get(username="huamachi"),
        data=PersonInput(
            name="马小军",
            id_number=NUMBER,
            village=Division.objects.get(code=HUAMACHI_VILLAGE),
            political_status="13",
            ethnicity="03",
            degree="4",
            phone="13812345678",
        ),
    )


def new_page(browser, size: str):
    context = browser.new_context(locale="zh-CN", viewport=SIZES[size], is_mobile=size == "phone")
    page = context.new_page()
    page.set_default_timeout(30000)
    return context, page


def log_in(page, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "huamachi")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    # The home page loads its warning cards after it (HTMX); that request saves the session when it ends, so the
    # test writes the session only once nothing is in flight (otherwise the request writes the old one back).
    page.wait_for_load_state("networkidle")


def password_entered_long_ago(context) -> None:
    key = next(c["value"] for c in context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=key)
    session[reauth.ENTERED_AT] = time.time() - 600
    session.save()


@pytest.mark.parametrize("size", ["desk", "phone"])
def test_the_reveal_asks_for_the_password_then_shows_the_number(browser, live_server, person, size):
    base = live_server.url
    context, page = new_page(browser, size)
    log_in(page, base)
    password_entered_long_ago(context)
    page.goto(f"{base}/people/{person.pk}/")
    page.locator("#id_number-value button").click()
    page.wait_for_url(f"{base}/accounts/reauth/**")
    assert page.locator("h1").inner_text() == "请再次输入密码"
    assert NUMBER not in page.content()
    page.fill("#id_password", "Wrong#pass1")
    page.click("#reauth-form button[type=submit]")
    assert page.locator(".invalid-feedback").inner_text() == "密码错误。"
    page.fill("#id_password", PASSWORD)
    page.click("#reauth-form button[type=submit]")
    page.wait_for_url(f"{base}/people/{person.pk}/")
    page.locator("#id_number-value button").click()
    page.wait_for_selector(f"text={NUMBER}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()


def test_a_second_login_sends_the_first_window_to_the_login_page(browser, live_server, person):
    base = live_server.url
    first_context, first = new_page(browser, "desk")
    log_in(first, base)
    second_context, second = new_page(browser, "phone")
    log_in(second, base)
    first.goto(f"{base}/people/")
    first.wait_for_url(f"{base}/accounts/login/**")
    assert "您的账号已在其他地方登录，本会话已结束" in first.locator("main").inner_text()
    second.goto(f"{base}/people/")
    assert second.url == f"{base}/people/"
    first_context.close()
    second_context.close()
