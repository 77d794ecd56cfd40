"""The Excel round trip of one month's scores (月考评) of a township's or a village's incumbents, for clerks who
keep them in Excel: the template (one row per incumbent holding a seat that month and not yet scored, a column
per county item) and its import.

The template's first column is the term id (任期编号), how the import finds each row's incumbent; the sheet is
protected so that only the scores and the note can be typed in (a clerk can still unprotect it, so the import
checks everything again). The upload is opened by the rosters' safe reader (.xlsx only, size limit, zip-bomb
check, defusedxml, formulas never evaluated), then every row goes through
`incumbents.record_monthly_scores_batch`: all or nothing, each problem reported with the sheet row, the
column and the reason in Chinese. A row whose scores and note are all blank is skipped.

Jurisdiction first (the division: 404 outside it), then the role (editors only: 403); the template is written
to the audit log as an export, a saved import as an import.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from yanzhen.assessments.incumbents import services
from yanzhen.assessments.models import IncumbentScoreItem
from yanzhen.assessments.periods import half_containing
from yanzhen.assessments.views.common import (
    announces_fired_rules,
    list_page,
    require_reader,
)
from yanzhen.core import audit, guards, text, xlsx
from yanzhen.core.exports_xlsx import workbook_bytes
from yanzhen.core.models import AuditAction
from yanzhen.core.sheet_upload import (
    HEADER_SEARCH_ROWS,
    ImportOutcome,
    Problem,
    header_problems,
    read_rows,
)
from yanzhen.core.sheet_upload import blank as _blank
from yanzhen.core.sheet_upload import record_id as _term_id
from yanzhen.core.sheet_upload import shown as _shown
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.posts.models import Term
from yanzhen.rosters.reader import RosterFileError, check_package, max_upload_bytes

SHEET_TITLE = "月考评"
FIXED_HEADER = ["任期编号", "村", "姓名", "职务"]
NOTE_HEADER = "备注"
TERM, VILLAGE, NAME, POST = range(4)
FIRST_ITEM = len(FIXED_HEADER)
HEADER_ROW = 3  # the title, the instructions, then the header
# Written in the workbook's keywords with the division and the month, so an upload for another month is caught.
MARK = "yanzhen-monthly-scores"
LOCKED_FILL = PatternFill("solid", fgColor="EEEEEE")


def item_header(item: IncumbentScoreItem) -> str:
    return f"{item.name}（{item.points}）"


def header_of(items: list[IncumbentScoreItem]) -> list[str]:
    return FIXED_HEADER + [item_header(item) for item in items] + [NOTE_HEADER]


def _place(division: Division) -> str:
    if division.is_village and division.parent_id:
        return f"{division.parent.name}{division.name}"
    return division.name


# -- the template ------------------------------------------------------------------------------------------


def _text(cell, value) -> None:
    """A cell holding `value`, shown as text when it begins like a formula (no formula injection)."""
    cell.value = value
    xlsx.harden(cell)


def build_template(
    division: Division, month: date, items: list[IncumbentScoreItem], terms: list[Term]
) -> bytes:
    header = header_of(items)
    width = len(header)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    workbook.properties.title = f"{_place(division)} {month:%Y年%m月} 村干部月考评"
    workbook.properties.keywords = f"{MARK} {division.code} {month:%Y-%m}"
    xlsx.harden(sheet.cell(1, 1, workbook.properties.title)).font = Font(bold=True, size=14)
    notes = sheet.cell(
        2,
        1,
        f"说明：A 列“任期编号”用于导入时找到对应的村干部，请勿修改；每项得分填 0 到该项分值的整数；"
        f"得分和备注都不填的人员本次不导入；本月已考评的人员不在表中。"
        f"导入时请选择同一月份（{month:%Y年%m月}），有一行不对则整表不导入。",
    )
    notes.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[2].height = 48
    for row in (1, 2):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    for column, title in enumerate(header, start=1):
        cell = xlsx.harden(sheet.cell(HEADER_ROW, column, title))
        cell.font = Font(bold=True)
        if column <= FIRST_ITEM:
            cell.fill = LOCKED_FILL
    for number, term in enumerate(terms, start=HEADER_ROW + 1):
        values = [term.pk, term.seat.village.name, term.person.name, term.seat.post_type.name]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(number, column)
            _text(cell, value)
            cell.fill = LOCKED_FILL
        for column in range(FIRST_ITEM + 1, width + 1):
            sheet.cell(number, column).protection = Protection(locked=False)
    last = HEADER_ROW + len(terms)
    if terms:
        for offset, item in enumerate(items):
            letter = get_column_letter(FIRST_ITEM + 1 + offset)
            rule = DataValidation(
                type="whole",
                operator="between",
                formula1="0",
                formula2=str(item.points),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="得分无效",
                error=f"“{item.name}”的得分须为 0 到 {item.points} 的整数",
            )
            rule.add(f"{letter}{HEADER_ROW + 1}:{letter}{last}")
            sheet.add_data_validation(rule)
    for column, size in enumerate([10, 16, 10, 16] + [14] * len(items) + [30], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = size
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, FIRST_ITEM + 1)
    # Only the scores and the note can be typed in; widening columns and rows stays allowed.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    return workbook_bytes(workbook)


# -- reading an upload -------------------------------------------------------------------------------------


def _score(value):
    """The cell as the service takes it: an integer, None when blank, else the text (the service says it is
    not an integer; a float such as 3.5 is never rounded)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return str(value).strip()


