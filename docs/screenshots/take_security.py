"""Screenshots of the security pages of issue 14 (`security-<page>-1366.png`, `security-<page>-390.png`) from a
served demo, with the same checks as take.py (console errors, 5xx, sideways scroll; a CSP violation is a console
error).

    make run   # in another terminal
    .venv/bin/python docs/screenshots/take_security.py --base http://127.0.0.1:8000
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright
from take import HERE, PASSWORD, SIZES, small

# (account, page name, path): each account signs in afresh (one session per user).
PAGES = [
    ("huamachi", "password", "/accounts/password/"),
    ("county", "two-factor", "/accounts/two-factor/"),
    ("county", "reauth", "/accounts/reauth/?next=/people/"),
    ("county", "holidays", "/system/holidays/2027/"),
    ("anquan", "policy", "/security/"),
    ("anquan", "accounts", "/security/accounts/"),
    ("xitong", "users", "/system/users/"),
    ("shenji", "audit", "/audit/"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args()
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--headless", "--disable-gpu"]
        )
        for width, height in SIZES:
            for account, name, path in PAGES:
                context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
                page = context.new_page()
                page.on("console", lambda m, n=name: m.type == "error" and problems.append(f"{n}: {m.text}"))
                page.goto(f"{args.base}/accounts/login/")
                page.fill("#id_username", account)
                page.fill("#id_password", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_load_state("networkidle")
                response = page.goto(f"{args.base}{path}")
                if response is None or response.status >= 500:
                    problems.append(f"{name}: {response and response.status}")
                if page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1"):
                    problems.append(f"{name} at {width}: scrolls sideways")
                target = args.out / f"security-{name}-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                small(target)
                context.close()
        browser.close()
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    sys.exit(main())
