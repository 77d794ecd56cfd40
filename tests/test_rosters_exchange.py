"""Roster round trips (issue 8 §4): the template, the export that re-imports without change, the .lrmx
import that round-trips with the export, the web upload → preview → confirm, and formula escaping."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from yanzhen.accounts.models import User
from yanzhen.candidacies.models import Candidacy, CandidacyEvent
from yanzhen.core import xlsx as xlsx_writer
from yanzhen.core.models import AuditAction, AuditEvent
from yanzhen.divisions.models import Division
from yanzhen.people.lrmx import build_lrmx
from yanzhen.people.models import EducationRecord, Person, Skill, Source
from yanzhen.people.services import EducationInput, FamilyInput, PersonInput, ResumeInput, create_person
from yanzhen.rosters.columns import CANONICAL_HEADERS
from yanzhen.rosters.exporter import in_pool_candidacies, roster_rows
from yanzhen.rosters.lrmx_import import LrmxError, import_lrmx
from yanzhen.rosters.models import ImportRun, RosterUpload

from .rosters_support import number, row, run, xlsx
from .test_rosters import history_rows, messy_sheet

pytestmark = pytest.mark.django_db

CHANGCHENG = "640323100200"


def test_the_template_has_the_canonical_headers_and_drop_down_lists(client_for):
    response = client_for("huamachi").get("/rosters/template.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["花名册"]
    assert [cell.value for cell in sheet[2]] == list(CANONICAL_HEADERS.values())
    assert workbook["代码表"].sheet_state == "hidden"
    lists = {
        workbook["代码表"].cell(1, column).value: [
            workbook["代码表"].cell(r, column).value for r in range(2, workbook["代码表"].max_row + 1)
        ]
        for column in range(1, workbook["代码表"].max_column + 1)
    }
    assert lists["性别"][:2] == ["男", "女"]
    assert lists["民族"][:3] == ["汉族", "蒙古族", "回族"] and len([v for v in lists["民族"] if v]) == 56
    assert "中共党员" in lists["政治面貌"] and "大学专科毕业" in lists["学历"]
    assert "致富带头人" in lists["来源"] and "村党组织书记" in lists["后备岗位"]
    validated = {str(v.sqref).split(":")[0][:-1] for v in sheet.data_validations.dataValidation}
    headers = {cell.value: cell.column_letter for cell in sheet[2]}
    assert validated == {
        headers[name] for name in ("性别", "民族", "政治面貌", "学历", "学位", "来源", "后备岗位")
    }
    # The empty template itself imports as "no data rows", not as an error about its layout.
    assert run(response.content).problem_texts() == ["表中没有数据行"]


def test_the_export_re_imports_without_change(client_for):
    run(messy_sheet(), user="huamachi")
    county = User.objects.get(username="county")
    ma = Person.objects.get(name="马小军")
    # A name beginning with "=" (formula injection) and free text with full-width punctuation.
    ma.notes = '=HYPERLINK("http://x")\n婚姻状况：已婚'
    ma.save()
    response = client_for("county").get("/rosters/export.xlsx?division=640323100")
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("at")
    assert event.user == county and event.detail["full_id_number"] is True and event.detail["rows"] == 7
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[2]]
    numbers = [r[header.index("身份证号")] for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert ma.reveal_id_number() in numbers
    notes = [r[header.index("备注")] for r in sheet.iter_rows(min_row=3, values_only=True)]
    # Kept as written, a quote-prefixed text cell (core.xlsx), never a formula.
    assert '=HYPERLINK("http://x")\n婚姻状况：已婚' in notes
    cell = next(c for c in sheet[3 + notes.index(ma.notes)] if c.value == ma.notes)
    assert cell.data_type == "s" and cell.quotePrefix
    before, snapshot = history_rows(), list(Person.objects.order_by("pk").values())
    again = run(response.content, user="county")
    assert again.problem_texts() == []
    assert (again.persons_updated, again.candidacies_created, again.candidacies_updated, again.unchanged) == (
        0,
        0,
        0,
        7,
    )
    assert history_rows() == before
    assert list(Person.objects.order_by("pk").values()) == snapshot


def test_an_export_with_masked_numbers_cannot_be_imported_again():
    run(messy_sheet(), user="huamachi")
    county = User.objects.get(username="county")
    division = Division.objects.get(code="640323100")
    rows = list(roster_rows(in_pool_candidacies(county, division), full=False, on=timezone.localdate()))
    headers = list(CANONICAL_HEADERS.values())
    assert all("*" in r[headers.index("身份证号")] for r in rows)
    result = run(xlsx(rows, header=headers), user="county")
    assert not result.ok
    assert result.problem_texts()[0].startswith("第 3 行【身份证号】身份证号")


def test_the_export_needs_an_editor_and_stays_in_the_jurisdiction(client_for):
    run(messy_sheet(), user="huamachi")
    assert client_for("auditor").get("/rosters/export.xlsx").status_code == 403
    assert client_for("dashuikeng").get("/rosters/export.xlsx?division=640323100").status_code == 400
    response = client_for("dashuikeng").get("/rosters/export.xlsx")
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).active.max_row == 2  # title and header only


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)"])
def test_exported_cells_that_look_like_formulas_are_escaped(value):
    from openpyxl import Workbook

    cell = xlsx_writer.cell(Workbook(write_only=True).create_sheet("t"), value)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (value, "s", True)


# -- the web: upload → preview → confirm -------------------------------------------------------------------


def test_upload_preview_and_confirm(client_for):
    client = client_for("huamachi")
    content = messy_sheet()
    response = client.post(
        "/rosters/upload/",
        {"division": "640323100", "file": _upload("花名册.xlsx", content)},
    )
    assert response.status_code == 302
    staged = RosterUpload.objects.get()
    assert staged.content_encrypted and content not in staged.content_encrypted.encode()
    assert not Person.objects.exists()  # the preview writes nothing
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    for name in ("马小军", "李红", "王建国", "张三", "赵六", "钱七", "孙八"):
        assert name in text
    assert "合计或签名行" in text and 'id="confirm-import"' in text
    report = client.get(f"/rosters/uploads/{staged.pk}/report.xlsx")
    assert load_workbook(io.BytesIO(report.content))["逐行结果"].max_row == 10
    # Someone else cannot see or confirm it.
    assert client_for("county").get(response["Location"]).status_code == 404
    assert (
        client_for("county")
        .post(f"/rosters/uploads/{staged.pk}/confirm/", {"sha256": staged.sha256})
        .status_code
        == 404
    )
    assert client.post(f"/rosters/uploads/{staged.pk}/confirm/", {"sha256": "0" * 64}).status_code == 400
    confirmed = client.post(f"/rosters/uploads/{staged.pk}/confirm/", {"sha256": staged.sha256})
    assert confirmed.status_code == 302 and confirmed["Location"] == "/rosters/"
    assert Person.objects.count() == 7 and Candidacy.objects.count() == 7
    assert not RosterUpload.objects.exists()
    assert ImportRun.objects.get().user.username == "huamachi"
    index = client.get("/rosters/").content.decode()
    assert "花名册.xlsx" in index


def test_a_preview_with_errors_offers_no_confirmation(client_for):
    client = client_for("huamachi")
    content = xlsx([row("甲", date(1990, 5, 12), 11, gender="女")])
    response = client.post("/rosters/upload/", {"division": "640323100", "file": _upload("a.xlsx", content)})
    page = client.get(response["Location"]).content.decode()
    assert "第 3 行【性别】性别与身份证号不一致：身份证号表明为男" in page
    assert 'id="confirm-import"' not in page
    staged = RosterUpload.objects.get()
    client.post(f"/rosters/uploads/{staged.pk}/confirm/", {"sha256": staged.sha256})
    assert not Person.objects.exists()


def test_a_file_that_is_no_xlsx_is_refused_at_the_upload(client_for):
    response = client_for("huamachi").post(
        "/rosters/upload/", {"division": "640323100", "file": _upload("a.xlsx", b"not a zip")}
    )
    assert response.status_code == 400
    assert "文件不是有效的 .xlsx（内容不是 Excel 工作簿）" in response.content.decode()
    assert not RosterUpload.objects.exists()


def test_the_upload_form_offers_only_the_users_divisions(client_for):
    response = client_for("huamachi").post(
        "/rosters/upload/", {"division": "640323101", "file": _upload("a.xlsx", xlsx([]))}
    )
    assert response.status_code == 400
    assert not RosterUpload.objects.exists()
    assert client_for("auditor").post("/rosters/upload/", {"division": "640323"}).status_code == 403


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


# -- .lrmx --------------------------------------------------------------------------------------------------


def _full_person() -> Person:
    county = User.objects.get(username="county")
    return create_person(
        actor=county,
        data=PersonInput(
            name="马小军",
            id_number=number(date(1990, 5, 12), 11),
            village=Division.objects.get(code=CHANGCHENG),
            political_status="01",
            ethnicity="03",
            native_place="宁夏盐池",
            party_join_date=date(2012, 7, 15),
            phone="13912345678",
            source=Source.objects.get(name="致富带头人"),
            skills=list(Skill.objects.filter(name__in=["养殖", "电商"])),
            skills_text="会开车",
            rewards_and_punishments="2019年度优秀党员\n2020年度先进个人",
            educations=[
                EducationInput(kind="full_time", education="31", school="宁夏大学", major="畜牧", degree="0"),
                EducationInput(kind="in_service", education="21", school="中央党校", major="", degree="4"),
                EducationInput(kind="full_time", education="61", school="盐池中学"),
            ],
            family=[
                FamilyInput(
                    relation="父亲",
                    name="马德明",
                    birth_date=date(1962, 3, 1),
                    political_status="13",
                    work_unit_and_post="务农",
                ),
                FamilyInput(
                    relation="妻子", name="李芳", birth_date=date(1991, 8, 20), political_status="01"
                ),
            ],
            resume=[
                ResumeInput(start="2008.09", end="2011.07", text="宁夏大学畜牧专业学习"),
                ResumeInput(start="2011.07", end="", text="盐池县长城村务农"),
            ],
        ),
    )


def test_an_lrmx_export_imports_again_without_change():
    source = _full_person()
    county = User.objects.get(username="county")
    content = build_lrmx(source, id_number=source.reveal_id_number(), on=timezone.localdate())
    before = (Person.history.count(), EducationRecord.history.count(), ImportRun.objects.count())
    result = import_lrmx(actor=county, content=content, file_name="马小军.lrmx")
    assert (result.created, result.changed) == (False, [])
    assert (Person.history.count(), EducationRecord.history.count(), ImportRun.objects.count()) == before


def test_an_lrmx_import_creates_the_same_person():
    source = _full_person()
    county = User.objects.get(username="county")
    other = number(date(1990, 5, 12), 13)
    content = build_lrmx(source, id_number=other, on=timezone.localdate())
    result = import_lrmx(
        actor=county, content=content, file_name="马小军.lrmx", village=Division.objects.get(code=CHANGCHENG)
    )
    assert result.created
    copy = result.person
    for name in (
        "name",
        "gender",
        "ethnicity",
        "birth_date",
        "native_place",
        "political_status",
        "skills_text",
    ):
        assert getattr(copy, name) == getattr(source, name), name
    assert copy.party_join_date == date(2012, 7, 1)  # LRMX carries the month only
    assert copy.rewards_and_punishments == source.rewards_and_punishments
    assert sorted(s.name for s in copy.skills.all()) == ["养殖", "电商"]
    assert sorted(copy.educations.values_list("kind", "education", "school")) == [
        ("full_time", "31", "宁夏大学畜牧"),
        ("in_service", "21", "中央党校"),
    ]
    assert copy.highest_education == "21"
    assert list(
        copy.family.values_list("relation", "name", "birth_date", "political_status", "work_unit_and_post")
    ) == [
        ("父亲", "马德明", date(1962, 3, 1), "13", "务农"),
        ("妻子", "李芳", date(1991, 8, 1), "01", ""),
    ]
    assert list(copy.resume_lines.values_list("start", "end", "text")) == [
        ("2008.09", "2011.07", "宁夏大学畜牧专业学习"),
        ("2011.07", "", "盐池县长城村务农"),
    ]
    reason = f"任免审批表导入 {ImportRun.objects.get().sha256[:12]}"
    assert copy.history.first().history_change_reason == reason
    # And its own export imports again without change.
    again = import_lrmx(
        actor=county, content=build_lrmx(copy, id_number=other, on=timezone.localdate()), file_name="x.lrmx"
    )
    assert again.unchanged


def test_an_lrmx_with_a_masked_number_or_a_dtd_is_refused():
    source = _full_person()
    county = User.objects.get(username="county")
    with pytest.raises(LrmxError) as masked:
        import_lrmx(
            actor=county,
            content=build_lrmx(source, id_number=source.id_number_masked, on=timezone.localdate()),
            file_name="a.lrmx",
        )
    assert masked.value.errors == ["身份证号已脱敏，无法据此导入：请由有权查看完整身份证号的用户导出后再导入"]
    bomb = b'<?xml version="1.0"?><!DOCTYPE Person [<!ENTITY a "aaaa">]><Person><XingMing>&a;</XingMing></Person>'
    with pytest.raises(LrmxError) as refused:
        import_lrmx(actor=county, content=bomb, file_name="a.lrmx")
    assert refused.value.errors == ["文件含有 DTD 或实体定义，不予导入"]


def test_the_lrmx_page_imports_into_the_archive(client_for):
    source = _full_person()
    content = build_lrmx(source, id_number=source.reveal_id_number(), on=timezone.localdate())
    client = client_for("huamachi")
    response = client.post("/rosters/lrmx/", {"file": _upload("马小军.lrmx", content)})
    assert response.status_code == 302 and response["Location"] == f"/people/{source.pk}/"
    outside = client_for("dashuikeng").post("/rosters/lrmx/", {"file": _upload("马小军.lrmx", content)})
    assert outside.status_code == 400
    assert "该身份证号已在系统中登记（不在您的辖区内），请联系上级组织部门" in outside.content.decode()
    assert CandidacyEvent.objects.count() == 0


def test_import_into_pool_records_the_timeline():
    from yanzhen.candidacies.pool_import import import_into_pool
    from yanzhen.posts.models import PostType

    source = _full_person()
    county = User.objects.get(username="county")
    import_run = ImportRun.objects.create(
        user=county, division=source.village, file_name="x.lrmx", sha256="a" * 64, kind="lrmx"
    )
    candidacy = import_into_pool(
        actor=county,
        person=source,
        village=source.village,
        post_types=[PostType.objects.get(code="secretary")],
        entered_pool_on=date(2020, 6, 1),
        import_run=import_run,
    )
    assert (candidacy.state, candidacy.entered_pool_on) == ("in_pool", date(2020, 6, 1))
    assert candidacy.events.get().summary == "花名册导入入库：村党组织书记"
    assert candidacy.history.get().history_change_reason == "任免审批表导入 aaaaaaaaaaaa"
