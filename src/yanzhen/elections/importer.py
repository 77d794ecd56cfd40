"""The election's two Excel round trips: a department's joint-review replies (资格联审意见) and the results of
many villages (选举结果), each a template written by the app and its import.

The templates: one row per standing candidate (replies) or per committee seat of each village not yet elected
(results), for the election and the user's jurisdiction (optionally one township). The first column is the
record's id (人选编号, 席位编号), how the import finds each row; the sheet is protected so that only the
columns to fill can be typed in (a clerk can still unprotect it, so the import checks everything again). The
workbook's keywords name the kind and the election, so the template of another election is refused.

The import: the rosters' safe reader first (.xlsx only, size limit, zip-bomb check, defusedxml, formulas
never evaluated), then every row is read and checked; each problem is reported as
"第 N 行 第 X 列（列名）：…" and, when there is any, nothing is written. A row whose columns to fill are all
blank is skipped. The write itself goes through the services, all or nothing: `services.record_replies`
(with the department chosen in the upload form) and `services.record_many_results` (rows grouped per village;
its per-village errors are shown with the village's rows).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from yanzhen.core import crypto, sheet_upload, xlsx
from yanzhen.core.api_errors import Conflict
from yanzhen.core.exports_xlsx import workbook_bytes
from yanzhen.core.guards import today
from yanzhen.core.sheet_upload import HEADER_SEARCH_ROWS, ImportOutcome
from yanzhen.core.sheet_upload import blank as _blank
from yanzhen.core.sheet_upload import shown as _shown
from yanzhen.divisions.models import Division
from yanzhen.elections import services
from yanzhen.elections.models import (
    Candidate,
    CandidateStatus,
    Election,
    ElectionState,
    Result,
    ReviewDepartment,
    SlateNotice,
)
from yanzhen.elections.rules import CHAIR, MEMBER, committee_post_codes
from yanzhen.people.idcard import IdNumberError, parse_id_number
from yanzhen.people.models import Person
from yanzhen.posts.models import Seat
from yanzhen.rosters.columns import ValueProblem, clean, compact, read_single_date
from yanzhen.rosters.reader import RosterFileError, check_package

HEADER_ROW = 3  # the title, the instructions, then the header
LOCKED_FILL = PatternFill("solid", fgColor="EEEEEE")
DATE_FORMAT = "yyyy-mm-dd"
# Written in the workbook's keywords with the election's id: "yanzhen-election-replies 12".
REPLIES_MARK = "yanzhen-election-replies"
RESULTS_MARK = "yanzhen-election-results"

REPLIES_SHEET = "资格联审意见"
REPLIES_HEADER = ["人选编号", "村", "姓名", "身份证号", "拟任职位", "联审意见", "理由", "回复日期"]
R_ID, R_VILLAGE, R_NAME, R_ID_NUMBER, R_POST, R_OPINION, R_REASON, R_DATE = range(8)
PASSED, FAILED = "通过", "不通过"
OPINIONS = {PASSED: True, FAILED: False, "未通过": False}

RESULTS_SHEET = "选举结果"
CANDIDATES_SHEET = "候选人"
RESULTS_HEADER = [
    "席位编号",
    "村",
    "职位",
    "席位号",
    "当选人姓名",
    "人选编号或身份证号",
    "得票数",
    "选举日期",
]
S_ID, S_VILLAGE, S_POST, S_NUMBER, S_NAME, S_WHO, S_VOTES, S_DATE = range(8)
CANDIDATES_HEADER = ["人选编号", "村", "姓名", "身份证号", "拟任职位"]

# Each kind of template by its mark: the sheet, what it holds, the header, the first column to fill.
TEMPLATES = {
    REPLIES_MARK: (REPLIES_SHEET, "资格联审意见", REPLIES_HEADER, R_OPINION),
    RESULTS_MARK: (RESULTS_SHEET, "选举结果", RESULTS_HEADER, S_NAME),
}

# The states as the county calls them (the messages do not depend on the interface's language).
STATE_NAMES: dict[str, str] = {
    ElectionState.PREPARING: "筹备",
    ElectionState.VOTING: "选举中",
    ElectionState.DONE: "已完成",
}
# A candidate id is short; an ID number has 15 or 18 characters.
CANDIDATE_ID_MAX_DIGITS = 10


# -- common --------------------------------------------------------------------------------------------------


class Problem(sheet_upload.Problem):
    """One reason the file is refused: "第 N 行 第 X 列（列名）：…"."""

    COLUMN = " 第 {letter} 列"
    HEADER = "（{header}）"


def place_name(division: Division | None, election: Election) -> str:
    return division.name if division is not None else election.county.name


def _post_name(candidate: Candidate) -> str:
    return candidate.post_type.name + ("（一肩挑）" if candidate.also_chair else "")


def _title_cells(sheet, title: str, notes: str, width: int) -> None:
    xlsx.harden(sheet.cell(1, 1, title)).font = Font(bold=True, size=14)
    cell = xlsx.harden(sheet.cell(2, 1, notes))
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[2].height = 60
    for row in (1, 2):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _header_cells(sheet, header: list[str], locked: int) -> None:
    for column, title in enumerate(header, start=1):
        cell = xlsx.harden(sheet.cell(HEADER_ROW, column, title))
        cell.font = Font(bold=True)
        if column <= locked:
            cell.fill = LOCKED_FILL


def _data_row(sheet, number: int, values: list, locked: int, width: int) -> None:
    for column, value in enumerate(values, start=1):
        cell = xlsx.harden(sheet.cell(number, column, value))
        cell.fill = LOCKED_FILL
    for column in range(locked + 1, width + 1):
        cell = sheet.cell(number, column)
        cell.protection = Protection(locked=False)


def _protect(sheet, widths: list[int], locked: int) -> None:
    for column, size in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = size
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, locked + 1)
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _template(
    election: Election, place: str, mark: str, notes: str, rows: list[list], widths: list[int], by: str = ""
) -> tuple[Workbook, Worksheet, int, int]:
    """A template's workbook marked with its kind and the election: the title (with `by`), the notes, the
    header and the locked columns of each row; the sheet protected. Also the first and last data rows."""
    sheet_title, what, header, locked = TEMPLATES[mark]
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = sheet_title
    workbook.properties.title = f"{election} {what}（{place}）"
    workbook.properties.keywords = f"{mark} {election.pk}"
    _title_cells(sheet, workbook.properties.title + (f"：{by}" if by else ""), notes, len(header))
    _header_cells(sheet, header, locked)
    for number, values in enumerate(rows, start=HEADER_ROW + 1):
        _data_row(sheet, number, values, locked, len(header))
    _protect(sheet, widths, locked)
    return workbook, sheet, HEADER_ROW + 1, HEADER_ROW + len(rows)


def _validate(sheet, column: int, first: int, last: int, **rule_options) -> None:
    """A data validation of the column's rows `first`..`last` (blank allowed, an error shown)."""
    letter = get_column_letter(column)
    rule = DataValidation(allow_blank=True, showErrorMessage=True, **rule_options)
    rule.add(f"{letter}{first}:{letter}{last}")
    sheet.add_data_validation(rule)


