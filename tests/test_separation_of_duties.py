"""三员分立: the system, security and audit administrators are three people holding no other role, and each
reaches only his own pages: every other URL of the permission matrix (person pages, lists, exports, the API)
answers 403, whatever record it names."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import Client

from tests.conftest import PASSWORD
from tests.duties_support import DUTY_PERSONAS, make_duty_user
from tests.test_permission_matrix import MATRIX
from yanzhen.accounts.models import User
from yanzhen.accounts.roles import DUTY_CONFLICT_MESSAGE, Role
from yanzhen.accounts.services import create_or_update_user
from yanzhen.core.models import AuditAction, AuditEvent
from yanzhen.divisions.models import Division

pytestmark = pytest.mark.django_db

# The pages of each duty persona and what they answer him (the rest of MATRIX answers 403; the pages every
# logged-in user has, under /accounts/, /i18n/, /healthz and /favicon.ico, answer what they answer the county's
# administrator).
OWN_PAGES = {
    "xitong": {
        "home": 302,
        "system": 200,
        "vocabulary-detail": 200,
        "system-users": 200,
        "system-user-create": 200,
        "system-user-edit": 200,
    },
    "anquan": {
        "home": 302,
        "security": 200,
        "security-accounts": 200,
        "security-unlock": 405,
        "security-reset-two-factor": 405,
    },
    "shenji": {"home": 302, "audit-log": 200},
}
EVERYONE = ("/accounts/", "/i18n/", "/healthz", "/favicon.ico")


@pytest.fixture
def duty_clients(db):
    clients = {}
    for username, role in DUTY_PERSONAS.items():
        client = Client()
        client.force_login(make_duty_user(username, role))
        clients[username] = client
    return clients


@pytest.mark.parametrize("username", sorted(DUTY_PERSONAS))
def test_each_duty_role_reaches_only_its_own_pages(duty_clients, persona, username):
    client = duty_clients[username]
    huamachi = persona("huamachi")
    wrong = []
    for name, (path, expected) in sorted(MATRIX.items()):
        # A record of 花马池镇 (or any number: refused before it is looked up).
        path = path.replace("/system/users/1/", f"/system/users/{huamachi.pk}/")
        path = path.replace("{i_month}", "2024-03")
        path = re.sub(r"\{[a-z_]+\}", "1", path)
        if name in OWN_PAGES[username]:
            want = OWN_PAGES[username][name]
        elif path.startswith(EVERYONE):
            want = expected["county"]
        else:
            want = 403
        got = client.get(path).status_code
        if got != want:
            wrong.append(f"{name} {path}: {got}, expected {want}")
    assert wrong == []


def test_home_leads_each_to_his_own_page(duty_clients):
    assert duty_clients["xitong"].get("/").url == "/system/"
    assert duty_clients["anquan"].get("/").url == "/security/"
    assert duty_clients["shenji"].get("/").url == "/audit/"


def test_the_navigation_shows_only_their_pages(duty_clients):
    page = duty_clients["shenji"].get("/audit/")
    labels = [item["label"] for item in page.context["navigation"]]
    assert [str(label) for label in labels] == ["审计日志"]
    assert "top-search" not in page.content.decode()
    page = duty_clients["anquan"].get("/security/")
    assert [str(item["label"]) for item in page.context["navigation"]] == ["安全管理"]
    page = duty_clients["xitong"].get("/system/users/")
    assert [str(item["label"]) for item in page.context["navigation"]] == ["账号", "系统"]


def test_the_api_refuses_them_even_with_a_session(duty_clients):
    for client in duty_clients.values():
        response = client.get("/api/v1/persons")
        assert response.status_code == 403
        assert response.json() == {"detail": "三员账号不能使用业务接口"}


@pytest.mark.parametrize(
    "roles",
    [
        [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN],
        [Role.SECURITY_ADMIN, Role.AUDIT_ADMIN],
        [Role.AUDIT_ADMIN, Role.AUDITOR],
        [Role.SYSTEM_ADMIN, Role.ADMIN],
        [Role.SECURITY_ADMIN, Role.TOWNSHIP_CLERK],
    ],
)
def test_a_duty_role_cannot_be_combined(roles):
    with pytest.raises(ValidationError) as refused:
        create_or_update_user(
            username="jianren", password=PASSWORD, division=Division.objects.get(code="640323"), roles=roles
        )
    assert refused.value.message_dict == {"roles": [DUTY_CONFLICT_MESSAGE]}
    assert not User.objects.filter(username="jianren").exists()


def account_post(**changes):
    data = {
        "username": "xinren",
        "display_name": "新人",
        "division_code": "640323100",
        "roles": ["township_clerk"],
        "is_active": "on",
        "password": "Xinren#2026a",
    }
    data.update(changes)
    return data


def test_the_system_administrator_creates_an_account_with_an_initial_password(duty_clients):
    response = duty_clients["xitong"].post("/system/users/new/", account_post())
    assert response.status_code == 302
    user = User.objects.get(username="xinren")
    assert (user.division_id, user.role_codes, user.must_change_password) == (
        "640323100",
        {"township_clerk"},
        True,
    )
    event = AuditEvent.objects.get(action=AuditAction.USER_CHANGED, username="xitong")
    assert event.detail["after"]["roles"] == ["township_clerk"] and event.detail["created"] is True


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"roles": ["system_admin", "audit_admin"]}, "roles", DUTY_CONFLICT_MESSAGE),
        ({"roles": ["audit_admin", "admin"]}, "roles", DUTY_CONFLICT_MESSAGE),
        ({"division_code": "621202"}, "division_code", "单位：请填写本辖区内的区划代码"),
        ({"username": "huamachi"}, "username", "用户名：huamachi 已被使用"),
        ({"password": ""}, "password", "初始密码：请填写"),
    ],
)
def test_a_bad_account_is_refused_naming_the_field_and_nothing_is_written(
    duty_clients, changes, field, message
):
    users = User.objects.count()
    audited = AuditEvent.objects.count()
    response = duty_clients["xitong"].post("/system/users/new/", account_post(**changes))
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert User.objects.count() == users
    assert AuditEvent.objects.count() == audited


def test_combining_through_an_edit_is_refused_and_changes_nothing(duty_clients, persona):
    huamachi = persona("huamachi")
    response = duty_clients["xitong"].post(
        f"/system/users/{huamachi.pk}/",
        account_post(roles=["township_clerk", "security_admin"], password=""),
    )
    assert response.status_code == 400
    huamachi = User.objects.get(pk=huamachi.pk)
    assert huamachi.role_codes == {"township_clerk"}
    assert huamachi.display_name == ""


def test_an_account_outside_the_jurisdiction_answers_404(duty_clients, persona):
    outsider = persona("outsider")
    assert duty_clients["xitong"].get(f"/system/users/{outsider.pk}/").status_code == 404
    response = duty_clients["xitong"].post(f"/system/users/{outsider.pk}/", account_post(password=""))
    assert response.status_code == 404
    assert User.objects.get(pk=outsider.pk).role_codes == {"admin"}


def test_the_business_administrator_keeps_the_vocabularies_but_not_the_accounts(client_for):
    county = client_for("county")
    assert county.get("/system/").status_code == 200
    assert county.get("/system/vocabularies/skills/").status_code == 200
    assert county.get("/system/users/").status_code == 403
    assert county.get("/security/").status_code == 403
    assert county.get("/audit/").status_code == 200


def test_the_audit_administrator_reads_the_audit_log(duty_clients):
    Client().post("/accounts/login/", {"username": "huamachi", "password": "Wrong#pass1"})
    page = duty_clients["shenji"].get("/audit/?action=login_failed")
    assert page.status_code == 200
    assert "huamachi" in page.content.decode()


def test_the_account_list_is_searched_filtered_sorted_and_paged(duty_clients):
    """Reserves' own logins make the list long: it is searched by username or name, filtered by role, paged."""
    from yanzhen.divisions.models import Division

    county = User.objects.get(username="xitong").division
    village = Division.objects.filter(code__startswith=county.code, code__regex=r"^\d{12}$").first() or county
    reserve_group, _ = Group.objects.get_or_create(name=str(Role.RESERVE))
    for number in range(25):
        user = User.objects.create(
            username=f"hb{number:02d}", display_name=f"后备{number:02d}", division=village
        )
        user.groups.add(reserve_group)
    client = duty_clients["xitong"]

    def usernames(response):
        return [row[0].username for row in response.context["rows"]]

    first = client.get("/system/users/?role=reserve&sort=username&page_size=20")
    assert first.context["listing"].page.paginator.count == 25
    assert usernames(first) == [f"hb{number:02d}" for number in range(20)]
    second = client.get("/system/users/?role=reserve&sort=username&page_size=20&page=2")
    assert usernames(second) == [f"hb{number:02d}" for number in range(20, 25)]
    assert usernames(client.get("/system/users/?q=后备07")) == ["hb07"]
    assert usernames(client.get("/system/users/?q=HB1&sort=-username&role=reserve"))[:2] == ["hb19", "hb18"]
    # A role outside the list or a hand-edited sort does not break the page.
    assert client.get("/system/users/?role=nonsense&sort=nonsense&page=x").status_code == 200
    assert "没有符合条件的账号" in client.get("/system/users/?q=nobody-here").content.decode()
