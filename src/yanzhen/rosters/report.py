"""The import report (.xlsx): a summary, every error with row, column and reason, and every row's outcome.

Its cells follow the one rule of every spreadsheet we write (core.xlsx): a text beginning with = + - @ is a
quote-prefixed string cell, never a formula (the importer still takes off a leading apostrophe typed by hand).
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from yanzhen.core import xlsx


def text_cell(sheet, value, bold: bool = False) -> WriteOnlyCell:
    """A cell kept text whatever it begins with (core.xlsx: no formula injection)."""
    return xlsx.cell(sheet, value, **({"font": Font(bold=True)} if bold else {}))


def _append(sheet, values, bold: bool = False) -> None:
    sheet.append([text_cell(sheet, value, bold) for value in values])


def build_report(result) -> bytes:
    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet("摘要")
    for line in result.summary_lines()[:3]:
        _append(summary, [line])
    _append(summary, [])
    for label, value in (
        ("文件", result.file_name),
        ("SHA-256", result.sha256),
        ("导入区划", f"{result.division_name}（{result.division_code}）"),
        ("试运行", "是" if result.dry_run else "否"),
        ("结果", "成功" if result.ok else "失败，未写入任何数据"),
        ("数据行", result.data_rows),
        ("新建人员", result.persons_created),
        ("更新人员", result.persons_updated),
        ("新建在库后备", result.candidacies_created),
        ("更新在库后备", result.candidacies_updated),
        ("无变化", result.unchanged),
        ("错误", len(result.problems)),
    ):
        _append(summary, [label, value])
    errors = workbook.create_sheet("错误")
    errors.column_dimensions["D"].width = 80
    _append(errors, ["工作表", "行号", "列", "原因"], bold=True)
    for problem in result.problems:
        _append(
            errors,
            [problem.sheet, problem.row if problem.row is not None else "—", problem.column, problem.message],
        )
    rows = workbook.create_sheet("逐行结果")
    rows.column_dimensions["G"].width = 80
    _append(rows, ["工作表", "行号", "姓名", "身份证号", "村", "结果", "说明"], bold=True)
    for row in result.rows:
        _append(rows, [row.sheet, row.row, row.name, row.id_masked, row.village, row.outcome, row.detail])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