def _date_column(sheet, column: int, first: int, last: int, label: str) -> None:
    for number in range(first, last + 1):
        sheet.cell(number, column).number_format = DATE_FORMAT
    _validate(
        sheet,
        column,
        first,
        last,
        type="date",
        operator="greaterThan",
        formula1="36526",  # 2000-01-01
        errorTitle=f"{label}无效",
        error=f"请填写{label}，如 2026-09-10",
    )


def _candidate_values(candidate: Candidate) -> list:
    """The columns that name a candidate: id, village, name, masked ID number, post."""
    return [
        candidate.pk,
        candidate.village.name,
        candidate.person.name,
        candidate.person.id_number_masked,
        _post_name(candidate),
    ]


def _record_id(value) -> int | None:
    return sheet_upload.record_id(value, compact)


def _mark(workbook) -> tuple[str, str] | None:
    keywords = (getattr(workbook.properties, "keywords", None) or "").split()
    if len(keywords) == 2:
        return keywords[0], keywords[1]
    return None


def _open_upload(
    content: bytes, file_name: str, election: Election, mark: str, header: list[str], what: str
) -> tuple[list[tuple[int, list]], list[sheet_upload.Problem]]:
    """The data rows (padded to the header's width) of a checked upload, or the problems of the whole file."""
    try:
        check_package(content, file_name)
        marked, rows = sheet_upload.read_rows(content, header[0], _mark)
    except RosterFileError as refused:
        return [], [Problem(None, None, "", str(refused))]
    if marked is not None and marked[0] in (REPLIES_MARK, RESULTS_MARK):
        if marked[0] != mark:
            other = "选举结果" if marked[0] == RESULTS_MARK else "资格联审意见"
            return [], [Problem(None, None, "", f"此表是{other}模板，不是{what}模板：请重新下载模板")]
        if marked[1] != str(election.pk):
            return [], [
                Problem(None, None, "", f"此表是另一次换届的{what}模板，不是{election}的：请重新下载模板")
            ]
    if rows is None:
        return [], [
            Problem(
                None,
                None,
                "",
                f"找不到表头行：前 {HEADER_SEARCH_ROWS} 行中没有以“{header[0]}”开头的行（请使用下载的模板）",
            )
        ]
    header_number, header_cells = rows[0]
    problems = sheet_upload.header_problems(
        header_number,
        header_cells,
        header,
        extra="多出的列“{have}”，请使用下载的模板",
        summary="表头与模板不符，请重新下载模板后填写",
        problem=Problem,
        named=True,
    )
    if problems:
        return [], problems
    data = []
    for number, cells in rows[1:]:
        values = list(cells[: len(header)])
        values += [None] * (len(header) - len(values))
        data.append((number, values))
    return data, []


