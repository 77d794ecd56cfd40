"""What the browser tests share: logging in through the login page as a clerk would."""

from __future__ import annotations

from tests.conftest import PASSWORD


def log_in(page, live_server, username: str) -> None:
    """Log in on the login page and wait until the home page is complete: its warning cards arrive after it
    (HTMX), and the live server shares one SQLite connection between its threads."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")
