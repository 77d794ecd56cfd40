"""Reports filed upward, as xlsx in the usual Chinese layout: the structure table (结构统计表) and the roster
(花名册). Both come from the same figures and lists as the pages; personal numbers appear masked only.

The sheets are administrative documents in Chinese whatever the interface language.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from yanzhen.core import xlsx
from yanzhen.divisions.models import Division
from yanzhen.stats import figures, selectors
from yanzhen.stats.figures import Scope

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
PERCENT = "0.00%"

# (header of the band, path into the figures) for the count-and-share columns.
BANDS = [
    ("年龄结构", "35岁以下", ("age", "under_35")),
    ("年龄结构", "35至50岁", ("age", "35_to_50")),
    ("年龄结构", "50岁以上", ("age", "over_50")),
    ("学历结构", "大专及以上", ("education", "college_or_above")),
    ("学历结构", "中专及以下", ("education", "secondary_or_below")),
    ("性别结构", "男", ("gender", "male")),
    ("性别结构", "女", ("gender", "female")),
    ("政治面貌", "中共党员（含预备党员）", ("party_members",)),
]


def chinese_date(on) -> str:
    return f"{on.year}年{on.month}月{on.day}日"


def _safe(sheet, row: int, column: int, value):
    """The cell at (row, column) holding `value`, text kept text (core.xlsx: no formula injection)."""
    return xlsx.harden(sheet.cell(row, column, value))


def structure_rows(scope: Scope) -> list[tuple[str, dict]]:
    """(unit name, figures) for each child division and the total, from the one definition of the figures."""
    rows = []
    for child in selectors.children(scope):
        rows.append((child.division.name, figures.figures_for(scope.with_division(child.division))))
    rows.append(("合计", figures.figures_for(scope)))
    return rows


def _band(result: dict, path: tuple[str, ...]) -> dict:
    entry = result["reserves"]
    for key in path:
        entry = entry[key]
    return entry


# The three header rows of the structure table: group, band, 人数/占比.
HEADER_TOP, HEADER_BAND, HEADER_UNIT = 3, 4, 5


def structure_workbook(scope: Scope, issued_by: str = "") -> bytes:
    rows = structure_rows(scope)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "结构统计表"
    width = 4 + 2 * len(BANDS) + 2
    title = f"{scope.division.name}村级后备力量结构统计表"
    _safe(sheet, 1, 1, title).font = Font(size=16, bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).alignment = CENTRE
    _safe(sheet, 2, 1, f"填报单位：{issued_by or scope.division.name}")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width // 2)
    sheet.cell(2, width // 2 + 1, f"统计日期：{chinese_date(scope.as_of)}")
    sheet.merge_cells(start_row=2, start_column=width // 2 + 1, end_row=2, end_column=width)
    sheet.cell(2, width // 2 + 1).alignment = Alignment(horizontal="right")
    _structure_header(sheet)
    row_number = _structure_body(sheet, rows, width)
    for row in sheet.iter_rows(min_row=HEADER_TOP, max_row=row_number - 1, max_col=width):
        for cell in row:
            cell.border = BOX
            if cell.row <= HEADER_UNIT:
                cell.alignment = CENTRE
                cell.font = Font(bold=True)
    sheet.cell(
        row_number + 1,
        1,
        "说明：年龄按统计日期计算周岁；大专及以上为 GB/T 4658 代码 10–33；占比为占后备力量总数的比例，四舍五入保留两位小数。",
    )
    sheet.column_dimensions["A"].width = 16
    for column in range(2, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 9
    sheet.freeze_panes = sheet.cell(HEADER_UNIT + 1, 2)
    return _bytes(workbook)


def _structure_header(sheet) -> None:
    """The three header rows; the first four columns span all three."""
    for column, text in enumerate(["单位", "村（村委会）数", "后备力量总数", "村均人数"], start=1):
        sheet.cell(HEADER_TOP, column, text)
        sheet.merge_cells(start_row=HEADER_TOP, start_column=column, end_row=HEADER_UNIT, end_column=column)
    column = 5
    groups: dict[str, list[int]] = {}
    for group, band, _path in BANDS:
        groups.setdefault(group, []).append(column)
        sheet.cell(HEADER_BAND, column, band)
        sheet.merge_cells(
            start_row=HEADER_BAND, start_column=column, end_row=HEADER_BAND, end_column=column + 1
        )
        sheet.cell(HEADER_UNIT, column, "人数")
        sheet.cell(HEADER_UNIT, column + 1, "占比")
        column += 2
    for group, columns in groups.items():
        sheet.cell(HEADER_TOP, columns[0], group)
        sheet.merge_cells(
            start_row=HEADER_TOP, start_column=columns[0], end_row=HEADER_TOP, end_column=columns[-1] + 1
        )
    sheet.cell(HEADER_TOP, column, "一村一职一备")
    sheet.merge_cells(start_row=HEADER_TOP, start_column=column, end_row=HEADER_TOP, end_column=column + 1)
    sheet.cell(HEADER_BAND, column, "达标村数")
    sheet.merge_cells(start_row=HEADER_BAND, start_column=column, end_row=HEADER_UNIT, end_column=column)
    sheet.cell(HEADER_BAND, column + 1, "覆盖率")
    sheet.merge_cells(
        start_row=HEADER_BAND, start_column=column + 1, end_row=HEADER_UNIT, end_column=column + 1
    )


def _structure_body(sheet, rows, width: int) -> int:
    """One line per unit under the header, the total in bold; returns the first row after them."""
    row_number = HEADER_UNIT + 1
    for name, result in rows:
        reserves = result["reserves"]
        values: list = [name, reserves["villages"], reserves["total"], reserves["per_village"]]
        for _group, _band_name, path in BANDS:
            entry = _band(result, path)
            values += [entry["count"], entry["pct"] / 100]
        values += [result["coverage"]["villages_covered"], result["coverage"]["pct"] / 100]
        for column, value in enumerate(values, start=1):
            cell = _safe(sheet, row_number, column, value)
            if column > 4 and (column - 5) % 2 == 1 or column == width:
                cell.number_format = PERCENT
        if name == "合计":
            for column in range(1, width + 1):
                sheet.cell(row_number, column).font = Font(bold=True)
        row_number += 1
    return row_number


ROSTER_HEADER = [
    "序号",
    "乡镇（街道）",
    "村（社区）",
    "姓名",
    "性别",
    "民族",
    "出生年月",
    "年龄",
    "政治面貌",
    "学历",
    "来源",
    "拟培养岗位",
    "入库时间",
    "成熟度",
    "身份证号（脱敏）",
    "手机号码（脱敏）",
]


def roster_workbook(scope: Scope, rows: list[selectors.PersonRow]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    width = len(ROSTER_HEADER)
    _safe(sheet, 1, 1, f"{scope.division.name}村级后备力量花名册").font = Font(size=16, bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).alignment = CENTRE
    sheet.cell(2, 1, f"截至 {chinese_date(scope.as_of)}，共 {len(rows)} 人")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    for column, text in enumerate(ROSTER_HEADER, start=1):
        cell = sheet.cell(3, column, text)
        cell.font = Font(bold=True)
        cell.alignment = CENTRE
        cell.border = BOX
    for index, row in enumerate(rows, start=1):
        values = [
            index,
            row.township,
            row.village,
            row.name,
            row.gender_label,
            row.ethnicity,
            f"{row.birth_date:%Y.%m}",
            row.age,
            row.political_status_label,
            row.education_label,
            row.source,
            row.reserve_for,
            f"{row.entered_pool_on:%Y.%m.%d}" if row.entered_pool_on else "",
            row.readiness,
            row.id_number_masked,
            row.phone_masked,
        ]
        for column, value in enumerate(values, start=1):
            _safe(sheet, index + 3, column, value).border = BOX
    for column, size in enumerate([6, 14, 16, 10, 5, 8, 9, 5, 12, 14, 16, 30, 11, 12, 20, 14], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = size
    sheet.freeze_panes = "A4"
    return _bytes(workbook)


def _bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def issued_by(user) -> str:
    division = getattr(user, "division", None)
    return division.name if isinstance(division, Division) else ""
