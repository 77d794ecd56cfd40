"""The county's administrator switches 盐池县 to the 五强 with one click, reweights them on the settings page;
the clerk of 花马池镇 then assesses a reserve on the five and sees the weighted total. The clerk also marks a
secretary's term as 专业化管理 and sees the badge on the committee."""

from datetime import date

import pytest

from tests.browser.support import log_in

pytestmark = pytest.mark.browser


def test_the_county_switches_to_wuqiang_and_a_clerk_assesses_on_it(page, live_server, world):
    from tests.assessment_helpers import make_reserve
    from tests.conftest import HUAMACHI_VILLAGE
    from yanzhen.accounts.models import User
    from yanzhen.assessments.models import Assessment

    person, _candidacy = make_reserve(User.objects.get(username="huamachi"), "白坤林", HUAMACHI_VILLAGE)
    log_in(page, live_server, "county")
    page.goto(f"{live_server.url}/assessment/settings/")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="使用“五强”考核维度").click()
    assert page.locator("#on-wuqiang").is_visible()
    table = page.locator("#dimension-table")
    assert table.locator("input[name='name-1']").input_value() == "政治意识强"
    table.locator("input[name='weight-1']").fill("40")
    table.locator("input[name='weight-2']").fill("10")
    with page.expect_navigation():
        page.get_by_role("button", name="保存考核维度").click()
    assert "权重之和须为 100，现为 110" in page.locator("#dimension-errors").inner_text()  # 40 + 10 + 20 × 3
    table.locator("input[name='weight-4']").fill("15")
    table.locator("input[name='weight-5']").fill("15")
    with page.expect_navigation():
        page.get_by_role("button", name="保存考核维度").click()
    assert page.locator("#dimension-errors").count() == 0 and "已保存" in page.locator("main").inner_text()
    assert page.locator("#dimension-table input[name='weight-1']").input_value() == "40"

    page.context.clear_cookies()
    log_in(page, live_server, "huamachi")
    page.goto(f"{live_server.url}/assessment/assessments/new/?person={person.pk}&period=2022H1")
    page.select_option("#id_grade", label="称职")
    for key, score in [
        ("political", 90),
        ("responsibility", 80),
        ("development", 70),
        ("governance", 85),
        ("discipline", 95),
    ]:
        page.fill(f"#id_wq_{key}", str(score))
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    # 90×40 + 80×10 + 70×20 + 85×15 + 95×15 = 3600 + 800 + 1400 + 1275 + 1425 = 8500 → 85.00
    assert "85.00" in page.locator("main").inner_text()
    assert str(Assessment.objects.get(person=person).weighted_total) == "85.00"


def test_a_clerk_marks_a_secretary_professional_and_sees_the_badge(page, live_server, world):
    from tests.conftest import HUAMACHI_VILLAGE
    from tests.factories import make_person
    from yanzhen.accounts.models import User
    from yanzhen.divisions.models import Division
    from yanzhen.posts import services
    from yanzhen.posts.models import PostType

    clerk = User.objects.get(username="huamachi")
    [seat] = services.ensure_seats(
        actor=clerk,
        village=Division.objects.get(code=HUAMACHI_VILLAGE),
        post_type=PostType.objects.get(code="secretary"),
        count=1,
    )
    services.appoint(
        actor=clerk, seat=seat, person=make_person("马占山", born=date(1975, 1, 1)), start=date(2021, 1, 15)
    )
    log_in(page, live_server, "huamachi")
    page.goto(f"{live_server.url}/divisions/{HUAMACHI_VILLAGE}/")
    assert page.locator(".term-professional").count() == 0
    page.locator("#committee-seats").get_by_role("link", name="任职类型").click()
    page.select_option("#id_kind", label="专业化管理")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    badge = page.locator("#committee-seats .term-professional")
    assert badge.count() == 1 and badge.inner_text() == "专业化管理"
