"""待办 (issue 20 §1): the clerk of 花马池镇 sees the count in the navigation, opens her to-dos, follows an
objection's link to the candidacy, resolves it there, comes back and the item is gone."""

import pytest

from tests.browser.support import log_in

pytestmark = pytest.mark.browser


def test_a_clerk_clears_a_to_do(page, live_server, world):
    from tests.candidacies_support import NOTICE_START, candidacy_in, user
    from tests.factories import make_person
    from yanzhen.candidacies import notice
    from yanzhen.candidacies.models import Objection

    candidacy = candidacy_in("in_notice", make_person("马异议"))
    objection = notice.record_objection(
        actor=user("huamachi"), candidacy=candidacy, received_on=NOTICE_START, content="反映问题"
    )

    log_in(page, live_server, "huamachi")
    badge = page.locator("#yz-nav #todo-count")
    badge.wait_for()
    # The open objection and the notice that has ended since 2024 (入库 due).
    assert badge.inner_text() == "2"
    page.locator("#yz-nav").get_by_role("link", name="待办").click()
    page.wait_for_url("**/todos/")
    section = page.locator("#todo-open-objections")
    assert "异议待处理" in section.inner_text()
    section.get_by_role("link", name="马异议").click()
    page.wait_for_url(f"**/reserves/{candidacy.pk}/**")
    form = page.locator("#objections form").first
    form.locator("[name=resolve-on]").fill("2024-03-26")
    form.locator("[name=resolve-resolution]").fill("经核实不属实")
    with page.expect_navigation():
        form.get_by_role("button", name="异议不成立，保留人选").click()
    assert Objection.objects.get(pk=objection.pk).resolved_on is not None
    page.goto(f"{live_server.url}/todos/")
    assert page.locator("#todo-open-objections").count() == 0
    assert page.locator("#todo-notices-ended").count() == 1
    assert page.locator("#todo-total").inner_text() == "1"
    page.locator("#yz-nav #todo-count").wait_for()
    assert page.locator("#yz-nav #todo-count").inner_text() == "1"
