"""The county security policy page (安全管理员): defaults until saved, the ranges refused with the field named and
nothing written, wrong roles refused, history and an audit row with old and new values; the accounts page
unlocks a username django-axes locked."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import PASSWORD
from tests.duties_support import make_duty_user
from yanzhen.accounts.models import SecurityPolicy
from yanzhen.accounts.roles import Role
from yanzhen.core.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

GOOD = {"password_max_age_days": "60", "password_reuse_count": "8", "two_factor_required": "on"}


@pytest.fixture
def security(db):
    client = Client()
    client.force_login(make_duty_user("anquan", Role.SECURITY_ADMIN))
    return client


def footprint():
    return (
        list(
            SecurityPolicy.objects.values_list("county_id", "password_max_age_days", "password_reuse_count")
        ),
        SecurityPolicy.history.count(),
        AuditEvent.objects.filter(action=AuditAction.SECURITY_POLICY_CHANGED).count(),
    )


def test_the_page_shows_the_defaults_and_the_global_lockout(security):
    page = security.get("/security/")
    assert page.status_code == 200
    form = page.context["form"]
    assert (
        form["password_max_age_days"].value(),
        form["password_reuse_count"].value(),
        form["two_factor_required"].value(),
    ) == (90, 5, False)
    assert "密码连续错误 5 次，该用户名锁定 30 分钟" in page.content.decode()


def test_saving_writes_the_policy_its_history_and_an_audit_row(security):
    response = security.post("/security/", GOOD)
    assert response.status_code == 302
    policy = SecurityPolicy.objects.get(county_id="640323")
    assert (policy.password_max_age_days, policy.password_reuse_count, policy.two_factor_required) == (
        60,
        8,
        True,
    )
    assert policy.history.get().history_user.username == "anquan"
    event = AuditEvent.objects.get(action=AuditAction.SECURITY_POLICY_CHANGED)
    assert event.username == "anquan"
    assert event.detail == {
        "county": "640323",
        "before": {"password_max_age_days": 90, "password_reuse_count": 5, "two_factor_required": False},
        "after": {"password_max_age_days": 60, "password_reuse_count": 8, "two_factor_required": True},
    }
    # A second change is one more history row, and the page shows it.
    security.post("/security/", {**GOOD, "password_max_age_days": "120"})
    assert policy.history.count() == 2
    page = security.get("/security/").content.decode()
    assert "<del>60</del> → <ins>120</ins>" in page
    # Saving the same values again writes nothing.
    before = footprint()
    security.post("/security/", {**GOOD, "password_max_age_days": "120"})
    assert footprint() == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password_max_age_days": "29"}, "password_max_age_days", "密码有效期须在 30 到 365 天之间"),
        ({"password_max_age_days": "366"}, "password_max_age_days", "密码有效期须在 30 到 365 天之间"),
        (
            {"password_reuse_count": "0"},
            "password_reuse_count",
            "不得重复使用的历史密码个数须在 1 到 24 之间",
        ),
        (
            {"password_reuse_count": "25"},
            "password_reuse_count",
            "不得重复使用的历史密码个数须在 1 到 24 之间",
        ),
        ({"password_max_age_days": "abc"}, "password_max_age_days", "输入整数。"),
    ],
)
def test_bad_values_are_refused_with_the_field_named_and_nothing_is_written(
    security, changes, field, message
):
    before = footprint()
    response = security.post("/security/", {**GOOD, **changes})
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert footprint() == before


@pytest.mark.parametrize("username", ["county", "huamachi", "auditor", "cunshuji", "outsider"])
def test_other_roles_are_refused_and_nothing_is_written(client_for, username):
    before = footprint()
    client = client_for(username)
    assert client.get("/security/").status_code == 403
    assert client.post("/security/", GOOD).status_code == 403
    assert client.get("/security/accounts/").status_code == 403
    assert footprint() == before


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN])
def test_the_other_two_administrators_are_refused(role):
    client = Client()
    client.force_login(make_duty_user("sanyuan", role))
    before = footprint()
    assert client.post("/security/", GOOD).status_code == 403
    assert footprint() == before


def test_a_township_security_administrator_sets_no_county_policy():
    client = Client()
    client.force_login(make_duty_user("xiangan", Role.SECURITY_ADMIN, code="640323100"))
    page = client.get("/security/")
    assert page.status_code == 200 and page.context["county"] is None
    before = footprint()
    client.post("/security/", GOOD)
    assert footprint() == before


def test_the_security_administrator_unlocks_a_locked_username(security, persona):
    for _ in range(5):
        Client().post("/accounts/login/", {"username": "dashuikeng", "password": "Wrong#pass1"})
    assert (
        Client().post("/accounts/login/", {"username": "dashuikeng", "password": PASSWORD}).status_code == 429
    )
    page = security.get("/security/accounts/")
    rows = {row["user"].username: row for row in page.context["rows"]}
    assert rows["dashuikeng"]["locked"] is True and rows["huamachi"]["locked"] is False
    # Not his own county's account: 404.
    assert security.post(f"/security/accounts/{persona('outsider').pk}/unlock/").status_code == 404
    response = security.post(f"/security/accounts/{persona('dashuikeng').pk}/unlock/")
    assert response.status_code == 302
    assert (
        Client().post("/accounts/login/", {"username": "dashuikeng", "password": PASSWORD}).status_code == 302
    )
    event = AuditEvent.objects.get(action=AuditAction.LOCKOUT_CLEARED)
    assert (event.username, event.detail["user"]) == ("anquan", "dashuikeng")
