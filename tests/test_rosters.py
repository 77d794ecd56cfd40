"""Roster import (issue 8): real, messy sheets written here with openpyxl; each error kind with its exact
Chinese message; all or nothing; dry run; re-import; the audit event and the history; jurisdiction."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from yanzhen.accounts.models import User
from yanzhen.candidacies.models import Candidacy, CandidacyEvent, CandidacyState
from yanzhen.core.models import AuditAction, AuditEvent, AuditOutcome
from yanzhen.divisions.models import Division
from yanzhen.people.models import EducationRecord, Person
from yanzhen.people.services import PersonInput, create_person
from yanzhen.rosters import columns as C
from yanzhen.rosters.models import ImportRun
from yanzhen.rosters.report import build_report

from .rosters_support import HEADER, number, row, run, xlsx

pytestmark = pytest.mark.django_db

CHANGCHENG = "640323100200"  # 长城村委会, 花马池镇
GOUYAN = "640323100201"  # 沟沿村委会
TONGJIQUAN = "640323100202"  # 佟记圈村委会
SIDUNZI = "640323100203"  # 四墩子村委会


def person(id_number: str) -> Person:
    from yanzhen.core.crypto import keyed_hash

    return Person.objects.get(id_number_hash=keyed_hash(id_number))


def history_rows() -> int:
    return (
        Person.history.count()
        + EducationRecord.history.count()
        + Candidacy.history.count()
        + CandidacyEvent.objects.count()
    )


# -- a messy sheet ------------------------------------------------------------------------------------------

MESSY_HEADER = [
    "序 号",
    "姓  名",
    "公民身份号码",
    "性别",
    "民族",
    "出生年月日",
    "政治面貌",
    "入党年月",
    "文化程度",
    "毕业院校及专业",
    "所在乡镇",
    "村（社區）",
    "现任职务",
    "拟培养岗位",
    "人员类别",
    "专业特长",
    "手机号码",
    "入库时间",
    "婚姻状况",
    "备注",
]
MA = number(date(1990, 5, 12), 11)
LI = number(date(1988, 1, 2), 22)
WANG = number(date(1985, 3, 8), 31)
ZHANG = number(date(1979, 11, 30), 41)
ZHAO = number(date(1995, 7, 20), 51)
QIAN = number(date(1992, 5, 3), 61)
SUN = number(date(1970, 10, 9), 71)


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


def messy_rows():
    return [
        # Full-width digits in the ID, an Excel date, 回 → 回族, 党员, 大专, a township without 镇, 长城村.
        [
            1,
            "马 小军",
            full_width(MA),
            "男",
            "回",
            datetime(1990, 5, 12),
            "党员",
            "2012.07",
            "大专",
            "宁夏大学 畜牧",
            "花马池",
            "长城村",
            "村委会委员",
            "书记、主任",
            "致富能手",
            "养殖，电商，会开车",
            13912345678,
            "2020.06",
            "已婚",
            None,
        ],
        # Traditional characters, 2 for female, 1988年1月, 團員, 本科, 村民委员会.
        [
            2,
            "李紅",
            LI,
            2,
            "漢族",
            "1988年1月",
            "團員",
            None,
            "本科",
            None,
            "花馬池鎮",
            "溝沿村民委員會",
            None,
            "专职网格员",
            "返鄉創業青年",
            None,
            "139 1234 5679",
            "2021-03-15",
            None,
            "外出务工多年",
        ],
        [None] * 20,  # a blank row
        # 198503 as text, 中专, 群众, a village without suffix, 1 for male, 202106 as a number.
        [
            3,
            "王建国",
            WANG,
            1,
            "汉族",
            "198503",
            "群众",
            None,
            "中专",
            None,
            None,
            "佟记圈",
            None,
            "网格员",
            None,
            None,
            None,
            202106,
            None,
            None,
        ],
        # 1979.11 as text, 高中, 中共预备党员, 四墩子村, an Excel date for the entry.
        [
            4,
            "张三",
            ZHANG,
            "男",
            "汉族",
            "1979.11",
            "中共预备党员",
            None,
            "高中",
            None,
            None,
            "四墩子村",
            None,
            "村民小组长",
            None,
            None,
            None,
            datetime(2019, 1, 1),
            None,
            None,
        ],
        # 1995-07-20, 研究生, 初中 is below.
        [
            5,
            "赵六",
            ZHAO,
            "男",
            "汉族",
            "1995-07-20",
            "中共党员",
            "2016/7/1",
            "研究生",
            "北京大学",
            None,
            "长城",
            None,
            "两委委员",
            None,
            None,
            None,
            None,
            None,
            None,
        ],
        # 1992.05 as a number, 中技, 1992/5/3.
        [
            6,
            "钱七",
            QIAN,
            "男",
            "汉族",
            1992.05,
            "群众",
            None,
            "中技",
            None,
            None,
            "长城村委会",
            None,
            "书记助理",
            None,
            None,
            None,
            "2022/5/3",
            None,
            None,
        ],
        # 初中 and 小学 spellings, a full-width space inside the name.
        [
            7,
            "孙\u3000八",
            SUN,
            "男",
            "汉族",
            "1970.10",
            "群众",
            None,
            "初中",
            None,
            None,
            "沟沿",
            None,
            "组长",
            None,
            None,
            None,
            "2018年6月",
            None,
            None,
        ],
        ["合计：7人"] + [None] * 19,
        ["填表人：张三", None, None, None, "审核人：李四"] + [None] * 15,
    ]


def messy_sheet() -> bytes:
    return xlsx(
        messy_rows(),
        header=MESSY_HEADER,
        before=[["填报单位：花马池镇党委（盖章）            填报日期：2024年3月"]],
        setup=lambda sheet: sheet.merge_cells("A2:H2"),
    )


def test_a_messy_real_sheet_imports_every_variant():
    result = run(messy_sheet(), user="huamachi", on=date(2024, 3, 20))
    assert result.problem_texts() == []
    assert (result.persons_created, result.candidacies_created) == (7, 7)
    assert [r.outcome for r in result.rows if r.outcome == "已忽略"] == ["已忽略", "已忽略"]

    ma = person(MA)
    assert (ma.name, ma.gender, ma.ethnicity, ma.birth_date) == ("马小军", "1", "03", date(1990, 5, 12))
    assert (ma.political_status, ma.party_join_date, ma.highest_education) == ("01", date(2012, 7, 1), "31")
    assert ma.village_id == CHANGCHENG
    assert ma.source.name == "致富带头人"
    assert sorted(skill.name for skill in ma.skills.all()) == ["养殖", "电商"]
    assert ma.skills_text == "会开车"
    assert ma.reveal_phone() == "13912345678"
    assert ma.notes == "现任职务：村委会委员\n婚姻状况：已婚"
    assert list(ma.educations.values_list("kind", "education", "school")) == [
        ("full_time", "31", "宁夏大学 畜牧")
    ]
    [candidacy] = ma.candidacies.all()
    assert candidacy.state == CandidacyState.IN_POOL
    assert candidacy.entered_pool_on == date(2020, 6, 1)
    assert candidacy.target_names() == "村党组织书记、村委会主任"
    assert candidacy.nomination_way == ""

    li = person(LI)
    assert (li.name, li.gender, li.ethnicity, li.political_status, li.highest_education) == (
        "李红",
        "2",
        "01",
        "03",
        "21",
    )
    assert (li.village_id, li.source.name, li.notes) == (GOUYAN, "返乡创业青年", "外出务工多年")
    assert li.reveal_phone() == "13912345679"
    assert li.candidacies.get().entered_pool_on == date(2021, 3, 15)

    wang = person(WANG)
    assert (wang.political_status, wang.highest_education, wang.village_id) == ("13", "41", TONGJIQUAN)
    assert wang.candidacies.get().entered_pool_on == date(2021, 6, 1)
    assert wang.candidacies.get().target_names() == "专职网格员"

    zhang = person(ZHANG)
    assert (zhang.political_status, zhang.highest_education, zhang.village_id) == ("02", "61", SIDUNZI)
    assert zhang.candidacies.get().entered_pool_on == date(2019, 1, 1)

    zhao = person(ZHAO)
    assert (zhao.highest_education, zhao.party_join_date, zhao.village_id) == (
        "10",
        date(2016, 7, 1),
        CHANGCHENG,
    )
    # No 入库时间: the import date.
    assert zhao.candidacies.get().entered_pool_on == date(2024, 3, 20)

    qian = person(QIAN)
    assert (qian.highest_education, qian.birth_date) == ("47", date(1992, 5, 3))
    assert qian.candidacies.get().entered_pool_on == date(2022, 5, 3)

    sun = person(SUN)
    assert (sun.name, sun.highest_education, sun.village_id) == ("孙八", "71", GOUYAN)
    assert sun.candidacies.get().target_names() == "村民小组长"
    assert sun.candidacies.get().entered_pool_on == date(2018, 6, 1)


@pytest.mark.parametrize(
    "value, expected",
    [
        (datetime(1990, 5, 12), C.RosterDate(1990, 5, 12)),
        ("1990.05", C.RosterDate(1990, 5)),
        ("1990.5", C.RosterDate(1990, 5)),
        ("1990年5月", C.RosterDate(1990, 5)),
        ("1990年05月12日", C.RosterDate(1990, 5, 12)),
        ("1990-05-12", C.RosterDate(1990, 5, 12)),
        ("1990-05-12 00:00:00", C.RosterDate(1990, 5, 12)),
        ("199005", C.RosterDate(1990, 5)),
        ("19900512", C.RosterDate(1990, 5, 12)),
        ("1990/5/12", C.RosterDate(1990, 5, 12)),
        ("１９９０．０５", C.RosterDate(1990, 5)),
        (199005, C.RosterDate(1990, 5)),
        (1990.05, C.RosterDate(1990, 5)),
        (1990.11, C.RosterDate(1990, 11)),
        (33005, C.RosterDate(1990, 5, 12)),  # an Excel serial number in a cell without a date format
    ],
)
def test_every_date_form(value, expected):
    assert C.read_date(value) == expected


def test_a_date_cell_formatted_without_the_day_holds_a_month():
    assert C.read_date(datetime(1990, 5, 1), "yyyy.mm") == C.RosterDate(1990, 5)
    assert C.read_date(datetime(1990, 5, 1), 'yyyy"年"m"月"') == C.RosterDate(1990, 5)
    assert C.read_date(datetime(1990, 5, 12), "yyyy-mm-dd") == C.RosterDate(1990, 5, 12)
    content = xlsx(
        [row("甲", date(1990, 5, 12), 11, birth=datetime(1990, 5, 1))],
        setup=lambda sheet: setattr(sheet["E3"], "number_format", "yyyy.mm"),
    )
    assert run(content).problem_texts() == []


def test_a_number_like_1990_point_1_is_ambiguous():
    assert C.read_date(1990.1) == [C.RosterDate(1990, 1), C.RosterDate(1990, 10)]
    assert C.read_date(1990.1, "0.00") == C.RosterDate(1990, 10)
    with pytest.raises(C.ValueProblem) as problem:
        C.read_single_date(1990.1)
    assert str(problem.value) == (
        "日期“1990.1”有歧义：Excel 会把 1990.10 存成 1990.1，请把单元格设为文本后写作 1990.01 或 1990.10"
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        ("研究生", ("10", "full_time")),
        ("硕士研究生", ("14", "full_time")),
        ("本科", ("21", "full_time")),
        ("大学本科", ("21", "full_time")),
        ("大专", ("31", "full_time")),
        ("大学专科", ("31", "full_time")),
        ("大专（函授）", ("31", "in_service")),
        ("本科肄业", ("23", "full_time")),
        ("中专", ("41", "full_time")),
        ("中技", ("47", "full_time")),
        ("技校", ("47", "full_time")),
        ("高中", ("61", "full_time")),
        ("初中", ("71", "full_time")),
        ("小学", ("81", "full_time")),
        ("大学专科毕业", ("31", "full_time")),
        ("大学专科毕业（在职）", ("31", "in_service")),
    ],
)
def test_education_variants(text, expected):
    assert C.read_education(text) == expected


@pytest.mark.parametrize(
    "text, code",
    [
        ("党员", "01"),
        ("中共党员", "01"),
        ("中国共产党党员", "01"),
        ("预备党员", "02"),
        ("团员", "03"),
        ("共青团员", "03"),
        ("群众", "13"),
        ("无党派", "12"),
        ("民盟", "05"),
        ("13", "13"),
    ],
)
def test_political_status_variants(text, code):
    assert C.read_political_status(text) == code


def test_header_synonyms_in_any_order_and_unknown_columns_kept_in_notes():
    header = ["身份证号码", "村", "备注", "出生日期", "姓名", "培养方向", "政治面貌", "籍贯", "宗教信仰"]
    content = xlsx(
        [
            [
                MA,
                "长城村委会",
                "表现突出",
                "1990.05.12",
                "马小军",
                "村委会主任",
                "中共党员",
                "宁夏盐池",
                "无",
            ],
            [LI, "沟沿村", None, None, "李红", "后备书记", "群众", None, "佛教"],
        ],
        header=header,
        title=None,
    )
    result = run(content)
    assert result.problem_texts() == [
        "第 3 行【培养方向】后备岗位“后备书记”无法识别（可填：村党组织书记、村党组织副书记、村委会主任、村委会副主任、两委委员、村务监督委员会主任、村党组织书记助理、专职网格员、村民小组长）"
    ]
    content = xlsx(
        [
            [
                MA,
                "长城村委会",
                "表现突出",
                "1990.05.12",
                "马小军",
                "村委会主任",
                "中共党员",
                "宁夏盐池",
                "无",
            ],
            [LI, "沟沿村", None, None, "李红", "书记", "群众", None, "佛教"],
        ],
        header=header,
        title=None,
    )
    assert run(content).ok
    assert person(MA).notes == "表现突出"  # 宗教信仰 无 is a placeholder for nothing
    assert person(MA).native_place == "宁夏盐池"
    assert person(LI).notes == "宗教信仰：佛教"


# -- errors -------------------------------------------------------------------------------------------------


def test_each_error_kind_with_row_column_and_reason():
    wrong_check = number(date(1991, 2, 3), 81)[:-1] + (
        "0" if number(date(1991, 2, 3), 81)[-1] != "0" else "1"
    )
    rows = [
        row("甲", date(1990, 5, 12), 11),
        [
            2,
            "乙",
            "男",
            "汉族",
            "1990.06",
            number(date(1990, 5, 12), 13),
            "中共党员",
            "大专",
            "长城村",
            "书记",
            "2020.06",
        ],
        [
            3,
            "丙",
            "女",
            "汉族",
            "1990.05",
            number(date(1990, 5, 12), 15),
            "中共党员",
            "大专",
            "长城村",
            "书记",
            "2020.06",
        ],
        [4, "丁", "男", "汉族", "1991.02", wrong_check, "中共党员", "大专", "长城村", "书记", "2020.06"],
        [
            5,
            "戊",
            "男",
            "汉族",
            "1990.05",
            640323199005120000,
            "中共党员",
            "大专",
            "长城村",
            "书记",
            "2020.06",
        ],
        [
            6,
            "己",
            "男",
            "汉族",
            "1990.05",
            number(date(1990, 5, 12), 17),
            "党员干部",
            "博士后",
            "长城村",
            "书记",
            "2020.06",
        ],
        [
            7,
            "庚",
            "男",
            "汉族",
            "1990.05",
            number(date(1990, 5, 12), 19),
            "中共党员",
            "大专",
            "大水坑村",
            "书记",
            "2020.06",
        ],
        [
            8,
            "辛",
            "男",
            "汉族",
            "1990.05",
            number(date(1990, 5, 12), 21),
            "中共党员",
            "大专",
            "长城村",
            "会计",
            "2099.01",
        ],
        [
            9,
            None,
            "男",
            "汉族",
            "1990.05",
            number(date(1990, 5, 12), 11),
            "中共党员",
            "=A1",
            "长城村",
            "书记",
            "1990",
        ],
        [
            10,
            "壬",
            "男",
            "汉族",
            1990.1,
            number(date(1990, 5, 12), 23),
            "中共党员",
            "大专",
            "长城村",
            "书记",
            2020.1,
        ],
        [
            11,
            "癸",
            "男",
            "汉族",
            "1990.05",
            number(date(1990, 5, 12), 25),
            "中共党员",
            "大专",
            "不存在村",
            None,
            "2020.06",
        ],
        [
            12,
            "子",
            "男",
            "汉族",
            "1990.05",
            number(date(2012, 5, 12), 27),
            "中共党员",
            "大专",
            "长城村",
            "书记",
            "2020.06",
        ],
    ]
    result = run(xlsx(rows))
    assert result.problem_texts() == [
        "第 4 行【出生年月】出生年月 1990.06 与身份证号中的出生日期 1990-05-12 不一致",
        "第 5 行【性别】性别与身份证号不一致：身份证号表明为男",
        f"第 6 行【身份证号】身份证号校验位错误：应为 {number(date(1991, 2, 3), 81)[-1]}",
        "第 7 行【身份证号】身份证号被 Excel 存成了数字，末几位已丢失；请把该列设为文本后重新填写",
        "第 8 行【政治面貌】政治面貌“党员干部”无法识别（如中共党员、中共预备党员、共青团员、群众）",
        "第 8 行【学历】学历“博士后”无法识别（如研究生、本科、大专、中专、高中、初中、小学）",
        "第 9 行【村】村“大水坑村”不在花马池镇（系统中的同名村属于大水坑镇大水坑村委会），不能导入",
        "第 10 行【后备岗位】后备岗位“会计”无法识别（可填：村党组织书记、村党组织副书记、村委会主任、村委会副主任、两委委员、村务监督委员会主任、村党组织书记助理、专职网格员、村民小组长）",
        "第 10 行【入库时间】入库时间 2099.01 不能晚于今天",
        "第 11 行【姓名】姓名不能为空",
        "第 11 行【身份证号】身份证号与第 3 行重复，同一人只能出现一次",
        "第 11 行【学历】单元格是公式（=A1），请改为数值后再导入",
        "第 11 行【入库时间】日期“1990”只有年份，请至少写到月（如 1990.05）",
        "第 12 行【出生年月】出生年月 1990.1 与身份证号中的出生日期 1990-05-12 不一致",
        "第 12 行【入库时间】日期“2020.1”有歧义：Excel 会把 2020.10 存成 2020.1，请把单元格设为文本后写作 2020.01 或 2020.10",
        "第 13 行【村】在花马池镇找不到村“不存在村”",
        "第 14 行【出生年月】出生年月 1990.05 与身份证号中的出生日期 2012-05-12 不一致",
        "第 14 行【出生年月】未满 18 周岁，不能建档",
    ]
    # All or nothing: the good first row was not written either.
    assert not Person.objects.exists()
    assert not ImportRun.objects.exists()
    failure = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert failure.outcome == AuditOutcome.FAILURE
    assert failure.detail["errors"] == 18


def test_the_report_lists_every_error_and_every_row():
    from openpyxl import load_workbook

    result = run(xlsx([row("甲", date(1990, 5, 12), 11), row("乙", date(1990, 5, 12), 13, gender="女")]))
    workbook = load_workbook(io.BytesIO(build_report(result)))
    assert [list(r) for r in workbook["错误"].iter_rows(values_only=True)] == [
        ["工作表", "行号", "列", "原因"],
        ["Sheet1", 4, "性别", "性别与身份证号不一致：身份证号表明为男"],
    ]
    rows = list(workbook["逐行结果"].iter_rows(values_only=True))
    assert [r[5] for r in rows[1:]] == ["新建", "有错误"]


def test_missing_columns_and_a_sheet_without_header():
    content = xlsx([["马小军", MA]], header=["姓名", "身份证号", "性别"])
    assert run(content).problem_texts() == ["工作表“Sheet1”缺少必需的列：政治面貌、后备岗位、村"]
    content = xlsx([["马小军", MA]], header=["名单", "号码"])
    assert run(content).problem_texts() == [
        "找不到表头行：前 30 行中没有同时含“姓名”和“身份证号”的行（请检查列名）"
    ]


def test_a_person_in_the_pipeline_cannot_be_put_in_the_pool_by_a_roster():
    from yanzhen.candidacies import workflow
    from yanzhen.posts.models import PostType

    county = User.objects.get(username="county")
    someone = create_person(
        actor=county,
        data=PersonInput(
            name="马小军", id_number=MA, village=Division.objects.get(code=CHANGCHENG), political_status="01"
        ),
    )
    workflow.nominate(
        actor=county,
        person=someone,
        post_types=[PostType.objects.get(code="chair")],
        nomination_way="masses",
        on=timezone.localdate(),
    )
    result = run(xlsx([row("马小军", date(1990, 5, 12), 11)]))
    assert result.problem_texts() == [
        "第 3 行【后备岗位】马小军在长城村委会的后备人选正处于“推荐”阶段，不能由花名册直接入库，请在后备人选流程中办理"
    ]


# -- all or nothing, dry run, re-import, audit, history -------------------------------------------------------


def test_dry_run_writes_nothing():
    before = (AuditEvent.objects.count(), history_rows())
    result = run(xlsx([row("甲", date(1990, 5, 12), 11)]), dry_run=True)
    assert result.ok and result.persons_created == 1 and result.candidacies_created == 1
    assert result.summary_lines()[1] == "试运行（--dry-run），未写入任何数据；若正式导入将会："
    assert not Person.objects.exists() and not Candidacy.objects.exists() and not ImportRun.objects.exists()
    assert (AuditEvent.objects.count(), history_rows()) == before


def test_one_import_is_one_audited_event_and_the_history_names_it():
    content = messy_sheet()
    clerk = User.objects.get(username="huamachi")
    result = run(content, user="huamachi")
    run_record = ImportRun.objects.get()
    assert (run_record.user, run_record.division_id, run_record.file_name) == (
        clerk,
        "640323100",
        "花名册.xlsx",
    )
    assert run_record.sha256 == result.sha256 and len(result.sha256) == 64
    assert (run_record.persons_created, run_record.persons_updated) == (7, 0)
    assert (run_record.candidacies_created, run_record.candidacies_updated) == (7, 0)
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert (event.user, event.outcome, event.division_code) == (clerk, AuditOutcome.SUCCESS, "640323100")
    assert event.detail["sha256"] == result.sha256
    assert event.detail["persons_created"] == 7 and event.detail["candidacies_created"] == 7
    reason = f"花名册导入 {result.sha256[:12]}"
    ma = person(MA)
    [created] = ma.history.all()
    assert (created.history_type, created.history_user, created.history_change_reason) == ("+", clerk, reason)
    # The m2m snapshot of the skills is in the history too.
    assert sorted(s.skill.name for s in created.skills.all()) == ["养殖", "电商"]
    assert ma.educations.get().history.get().history_change_reason == reason
    candidacy = ma.candidacies.get()
    assert candidacy.history.get().history_change_reason == reason
    assert candidacy.history.get().history_user == clerk
    [timeline] = candidacy.events.all()
    assert (timeline.summary, timeline.actor, timeline.to_state) == (
        "花名册导入入库：村党组织书记、村委会主任",
        clerk,
        CandidacyState.IN_POOL,
    )
    assert timeline.data["import_run"] == run_record.pk


def test_importing_the_same_file_again_changes_nothing():
    content = messy_sheet()
    run(content, user="huamachi")
    before = history_rows()
    snapshot = list(Person.objects.order_by("pk").values())
    again = run(content, user="huamachi")
    assert again.ok
    assert (
        again.persons_created,
        again.persons_updated,
        again.candidacies_created,
        again.candidacies_updated,
    ) == (0, 0, 0, 0)
    assert again.unchanged == 7
    assert history_rows() == before
    assert list(Person.objects.order_by("pk").values()) == snapshot
    assert ImportRun.objects.count() == 2  # the second import is itself an event, with nothing changed


def test_a_corrected_roster_updates_and_keeps_what_it_leaves_blank():
    run(messy_sheet(), user="huamachi")
    ma_before = person(MA)
    rows = messy_rows()[:1]
    rows[0][6] = "群众"  # political status changes
    rows[0][13] = "书记、主任、网格员"  # a post is added
    rows[0][16] = None  # the phone left blank: kept
    rows[0][17] = "2020年6月"  # the same month: kept
    result = run(xlsx(rows, header=MESSY_HEADER), user="huamachi")
    assert result.problem_texts() == []
    assert (result.persons_updated, result.candidacies_updated) == (1, 1)
    assert result.rows[0].detail == "更新人员：政治面貌；增加后备岗位：专职网格员"
    ma = person(MA)
    assert ma.political_status == "13" and ma.reveal_phone() == "13912345678"
    assert ma.phone_encrypted == ma_before.phone_encrypted
    assert ma.candidacies.get().target_names() == "村党组织书记、村委会主任、专职网格员"
    assert ma.candidacies.get().entered_pool_on == date(2020, 6, 1)
    latest = ma.history.first()
    assert (latest.history_type, latest.history_change_reason) == ("~", f"花名册导入 {result.sha256[:12]}")


# -- jurisdiction -------------------------------------------------------------------------------------------


def test_a_township_clerk_imports_only_into_her_township():
    content = xlsx([row("甲", date(1990, 5, 12), 11, village="大水坑村")])
    with pytest.raises(Http404):
        run(content, user="huamachi", division="640323101")
    with pytest.raises(PermissionDenied):
        run(content, user="auditor", division="640323")
    result = run(content, user="huamachi")
    assert result.problem_texts() == [
        "第 3 行【村】村“大水坑村”不在花马池镇（系统中的同名村属于大水坑镇大水坑村委会），不能导入"
    ]
    # The county admin imports it into the county.
    assert run(content, user="county", division="640323").ok


def test_a_person_registered_outside_the_jurisdiction_is_an_error():
    county = User.objects.get(username="county")
    create_person(
        actor=county,
        data=PersonInput(
            name="马小军",
            id_number=MA,
            village=Division.objects.get(code="640323101200"),
            political_status="01",
        ),
    )
    result = run(xlsx([row("马小军", date(1990, 5, 12), 11)]), user="huamachi")
    assert result.problem_texts() == [
        "第 3 行【身份证号】该身份证号已在系统中登记（不在您的辖区内），请联系上级组织部门"
    ]


def test_the_command_refuses_a_division_outside_the_users_jurisdiction(tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx([row("甲", date(1990, 5, 12), 11)]))
    with pytest.raises(CommandError) as refused:
        call_command("import-roster", str(path), "--division", "640323101", "--user", "huamachi")
    assert str(refused.value) == "大水坑镇（640323101）不在用户 huamachi 的辖区内，拒绝导入"
    assert not Person.objects.exists()


def test_the_command_exit_status_dry_run_and_report(tmp_path, capsys):
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx([row("甲", date(1990, 5, 12), 11)]))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([row("甲", date(1990, 5, 12), 11, gender="女")]))
    report = tmp_path / "report.xlsx"
    with pytest.raises(CommandError) as failed:
        call_command("import-roster", str(bad), "--division", "640323100", "--report", str(report))
    assert (
        "导入失败，未写入任何数据：共 1 处错误\n第 3 行【性别】性别与身份证号不一致：身份证号表明为男"
        in str(failed.value)
    )
    assert report.exists()
    call_command("import-roster", str(good), "--division", "640323100", "--dry-run")
    assert "试运行（--dry-run），未写入任何数据" in capsys.readouterr().out
    assert not Person.objects.exists()
    call_command("import-roster", str(good), "--division", "640323100")
    assert (
        "导入成功：新建人员 1，更新人员 0，新建在库后备 1，更新在库后备 0，无变化 0"
        in capsys.readouterr().out
    )
    assert ImportRun.objects.get().username == "console"
    assert Person.objects.get().history.get().history_user is None


# -- safety -------------------------------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "file_name, content, message",
    [
        (
            "roster.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
            "只接受 .xlsx 文件：请在 Excel 中把旧版 .xls 另存为 .xlsx 后再导入",
        ),
        ("roster.csv", b"a,b\n", "只接受 Excel 2007 及以后的 .xlsx 文件"),
        ("roster.xlsx", b"MZ\x90\x00 not a workbook", "文件不是有效的 .xlsx（内容不是 Excel 工作簿）"),
        (
            "roster.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
            "文件已加密或是旧版 .xls 格式：请去掉密码并另存为 .xlsx 后再导入",
        ),
        ("roster.xlsx", _zip({"word/document.xml": b"<x/>"}), "文件不是有效的 .xlsx（缺少 xl/workbook.xml）"),
        (
            "roster.xlsx",
            _zip({"xl/workbook.xml": b"<x/>", "xl/vbaProject.bin": b"macro"}),
            "文件含宏，不予导入：请另存为不含宏的 .xlsx",
        ),
        (
            "roster.xlsx",
            _zip({"xl/workbook.xml": b"<x/>", "xl/sharedStrings.xml": b"\0" * (50 * 1024 * 1024)}),
            "文件压缩比异常（疑似压缩炸弹），不予导入",
        ),
    ],
)
def test_only_a_sane_xlsx_is_read(file_name, content, message):
    result = run(content, file_name=file_name)
    assert result.problem_texts() == [message]


def test_the_size_limit_is_a_setting():
    content = xlsx([row("甲", date(1990, 5, 12), 11)])
    with override_settings(ROSTER_MAX_UPLOAD_BYTES=1024):
        assert run(content).problem_texts() == ["文件超过 0 MB，请拆分后分批导入"]


def test_an_xml_bomb_inside_the_package_is_refused():
    from yanzhen.rosters.reader import RosterFileError, read_workbook

    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><workbook>&b;</workbook>'
    buffer = io.BytesIO(xlsx([row("甲", date(1990, 5, 12), 11)]))
    with zipfile.ZipFile(buffer) as source:
        members = {name: source.read(name) for name in source.namelist()}
    members["xl/workbook.xml"] = bomb
    with pytest.raises(RosterFileError):
        read_workbook(_zip(members))


def test_one_sheet_per_village_and_an_instructions_sheet():
    from openpyxl import Workbook

    workbook = Workbook()
    notes = workbook.active
    notes.title = "填表说明"
    notes.append(["1. 身份证号请设为文本格式"])
    for title, village, people in (
        ("长城村", "长城村", [("甲", date(1990, 5, 12), 11)]),
        ("沟沿村", "沟沿村", [("乙", date(1991, 6, 1), 13), ("甲", date(1990, 5, 12), 11)]),
    ):
        sheet = workbook.create_sheet(title)
        sheet.append([f"{title}后备力量名单"])
        sheet.append(HEADER)
        sheet.append(["", "", "", "", "(年.月)"])  # a second header line
        for name, born, sequence in people:
            sheet.append(row(name, born, sequence, village=village))
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = run(buffer.getvalue())
    assert result.problem_texts() == [
        "工作表“沟沿村”第 5 行【身份证号】身份证号与工作表“长城村”第 4 行重复，同一人只能出现一次"
    ]
    assert [(r.sheet, r.row, r.outcome) for r in result.rows] == [
        ("长城村", 3, "已忽略"),
        ("长城村", 4, "新建"),
        ("沟沿村", 3, "已忽略"),
        ("沟沿村", 4, "新建"),
        ("沟沿村", 5, "有错误"),
    ]
