"""Session control: one session per user (accounts.sessions) and the password entered again before full
numbers are shown or exported unmasked (accounts.reauth)."""

from __future__ import annotations

import time
from datetime import date
from urllib.parse import quote

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from yanzhen.accounts import reauth
from yanzhen.accounts.models import ApiToken, User, UserSession
from yanzhen.core.models import AuditAction, AuditEvent
from yanzhen.divisions.models import Division
from yanzhen.people.idcard import make_id_number
from yanzhen.people.models import Person
from yanzhen.people.services import PersonInput, create_person

from .conftest import HUAMACHI_VILLAGE, PASSWORD

pytestmark = pytest.mark.django_db

ENDED = "您的账号已在其他地方登录，本会话已结束"
NUMBER = make_id_number("640323", date(1990, 5, 12), 11)
PHONE = "13812345678"


def login(username: str = "huamachi", password: str = PASSWORD) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:300]
    return client


def sessions_of(username: str) -> int:
    user = User.objects.get(username=username)
    return sum(
        1 for session in Session.objects.all() if session.get_decoded().get("_auth_user_id") == str(user.pk)
    )


def events(action: AuditAction) -> list[tuple]:
    return list(
        AuditEvent.objects.filter(action=action)
        .order_by("pk")
        .values_list("username", "division_code", "outcome", "ip_address", "detail")
    )


def password_entered(client: Client, seconds_ago: float) -> None:
    session = client.session
    session[reauth.ENTERED_AT] = time.time() - seconds_ago
    session.save()


@pytest.fixture
def person(persona) -> Person:
    return create_person(
        actor=persona("huamachi"),
        data=PersonInput(
            name="马小军",
            id_number=NUMBER,
            village=Division.objects.get(code=HUAMACHI_VILLAGE),
            political_status="01",
            party_join_date=date(2012, 7, 1),
            ethnicity="03",
            degree="4",
            phone=PHONE,
        ),
    )


# -- one session per user ----------------------------------------------------------------------------------


def test_a_second_login_ends_the_first_session_and_is_audited():
    first = login()
    assert first.get("/people/").status_code == 200
    second = login()
    assert sessions_of("huamachi") == 1
    response = first.get("/people/", follow=True)
    assert response.redirect_chain == [("/accounts/login/?next=/people/", 302)]
    assert ENDED in response.content.decode()
    # Said once; the old browser is simply logged out after that.
    assert ENDED not in first.get("/accounts/login/").content.decode()
    assert second.get("/people/").status_code == 200
    assert events(AuditAction.SESSION_ENDED) == [
        ("huamachi", "640323100", "success", "127.0.0.1", {"ended_sessions": 1})
    ]


def test_a_first_login_and_other_users_end_nothing():
    clerk = login("huamachi")
    other = login("dashuikeng")
    login("county")
    assert clerk.get("/people/").status_code == 200 and other.get("/people/").status_code == 200
    assert events(AuditAction.SESSION_ENDED) == []


def test_a_third_login_ends_the_second_and_a_logged_out_session_is_not_counted():
    first = login()
    first.post("/accounts/logout/")
    assert not UserSession.objects.filter(user__username="huamachi").exists()
    second = login()
    third = login()
    assert second.get("/people/").status_code == 302 and third.get("/people/").status_code == 200
    assert [detail for *_, detail in events(AuditAction.SESSION_ENDED)] == [{"ended_sessions": 1}]
    assert list(UserSession.objects.filter(user__username="huamachi", ended_at__isnull=True)) == [
        UserSession.objects.get(session_key=third.session.session_key)
    ]


def test_the_old_session_over_the_api_is_told_why():
    first = login()
    login()
    response = first.get("/api/v1/persons")
    assert response.status_code == 401 and response.json() == {"detail": ENDED}


def test_after_a_password_change_the_session_is_still_the_one_ended_by_the_next_login(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    first = login()
    old_key = first.session.session_key
    new = "Changed#2026x"
    response = first.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert first.session.session_key != old_key
    assert first.get("/people/").status_code == 200
    login(password=new)
    assert first.get("/people/").status_code == 302
    assert sessions_of("huamachi") == 1


def test_several_sessions_when_the_setting_is_off(settings):
    settings.YANZHEN_SINGLE_SESSION = False
    first = login()
    second = login()
    assert first.get("/people/").status_code == 200 and second.get("/people/").status_code == 200
    assert sessions_of("huamachi") == 2
    assert events(AuditAction.SESSION_ENDED) == []


def test_the_setting_is_on_by_default():
    from yanzhen import settings as project_settings

    assert project_settings.YANZHEN_SINGLE_SESSION is True


# -- the password again before full numbers ----------------------------------------------------------------


def reveal(client: Client, person: Person, field: str = "id_number", **headers):
    return client.post(f"/people/{person.pk}/reveal/", {"field": field}, **headers)


def test_right_after_login_the_number_is_shown(person):
    client = login()
    response = reveal(client, person)
    assert response.status_code == 200 and NUMBER in response.content.decode()


@pytest.mark.parametrize("field", ["id_number", "phone"])
def test_after_five_minutes_the_password_is_asked_and_nothing_is_shown(person, field):
    client = login()
    password_entered(client, 301)
    before = AuditEvent.objects.count()
    asked = f"/accounts/reauth/?next={quote(f'/people/{person.pk}/', safe='')}"
    response = reveal(client, person, field, HTTP_HX_REQUEST="true")
    assert (response.status_code, response["HX-Redirect"], response.content) == (403, asked, b"")
    response = reveal(client, person, field)
    assert (response.status_code, response["Location"]) == (302, asked)
    assert AuditEvent.objects.count() == before


def test_the_password_page_then_the_number(person):
    client = login()
    password_entered(client, 600)
    page = client.get(f"/accounts/reauth/?next=/people/{person.pk}/")
    assert page.status_code == 200 and "请再次输入密码" in page.content.decode()
    response = client.post("/accounts/reauth/", {"password": PASSWORD, "next": f"/people/{person.pk}/"})
    assert (response.status_code, response["Location"]) == (302, f"/people/{person.pk}/")
    assert events(AuditAction.REAUTHENTICATED) == [("huamachi", "640323100", "success", "127.0.0.1", {})]
    response = reveal(client, person)
    assert response.status_code == 200 and NUMBER in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_FULL_ID_NUMBER, username="huamachi").count() == 1


