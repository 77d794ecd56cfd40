"""What the xlsx exports and templates share: a workbook as the bytes of its file, a table as a workbook."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook

from yanzhen.core import xlsx


def workbook_bytes(workbook: Workbook) -> bytes:
    """The .xlsx file of `workbook` (a write-only workbook can be saved once only)."""
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_workbook(title: str, header: list[str], rows: list[list]) -> bytes:
    """One sheet named `title`: the header, then the rows, each cell shown as text whatever it begins with
    (core.xlsx: no formula injection)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    xlsx.append(sheet, header)
    for row in rows:
        sheet.append([xlsx.cell(sheet, value) for value in row])
    return workbook_bytes(workbook)
