"""Bad input that used to answer 500 (issue 14 §1): out-of-range periods, a decompression-bomb photo, a
workbook with a lone surrogate, an oversized JSON body, integers above 64 bits. Each is refused with a
4xx and a Chinese message, and nothing is written."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image

from tests.conftest import HUAMACHI, HUAMACHI_VILLAGE
from tests.factories import make_person
from yanzhen.assessments.incumbents import services as incumbents
from yanzhen.assessments.models import MonthlyScore, SemiannualReport
from yanzhen.core.models import AuditEvent
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person
from yanzhen.rosters.models import RosterUpload

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u4e00-\u9fff]")
HUGE = str(2**64 + 1)


def chinese_detail(response) -> str:
    """The Chinese message of a refusal: JSON detail in the API, the page's alert in the app."""
    if response["Content-Type"].startswith("application/json"):
        text = response.json()["detail"]
    else:
        text = response.content.decode()
        text = text[text.index('role="alert"') :]
    assert HAN.search(text), text[:300]
    return text


BAD_PERIODS = ["-1", "0", "10000", "20261201", "99999H1", "0000H1", "-5H1"]
PERIOD_PAGES = [
    "/assessment/assessments/",
    "/assessment/assessments/export.xlsx",
    "/assessment/reports/",
    "/assessment/reports/overdue/",
    "/assessment/reports/overdue/export.xlsx",
]


@pytest.mark.parametrize("period", BAD_PERIODS)
@pytest.mark.parametrize("url", PERIOD_PAGES)
def test_a_period_out_of_range_is_a_400_page_naming_the_years(client_for, url, period):
    client = client_for("huamachi")
    audit_rows = AuditEvent.objects.count()
    response = client.get(url, {"period": period, "township": HUAMACHI})
    assert response.status_code == 400
    assert "年份须在 1949 至 2100 之间" in chinese_detail(response)
    assert (
        list(AuditEvent.objects.values_list("action", "object_repr"))[audit_rows:] == []
    )  # no export recorded


def test_a_period_out_of_range_is_a_400_in_the_api(client_for):
    response = client_for("huamachi").get("/api/v1/assessments", {"period": "0000H1"})
    assert response.status_code == 400
    assert response.json() == {"detail": "考核期“0000H1”有误：年份须在 1949 至 2100 之间"}


# -- a decompression-bomb photo ----------------------------------------------------------------------------


def bomb_png() -> bytes:
    """A PNG that claims 20000×20000 pixels in a few dozen kilobytes."""
    image = Image.new("1", (20000, 20000))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


@pytest.fixture
def person(persona):
    return make_person("韩照片", HUAMACHI_VILLAGE, actor=persona("huamachi"))


