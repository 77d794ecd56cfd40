"""The clerk of 花马池镇 opens a reserve's growth plan from the cultivation overview: she sees what is done,
what is overdue, his training hours, adds a step, and finds the summary on his archive."""

from datetime import timedelta

import pytest

from tests.browser.support import log_in
from tests.conftest import HUAMACHI_VILLAGE

pytestmark = pytest.mark.browser


def a_reserve_with_a_plan():
    from tests.cultivation_support import actor, put_in_pool, training_input
    from tests.factories import make_person
    from yanzhen.cultivation import services

    clerk = actor("huamachi")
    today = services.today()
    reserve = make_person("祝心灵", village=HUAMACHI_VILLAGE)
    put_in_pool(reserve, entered=today - timedelta(days=400))
    training = services.create_training(
        actor=clerk,
        data=training_input(start=today - timedelta(days=12), end=today - timedelta(days=10), hours=24),
    )
    services.enrol(actor=clerk, training=training, people=[reserve])
    services.record_attendance(
        actor=clerk, training=training, rows=[services.AttendanceInput(reserve, 24, True, 90)]
    )
    services.add_plan_item(
        actor=clerk,
        person=reserve,
        kind="training",
        title="乡镇党校轮训",
        planned_start=today - timedelta(days=30),
        due=today - timedelta(days=5),
        link=training,
    )
    services.add_plan_item(
        actor=clerk,
        person=reserve,
        kind="other",
        title="列席村民议事会并发言",
        planned_start=today - timedelta(days=60),
        due=today - timedelta(days=1),
    )
    services.add_plan_item(
        actor=clerk,
        person=reserve,
        kind="secondment",
        title="到示范村挂职三个月",
        planned_start=today + timedelta(days=30),
        due=today + timedelta(days=120),
    )
    return reserve


def test_township_clerk_opens_a_reserves_growth_plan(page, live_server, world):
    reserve = a_reserve_with_a_plan()
    log_in(page, live_server, "huamachi")

    page.locator(".yz-sidebar a", has_text="培养").click()
    page.wait_for_url(f"{live_server.url}/cultivation/")
    overdue = page.locator("#overdue-items")
    assert "列席村民议事会并发言" in overdue.inner_text()
    overdue.get_by_role("link", name="祝心灵").click()
    page.wait_for_url(f"{live_server.url}/cultivation/people/{reserve.pk}/")

    assert "成长计划" in page.locator("h1").inner_text()
    states = dict(
        zip(
            page.locator("#plan-items tbody tr td:nth-child(2)").all_inner_texts(),
            page.locator("#plan-items tbody tr").evaluate_all("rows => rows.map(r => r.dataset.state)"),
            strict=True,
        )
    )
    assert states == {
        "乡镇党校轮训": "done",
        "列席村民议事会并发言": "overdue",
        "到示范村挂职三个月": "planned",
    }
    assert "已完成 1 / 3 项" in page.locator("#growth-summary").inner_text()
    assert page.locator("#hours").inner_text().startswith("24")

    # She adds a step: a mentor pairing planned for next month.
    form = page.locator("#item-form")
    form.locator("select[name=kind]").select_option("mentoring")
    form.locator("input[name=title]").fill("与老支书结对")
    form.locator("input[name=planned_start]").fill(str(reserve.created_at.date() + timedelta(days=30)))
    form.locator("input[name=due]").fill(str(reserve.created_at.date() + timedelta(days=200)))
    form.locator("button").click()
    page.wait_for_url(f"{live_server.url}/cultivation/people/{reserve.pk}/")
    assert "与老支书结对" in page.locator("#plan-items").inner_text()
    assert "已完成 1 / 4 项" in page.locator("#growth-summary").inner_text()

    # The archive shows the summary and the overdue step.
    page.get_by_role("link", name="祝心灵").first.click()
    page.wait_for_url(f"{live_server.url}/people/{reserve.pk}/")
    summary = page.locator("#person-growth").inner_text()
    assert "列席村民议事会并发言" in summary and "1 项逾期" in summary


def test_another_township_gets_404_for_the_plan(page, live_server, world):
    reserve = a_reserve_with_a_plan()
    log_in(page, live_server, "dashuikeng")
    response = page.goto(f"{live_server.url}/cultivation/people/{reserve.pk}/")
    assert response.status == 404
    assert "祝心灵" not in page.content()
