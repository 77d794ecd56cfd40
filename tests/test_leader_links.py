"""县委分管领导 (issue 20 §3): his path has no dead end. On the demo county, every page he may open (and the
sort, filter and page variants it links to) is fetched as him, every internal `<a href>` on it collected,
and each target requested as him: none answers 403 (a page he may not open) or 500."""

from __future__ import annotations

import json
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from tests.test_leader_role import make_leader
from yanzhen.accounts.leader import COMMON_PREFIXES, LEADER_URL_NAMES

pytestmark = pytest.mark.django_db

START = (
    "/",
    "/statistics/",
    "/statistics/villages/",
    "/statistics/warnings/",
    "/rankings/",
    "/rankings/contests/",
    "/succession/",
    "/succession/risk/",
    "/filings/",
    "/todos/",
)
# Of one page (URL name), how many variants (other querystrings, other records) are crawled, and how many
# targets of one URL name are requested: the middleware answers by URL name, so a few of each suffice.
VARIANTS_PER_PAGE = 6
TARGETS_PER_NAME = 3


class _Links(HTMLParser):
    """The links of a page: `<a href>`, `hx-get` (parts loaded after the page, as the warning cards: crawled as
    pages) and the addresses in its JSON data for the scripts (a chart's bars open them)."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.in_json = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(attributes["href"])
        if attributes.get("hx-get"):
            self.hrefs.append(attributes["hx-get"])
        self.in_json = tag == "script" and attributes.get("type") == "application/json"

    def handle_endtag(self, tag):
        self.in_json = False

    def handle_data(self, data):
        if self.in_json:
            self.hrefs.extend(_addresses(json.loads(data)))


def _addresses(value) -> list[str]:
    if isinstance(value, dict):
        return [found for item in value.values() for found in _addresses(item)]
    if isinstance(value, list):
        return [found for item in value for found in _addresses(item)]
    return [value] if isinstance(value, str) and value.startswith("/") and len(value) > 1 else []


def internal_links(base: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        if href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        url = urljoin(base, href)
        parts = urlsplit(url)
        if parts.netloc and parts.netloc != "testserver":
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if parts.path.startswith(COMMON_PREFIXES) or parts.path.endswith(".xlsx"):
            continue  # his own account pages, assets; downloads are not followed
        found.append(path)
    return found


def url_name(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


def crawl(client: Client) -> tuple[dict[str, set[str]], list[str]]:
    """The links found on his pages ({target: pages linking to it}) and the pages that did not answer 200."""
    queue = deque(START)
    seen: set[str] = set(START)
    variants: dict[str | None, int] = {}
    links: dict[str, set[str]] = {}
    broken = []
    while queue:
        page = queue.popleft()
        response = client.get(page)
        if response.status_code != 200:
            broken.append(f"{page}: {response.status_code}")
            continue
        if "html" not in response.get("Content-Type", ""):
            continue
        for target in internal_links(page, response.content.decode()):
            links.setdefault(target, set()).add(page)
            name = url_name(target)
            if target in seen or name not in LEADER_URL_NAMES:
                continue
            seen.add(target)
            if variants.get(name, 0) < VARIANTS_PER_PAGE:
                variants[name] = variants.get(name, 0) + 1
                queue.append(target)
    return links, broken


def test_no_link_on_his_pages_leads_to_a_refusal(demo_county):
    client = Client()
    client.force_login(make_leader())
    links, broken = crawl(client)
    assert broken == []
    assert len(links) > 20  # the pages do have links: the crawl reached them
    requested: dict[str | None, int] = {}
    dead = []
    for target, pages in sorted(links.items()):
        name = url_name(target)
        if requested.get(name, 0) >= TARGETS_PER_NAME:
            continue
        requested[name] = requested.get(name, 0) + 1
        status = client.get(target).status_code
        if status in (403, 500):
            dead.append(f"{target} ({name}): {status}, linked from {sorted(pages)[:3]}")
    assert dead == [], "\n".join(dead)


def test_a_figure_shows_its_number_without_the_link_to_the_people_list(demo_county, client_for):
    """The dashboard's total links the county's editors to the list of the people behind it; his copy shows the
    number in the same place and style, without the link."""
    leader = Client()
    leader.force_login(make_leader())
    mine = leader.get("/statistics/").content.decode()
    theirs = client_for("county").get("/statistics/").content.decode()
    total = re.search(
        r'<a class="fs-4 text-decoration-none" data-figure="total" href="([^"]+)">(\d+)</a>', theirs
    )
    assert total and total.group(1).startswith("/statistics/people/?division=640323&amp;as_of=")
    assert f'<span class="fs-4 text-decoration-none" data-figure="total">{total.group(2)}</span>' in mine
    assert "/statistics/people/" not in mine and "/statistics/people/" in theirs


def test_the_filings_list_shows_the_names_without_the_decision_page(demo_county, client_for):
    from yanzhen.candidacies.models import Filing

    first = Filing.objects.order_by("pk").first()
    assert first is not None
    leader = Client()
    leader.force_login(make_leader())
    name = first.candidacy.person.name
    mine = leader.get("/filings/?page_size=100").content.decode()
    theirs = client_for("county").get("/filings/?page_size=100").content.decode()
    assert f'<a href="/filings/{first.pk}/">{name}</a>' in theirs
    assert f"<span>{name}</span>" in mine and f'href="/filings/{first.pk}/"' not in mine
    assert leader.get(f"/filings/{first.pk}/").status_code == 403


def test_the_village_select_of_his_filters_answers_him(demo_county):
    leader = Client()
    leader.force_login(make_leader())
    options = leader.get("/divisions/filter/villages/?township=640323100")
    assert options.status_code == 200
    assert "长城村委会" in options.content.decode()
    assert leader.get("/divisions/filter/villages/?township=999999999").status_code == 404


HTML = (
    '<p><a href="/statistics/">统计</a> · <a class="small" href="/people/7/" hx-get="/people/7/" target="_blank">'
    '张<b>三</b></a> · <a class="btn btn-sm btn-primary" href="/statistics/thresholds/?division=640323">阈值</a> · '
    "<a href='/statistics/people/?division=640323&amp;group=age'>12</a> · <a href=\"https://example.org/people/1/\">"
    'x</a> · <a href="mailto:a@b.c">m</a> · <a href="/accounts/password/">密码</a> · <a href="/nowhere/">404</a> · '
    '<A HREF="/people/">人员</A> · <a id="top">锚</a></p>'
)


def test_unlink_refused_keeps_his_links_and_unlinks_the_others():
    from yanzhen.accounts.leader import unlink_refused

    assert unlink_refused(HTML, "http://testserver/statistics/") == (
        '<p><a href="/statistics/">统计</a> · <span class="small">张<b>三</b></span> ·  · <span>12</span> · '
        '<a href="https://example.org/people/1/">x</a> · <a href="mailto:a@b.c">m</a> · '
        '<a href="/accounts/password/">密码</a> · <a href="/nowhere/">404</a> · <span>人员</span> · '
        '<a id="top">锚</a></p>'
    )
