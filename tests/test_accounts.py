import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

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


def test_session_ends_after_30_idle_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


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
