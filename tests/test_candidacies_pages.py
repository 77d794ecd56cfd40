"""The pipeline's pages: the board by state, nomination, the candidacy page with only the allowed next steps,
transitions through forms, the batch 公示 and its printable notice, the county's rules, and the key-post
coverage on the village page."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from yanzhen.candidacies.models import (
    Candidacy,
    CandidacyEvent,
    CountyRules,
    Document,
    NegativeListItem,
    PublicNotice,
)

from .candidacies_support import (
    NOTICE_END,
    NOTICE_START,
    State,
    candidacy_in,
    footprint,
    make_seat,
    nominate,
    post,
)
from .conftest import DASHUIKENG_VILLAGE, HUAMACHI_VILLAGE
from .factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def text(response) -> str:
    return response.content.decode()


def all_clear(prefix: str = "") -> dict[str, str]:
    """Every item of the negative list answered 无此情形."""
    return {f"{prefix}item_{pk}": "clear" for pk in NegativeListItem.objects.values_list("pk", flat=True)}


# --- the board ---------------------------------------------------------------------------------------


def test_the_board_shows_columns_by_state_scoped_to_the_user(client_for):
    mine = candidacy_in(State.IN_POOL)
    theirs = candidacy_in(State.VETTED, make_person("钱七", village=DASHUIKENG_VILLAGE))
    response = client_for("huamachi").get("/reserves/")
    assert response.status_code == 200
    page = text(response)
    for label in ["推荐", "资格审查", "考察", "研究确定", "公示", "在库", "已使用", "出库", "未通过"]:
        assert label in page
    assert f"/reserves/{mine.pk}/" in page and f"/reserves/{theirs.pk}/" not in page
    county = text(client_for("county").get("/reserves/"))
    assert f"/reserves/{mine.pk}/" in county and f"/reserves/{theirs.pk}/" in county
    assert f"/reserves/{mine.pk}/" not in text(client_for("outsider").get("/reserves/"))


def test_the_board_filters_and_its_query_count(client_for):
    for index in range(6):
        candidacy_in(State.IN_POOL, make_person(f"人{index}"))
    client = client_for("county")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/reserves/?in=640323100")
    assert response.status_code == 200
    assert len(queries) <= 30, [q["sql"] for q in queries]
    assert text(client.get("/reserves/?view=board")).count('class="yz-card') == 6
    assert text(client.get("/reserves/?view=board&in=640323101")).count('class="yz-card') == 0
    # A state is a filter of the list: six rows, no cards.
    only_pool = text(client.get("/reserves/?state=in_pool"))
    assert only_pool.count("data-list-select ") == 6 and 'class="yz-card' not in only_pool


def test_the_navigation_leads_to_the_board(client_for):
    page = text(client_for("huamachi").get("/"))
    assert 'href="/reserves/"' in page


# --- nomination --------------------------------------------------------------------------------------


def test_nominate_through_the_form(client_for):
    person = make_person()
    response = client_for("huamachi").post(
        "/reserves/nominate/",
        {
            "person": person.pk,
            "post_types": [post("secretary").pk, post("chair").pk],
            "nomination_way": "masses",
            "recommender": "村民代表",
            "pairing": "1+1",
            "pairing_members": "王振华",
            "readiness": "ready",
            "key_cultivation": "on",
            "on": "2024-03-01",
            "document_title": "推荐表",
            "document": SimpleUploadedFile(
                "tuijian.pdf", b"%PDF-1.4 test\n%%EOF\n", content_type="application/pdf"
            ),
        },
    )
    candidacy = Candidacy.objects.get(person=person)
    assert response.status_code == 302 and response["Location"] == f"/reserves/{candidacy.pk}/"
    assert (candidacy.pairing, candidacy.pairing_members, candidacy.readiness, candidacy.key_cultivation) == (
        "1+1",
        "王振华",
        "ready",
        True,
    )
    assert sorted(candidacy.targets.values_list("post_type__code", flat=True)) == ["chair", "secretary"]
    assert Document.objects.get(candidacy=candidacy).title == "推荐表"


def test_nomination_errors_are_shown_in_chinese_and_nothing_written(client_for):
    person = make_person(status="13")
    response = client_for("huamachi").post(
        "/reserves/nominate/",
        {
            "person": person.pk,
            "post_types": [post("secretary").pk],
            "nomination_way": "self",
            "pairing": "1+N",
            "readiness": "ready",
            "on": "2024-03-01",
        },
    )
    assert response.status_code == 200
    page = text(response)
    assert "须为中共党员或中共预备党员" in page
    assert "“1+N”结对须填写结对的驻村工作队员" in page
    assert not Candidacy.objects.exists()


def test_a_document_of_the_wrong_kind_is_refused(client_for):
    person = make_person()
    response = client_for("huamachi").post(
        "/reserves/nominate/",
        {
            "person": person.pk,
            "post_types": [post("chair").pk],
            "nomination_way": "self",
            "pairing": "none",
            "readiness": "ready",
            "on": "2024-03-01",
            "document": SimpleUploadedFile("virus.exe", b"MZ...", content_type="application/octet-stream"),
        },
    )
    assert "附件：只接受 PDF、JPG、PNG、Word、Excel 文件" in text(response)
    assert not Candidacy.objects.exists() and not Document.objects.exists()
    response = client_for("huamachi").post(
        "/reserves/nominate/",
        {
            "person": person.pk,
            "post_types": [post("chair").pk],
            "nomination_way": "self",
            "pairing": "none",
            "readiness": "ready",
            "on": "2024-03-01",
            "document": SimpleUploadedFile("fake.pdf", b"MZ not a pdf", content_type="application/pdf"),
        },
    )
    assert "附件：只接受 PDF、JPG、PNG、Word、Excel 文件" in text(response)
    assert not Candidacy.objects.exists()


def test_the_village_secretary_sees_only_his_villagers_in_the_form(client_for):
    mine = make_person("本村人")
    other = make_person("外村人", village="640323100201")
    secretary = client_for("cunshuji")
    # The nominee is picked by typing: the page points at the people picker, which offers only his village.
    assert 'data-picker="/pick/people/"' in text(secretary.get("/reserves/nominate/"))
    offered = [row["id"] for row in secretary.get("/pick/people/", {"q": "村人"}).json()["results"]]
    assert offered == [mine.pk]
    # Posting someone of another village is refused as an invalid choice, whatever the picker offered.
    response = secretary.post(
        "/reserves/nominate/", {"person": other.pk, "nomination_way": "self", "on": "2024-03-01"}
    )
    assert response.status_code == 200 and not Candidacy.objects.exists()
    assert client_for("auditor").get("/reserves/nominate/").status_code == 403


# --- the candidacy page and its transitions ---------------------------------------------------------


@pytest.mark.parametrize(
    "state,offered",
    [
        ("nominated", ["vetted"]),  # one vetting form: its answers decide passed or not
        ("vetted", ["inspected"]),
        ("inspected", ["decided", "rejected"]),
        ("decided", ["in_notice"]),
        ("in_notice", ["in_pool", "rejected"]),
        ("in_pool", ["promoted", "removed"]),
        ("promoted", []),
        ("removed", []),
        ("rejected", []),
    ],
)
def test_only_the_allowed_next_steps_are_offered(client_for, state, offered):
    candidacy = candidacy_in(state)
    page = text(client_for("huamachi").get(f"/reserves/{candidacy.pk}/"))
    shown = [
        to
        for to in [
            "vetted",
            "rejected",
            "inspected",
            "decided",
            "in_notice",
            "in_pool",
            "promoted",
            "removed",
        ]
        if f'data-to="{to}"' in page
    ]
    assert sorted(shown) == sorted(offered)
    assert 'id="timeline"' in page
    # Readers see the page without the forms.
    assert 'data-to="' not in text(client_for("auditor").get(f"/reserves/{candidacy.pk}/"))


def test_the_whole_path_through_the_pages(client_for):
    client = client_for("huamachi")
    candidacy = nominate(make_person())
    url = f"/reserves/{candidacy.pk}"

    def post_step(to, data):
        response = client.post(f"{url}/to/{to}/", {f"{to}-{key}": value for key, value in data.items()})
        assert response.status_code == 302, text(response)
        return Candidacy.objects.get(pk=candidacy.pk).state

    assert post_step("vetted", {"on": "2024-03-05", **all_clear()}) == "vetted"
    inspection = {
        "on": "2024-03-12",
        "inspectors": "张三、李四",
        "people_talked_to": 12,
        "votes_for": 30,
        "votes_against": 1,
        "votes_abstaining": 2,
        "findings": "同意",
    }
    assert post_step("inspected", inspection) == "inspected"
    assert post_step("decided", {"on": "2024-03-19"}) == "decided"
    assert (
        post_step("in_notice", {"start": "2024-03-20", "end": "2024-03-26", "supervision_phone": "0953-1"})
        == "in_notice"
    )
    assert post_step("in_pool", {"on": "2024-03-27"}) == "in_pool"
    seat = make_seat()
    assert post_step("promoted", {"seat": seat.pk, "on": "2024-04-10"}) == "promoted"
    page = text(client.get(f"{url}/"))
    assert "已使用" in page and "公示期满无异议，纳入后备力量人才库" in page


def test_a_form_error_is_shown_and_nothing_written(client_for):
    candidacy = candidacy_in(State.DECIDED)
    before = footprint(candidacy)
    response = client_for("huamachi").post(
        f"/reserves/{candidacy.pk}/to/in_notice/",
        {"in_notice-start": "2024-09-30", "in_notice-end": "2024-10-10", "in_notice-supervision_phone": "1"},
    )
    assert response.status_code == 200
    assert "最早可于 2024-10-11 结束" in text(response)
    assert footprint(candidacy) == before


def test_an_illegal_move_through_the_page_is_refused(client_for):
    candidacy = candidacy_in(State.NOMINATED)
    before = footprint(candidacy)
    client = client_for("huamachi")
    response = client.post(f"/reserves/{candidacy.pk}/to/in_pool/", {"in_pool-on": "2024-03-27"})
    assert response.status_code == 302
    assert "不能从“推荐”直接转为“在库”" in text(client.get(f"/reserves/{candidacy.pk}/"))
    assert footprint(candidacy) == before


def test_removal_without_reason_through_the_page(client_for):
    candidacy = candidacy_in(State.IN_POOL)
    before = footprint(candidacy)
    response = client_for("huamachi").post(
        f"/reserves/{candidacy.pk}/to/removed/", {"removed-on": "2024-05-06", "removed-confirm": "on"}
    )
    assert response.status_code == 200 and "出库须选择原因" in text(response)
    assert footprint(candidacy) == before


@pytest.mark.parametrize(
    "username,status", [("dashuikeng", 404), ("outsider", 404), ("auditor", 403), ("cunshuji", 403)]
)
def test_transitions_through_pages_respect_jurisdiction(client_for, username, status):
    candidacy = candidacy_in(State.NOMINATED)
    before = footprint(candidacy)
    assert (
        client_for(username)
        .post(f"/reserves/{candidacy.pk}/to/vetted/", {"vetted-on": "2024-03-05"})
        .status_code
        == status
    )
    assert footprint(candidacy) == before


def test_objections_through_the_page(client_for):
    client = client_for("huamachi")
    candidacy = candidacy_in(State.IN_NOTICE)
    response = client.post(
        f"/reserves/{candidacy.pk}/objections/",
        {"objection-received_on": "2024-03-21", "objection-content": "反映其有违建"},
    )
    assert response.status_code == 302
    objection = candidacy.objections.get()
    page = text(client.get(f"/reserves/{candidacy.pk}/"))
    assert "反映其有违建" in page
    assert (
        client.post(f"/reserves/{candidacy.pk}/to/in_pool/", {"in_pool-on": "2024-03-27"}).status_code == 200
    )
    response = client.post(
        f"/reserves/{candidacy.pk}/objections/{objection.pk}/resolve/",
        {"resolve-on": "2024-03-25", "resolve-resolution": "经核实，已整改"},
    )
    assert response.status_code == 302
    assert (
        client.post(f"/reserves/{candidacy.pk}/to/in_pool/", {"in_pool-on": "2024-03-27"}).status_code == 302
    )
    assert Candidacy.objects.get(pk=candidacy.pk).state == "in_pool"


def png_bytes() -> bytes:
    """A real image: attachments are decoded by Pillow before they are accepted."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_documents_are_downloaded_only_inside_the_jurisdiction(client_for):
    candidacy = candidacy_in(State.NOMINATED)
    client = client_for("huamachi")
    response = client.post(
        f"/reserves/{candidacy.pk}/documents/",
        {"document-title": "考察材料", "document-file": SimpleUploadedFile("a.png", png_bytes())},
    )
    assert response.status_code == 302
    document = Document.objects.get()
    download = client.get(f"/reserves/documents/{document.pk}/")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert client_for("dashuikeng").get(f"/reserves/documents/{document.pk}/").status_code == 404


