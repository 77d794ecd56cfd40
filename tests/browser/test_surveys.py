"""A villager scans the poster of his village with his phone (390×844): the short link opens the survey in
Chinese without an account; he answers, sees the thank-you page, and a second try from the same phone is
refused with the reason. The county's results page then counts his answer."""

from datetime import timedelta

import pytest

from tests.conftest import HUAMACHI_VILLAGE

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_a_villager_answers_on_his_phone(browser, live_server, world):
    from yanzhen.accounts.models import User
    from yanzhen.core.guards import today
    from yanzhen.surveys import services
    from yanzhen.surveys.models import Answer, Response, SurveyVillage

    county = User.objects.get(username="county")
    survey = services.create_survey(
        actor=county,
        data=services.SurveyInput(
            title="2026年下半年群众满意度调查",
            start=today() - timedelta(days=1),
            end=today() + timedelta(days=30),
            satisfaction_questions=["您对村“两委”班子的总体评价", "您对村务公开的评价"],
            yes_no_questions=["您是否参加过村民代表会议"],
            villages=[HUAMACHI_VILLAGE],
        ),
    )
    services.set_status(actor=county, survey=survey, status="published")
    token = SurveyVillage.objects.get(survey=survey).token

    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{live_server.url}/s/{token}/")
        assert "2026年下半年群众满意度调查" in page.locator("h1").inner_text()
        assert "花马池镇" in page.locator("#survey-village").inner_text()
        assert "每部手机限答一次" in page.locator("#survey-limits").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # Submitting with a question left open names it, and nothing is stored.
        page.get_by_label("很满意").first.check()
        with page.expect_navigation():
            page.locator("#survey-submit").click()
        assert "请回答第2题" in page.locator("#question-2").inner_text()
        assert Response.objects.count() == 0
        assert page.locator("#question-1 input[value='5']").is_checked()
        page.locator("#question-2").get_by_label("基本满意").check()
        page.locator("#question-3").get_by_label("是").check()
        with page.expect_navigation():
            page.locator("#survey-submit").click()
        page.wait_for_url(f"**/s/{token}/thanks/")
        assert "提交成功，感谢您的参与" in page.locator("h1").inner_text()
        assert sorted(Answer.objects.values_list("question__position", "choice")) == [
            (1, "5"),
            (2, "3"),
            (3, "yes"),
        ]
        # The same phone again: refused, with the reason, and no questions offered.
        page.goto(f"{live_server.url}/s/{token}/")
        assert "这部手机已经答过本问卷" in page.locator("#survey-refused").inner_text()
        assert page.locator("#survey-form").count() == 0
        assert Response.objects.count() == 1
    finally:
        context.close()
