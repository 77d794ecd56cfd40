"""A reserve's own login reaches his self-service page and nothing else: not his village's people."""

import pytest
from django.core.management import call_command
from django.test import Client

from yanzhen.accounts.roles import Role
from yanzhen.accounts.services import create_or_update_user
from yanzhen.divisions.models import Division

from .conftest import HUAMACHI_VILLAGE, PASSWORD
from .test_permission_matrix import MATRIX

pytestmark = pytest.mark.django_db


@pytest.fixture
def reserve_client(client):
    user, _ = create_or_update_user(
        username="reserve1",
        password=PASSWORD,
        division=Division.objects.get(code=HUAMACHI_VILLAGE),
        roles=[Role.RESERVE],
    )
    client.force_login(user)
    return client


def test_pages_redirect_to_self_service(reserve_client):
    for path in [
        "/",
        "/people/",
        "/divisions/",
        f"/divisions/{HUAMACHI_VILLAGE}/",
        "/reserves/",
        "/statistics/",
    ]:
        response = reserve_client.get(path)
        assert (response.status_code, response["Location"]) == (302, "/assessment/me/"), path


def test_every_matrix_url_is_closed_except_his_own(reserve_client):
    for name, (path, _) in MATRIX.items():
        if (
            "{" in path
            or name in {"login", "logout", "password-change", "set_language", "healthz", "favicon"}
            or name.startswith("assessments:self-service")
            # His own two-factor login, which any user may turn on.
            or name.startswith("two-factor")
            # Entering his own password again: it reveals nothing by itself, and the page it leads on to
            # (?next=) still answers for itself.
            or name == "reauthenticate"
        ):
            continue
        status = reserve_client.get(path).status_code
        assert status in (302, 403, 404), f"{name} {path} answered {status}"


def test_api_is_closed_to_his_session_and_his_token(reserve_client, client, capsys):
    response = reserve_client.get("/api/v1/persons")
    assert response.status_code == 403
    assert response.json() == {"detail": "后备力量本人账号只能使用本人页面"}
    call_command("create-token", "reserve1")
    token = capsys.readouterr().out.strip()
    assert Client().get("/api/v1/persons", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_self_service_page_is_reachable_and_links_nowhere_else(reserve_client):
    response = reserve_client.get("/assessment/me/")
    assert response.status_code == 200
    assert [item["url"] for item in response.context["navigation"]] == ["/assessment/me/"]
    assert 'href="/people/"' not in response.content.decode()


def test_he_answers_his_village_s_satisfaction_survey_like_any_villager(reserve_client):
    """群众满意度: the anonymous answer page is open to his login too; the answer stores no user."""
    from datetime import timedelta

    from yanzhen.accounts.models import User
    from yanzhen.core.guards import today
    from yanzhen.surveys import services
    from yanzhen.surveys.models import Response

    county = User.objects.get(username="county")
    survey = services.create_survey(
        actor=county,
        data=services.SurveyInput(
            title="群众满意度调查",
            start=today(),
            end=today() + timedelta(days=5),
            satisfaction_questions=["总体评价"],
            villages=[HUAMACHI_VILLAGE],
        ),
    )
    services.set_status(actor=county, survey=survey, status="published")
    token = survey.villages.get().token
    assert reserve_client.get(f"/s/{token}/").status_code == 200
    question = survey.questions.get()
    assert reserve_client.post(f"/s/{token}/", {f"q{question.pk}": "4"}).status_code == 302
    assert Response.objects.filter(survey_village__survey=survey).count() == 1
    assert reserve_client.get("/surveys/")["Location"] == "/assessment/me/"