def _month_mark(workbook) -> date | None:
    keywords = (getattr(workbook.properties, "keywords", None) or "").split()
    if len(keywords) == 3 and keywords[0] == MARK:
        return services.parse_month(keywords[2])
    return None


def import_scores(
    *, actor, division: Division, month: date, content: bytes, file_name: str, dry_run: bool = False
) -> ImportOutcome:
    """Check the sheet and save its scores through `record_monthly_scores_batch`, all or nothing; with
    `dry_run` (or any problem) nothing is kept. Every problem of the file is reported at once."""
    outcome = ImportOutcome()
    problems = outcome.problems
    try:
        check_package(content, file_name)
        marked, rows = read_rows(content, FIXED_HEADER[TERM], _month_mark)
    except RosterFileError as refused:
        problems.append(Problem(None, None, "", str(refused)))
        return outcome
    items = services.score_items(division.code)
    if not items:
        problems.append(Problem(None, None, "", "本县尚未设置月考评项目，请先由县委组织部设置"))
        return outcome
    if rows is None:
        problems.append(
            Problem(
                None,
                None,
                "",
                f"找不到表头行：前 {HEADER_SEARCH_ROWS} 行中没有以“任期编号”开头的行（请使用下载的模板）",
            )
        )
        return outcome
    if marked is not None and marked != month:
        problems.append(
            Problem(
                None,
                None,
                "",
                f"此表是 {marked:%Y年%m月} 的模板，与所选的 {month:%Y年%m月} 不符：请选择正确的月份或重新下载模板",
            )
        )
        return outcome
    header = header_of(items)
    header_number, header_cells = rows[0]
    problems.extend(
        header_problems(
            header_number,
            header_cells,
            header,
            extra="多出的列“{have}”，不是本县的月考评项目",
            summary="表头与本县当前的月考评项目不符（县里可能已调整考评项目），请重新下载模板后填写",
        )
    )
    if problems:
        return outcome
    note_column = len(header) - 1
    filled: list[tuple[int, list]] = []
    for number, cells in rows[1:]:
        values = list(cells[: len(header)])
        values += [None] * (len(header) - len(values))
        if all(cell is None or _blank(cell) for cell in values[FIRST_ITEM:]):
            continue  # nothing typed in for this incumbent: not scored now
        filled.append((number, values))
    ids = {_term_id(values[TERM].value) for _number, values in filled if values[TERM] is not None}
    ids.discard(None)
    terms = {
        term.pk: term
        for term in Term.objects.restrict(actor)
        .filter(pk__in=ids)
        .select_related("person", "seat__village", "seat__post_type")
    }
    entries: list[services.BatchEntry] = []
    row_of: dict[int, int] = {}  # term id → sheet row
    flagged: set[tuple[int, int]] = set()  # (row, column) already reported here, not again by the service

    def problem(number: int, column: int, reason: str) -> None:
        problems.append(Problem(number, column, header[column], reason))
        flagged.add((number, column))

    for number, values in filled:
        for column, cell in enumerate(values):
            if cell is not None and cell.formula:
                problem(number, column, "不能使用公式，请直接填写数值")
        term_cell = values[TERM]
        if term_cell is None or _blank(term_cell):
            problem(number, TERM, "缺少任期编号：请勿删除此列，它用于找到对应的村干部")
            continue
        pk = _term_id(term_cell.value)
        term = terms.get(pk) if pk is not None else None
        if (number, TERM) in flagged:
            continue
        if pk is None:
            problem(number, TERM, f"任期编号“{_shown(term_cell.value)}”无效：请勿修改此列")
            continue
        if term is None:
            problem(number, TERM, f"任期编号 {pk} 不存在或不在您的管辖范围内")
            continue
        if not term.seat.village_id.startswith(division.code):
            problem(
                number,
                TERM,
                f"任期编号 {pk}（{term.seat.village.name}{term.person.name}）不属于{_place(division)}",
            )
            continue
        if pk in row_of:
            problem(number, TERM, f"任期编号 {pk} 与第 {row_of[pk]} 行重复")
            continue
        row_of[pk] = number
        name_cell = values[NAME]
        name = "" if name_cell is None or name_cell.value is None else text.normalise(str(name_cell.value))
        if name != term.person.name:
            problem(
                number,
                NAME,
                f"姓名“{_shown(name)}”与任期编号 {pk} 的{term.person.name}不符：请勿调换行或修改任期编号",
            )
        cells = values[FIRST_ITEM : FIRST_ITEM + len(items)]
        scores = {
            item.pk: _score(None if cell is None else cell.value)
            for item, cell in zip(items, cells, strict=True)
        }
        note_cell = values[note_column]
        note = "" if note_cell is None or note_cell.value is None else str(note_cell.value)
        entries.append(services.BatchEntry(term, scores, note))
    if not entries and not problems:
        problems.append(Problem(None, None, "", "表中没有填写任何月考评（得分和备注都空着的行不导入）"))
    if entries:
        column_of = {f"score_{item.pk}": FIRST_ITEM + offset for offset, item in enumerate(items)}
        column_of.update({"note": note_column, "month": TERM})
        try:
            saved = services.record_monthly_scores_batch(
                actor=actor,
                division=division,
                month=month,
                entries=entries,
                dry_run=dry_run or bool(problems),
            )
        except services.BatchInvalid as invalid:
            for entry, name, reason in invalid.problems:
                number = row_of[entry.term.pk]
                column = column_of.get(name)
                if column is None:
                    if not any(p.row is None and p.reason == reason for p in problems):
                        problems.append(Problem(None, None, "", reason))
                elif (number, column) not in flagged:
                    problems.append(Problem(number, column, header[column], reason))
        except ValidationError as invalid:
            problems.extend(Problem(None, None, "", reason) for reason in invalid.messages)
        else:
            outcome.saved = len(saved)
    problems.sort(key=lambda p: (p.row or 0, -1 if p.column is None else p.column))
    if problems:
        outcome.saved = 0
    return outcome


