"""The Content-Security-Policy in Chromium at 1366×768 (docs/security.md, "Security headers"): the main pages load
without a single console message, uncaught error or `securitypolicyviolation` event, and what the inline
handlers used to do still works from the static scripts: the charts draw (and their tooltip shows), a
confirmation dialog asks, the language select switches, the rows-per-page and year selects send their form,
"Add a row" adds one, the error page's back button goes back, the search box answers through htmx, a progress
bar takes its width and the print button prints."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from tests.browser.test_phone import small_county  # noqa: F401 - the fixture of the walk
from tests.browser.test_township_clerk import log_in

pytestmark = pytest.mark.browser

DESK = {"width": 1366, "height": 768}

# Reported by the page itself from the first script on, on every page of the context.
WATCH = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ` +
                        `${event.sourceFile}:${event.lineNumber} (${event.sample})`);
});
window.print = () => { window.__printed = (window.__printed || 0) + 1; };
"""


class Watched:
    """What the browser said while the test walked: console messages, uncaught errors, policy violations."""

    def __init__(self, context, *, own_status_allowed: bool = False, with_address: bool = False):
        self.messages: list[str] = []
        self.own_status_allowed = own_status_allowed
        self.with_address = with_address
        context.expose_binding("__cspViolation", lambda source, text: self.note(f"violation: {text}"))
        context.add_init_script(WATCH)
        self.page = context.new_page()
        self.page.set_default_timeout(15000)
        self.page.on("console", self.console)
        self.page.on("pageerror", lambda error: self.note(f"error: {error}"))

    def note(self, text: str) -> None:
        self.messages.append(f"{self.page.url}: {text}" if self.with_address else text)

    def console(self, message) -> None:
        # Chromium's note that the page itself answered 4xx, where the walk may reach such a page.
        if (
            self.own_status_allowed
            and message.text.startswith("Failed to load resource: the server responded with a status of 4")
            and message.location.get("url") == self.page.url
        ):
            return
        self.note(f"console {message.type}: {message.text}")

    def visit(self, url: str, expected: list[str] | None = None) -> None:
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        self.settled(expected)

    def settled(self, expected: list[str] | None = None) -> None:
        """Nothing was said since the last check, but for the expected messages."""
        self.page.wait_for_timeout(100)
        said, self.messages[:] = list(self.messages), []
        assert said == (expected or []), f"{self.page.url}: {said}"


@pytest.fixture
def reserves(world):
    """A reserve in the pool with a full candidacy (detail page, growth plan, print form), a decided one waiting
    for its 公示, and a training of this year."""
    from tests.candidacies_support import candidacy_in
    from tests.cultivation_support import actor, training_input
    from tests.factories import make_person
    from yanzhen.candidacies.models import CandidacyState
    from yanzhen.cultivation.services.training import create_training

    in_pool = candidacy_in(CandidacyState.IN_POOL, person=make_person("祝心灵", born=date(1990, 5, 12)))
    candidacy_in(CandidacyState.DECIDED, person=make_person("马晓东", born=date(1988, 3, 2)))
    year = timezone.localdate().year
    create_training(
        actor=actor("county"),
        data=training_input(start=date(year, 1, 6), end=date(year, 1, 10)),
    )
    return in_pool


