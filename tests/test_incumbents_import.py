"""The Excel round trip of a month's scores (月考评) of a township's or a village's incumbents: the template,
the import through the rosters' safe reader, all or nothing with every problem located by sheet row and
column, the dry run, and the refusals (another township 404, a reader 403) that write nothing."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from openpyxl import load_workbook

from tests.conftest import DASHUIKENG_VILLAGE, HUAMACHI, HUAMACHI_VILLAGE, shared_fixture
from tests.factories import make_person
from yanzhen.accounts.models import User
from yanzhen.assessments.incumbents import rules as incumbent_rules
from yanzhen.assessments.incumbents import services as incumbents
from yanzhen.assessments.models import AdjustmentProposal, MonthlyScore, ProposalState
from yanzhen.core.models import AuditAction, AuditEvent
from yanzhen.divisions.models import Division
from yanzhen.posts.models import PostType
from yanzhen.posts.services import appoint, end_term, ensure_seats

pytestmark = pytest.mark.django_db

OTHER_VILLAGE = "640323100201"  # the second 村委会 of 花马池镇
ITEMS = [("工作实绩", 40), ("工作作风", 30), ("群众满意", 30)]
HEADER = ["任期编号", "村", "姓名", "职务", "工作实绩（40）", "工作作风（30）", "群众满意（30）", "备注"]
MONTH = date(2024, 5, 1)
TEMPLATE = "/assessment/incumbents/scores/template.xlsx"
IMPORT = "/assessment/incumbents/scores/import/"


@pytest.fixture
def county(persona):
    return persona("county")


@pytest.fixture
def clerk(persona):
    return persona("huamachi")


def make_items(county):
    return incumbents.save_score_items(
        actor=county, county=Division.objects.get(code="640323"), items=list(ITEMS)
    )


def make_term(
    actor, name: str, village: str = HUAMACHI_VILLAGE, post: str = "secretary", start=date(2021, 1, 15)
):
    division = Division.objects.get(code=village)
    seats = ensure_seats(actor=actor, village=division, post_type=PostType.objects.get(code=post), count=1)
    return appoint(actor=actor, seat=seats[0], person=make_person(name, village, actor=actor), start=start)


def make_world() -> dict:
    """The county's items; two incumbents of the first village of 花马池镇, one of its second village and one
    of 大水坑镇."""
    county = User.objects.get(username="county")
    items = make_items(county)
    terms = {
        "secretary": make_term(county, "杨建国"),
        "member": make_term(county, "王秀英", post="member"),
        "other": make_term(county, "马占山", OTHER_VILLAGE),
        "outside": make_term(county, "李大水", DASHUIKENG_VILLAGE),
    }
    return {"items": items, "terms": terms}


world = shared_fixture("world", make_world)  # built once for the tests that ask for items or terms


@pytest.fixture
def items(world):
    return world["items"]


@pytest.fixture
def terms(world):
    return world["terms"]


def query(division: str = HUAMACHI, month: str = "2024-05") -> str:
    return f"?division={division}&month={month}"


def download(http, division: str = HUAMACHI, month: str = "2024-05"):
    response = http.get(TEMPLATE + query(division, month))
    assert response.status_code == 200, response.status_code
    return load_workbook(BytesIO(response.content))


def fill(workbook, values: dict[int, list]) -> bytes:
    """Type `values` (term id → the scores and the note) into the rows of the template."""
    sheet = workbook.active
    for row in sheet.iter_rows(min_row=4):
        filled = values.get(row[0].value)
        if filled is not None:
            for cell, value in zip(row[4:], filled, strict=False):
                cell.value = value
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(http, content: bytes, *, division: str = HUAMACHI, name: str = "月考评.xlsx", dry_run=False):
    data = {"file": SimpleUploadedFile(name, content)}
    if dry_run:
        data["dry_run"] = "1"
    return http.post(IMPORT + query(division), data)


def problems(response) -> list[str]:
    return response.context["problems"]


def saved() -> dict[str, int]:
    return {
        score.term.person.name: score.total for score in MonthlyScore.objects.select_related("term__person")
    }


# -- the template ------------------------------------------------------------------------------------------


def test_the_template_lists_the_township_incumbents_not_yet_scored(client_for, clerk, items, terms):
    incumbents.record_monthly_score(
        actor=clerk, term=terms["member"], month=MONTH, scores={item.pk: 20 for item in items}
    )
    workbook = download(client_for("huamachi"))
    sheet = workbook.active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "花马池镇 2024年05月 村干部月考评"
    assert rows[1][0].startswith("说明：A 列“任期编号”用于导入时找到对应的村干部，请勿修改")
    assert rows[2] == HEADER
    secretary, other = terms["secretary"], terms["other"]
    assert rows[3:] == [
        [secretary.pk, secretary.seat.village.name, "杨建国", secretary.seat.post_type.name] + [None] * 4,
        [other.pk, other.seat.village.name, "马占山", other.seat.post_type.name] + [None] * 4,
    ]
    # Only the scores and the note can be typed in.
    assert sheet.protection.sheet is True
    assert sheet["A4"].protection.locked is True
    assert sheet["E4"].protection.locked is False and sheet["H5"].protection.locked is False
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, detail__export="monthly_score_template")
    assert event.user == clerk
    assert event.detail == {
        "export": "monthly_score_template",
        "division": HUAMACHI,
        "month": "2024-05",
        "rows": 2,
    }


def test_a_village_template_holds_only_that_village(client_for, terms):
    rows = list(
        download(client_for("huamachi"), HUAMACHI_VILLAGE).active.iter_rows(min_row=4, values_only=True)
    )
    assert [row[2] for row in rows] == ["杨建国", "王秀英"]


# -- the round trip ----------------------------------------------------------------------------------------


def test_round_trip_saves_the_exact_totals(client_for, clerk, items, terms):
    http = client_for("huamachi")
    content = fill(
        download(http),
        {terms["secretary"].pk: [38, 25, 30, "表现突出"], terms["other"].pk: [30.0, "20", 10]},
    )
    response = upload(http, content)
    assert response.status_code == 302
    assert response["Location"] == f"/assessment/incumbents/analysis/?division={HUAMACHI}&period=2024H1"
    assert saved() == {"杨建国": 93, "马占山": 60}
    secretary = MonthlyScore.objects.get(term=terms["secretary"])
    assert (secretary.month, secretary.note, secretary.scored_by) == (MONTH, "表现突出", clerk)
    assert [entry["score"] for entry in secretary.items] == [38, 25, 30]
    assert secretary.history.get().history_user == clerk
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.detail["import"] == "monthly_scores"
    assert (event.detail["division"], event.detail["month"], event.detail["rows"]) == (HUAMACHI, "2024-05", 2)
    page = http.get(response["Location"]).content.decode()
    assert "已导入 2 人的月考评。" in page


def test_a_village_import_returns_to_the_village_page(client_for, terms):
    http = client_for("huamachi")
    content = fill(download(http, HUAMACHI_VILLAGE), {terms["member"].pk: [40, 30, 30]})
    response = upload(http, content, division=HUAMACHI_VILLAGE)
    assert response["Location"] == f"/assessment/incumbents/{HUAMACHI_VILLAGE}/?month=2024-05"
    assert saved() == {"王秀英": 100}


def test_a_bad_row_saves_nothing_and_every_problem_names_row_and_column(client_for, terms):
    http = client_for("huamachi")
    content = fill(
        download(http),
        {terms["secretary"].pk: [41, 3.5, 30], terms["member"].pk: [40, 30, 30], terms["other"].pk: [40, 30]},
    )
    response = upload(http, content)
    assert response.status_code == 422
    assert problems(response) == [
        "第 4 行 E 列“工作实绩（40）”：“工作实绩”的得分须在 0 到 40 分之间",
        "第 4 行 F 列“工作作风（30）”：“工作作风”的得分须为整数",
        "第 6 行 G 列“群众满意（30）”：请填写“群众满意”的得分",
    ]
    content = response.content.decode()
    assert "未保存任何数据" in content
    assert "第 4 行 E 列“工作实绩（40）”：“工作实绩”的得分须在 0 到 40 分之间" in content
    assert MonthlyScore.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()


def test_a_term_of_another_township_is_refused(client_for, terms):
    outside = terms["outside"]
    for persona, reason in [
        ("county", f"任期编号 {outside.pk}（{outside.seat.village.name}李大水）不属于花马池镇"),
        ("huamachi", f"任期编号 {outside.pk} 不存在或不在您的管辖范围内"),
    ]:
        http = client_for(persona)
        workbook = download(http)
        workbook.active["A5"] = outside.pk  # a row of the sheet given another township's term
        content = fill(workbook, {terms["secretary"].pk: [40, 30, 30], outside.pk: [40, 30, 30]})
        response = upload(http, content)
        assert response.status_code == 422
        assert problems(response) == [f"第 5 行 A 列“任期编号”：{reason}"]
    assert MonthlyScore.objects.count() == 0


def test_a_formula_a_changed_name_and_an_unknown_term_are_refused(client_for, terms):
    http = client_for("huamachi")
    workbook = download(http)
    sheet = workbook.active
    sheet["C5"] = "张三"
    sheet["A6"] = 999999
    content = fill(
        workbook,
        {terms["secretary"].pk: ["=30+8", 25, 30], terms["member"].pk: [40, 30, 30], 999999: [1, 2, 3]},
    )
    response = upload(http, content)
    assert problems(response) == [
        "第 4 行 E 列“工作实绩（40）”：不能使用公式，请直接填写数值",
        f"第 5 行 C 列“姓名”：姓名“张三”与任期编号 {terms['member'].pk} 的王秀英不符：请勿调换行或修改任期编号",
        "第 6 行 A 列“任期编号”：任期编号 999999 不存在或不在您的管辖范围内",
    ]
    assert MonthlyScore.objects.count() == 0


def test_a_month_already_scored_or_out_of_office_is_refused(client_for, county, clerk, items, terms):
    http = client_for("huamachi")
    workbook = download(http)
    # After the download, the secretary is scored on his page and the member left office in April.
    incumbents.record_monthly_score(
        actor=clerk, term=terms["secretary"], month=MONTH, scores={item.pk: 30 for item in items}
    )
    end_term(actor=county, term=terms["member"], end=date(2024, 4, 20), reason="resigned")
    content = fill(
        workbook,
        {terms["secretary"].pk: [40, 30, 30], terms["member"].pk: [40, 30, 30], terms["other"].pk: [1, 1, 1]},
    )
    response = upload(http, content)
    assert problems(response) == [
        "第 4 行 A 列“任期编号”：杨建国2024年05月的月考评已录入，不能重复录入",
        "第 5 行 A 列“任期编号”：王秀英在2024年05月不在此职务上",
    ]
    assert saved() == {"杨建国": 90}


def test_a_header_that_does_not_match_the_county_items_is_refused(client_for, terms):
    http = client_for("huamachi")
    workbook = download(http)
    workbook.active["E3"] = "工作业绩（40）"
    response = upload(http, fill(workbook, {terms["secretary"].pk: [40, 30, 30]}))
    assert problems(response) == [
        "表头与本县当前的月考评项目不符（县里可能已调整考评项目），请重新下载模板后填写",
        "第 3 行 E 列：表头应为“工作实绩（40）”，实为“工作业绩（40）”",
    ]
    assert MonthlyScore.objects.count() == 0


def test_a_template_of_another_month_is_refused(client_for, terms):
    http = client_for("huamachi")
    content = fill(download(http, month="2024-04"), {terms["secretary"].pk: [40, 30, 30]})
    response = upload(http, content)
    assert problems(response) == [
        "此表是 2024年04月 的模板，与所选的 2024年05月 不符：请选择正确的月份或重新下载模板"
    ]
    assert MonthlyScore.objects.count() == 0


def test_blank_rows_are_skipped_and_a_sheet_left_blank_is_refused(client_for, terms):
    http = client_for("huamachi")
    response = upload(http, fill(download(http), {}))
    assert problems(response) == ["表中没有填写任何月考评（得分和备注都空着的行不导入）"]
    response = upload(http, fill(download(http), {terms["other"].pk: [20, 20, 20]}))
    assert response.status_code == 302
    assert saved() == {"马占山": 60}


def test_dry_run_checks_and_writes_nothing(client_for, terms):
    http = client_for("huamachi")
    content = fill(download(http), {terms["secretary"].pk: [38, 25, 30], terms["other"].pk: [30, 20, 10]})
    response = upload(http, content, dry_run=True)
    assert response.status_code == 200
    assert response.context["checked"] == 2
    assert "检查通过：可导入 2 人的月考评。本次仅检查，未保存。" in response.content.decode()
    assert MonthlyScore.objects.count() == 0
    assert MonthlyScore.history.count() == 0
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()
    bad = upload(http, fill(download(http), {terms["secretary"].pk: [50, 25, 30]}), dry_run=True)
    assert problems(bad) == ["第 4 行 E 列“工作实绩（40）”：“工作实绩”的得分须在 0 到 40 分之间"]


@pytest.mark.parametrize(
    ("name", "division", "status"),
    [
        ("auditor", HUAMACHI, 403),
        ("cunshuji", HUAMACHI_VILLAGE, 403),  # his own village, read-only
        ("cunshuji", HUAMACHI, 404),
        ("dashuikeng", HUAMACHI, 404),
        ("outsider", HUAMACHI, 404),
    ],
)
def test_refused_outside_and_for_readers_with_nothing_written(client_for, terms, name, division, status):
    content = fill(download(client_for("huamachi"), division), {terms["secretary"].pk: [40, 30, 30]})
    http = client_for(name)
    assert http.get(TEMPLATE + query(division)).status_code == status
    assert http.get(IMPORT + query(division)).status_code == status
    assert upload(http, content, division=division).status_code == status
    assert upload(http, content, division=division, dry_run=True).status_code == status
    assert MonthlyScore.objects.count() == 0
    assert not AuditEvent.objects.filter(
        user__username=name, action__in=[AuditAction.EXPORT, AuditAction.IMPORT]
    ).exists()


def test_a_county_or_unknown_division_is_not_found(client_for, terms):
    http = client_for("county")
    assert http.get(TEMPLATE + query("640323")).status_code == 404
    assert http.get(IMPORT + query("640323999")).status_code == 404
    assert http.get(IMPORT + "?month=2024-05").status_code == 404


def test_an_import_completing_two_low_months_proposes_an_adjustment(client_for, county, clerk, items, terms):
    secretary = terms["secretary"]
    incumbents.record_monthly_score(
        actor=clerk,
        term=secretary,
        month=date(2024, 4, 1),
        scores=dict(zip([i.pk for i in items], [20, 15, 15], strict=True)),
    )
    incumbent_rules.add_rule(
        actor=county, county=Division.objects.get(code="640323"), grade="incompetent", months=2
    )
    assert not AdjustmentProposal.objects.filter(term=secretary).exists()
    http = client_for("huamachi")
    response = upload(
        http, fill(download(http), {secretary.pk: [20, 15, 15], terms["other"].pk: [40, 30, 30]})
    )
    assert response.status_code == 302
    proposal = AdjustmentProposal.objects.get(term=secretary)
    assert proposal.state == ProposalState.PENDING
    assert not AdjustmentProposal.objects.filter(term=terms["other"]).exists()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("scores.csv", "任期编号,工作实绩\n1,40\n".encode(), "只接受 Excel 2007 及以后的 .xlsx 文件"),
        (
            "scores.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "只接受 .xlsx 文件：请在 Excel 中把旧版 .xls 另存为 .xlsx 后再导入",
        ),
        ("scores.xlsx", b"not a workbook at all", "文件不是有效的 .xlsx（内容不是 Excel 工作簿）"),
    ],
)
def test_a_file_that_is_not_xlsx_is_refused(client_for, terms, name, content, reason):
    response = upload(client_for("huamachi"), content, name=name)
    assert response.status_code == 422
    assert problems(response) == [reason]
    assert reason in response.content.decode()
    assert MonthlyScore.objects.count() == 0


def test_without_the_county_items_the_template_is_not_offered(client_for, county):
    http = client_for("huamachi")
    response = http.get(TEMPLATE + query())
    assert response.status_code == 302
    assert response["Location"] == IMPORT + query()
    assert "本县尚未设置月考评项目" in http.get(response["Location"]).content.decode()


# -- the links and the generalised batch -------------------------------------------------------------------


def test_the_village_page_and_the_analysis_link_the_round_trip(client_for, terms):
    http = client_for("huamachi")
    village = http.get(f"/assessment/incumbents/{HUAMACHI_VILLAGE}/?month=2024-05").content.decode()
    assert f"{TEMPLATE}?division={HUAMACHI_VILLAGE}&amp;month=2024-05" in village
    assert f"{IMPORT}?division={HUAMACHI_VILLAGE}&amp;month=2024-05" in village
    analysis = http.get(
        f"/assessment/incumbents/analysis/?division={HUAMACHI}&period=2024H1"
    ).content.decode()
    assert f"{TEMPLATE}?division={HUAMACHI}&amp;month=2024-06" in analysis
    assert f"{IMPORT}?division={HUAMACHI}&amp;month=2024-06" in analysis
    reader = client_for("auditor").get(f"/assessment/incumbents/analysis/?division={HUAMACHI}&period=2024H1")
    assert TEMPLATE not in reader.content.decode()


def test_the_batch_takes_a_township_and_refuses_a_term_elsewhere(clerk, county, items, terms):
    township = Division.objects.get(code=HUAMACHI)
    scores = {item.pk: 10 for item in items}
    saved_scores = incumbents.record_monthly_scores_batch(
        actor=clerk,
        division=township,
        month=MONTH,
        entries=[
            incumbents.BatchEntry(terms["secretary"], scores),
            incumbents.BatchEntry(terms["other"], scores),
        ],
    )
    assert [score.total for score in saved_scores] == [30, 30]
    with pytest.raises(Http404):
        incumbents.record_monthly_scores_batch(
            actor=county,
            division=township,
            month=MONTH,
            entries=[
                incumbents.BatchEntry(terms["member"], scores),
                incumbents.BatchEntry(terms["outside"], scores),
            ],
        )
    assert MonthlyScore.objects.filter(term=terms["member"]).count() == 0
    # The village form's caller still names the person.
    with pytest.raises(incumbents.BatchInvalid) as refused:
        incumbents.record_monthly_scores_batch(
            actor=clerk,
            village=Division.objects.get(code=HUAMACHI_VILLAGE),
            month=MONTH,
            entries=[incumbents.BatchEntry(terms["member"], {**scores, items[0].pk: 41})],
        )
    post = terms["member"].seat.post_type.name
    assert refused.value.message_dict == {
        f"{terms['member'].pk}:score_{items[0].pk}": [
            f"王秀英（{post}）：“工作实绩”的得分须在 0 到 40 分之间"
        ]
    }
    assert MonthlyScore.objects.filter(term=terms["member"]).count() == 0
