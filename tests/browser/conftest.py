"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium), never a downloaded browser.

They run in their own pytest invocation (`pytest -m browser`, see the Makefile) because the live server
needs transactional tests, which empty the database after each test; each test builds what it needs.
"""

import os

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run inside one unless told
# that the test, not a request, is using it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make browser-deps` installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def world(transactional_db):
    """The divisions and personas, rebuilt for each browser test (the live server's database is emptied),
    with the defaults the data migrations create."""
    from tests.conftest import build_world
    from yanzhen.ops.schema import run_data_migrations

    run_data_migrations(ddl=False)
    build_world()


@pytest.fixture(autouse=True)
def screenshots_stay_out_of_docs(monkeypatch, tmp_path):
    """Browser tests take screenshots of what they walk through; the ones aimed at the committed gallery
    (docs/screenshots) go to the test's temporary folder unless YANZHEN_SCREENSHOTS=1, so `make test` leaves
    the checkout as it found it."""
    if os.environ.get("YANZHEN_SCREENSHOTS") == "1":
        return
    from pathlib import Path

    from playwright.sync_api import Page

    original = Page.screenshot

    def screenshot(self, *args, path=None, **kwargs):
        if path is not None and "docs/screenshots" in Path(path).as_posix():
            path = tmp_path / Path(path).name
        return original(self, *args, path=path, **kwargs)

    monkeypatch.setattr(Page, "screenshot", screenshot)