def _state_refusal(election: Election, mark: str) -> str | None:
    """Why the election's state refuses the upload: replies until it is done, results while voting."""
    if mark == REPLIES_MARK:
        return "换届已完成，不能再登记联审意见" if election.state == ElectionState.DONE else None
    if election.state != ElectionState.VOTING:
        return f"换届处于“{STATE_NAMES.get(election.state, election.state)}”阶段，不能录入选举结果"
    return None


def _begin(
    content: bytes, file_name: str, election: Election, mark: str
) -> tuple[_Sheet, list[tuple[int, list]], list[sheet_upload.Problem]]:
    """The upload's sheet and its filled rows, or the problems of the whole file (the election's state first)."""
    _sheet_title, what, header, first_input = TEMPLATES[mark]
    sheet = _Sheet(header)
    refusal = _state_refusal(election, mark)
    if refusal is not None:
        return sheet, [], [Problem(None, None, "", refusal)]
    data, problems = _open_upload(content, file_name, election, mark, header, what)
    return sheet, _filled(data, first_input), problems


def _by_pk(records: QuerySet, filled: list[tuple[int, list]]) -> dict:
    """The records the filled rows' first column names, by id."""
    return {record.pk: record for record in records.filter(pk__in=_ids(filled))}


class _Sheet:
    """The problems of one sheet, each at most once per cell."""

    def __init__(self, header: list[str]):
        self.header = header
        self.problems: list[sheet_upload.Problem] = []
        self.flagged: set[tuple[int, int]] = set()

    def add(self, number: int, column: int, reason: str) -> None:
        if (number, column) in self.flagged:
            return
        self.flagged.add((number, column))
        self.problems.append(Problem(number, column, self.header[column], reason))

    def formulas(self, number: int, values: list) -> bool:
        found = False
        for column, cell in enumerate(values):
            if cell is not None and cell.formula:
                self.add(number, column, "不能使用公式，请直接填写")
                found = True
        return found

    def problems_of(self, filled: list, nothing_filled: str) -> list[sheet_upload.Problem]:
        """The problems in the sheet's order; `nothing_filled` when no row was filled in (and none found)."""
        problems = sorted(self.problems, key=lambda p: (p.row or 0, -1 if p.column is None else p.column))
        if not filled and not problems:
            problems.append(Problem(None, None, "", nothing_filled))
        return problems


def _date(cell, label: str) -> date:
    """A date cell: an Excel date, or text such as 2026-09-10, 2026/9/10, 2026年9月10日, 20260910."""
    found = read_single_date(cell.value, cell.number_format)
    if found.day is None:
        raise ValueProblem(f"{label}须写到日，如 {found.year}-{found.month:02d}-10")
    return found.to_date()


def _text(cell) -> str:
    return "" if _blank(cell) else clean(cell.value, keep_punctuation=True)


def _name(cell) -> str:
    return "" if _blank(cell) else compact(cell.value)


