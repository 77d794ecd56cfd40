"""A reserve logs in on a phone-sized window (390×844), opens his page from the navigation and submits his
semiannual report; the village secretary's review is what he sees next time."""

import pytest

from tests.assessment_helpers import make_reserve
from tests.conftest import HUAMACHI_VILLAGE, PASSWORD
from yanzhen.accounts.models import User
from yanzhen.accounts.roles import Role
from yanzhen.accounts.services import create_or_update_user
from yanzhen.assessments import services
from yanzhen.assessments.models import ReportChannel, SemiannualReport
from yanzhen.divisions.models import Division

pytestmark = pytest.mark.browser


@pytest.fixture
def reserve_account(world):
    clerk = User.objects.get(username="huamachi")
    person, _candidacy = make_reserve(clerk, "白坤林", HUAMACHI_VILLAGE)
    user, _created = create_or_update_user(
        username="baikunlin",
        password=PASSWORD,
        division=Division.objects.get(code=HUAMACHI_VILLAGE),
        roles=[Role.RESERVE],
    )
    services.link_self_service(actor=clerk, user=user, person=person)
    return person


def test_a_reserve_submits_his_report_on_a_phone(browser, live_server, reserve_account):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "baikunlin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    # A reserve's login lands on his own page: nothing else of the system is open to him.
    page.wait_for_url(f"{live_server.url}/assessment/me/")
    assert page.locator("h1").inner_text() == "我的思想工作汇报"
    # Nothing wider than the phone: no horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    text = page.locator("#id_text")
    assert text.is_visible()
    text.fill("本半年参与村里矛盾调解三次，协助完成防汛值守。")
    submit = page.locator("#self-report-form button")
    assert submit.bounding_box()["width"] > 300  # a full-width button for a thumb
    submit.click()
    page.wait_for_url(f"{live_server.url}/assessment/me/")
    assert "已提交" in page.locator("[role=status]").inner_text()
    assert page.locator("#my-reports li").count() == 1
    assert "待审阅" in page.locator("#my-reports").inner_text()

    report = SemiannualReport.objects.get(person=reserve_account)
    assert report.channel == ReportChannel.SELF
    assert report.text == "本半年参与村里矛盾调解三次，协助完成防汛值守。"

    services.review_report(actor=User.objects.get(username="cunshuji"), report=report, comment="表现积极")
    page.reload()
    assert "表现积极" in page.locator("#my-reports").inner_text()
    context.close()