def test_a_wrong_password_is_refused_audited_and_reveals_nothing(person):
    client = login()
    password_entered(client, 600)
    response = client.post("/accounts/reauth/", {"password": "Wrong#pass1", "next": f"/people/{person.pk}/"})
    assert response.status_code == 200 and "密码错误" in response.content.decode()
    assert NUMBER not in response.content.decode()
    assert events(AuditAction.REAUTH_FAILED) == [
        ("huamachi", "640323100", "failure", "127.0.0.1", {"failures": 1})
    ]
    assert reveal(client, person).status_code == 302
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW_FULL_ID_NUMBER).exists()
    # Not a failed login: the login lockout is not touched.
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).exists()


def test_five_wrong_passwords_log_the_user_out(person):
    client = login()
    password_entered(client, 600)
    for attempt in range(1, 5):
        response = client.post("/accounts/reauth/", {"password": f"Wrong#pass{attempt}"})
        assert response.status_code == 200
    response = client.post("/accounts/reauth/", {"password": "Wrong#pass5"}, follow=True)
    assert response.redirect_chain == [("/accounts/login/", 302)]
    assert "密码连续输错 5 次，已退出登录" in response.content.decode()
    assert client.get("/people/").status_code == 302
    assert [detail["failures"] for *_, detail in events(AuditAction.REAUTH_FAILED)] == [1, 2, 3, 4, 5]
    assert len(events(AuditAction.LOGOUT)) == 1
    # Logging in again starts afresh.
    client = login()
    assert reveal(client, person).status_code == 200


def test_a_right_password_resets_the_count(person):
    client = login()
    password_entered(client, 600)
    for attempt in range(4):
        client.post("/accounts/reauth/", {"password": f"Wrong#pass{attempt}"})
    client.post("/accounts/reauth/", {"password": PASSWORD})
    password_entered(client, 600)
    assert client.post("/accounts/reauth/", {"password": "Wrong#pass9"}).status_code == 200
    assert client.get("/people/").status_code == 200


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", ""])
def test_the_page_goes_on_only_to_this_site(target):
    client = login()
    response = client.post("/accounts/reauth/", {"password": PASSWORD, "next": target})
    assert (response.status_code, response["Location"]) == (302, "/")


def test_the_roster_export_with_full_numbers_asks_first_then_downloads(person):
    client = login()
    password_entered(client, 600)
    url = "/rosters/export.xlsx?division=640323100"
    response = client.get(url, HTTP_REFERER="http://testserver/rosters/")
    assert response.status_code == 302
    assert response["Location"] == (
        f"/accounts/reauth/?next={quote(url, safe='')}&download=1&back={quote('/rosters/', safe='')}"
    )
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
    page = client.post(
        "/accounts/reauth/", {"password": PASSWORD, "next": url, "download": "1", "back": "/rosters/"}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert '<meta http-equiv="refresh" content="0;url=/rosters/export.xlsx?division=640323100">' in text
    assert 'href="/rosters/"' in text
    response = client.get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    export = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert export.detail["full_id_number"] is True


def test_the_lrmx_export_with_the_full_number_asks_first(person):
    client = login()
    password_entered(client, 600)
    response = client.get(f"/people/{person.pk}/export.lrmx")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/reauth/?next=")
    assert "download=1" in response["Location"]
    assert not AuditEvent.objects.filter(
        action__in=[AuditAction.EXPORT, AuditAction.VIEW_FULL_ID_NUMBER]
    ).exists()
    client.post("/accounts/reauth/", {"password": PASSWORD})
    response = client.get(f"/people/{person.pk}/export.lrmx")
    assert response.status_code == 200 and NUMBER in response.content.decode()


def test_a_masked_export_is_not_asked(person):
    """The village secretary exports masked numbers only: nothing to confirm."""
    client = login("cunshuji")
    password_entered(client, 600)
    response = client.get(f"/people/{person.pk}/export.lrmx")
    assert response.status_code == 200 and NUMBER not in response.content.decode()


def test_the_api_over_a_session_asks_too_but_a_token_does_not(person, persona):
    client = login()
    password_entered(client, 600)
    response = client.get(f"/api/v1/persons/{person.pk}?reveal=id_number")
    assert response.status_code == 403 and response.json()["detail"] == reauth.API_MESSAGE
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW_FULL_ID_NUMBER).exists()
    # Without reveal the archive still comes, masked.
    assert client.get(f"/api/v1/persons/{person.pk}").status_code == 200
    _token, raw = ApiToken.issue(persona("huamachi"), "报表")
    response = Client().get(
        f"/api/v1/persons/{person.pk}?reveal=id_number", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 200 and response.json()["id_number"] == NUMBER