# -- the department's replies: the template --------------------------------------------------------------------


def reviewable_candidates(actor, election: Election, township: Division | None = None) -> QuerySet[Candidate]:
    """The candidates a department can still reply on: standing, in a village whose slate is not publicised
    and has no results, inside the actor's jurisdiction (and the township)."""
    found = (
        Candidate.objects.restrict(actor)
        .filter(election=election, status=CandidateStatus.PROPOSED)
        .exclude(village_id__in=SlateNotice.objects.filter(election=election).values("village_id"))
        .exclude(village_id__in=Result.objects.filter(election=election).values("village_id"))
        .select_related("village", "person", "post_type")
        .order_by("village_id", "post_type__order", "id")
    )
    if township is not None:
        found = found.filter(village__code__startswith=township.code)
    return found


def build_replies_template(
    election: Election,
    place: str,
    candidates: Sequence[Candidate],
    department: ReviewDepartment | None = None,
) -> bytes:
    workbook, sheet, first, last = _template(
        election,
        place,
        REPLIES_MARK,
        "说明：A 列“人选编号”用于导入时找到对应的人选，请勿修改；“联审意见”填“通过”或“不通过”，不通过须填写理由；"
        "“回复日期”填写如 2026-09-10，不能晚于今天。联审意见、理由、回复日期都不填的人选本次不导入。"
        "导入时选择联审部门；有一行不对则整表不导入。已公示或已录入选举结果的村不在表中。",
        [_candidate_values(candidate) for candidate in candidates],
        [10, 16, 10, 22, 18, 12, 36, 14],
        department.name if department is not None else "联审部门",
    )
    if candidates:
        _validate(
            sheet,
            R_OPINION + 1,
            first,
            last,
            type="list",
            formula1=f'"{PASSED},{FAILED}"',
            errorTitle="联审意见无效",
            error="联审意见须为“通过”或“不通过”",
        )
        _date_column(sheet, R_DATE + 1, first, last, "回复日期")
    return workbook_bytes(workbook)


# -- the department's replies: the import ----------------------------------------------------------------------


def _filled(data: list[tuple[int, list]], first_input: int) -> list[tuple[int, list]]:
    """The rows with anything typed in the columns to fill (the others are not imported)."""
    return [(number, values) for number, values in data if not all(_blank(c) for c in values[first_input:])]


def _ids(filled: list[tuple[int, list]]) -> set[int]:
    found = {_record_id(values[0].value) for _number, values in filled if not _blank(values[0])}
    return {pk for pk in found if pk is not None}


def _record(
    sheet: _Sheet, number: int, values: list, records: dict, row_of: dict[int, int], label: str, use: str
):
    """The record the row's first column names (人选编号, 席位编号), once in the sheet, else None (reported)."""
    cell = values[0]
    if _blank(cell):
        sheet.add(number, 0, f"缺少{label}：请勿删除此列，它用于找到对应的{use}")
        return None
    pk = _record_id(cell.value)
    if pk is None:
        sheet.add(number, 0, f"{label}“{_shown(cell.value)}”无效：请勿修改此列")
        return None
    record = records.get(pk)
    if record is None:
        sheet.add(number, 0, f"{label} {pk} 不存在或不在您的辖区内")
        return None
    if pk in row_of:
        sheet.add(number, 0, f"{label} {pk} 与第 {row_of[pk]} 行重复")
        return None
    row_of[pk] = number
    return record


def _rows(sheet: _Sheet, filled: list[tuple[int, list]], records: dict, label: str, use: str) -> Iterator:
    """Each filled row (its formulas reported) with the record it names, when found once in the sheet."""
    row_of: dict[int, int] = {}
    for number, values in filled:
        sheet.formulas(number, values)
        record = _record(sheet, number, values, records, row_of, label, use)
        if record is not None:
            yield number, values, record


class _Reviewable:
    """Why a candidate of the upload can no longer take a reply (withdrawn, slate publicised, results)."""

    def __init__(self, election: Election, candidates: dict[int, Candidate]):
        villages = {candidate.village_id for candidate in candidates.values()}
        notices = SlateNotice.objects.filter(election=election, village_id__in=villages)
        self.publicised = set(notices.values_list("village_id", flat=True))
        results = Result.objects.filter(election=election, village_id__in=villages)
        self.elected = set(results.values_list("village_id", flat=True))

    def refusal(self, candidate: Candidate) -> str | None:
        if candidate.status != CandidateStatus.PROPOSED:
            return f"{candidate.person.name}已退出，不能再登记联审意见"
        if candidate.village_id in self.elected:
            return f"{candidate.village.name}已录入选举结果，不能再登记联审意见"
        if candidate.village_id in self.publicised:
            return f"{candidate.village.name}的候选人已公示，不能再修改联审意见"
        return None


