"""Walk every page a demo account reaches by following the app's own links (breadth first from the home page)
and report what a clerk would hit: a 5xx, a console error (a CSP violation is one), a script error, a page
body that scrolls sideways. Used after refactors that touch many pages (issue 15); screenshots of the pages
whose templates changed are kept with `--shots NAME=PATH`.

    make run   # in another terminal
    .venv/bin/python docs/screenshots/crawl.py --base http://127.0.0.1:8000 --user county --limit 200
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import deque
from urllib.parse import urldefrag, urlparse

from playwright.sync_api import sync_playwright
from take import HERE, PASSWORD, SIZES, small

# Links that leave the page set or change something: downloads, logout, prints, API.
SKIP = re.compile(
    r"(\.xlsx|\.lrmx|\.pdf|/download|/export|/logout|/print|^/api/|/photo|/attachments/|/static/)"
)


def crawl(
    base: str, user: str, limit: int, width: int, height: int, shots: dict[str, str], start: str = "/"
) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--headless", "--disable-gpu"]
        )
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
        page = context.new_page()
        where = {"url": ""}
        page.on(
            "console",
            lambda m: (
                m.type == "error"
                and not m.text.startswith("Failed to load resource")
                and problems.append(f"{where['url']}: console: {m.text}")
            ),
        )
        page.on("pageerror", lambda error: problems.append(f"{where['url']}: {error}"))
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", user)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        queue = deque([start])
        while queue and len(seen) < limit:
            path = queue.popleft()
            if path in seen:
                continue
            seen.add(path)
            where["url"] = path
            response = page.goto(base + path)
            page.wait_for_load_state("networkidle")
            status = response.status if response else 0
            if status >= 500:
                problems.append(f"{path}: {status}")
                continue
            sideways = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if sideways > 0:
                problems.append(f"{path} at {width}px: scrolls {sideways}px sideways")
            for name, wanted in shots.items():
                if path == wanted:
                    target = HERE / f"{name}-{width}.png"
                    page.screenshot(path=str(target))
                    small(target)
            for href in page.eval_on_selector_all(
                "a[href]", "links => links.map(a => a.getAttribute('href'))"
            ):
                href = urldefrag(href)[0]
                parsed = urlparse(href)
                if parsed.scheme or parsed.netloc or not href.startswith("/") or SKIP.search(href):
                    continue
                if href not in seen:
                    queue.append(href)
        context.close()
        browser.close()
    print(f"{user} at {width}px: {len(seen)} pages walked, {len(problems)} problems")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="county")
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument(
        "--start", default="/", help="the first page (e.g. /elections/ to walk one part first)"
    )
    parser.add_argument("--shots", nargs="*", default=[], help="NAME=PATH: keep a screenshot of that page")
    args = parser.parse_args()
    shots = dict(item.split("=", 1) for item in args.shots)
    problems = []
    for width, height in SIZES:
        problems += crawl(args.base, args.user, args.limit, width, height, shots, args.start)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