# --- the batch 公示 and the printable notice ---------------------------------------------------------


def test_batch_notice_and_its_print(client_for):
    first = candidacy_in(State.DECIDED)
    second = candidacy_in(State.DECIDED, make_person("赵六", village="640323100201", born=date(1992, 8, 3)))
    CountyRules.objects.create(county_id="640323", supervision_phone="0953-6012345")
    client = client_for("huamachi")
    page = text(client.get("/reserves/notices/start/"))
    assert "花马池镇" in page
    response = client.post(
        "/reserves/notices/start/",
        {
            "township": "640323100",
            "start": NOTICE_START.isoformat(),
            "end": NOTICE_END.isoformat(),
            "supervision_phone": "0953-6012345",
        },
    )
    notice = PublicNotice.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reserves/notices/{notice.pk}/"
    assert {c.state for c in Candidacy.objects.filter(pk__in=[first.pk, second.pk])} == {"in_notice"}
    printed = text(client.get(f"/reserves/notices/{notice.pk}/"))
    for expected in [
        "关于村级后备力量人选的公示",
        "祝心灵",
        "赵六",
        "1992.08",
        "中共党员",
        "大学专科毕业",
        "村党组织书记",
        "公示期：2024年3月20日至2024年3月26日（5个工作日）",
        "监督电话：0953-6012345",
        "中共花马池镇委员会",
    ]:
        assert expected in printed, expected
    assert client_for("dashuikeng").get(f"/reserves/notices/{notice.pk}/").status_code == 404