def _opinion(sheet: _Sheet, number: int, cell) -> tuple[bool | None, bool]:
    """The opinion (None when blank or unreadable) and whether it was unreadable (reported)."""
    if _blank(cell):
        return None, False
    opinion = compact(cell.value)
    passed = OPINIONS.get(opinion)
    if passed is None:
        sheet.add(number, R_OPINION, f"联审意见须为“通过”或“不通过”，实为“{_shown(opinion)}”")
        return None, True
    return passed, False


def _date_cell(sheet: _Sheet, number: int, column: int, cell, label: str) -> tuple[date | None, bool]:
    """The date (None when blank or unreadable) and whether it was unreadable (reported)."""
    if _blank(cell):
        return None, False
    try:
        return _date(cell, label), False
    except ValueProblem as problem:
        sheet.add(number, column, str(problem))
        return None, True


def _reply(sheet: _Sheet, number: int, values: list, candidate: Candidate) -> services.ReplyRow | None:
    """The row's reply, checked by the service's own rules (`reply_errors`), each message at its column."""
    name = _name(values[R_NAME])
    if name != candidate.person.name:
        sheet.add(
            number,
            R_NAME,
            f"姓名“{_shown(name or '空')}”与人选编号 {candidate.pk} 的{candidate.person.name}不符："
            "请勿调换行或修改人选编号",
        )
    passed, bad_opinion = _opinion(sheet, number, values[R_OPINION])
    reason = _text(values[R_REASON])
    replied_on, bad_date = _date_cell(sheet, number, R_DATE, values[R_DATE], "回复日期")
    skipped = {"passed", "reason"} if bad_opinion else set()
    if bad_date:
        skipped.add("replied_on")
    column_of = {"passed": R_OPINION, "reason": R_REASON, "replied_on": R_DATE}
    for key, message in services.reply_errors(candidate, passed, reason, replied_on).items():
        if key not in skipped:
            sheet.add(number, column_of.get(key, R_ID), message)
    if passed is None or replied_on is None:
        return None
    return services.ReplyRow(number, candidate, passed, reason, replied_on)


def import_replies(
    *, actor, election: Election, department: ReviewDepartment, content: bytes, file_name: str
) -> ImportOutcome:
    """Check the sheet and write its replies through `services.record_replies` (all or nothing). Every problem
    of the file is reported at once; with any, nothing is written."""
    sheet, filled, problems = _begin(content, file_name, election, REPLIES_MARK)
    if problems:
        return ImportOutcome(problems)
    candidates = _by_pk(
        Candidate.objects.restrict(actor)
        .filter(election=election)
        .select_related("village", "person", "post_type"),
        filled,
    )
    reviewable = _Reviewable(election, candidates)
    lines: list[services.ReplyRow] = []
    for number, values, candidate in _rows(sheet, filled, candidates, "人选编号", "人选"):
        refusal = reviewable.refusal(candidate)
        if refusal:
            sheet.add(number, R_ID, refusal)
        line = _reply(sheet, number, values, candidate)
        if line is not None:
            lines.append(line)
    problems = sheet.problems_of(
        filled, "表中没有填写任何联审意见（联审意见、理由、回复日期都空着的行不导入）"
    )
    if problems:
        return ImportOutcome(problems)
    return _saved(
        lambda: services.record_replies(actor=actor, election=election, department=department, rows=lines)
    )


def _saved(write: Callable[[], int], rows_of: Callable[[str], str] | None = None) -> ImportOutcome:
    """The outcome of the service's write (the count it returns), or its errors as problems."""
    outcome = ImportOutcome()
    try:
        outcome.saved = write()
    except ValidationError as invalid:
        outcome.problems = _keyed_problems(invalid, rows_of)
    except Conflict as conflict:
        outcome.problems = [Problem(None, None, "", str(conflict))]
    return outcome


