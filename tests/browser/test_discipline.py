"""The clerk of 花马池镇 records a 党内严重警告 on a reserve's archive; while its 影响期 runs the rules propose
removing him from the pool; she opens the proposal from the message and confirms it, and the reserve leaves the
pool for 违纪违法."""

import pytest

from tests.browser.support import log_in

pytestmark = pytest.mark.browser


def test_a_discipline_record_leads_to_a_removal_the_clerk_confirms(page, live_server, world):
    from tests.candidacies_support import candidacy_in
    from yanzhen.candidacies.models import Candidacy, CandidacyState, RemovalReason

    candidacy = candidacy_in(CandidacyState.IN_POOL)
    log_in(page, live_server, "huamachi")
    page.goto(f"{live_server.url}/people/{candidacy.person_id}/")
    page.get_by_role("link", name="登记处分").click()
    page.wait_for_url("**/assessment/discipline/new/**")
    page.select_option("#id_measure", label="党内严重警告")
    page.fill("#id_decided_on", "2026-06-01")
    page.fill("#id_issuer", "中共盐池县纪委")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/people/{candidacy.person_id}/")
    records = page.locator("#discipline-records")
    assert "党内严重警告" in records.inner_text() and "影响期至 2027-12-01" in records.inner_text()
    assert records.locator(".badge").inner_text() == "负面清单"

    assert "已生成出库建议：祝心灵" in page.locator("main").inner_text()
    page.get_by_role("link", name="查看建议").click()
    page.wait_for_url("**/assessment/proposals/*/")
    assert (
        "受到党内严重警告处分（2026-06-01，中共盐池县纪委），影响期至 2027-12-01"
        in page.locator("#proposal").inner_text()
    )
    form = page.locator("#decision-form")
    form.get_by_label("确认：办理出库").check()
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        form.get_by_role("button", name="保存处理结果").click()

    candidacy = Candidacy.objects.get(pk=candidacy.pk)
    assert (candidacy.state, candidacy.removal_reason) == (CandidacyState.REMOVED, RemovalReason.VIOLATION)