def test_batch_notice_too_short_writes_nothing(client_for):
    candidacy = candidacy_in(State.DECIDED)
    before = footprint(candidacy)
    response = client_for("huamachi").post(
        "/reserves/notices/start/",
        {"township": "640323100", "start": "2024-03-20", "end": "2024-03-22", "supervision_phone": "1"},
    )
    assert response.status_code == 200 and "公示期须至少 5 个工作日" in text(response)
    assert footprint(candidacy) == before


# --- the county's rules ------------------------------------------------------------------------------


def test_the_county_admin_edits_the_rules(client_for):
    response = client_for("county").post(
        "/reserves/rules/640323/",
        {
            "notice_working_days": 7,
            "secretary_minimum_age": 18,
            "secretary_maximum_age": 40,
            "secretary_party_member_required": "on",
            "supervision_phone": "0953-6012345",
        },
    )
    assert response.status_code == 302
    rules = CountyRules.objects.get(county_id="640323")
    assert (rules.notice_working_days, rules.secretary_maximum_age) == (7, 40)
    assert client_for("huamachi").post("/reserves/rules/640323/", {}).status_code == 404
    assert client_for("auditor").post("/reserves/rules/640323/", {}).status_code == 403


# --- the village page ------------------------------------------------------------------------------


def test_the_village_page_shows_each_key_post_green_or_red(client_for):
    in_pool = candidacy_in(State.IN_POOL, readiness="ready")
    candidacy_in(State.DECIDED, make_person("候选人", status="13"), targets=("chair",))
    page = text(client_for("huamachi").get(f"/divisions/{HUAMACHI_VILLAGE}/"))
    assert 'id="village-coverage"' in page
    secretary = page[page.index('data-post="secretary"') :]
    secretary = secretary[: secretary.index("</li>")]
    assert "text-bg-success" in secretary and in_pool.person.name in secretary and "可随时使用" in secretary
    chair = page[page.index('data-post="chair"') :]
    chair = chair[: chair.index("</li>")]
    assert "text-bg-danger" in chair and "候选人" not in chair and "没有在库的后备人选" in chair


def test_the_negative_list_is_a_configurable_vocabulary(client_for):
    response = client_for("county").post("/system/vocabularies/negative-list/", {"name": "有黄赌毒行为的"})
    assert response.status_code == 302
    assert NegativeListItem.objects.filter(name="有黄赌毒行为的").exists()
    assert CandidacyEvent.objects.count() == 0
