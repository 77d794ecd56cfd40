"""The county switches two-factor login on: a township clerk is sent to enrol at his next login, scans (here:
reads) the secret, confirms with a code, keeps his recovery codes; at the following login the code page comes
after the password and a code from the app lets him in."""

from __future__ import annotations

import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD
from yanzhen.accounts.models import SecurityPolicy
from yanzhen.divisions.models import Division

pytestmark = pytest.mark.browser


def code(secret: str, steps_ahead: int = 0) -> str:
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def next_code(secret: str) -> str:
    """The code of the step after the last one the server accepted. The server refuses a step already used
    and may have recorded a drift of -1 (the enrolment code was checked just after its step ended); the
    following step is inside its window in both cases, where "now + 30 s" is not always."""
    device = TOTPDevice.objects.get(user__username="huamachi", confirmed=True)
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = (device.last_t + 1) * 30 + 1
    return f"{totp.token():06d}"


def log_in(page, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "huamachi")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def test_a_clerk_enrols_when_required_and_logs_in_with_a_code(page, live_server, world):
    SecurityPolicy.objects.create(county=Division.objects.get(code="640323"), two_factor_required=True)
    base = live_server.url
    log_in(page, base)
    page.wait_for_url(f"{base}/accounts/two-factor/")
    assert "所在县要求" in page.locator("#two-factor-required").inner_text()
    assert page.locator("#qr-code svg").count() == 1
    secret = page.locator("#totp-secret").inner_text()
    page.fill("#id_code", code(secret))
    page.click("#enrol-form button[type=submit]")
    page.wait_for_selector("#recovery-codes")
    assert page.locator("#recovery-codes li").count() == 10
    page.click("text=我已保存，继续")
    page.wait_for_url(f"{base}/")
    page.wait_for_load_state("networkidle")  # the home page's warning cards (HTMX) have arrived

    page.locator(".yz-account.d-lg-flex button", has_text="退出").click()
    page.wait_for_url(f"{base}/accounts/login/")
    log_in(page, base)
    page.wait_for_url(f"{base}/accounts/two-factor/verify/**")
    page.fill("#id_code", next_code(secret))
    page.click("#verify-form button[type=submit]")
    page.wait_for_url(f"{base}/")
    page.wait_for_load_state("networkidle")  # the home page's warning cards (HTMX) have arrived
    assert page.locator("#breadcrumb").inner_text().strip() == "花马池镇"
