import pytest

from yanzhen.divisions.models import Division, VillageTag

from .conftest import HUAMACHI_VILLAGE

pytestmark = pytest.mark.django_db
URL = "/system/vocabularies/village-tags/"


def names():
    return list(VillageTag.objects.values_list("name", flat=True))


def test_admin_adds_a_village_tag(client_for):
    response = client_for("county").post(URL, {"name": "红色美丽村庄"})
    assert response.status_code == 302
    assert names() == ["示范村", "明星村", "脱贫村", "软弱涣散村", "红色美丽村庄"]


@pytest.mark.parametrize(
    "name,message",
    [
        ("示范村", "“示范村”已存在"),
        ("  ", "名称不能为空"),
        ("长" * 31, "名称不能超过 30 个字"),
        ("\u200b\ufeff", "名称不能为空"),  # invisible characters only (core.text)
        ("示范\u200b村\u202e", "“示范村”已存在"),  # the same name behind a zero-width space
    ],
)
def test_bad_names_are_refused_and_nothing_written(client_for, name, message):
    before = names()
    response = client_for("county").post(URL, {"name": name})
    assert response.status_code == 400
    assert f"名称：{message}" in response.content.decode()
    assert names() == before


def test_an_entry_in_use_is_never_deleted(client_for):
    tag = VillageTag.objects.get(name="示范村")
    Division.objects.get(code=HUAMACHI_VILLAGE).tags.add(tag)
    response = client_for("county").post(URL, {"remove": tag.pk})
    assert response.status_code == 400
    assert "正被 1 条记录使用，不能删除" in response.content.decode()
    assert "示范村" in names()
    unused = VillageTag.objects.get(name="明星村")
    assert client_for("county").post(URL, {"remove": unused.pk}).status_code == 302
    assert "明星村" not in names()


@pytest.mark.parametrize("username", ["huamachi", "cunshuji", "auditor"])
def test_other_roles_change_nothing(client_for, username):
    before = names()
    assert client_for(username).post(URL, {"name": "新标签"}).status_code == 403
    assert names() == before


def test_unknown_vocabulary_is_404(client_for):
    assert client_for("county").get("/system/vocabularies/nothing/").status_code == 404
