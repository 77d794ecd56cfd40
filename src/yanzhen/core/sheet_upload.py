"""What the imports of the app's own Excel templates share (the incumbents' monthly scores, the election's
replies and results): a problem at its row and column, the outcome, the header's search and check.

The upload itself is opened by the rosters' safe reader (`rosters.reader`); the template's first column
names the record of each row, and the workbook's keywords mark what the template is for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from openpyxl.utils import get_column_letter

from yanzhen.rosters.reader import open_workbook, sheet_rows

HEADER_SEARCH_ROWS = 10


@dataclass
class Problem:
    """One reason the file is refused: where (sheet row, column) and why, in Chinese. `COLUMN` and `HEADER`:
    how the column and its header are written after the row."""

    row: int | None
    column: int | None  # 0-based
    header: str
    reason: str

    COLUMN: ClassVar[str] = " {letter} 列"
    HEADER: ClassVar[str] = "“{header}”"

    def __str__(self) -> str:
        if self.row is None:
            return self.reason
        where = f"第 {self.row} 行"
        if self.column is not None:
            where += self.COLUMN.format(letter=get_column_letter(self.column + 1))
            if self.header:
                where += self.HEADER.format(header=self.header)
        return f"{where}：{self.reason}"


@dataclass
class ImportOutcome:
    problems: list[Problem] = field(default_factory=list)
    saved: int = 0  # the records saved (or that a dry run would save)

    @property
    def messages(self) -> list[str]:
        return [str(problem) for problem in self.problems]

    @property
    def ok(self) -> bool:
        return not self.problems


def same(text) -> str:
    """A header as compared: no whitespace, half-width brackets as the template's full-width ones."""
    return "".join(str(text or "").split()).replace("(", "（").replace(")", "）")


def shown(value) -> str:
    """A cell's value as quoted in a message: at most 20 characters."""
    text = str(value).strip()
    return text if len(text) <= 20 else text[:20] + "…"


def blank(cell) -> bool:
    """A cell missing, empty or only white space."""
    return cell is None or cell.value is None or (isinstance(cell.value, str) and not cell.value.strip())


def record_id(value, tidy: Callable[[str], str] = str.strip) -> int | None:
    """The record id a first column holds (a whole number, also as a float or as text tidied by `tidy`)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and tidy(value).isdigit():
        return int(tidy(value))
    return None


def read_rows(content: bytes, first_header: str, mark_of: Callable) -> tuple:
    """`mark_of(workbook)` (what the template says it is for) and the rows, from the header down, of the first
    visible sheet with a header beginning with `first_header` in its first rows (None: no header found)."""
    workbook = open_workbook(content)
    try:
        marked = mark_of(workbook)
        for worksheet in workbook.worksheets:
            if getattr(worksheet, "sheet_state", "visible") != "visible":
                continue
            rows: list[tuple[int, tuple]] | None = None
            for number, cells in sheet_rows(worksheet):
                if rows is not None:
                    rows.append((number, cells))
                elif number > HEADER_SEARCH_ROWS:
                    break
                elif cells and same(cells[0].value) == first_header:
                    rows = [(number, cells)]
            if rows is not None:
                return marked, rows
        return marked, None
    finally:
        workbook.close()


def header_problems(
    number: int,
    cells: tuple,
    expected: list[str],
    *,
    extra: str,
    summary: str,
    problem: type[Problem] = Problem,
    named: bool = False,
) -> list[Problem]:
    """The header row's differences from `expected`, each at its column (`named`: with the header expected),
    `extra` for a column too many (formatted with `have`), the whole introduced by `summary`."""
    found = [same(cell.value) for cell in cells]
    while found and not found[-1]:
        found.pop()
    problems: list[Problem] = []
    for column in range(max(len(expected), len(found))):
        want = expected[column] if column < len(expected) else ""
        have = found[column] if column < len(found) else ""
        if want and same(want) != have:
            problems.append(
                problem(number, column, want if named else "", f"表头应为“{want}”，实为“{have or '空'}”")
            )
        elif not want and have:
            problems.append(problem(number, column, "", extra.format(have=have)))
    if problems:
        problems.insert(0, problem(None, None, "", summary))
    return problems
