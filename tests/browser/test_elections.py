"""换届 through the pages, one village from slate to results, in Chromium at 1366×768 and 390×844: the clerk of
花马池镇 proposes a reserve from the pool's suggestions for the secretary's seat with 一肩挑, records the last
department's reply of the joint review (the others came in through the services), publicises the slate, the
county moves the election to 选举中, the clerk enters the results and sees the new committee. Screenshots of
the main pages at both sizes go to docs/screenshots/elections-*.png (YANZHEN_SCREENSHOTS=1)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_township_clerk import log_in
from yanzhen.elections.models import Candidate, ElectionState, Result

pytestmark = pytest.mark.browser

VILLAGE = "640323100200"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def frozen_today(monkeypatch):
    """The app's today for the live server too (it runs in this process)."""

    def set_today(day: date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)

    return set_today


@pytest.fixture
def election_world(world, frozen_today):
    """The village's committee seats with a sitting secretary and chair since 2021, a reserve ready now in the
    pool for it, and the county's 2026 election in 筹备."""
    from tests import elections_support as es
    from tests.candidacies_support import candidacy_in
    from tests.factories import make_person
    from yanzhen.candidacies.models import CandidacyState

    seats = es.seats(VILLAGE, member=1)
    es.sit(seats["secretary"][0], make_person("马德福", VILLAGE, born=date(1962, 3, 1)))
    es.sit(seats["chair"][0], make_person("张守仁", VILLAGE, born=date(1965, 7, 9)))
    reserve = candidacy_in(CandidacyState.IN_POOL, make_person("冯晓燕", VILLAGE, female=True))
    election = es.open_election()
    return election, reserve, seats


# What sticks out past the viewport, to name in a failure: the page's width, then the first wide elements.
OVERFLOW = """[document.documentElement.scrollWidth].concat(
  Array.from(document.querySelectorAll("main *"))
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .slice(0, 8)
    .map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right)))"""


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def shot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"elections-{name}.png"), full_page=True)


def accept_dialogs(page) -> None:
    page.on("dialog", lambda dialog: dialog.accept())


def succeeded(page) -> None:
    page.wait_for_load_state()
    assert page.locator(".alert-success").count() >= 1, page.locator("main").inner_text()


