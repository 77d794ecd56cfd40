"""The clerk of 花马池镇 scores a village secretary for two months on the village's incumbents page; both are
under 60, the county's rule proposes an adjustment; she opens the proposal and confirms it, and the term
ends with reason 调整."""

from datetime import date

import pytest

from tests.browser.support import log_in
from tests.conftest import HUAMACHI_VILLAGE

pytestmark = pytest.mark.browser

ITEMS = [("工作实绩", 40), ("工作作风", 30), ("群众满意", 30)]


def a_secretary_and_the_county_rule():
    from yanzhen.accounts.models import User
    from yanzhen.assessments.incumbents import rules as incumbent_rules
    from yanzhen.assessments.incumbents import services as incumbents
    from yanzhen.assessments.models import Grade
    from yanzhen.divisions.models import Division
    from yanzhen.people.idcard import make_id_number
    from yanzhen.people.services import PersonInput, create_person
    from yanzhen.posts.models import PostType
    from yanzhen.posts.services import appoint, ensure_seats

    admin = User.objects.get(username="county")
    county = Division.objects.get(code="640323")
    incumbents.save_score_items(actor=admin, county=county, items=list(ITEMS))
    incumbent_rules.add_rule(actor=admin, county=county, grade=Grade.INCOMPETENT, months=2)
    village = Division.objects.get(code=HUAMACHI_VILLAGE)
    person = create_person(
        actor=admin,
        data=PersonInput(
            name="杨建国",
            id_number=make_id_number("640323", date(1972, 3, 8), 33),
            village=village,
            political_status="01",
        ),
    )
    [seat] = ensure_seats(
        actor=admin, village=village, post_type=PostType.objects.get(code="secretary"), count=1
    )
    return appoint(actor=admin, seat=seat, person=person, start=date(2021, 1, 15))


def score_month(page, live_server, month: str, values: list[int]):
    page.goto(f"{live_server.url}/assessment/incumbents/{HUAMACHI_VILLAGE}/?month={month}")
    form = page.locator("form", has=page.locator("input[name=action][value=score]"))
    for field, value in zip(form.locator("input[type=number]").all(), values, strict=True):
        field.fill(str(value))
    with page.expect_navigation():  # the page posts to itself: wait for the answer, not the old page
        form.get_by_role("button", name="保存月考评").click()
    page.wait_for_url(f"**/assessment/incumbents/{HUAMACHI_VILLAGE}/?month={month}")
    row = page.locator("#incumbents tbody tr", has_text="杨建国")
    assert row.locator("strong").inner_text() == str(sum(values))
    assert row.locator("td.grade").inner_text() == "不称职"


def test_two_low_months_lead_to_an_adjustment_the_clerk_confirms(page, live_server, world):
    from yanzhen.posts.models import Term, TermEndReason

    term = a_secretary_and_the_county_rule()
    log_in(page, live_server, "huamachi")

    score_month(page, live_server, "2024-03", [20, 15, 15])
    score_month(page, live_server, "2024-04", [22, 16, 17])

    page.get_by_role("link", name="调整建议").first.click()
    page.wait_for_url("**/assessment/incumbents/proposals/**")
    proposals = page.locator("table tbody tr", has_text="杨建国")
    assert "2024年3月至2024年4月连续 2 个月月考评为“不称职”（50、55 分）" in proposals.inner_text()
    proposals.get_by_role("link", name="杨建国").first.click()
    page.wait_for_url("**/assessment/incumbents/proposals/*/")

    confirm = page.locator("#confirm-form")
    confirm.locator("#on").fill("2024-05-10")
    confirm.locator("#note").fill("乡镇党委研究决定")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    with page.expect_navigation():
        confirm.get_by_role("button", name="确认调整").click()
    assert questions == ["结束杨建国的任期？此操作不可撤销。"]
    assert "已确认调整" in page.locator("main").inner_text()

    term = Term.objects.get(pk=term.pk)
    assert (term.end, term.end_reason) == (date(2024, 5, 10), TermEndReason.TRANSFERRED)
