"""Opening an uploaded roster safely and finding its table.

Safety before openpyxl sees a byte: only .xlsx (a zip package with xl/workbook.xml; .xls, .xlsm and
encrypted files are refused by name), at most ROSTER_MAX_UPLOAD_BYTES, and a zip-bomb check of the total
uncompressed size and of each member's compression ratio. openpyxl parses the XML through defusedxml
(checked at import) and opens the workbook with data_only=False, so a formula arrives as its text and is
never evaluated: the importer treats it as an error.

Then each sheet's header row is found by itself (the first of the top rows that names at least three known
columns, 姓名 and 身份证号 among them), below any title rows and merged cells.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
import zlib
from dataclasses import dataclass, field

import openpyxl
from django.conf import settings
from openpyxl.xml import DEFUSEDXML

from yanzhen.rosters.columns import IGNORED_FIELDS, clean, field_of_header

if not DEFUSEDXML:  # pragma: no cover - defusedxml is a pinned dependency
    raise ImportError("defusedxml must be installed: openpyxl would parse uploaded XML without it")

ZIP_SIGNATURE = b"PK\x03\x04"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and encrypted .xlsx
HEADER_SEARCH_ROWS = 30
REQUIRED_HEADER_FIELDS = ("name", "id_number")
MAX_MEMBERS = 2000


class RosterFileError(ValueError):
    """The file as a whole cannot be imported; the message is Chinese."""


def max_upload_bytes() -> int:
    return getattr(settings, "ROSTER_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def check_package(content: bytes, file_name: str) -> None:
    """Refuse anything but a sane .xlsx before openpyxl parses it."""
    limit = max_upload_bytes()
    if not file_name.lower().endswith(".xlsx"):
        if file_name.lower().endswith(".xls"):
            raise RosterFileError("只接受 .xlsx 文件：请在 Excel 中把旧版 .xls 另存为 .xlsx 后再导入")
        raise RosterFileError("只接受 Excel 2007 及以后的 .xlsx 文件")
    if len(content) > limit:
        raise RosterFileError(f"文件超过 {limit // (1024 * 1024)} MB，请拆分后分批导入")
    if content.startswith(OLE2_SIGNATURE):
        raise RosterFileError("文件已加密或是旧版 .xls 格式：请去掉密码并另存为 .xlsx 后再导入")
    if not content.startswith(ZIP_SIGNATURE):
        raise RosterFileError("文件不是有效的 .xlsx（内容不是 Excel 工作簿）")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise RosterFileError("文件不是有效的 .xlsx（压缩包已损坏）") from None
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        raise RosterFileError("文件不是有效的 .xlsx（缺少 xl/workbook.xml）")
    if "xl/vbaProject.bin" in names:
        raise RosterFileError("文件含宏，不予导入：请另存为不含宏的 .xlsx")
    if len(members) > MAX_MEMBERS:
        raise RosterFileError("文件结构异常（压缩包内文件过多），不予导入")
    total_limit = getattr(settings, "ROSTER_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)
    ratio_limit = getattr(settings, "ROSTER_MAX_COMPRESSION_RATIO", 200)
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > 1024 * 1024 and member.file_size > ratio_limit * max(member.compress_size, 1):
            raise RosterFileError("文件压缩比异常（疑似压缩炸弹），不予导入")
    if total > total_limit:
        raise RosterFileError(f"文件解压后超过 {total_limit // (1024 * 1024)} MB（疑似压缩炸弹），不予导入")


@dataclass
class Column:
    index: int  # 0-based position in the row
    header: str  # the header as the sheet writes it (for messages)
    field: str | None  # None: an unknown column, kept in the notes


@dataclass
class Sheet:
    name: str
    header_row: int
    columns: list[Column]
    # (row number in the sheet, the cells of the row)
    rows: list[tuple[int, tuple]] = field(default_factory=list)

    def column_for(self, field_name: str) -> Column | None:
        return next((column for column in self.columns if column.field == field_name), None)


@dataclass(slots=True)
class CellValue:
    """What the importer needs of a cell: its value, whether it is a formula, its number format."""

    value: object
    formula: bool = False
    number_format: str = "General"


def _cell(cell, formats: dict[int, str]) -> CellValue:
    """A cell of a read-only sheet; `formats` caches each style's number format (a property openpyxl looks up
    through the style array on every call, for each of a roster's 180,000 cells)."""
    style = getattr(cell, "_style_id", None)
    if style is None:  # an empty cell
        number_format = getattr(cell, "number_format", "General") or "General"
    else:
        number_format = formats.get(style) or formats.setdefault(style, cell.number_format or "General")
    return CellValue(getattr(cell, "value", None), getattr(cell, "data_type", None) == "f", number_format)


