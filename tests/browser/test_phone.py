"""On a phone (390×844) every clerk page fits the screen: the navigation opens from ☰ 菜单, tables scroll inside
their own box, short cells keep one line, and the page body never scrolls sideways. The main pages are walked
again at 1366×768, where the navigation is the left column as before.

The walk starts at the navigation and follows every link of the pages it reaches (one page per kind of
address: /people/7/ stands for every archive), as the county administrator and as the clerk of 花马池镇, over
a small county built through the real services: two townships' villages, reserves taken into the pool,
a nomination, assessments, a training with its participants, a reserve's report."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qsl, urljoin, urlparse

import pytest

from tests.conftest import DASHUIKENG_VILLAGE, HUAMACHI, HUAMACHI_VILLAGE, PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 768}
HUAMACHI_OTHER_VILLAGE = "640323100201"

# Downloads, actions and pages that are not a clerk's screen (/reserves/export/ is a download without .xlsx).
NOT_A_PAGE = re.compile(
    r"/accounts/logout|\.xlsx|/export/|\.lrmx|/api/|/i18n/|/healthz|/photo/image|/attachment|/documents/\d|/me/link"
)
WALK_LIMIT = 160

# How far the page body is wider than the window (0: it fits).
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"

# Table cells whose short text (2 to 8 characters, no space: a name, a state, a header) breaks over lines.
SQUEEZED_CELLS = """() => {
  const squeezed = [];
  for (const cell of document.querySelectorAll('main th, main td')) {
    const text = cell.innerText.trim();
    if (text.length < 2 || text.length > 8 || /\\s/.test(text) || cell.offsetParent === null) continue;
    const range = document.createRange();
    range.selectNodeContents(cell);
    const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
    if (!rects.length) continue;
    const firstLineBottom = Math.min(...rects.map(r => r.bottom));
    if (rects.some(r => r.top >= firstLineBottom - 1)) squeezed.push(text);
  }
  return squeezed.slice(0, 5);
}"""

# What reaches past the window's right edge without a scrolling box around it: named in a failure.
CULPRITS = """() => {
  const width = window.innerWidth, found = [];
  for (const element of document.querySelectorAll('body *')) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    let parent = element.parentElement, clipped = false;
    while (parent && parent !== document.body) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(parent).overflowX)) { clipped = true; break; }
      parent = parent.parentElement;
    }
    if (!clipped) found.push(element.tagName.toLowerCase() + (element.id ? '#' + element.id : '') +
                            '.' + String(element.className).trim().split(/\\s+/).join('.'));
  }
  return found.slice(0, 4);
}"""


@pytest.fixture
def small_county(world):
    """Reserves in two villages of 花马池镇 and one of 大水坑镇, a nomination, assessments, a training with
    attendance, a growth plan and a reserve's report: every list and detail page has rows to show."""
    from tests.assessment_helpers import assess, make_reserve
    from tests.candidacies_support import nominate
    from tests.cultivation_support import training_input
    from tests.factories import make_person
    from yanzhen.accounts.models import User
    from yanzhen.assessments import services as assessment_services
    from yanzhen.assessments.models import Grade
    from yanzhen.cultivation import services as cultivation
    from yanzhen.divisions.models import Division

    county = User.objects.get(username="county")
    clerk = User.objects.get(username="huamachi")
    today = cultivation.today()
    entered = today - timedelta(days=420)
    reserves = [
        make_reserve(clerk, "白坤林", HUAMACHI_VILLAGE, entered=entered, posts=("secretary", "member"))[0],
        make_reserve(clerk, "马振华", HUAMACHI_VILLAGE, entered=entered)[0],
        make_reserve(clerk, "杨晓燕", HUAMACHI_OTHER_VILLAGE, entered=entered, posts=("chair",))[0],
        make_reserve(county, "冯国强", DASHUIKENG_VILLAGE, entered=entered)[0],
    ]
    nominated = nominate(
        make_person("周文静", HUAMACHI_OTHER_VILLAGE, actor=clerk),
        actor="huamachi",
        on=today - timedelta(days=3),
    )
    last_year = today.year - 1
    for reserve, grade in zip(
        reserves, [Grade.EXCELLENT, Grade.COMPETENT, Grade.COMPETENT, Grade.INCOMPETENT], strict=True
    ):
        assess(county, reserve, last_year, 2, grade)
    assessment_services.submit_report(
        actor=clerk,
        person=reserves[0],
        year=last_year,
        half=2,
        text="参与村里矛盾调解三次，协助完成防汛值守。",
    )
    training = cultivation.create_training(
        actor=clerk,
        data=training_input(
            division=Division.objects.get(code=HUAMACHI),
            start=today - timedelta(days=12),
            end=today - timedelta(days=10),
            hours=Decimal("24"),
        ),
    )
    cultivation.enrol(actor=clerk, training=training, people=reserves[:3])
    cultivation.record_attendance(
        actor=clerk,
        training=training,
        rows=[cultivation.AttendanceInput(reserve, 24, True, 90) for reserve in reserves[:3]],
    )
    cultivation.add_plan_item(
        actor=clerk,
        person=reserves[0],
        kind="other",
        title="列席村民议事会并发言",
        planned_start=today - timedelta(days=60),
        due=today - timedelta(days=1),
    )
    return {
        "person": reserves[0],
        "candidacy": nominated,
        "village": HUAMACHI_VILLAGE,
        "training": training,
    }


