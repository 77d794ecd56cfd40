"""A clerk opens a reserve's login from his archive and reads the password once; the reserve logs in with it, is
made to choose his own, and lands on his report page. At a desk (1366×768) and on a phone (390×844)."""

import pytest

from tests.assessment_helpers import make_reserve
from tests.conftest import HUAMACHI_VILLAGE, PASSWORD
from yanzhen.accounts.models import User
from yanzhen.core.models import AuditAction, AuditEvent

pytestmark = pytest.mark.browser

SIZES = {"desk": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
OWN_PASSWORD = "Baikun#2027"


@pytest.fixture
def reserve(world):
    person, _candidacy = make_reserve(User.objects.get(username="huamachi"), "白坤林", HUAMACHI_VILLAGE)
    return person


def new_page(browser, size: str):
    context = browser.new_context(locale="zh-CN", viewport=SIZES[size], is_mobile=size == "phone")
    page = context.new_page()
    page.set_default_timeout(30000)
    return context, page


def log_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("size", ["desk", "phone"])
def test_clerk_opens_a_login_and_the_reserve_changes_his_password(browser, live_server, reserve, size):
    base = live_server.url
    context, page = new_page(browser, size)
    log_in(page, base, "huamachi", PASSWORD)
    page.wait_for_url(f"{base}/")
    page.wait_for_load_state("networkidle")  # the home page's warning cards (HTMX) have arrived
    page.goto(f"{base}/people/{reserve.pk}/")
    panel = page.locator("#self-service-login")
    assert "尚未开通" in panel.inner_text()
    page.click("#login-create")
    page.wait_for_selector("#issued-password")
    assert "此密码只显示这一次" in page.locator("#issued-once").inner_text()
    username = page.locator("#issued-username").inner_text()
    password = page.locator("#issued-password").inner_text()
    assert username == "baikunlin" and len(password) == 10
    assert no_sideways_scroll(page)
    # Back on the archive the password is gone for good; the panel shows the login and what is pending.
    page.click("text=返回档案")
    page.wait_for_url(f"{base}/people/{reserve.pk}/")
    assert password not in page.content()
    assert "下次登录时须修改密码" in page.locator("#login-state").inner_text()
    context.close()

    context, page = new_page(browser, size)
    log_in(page, base, username, password)
    page.wait_for_url(f"{base}/accounts/password/")
    assert page.locator("#must-change").is_visible()
    # Trying to go elsewhere first leads back here.
    page.goto(f"{base}/assessment/me/")
    page.wait_for_url(f"{base}/accounts/password/")
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", OWN_PASSWORD)
    page.fill("#id_new_password2", OWN_PASSWORD)
    assert no_sideways_scroll(page)
    page.click("#password-change-form button[type=submit]")
    page.wait_for_url(f"{base}/assessment/me/")
    assert page.locator("h1").inner_text() == "我的思想工作汇报"
    assert "密码已修改" in page.locator("[role=status]").first.inner_text()
    assert no_sideways_scroll(page)
    context.close()

    user = User.objects.get(username=username)
    assert user.must_change_password is False and user.check_password(OWN_PASSWORD)
    assert list(
        AuditEvent.objects.filter(
            action__in=[AuditAction.RESERVE_LOGIN_CREATED, AuditAction.PASSWORD_CHANGED]
        )
        .order_by("pk")
        .values_list("action", "username")
    ) == [(AuditAction.RESERVE_LOGIN_CREATED, "huamachi"), (AuditAction.PASSWORD_CHANGED, username)]
