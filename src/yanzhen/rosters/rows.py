"""Reading one roster row (花名册的一行): footer and blank rows told apart from people (`_is_footer`,
`_split_row`), then `RowReader` turning each cell into a value through the readers of columns.py and the
indexes of lookups.py, with a `Problem` per bad cell on the `ParsedRow`. Which person the row is, and what
importing it would change, is planner.py's business.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from yanzhen.people.idcard import IdNumberError, parse_id_number
from yanzhen.people.models import EducationRecord, Person
from yanzhen.rosters import columns as C
from yanzhen.rosters.lookups import PostIndex, SkillIndex, SourceIndex, VillageIndex
from yanzhen.rosters.reader import CellValue, Sheet
from yanzhen.rosters.results import Problem

# A row whose first filled cell begins with one of these is a total or a signature line, not a person.
FOOTER_WORDS = (
    "合计",
    "总计",
    "小计",
    "共计",
    "总人数",
    "填表人",
    "填报人",
    "制表人",
    "审核人",
    "审核",
    "负责人",
    "联系人",
    "填表日期",
    "填报日期",
    "制表日期",
    "填表时间",
    "填报单位",
    "单位盖章",
    "盖章",
    "签字",
    "说明",
    "注:",
    "备注:",
)


# The columns' limits are those of the fields they fill (core.text): a longer cell is the row's problem.
TEXT_LIMITS = {
    "name": Person._meta.get_field("name").max_length,
    "native_place": Person._meta.get_field("native_place").max_length,
    "school": EducationRecord._meta.get_field("school").max_length,
    "major": EducationRecord._meta.get_field("major").max_length,
    "current_post": Person._meta.get_field("notes").max_length,
    "notes": Person._meta.get_field("notes").max_length,
}


@dataclass
class ParsedRow:
    sheet: Sheet
    number: int
    cells: dict[str, CellValue]
    extras: list[tuple[str, str]]
    problems: list[Problem] = field(default_factory=list)
    values: dict[str, object] = field(default_factory=dict)

    def header(self, field_name: str) -> str:
        column = self.sheet.column_for(field_name)
        return column.header if column is not None else C.CANONICAL_HEADERS.get(field_name, field_name)

    def problem(self, field_name: str, message: str) -> None:
        self.problems.append(Problem(self.sheet.name, self.number, self.header(field_name), message))

    def text(self, field_name: str) -> str:
        cell = self.cells.get(field_name)
        if cell is None:
            return ""
        return C.clean(cell.value, keep_punctuation=field_name in C.FREE_TEXT_FIELDS)


def _is_footer(cells: Iterable[CellValue]) -> bool:
    for cell in cells:
        text = C.compact(cell.value)
        if text:
            return text.startswith(FOOTER_WORDS)
    return False


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and C.is_blank(value.strip()))


def _split_row(sheet: Sheet, number: int, cells: tuple) -> ParsedRow | None:
    """The row's cells by field and its unknown columns, or None for a blank row."""
    by_field: dict[str, CellValue] = {}
    extras: list[tuple[str, str]] = []
    for column in sheet.columns:
        cell = cells[column.index] if column.index < len(cells) else CellValue(None)
        if column.field is None:
            text = C.clean(cell.value, keep_punctuation=True)
            if not C.is_blank(text):
                extras.append((column.header, text))
        elif column.field not in C.IGNORED_FIELDS:
            by_field[column.field] = cell
    if not extras and all(_blank(cell.value) for cell in by_field.values()):
        return None
    return ParsedRow(sheet, number, by_field, extras)


class RowReader:
    """Reads the cells of one row into values, noting a problem per bad cell."""

    def __init__(
        self, villages: VillageIndex, posts: PostIndex, sources: SourceIndex, skills: SkillIndex, on
    ):
        self.villages, self.posts, self.sources, self.skills, self.on = villages, posts, sources, skills, on

    def read(self, row: ParsedRow) -> None:
        values = row.values
        for field_name, cell in row.cells.items():
            if cell.formula:
                row.problem(field_name, f"单元格是公式（{str(cell.value)[:30]}），请改为数值后再导入")
        formula_fields = {name for name, cell in row.cells.items() if cell.formula}

        def wanted(field_name: str) -> str | None:
            """The cleaned text of a filled, formula-free cell, else None."""
            if field_name in formula_fields or field_name not in row.cells:
                return None
            text = row.text(field_name)
            return None if C.is_blank(text) else text

        def attempt(field_name: str, reader, *args):
            text = wanted(field_name)
            if text is None:
                return
            try:
                values[field_name] = reader(*args) if args else reader(text)
            except C.ValueProblem as problem:
                row.problem(field_name, str(problem))

        name = wanted("name")
        if name is None:
            if "name" not in formula_fields:
                row.problem("name", "姓名不能为空")
        else:
            values["name"] = "".join(name.split())
        if "id_number" not in formula_fields:
            cell = row.cells.get("id_number")
            try:
                raw = C.read_id_number_cell(cell.value if cell is not None else None)
                if not raw:
                    row.problem("id_number", "身份证号不能为空")
                else:
                    values["id_number"] = parse_id_number(raw)
            except (C.ValueProblem, IdNumberError) as problem:
                row.problem("id_number", str(problem))
        attempt("gender", C.read_gender)
        attempt("ethnicity", C.read_ethnicity)
        attempt("political_status", C.read_political_status)
        attempt("education", C.read_education)
        attempt("degree", C.read_degree)
        attempt("source", self.sources.read)
        attempt("target_posts", self.posts.read)
        for field_name in ("native_place", "school", "major", "current_post", "notes"):
            text = wanted(field_name)
            if text is not None:
                values[field_name] = text
        for field_name, limit in TEXT_LIMITS.items():
            length = len(str(values.get(field_name, "")))
            if length > limit:
                row.problem(field_name, f"不能超过 {limit} 个字（现为 {length} 字）")
                values.pop(field_name)
        skills = wanted("skills")
        if skills is not None:
            values["skills"] = self.skills.read(skills)
        if wanted("phone") is not None:
            values["phone"] = C.read_phone_cell(row.cells["phone"].value)
        for field_name in ("birth", "party_join_date", "entered_pool_on"):
            if wanted(field_name) is None:
                continue
            cell = row.cells[field_name]
            try:
                if field_name == "birth":
                    values[field_name] = C.read_date(cell.value, cell.number_format)
                else:
                    values[field_name] = C.read_single_date(cell.value, cell.number_format)
            except C.ValueProblem as problem:
                row.problem(field_name, str(problem))
        entered = values.get("entered_pool_on")
        if isinstance(entered, C.RosterDate) and entered.to_date() > self.on:
            row.problem("entered_pool_on", f"入库时间 {entered} 不能晚于今天")
            values.pop("entered_pool_on")
        township = None
        township_text = wanted("township")
        if township_text is not None:
            try:
                township = self.villages.township(township_text)
            except C.ValueProblem as problem:
                row.problem("township", str(problem))
        if (
            "village" not in formula_fields
            and "township" not in formula_fields
            and not (township_text is not None and township is None)
        ):
            try:
                values["village"] = self.villages.village(wanted("village") or "", township)
            except C.ValueProblem as problem:
                row.problem("village", str(problem))
