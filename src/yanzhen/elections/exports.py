"""The election's report as an xlsx in the usual layout of the reports filed upward (stats.reports): a title,
the issuing unit and dates, a three-row header, a row per township and the total in bold (换届情况统计表),
and a second sheet listing the targets missed (未达标情况). The figures are those of `report.summarise`, so
the sheet, the page, the console and the API agree.

The sheets are administrative documents in Chinese whatever the interface language.
"""

from __future__ import annotations

from typing import cast

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from yanzhen.core import xlsx
from yanzhen.core.exports_xlsx import workbook_bytes
from yanzhen.elections.report import ReportData, township_rows, village_names
from yanzhen.elections.rules import TARGET_LABELS
from yanzhen.stats.reports import BOX, CENTRE, PERCENT, chinese_date

# (label, key, is a percentage) of each side's columns.
SIDE_COLUMNS = [
    ("成员人数", "members", False),
    ("平均年龄", "average_age", False),
    ("大专及以上占比", "college_or_above_pct", True),
    ("35岁以下占比", "under_35_pct", True),
    ("女性占比", "women_pct", True),
    ("“一肩挑”村占比", "one_shoulder_pct", True),
    ("交叉任职村占比", "cross_post_pct", True),
]
LEAD_COLUMNS = ["单位", "村（村委会）数", "已完成换届村数"]
HEADER_TOP, HEADER_BAND, HEADER_UNIT = 3, 4, 5
FIRST_ROW = HEADER_UNIT + 1


def _safe(sheet, row: int, column: int, value):
    return xlsx.harden(sheet.cell(row, column, value))


def _width() -> int:
    return len(LEAD_COLUMNS) + 2 * len(SIDE_COLUMNS) + 2 + 2


def _header(sheet) -> None:
    for column, text in enumerate(LEAD_COLUMNS, start=1):
        sheet.cell(HEADER_TOP, column, text)
        sheet.merge_cells(start_row=HEADER_TOP, start_column=column, end_row=HEADER_UNIT, end_column=column)
    column = len(LEAD_COLUMNS) + 1
    for side in ("换届前", "换届后"):
        sheet.cell(HEADER_TOP, column, f"村“两委”成员（{side}）")
        sheet.merge_cells(
            start_row=HEADER_TOP,
            start_column=column,
            end_row=HEADER_TOP,
            end_column=column + len(SIDE_COLUMNS) - 1,
        )
        for label, _key, _pct in SIDE_COLUMNS:
            sheet.cell(HEADER_BAND, column, label)
            sheet.merge_cells(
                start_row=HEADER_BAND, start_column=column, end_row=HEADER_UNIT, end_column=column
            )
            column += 1
    sheet.cell(HEADER_TOP, column, "新当选成员中来自后备力量")
    sheet.merge_cells(start_row=HEADER_TOP, start_column=column, end_row=HEADER_BAND, end_column=column + 1)
    sheet.cell(HEADER_UNIT, column, "人数")
    sheet.cell(HEADER_UNIT, column + 1, "占比")
    column += 2
    sheet.cell(HEADER_TOP, column, "村级结构目标")
    sheet.merge_cells(start_row=HEADER_TOP, start_column=column, end_row=HEADER_BAND, end_column=column + 1)
    sheet.cell(HEADER_UNIT, column, "达标村数")
    sheet.cell(HEADER_UNIT, column + 1, "未达标项")


def row_values(name: str, summary: dict) -> list[tuple[object, bool]]:
    """The cells of one unit's row: (value, is a percentage); percentages as fractions."""
    values: list[tuple[object, bool]] = [
        (name, False),
        (summary["villages"], False),
        (summary["villages_elected"], False),
    ]
    for side in ("before", "after"):
        for _label, key, is_pct in SIDE_COLUMNS:
            value = summary[side][key]
            values.append((value / 100 if is_pct and value is not None else value, is_pct))
    values += [(summary["from_pool"]["count"], False), (summary["from_pool"]["pct"] / 100, True)]
    village_misses = [m for m in summary["targets"]["missed"] if m["village"] != summary["county"]]
    values += [(summary["targets"]["met"], False), (len(village_misses), False)]
    return values


def report_workbook(data: ReportData, issued_by: str = "") -> bytes:
    election = data.election
    rows = township_rows(data)
    workbook = Workbook()
    sheet = cast(Worksheet, workbook.active)
    sheet.title = "换届情况统计表"
    width = _width()
    county = election.county.name
    _safe(sheet, 1, 1, f"{county}第{election.number}届村“两委”换届情况统计表").font = Font(size=16, bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).alignment = CENTRE
    _safe(sheet, 2, 1, f"填报单位：{issued_by or county}")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width // 2)
    sheet.cell(
        2,
        width // 2 + 1,
        f"换届前：{chinese_date(data.before_on)}；换届后：各村选举日（未换届的村按换届前）",
    )
    sheet.merge_cells(start_row=2, start_column=width // 2 + 1, end_row=2, end_column=width)
    sheet.cell(2, width // 2 + 1).alignment = Alignment(horizontal="right")
    _header(sheet)
    row_number = FIRST_ROW
    for _code, name, summary in rows:
        for column, (value, is_pct) in enumerate(row_values(name, summary), start=1):
            cell = _safe(sheet, row_number, column, value)
            if is_pct:
                cell.number_format = PERCENT
        if name == "合计":
            for column in range(1, width + 1):
                sheet.cell(row_number, column).font = Font(bold=True)
        row_number += 1
    for row in sheet.iter_rows(min_row=HEADER_TOP, max_row=row_number - 1, max_col=width):
        for cell in row:
            cell.border = BOX
            if (cell.row or 0) <= HEADER_UNIT:
                cell.alignment = CENTRE
                cell.font = Font(bold=True)
    sheet.cell(
        row_number + 1,
        1,
        "说明：村“两委”不含村务监督委员会和实践岗位；年龄按当日计算周岁，35岁以下指不满35周岁；"
        "大专及以上为 GB/T 4658 代码 10–33；“一肩挑”和交叉任职为村数占比；来自后备力量指选举前一日在库的后备力量；"
        "占比四舍五入保留两位小数。",
    )
    sheet.column_dimensions["A"].width = 16
    for column in range(2, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 10
    sheet.freeze_panes = f"B{FIRST_ROW}"
    _misses_sheet(workbook, data, rows[-1][2])
    return workbook_bytes(workbook)


MISSES_HEADER = ["序号", "乡镇（街道）", "村（社区）", "区划代码", "目标", "情况"]


def _misses_sheet(workbook: Workbook, data: ReportData, summary: dict) -> None:
    sheet = workbook.create_sheet("未达标情况")
    names = village_names(data)
    _safe(sheet, 1, 1, "结构目标未达标情况").font = Font(size=14, bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(MISSES_HEADER))
    for column, text in enumerate(MISSES_HEADER, start=1):
        cell = sheet.cell(2, column, text)
        cell.font = Font(bold=True)
        cell.alignment = CENTRE
        cell.border = BOX
    for index, miss in enumerate(summary["targets"]["missed"], start=1):
        code = miss["village"]
        county_level = code == data.election.county_id
        values = [
            index,
            "" if county_level else data.townships.get(code[:9], ""),
            "（全县）" if county_level else names.get(code, code),
            code,
            TARGET_LABELS.get(miss["target"], miss["target"]),
            miss["detail"],
        ]
        for column, value in enumerate(values, start=1):
            _safe(sheet, index + 2, column, value).border = BOX
    for column, size in enumerate([6, 14, 16, 14, 26, 40], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = size
