"""The one way the app writes a spreadsheet cell: text never becomes a formula (OWASP "CSV/formula injection").

A text beginning with = + - @ (or a tab or carriage return, which some spreadsheets skip before reading a
formula) is written as a string cell carrying the quote-prefix style: Excel and LibreOffice show the text as
it is (no visible apostrophe) and keep it text even when a user edits the cell and presses Enter. Numbers
and dates are untouched. Every xlsx export goes through `cell` (write-only sheets), `append` (any sheet) or
`harden` (a cell already placed on a normal sheet); tests/test_xlsx_exports.py walks every export URL.
A finished workbook goes out as `download` (the xlsx type, the Chinese file name with an ASCII fallback).
"""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def content_disposition(filename: str, fallback: str) -> str:
    """attachment with an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 5987) for Chinese."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def download(content: bytes, filename: str, fallback: str) -> HttpResponse:
    """A workbook as a download named `filename` (`fallback` for clients without UTF-8 names)."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition(filename, fallback)
    return response


def is_risky(value) -> bool:
    """A text a spreadsheet could take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def harden(target):
    """Make a placed cell (write-only or normal) hold its text as text; returns the cell."""
    value = target.value
    if isinstance(value, str):
        target.data_type = "s"  # never "f", whatever the text begins with
        if value.startswith(FORMULA_STARTS):
            target.quotePrefix = True
    return target


def cell(sheet, value, **styles) -> Cell:
    """A write-only cell for `value`, safe as above; `styles` (font=…, alignment=…) are set on it."""
    if isinstance(value, Cell):
        return harden(value)
    made = WriteOnlyCell(sheet, value=value)
    for name, style in styles.items():
        setattr(made, name, style)
    return harden(made)


def append(sheet, values) -> None:
    """`sheet.append(values)` with every text cell safe, for write-only and normal sheets alike."""
    values = list(values)
    if isinstance(sheet, WriteOnlyWorksheet):
        sheet.append([cell(sheet, value) for value in values])
        return
    sheet.append(values)
    for placed in sheet[sheet.max_row]:
        harden(placed)
