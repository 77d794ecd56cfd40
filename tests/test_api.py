import pytest
from django.core.management import call_command

from yanzhen.accounts.models import ApiToken
from yanzhen.core.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def token_for(username: str, capsys) -> str:
    call_command("create-token", username)
    return capsys.readouterr().out.strip()


def test_bearer_token_reads_a_division(client, capsys):
    token = token_for("huamachi", capsys)
    assert token.startswith("yz_")
    assert not ApiToken.objects.filter(key_hash=token).exists()  # only the hash is stored
    response = client.get("/api/v1/divisions/640323100", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "640323100"
    assert body["full_code"] == "640323100000"
    assert body["name"] == "花马池镇"
    assert body["parent_code"] == "640323"
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_CREATED, username="huamachi").count() == 1


def test_padded_code_is_accepted(client_for):
    assert client_for("county").get("/api/v1/divisions/640323100000").json()["code"] == "640323100"
    assert client_for("county").get("/api/v1/divisions/640323000000").json()["code"] == "640323"


def test_children(client_for):
    children = client_for("county").get("/api/v1/divisions/640323/children").json()
    assert [c["name"] for c in children] == [
        "盐州路街道",
        "花马池镇",
        "大水坑镇",
        "惠安堡镇",
        "高沙窝镇",
        "王乐井乡",
        "冯记沟乡",
        "青山乡",
        "麻黄山乡",
    ]
    villages = client_for("huamachi").get("/api/v1/divisions/640323100/children").json()
    assert len(villages) == 24 and all(v["code"].startswith("640323100") for v in villages)


def test_wrong_token_is_401_with_chinese_message(client):
    response = client.get("/api/v1/divisions/640323", headers={"Authorization": "Bearer yz_wrong"})
    assert response.status_code == 401
    assert response.json() == {"detail": "未登录或令牌无效"}


def test_revoked_token_is_refused(client, capsys):
    token = token_for("county", capsys)
    ApiToken.objects.filter(user__username="county").update(revoked=True)
    assert (
        client.get("/api/v1/divisions/640323", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )


def test_openapi_document(client_for):
    response = client_for("auditor").get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/divisions/{code}" in paths
    assert "/api/v1/divisions/{code}/children" in paths


def test_unknown_user_token_command_fails():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("create-token", "nobody")
