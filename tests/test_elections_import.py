"""The election's Excel uploads (issue 16, §2 and §3): a department's joint-review replies and the results of
many villages. The templates round-trip (download, fill, upload: the data written exactly), every bad cell is
reported with its row and column and nothing is written, a township clerk cannot reach another township's
rows, readers get 403, and the console commands import the same sheets."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from yanzhen.core.guards import today
from yanzhen.core.models import AuditAction, AuditEvent
from yanzhen.elections.models import Result, ReviewDepartment, ReviewReply
from yanzhen.posts.models import Term, TermEndReason

from . import elections_support as es
from .conftest import DASHUIKENG, DASHUIKENG_VILLAGE, HUAMACHI, HUAMACHI_VILLAGE
from .factories import make_person

pytestmark = pytest.mark.django_db

OTHER_VILLAGE = "640323100201"  # the second 村委会 of 花马池镇
REPLY_HEADER = ["人选编号", "村", "姓名", "身份证号", "拟任职位", "联审意见", "理由", "回复日期"]
RESULT_HEADER = ["席位编号", "村", "职位", "席位号", "当选人姓名", "人选编号或身份证号", "得票数", "选举日期"]


def url(election, kind: str, template: bool = False, query: str = "") -> str:
    path = f"/elections/{election.pk}/uploads/{kind}/" + ("template.xlsx" if template else "")
    return path + (f"?{query}" if query else "")


def download(http, election, kind: str, query: str = ""):
    response = http.get(url(election, kind, True, query))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content))


def rows_of(workbook, sheet=None) -> list[list]:
    return [list(row) for row in (sheet or workbook.active).iter_rows(min_row=4, values_only=True)]


def fill(workbook, values: dict, first_input: int = 5) -> bytes:
    """Type `values` (the id in column A → the cells from the first column to fill) into the template."""
    sheet = workbook.active
    for row in sheet.iter_rows(min_row=4):
        filled = values.get(row[0].value)
        if filled is not None:
            for cell, value in zip(row[first_input:], filled, strict=False):
                cell.value = value
    return save(workbook)


def save(workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(http, election, kind: str, content: bytes, name: str = "上传.xlsx", **data):
    return http.post(url(election, kind), {"file": SimpleUploadedFile(name, content), **data})


def problems(response) -> list[str]:
    assert response.status_code == 422, response.status_code
    return response.context["problems"]


def department(name: str = "公安") -> ReviewDepartment:
    return ReviewDepartment.objects.get(name=name)


def replies() -> list[tuple]:
    return sorted(
        ReviewReply.objects.values_list(
            "candidate__person__name", "department__name", "passed", "reason", "replied_on"
        )
    )


# -- the joint review --------------------------------------------------------------------------------------


@pytest.fixture
def slate():
    """An election with three standing candidates: two in a village of 花马池镇 (a 一肩挑 secretary and a
    member), one in 大水坑镇; and one who withdrew."""
    election = es.open_election()
    secretary = es.propose(election, make_person("杨建国"), also_chair=True)
    member = es.propose(election, make_person("王秀英", female=True), "member")
    outside = es.propose(election, make_person("李大水", DASHUIKENG_VILLAGE), code=DASHUIKENG_VILLAGE)
    return election, {"secretary": secretary, "member": member, "outside": outside}


def test_the_replies_template_lists_the_standing_candidates_of_the_users_jurisdiction(client_for, slate):
    election, c = slate
    county = download(client_for("county"), election, "replies")
    sheet = county.active
    assert sheet.title == "资格联审意见"
    assert sheet["A1"].value.startswith(str(election))
    assert sheet["A2"].value.startswith("说明：A 列“人选编号”用于导入时找到对应的人选，请勿修改")
    assert [cell.value for cell in sheet[3]] == REPLY_HEADER
    secretary = c["secretary"]
    assert rows_of(county)[0] == [
        secretary.pk,
        secretary.village.name,
        "杨建国",
        secretary.person.id_number_masked,
        "村党组织书记（一肩挑）"
        if secretary.post_type.name == "村党组织书记"
        else f"{secretary.post_type.name}（一肩挑）",
        None,
        None,
        None,
    ]
    assert "*" in rows_of(county)[0][3]
    assert [row[2] for row in rows_of(county)] == ["杨建国", "王秀英", "李大水"]
    # A township clerk's template holds his own township only; he may also ask for it by name.
    assert [row[2] for row in rows_of(download(client_for("huamachi"), election, "replies"))] == [
        "杨建国",
        "王秀英",
    ]
    narrowed = download(client_for("county"), election, "replies", f"township={DASHUIKENG}")
    assert [row[2] for row in rows_of(narrowed)] == ["李大水"]
    # Only the opinion, the reason and the date can be typed in.
    assert sheet.protection.sheet is True
    assert sheet["A4"].protection.locked is True and sheet["F4"].protection.locked is False
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).earliest("pk")
    assert event.detail == {
        "export": "election_replies_template",
        "election": election.pk,
        "division": "640323",
        "rows": 3,
    }


def test_a_clerk_cannot_ask_for_another_townships_template(client_for, slate):
    election, _c = slate
    assert (
        client_for("huamachi").get(url(election, "replies", True, f"township={DASHUIKENG}")).status_code
        == 404
    )
    assert (
        client_for("huamachi").get(url(election, "results", True, f"township={DASHUIKENG}")).status_code
        == 404
    )
    assert (
        client_for("huamachi").get(url(election, "replies", False, f"township={DASHUIKENG}")).status_code
        == 404
    )


def test_a_department_uploads_its_replies(client_for, slate):
    election, c = slate
    http = client_for("huamachi")
    content = fill(
        download(http, election, "replies"),
        {
            c["secretary"].pk: ["通过", None, datetime(2026, 9, 10)],
            c["member"].pk: [" 不通过 ", "有违法犯罪记录", "2026年9月11日"],
        },
    )
    response = upload(http, election, "replies", content, department=department().pk)
    assert response.status_code == 302, response.context and response.context["problems"]
    assert response["Location"] == url(
        election, "replies", query=f"township={HUAMACHI}&department={department().pk}"
    )
    assert replies() == [
        ("杨建国", "公安", True, "", date(2026, 9, 10)),
        ("王秀英", "公安", False, "有违法犯罪记录", date(2026, 9, 11)),
    ]
    page = http.get(response["Location"])
    assert "公安" in page.content.decode() and "2" in str(list(page.context["messages"])[0])
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.detail["import"] == "election_replies" and event.detail["rows"] == 2
    # A second sheet of the same department replaces its replies (a blank row is left as it was).
    again = fill(download(http, election, "replies"), {c["member"].pk: ["通过", "", "2026-09-12"]})
    assert upload(http, election, "replies", again, department=department().pk).status_code == 302
    assert replies() == [
        ("杨建国", "公安", True, "", date(2026, 9, 10)),
        ("王秀英", "公安", True, "", date(2026, 9, 12)),
    ]


def test_every_bad_reply_is_reported_with_its_row_and_column_and_nothing_is_written(client_for, slate):
    election, c = slate
    http = client_for("county")
    workbook = download(http, election, "replies")
    tomorrow = today() + timedelta(days=1)
    content = fill(
        workbook,
        {
            c["secretary"].pk: ["同意", None, "2026-09-10"],
            c["member"].pk: ["不通过", None, "2026-13-01"],
            c["outside"].pk: ["通过", None, tomorrow],
        },
    )
    workbook = load_workbook(BytesIO(content))
    sheet = workbook.active
    sheet.append([99999, "某村", "某人", None, None, "通过", None, "2026-09-10"])  # row 7
    sheet.append([c["secretary"].pk, "", "杨建国", None, None, "通过", None, "2026-09-10"])  # row 8
    sheet.append(["abc", "", "", None, None, "通过", None, "2026-09-10"])  # row 9
    sheet.append([c["member"].pk, "", "张冒名", None, None, "通过", None, "2026/9/1"])  # row 10
    sheet["H11"] = "2026-08-01"
    sheet["A11"] = c["outside"].pk
    response = upload(http, election, "replies", save(workbook), department=department().pk)
    assert problems(response) == [
        "第 4 行 第 F 列（联审意见）：联审意见须为“通过”或“不通过”，实为“同意”",
        "第 5 行 第 G 列（理由）：不通过须填写理由",
        "第 5 行 第 H 列（回复日期）：日期“2026-13-01”的月份不存在",
        f"第 6 行 第 H 列（回复日期）：回复日期 {tomorrow:%Y-%m-%d} 不能晚于今天",
        "第 7 行 第 A 列（人选编号）：人选编号 99999 不存在或不在您的辖区内",
        f"第 8 行 第 A 列（人选编号）：人选编号 {c['secretary'].pk} 与第 4 行重复",
        "第 9 行 第 A 列（人选编号）：人选编号“abc”无效：请勿修改此列",
        f"第 10 行 第 A 列（人选编号）：人选编号 {c['member'].pk} 与第 5 行重复",
        f"第 11 行 第 A 列（人选编号）：人选编号 {c['outside'].pk} 与第 6 行重复",
    ]
    assert not ReviewReply.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()


def test_a_reply_before_the_proposal_a_wrong_name_a_missing_department(client_for, slate):
    election, c = slate
    http = client_for("county")
    content = fill(
        download(http, election, "replies"),
        {c["secretary"].pk: ["通过", None, "2026-08-01"], c["member"].pk: [None, "无", None]},
    )
    workbook = load_workbook(BytesIO(content))
    workbook.active["C4"] = "杨建军"
    content = save(workbook)
    assert problems(upload(http, election, "replies", content, department=department().pk)) == [
        f"第 4 行 第 C 列（姓名）：姓名“杨建军”与人选编号 {c['secretary'].pk} 的杨建国不符：请勿调换行或修改人选编号",
        "第 4 行 第 H 列（回复日期）：回复日期不能早于提名日期 2026-09-01",
        "第 5 行 第 F 列（联审意见）：请选择联审意见（通过或不通过）",
        "第 5 行 第 H 列（回复日期）：请填写回复日期",
    ]
    assert problems(upload(http, election, "replies", content)) == ["请选择联审部门"]
    assert not ReviewReply.objects.exists()


def test_a_clerk_uploading_a_row_of_another_township_is_refused(client_for, slate):
    election, c = slate
    content = fill(
        download(client_for("county"), election, "replies"),
        {
            c["secretary"].pk: ["通过", None, "2026-09-10"],
            c["outside"].pk: ["通过", None, "2026-09-10"],
        },
    )
    response = upload(client_for("huamachi"), election, "replies", content, department=department().pk)
    assert problems(response) == [
        f"第 6 行 第 A 列（人选编号）：人选编号 {c['outside'].pk} 不存在或不在您的辖区内"
    ]
    assert not ReviewReply.objects.exists()


def test_a_publicised_or_withdrawn_candidate_takes_no_reply(client_for, slate):
    election, c = slate
    http = client_for("county")
    workbook = download(http, election, "replies")
    from yanzhen.elections import services

    services.withdraw(actor=es.user("county"), candidate=c["outside"], reason="本人放弃", on=es.REPLIED_ON)
    content = fill(workbook, {c["outside"].pk: ["通过", None, "2026-09-10"]})
    assert problems(upload(http, election, "replies", content, department=department().pk)) == [
        "第 6 行 第 A 列（人选编号）：李大水已退出，不能再登记联审意见"
    ]


def test_the_upload_refuses_files_that_are_not_its_template(client_for, slate):
    election, _c = slate
    http = client_for("county")
    d = department().pk
    assert problems(upload(http, election, "replies", b"not a workbook", "x.xlsx", department=d)) == [
        "文件不是有效的 .xlsx（内容不是 Excel 工作簿）"
    ]
    assert problems(upload(http, election, "replies", b"PK\x03\x04", "x.xls", department=d)) == [
        "只接受 .xlsx 文件：请在 Excel 中把旧版 .xls 另存为 .xlsx 后再导入"
    ]
    results_template = save(download(http, election, "results"))
    assert problems(upload(http, election, "replies", results_template, department=d)) == [
        "此表是选举结果模板，不是资格联审意见模板：请重新下载模板"
    ]
    workbook = download(http, election, "replies")
    workbook.active["F3"] = "意见"
    assert problems(upload(http, election, "replies", save(workbook), department=d))[:2] == [
        "表头与模板不符，请重新下载模板后填写",
        "第 3 行 第 F 列（联审意见）：表头应为“联审意见”，实为“意见”",
    ]
    assert problems(
        upload(http, election, "replies", save(download(http, election, "replies")), department=d)
    ) == ["表中没有填写任何联审意见（联审意见、理由、回复日期都空着的行不导入）"]
    workbook = download(http, election, "replies")
    workbook.active["F4"] = "=A1"
    assert "第 4 行 第 F 列（联审意见）：不能使用公式，请直接填写" in problems(
        upload(http, election, "replies", save(workbook), department=d)
    )
    assert http.post(url(election, "replies"), {"department": d}).status_code == 422
    assert not ReviewReply.objects.exists()


def test_the_template_keeps_a_formula_looking_name_as_text(client_for):
    election = es.open_election()
    es.propose(election, make_person("=1+2"))
    response = client_for("county").get(url(election, "replies", True))
    workbook = load_workbook(BytesIO(response.content))
    cell = workbook.active["C4"]
    assert cell.value == "=1+2" and cell.data_type == "s" and cell.quotePrefix


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("auditor", 403),
        ("cunshuji", 403),
        ("outsider", 404),
        ("county", 200),
        ("huamachi", 200),
        ("dashuikeng", 200),
    ],
)
def test_who_may_upload(client_for, persona, status):
    election = es.open_election()
    http = client_for(persona)
    for kind in ("replies", "results"):
        assert http.get(url(election, kind)).status_code == status
        assert http.get(url(election, kind, True)).status_code == status
        if status != 200:
            response = http.post(url(election, kind), {"file": SimpleUploadedFile("x.xlsx", b"x")})
            assert response.status_code == status
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()


def test_anonymous_is_sent_to_log_in(client):
    election = es.open_election()
    assert client.get(url(election, "replies")).status_code == 302
    assert client.get(url(election, "results", True)).status_code == 302
    assert client.get("/elections/99999/uploads/replies/").status_code == 302


# -- the results ---------------------------------------------------------------------------------------------


@pytest.fixture
def vote():
    """Two villages of 花马池镇 and one of 大水坑镇, their slates reviewed and publicised, the election voting.
    The first village has a secretary (一肩挑), a chair and two member seats, its old committee sitting."""
    first = es.seats(member=2)
    second = es.seats(OTHER_VILLAGE)
    outside = es.seats(DASHUIKENG_VILLAGE)
    old = make_person("老书记", born=date(1960, 1, 1))
    es.sit(first["secretary"][0], old)
    election = es.open_election()
    people = {
        "secretary": make_person("杨建国"),
        "member": make_person("王秀英", female=True),
        "member2": make_person("马占山"),
        "other": make_person("周明", OTHER_VILLAGE),
        "outside": make_person("李大水", DASHUIKENG_VILLAGE),
    }
    candidates = {
        "secretary": es.propose(election, people["secretary"], also_chair=True),
        "member": es.propose(election, people["member"], "member"),
        "member2": es.propose(election, people["member2"], "member"),
        "other": es.propose(election, people["other"], code=OTHER_VILLAGE),
        "outside": es.propose(election, people["outside"], code=DASHUIKENG_VILLAGE),
    }
    for candidate in candidates.values():
        es.review(candidate)
    for code in (HUAMACHI_VILLAGE, OTHER_VILLAGE, DASHUIKENG_VILLAGE):
        es.publicise(election, code)
    es.voting(election)
    seats = {
        "secretary": first["secretary"][0],
        "chair": first["chair"][0],
        "member": first["member"][0],
        "member2": first["member"][1],
        "other": second["secretary"][0],
        "other_chair": second["chair"][0],
        "outside": outside["secretary"][0],
    }
    return election, seats, candidates, people


def results() -> list[tuple]:
    return sorted(
        Result.objects.values_list(
            "village_id", "seat__post_type__code", "seat__number", "person__name", "votes", "elected_on"
        )
    )


def test_the_results_template_lists_the_seats_of_villages_not_yet_elected(client_for, vote):
    election, s, c, _people = vote
    workbook = download(client_for("huamachi"), election, "results")
    sheet = workbook.active
    assert sheet.title == "选举结果"
    assert [cell.value for cell in sheet[3]] == RESULT_HEADER
    rows = rows_of(workbook)
    assert [row[0] for row in rows] == [
        s["secretary"].pk,
        s["chair"].pk,
        s["member"].pk,
        s["member2"].pk,
        s["other"].pk,
        s["other_chair"].pk,
    ]
    assert rows[2][:4] == [s["member"].pk, s["member"].village.name, s["member"].post_type.name, 1]
    assert rows[3][3] == 2 and rows[3][4:] == [None] * 4
    listing = workbook["候选人"]
    names = [row[2] for row in listing.iter_rows(min_row=2, values_only=True)]
    assert names == ["杨建国", "王秀英", "马占山", "周明"]
    assert sheet["E4"].protection.locked is False and sheet["D4"].protection.locked is True
    county = rows_of(download(client_for("county"), election, "results"))
    assert s["outside"].pk in [row[0] for row in county]


def test_results_of_many_villages_are_imported(client_for, vote):
    election, s, c, people = vote
    http = client_for("huamachi")
    content = fill(
        download(http, election, "results"),
        {
            s["secretary"].pk: ["杨建国", c["secretary"].pk, 300, datetime(2026, 9, 26)],
            s["chair"].pk: ["杨建国", None, 290, None],
            s["member"].pk: ["王秀英", people["member"].reveal_id_number(), None, "2026-09-26"],
            s["member2"].pk: [None, str(c["member2"].pk), "250", "2026.9.26"],
            s["other"].pk: ["周明", None, None, "2026-09-27"],
        },
        first_input=4,
    )
    response = upload(http, election, "results", content)
    assert response.status_code == 302, response.context and response.context["problems"]
    assert results() == [
        (HUAMACHI_VILLAGE, "chair", 1, "杨建国", 290, date(2026, 9, 26)),
        (HUAMACHI_VILLAGE, "member", 1, "王秀英", None, date(2026, 9, 26)),
        (HUAMACHI_VILLAGE, "member", 2, "马占山", 250, date(2026, 9, 26)),
        (HUAMACHI_VILLAGE, "secretary", 1, "杨建国", 300, date(2026, 9, 26)),
        (OTHER_VILLAGE, "secretary", 1, "周明", None, date(2026, 9, 27)),
    ]
    assert list(
        Term.objects.filter(end_reason=TermEndReason.ELECTION).values_list("person__name", "end")
    ) == [("老书记", date(2026, 9, 26))]
    message = str(list(http.get(response["Location"]).context["messages"])[0])
    assert "5" in message
    # The villages elected leave the template.
    assert rows_of(download(http, election, "results")) == []


def test_every_bad_result_is_reported_with_its_row_and_column_and_nothing_is_written(client_for, vote):
    election, s, c, people = vote
    http = client_for("huamachi")
    tomorrow = today() + timedelta(days=1)
    workbook = download(http, election, "results")
    content = fill(
        workbook,
        {
            s["secretary"].pk: ["杨建国", None, "很多", "2026-09-26"],
            s["chair"].pk: ["王秀英", None, None, "2026-09-27"],
            s["member"].pk: ["张三", None, None, None],
            s["member2"].pk: ["马占山", 99999, -1, "2026-02-30"],
            s["other"].pk: ["周明", "640323199001011234", None, tomorrow],
            s["other_chair"].pk: ["周明", None, None, "2026-08-15"],
        },
        first_input=4,
    )
    workbook = load_workbook(BytesIO(content))
    workbook.active.append([88888, "", "", "", "某人", None, None, "2026-09-26"])  # row 10
    workbook.active.append([s["secretary"].pk, "", "", "", "杨建国", None, None, "2026-09-26"])  # row 11
    response = upload(http, election, "results", save(workbook))
    first, second = s["member"].village.name, s["other"].village.name
    chair, member = s["chair"].post_type.name, s["member"].post_type.name
    assert problems(response) == [
        "第 4 行 第 G 列（得票数）：得票数须为不小于 0 的整数，实为“很多”",
        f"第 5 行 第 E 列（当选人姓名）：王秀英是{member}人选，不能当选{chair}",
        "第 5 行 第 H 列（选举日期）：选举日期 2026-09-27 与第 4 行的 2026-09-26 不同（同一村的选举日期须相同）",
        f"第 6 行 第 E 列（当选人姓名）：张三不是{first}的候选人（请核对“候选人”表）",
        f"第 7 行 第 F 列（人选编号或身份证号）：人选编号 99999 不是{first}的在选候选人（请核对“候选人”表）",
        "第 7 行 第 G 列（得票数）：得票数须为不小于 0 的整数，实为“-1”",
        "第 7 行 第 H 列（选举日期）：日期“2026-02-30”不存在",
        "第 8 行 第 F 列（人选编号或身份证号）：“640323199001011234”既不是人选编号也不是有效的身份证号："
        "身份证号校验位错误：应为 X",
        f"第 8 行 第 H 列（选举日期）：选举日期 {tomorrow:%Y-%m-%d} 不能晚于今天",
        f"第 9 行 第 E 列（当选人姓名）：周明是{s['other'].post_type.name}人选，不能当选{chair}",
        "第 9 行 第 H 列（选举日期）：选举日期须在换届期间 2026-09-01 至 2026-11-30 之内",
        "第 10 行 第 A 列（席位编号）：席位编号 88888 不存在或不在您的辖区内",
        f"第 11 行 第 A 列（席位编号）：席位编号 {s['secretary'].pk} 与第 4 行重复",
    ]
    assert second in str(s["other"])
    assert not Result.objects.exists()
    assert not Term.objects.filter(end_reason=TermEndReason.ELECTION).exists()


def test_the_services_errors_name_the_village_and_its_rows(client_for, vote):
    election, s, c, _people = vote
    http = client_for("huamachi")
    # The same person elected to two secretary seats of a village is refused by the service, named with the
    # village and its rows; the first village's results are not written either (all or nothing).
    from yanzhen.posts import services as post_services

    [extra] = post_services.ensure_seats(
        actor=es.user("county"), village=s["other"].village, post_type=s["other"].post_type, count=2
    )[1:]
    content = fill(
        download(http, election, "results"),
        {
            s["secretary"].pk: ["杨建国", None, None, "2026-09-26"],
            s["other"].pk: ["周明", None, None, "2026-09-26"],
            extra.pk: ["周明", None, None, "2026-09-26"],
        },
        first_input=4,
    )
    village = s["other"].village.name
    assert problems(upload(http, election, "results", content)) == [
        f"{village}（第 8–9 行）：周明不能同时当选两个{s['other'].post_type.name}职位"
    ]
    assert not Result.objects.exists()


def test_a_clerk_uploading_a_seat_of_another_township_is_refused(client_for, vote):
    election, s, c, _people = vote
    content = fill(
        download(client_for("county"), election, "results"),
        {
            s["secretary"].pk: ["杨建国", None, None, "2026-09-26"],
            s["outside"].pk: ["李大水", None, None, "2026-09-26"],
        },
        first_input=4,
    )
    rows = [row[0] for row in rows_of(load_workbook(BytesIO(content)))]
    number = rows.index(s["outside"].pk) + 4
    response = upload(client_for("huamachi"), election, "results", content)
    assert problems(response) == [
        f"第 {number} 行 第 A 列（席位编号）：席位编号 {s['outside'].pk} 不存在或不在您的辖区内"
    ]
    assert not Result.objects.exists()
    # The county writes both.
    assert upload(client_for("county"), election, "results", content).status_code == 302
    assert [row[3] for row in results()] == ["杨建国", "李大水"]


def test_results_before_voting_are_refused(client_for):
    election = es.open_election()
    content = save(download(client_for("county"), election, "results"))
    assert problems(upload(client_for("county"), election, "results", content)) == [
        "换届处于“筹备”阶段，不能录入选举结果"
    ]


# -- the console ---------------------------------------------------------------------------------------------


def test_the_console_imports_both_sheets(client_for, slate, tmp_path):
    election, c = slate
    path = tmp_path / "replies.xlsx"
    path.write_bytes(
        fill(
            download(client_for("county"), election, "replies"),
            {c["secretary"].pk: ["通过", None, "2026-09-10"]},
        )
    )
    call_command(
        "election-import-replies", str(path), election=election.pk, department="公安", user="huamachi"
    )
    assert replies() == [("杨建国", "公安", True, "", date(2026, 9, 10))]
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        fill(
            download(client_for("county"), election, "replies"),
            {c["outside"].pk: ["通过", None, "2026-09-10"]},
        )
    )
    with pytest.raises(CommandError, match="第 6 行 第 A 列（人选编号）"):
        call_command(
            "election-import-replies", str(bad), election=election.pk, department="公安", user="huamachi"
        )
    with pytest.raises(CommandError, match="找不到联审部门"):
        call_command(
            "election-import-replies", str(bad), election=election.pk, department="无此部门", user="county"
        )
    with pytest.raises(CommandError, match="角色"):
        call_command(
            "election-import-replies", str(bad), election=election.pk, department="公安", user="auditor"
        )
    with pytest.raises(CommandError, match="不在用户"):
        call_command("election-import-results", str(bad), election=election.pk, user="outsider")
    assert len(replies()) == 1


def test_the_upload_pages_offer_the_template_and_the_form(client_for):
    election = es.open_election()
    page = client_for("county").get(url(election, "replies", query=f"township={HUAMACHI}"))
    html = page.content.decode()
    assert f'href="{url(election, "replies", True, f"township={HUAMACHI}")}"' in html
    for unit in ReviewDepartment.objects.all():
        assert f'<option value="{unit.pk}">{unit.name}</option>' in html
    assert f'<option value="{HUAMACHI}" selected>花马池镇</option>' in html
    assert 'name="file"' in html and 'enctype="multipart/form-data"' in html
    # A clerk chooses no township: his own is the only one.
    clerk = client_for("huamachi").get(url(election, "results")).content.decode()
    assert f'href="{url(election, "results", True, f"township={HUAMACHI}")}"' in clerk
    assert 'id="upload-township"' not in clerk


def test_the_console_imports_results(client_for, vote, tmp_path):
    election, s, c, _people = vote
    path = tmp_path / "results.xlsx"
    path.write_bytes(
        fill(
            download(client_for("county"), election, "results"),
            {s["outside"].pk: ["李大水", c["outside"].pk, 88, "2026-09-28"]},
            first_input=4,
        )
    )
    with pytest.raises(CommandError, match="席位编号"):
        call_command("election-import-results", str(path), election=election.pk, user="huamachi")
    assert not Result.objects.exists()
    call_command("election-import-results", str(path), election=election.pk, user="dashuikeng")
    assert results() == [(DASHUIKENG_VILLAGE, "secretary", 1, "李大水", 88, date(2026, 9, 28))]
