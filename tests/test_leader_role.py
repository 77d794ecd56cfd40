"""县委分管领导 (issue 20 §3): a read-only login of the county that reaches its figures (the dashboard, the
statistics, the comparison of villages, the succession figures and risk map, the filings list) and nothing
else: every other URL of the permission matrix answers 403 (or 404 where no record of it exists), every write
is refused and changes nothing, and the pages he reads show no ID number, phone or birth date."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client

from tests.conftest import PASSWORD
from tests.factories import make_person
from tests.test_permission_matrix import MATRIX, WRITES, footprint
from yanzhen.accounts.leader import LEADER_URL_NAMES
from yanzhen.accounts.models import User
from yanzhen.accounts.roles import Role
from yanzhen.accounts.services import create_or_update_user
from yanzhen.divisions.models import Division

pytestmark = pytest.mark.django_db

EVERYONE = ("/accounts/", "/i18n/", "/healthz", "/favicon.ico")


def make_leader(code: str = "640323") -> User:
    user, _ = create_or_update_user(
        username="lingdao", password=PASSWORD, division=Division.objects.get(code=code), roles=[Role.LEADER]
    )
    return user


@pytest.fixture
def leader(db) -> Client:
    client = Client()
    client.force_login(make_leader())
    return client


def _path(path: str, huamachi: User) -> str:
    path = path.replace("/system/users/1/", f"/system/users/{huamachi.pk}/")
    path = path.replace("{i_month}", "2024-03")
    return re.sub(r"\{[a-z_]+\}", "1", path)


def test_the_role_has_its_group():
    from django.contrib.auth.models import Group

    assert Group.objects.filter(name="leader").exists()


def test_the_leader_reaches_only_the_allow_list(leader, client_for, persona):
    """Every MATRIX URL: the allowed ones answer him what they answer the county's auditor (a reader of the
    same county: 200, or 404 for a record that does not exist), the others 403."""
    auditor = client_for("auditor")
    huamachi = persona("huamachi")
    wrong = []
    for name, (path, expected) in sorted(MATRIX.items()):
        path = _path(path, huamachi)
        if name in LEADER_URL_NAMES:
            want = auditor.get(path).status_code
        elif path.startswith(EVERYONE):
            want = expected["county"]
        elif path.startswith("/s/"):
            want = None  # the villagers' open answer page: no account needed (404 for a token that is none)
        else:
            want = 405 if all(status == 405 for status in list(expected.values())[1:]) else 403
        got = leader.get(path).status_code
        if want is not None and got != want and not (want == 405 and got == 403):
            wrong.append(f"{name} {path}: {got}, expected {want}")
    assert wrong == []


def test_the_allowed_pages_answer_him(leader):
    for path in (
        "/",
        "/statistics/",
        "/statistics/villages/",
        "/statistics/warnings/",
        "/rankings/",
        "/succession/",
        "/succession/risk/",
        "/filings/",
    ):
        assert leader.get(path).status_code == 200, path
    for path in ("/people/", "/statistics/people/", "/statistics/roster.xlsx", "/reserves/", "/search/?q=马"):
        assert leader.get(path).status_code == 403, path
    assert leader.get("/api/v1/persons").status_code == 403
    assert leader.get("/api/v1/persons").json() == {"detail": "县委分管领导账号只能查看统计数据"}


def test_his_writes_are_refused_and_change_nothing(leader, persona):
    huamachi = persona("huamachi")
    for name, (path, _expected) in sorted(WRITES.items()):
        path = _path(path, huamachi)
        if path.startswith(EVERYONE):
            continue
        before = footprint()
        status = leader.post(path, {}).status_code
        assert status == 403, f"{name} POST {path}: {status}"
        assert footprint() == before, f"{name} POST {path} changed rows"


def test_his_pages_show_no_id_number_phone_or_birth_date(leader):
    from yanzhen.candidacies import workflow
    from yanzhen.posts.models import PostType

    person = make_person("贺领导看", born=date(1979, 4, 23))
    workflow.nominate(
        actor=persona_user("county"),
        person=person,
        post_types=[PostType.objects.get(code="secretary")],
        nomination_way="village_party",
        on=date(2024, 3, 1),
    )
    secrets = [person.id_number_masked, "1979-04-23", "1979.04", "1979年4月"]
    for path in (
        "/",
        "/statistics/",
        "/statistics/villages/",
        "/statistics/warnings/",
        "/rankings/",
        "/succession/",
        "/succession/risk/",
        "/filings/",
    ):
        text = leader.get(path).content.decode()
        for secret in secrets:
            assert secret not in text, f"{secret} on {path}"


def persona_user(username: str) -> User:
    return User.objects.get(username=username)


def test_his_navigation_lists_only_his_pages(leader):
    page = leader.get("/")
    urls = [item["url"] for item in page.context["navigation"]]
    assert urls == ["/", "/todos/", "/filings/", "/rankings/", "/succession/", "/statistics/"]
    assert 'id="top-search"' not in page.content.decode()


def test_he_is_a_reader():
    user = make_leader()
    assert not user.can_edit
    assert not user.can_read_audit


def test_his_to_do_page_reads_the_countys_to_dos_without_links(leader):
    from yanzhen.todos import registry

    def waiting(user, on):
        return [registry.Item("张三待办", "/people/1/")]

    registry.register("test-leader", "测试待办", waiting, roles=[Role.ADMIN])
    try:
        page = leader.get("/todos/")
        text = page.content.decode()
        assert page.status_code == 200
        assert "张三待办" in text and 'href="/people/1/"' not in text
        assert "/todos/preferences/" not in text and 'id="inbox"' not in text
        assert leader.get("/todos/count/").status_code == 200
        assert leader.get("/todos/preferences/").status_code == 403
        assert leader.post("/todos/messages/read/").status_code == 403
    finally:
        registry.unregister("test-leader")


def test_the_succession_tabs_he_cannot_open_are_not_shown(leader):
    text = leader.get("/succession/").content.decode()
    assert 'href="/succession/risk/"' in text
    assert "/succession/ninebox/" not in text