def _header_columns(cells) -> list[Column] | None:
    columns = []
    for index, cell in enumerate(cells):
        header = clean(cell.value)
        if not header:
            continue
        columns.append(Column(index, "".join(header.split()), field_of_header(header)))
    known = {column.field for column in columns if column.field}
    if len(known) >= 3 and all(required in known for required in REQUIRED_HEADER_FIELDS):
        return columns
    return None


def open_workbook(content: bytes):
    """The workbook of a package `check_package` accepted, read-only, formulas kept as their text (never
    evaluated). The caller closes it."""
    try:
        return openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as broken:  # noqa: BLE001  (openpyxl raises many kinds on a malformed package)
        raise RosterFileError(f"文件不是有效的 Excel 工作簿（无法读取：{type(broken).__name__}）") from None


def sheet_rows(worksheet):
    """(row number in the sheet, the cells of the row as `CellValue`s) of every row of a worksheet."""
    rows = enumerate(worksheet.iter_rows(), start=1)
    formats: dict[int, str] = {}
    while True:
        # A read-only sheet is parsed as it is walked: a malformed part (a lone surrogate `&#xD800;`, broken
        # XML, a truncated member) fails here, mid-walk, and is refused like a package that does not open.
        try:
            number, row = next(rows)
        except StopIteration:
            return
        except (
            SyntaxError,
            ValueError,
            KeyError,
            EOFError,
            OSError,
            zipfile.BadZipFile,
            zlib.error,
        ) as broken:
            raise RosterFileError(
                f"文件不是有效的 Excel 工作簿（无法读取：{type(broken).__name__}）"
            ) from None
        yield number, tuple([_cell(cell, formats) for cell in row])


def read_workbook(content: bytes) -> list[Sheet]:
    """Every sheet that holds a roster table, with its header and its rows (blank rows included)."""
    workbook = open_workbook(content)
    sheets = []
    try:
        for worksheet in workbook.worksheets:
            if getattr(worksheet, "sheet_state", "visible") != "visible":
                continue
            sheet: Sheet | None = None
            for number, cells in sheet_rows(worksheet):
                if sheet is None:
                    if number > HEADER_SEARCH_ROWS:
                        break
                    columns = _header_columns(cells)
                    if columns is not None:
                        sheet = Sheet(worksheet.title, number, columns)
                    continue
                sheet.rows.append((number, cells))
            if sheet is not None:
                sheets.append(sheet)
    finally:
        workbook.close()
    if not sheets:
        raise RosterFileError(
            f"找不到表头行：前 {HEADER_SEARCH_ROWS} 行中没有同时含“姓名”和“身份证号”的行（请检查列名）"
        )
    for sheet in sheets:
        fields = [
            column.field for column in sheet.columns if column.field and column.field not in IGNORED_FIELDS
        ]
        repeated = sorted({f for f in fields if fields.count(f) > 1})
        if repeated:
            headers = "、".join(column.header for column in sheet.columns if column.field in repeated)
            raise RosterFileError(f"工作表“{sheet.name}”有含义相同的重复列：{headers}")
    return sheets