def _keyed_problems(
    invalid: ValidationError, rows_of: Callable[[str], str] | None = None
) -> list[sheet_upload.Problem]:
    """A service's errors as problems: "第 N 行：…" as they are keyed, or "<key>（rows）：…"."""
    problems: list[sheet_upload.Problem] = []
    if not hasattr(invalid, "error_dict"):
        return [Problem(None, None, "", message) for message in invalid.messages]
    for key, errors in invalid.message_dict.items():
        where = rows_of(key) if rows_of is not None else key
        for message in errors:
            problems.append(Problem(None, None, "", f"{where}：{message}" if where else message))
    return problems


# -- the results: the template -----------------------------------------------------------------------------


def open_seats(actor, election: Election, township: Division | None = None) -> QuerySet[Seat]:
    """Every committee seat of each village of the election not yet elected, inside the actor's jurisdiction
    (and the township)."""
    prefix = township.code if township is not None else election.county_id
    return (
        Seat.objects.restrict(actor)
        .filter(village__code__startswith=prefix, post_type__code__in=committee_post_codes())
        .exclude(village_id__in=Result.objects.filter(election=election).values("village_id"))
        .select_related("village", "post_type")
        .order_by("village_id", "post_type__order", "number")
    )


def build_results_template(
    election: Election, place: str, seats: Sequence[Seat], candidates: Sequence[Candidate]
) -> bytes:
    workbook, sheet, first, last = _template(
        election,
        place,
        RESULTS_MARK,
        "说明：A 列“席位编号”用于导入时找到对应的职位，请勿修改；每个当选的职位填一行：当选人姓名，"
        "人选编号（见“候选人”表）或身份证号，得票数（可不填），选举日期（如 2026-09-26，同一村须相同）。"
        "一肩挑的当选人在书记和主任两行都填写。某村各行都不填则该村本次不导入；有一行不对则整表不导入。"
        "已录入选举结果的村不在表中；只有已公示且公示期结束的村才能录入。",
        [[seat.pk, seat.village.name, seat.post_type.name, seat.number] for seat in seats],
        [10, 16, 16, 8, 12, 22, 10, 14],
    )
    if seats:
        _validate(
            sheet,
            S_VOTES + 1,
            first,
            last,
            type="whole",
            operator="greaterThanOrEqual",
            formula1="0",
            errorTitle="得票数无效",
            error="得票数须为不小于 0 的整数",
        )
        _date_column(sheet, S_DATE + 1, first, last, "选举日期")
        for number in range(first, last + 1):
            sheet.cell(number, S_WHO + 1).number_format = "@"  # an ID number stays text
    listing = workbook.create_sheet(CANDIDATES_SHEET)
    for column, title in enumerate(CANDIDATES_HEADER, start=1):
        xlsx.harden(listing.cell(1, column, title)).font = Font(bold=True)
    for number, candidate in enumerate(candidates, start=2):
        for column, value in enumerate(_candidate_values(candidate), start=1):
            xlsx.harden(listing.cell(number, column, value))
    for column, size in enumerate([10, 16, 10, 22, 18], start=1):
        listing.column_dimensions[get_column_letter(column)].width = size
    listing.protection.sheet = True
    return workbook_bytes(workbook)


def template_candidates(actor, election: Election, seats: Sequence[Seat]) -> QuerySet[Candidate]:
    """The standing candidates of the template's villages (the 候选人 sheet)."""
    villages = {seat.village_id for seat in seats}
    return (
        Candidate.objects.restrict(actor)
        .filter(election=election, status=CandidateStatus.PROPOSED, village_id__in=villages)
        .select_related("village", "person", "post_type")
        .order_by("village_id", "post_type__order", "id")
    )


# -- the results: the import -------------------------------------------------------------------------------


@dataclass
class _Village:
    village: Division
    rows: list[int] = field(default_factory=list)
    dates: list[tuple[int, date]] = field(default_factory=list)
    entries: list[services.Elected] = field(default_factory=list)


def _rows_text(rows: list[int]) -> str:
    if not rows:
        return ""
    if len(rows) > 1 and rows == list(range(rows[0], rows[-1] + 1)):
        return f"第 {rows[0]}–{rows[-1]} 行"
    return "第 " + "、".join(str(row) for row in rows) + " 行"


