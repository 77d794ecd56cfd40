"""The clerk of 花马池镇 opens a weak village's page, asks for partners, pairs it with the first suggested, and
records a joint activity on the pair's page; the helped village's income shows before and after."""

from decimal import Decimal

import pytest

from tests.browser.support import log_in

pytestmark = pytest.mark.browser


def test_a_clerk_pairs_a_weak_village_from_the_suggestions(page, live_server, world):
    from yanzhen.accounts.models import User
    from yanzhen.divisions import income
    from yanzhen.divisions.models import Division, VillageTag
    from yanzhen.pairing.models import VillagePair

    weak, strong = (
        Division.objects.filter(parent_id="640323100").administrative_villages().order_by("code")[:2]
    )
    weak.tags.add(VillageTag.objects.get(name="软弱涣散村"))
    county = User.objects.get(username="county")
    for year, amount in ((2025, "8.00"), (2026, "12.00")):
        income.record_income(actor=county, village_code=weak.code, year=year, amount=Decimal(amount))
    income.record_income(actor=county, village_code=strong.code, year=2025, amount=Decimal("90.00"))

    log_in(page, live_server, "huamachi")
    page.goto(f"{live_server.url}/divisions/{weak.code}/")
    page.locator("#village-pairs").get_by_role("link", name="推荐结对村").click()
    page.wait_for_url("**/pairing/suggest/**")
    first = page.locator("#suggestions tbody tr").first
    assert strong.name in first.inner_text() and "集体经济收入是本村的" in first.inner_text()
    first.get_by_role("link", name="结对").click()
    page.wait_for_url("**/pairing/new/**")
    page.fill("#id_name", "两村结对帮扶")
    page.fill("#id_start", "2026-01-01")
    page.fill("#id_goals", "发展滩羊养殖合作社")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    pair = VillagePair.objects.get(name="两村结对帮扶")
    page.wait_for_url(f"**/pairing/{pair.pk}/")
    assert "+4.00（+50.0%）" in page.locator("#income-effect").inner_text()
    form = page.locator("#activity-form")
    form.locator("#id_title").fill("联合召开党员大会")
    form.locator("#id_held_on").fill("2026-03-01")
    with page.expect_navigation():
        form.get_by_role("button", name="保存").click()
    assert "联合召开党员大会" in page.locator("#activities").inner_text()
    assert sorted(pair.members.values_list("village_id", "role")) == [
        (weak.code, "helped"),
        (strong.code, "helper"),
    ]