def detail_pages(small_county) -> list[str]:
    candidacy_of_reserve = small_county["person"].candidacies.order_by("pk").first()
    return [
        f"/people/{small_county['person'].pk}/",
        f"/divisions/{small_county['village']}/",
        f"/reserves/{small_county['candidacy'].pk}/",
        f"/reserves/{candidacy_of_reserve.pk}/",
        f"/cultivation/trainings/{small_county['training'].pk}/",
        f"/cultivation/people/{small_county['person'].pk}/",
    ]


def open_browser(browser, live_server, username, viewport):
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")  # the home page's warning cards (HTMX) have arrived
    return context, page


def kind_of_address(url: str) -> str:
    """/people/7/ and /people/9/ are the same kind of page; so are two lists with the same filters named."""
    parts = urlparse(url)
    keys = sorted({key for key, _value in parse_qsl(parts.query)} - {"page", "sort", "order"})
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def navigation_links(page) -> list[str]:
    return page.eval_on_selector_all(
        "#yz-nav a.nav-link[href]", "links => links.map(a => a.getAttribute('href'))"
    )


def check(page, live_server, address: str, problems: list[str]) -> bool:
    """Open a page and note what does not fit; False when it is not an HTML page."""
    response = page.goto(live_server.url + address)
    if response is None or "text/html" not in (response.headers.get("content-type") or ""):
        return False
    assert response.status < 500, f"{address} answered {response.status}"
    overflow = page.evaluate(OVERFLOW)
    if overflow > 1:
        problems.append(
            f"{address}: the page is {overflow}px wider than the window ({page.evaluate(CULPRITS)})"
        )
    squeezed = page.evaluate(SQUEEZED_CELLS)
    if squeezed:
        problems.append(f"{address}: cells broken over lines {squeezed}")
    return True


def walk(page, live_server, starts: list[str], *, follow: bool) -> tuple[list[str], list[str]]:
    """Visit the start pages and, when following, every kind of page linked from them; return the pages seen
    and the problems found."""
    queue, seen_kinds, visited, problems = list(starts), set(), [], []
    for address in starts:
        seen_kinds.add(kind_of_address(address))
    while queue and len(visited) < WALK_LIMIT:
        address = queue.pop(0)
        if not check(page, live_server, address, problems):
            continue
        visited.append(address)
        if not follow:
            continue
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            target = urlparse(urljoin(live_server.url + address, href))
            if target.netloc != urlparse(live_server.url).netloc or NOT_A_PAGE.search(target.path):
                continue
            relative = target.path + (f"?{target.query}" if target.query else "")
            if kind_of_address(relative) not in seen_kinds:
                seen_kinds.add(kind_of_address(relative))
                queue.append(relative)
    return visited, problems


# A township clerk's 系统 is greyed out: the system pages are the county administrator's.
NAVIGATION_LINKS = {
    "county": 20,  # and 报表上报 (issue 20 §3), which a township clerk has not
    "huamachi": 18,
}  # 雏雁计划, 待遇保障, 结对共建, 比学赶超, 群众满意度, 梯队接替, 待办, 备案审批 included


@pytest.mark.parametrize("username", ["county", "huamachi"])
def test_every_clerk_page_fits_a_phone(browser, live_server, small_county, username):
    context, page = open_browser(browser, live_server, username, PHONE)
    starts = navigation_links(page)
    assert len(starts) == NAVIGATION_LINKS[username]
    visited, problems = walk(page, live_server, starts + detail_pages(small_county), follow=True)
    context.close()

    assert problems == []
    # The walk went deep: lists, details, forms of every area.
    for area in [
        "/people/",
        "/reserves/",
        "/cultivation/trainings/",
        "/assessment/",
        "/matching/",
        "/statistics/",
    ]:
        assert any(address.startswith(area) for address in visited), area
    assert len(visited) >= 60, visited


@pytest.mark.parametrize("username", ["county", "huamachi"])
def test_the_main_pages_fit_a_desk(browser, live_server, small_county, username):
    context, page = open_browser(browser, live_server, username, DESK)
    # The navigation is the left column, always shown; no menu button.
    assert page.locator(".yz-sidebar").is_visible()
    assert page.locator(".yz-sidebar").bounding_box()["width"] == 200
    assert not page.locator(".yz-menu-button").is_visible()
    assert page.get_by_role("button", name="退出").is_visible()
    # 修改密码 sits in the top bar, next to 退出.
    change = page.locator(".yz-topbar a", has_text="修改密码")
    assert change.is_visible() and change.get_attribute("href") == "/accounts/password/"
    starts = navigation_links(page)
    visited, problems = walk(page, live_server, starts + detail_pages(small_county), follow=False)
    context.close()

    assert problems == []
    assert len(visited) == NAVIGATION_LINKS[username] + 6