# -- pages -------------------------------------------------------------------------------------------------


def _scope(request) -> tuple[Division, date]:
    """The township or village asked for (404 outside the jurisdiction or of another level), then the role
    (403 for anyone but editors), and the month (the current one by default)."""
    require_reader(request)
    code = request.GET.get("division", "").strip()
    if not code:
        raise Http404
    units = Division.objects.select_related("parent").filter(level__in=(Level.TOWNSHIP, Level.VILLAGE))
    division = guards.get_for_change(units, request.user, code=code)
    month = services.parse_month(request.GET.get("month", "")) or guards.today().replace(day=1)
    return division, month


def scores_query(division: Division, month: date) -> str:
    return urlencode({"division": division.code, "month": f"{month:%Y-%m}"})


def _back(division: Division, month: date) -> str:
    """Where a saved import returns: the village's page of the month, or the township's half-year analysis."""
    if division.is_village:
        return (
            reverse("assessments:incumbents", args=[division.code])
            + "?"
            + urlencode({"month": f"{month:%Y-%m}"})
        )
    query = urlencode({"division": division.code, "period": half_containing(month).key})
    return reverse("assessments:incumbent-analysis") + "?" + query


# What the audit log calls the template's download and the import.
AUDITED_AS = {
    AuditAction.EXPORT: ("export", "monthly_score_template"),
    AuditAction.IMPORT: ("import", "monthly_scores"),
}