def test_the_main_pages_run_under_the_policy(browser, live_server, reserves):
    from yanzhen.candidacies.models import Candidacy

    candidacy = reserves
    person = candidacy.person
    base = live_server.url
    context = browser.new_context(viewport=DESK, locale="zh-CN")
    watched = Watched(context)
    page = watched.page

    # The login page, anonymous, then the dashboard.
    watched.visit(f"{base}/accounts/login/")
    log_in(page, live_server, "county")
    page.wait_for_function("() => document.querySelector('#chart-education canvas')")
    page.wait_for_load_state("networkidle")
    # The chart's tooltip is HTML that ECharts writes: it must not carry style attributes the policy refuses.
    page.locator("#chart-pyramid canvas").first.hover()
    page.mouse.move(
        page.locator("#chart-pyramid").bounding_box()["x"] + 300,
        page.locator("#chart-pyramid").bounding_box()["y"] + 150,
    )
    page.wait_for_timeout(400)
    watched.settled()

    # The statistics page draws its charts too.
    watched.visit(f"{base}/statistics/")
    assert page.locator("canvas").count() >= 1

    # The person list; the rows-per-page select sends its form (data-autosubmit, not onchange=).
    watched.visit(f"{base}/people/")
    with page.expect_navigation():
        page.locator("select[name=page_size]").select_option("100")
    assert "page_size=100" in page.url
    watched.settled()

    # The archive: the full ID number comes by an htmx POST (hx-vals and the CSRF header of hx-headers are read
    # as JSON, allowEval off); then a search through the top box.
    watched.visit(f"{base}/people/{person.pk}/")
    page.locator("#id_number-value button").click()
    page.wait_for_function("() => !document.querySelector('#id_number-value button')")
    assert person.reveal_id_number() in page.locator("main").inner_text()
    page.fill("#top-search-input", "祝心灵")
    page.wait_for_selector("#search-popup a")
    assert "祝心灵" in page.locator("#search-popup").inner_text()
    watched.settled()

    # The person form: "Add a row" adds a blank row (forms.js, formerly an inline script).
    watched.visit(f"{base}/people/{person.pk}/edit/")
    total = page.locator("#id_educations-TOTAL_FORMS")
    before = int(total.input_value())
    rows = page.locator('[data-rows="educations"] tr').count()
    page.locator('[data-add-row="educations"]').click()
    assert int(total.input_value()) == before + 1
    assert page.locator('[data-rows="educations"] tr').count() == rows + 1
    watched.settled()

    # The reserves board, the candidacy's page: 出库 asks first, and dismissing it changes nothing.
    watched.visit(f"{base}/reserves/")
    watched.visit(f"{base}/reserves/{candidacy.pk}/")
    card = page.locator('.yz-step[data-to="removed"]')
    card.locator('[name="removed-reason"]').select_option("request")
    card.locator('[name="removed-on"]').fill("2024-05-06")
    questions = []

    def dismiss(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    card.locator("button[type=submit]").click()
    page.wait_for_timeout(300)
    assert questions == ["确定出库吗？此操作不可撤销。"]
    assert Candidacy.objects.get(pk=candidacy.pk).state == "in_pool"
    watched.settled()

    # The 公示's start page asks the server for the earliest end (candidacies.js); its printed notice prints.
    watched.visit(f"{base}/reserves/notices/start/")
    watched.visit(f"{base}/reserves/notices/{candidacy.public_notice_id}/")
    page.locator("[data-print]").click()
    assert page.evaluate("() => window.__printed") == 1
    watched.settled()

    # A picker (Tom Select) searches as one types.
    watched.visit(f"{base}/reserves/nominate/")
    page.locator(".ts-wrapper:has(#id_person-ts-control) .ts-control").click()
    page.keyboard.type("马晓东", delay=60)
    page.locator("#id_person-ts-dropdown .option", has_text="马晓东").first.wait_for()
    watched.settled()

    # Pages whose style attributes became classes.
    for url in [
        "/matching/",
        "/cultivation/hours/",
        "/cultivation/degrees/",
        "/statistics/thresholds/",
        "/accounts/password/",
    ]:
        watched.visit(f"{base}{url}")

    # The API's documentation: Swagger UI from django-ninja's own static files, started by a script file too.
    watched.visit(f"{base}/api/v1/docs")
    page.locator("#swagger-ui .info .title").wait_for()
    watched.settled()

    # Trainings: the year select sends its form.
    watched.visit(f"{base}/cultivation/trainings/")
    year = str(timezone.localdate().year - 1)
    with page.expect_navigation():
        page.locator("select[name=year]").select_option(year)
    assert f"year={year}" in page.url
    watched.settled()

    # The growth plan's progress bar takes its width from data-percent (no style attribute).
    watched.visit(f"{base}/cultivation/people/{person.pk}/")
    bar = page.locator("#growth-summary .progress-bar")
    assert bar.evaluate("(bar) => bar.style.width") == bar.get_attribute("data-percent") + "%"

    # The printable form prints from its button.
    watched.visit(f"{base}/people/{person.pk}/print/")
    page.locator("[data-print]").click()
    assert page.evaluate("() => window.__printed") == 1
    watched.settled()

    # The error page (a foreign or missing record): its back button goes back. Chromium reports the 404 itself.
    watched.visit(f"{base}/people/")
    watched.visit(
        f"{base}/people/999999/",
        expected=[
            "console error: Failed to load resource: the server responded with a status of 404 (Not Found)"
        ],
    )
    assert page.locator("#error-page").get_attribute("data-status") == "404"
    with page.expect_navigation():
        page.locator("[data-history-back]").click()
    assert page.url == f"{base}/people/"
    watched.settled()

    # The language select switches the interface, and back.
    with page.expect_navigation():
        page.locator("header .yz-account select[name=language]").select_option("en")
    assert page.locator("html").get_attribute("lang") == "en"
    with page.expect_navigation():
        page.locator("header .yz-account select[name=language]").select_option("zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    watched.settled()
    context.close()


def test_every_page_a_clerk_reaches_runs_under_the_policy(browser, live_server, small_county):  # noqa: F811
    """The walk of tests/browser/test_phone.py (the navigation, then every kind of page linked from the pages it
    reaches, over a small county built through the services) at 1366×768, as the county administrator: no
    console message, uncaught error or policy violation on any page. A page answering 4xx (a link to a record
    the walk cannot open) is let through only with Chromium's note about that status, for the page itself."""
    from tests.browser.test_phone import detail_pages, navigation_links, walk

    context = browser.new_context(viewport=DESK, locale="zh-CN")
    watched = Watched(context, own_status_allowed=True, with_address=True)
    page = watched.page
    log_in(page, live_server, "county")
    visited, _problems = walk(
        page, live_server, navigation_links(page) + detail_pages(small_county), follow=True
    )
    watched.settled()
    context.close()
    assert len(visited) >= 60, visited
