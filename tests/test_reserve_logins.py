"""A reserve's own login from his archive (assessments.reserve_logins): a clerk creates, resets, disables and
enables it; the password is shown once and stored nowhere in clear; the reserve must change it first; every
action is audited, and every forbidden path changes nothing."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from yanzhen.accounts.models import User
from yanzhen.assessments.models import SelfServiceLink
from yanzhen.core.models import AuditAction, AuditEvent

from .assessment_helpers import make_reserve
from .conftest import HUAMACHI_VILLAGE
from .factories import make_person

pytestmark = pytest.mark.django_db

ISSUED = re.compile(r'id="issued-password">([^<]+)<')


def url(person, action: str) -> str:
    return f"/assessment/people/{person.pk}/login/{action}/"


@pytest.fixture
def reserve(persona):
    person, _candidacy = make_reserve(persona("huamachi"), "白坤林", HUAMACHI_VILLAGE)
    return person


def issue(client: Client, person, action: str = "create") -> str:
    response = client.post(url(person, action))
    assert response.status_code == 200, response.content.decode()[:500]
    assert "no-store" in response["Cache-Control"]
    return ISSUED.search(response.content.decode()).group(1)


def login_events() -> list[tuple[str, str, str]]:
    return list(
        AuditEvent.objects.filter(action__startswith="reserve_")
        .order_by("pk")
        .values_list("action", "username", "object_repr")
    )


def test_clerk_creates_the_login_and_sees_the_password_once(client_for, reserve):
    clerk = client_for("huamachi")
    password = issue(clerk, reserve)

    user = User.objects.get(self_service_link__person=reserve)
    assert (user.username, user.division_id, user.display_name) == ("baikunlin", HUAMACHI_VILLAGE, "白坤林")
    assert (user.role_codes, user.is_active, user.must_change_password) == ({"reserve"}, True, True)
    assert user.check_password(password) and password not in user.password
    assert len(password) == 10 and re.search("[A-Z]", password) and re.search("[a-z]", password)
    assert login_events() == [("reserve_login_created", "huamachi", "白坤林 的本人账号 baikunlin")]

    # Nowhere else in clear: not the audit log, not the user's history, not the archive page afterwards.
    assert password not in str(list(AuditEvent.objects.values_list("object_repr", "detail")))
    assert password not in str(list(User.history.filter(id=user.pk).values()))
    archive = clerk.get(f"/people/{reserve.pk}/").content.decode()
    assert password not in archive
    assert 'id="login-username">baikunlin<' in archive
    assert "下次登录时须修改密码。" in archive


def test_reset_disable_and_enable(client_for, reserve):
    clerk = client_for("huamachi")
    first = issue(clerk, reserve)
    second = issue(clerk, reserve, "reset")
    user = User.objects.get(username="baikunlin")
    assert second != first
    assert (user.check_password(first), user.check_password(second), user.must_change_password) == (
        False,
        True,
        True,
    )

    logged_in = Client()
    logged_in.force_login(user)
    response = clerk.post(url(reserve, "disable"))
    assert (response.status_code, response["Location"]) == (302, f"/people/{reserve.pk}/#self-service-login")
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["账号 baikunlin 已停用，不能再登录。"]
    user.refresh_from_db()
    assert user.is_active is False
    # His open session ends with it.
    assert logged_in.get("/assessment/me/")["Location"].startswith("/accounts/login/")
    assert clerk.post(url(reserve, "enable")).status_code == 302
    user.refresh_from_db()
    assert user.is_active is True
    assert [action for action, _u, _o in login_events()] == [
        AuditAction.RESERVE_LOGIN_CREATED,
        AuditAction.RESERVE_PASSWORD_RESET,
        AuditAction.RESERVE_LOGIN_DISABLED,
        AuditAction.RESERVE_LOGIN_ENABLED,
    ]


def test_the_county_admin_may_too(client_for, reserve):
    issue(client_for("county"), reserve)
    assert login_events()[0][:2] == ("reserve_login_created", "county")


@pytest.mark.parametrize(
    ("role", "status"), [("auditor", 403), ("cunshuji", 403), ("dashuikeng", 404), ("outsider", 404)]
)
def test_forbidden_roles_and_places_change_nothing(client_for, reserve, role, status):
    clerk = client_for("huamachi")
    issue(clerk, reserve)
    other = client_for(role)  # logging in is an audit event of its own: before the count
    user = User.objects.get(username="baikunlin")
    before = (user.password, user.is_active, AuditEvent.objects.count(), User.objects.count())
    for action in ("create", "reset", "disable", "enable"):
        assert other.post(url(reserve, action)).status_code == status, action
    user.refresh_from_db()
    assert (user.password, user.is_active, AuditEvent.objects.count(), User.objects.count()) == before


def test_forbidden_role_creates_no_login(client_for, reserve):
    assert client_for("auditor").post(url(reserve, "create")).status_code == 403
    assert client_for("cunshuji").post(url(reserve, "create")).status_code == 403
    assert not SelfServiceLink.objects.filter(person=reserve).exists()
    assert login_events() == []


def test_only_the_clerks_see_the_panel(client_for, reserve):
    assert 'id="self-service-login"' in client_for("huamachi").get(f"/people/{reserve.pk}/").content.decode()
    for role in ("auditor", "cunshuji"):
        page = client_for(role).get(f"/people/{reserve.pk}/")
        assert page.status_code == 200 and 'id="self-service-login"' not in page.content.decode()


def test_a_person_who_is_not_a_reserve_is_told_so(client_for, persona):
    person = make_person("冯未入", HUAMACHI_VILLAGE, actor=persona("huamachi"))
    clerk = client_for("huamachi")
    assert "只有“在库”的后备力量才能开通本人账号。" in clerk.get(f"/people/{person.pk}/").content.decode()
    response = clerk.post(url(person, "create"), follow=True)
    assert response.redirect_chain == [(f"/people/{person.pk}/#self-service-login", 302)]
    assert "冯未入不在后备力量库中（不是“在库”状态），不能开通或启用本人账号。" in response.content.decode()
    assert not User.objects.filter(display_name="冯未入").exists()
    assert login_events() == []


def test_a_second_login_is_refused(client_for, reserve):
    clerk = client_for("huamachi")
    issue(clerk, reserve)
    response = clerk.post(url(reserve, "create"), follow=True)
    assert "白坤林已有本人账号 baikunlin；忘记密码请用“重置密码”。" in response.content.decode()
    assert User.objects.filter(display_name="白坤林").count() == 1
    assert len(login_events()) == 1


def test_the_reserve_must_change_the_password_first(client_for, reserve):
    password = issue(client_for("huamachi"), reserve)
    user = User.objects.get(username="baikunlin")
    client = Client()
    client.force_login(user)
    for path in ("/", "/assessment/me/", "/people/"):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, "/accounts/password/"), path
    api = client.get("/api/v1/persons")
    assert (api.status_code, api.json()) == (403, {"detail": "请先登录网页修改初始密码"})
    page = client.get("/accounts/password/")
    assert page.status_code == 200 and 'id="must-change"' in page.content.decode()

    wrong = client.post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": "Baikun#2027", "new_password2": "Baikun#2027"},
    )
    assert wrong.status_code == 200
    user.refresh_from_db()
    assert user.must_change_password is True and user.check_password(password)

    changed = client.post(
        "/accounts/password/",
        {"old_password": password, "new_password1": "Baikun#2027", "new_password2": "Baikun#2027"},
    )
    assert (changed.status_code, changed["Location"]) == (302, "/assessment/me/")
    user.refresh_from_db()
    assert user.must_change_password is False and user.check_password("Baikun#2027")
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED, user=user).count() == 1
    own_page = client.get("/assessment/me/")
    # He may change it again later from his own page.
    assert own_page.status_code == 200 and 'href="/accounts/password/"' in own_page.content.decode()