def _votes(sheet: _Sheet, number: int, cell) -> int | None:
    if _blank(cell):
        return None
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and compact(value).isdigit():
        value = int(compact(value))
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        sheet.add(number, S_VOTES, f"得票数须为不小于 0 的整数，实为“{_shown(value)}”")
        return None
    return value


def _elected_on(sheet: _Sheet, number: int, cell, election: Election) -> date | None:
    """The row's election date, within the election's period and not after today (else reported)."""
    elected_on, _unreadable = _date_cell(sheet, number, S_DATE, cell, "选举日期")
    if elected_on is None:
        return None
    if elected_on > today():
        sheet.add(number, S_DATE, f"选举日期 {elected_on:%Y-%m-%d} 不能晚于今天")
    elif not election.starts_on <= elected_on <= election.ends_on:
        sheet.add(
            number,
            S_DATE,
            f"选举日期须在换届期间 {election.starts_on:%Y-%m-%d} 至 {election.ends_on:%Y-%m-%d} 之内",
        )
    return elected_on


class _Standing:
    """The standing candidates of the villages an upload names, by village."""

    def __init__(self, actor, election: Election, villages: set[str]):
        self.by_village: dict[str, list[Candidate]] = {}
        for candidate in (
            Candidate.objects.restrict(actor)
            .filter(election=election, status=CandidateStatus.PROPOSED, village_id__in=villages)
            .select_related("person", "post_type", "village")
        ):
            self.by_village.setdefault(candidate.village_id, []).append(candidate)

    def of(self, village: str) -> list[Candidate]:
        return self.by_village.get(village, [])


def _by_name(sheet: _Sheet, number: int, name: str, village: Division, candidates: list[Candidate]):
    if not name:
        sheet.add(number, S_NAME, "请填写当选人姓名")
        return None
    same = [c for c in candidates if c.person.name == name]
    if not same:
        sheet.add(number, S_NAME, f"{_shown(name)}不是{village.name}的候选人（请核对“候选人”表）")
        return None
    if len(same) > 1:
        sheet.add(number, S_WHO, f"{village.name}有 {len(same)} 名候选人叫{name}，请填写人选编号或身份证号")
        return None
    return same[0]


def _who_text(sheet: _Sheet, number: int, value) -> str | None:
    """The candidate id or ID number as text; an ID number Excel stored as a number has lost its digits."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return compact(value).upper()
    if isinstance(value, float) and not value.is_integer():
        sheet.add(number, S_WHO, f"“{_shown(value)}”既不是人选编号也不是身份证号")
        return None
    text = str(int(value))
    if len(text) > CANDIDATE_ID_MAX_DIGITS and len(text) != 15:
        sheet.add(number, S_WHO, "身份证号被 Excel 存成了数字，末几位已丢失；请把该列设为文本后重新填写")
        return None
    return text


def _by_key(sheet: _Sheet, number: int, text: str, village: Division, candidates: list[Candidate]):
    """The candidate named by his id (人选编号) or his ID number among the village's standing candidates."""
    if text.isdigit() and len(text) <= CANDIDATE_ID_MAX_DIGITS:
        found = next((c for c in candidates if c.pk == int(text)), None)
        if found is None:
            sheet.add(number, S_WHO, f"人选编号 {text} 不是{village.name}的在选候选人（请核对“候选人”表）")
        return found
    try:
        parsed = parse_id_number(text)
    except IdNumberError as problem:
        sheet.add(number, S_WHO, f"“{_shown(text)}”既不是人选编号也不是有效的身份证号：{problem}")
        return None
    person = Person.objects.filter(id_number_hash=crypto.keyed_hash(parsed.number)).values_list(
        "pk", flat=True
    )
    person_id = person.first()
    found = next((c for c in candidates if c.person_id == person_id), None)
    if found is None:
        sheet.add(number, S_WHO, f"身份证号 {parsed.masked} 不是{village.name}的在选候选人")
    return found


def _who(sheet: _Sheet, number: int, values: list, seat: Seat, standing: _Standing) -> Candidate | None:
    """The candidate a row elects: by candidate id or ID number, else by the name alone when it is unique."""
    village = seat.village
    candidates = standing.of(village.code)
    name = _name(values[S_NAME])
    if _blank(values[S_WHO]):
        return _by_name(sheet, number, name, village, candidates)
    text = _who_text(sheet, number, values[S_WHO].value)
    found = None if text is None else _by_key(sheet, number, text, village, candidates)
    if found is not None and name and name != found.person.name:
        sheet.add(number, S_NAME, f"姓名“{_shown(name)}”与{_shown(text)}的{found.person.name}不符")
        return None
    return found


