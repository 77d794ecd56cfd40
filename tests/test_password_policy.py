"""Passwords (accounts.passwords, accounts.validators.PasswordHistoryValidator): every user reaches 修改密码
from the account menu; a password older than the county's limit (90 days) must be changed before anything
else; none of the last 5 passwords may be chosen again, on the change page and wherever a password is
validated for a known user."""

from __future__ import annotations

import importlib
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from yanzhen.accounts import password_policy, passwords
from yanzhen.accounts.models import ApiToken, PasswordHistory, User
from yanzhen.accounts.roles import Role
from yanzhen.accounts.services import create_or_update_user
from yanzhen.core.models import AuditAction, AuditEvent
from yanzhen.divisions.models import Division

from .assessment_helpers import make_reserve
from .conftest import HUAMACHI, HUAMACHI_VILLAGE, PASSWORD

pytestmark = pytest.mark.django_db

EXPIRED = "密码已超过 90 天未更换，请设置新密码"
REUSED = "不能与最近 5 次使用过的密码相同"
# Six passwords, oldest first, each meeting the other rules.
SIX = ["First#2026a", "Second#2026b", "Third#2026c", "Fourth#2026d", "Fifth#2026e", "Sixth#2026f"]


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    """A fast hasher for the passwords set here (the personas' PBKDF2 hashes still check)."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


def age(username: str, days: int) -> User:
    user = User.objects.get(username=username)
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=days))
    user.refresh_from_db()
    return user


def change(client: Client, old: str, new: str):
    return client.post(
        "/accounts/password/", {"old_password": old, "new_password1": new, "new_password2": new}
    )


def clerk_with(password_list: list[str]) -> User:
    """A township clerk who has had these passwords, in this order (the last is his current one)."""
    user, _ = create_or_update_user(
        username="wanghong",
        password=password_list[0],
        division=Division.objects.get(code=HUAMACHI),
        roles=[Role.TOWNSHIP_CLERK],
    )
    for password in password_list[1:]:
        user.set_password(password)
        user.save()
    return user


# -- the menu ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["county", "huamachi", "cunshuji", "auditor"])
def test_every_user_finds_change_password_in_the_desk_and_phone_menus(client_for, username):
    page = client_for(username).get("/").content.decode()
    link = '<a class="btn btn-sm btn-outline-secondary yz-change-password" href="/accounts/password/">修改密码</a>'
    # Once in the ☰ panel (phone, d-lg-none) and once in the top bar (desk, d-lg-flex).
    phone = page.index('<div class="yz-account yz-account-menu d-lg-none">')
    desk = page.index('<div class="yz-account d-none d-lg-flex align-items-center gap-2">')
    assert page.count(link) == 2
    assert phone < page.index(link) < desk < page.rindex(link)
    assert client_for(username).get("/accounts/password/").status_code == 200


def test_a_reserve_finds_change_password_on_his_own_page(client_for, persona):
    person, _candidacy = make_reserve(persona("huamachi"), "白坤林", HUAMACHI_VILLAGE)
    clerk = client_for("huamachi")
    page = clerk.post(f"/assessment/people/{person.pk}/login/create/").content.decode()
    password = re.search(r'id="issued-password">([^<]+)<', page).group(1)
    reserve = Client()
    reserve.post("/accounts/login/", {"username": "baikunlin", "password": password})
    assert change(reserve, password, "Mine#2026abc").status_code == 302
    assert (
        'href="/accounts/password/" id="change-password"' in reserve.get("/assessment/me/").content.decode()
    )


# -- expiry ------------------------------------------------------------------------------------------------


def test_a_password_older_than_90_days_forces_the_change_and_says_why(client_for):
    age("huamachi", 91)
    client = client_for("huamachi")
    for path in ["/", "/people/", "/reserves/"]:
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, "/accounts/password/")
    page = client.get("/accounts/password/").content.decode()
    assert EXPIRED in page
    assert 'id="must-change"' not in page
    # No way around it: no link back to the pages it would send him from.
    assert ">返回<" not in page
    # The same session over the API is held too.
    response = client.get("/api/v1/persons")
    assert response.status_code == 403
    assert response.json() == {"detail": "密码已过期，请先登录网页修改密码"}


def test_at_89_days_nothing_is_forced(client_for):
    age("huamachi", 89)
    client = client_for("huamachi")
    assert client.get("/people/").status_code == 200
    assert EXPIRED not in client.get("/accounts/password/").content.decode()


def test_the_expiry_also_holds_at_login(client):
    age("huamachi", 120)
    response = client.post("/accounts/login/", {"username": "huamachi", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1] == ("/accounts/password/", 302)
    assert EXPIRED in response.content.decode()


def test_a_new_password_ends_the_expiry(client_for):
    age("huamachi", 91)
    client = client_for("huamachi")
    response = change(client, PASSWORD, "Renewed#2026x")
    assert (response.status_code, response["Location"]) == (302, "/")
    user = User.objects.get(username="huamachi")
    assert timezone.now() - user.password_changed_at < timedelta(minutes=1)
    assert not passwords.is_expired(user)
    assert client.get("/people/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED, username="huamachi").count() == 1


def test_an_api_token_is_not_held_by_an_expired_password(persona):
    user = age("huamachi", 200)
    _token, raw = ApiToken.issue(user, "报表")
    response = Client().get("/api/v1/persons", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200


def test_the_limit_comes_from_the_policy(monkeypatch, client_for):
    age("huamachi", 31)
    monkeypatch.setattr(password_policy, "max_age_days", lambda user: 30)
    client = client_for("huamachi")
    assert client.get("/people/")["Location"] == "/accounts/password/"
    assert "密码已超过 30 天未更换，请设置新密码" in client.get("/accounts/password/").content.decode()
    # 0 switches expiry off.
    monkeypatch.setattr(password_policy, "max_age_days", lambda user: 0)
    assert client.get("/people/").status_code == 200


def test_a_password_without_a_date_counts_from_the_account_creation():
    user = User.objects.get(username="huamachi")
    user.password_changed_at = None
    user.date_joined = timezone.now() - timedelta(days=100)
    assert passwords.is_expired(user)
    user.date_joined = timezone.now() - timedelta(days=10)
    assert not passwords.is_expired(user)


def test_the_upgrade_dates_undated_passwords_today_and_seeds_the_history():
    migration = importlib.import_module(
        "yanzhen.accounts.migrations.0008_password_dates_and_history_of_existing_users"
    )
    old = timezone.now() - timedelta(days=400)
    User.objects.filter(username="huamachi").update(password_changed_at=None, date_joined=old)
    PasswordHistory.objects.all().delete()
    migration.forwards(apps, None)
    user = User.objects.get(username="huamachi")
    assert timezone.now() - user.password_changed_at < timedelta(minutes=1)
    assert not passwords.is_expired(user)
    assert list(PasswordHistory.objects.filter(user=user).values_list("password_hash", flat=True)) == [
        user.password
    ]


# -- reuse -------------------------------------------------------------------------------------------------


def test_each_of_the_last_five_passwords_is_refused_and_the_sixth_is_allowed():
    user = clerk_with(SIX)
    for recent in SIX[1:]:
        with pytest.raises(ValidationError) as refused:
            validate_password(recent, user)
        assert refused.value.messages == [REUSED]
    validate_password(SIX[0], user)
    validate_password("Brandnew#2026", user)


def test_only_the_last_five_hashes_are_kept():
    user = clerk_with(SIX + ["Seventh#2026g"])
    kept = list(PasswordHistory.objects.filter(user=user).values_list("password_hash", flat=True))
    assert len(kept) == 5 and kept[0] == user.password


def test_a_new_account_starts_its_history_with_its_first_password():
    user = clerk_with(SIX[:1])
    assert list(PasswordHistory.objects.filter(user=user).values_list("password_hash", flat=True)) == [
        user.password
    ]


def test_the_change_page_refuses_a_recent_password_and_changes_nothing():
    user = clerk_with(SIX)
    client = Client()
    client.force_login(user)
    before = (user.password, user.password_changed_at, PasswordHistory.objects.filter(user=user).count())
    for recent in [SIX[5], SIX[1]]:
        response = change(client, SIX[5], recent)
        assert response.status_code == 200
        assert REUSED in response.content.decode()
    user.refresh_from_db()
    assert (
        user.password,
        user.password_changed_at,
        PasswordHistory.objects.filter(user=user).count(),
    ) == before
    assert not AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED).exists()
    # The sixth back is allowed again.
    assert change(client, SIX[5], SIX[0]).status_code == 302


def test_a_reserve_may_not_return_to_his_own_password_after_a_clerks_reset(client_for, persona):
    person, _candidacy = make_reserve(persona("huamachi"), "白坤林", HUAMACHI_VILLAGE)
    clerk = client_for("huamachi")
    issued = re.compile(r'id="issued-password">([^<]+)<')
    first = issued.search(clerk.post(f"/assessment/people/{person.pk}/login/create/").content.decode()).group(
        1
    )
    reserve = Client()
    reserve.post("/accounts/login/", {"username": "baikunlin", "password": first})
    assert change(reserve, first, "Mine#2026abc").status_code == 302
    reset = issued.search(clerk.post(f"/assessment/people/{person.pk}/login/reset/").content.decode()).group(
        1
    )
    reserve = Client()
    reserve.post("/accounts/login/", {"username": "baikunlin", "password": reset})
    response = change(reserve, reset, "Mine#2026abc")
    assert response.status_code == 200 and REUSED in response.content.decode()
    assert User.objects.get(username="baikunlin").must_change_password


def test_the_same_password_again_for_an_existing_account_is_no_change():
    """Building the demo or the test world twice gives the same accounts their same password: kept as it
    is, not refused as a reuse, and no history added."""
    user = clerk_with(SIX[:1])
    before = (user.password, user.password_changed_at)
    again, created = create_or_update_user(
        username="wanghong", password=SIX[0], division=user.division, roles=[Role.TOWNSHIP_CLERK]
    )
    assert not created and (again.password, again.password_changed_at) == before
    assert PasswordHistory.objects.filter(user=user).count() == 1
    # Choosing it as a new password is still a reuse.
    with pytest.raises(ValidationError):
        validate_password(SIX[0], again)
