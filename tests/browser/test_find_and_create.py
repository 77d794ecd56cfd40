"""Find and create (issue 13 §1) in Chromium at 1366×768 and 390×844: the top search box finds a person by
pinyin initials in a grouped popup and opens him; a clerk creates an archive and nominates him in one flow."""

from datetime import date
from pathlib import Path

import pytest

from tests.browser.support import log_in
from tests.conftest import DASHUIKENG_VILLAGE, HUAMACHI_VILLAGE
from yanzhen.accounts.models import User
from yanzhen.candidacies.models import Candidacy
from yanzhen.divisions.models import Division
from yanzhen.people.idcard import make_id_number
from yanzhen.people.models import Person
from yanzhen.people.services import PersonInput, create_person

pytestmark = pytest.mark.browser

SIZES = {"desktop": (1366, 768), "phone": (390, 844)}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def open_page(browser):
    contexts = []

    def make(size: str):
        width, height = SIZES[size]
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    yield make
    for context in contexts:
        context.close()


def add_person(name: str, village: str, serial: int) -> Person:
    return create_person(
        actor=User.objects.get(username="county"),
        data=PersonInput(
            name=name,
            id_number=make_id_number("640323", date(1986, 5, serial), serial),
            village=Division.objects.get(code=village),
            political_status="01",
        ),
    )


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("username", ["county", "huamachi"])
def test_search_a_person_by_pinyin_from_the_top_box_and_open_him(
    open_page, live_server, world, username, size
):
    mzh = add_person("马振华", HUAMACHI_VILLAGE, 1)
    add_person("马振东", DASHUIKENG_VILLAGE, 2)  # another township: the clerk of 花马池镇 must not see him
    page = open_page(size)
    log_in(page, live_server, username)
    page.locator("#top-search-input").press_sequentially("mz", delay=80)
    popup = page.locator("#search-results")
    popup.wait_for()
    assert page.locator("#search-group-people").is_visible()
    hits = popup.locator("a.yz-search-hit").all_inner_texts()
    assert any("马振华" in hit for hit in hits)
    assert any("马振东" in hit for hit in hits) is (username == "county")
    # The popup stays on the screen, beside ☰ in the phone's top bar too, and the body does not scroll sideways.
    box = page.locator("#search-popup").bounding_box()
    viewport = page.viewport_size
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    if username == "county" and size == "desktop":
        page.screenshot(path=str(SCREENSHOTS / "find-search-popup-1366.png"))
    if username == "huamachi" and size == "phone":
        page.screenshot(path=str(SCREENSHOTS / "find-search-popup-390.png"))
    # The keyboard: down to the first hit, Enter opens it.
    page.locator("#top-search-input").press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/people/{mzh.pk}/")
    assert "马振华" in page.locator("h1").first.inner_text()


def test_enter_in_the_box_opens_the_full_results(open_page, live_server, world):
    add_person("马振华", HUAMACHI_VILLAGE, 1)
    page = open_page("desktop")
    log_in(page, live_server, "huamachi")
    page.locator("#top-search-input").fill("mzh")
    page.locator("#top-search-input").press("Enter")
    page.wait_for_url(f"{live_server.url}/search/?q=mzh")
    assert page.locator("#search-results a", has_text="马振华").count() == 1


@pytest.mark.parametrize("size", SIZES)
def test_create_an_archive_and_nominate_him_in_one_flow(open_page, live_server, world, size):
    page = open_page(size)
    log_in(page, live_server, "huamachi")
    page.goto(f"{live_server.url}/reserves/nominate/")
    page.click("#create-and-nominate")
    page.wait_for_url(f"{live_server.url}/people/new/?then=nominate")
    assert "第 1 步（共 2 步）" in page.locator("#create-and-nominate-step").inner_text()
    page.fill("#id_name", "马振华")
    page.fill("#id_id_number", make_id_number("640323", date(1988, 4, 9), 7))
    page.select_option("#id_village", HUAMACHI_VILLAGE)
    page.select_option("#id_political_status", "01")
    if size == "desktop":
        page.screenshot(path=str(SCREENSHOTS / "find-create-and-nominate-1366.png"))
    page.locator("#person-form button.btn-danger").click()

    person = None
    page.wait_for_url(f"{live_server.url}/reserves/nominate/?person=*")
    person = Person.objects.get(name="马振华")
    assert page.locator("#id_person").input_value() == str(person.pk)
    assert "已为 马振华 建档。第 2 步：填写推荐信息。" in page.locator("main").inner_text()
    page.select_option("#id_nomination_way", "village_party")
    page.fill("#id_recommender", "党支部")
    page.fill("#id_on", "2026-03-01")
    if size == "phone":
        page.screenshot(path=str(SCREENSHOTS / "find-nominate-step-2-390.png"))
    page.locator("#nomination-form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/reserves/*/")
    candidacy = Candidacy.objects.get(person=person)
    assert page.url == f"{live_server.url}/reserves/{candidacy.pk}/"
