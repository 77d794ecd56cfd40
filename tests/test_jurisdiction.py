"""The clerk of 花马池镇 sees only her township; anything outside answers 404 like a missing record."""

import pytest

from yanzhen.divisions.models import Division
from yanzhen.divisions.selectors import get_division, tree

from .conftest import DASHUIKENG_VILLAGE, HUAMACHI, HUAMACHI_VILLAGE

pytestmark = pytest.mark.django_db


def test_county_tree_shows_townships_and_villages_with_real_names(client_for):
    response = client_for("county").get("/divisions/")
    assert response.status_code == 200
    page = response.content.decode()
    for name in [
        "花马池镇",
        "大水坑镇",
        "惠安堡镇",
        "高沙窝镇",
        "王乐井乡",
        "冯记沟乡",
        "青山乡",
        "麻黄山乡",
        "盐州路街道",
    ]:
        assert name in page
    assert page.count('class="village badge') == 120
    assert 'data-count="administrative_villages">102<' in page


def test_township_clerk_tree_holds_only_her_township(client_for, persona):
    response = client_for("huamachi").get("/divisions/")
    page = response.content.decode()
    assert "大水坑镇" not in page
    own = Division.objects.filter(parent_id=HUAMACHI)
    assert page.count('class="village badge') == own.count() == 24
    for village in own:
        assert village.name in page
    assert [child.code for child, _ in tree(persona("huamachi"), None)] == []


@pytest.mark.parametrize("code", [DASHUIKENG_VILLAGE, "640323101", "640323", "621202", "999999999999"])
def test_outside_her_township_answers_404(client_for, code):
    client = client_for("huamachi")
    assert client.get(f"/divisions/{code}/").status_code == 404
    assert client.get(f"/api/v1/divisions/{code}").status_code == 404


def test_404_for_outside_is_the_same_as_for_missing(client_for):
    client = client_for("huamachi")
    outside = client.get(f"/api/v1/divisions/{DASHUIKENG_VILLAGE}")
    missing = client.get("/api/v1/divisions/640323100999")
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json() == {"detail": "不存在或不在您的辖区内"}


def test_inside_her_township_is_visible(client_for, persona):
    assert client_for("huamachi").get(f"/divisions/{HUAMACHI_VILLAGE}/").status_code == 200
    assert get_division(persona("huamachi"), HUAMACHI_VILLAGE).code == HUAMACHI_VILLAGE


def test_other_county_sees_nothing_of_yanchi(client_for):
    client = client_for("outsider")
    assert client.get("/divisions/640323/").status_code == 404
    assert "花马池镇" not in client.get("/divisions/").content.decode()
    assert client.get("/divisions/621202/").status_code == 200


def test_search_is_scoped(client_for):
    assert (
        "/divisions/640323101/"
        not in client_for("huamachi").get("/search/", {"q": "大水坑"}).content.decode()
    )
    assert "/divisions/640323101/" in client_for("county").get("/search/", {"q": "大水坑"}).content.decode()
    hx = (
        client_for("county").get("/search/", {"q": "花马池"}, headers={"HX-Request": "true"}).content.decode()
    )
    assert "<html" not in hx and "/divisions/640323100/" in hx


def test_anonymous_is_sent_to_login(client):
    response = client.get("/divisions/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/api/v1/divisions/640323").status_code == 401
