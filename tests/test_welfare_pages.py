"""待遇保障 pages: the pay sheet and its xlsx (figures as counted in tests/test_welfare.py), the register and
its export, the coverage list, the county's settings forms (bad input answers 400 and writes nothing), the
person archive's section and its forms; roles and other townships refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from yanzhen.core.models import AuditAction, AuditEvent
from yanzhen.welfare.models import AllowanceRule, HealthCheck, InsurancePolicy, PayScheme, PerformanceRule

from .conftest import DASHUIKENG, HUAMACHI
from .welfare_support import build_township, set_today

pytestmark = pytest.mark.django_db


def _written() -> tuple:
    return (
        PayScheme.history.count(),
        PerformanceRule.history.count(),
        AllowanceRule.history.count(),
        InsurancePolicy.history.count(),
        HealthCheck.history.count(),
    )


def test_the_pay_sheet_page_shows_the_hand_counted_total(client_for):
    build_township()
    response = client_for("huamachi").get("/welfare/pay/?month=2026-04")
    assert response.status_code == 200
    text = response.content.decode()
    assert "7360.01" in text and "866.67" in text and "未考评" in text
    assert "赵副书记（村党组织副书记）" in text  # no scheme: named below the sheet


def test_the_pay_sheet_export_holds_the_rows_and_the_total_and_is_audited(client_for):
    build_township()
    response = client_for("huamachi").get(f"/welfare/pay/export.xlsx?township={HUAMACHI}&month=2026-04")
    assert response.status_code == 200
    assert "pay_sheet_640323100_2026-04.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    values = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "花马池镇2026年4月村干部报酬发放表"
    assert values[3][:11] == (
        "村",
        "姓名",
        "职务",
        "任职天数",
        "基本报酬",
        "补贴",
        "绩效基数",
        "考评等次",
        "绩效比例",
        "绩效报酬",
        "应发合计",
    )
    assert values[6][:11] == (
        "长城村委会",
        "李委员",
        "两委委员",
        "20/30",
        800,
        66.67,
        400,
        "未考评",
        "—",
        0,
        866.67,
    )
    total = values[8]
    assert total[0] == "合计" and Decimal(str(total[10])) == Decimal("7360.01")
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("pk")
    assert (
        event.detail["export"] == "pay_sheet"
        and event.detail["rows"] == 4
        and event.detail["total"] == "7360.01"
    )


@pytest.mark.parametrize(
    ("username", "url", "status"),
    [
        ("dashuikeng", f"/welfare/pay/?township={HUAMACHI}", 404),
        ("dashuikeng", f"/welfare/pay/export.xlsx?township={HUAMACHI}&month=2026-04", 404),
        ("auditor", f"/welfare/pay/export.xlsx?township={HUAMACHI}&month=2026-04", 403),
        ("cunshuji", f"/welfare/pay/?township={HUAMACHI}", 404),  # his village's township is above him
        ("cunshuji", "/welfare/allowances/", 403),
        ("outsider", f"/welfare/pay/?township={HUAMACHI}", 404),
        ("huamachi", f"/welfare/pay/?township={HUAMACHI}&month=2026-13", 400),
        ("huamachi", "/welfare/pay/?township=640323100200", 404),  # a village, not a township
        ("huamachi", "/welfare/allowances/export.xlsx?township=640323101", 404),
        ("auditor", "/welfare/allowances/export.xlsx", 403),
    ],
)
def test_refused_sheets_and_exports_leave_no_audit_row(client_for, username, url, status):
    before = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()
    assert client_for(username).get(url).status_code == status
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == before


def test_the_county_settings_save_a_scheme_and_refuse_bad_input(client_for):
    client = client_for("county")
    assert client.get("/welfare/settings/").status_code == 200
    ok = {
        "action": "scheme",
        "scheme-post_type": "1",
        "scheme-effective_from": "2026-04",
        "scheme-base": "2000",
        "scheme-allowance": "300",
        "scheme-performance": "1000",
    }
    from yanzhen.posts.models import PostType

    ok["scheme-post_type"] = str(PostType.objects.get(code="secretary").pk)
    assert client.post("/welfare/settings/", ok).status_code == 302
    scheme = PayScheme.objects.get()
    assert (scheme.effective_from, scheme.base) == (date(2026, 4, 1), Decimal("2000.00"))
    before = _written()
    response = client.post("/welfare/settings/", {**ok, "scheme-base": "-5"})
    assert response.status_code == 400 and "基本报酬不能为负数" in response.content.decode()
    response = client.post(
        "/welfare/settings/",
        {
            "action": "performance",
            "performance-effective_from": "2026-04",
            "performance-excellent": "120",
            "performance-competent": "80",
            "performance-basically_competent": "50",
            "performance-incompetent": "0",
        },
    )
    assert response.status_code == 400 and "须为 0 到 100 的整数" in response.content.decode()
    response = client.post(
        "/welfare/settings/",
        {"action": "allowance", "allowance-min_age": "60", "allowance-bands": "十年 300"},
    )
    assert response.status_code == 400 and "第 1 行" in response.content.decode()
    assert _written() == before
    # A clerk and the auditor may not; nothing changes.
    assert client_for("huamachi").post("/welfare/settings/", ok).status_code == 403
    assert client_for("auditor").post("/welfare/settings/", ok).status_code == 403
    assert client_for("huamachi").post(f"/welfare/settings/schemes/{scheme.pk}/delete/").status_code == 403
    assert _written() == before
    assert client.post(f"/welfare/settings/schemes/{scheme.pk}/delete/").status_code == 302
    assert not PayScheme.objects.exists()


def test_the_allowance_rule_form_changes_the_register(client_for):
    from .test_welfare import _former_cadres

    _former_cadres()
    client = client_for("county")
    before = client.get("/welfare/allowances/?status=eligible").content.decode()
    assert "甲" in before and "丙" not in before
    response = client.post(
        "/welfare/settings/",
        {"action": "allowance", "allowance-min_age": "60", "allowance-bands": "8 200\n15：500"},
    )
    assert response.status_code == 302
    assert AllowanceRule.objects.get().bands == [[8, "200.00"], [15, "500.00"]]
    after = client.get("/welfare/allowances/?status=eligible&sort=-amount").content.decode()
    assert "丙" in after and after.index("甲") < after.index("丙")  # 500 before 200
    response = client.get("/welfare/allowances/export.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[2][:3] == ("乡镇", "村", "姓名")
    assert {row[2] for row in rows[3:]} == {"甲", "乙", "丙", "丁"}


def test_the_archive_section_and_its_forms(client_for, monkeypatch):
    set_today(monkeypatch, date(2026, 6, 1))
    built = build_township()
    person = built.b_member.person
    client = client_for("huamachi")
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert 'id="welfare-missing"' in page and "养老保险、医疗保险" in page
    assert 'id="welfare-no-check"' in page
    before = _written()
    response = client.post(
        f"/welfare/insurance/new/?person={person.pk}",
        {"kind": "pension", "insurer": "", "starts_on": "2026-07-01"},
    )
    assert response.status_code == 400 and _written() == before
    response = client.post(
        f"/welfare/insurance/new/?person={person.pk}",
        {"kind": "pension", "insurer": "盐池县社保局", "starts_on": "2020-01-01"},
    )
    assert response.status_code == 302
    response = client.post(
        f"/welfare/health-checks/new/?person={person.pk}",
        {"checked_on": "2026-03-02", "institution": "盐池县人民医院"},
    )
    assert response.status_code == 302
    page = client.get(f"/people/{person.pk}/").content.decode()
    missing = page.split('id="welfare-missing"')[1].split("</div>")[0]
    assert missing.endswith("：医疗保险")  # 养老 now held
    assert 'id="welfare-no-check"' not in page
    coverage = client.get("/welfare/coverage/").content.decode()
    assert "盐池县社保局" in coverage and "2026-03-02" in coverage
    # the village secretary does not see the section; another township cannot write
    assert 'id="welfare"' not in client_for("cunshuji").get(f"/people/{person.pk}/").content.decode()
    policy = InsurancePolicy.objects.get()
    before = _written()
    assert client_for("dashuikeng").post(f"/welfare/insurance/{policy.pk}/delete/").status_code == 404
    assert client_for("auditor").post(f"/welfare/insurance/{policy.pk}/delete/").status_code == 403
    assert _written() == before
    assert client.post(f"/welfare/insurance/{policy.pk}/delete/").status_code == 302
    assert not InsurancePolicy.objects.exists()


def test_the_register_is_refused_to_the_village_secretary(client_for):
    assert client_for("cunshuji").get("/welfare/allowances/").status_code == 403
    assert client_for("dashuikeng").get(f"/welfare/allowances/?township={HUAMACHI}").status_code == 404
    assert client_for("dashuikeng").get(f"/welfare/allowances/?township={DASHUIKENG}").status_code == 200


def test_the_api_answers_the_same_sheet_and_register(client_for):
    build_township()
    body = client_for("huamachi").get(f"/api/v1/welfare/pay-sheet?township={HUAMACHI}&month=2026-04").json()
    assert body["totals"]["total"] == "7360.01"
    assert [(row["name"], row["grade"], row["total"]) for row in body["rows"]][2] == (
        "李委员",
        "未考评",
        "866.67",
    )
    assert body["unpaid"] == ["赵副书记（村党组织副书记）"]
    assert client_for("dashuikeng").get(f"/api/v1/welfare/pay-sheet?township={HUAMACHI}").status_code == 404
    assert client_for("huamachi").get("/api/v1/welfare/pay-sheet?month=2026-13").status_code in (400, 422)
    coverage = client_for("huamachi").get("/api/v1/welfare/coverage").json()
    assert {row["name"]: row["missing"] for row in coverage}["李委员"] == ["养老保险", "医疗保险"]
