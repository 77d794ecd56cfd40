"""Take the README's screenshots of the main pages (`main-<page>-1366.png`, `main-<page>-390.png`) from a served
demo, and report what a clerk would not see: JavaScript errors in the console, pages answering 500, a page
body that scrolls sideways.

    make run   # in another terminal: the demo on http://127.0.0.1:8000
    .venv/bin/python docs/screenshots/take.py --base http://127.0.0.1:8000

Uses Debian's Chromium (/usr/bin/chromium) through Playwright, as the browser tests do. Exits 1 when it saw
a JavaScript error, a 5xx answer or sideways scroll.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
PASSWORD = "Yanzhen@2026"
SIZES = ((1366, 768), (390, 844))
SEARCH = "mcl"  # pinyin initials of a demo person in 花马池镇


def small(path: Path) -> None:
    """A screenshot of text and flat colours loses nothing visible in 256 colours, and two thirds of its bytes."""
    image = Image.open(path).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
        path, optimize=True
    )


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))


def take(base: str, username: str, out: Path, prefix: str) -> list[str]:
    problems: list[str] = []
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--headless", "--disable-gpu"]
        )
        for width, height in SIZES:
            Walk(browser, base, out, prefix, width, height, problems).run(username)
        browser.close()
    return problems


class Walk:
    """One account's walk through the main pages at one window size."""

    def __init__(
        self, browser, base: str, out: Path, prefix: str, width: int, height: int, problems: list[str]
    ):
        self.context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.page.set_default_timeout(30000)
        self.base, self.out, self.prefix, self.width, self.problems = base, out, prefix, width, problems
        self.where = ""
        # A page's own 404 is expected (the 404 page is one of the shots); a script, a style or an HTMX
        # fragment that fails is not, nor any 5xx. The console repeats failed loads: those are left out.
        self.page.on("console", self.on_console)
        self.page.on("pageerror", lambda error: self.problem(f"{self.where}: {error}"))
        self.page.on("response", self.on_response)

    def problem(self, text: str) -> None:
        self.problems.append(f"{self.width}px {text}")

    def on_console(self, message) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problem(f"{self.where}: console: {message.text}")

    def on_response(self, response) -> None:
        failed_part = response.status >= 400 and response.request.resource_type != "document"
        if response.status >= 500 or failed_part:
            self.problem(f"{response.url}: {response.status}")

    def hrefs(self) -> list[str]:
        return self.page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")

    def shot(self, name: str, url: str | None = None) -> None:
        page = self.page
        if url is not None:
            self.where = url
            page.goto(self.base + url)
            page.wait_for_load_state("networkidle")
        sideways = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if sideways > 0:
            self.problem(f"{page.url}: the page body scrolls {sideways}px sideways")
        path = self.out / f"{self.prefix}-{name}-{self.width}.png"
        page.screenshot(path=str(path))
        small(path)

    def run(self, username: str) -> None:
        page, base = self.page, self.base
        log_in(page, base, username)
        self.shot("home", "/")

        # The top search, typed as pinyin initials; the popup opens under the box.
        self.where = "/ (search)"
        page.locator("#top-search-input").press_sequentially(SEARCH, delay=80)
        page.locator("#search-results a.yz-search-hit").first.wait_for()
        self.shot("search")
        person_url = page.locator("#search-results a.yz-search-hit[href^='/people/']").first.get_attribute(
            "href"
        )

        self.shot("people", "/people/?sort=name")
        self.shot("person", person_url)
        self.shot("reserves", "/reserves/")  # the board at a desk, the list on a phone
        page.goto(f"{base}/reserves/?view=list&state=in_notice")
        candidacy = next((h for h in self.hrefs() if re.fullmatch(r"/reserves/\d+/", h)), None)
        if candidacy:
            self.shot("candidacy", candidacy)
        # The enrolment page of the first training this account may enrol people in.
        page.goto(f"{base}/cultivation/trainings/")
        for training in [h for h in self.hrefs() if re.fullmatch(r"/cultivation/trainings/\d+/", h)][:10]:
            page.goto(base + training)
            if page.locator(f"a[href='{training}enrol/']").count():
                self.shot("enrolment", f"{training}enrol/")
                break
        self.shot("assessments", "/assessment/assessments/")
        self.shot("posts", "/posts/")
        self.shot("rosters", "/rosters/")
        self.shot("404", "/no-such-page/")
        self.context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000", help="the served demo")
    parser.add_argument("--user", default="county", help="the demo account (county, huamachi, ...)")
    parser.add_argument("--out", type=Path, default=HERE, help="the folder of the PNGs")
    parser.add_argument("--prefix", default="main", help="the PNGs' name prefix")
    args = parser.parse_args()
    problems = take(args.base.rstrip("/"), args.user, args.out, args.prefix)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
