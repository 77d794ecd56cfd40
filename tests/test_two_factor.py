"""Two-factor login (TOTP, django-otp): enrolment with a code computed here, the code asked after the password,
wrong codes refused, audited and limited, recovery codes once each, and the county policy forcing enrolment on
the roles it covers (not on a reserve)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD
from yanzhen.accounts.models import SecurityPolicy, User
from yanzhen.accounts.roles import Role
from yanzhen.core.models import AuditAction, AuditEvent, AuditOutcome
from yanzhen.divisions.models import Division

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_back_off(settings):
    # django-otp's back-off (1, 2, 4 … s after a wrong code) would refuse the right code typed just after.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def login(client: Client, username: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the user's authenticator app shows now or, with `steps_ahead`, the first one the server has
    not used yet. The server refuses a step it has already accepted and records a drift when a code is checked
    just after its 30 s ended, so "now + 30 s" can fall outside its window; the step after the last one used
    is always inside it."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    step = totp.t()
    if steps_ahead:
        step = max(step, device.last_t + 1)
    totp.time = device.t0 + (step - device.drift) * device.step + 1
    return f"{totp.token():06d}"


def enrol(client: Client, user: User) -> list[str]:
    """Enrol through the page as the user would; returns the recovery codes it shows."""
    page = client.get("/accounts/two-factor/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    # The secret shown as text is the device's key (the QR code carries the same otpauth URL).
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page.content.decode())[1].replace(" ", "")
    from base64 import b32encode

    assert secret == b32encode(device.bin_key).decode()
    assert "<svg" in page.content.decode()
    done = client.post("/accounts/two-factor/", {"code": code_for(device)})
    assert done.status_code == 200
    return re.findall(r"<li>([a-z2-7]{8})</li>", done.content.decode())


def events(action: AuditAction, username: str):
    return AuditEvent.objects.filter(action=action, username=username)


def test_enrolment_confirms_the_authenticator_and_shows_ten_recovery_codes_once(client):
    login(client, "huamachi")
    user = User.objects.get(username="huamachi")
    codes = enrol(client, user)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    assert sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == sorted(
        codes
    )
    assert events(AuditAction.TWO_FACTOR_ENROLLED, "huamachi").count() == 1
    # Shown once: the page afterwards says how many are left, not which.
    page = client.get("/accounts/two-factor/").content.decode()
    assert "10" in page and codes[0] not in page


def test_a_wrong_code_at_enrolment_confirms_nothing(client):
    login(client, "huamachi")
    user = User.objects.get(username="huamachi")
    client.get("/accounts/two-factor/")
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/two-factor/", {"code": wrong})
    assert response.status_code == 400
    assert "验证码不正确" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert events(AuditAction.TWO_FACTOR_FAILED, "huamachi").count() == 1


def test_login_asks_for_the_code_when_enrolled(client):
    login(client, "huamachi")
    user = User.objects.get(username="huamachi")
    enrol(client, user)
    client.post("/accounts/logout/")

    fresh = Client()
    response = login(fresh, "huamachi")
    assert response.status_code == 302
    # Every page leads to the code page until the code is given; the API answers 403.
    page = fresh.get("/people/")
    assert page.status_code == 302 and page.url.startswith("/accounts/two-factor/verify/")
    assert fresh.get("/api/v1/persons").status_code == 403
    assert fresh.get("/accounts/password/").status_code == 302
    # Nor may he enrol a new authenticator of his own meanwhile.
    assert fresh.get("/accounts/two-factor/").url == "/accounts/two-factor/verify/"

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    done = fresh.post(
        "/accounts/two-factor/verify/?next=/people/", {"code": code_for(device, 1), "next": "/people/"}
    )
    assert done.status_code == 302 and done.url == "/people/"
    assert fresh.get("/people/").status_code == 200
    assert events(AuditAction.TWO_FACTOR_VERIFIED, "huamachi").count() == 1


def test_a_wrong_code_is_refused_audited_and_five_send_back_to_the_login(client):
    login(client, "huamachi")
    user = User.objects.get(username="huamachi")
    enrol(client, user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    wrong = f"{(int(code_for(device, 1)) + 500_000) % 1_000_000:06d}"

    fresh = Client()
    login(fresh, "huamachi")
    for attempt in range(1, 5):
        response = fresh.post("/accounts/two-factor/verify/", {"code": wrong})
        assert response.status_code == 400
        assert f"还可再试 {5 - attempt} 次" in response.content.decode()
        assert fresh.get("/people/").status_code == 302
    fifth = fresh.post("/accounts/two-factor/verify/", {"code": wrong})
    assert fifth.status_code == 302 and fifth.url == "/accounts/login/"
    assert "验证码错误次数过多，请重新登录。" in fresh.get("/accounts/login/").content.decode()
    # Logged out: the page asks for the password again.
    assert fresh.get("/people/").url.startswith("/accounts/login/")
    failed = events(AuditAction.TWO_FACTOR_FAILED, "huamachi")
    assert failed.count() == 5
    assert set(failed.values_list("outcome", flat=True)) == {AuditOutcome.FAILURE}


def test_a_recovery_code_works_once(client):
    login(client, "huamachi")
    user = User.objects.get(username="huamachi")
    codes = enrol(client, user)

    first = Client()
    login(first, "huamachi")
    assert first.post("/accounts/two-factor/verify/", {"code": codes[3].upper()}).status_code == 302
    assert first.get("/people/").status_code == 200
    assert StaticToken.objects.filter(device__user=user).count() == 9

    second = Client()
    login(second, "huamachi")
    again = second.post("/accounts/two-factor/verify/", {"code": codes[3]})
    assert again.status_code == 400
    assert second.get("/people/").status_code == 302


def test_new_recovery_codes_replace_the_old_ones(client):
    login(client, "huamachi")
    user = User.objects.get(username="huamachi")
    old = enrol(client, user)
    page = client.post("/accounts/two-factor/recovery-codes/")
    new = re.findall(r"<li>([a-z2-7]{8})</li>", page.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == sorted(
        new
    )


def switch_policy_on(county: str = "640323") -> None:
    SecurityPolicy.objects.create(county=Division.objects.get(code=county), two_factor_required=True)


def test_policy_on_sends_an_unenrolled_administrator_to_enrolment_first():
    switch_policy_on()
    client = Client()
    login(client, "county")
    response = client.get("/people/")
    assert response.status_code == 302 and response.url == "/accounts/two-factor/"
    assert client.get("/api/v1/persons").status_code == 403
    page = client.get("/accounts/two-factor/")
    assert "所在县要求" in page.content.decode()
    user = User.objects.get(username="county")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post("/accounts/two-factor/", {"code": code_for(device)})
    assert client.get("/people/").status_code == 200


def test_policy_on_does_not_force_a_reserve_nor_a_village_secretary_nor_another_county():
    from yanzhen.accounts.services import create_or_update_user

    switch_policy_on()
    create_or_update_user(
        username="houbei",
        password=PASSWORD,
        division=Division.objects.get(code="640323100200"),
        roles=[Role.RESERVE],
    )
    reserve = Client()
    login(reserve, "houbei")
    assert reserve.get("/assessment/me/").status_code == 200
    secretary = Client()
    login(secretary, "cunshuji")
    assert secretary.get("/people/").status_code == 200
    outsider = Client()
    login(outsider, "outsider")  # 武都区: its county has no policy
    assert outsider.get("/people/").status_code == 200


def test_the_policy_of_a_user_is_his_countys_or_the_defaults(persona):
    switch_policy_on()
    assert SecurityPolicy.for_user(persona("cunshuji")).two_factor_required is True
    default = SecurityPolicy.for_user(persona("outsider"))
    assert default._state.adding
    assert (default.password_max_age_days, default.password_reuse_count, default.two_factor_required) == (
        90,
        5,
        False,
    )


def test_the_security_administrator_resets_a_lost_authenticator(client):
    from tests.duties_support import make_duty_user

    login(client, "huamachi")
    user = User.objects.get(username="huamachi")
    enrol(client, user)
    security = make_duty_user("anquan", Role.SECURITY_ADMIN)
    admin = Client()
    admin.force_login(security)
    response = admin.post(f"/security/accounts/{user.pk}/reset-two-factor/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert events(AuditAction.TWO_FACTOR_RESET, "anquan").get().detail == {"user": "huamachi"}
    # Next login: no code asked (the policy is off), so he may enrol again.
    fresh = Client()
    login(fresh, "huamachi")
    assert fresh.get("/people/").status_code == 200


def test_api_tokens_are_not_affected(client):
    from yanzhen.accounts.services import issue_token

    switch_policy_on()
    user = User.objects.get(username="huamachi")
    raw = issue_token(user=user)
    response = Client().get("/api/v1/persons", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200


def test_axes_still_locks_the_password_step(client):
    for _ in range(5):
        login(Client(), "dashuikeng", "Wrong#pass1")
    assert login(Client(), "dashuikeng").status_code == 429
