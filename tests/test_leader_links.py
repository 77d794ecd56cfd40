"""县委分管领导 (issue 20 §3): his path has no dead end. On the demo county, every page he may open (and the
sort, filter and page variants it links to) is fetched as him, every internal `<a href>` on it collected,
and each target requested as him: none answers 403 (a page he may not open) or 500."""

from __future__ import annotations

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
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(attributes["href"])
        # Parts loaded after the page (the warning cards): crawled as pages.
        if attributes.get("hx-get"):
            self.hrefs.append(attributes["hx-get"])


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