def _audit(request, action: AuditAction, title: str, division: Division, month: date, **detail) -> None:
    """The audit event of the month's template or import, titled with the place and month."""
    key, kind = AUDITED_AS[action]
    audit.record(
        action=action,
        user=request.user,
        request=request,
        object_repr=f"{title} {_place(division)} {month:%Y年%m月}",
        division_code=division.code,
        detail={key: kind, "division": division.code, "month": f"{month:%Y-%m}", **detail},
    )


@require_GET
def score_template(request):
    """The month's template: every incumbent under the division holding a seat that month and not yet
    scored."""
    division, month = _scope(request)
    items = services.score_items(division.code)
    if not items:
        messages.error(request, _("The county has not set the monthly scoring items yet."))
        return redirect(reverse("assessments:incumbent-score-import") + "?" + scores_query(division, month))
    terms = [row.term for row in services.division_rows(request.user, division, month) if row.score is None]
    _audit(request, AuditAction.EXPORT, "月考评模板", division, month, rows=len(terms))
    return xlsx.download(
        build_template(division, month, items, terms),
        f"月考评_{_place(division)}_{month:%Y-%m}.xlsx",
        f"monthly_scores_{division.code}_{month:%Y-%m}.xlsx",
    )


@require_http_methods(["GET", "POST"])
@announces_fired_rules
def score_import(request):
    """Upload the filled template: checked in full, saved all or nothing (or only checked: 仅检查)."""
    division, month = _scope(request)
    outcome = ImportOutcome()
    dry_run = False
    checked: int | None = None
    if request.method == "POST":
        dry_run = request.POST.get("dry_run") == "1"
        uploaded = request.FILES.get("file")
        if uploaded is None:
            outcome.problems.append(Problem(None, None, "", "请选择要导入的 .xlsx 文件"))
        elif uploaded.size > max_upload_bytes():
            limit = max_upload_bytes() // (1024 * 1024)
            outcome.problems.append(Problem(None, None, "", f"文件超过 {limit} MB，请拆分后分批导入"))
        else:
            content = uploaded.read()
            with transaction.atomic():
                outcome = import_scores(
                    actor=request.user,
                    division=division,
                    month=month,
                    content=content,
                    file_name=uploaded.name or "",
                    dry_run=dry_run,
                )
                if not outcome.problems and not dry_run:
                    _audit(
                        request,
                        AuditAction.IMPORT,
                        "月考评导入",
                        division,
                        month,
                        rows=outcome.saved,
                        file=(uploaded.name or "")[:200],
                    )
            if not outcome.problems:
                if not dry_run:
                    messages.success(
                        request, _("Monthly scores imported: %(count)d.") % {"count": outcome.saved}
                    )
                    return redirect(_back(division, month))
                checked = outcome.saved
    return list_page(
        request,
        "assessments/incumbent_import.html",
        division,
        month=month,
        month_key=f"{month:%Y-%m}",
        query=scores_query(division, month),
        items=services.score_items(division.code),
        problems=outcome.messages,
        checked=checked,
        dry_run=dry_run,
        back=_back(division, month),
        max_mb=max_upload_bytes() // (1024 * 1024),
        status=422 if outcome.problems else 200,
    )
