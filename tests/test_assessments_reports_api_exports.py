"""/api/v1/reports (semiannual reports) and the xlsx exports of assessments and overdue reports."""

from __future__ import annotations

import json
from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.assessment_helpers import assess, make_reserve
from tests.conftest import DASHUIKENG_VILLAGE, HUAMACHI, HUAMACHI_VILLAGE
from yanzhen.assessments import services
from yanzhen.assessments.models import SemiannualReport
from yanzhen.core.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(persona):
    return persona("huamachi")


@pytest.fixture
def reserve(clerk):
    return make_reserve(clerk, "白坤林", HUAMACHI_VILLAGE)[0]


def post(http, payload):
    return http.post("/api/v1/reports", json.dumps(payload), content_type="application/json")


# -- /api/v1/reports ---------------------------------------------------------------------------------------


def test_api_create_and_list_reports(client_for, reserve):
    http = client_for("huamachi")
    response = post(http, {"person_id": reserve.pk, "year": 2022, "half": 1, "text": "上半年思想汇报"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person_name"] == "白坤林"
    assert body["period_name"].startswith("2022")
    assert body["channel"] == "clerk"
    assert body["reviewed"] is False

    post(http, {"person_id": reserve.pk, "year": 2022, "half": 2, "text": "下半年思想汇报"})
    assert http.get("/api/v1/reports").json()["count"] == 2
    assert http.get("/api/v1/reports?year=2022&half=2").json()["count"] == 1
    assert http.get("/api/v1/reports?year=2021").json()["count"] == 0
    assert http.get(f"/api/v1/reports?village={HUAMACHI_VILLAGE}").json()["count"] == 2
    assert http.get(f"/api/v1/reports?person={reserve.pk}").json()["count"] == 2
    # other villages and other townships see nothing
    assert http.get(f"/api/v1/reports?village={HUAMACHI}201").json()["count"] == 0
    assert client_for("dashuikeng").get("/api/v1/reports").json()["count"] == 0
    assert client_for("auditor").get("/api/v1/reports").json()["count"] == 2


def test_api_reports_village_outside_jurisdiction_is_404(client_for):
    response = client_for("dashuikeng").get(f"/api/v1/reports?village={HUAMACHI_VILLAGE}")
    assert response.status_code == 404
    assert response.json()["detail"] == "不存在或不在您的辖区内"


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"year": 2099, "half": 1, "text": "x"}, "half", "尚未开始"),
        ({"year": 2022, "half": 3, "text": "x"}, "half", "请选择上半年或下半年"),
        ({"year": 2022, "half": 1, "text": "   "}, "text", "请填写汇报内容"),
        ({"year": 2019, "half": 1, "text": "x"}, "half", "不在后备力量库中"),
    ],
)
def test_api_report_bad_input_is_422_in_chinese_and_writes_nothing(
    client_for, reserve, payload, field, message
):
    response = post(client_for("huamachi"), {"person_id": reserve.pk} | payload)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "提交的数据有误，未保存"
    assert message in body["errors"][field]
    assert not SemiannualReport.objects.exists()


def test_api_report_outside_jurisdiction_is_404_and_auditor_403(client_for, reserve):
    payload = {"person_id": reserve.pk, "year": 2022, "half": 1, "text": "汇报"}
    assert post(client_for("dashuikeng"), payload).status_code == 404
    assert post(client_for("outsider"), payload).status_code == 404
    assert post(client_for("auditor"), payload).status_code == 403
    assert not SemiannualReport.objects.exists()


def test_api_report_reviewed_cannot_be_replaced(client_for, clerk, reserve):
    report = services.submit_report(actor=clerk, person=reserve, year=2022, half=1, text="汇报")
    services.review_report(actor=clerk, report=report, comment="很好")
    response = post(client_for("huamachi"), {"person_id": reserve.pk, "year": 2022, "half": 1, "text": "改"})
    assert response.status_code == 422
    assert "已于" in response.json()["errors"]["half"]
    report.refresh_from_db()
    assert report.text == "汇报"


# -- exports -----------------------------------------------------------------------------------------------


def _sheet(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(BytesIO(response.content))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_assessment_export_masks_and_audits(client_for, clerk, reserve, persona):
    other = make_reserve(clerk, "=SUM(A1)", HUAMACHI_VILLAGE)[0]
    make_reserve(persona("dashuikeng"), "外乡人", DASHUIKENG_VILLAGE)
    assess(clerk, reserve, 2022, 1, "excellent", political_score=90)
    response = client_for("huamachi").get(
        f"/assessment/assessments/export.xlsx?division={HUAMACHI}&period=2022H1"
    )
    rows = _sheet(response)
    assert rows[0][:3] == ["乡镇", "村", "姓名"]
    by_name = {row[2]: row for row in rows[1:]}
    assert set(by_name) == {"白坤林", "=SUM(A1)"}
    assert by_name["白坤林"][6] == "优秀"
    assert by_name["白坤林"][7] == 90
    assert by_name["=SUM(A1)"][6] == "未考核"
    assert "*" in by_name["白坤林"][3]
    assert by_name["白坤林"][3] == reserve.id_number_masked
    assert reserve.id_number_masked != other.id_number_masked
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("pk")
    assert event.detail["export"] == "assessments"
    assert event.detail["period"] == "2022H1"
    assert event.detail["rows"] == 2


def test_overdue_export_lists_missing_reports_and_audits(client_for, clerk, reserve):
    second = make_reserve(clerk, "马继红", HUAMACHI_VILLAGE)[0]
    services.submit_report(actor=clerk, person=second, year=2022, half=1, text="汇报")
    response = client_for("county").get(
        f"/assessment/reports/overdue/export.xlsx?division={HUAMACHI}&period=2022H1"
    )
    rows = _sheet(response)
    assert rows[0] == ["乡镇", "村", "姓名", "公民身份号码", "手机号码", "汇报期", "应交日期", "逾期天数"]
    assert [row[2] for row in rows[1:]] == ["白坤林"]
    assert rows[1][3] == reserve.id_number_masked
    assert rows[1][7] > 0
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("pk")
    assert event.detail == {"export": "overdue_reports", "division": HUAMACHI, "period": "2022H1", "rows": 1}


@pytest.mark.parametrize(
    "path", ["/assessment/assessments/export.xlsx", "/assessment/reports/overdue/export.xlsx"]
)
def test_exports_refused_to_auditor_and_secretary_and_outside(client_for, path):
    before = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()
    assert client_for("auditor").get(path).status_code == 403
    assert client_for("cunshuji").get(path).status_code == 403
    assert client_for("dashuikeng").get(f"{path}?division={HUAMACHI}").status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == before