def test_a_village_from_slate_to_results(browser, live_server, election_world, frozen_today):
    from tests.candidacies_support import user
    from yanzhen.elections import services
    from yanzhen.elections.models import ReviewDepartment

    election, reserve, seats = election_world
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15000)
    accept_dialogs(page)
    frozen_today(date(2026, 9, 1))
    log_in(page, live_server, "huamachi")

    # From the navigation to the election and the village.
    page.locator(".yz-sidebar a", has_text="换届").click()
    page.wait_for_url(f"{live_server.url}/elections/")
    shot(page, "list-1366")
    page.locator("#election-table a").first.click()
    page.wait_for_url(f"{live_server.url}/elections/{election.pk}/")
    assert page.locator(f'.village-row[data-village="{VILLAGE}"]').count() == 1
    # The filters apply as they change (htmx), and stay in the URL.
    # The next change waits for htmx to have settled the swapped filters (their listeners are attached then).
    page.evaluate(
        "() => { window.settled = false; document.body.addEventListener("
        "'htmx:afterSettle', () => { window.settled = true; }, {once: true}); }"
    )
    page.select_option("#id_stage", "ready")
    expect(page).to_have_url(re.compile("stage=ready"))
    page.wait_for_function("() => window.settled")
    assert "没有符合条件的村" in page.locator("#village-table").inner_text()
    page.select_option("#id_stage", "no_slate")
    expect(page).to_have_url(re.compile("stage=no_slate"))
    page.locator(f'.village-row[data-village="{VILLAGE}"]').wait_for()
    page.locator(f'.village-row[data-village="{VILLAGE}"] a').click()
    page.wait_for_url(f"{live_server.url}/elections/{election.pk}/villages/{VILLAGE}/")
    assert "马德福" in page.locator("#committee").inner_text()

    # Propose the reserve from the suggestions: secretary with 一肩挑.
    row = page.locator(f'#suggestions tr[data-person="{reserve.person_id}"]')
    assert "可随时使用" in row.inner_text() or "冯晓燕" in row.inner_text()
    row.locator('select[name="post_type"]').select_option(label="村党组织书记")
    row.locator('input[name="also_chair"]').check()
    row.locator("button").click()
    succeeded(page)
    candidate = Candidate.objects.get(election=election)
    assert candidate.also_chair and candidate.origin == "pool"
    shot(page, "village-1366")

    # The joint review: thirteen departments reply through the services, the last one on the page.
    frozen_today(date(2026, 9, 10))
    departments = list(ReviewDepartment.objects.all())
    for department in departments[:-1]:
        services.record_reply(
            actor=user("county"),
            candidate=candidate,
            department=department,
            passed=True,
            replied_on=date(2026, 9, 10),
        )
    page.reload()
    card = page.locator(f"#candidate-{candidate.pk}")
    card.locator("summary", has_text="登记联审意见").click()
    form = card.locator("form.reply-form")
    form.locator("select").first.select_option(label=departments[-1].name)
    form.locator('input[type="radio"][value="1"]').check()
    form.locator('input[name$="replied_on"]').fill("2026-09-10")
    form.locator("button").click()
    succeeded(page)
    assert "联审通过" in page.locator(f"#candidate-{candidate.pk}").inner_text()

    # The slate's notice.
    frozen_today(date(2026, 9, 14))
    page.reload()
    page.fill("#publicise-form input[name=start]", "2026-09-14")
    page.fill("#publicise-form input[name=end]", "2026-09-18")
    page.fill("#publicise-form input[name=supervision_phone]", "0953-6012345")
    page.locator("#publicise-form button").click()
    succeeded(page)
    assert "2026-09-14" in page.locator("#notice").inner_text()

    # The county moves the election to 选举中.
    frozen_today(date(2026, 9, 26))
    county = browser.new_context(locale="zh-CN", viewport=DESKTOP).new_page()
    accept_dialogs(county)
    log_in(county, live_server, "county")
    county.goto(f"{live_server.url}/elections/{election.pk}/")
    county.locator("#advance-form button").click()
    succeeded(county)
    election.refresh_from_db()
    assert election.state == ElectionState.VOTING
    assert "选举中" in county.locator("#election-state").inner_text()
    shot(county, "detail-1366")
    county.context.close()

    # The results, and the new committee.
    page.reload()
    page.locator("#results-link").click()
    page.wait_for_url(f"{live_server.url}/elections/{election.pk}/villages/{VILLAGE}/results/")
    page.fill("#results-form input[name=elected_on]", "2026-09-26")
    page.select_option(f"#id_seat_{seats['secretary'][0].pk}", str(reserve.person_id))
    page.select_option(f"#id_seat_{seats['chair'][0].pk}", str(reserve.person_id))
    page.fill(f"#id_votes_{seats['secretary'][0].pk}", "412")
    shot(page, "results-1366")
    page.locator("#results-form button").click()
    succeeded(page)
    assert Result.objects.filter(election=election).count() == 2
    committee = page.locator("#committee").inner_text()
    assert "新一届班子" in committee and "冯晓燕" in committee and "马德福" not in committee
    assert "一肩挑" in committee
    page.goto(f"{live_server.url}/elections/{election.pk}/handovers/")
    assert page.locator("#handover-table tbody tr.handover-owed").count() == 2  # the old secretary and chair
    shot(page, "handovers-1366")
    assert no_sideways_scroll(page)
    context.close()

    # On a phone: the main pages without sideways scrolling.
    phone = browser.new_context(locale="zh-CN", viewport=PHONE).new_page()
    log_in(phone, live_server, "huamachi")
    for path, name in (
        ("/elections/", "list-390"),
        (f"/elections/{election.pk}/", "detail-390"),
        (f"/elections/{election.pk}/villages/{VILLAGE}/", "village-390"),
        (f"/elections/{election.pk}/handovers/", "handovers-390"),
    ):
        phone.goto(f"{live_server.url}{path}")
        phone.wait_for_load_state()
        assert no_sideways_scroll(phone), (path, phone.evaluate(OVERFLOW))
        shot(phone, name)
    phone.context.close()


def test_the_slate_pages_fit_a_phone(browser, live_server, election_world, frozen_today):
    """The village page while the slate is open (the suggestions, the review and withdrawal forms) and the
    township's results form, at both sizes."""
    from tests import elections_support as es

    election, reserve, seats = election_world
    frozen_today(date(2026, 9, 1))
    candidate = es.propose(election, reserve.person, also_chair=True, code=VILLAGE)

    def visit(path: str, name: str, opened: str = "") -> None:
        for viewport, suffix in ((PHONE, "390"), (DESKTOP, "1366")):
            page = browser.new_context(locale="zh-CN", viewport=viewport).new_page()
            log_in(page, live_server, "huamachi")
            page.goto(f"{live_server.url}{path}")
            if opened:
                page.locator(opened).first.click()
            assert no_sideways_scroll(page), (path, suffix)
            shot(page, f"{name}-{suffix}")
            page.context.close()

    visit(
        f"/elections/{election.pk}/villages/{VILLAGE}/",
        "slate",
        opened=f"#candidate-{candidate.pk} summary:has-text('登记联审意见')",
    )
    frozen_today(date(2026, 9, 26))
    es.review(candidate)
    es.publicise(election, VILLAGE)
    es.voting(election)
    visit(f"/elections/{election.pk}/townships/640323100/results/", "township-results")
