import re
from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yanzhen.accounts import middleware
from yanzhen.core.models import AppendOnlyError, AuditAction, AuditEvent

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def normalised(response) -> str:
    """The page without its per-client CSRF token."""
    return re.sub(r'value="[^"]*"', "", response.content.decode())


def login(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_writes_an_audit_event(client):
    response = login(client, "huamachi", PASSWORD)
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action=AuditAction.LOGIN).get()
    assert (event.username, event.division_code, event.outcome, event.ip_address) == (
        "huamachi",
        "640323100",
        "success",
        "127.0.0.1",
    )


def test_wrong_login_answers_the_same_for_known_and_unknown_users(client):
    known = login(Client(), "huamachi", "Wrong#pass1")
    unknown = login(Client(), "nobody", "Wrong#pass1")
    assert known.status_code == unknown.status_code == 200
    assert "用户名或密码错误" in known.content.decode()
    assert normalised(known) == normalised(unknown)
    failures = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED)
    assert sorted(failures.values_list("username", "division_code")) == [
        ("huamachi", "640323100"),
        ("nobody", ""),
    ]


def test_five_failures_lock_the_account_even_with_the_right_password(client):
    for _ in range(5):
        login(client, "dashuikeng", "Wrong#pass1")
    response = login(client, "dashuikeng", PASSWORD)
    assert response.status_code == 429
    assert "锁定 30 分钟" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT, username="dashuikeng").exists()
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN, username="dashuikeng").exists()
    # Another account is not affected.
    assert login(Client(), "huamachi", PASSWORD).status_code == 302


@pytest.mark.parametrize("weak", ["Ab1!", "abcdefgh1", "abcdefghij", "ABCDEFGH12"])
def test_weak_passwords_are_refused(weak):
    with pytest.raises(ValidationError):
        validate_password(weak)


@pytest.mark.parametrize("strong", ["Yanzhen2026", "yanzhen#2026", "Persona#2026"])
def test_strong_passwords_pass(strong):
    validate_password(strong)


def _session_writes(client, path="/") -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum(1 for query in queries if query["sql"].startswith('UPDATE "django_session"'))


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_an_active_session_is_kept_alive_with_one_write_a_minute_at_most(client, monkeypatch):
    clock = {"now": 1_800_000_000}
    monkeypatch.setattr(middleware, "_now", lambda: clock["now"])
    login(client, "huamachi", PASSWORD)
    assert client.session[middleware.REFRESH_KEY] == 1_800_000_000  # the login's own save stamped it
    first = _expiry(client)
    assert _session_writes(client) == 0
    clock["now"] += 59
    assert _session_writes(client) == 0
    assert _session_writes(client, "/people/") == 0
    assert _expiry(client) == first
    clock["now"] += 1
    assert _session_writes(client) == 1
    assert _expiry(client) > first
    assert client.session[middleware.REFRESH_KEY] == 1_800_000_060


def test_session_ends_after_30_idle_minutes(client):
    login(client, "huamachi", PASSWORD)
    assert client.get("/").status_code == 200
    expiry = _expiry(client)
    assert expiry - timezone.now() > timedelta(minutes=29, seconds=50)
    assert expiry - timezone.now() <= timedelta(minutes=30)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get("/people/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_visitor_without_a_session_gets_no_session_row(client):
    assert client.get("/accounts/login/").status_code == 200
    assert Session.objects.count() == 0


def test_audit_log_is_append_only(client):
    login(client, "huamachi", PASSWORD)
    event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    event.outcome = "failure"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(outcome="failure")
    assert AuditEvent.objects.get(pk=event.pk).outcome == "success"


def test_auditor_reads_the_audit_log_of_his_county_only(client_for):
    login(Client(), "huamachi", PASSWORD)
    login(Client(), "outsider", PASSWORD)
    page = client_for("auditor").get("/audit/").content.decode()
    assert "huamachi" in page
    assert "outsider" not in page


def test_clerk_may_not_read_the_audit_log(client_for):
    assert client_for("huamachi").get("/audit/").status_code == 403