def test_a_decompression_bomb_photo_is_refused_and_nothing_stored(client_for, person, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    content = bomb_png()
    assert len(content) < 100 * 1024
    response = client_for("huamachi").post(
        f"/people/{person.pk}/photo/", {"photo": SimpleUploadedFile("me.png", content)}
    )
    assert response.status_code == 400
    assert "照片：图片像素过多，上限为 5000 万像素，请缩小后再上传" in response.content.decode()
    person.refresh_from_db()
    assert not person.photo and person.history.count() == 1
    assert list(tmp_path.rglob("*.*")) == []


# -- a workbook with a lone surrogate ----------------------------------------------------------------------


def surrogate_xlsx(header: list[str]) -> bytes:
    """A workbook whose second row holds the character reference `&#xD800;` (a lone surrogate, which no
    XML parser accepts) written in the sheet's XML."""
    workbook = Workbook()
    workbook.active.append(header)
    workbook.active.append(["SURROGATE"] + ["1"] * (len(header) - 1))
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            package.writestr(info.filename, source.read(info.filename).replace(b"SURROGATE", b"&#xD800;"))
    assert b"SURROGATE" not in out.getvalue()
    return out.getvalue()


def test_a_roster_with_a_lone_surrogate_is_refused_and_nothing_staged(client_for):
    response = client_for("huamachi").post(
        "/rosters/upload/",
        {
            "division": HUAMACHI,
            "file": SimpleUploadedFile("花名册.xlsx", surrogate_xlsx(["姓名", "身份证号", "性别", "所在村"])),
        },
    )
    assert response.status_code == 400
    assert "文件不是有效的 Excel 工作簿（无法读取：ParseError）" in response.content.decode()
    assert RosterUpload.objects.count() == 0 and Person.objects.count() == 0


def test_monthly_scores_with_a_lone_surrogate_are_refused_and_nothing_written(client_for, persona):
    incumbents.save_score_items(
        actor=persona("county"), county=Division.objects.get(code="640323"), items=[("工作实绩", 100)]
    )
    header = ["任期编号", "村", "姓名", "职务", "工作实绩（100）", "备注"]
    response = client_for("huamachi").post(
        f"/assessment/incumbents/scores/import/?division={HUAMACHI}&month=2024-05",
        {"file": SimpleUploadedFile("月考评.xlsx", surrogate_xlsx(header))},
    )
    assert response.status_code == 422
    assert "文件不是有效的 Excel 工作簿（无法读取：ParseError）" in response.content.decode()
    assert MonthlyScore.objects.count() == 0


# -- an oversized body -------------------------------------------------------------------------------------


def test_a_3_mb_json_body_is_413_with_a_chinese_detail(client_for, person):
    body = json.dumps({"person_id": person.pk, "year": 2024, "half": 1, "text": "汇" * (1024 * 1024)})
    assert len(body.encode()) > 3 * 1024 * 1024
    response = client_for("huamachi").post("/api/v1/reports", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"detail": "请求内容过大，上限为 2.5 MB，未保存任何内容"}
    assert SemiannualReport.objects.count() == 0


def test_a_3_mb_form_is_the_413_page(client_for, person):
    response = client_for("huamachi").post(f"/people/{person.pk}/edit/", {"note": "注" * (1024 * 1024)})
    assert response.status_code == 413
    assert "请求内容过大，上限为 2.5 MB，未保存任何内容" in chinese_detail(response)
    person.refresh_from_db()
    assert person.history.count() == 1


# -- integers above 64 bits --------------------------------------------------------------------------------

HUGE_QUERIES = [
    "/api/v1/persons?offset=HUGE",
    "/api/v1/persons?source=HUGE",
    "/api/v1/persons?skills=HUGE",
    "/api/v1/assessments?offset=HUGE",
    "/api/v1/assessments?person=HUGE",
    "/api/v1/reports?offset=HUGE",
    "/api/v1/reports?person=HUGE",
    "/api/v1/incumbents/monthly-scores?term=HUGE",
    "/api/v1/incumbents/monthly-scores?offset=HUGE",
    "/api/v1/trainings?offset=HUGE",
    "/api/v1/mentorships?offset=HUGE",
    "/api/v1/secondments?offset=HUGE",
    "/api/v1/candidacies?offset=HUGE",
    "/api/v1/candidacies?limit=HUGE",
]


@pytest.mark.parametrize("url", HUGE_QUERIES)
def test_an_integer_above_64_bits_in_the_api_is_422(client_for, url):
    response = client_for("county").get(url.replace("HUGE", HUGE))
    assert response.status_code == 422
    assert response.json()["detail"] == "请求参数有误"
    assert HAN.search(response.json()["detail"])


@pytest.mark.parametrize(
    "url,status",
    [
        ("/people/?skills=HUGE", 200),  # the list shows its filter form with the error
        ("/people/export.xlsx?skills=HUGE", 400),
        ("/people/export.xlsx?source=HUGE", 400),
        ("/assessment/assessments/new/?person=HUGE", 404),
        ("/assessment/incumbents/scores/?term=HUGE", 404),
    ],
)
def test_an_integer_above_64_bits_in_a_page_filter_is_not_a_server_error(client_for, url, status):
    response = client_for("county").get(url.replace("HUGE", HUGE))
    assert response.status_code == status


def test_skills_above_64_bits_in_put_person_are_422_and_nothing_changes(client_for, person):
    body = {"name": "韩改名", "id_number": "", "village": HUAMACHI_VILLAGE, "political_status": "01"}
    body["skills"] = [int(HUGE)]
    response = client_for("huamachi").put(
        f"/api/v1/persons/{person.pk}", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "请求参数有误"
    person.refresh_from_db()
    assert person.name == "韩照片" and person.history.count() == 1


def test_a_3_mb_form_to_the_login_page_is_the_413_page_without_login(client):
    response = client.post("/accounts/login/", {"username": "huamachi", "password": "注" * (1024 * 1024)})
    assert response.status_code == 413
    assert "请求内容过大，上限为 2.5 MB，未保存任何内容" in chinese_detail(response)
    assert AuditEvent.objects.count() == 0


# A NUL character (%00) in the address or a query parameter: PostgreSQL refused the whole query (500) --------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/api/v1/persons?q=%00", "查询参数“q”中含有空字符（NUL），已拒绝"),
        ("/people/?q=wang%00", "查询参数“q”中含有空字符（NUL），已拒绝"),
        ("/people/?township=640323%00100", "查询参数“township”中含有空字符（NUL），已拒绝"),
        ("/people/?%00q=wang", "查询参数“q”中含有空字符（NUL），已拒绝"),
        ("/api/v1/divisions/640323%00", "请求的地址中含有空字符（NUL），已拒绝"),
        ("/statistics/?division=64%00", "查询参数“division”中含有空字符（NUL），已拒绝"),
    ],
)
def test_a_nul_character_in_the_address_is_refused_in_chinese(client_for, url, message):
    response = client_for("county").get(url)
    assert response.status_code == 400
    assert message in chinese_detail(response)


def test_a_nul_character_refused_on_a_post_changes_nothing(client_for):
    before = Person.objects.count(), AuditEvent.objects.count()
    response = client_for("county").post("/people/new/?next=%00", {"name": "张三"})
    assert response.status_code == 400
    assert (Person.objects.count(), AuditEvent.objects.count()) == before


def test_an_address_without_nul_is_not_touched(client_for):
    assert client_for("county").get("/api/v1/persons?q=wang").status_code == 200