def _elect(sheet: _Sheet, number: int, values: list, seat: Seat, standing: _Standing, votes: int | None):
    """The row's `Elected`, or None (reported): the candidate must stand for the seat's post (or be a member)."""
    candidate = _who(sheet, number, values, seat, standing)
    if candidate is None:
        return None
    standing_for = {candidate.post_type.code} | ({CHAIR} if candidate.also_chair else set())
    if seat.post_type.code not in standing_for | {MEMBER}:
        sheet.add(
            number,
            S_NAME,
            f"{candidate.person.name}是{candidate.post_type.name}人选，不能当选{seat.post_type.name}",
        )
    return services.Elected(seat, candidate.person, votes)


def _batches(
    sheet: _Sheet, villages: dict[str, _Village]
) -> list[tuple[Division, date, list[services.Elected]]]:
    """Each village's results with its one election date (every row of a village gives the same, or none)."""
    batches = []
    for group in villages.values():
        if not group.dates:
            for number in group.rows:
                sheet.add(number, S_DATE, "请填写选举日期")
            continue
        first_row, first_date = group.dates[0]
        for number, day in group.dates[1:]:
            if day != first_date:
                sheet.add(
                    number,
                    S_DATE,
                    f"选举日期 {day:%Y-%m-%d} 与第 {first_row} 行的 {first_date:%Y-%m-%d} 不同"
                    "（同一村的选举日期须相同）",
                )
        batches.append((group.village, first_date, group.entries))
    return batches


def _record_many(actor, election: Election, batches, villages: dict[str, _Village]) -> ImportOutcome:
    """`services.record_many_results`; its errors keyed by village shown with the village's rows."""
    rows_of = {group.village.name: group.rows for group in villages.values()}

    def where(key: str) -> str:
        rows = rows_of.get(key)
        return f"{key}（{_rows_text(rows)}）" if rows else key

    return _saved(
        lambda: len(services.record_many_results(actor=actor, election=election, villages=batches)), where
    )


def import_results(*, actor, election: Election, content: bytes, file_name: str) -> ImportOutcome:
    """Check the sheet and record its villages' results through `services.record_many_results` (all or
    nothing). Every problem of the file is reported at once; with any, nothing is written."""
    sheet, filled, problems = _begin(content, file_name, election, RESULTS_MARK)
    if problems:
        return ImportOutcome(problems)
    seats = _by_pk(
        Seat.objects.restrict(actor)
        .filter(village__code__startswith=election.county_id)
        .select_related("village", "post_type"),
        filled,
    )
    committee = committee_post_codes()
    standing = _Standing(actor, election, {seat.village_id for seat in seats.values()})
    villages: dict[str, _Village] = {}
    for number, values, seat in _rows(sheet, filled, seats, "席位编号", "职位"):
        if seat.post_type.code not in committee:
            sheet.add(number, S_ID, f"{seat.post_type.name}不在换届中选举")
            continue
        group = villages.setdefault(seat.village_id, _Village(seat.village))
        group.rows.append(number)
        elected_on = _elected_on(sheet, number, values[S_DATE], election)
        if elected_on is not None:
            group.dates.append((number, elected_on))
        entry = _elect(sheet, number, values, seat, standing, _votes(sheet, number, values[S_VOTES]))
        if entry is not None:
            group.entries.append(entry)
    batches = _batches(sheet, villages)
    problems = sheet.problems_of(filled, "表中没有填写任何选举结果（当选人各列都空着的行不导入）")
    if problems:
        return ImportOutcome(problems)
    return _record_many(actor, election, batches, villages)


def run_import(importer: Callable[..., ImportOutcome], **arguments) -> ImportOutcome:
    """An import in one transaction: rolled back whole when it reports any problem (a service raising
    Http404 or PermissionDenied is left to the caller)."""
    with transaction.atomic():
        outcome = importer(**arguments)
        if outcome.problems:
            transaction.set_rollback(True)
    return outcome
