"""Helpers of the roster tests: sheets written by the tests themselves with openpyxl, as clerks make them."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook

from yanzhen.accounts.models import User
from yanzhen.divisions.models import Division
from yanzhen.people.idcard import make_id_number
from yanzhen.rosters.importer import import_roster

HEADER = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "出生年月",
    "身份证号",
    "政治面貌",
    "学历",
    "村",
    "后备岗位",
    "入库时间",
]


def number(born: date, sequence: int, address: str = "640323") -> str:
    return make_id_number(address, born, sequence)


def xlsx(
    rows,
    *,
    title: str | None = "花马池镇村级后备力量花名册",
    header=HEADER,
    before=(),
    sheet_name="Sheet1",
    setup=None,
) -> bytes:
    """A workbook: an optional merged title row, optional extra rows, the header, then the rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    for extra in before:
        sheet.append(list(extra))
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    if setup is not None:
        setup(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(content: bytes, *, user: str | None = "county", division: str = "640323100", **options):
    actor = User.objects.get(username=user) if user else None
    return import_roster(
        actor=actor,
        content=content,
        file_name=options.pop("file_name", "花名册.xlsx"),
        division=Division.objects.get(code=division),
        **options,
    )


def row(
    name,
    born,
    sequence,
    *,
    gender="男",
    ethnicity="汉族",
    status="中共党员",
    education="大专",
    village="长城村",
    posts="村党组织书记",
    entered="2020.06",
    birth=None,
):
    return [
        1,
        name,
        gender,
        ethnicity,
        birth if birth is not None else f"{born:%Y.%m}",
        number(born, sequence),
        status,
        education,
        village,
        posts,
        entered,
    ]