def test_the_menu_button_opens_the_navigation_on_a_phone(browser, live_server, small_county):
    from yanzhen.accounts.models import User

    context, page = open_browser(browser, live_server, "huamachi", PHONE)
    # The page starts at once: top bar with ☰ 菜单, the brand and the search box, no 460 px sidebar above.
    sidebar = page.locator(".yz-sidebar")
    assert not sidebar.is_visible()
    menu = page.locator(".yz-menu-button")
    assert menu.inner_text() == "☰ 菜单"
    assert menu.bounding_box()["y"] < 20
    assert page.locator(".yz-topbar input[name=q]").is_visible()
    assert page.locator(".yz-topbar input[name=q]").bounding_box()["y"] < 20
    assert page.locator("main").bounding_box()["y"] < 120
    assert not page.get_by_role("button", name="退出").is_visible()
    assert not page.locator("a", has_text="修改密码").first.is_visible()

    menu.click()
    page.wait_for_selector("#yz-nav.show")
    links = page.locator("#yz-nav .nav-link")
    # 待办 carries its count (a badge loaded after the page): the label without it.
    assert [text.rstrip("0123456789 ") for text in links.all_inner_texts()] == [
        "首页", "待办", "村情", "人员", "后备力量", "备案审批", "雏雁计划", "培养", "考核", "待遇保障", "人岗相适", "结对共建", "比学赶超",
        "群众满意度", "梯队接替", "换届", "统计", "导入导出", "系统",
    ]  # fmt: skip
    # Who is logged in, the language, 修改密码 and 退出 moved into the menu.
    assert page.locator("#yz-nav .yz-user").inner_text() == str(User.objects.get(username="huamachi"))
    assert page.get_by_role("button", name="退出").is_visible()
    assert page.locator("#yz-nav a", has_text="修改密码").is_visible()
    assert page.locator("#yz-nav select[name=language]").is_visible()

    page.locator("#yz-nav a.nav-link", has_text="人员").click()
    page.wait_for_url(f"{live_server.url}/people/")
    assert not sidebar.is_visible()
    assert page.evaluate(OVERFLOW) <= 1
    # The people list scrolls inside its own box (the list's, not a second one layout.js would nest in it) and
    # names keep one line.
    box = page.locator("main .list-scroll").first
    assert box.evaluate("element => getComputedStyle(element).overflowX") == "auto"
    assert page.locator("main .list-scroll .table-responsive").count() == 0
    assert page.locator("main .list-scroll > table").evaluate("t => getComputedStyle(t).display") == "table"
    name = page.locator("main table tbody tr td", has_text="白坤林").first
    assert name.bounding_box()["height"] < 50

    # The close button puts it away.
    menu.click()
    page.wait_for_selector("#yz-nav.show")
    page.locator("#yz-nav .btn-close").click()
    page.wait_for_selector("#yz-nav:not(.show)", state="attached")
    context.close()


def test_charts_follow_the_window_width(browser, live_server, small_county):
    context, page = open_browser(browser, live_server, "county", DESK)
    page.goto(f"{live_server.url}/statistics/")
    page.wait_for_selector("#chart-pyramid canvas")
    assert page.locator("#chart-pyramid canvas").bounding_box()["width"] > 390
    page.set_viewport_size(PHONE)
    page.wait_for_function(
        "() => document.querySelector('#chart-pyramid canvas').getBoundingClientRect().width <= 390 - 24"
    )
    assert page.evaluate(OVERFLOW) <= 1
    context.close()


def test_the_reserves_own_page_fits_a_phone(browser, live_server, small_county):
    from yanzhen.accounts.models import User
    from yanzhen.accounts.roles import Role
    from yanzhen.accounts.services import create_or_update_user
    from yanzhen.assessments import services
    from yanzhen.divisions.models import Division

    user, _created = create_or_update_user(
        username="baikunlin",
        password=PASSWORD,
        division=Division.objects.get(code=HUAMACHI_VILLAGE),
        roles=[Role.RESERVE],
    )
    services.link_self_service(
        actor=User.objects.get(username="huamachi"), user=user, person=small_county["person"]
    )
    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "baikunlin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/assessment/me/")
    assert page.evaluate(OVERFLOW) <= 1
    assert page.evaluate(SQUEEZED_CELLS) == []
    # His page is a page of its own: one red bar with his name and 退出 above his report, no navigation.
    assert page.locator(".yz-menu-button").count() == 0
    assert page.get_by_role("button", name="退出").bounding_box()["y"] < 20
    text = page.locator("#id_text")
    assert text.bounding_box()["width"] > 300
    context.close()
