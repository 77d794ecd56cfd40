"""The roster import (花名册导入): all or nothing, idempotent, audited, fast enough for 10,000 rows.

    import_roster(actor=..., content=..., file_name=..., division=..., dry_run=False) -> ImportResult

1. The file is checked (reader.check_package) and its tables found (reader.read_workbook).
2. Every row is read in memory (columns.py), its names matched (lookups.py), and the person it describes
   validated by the archive's own rules (`people.services._validate`, the same the archive form uses).
   People are matched by the keyed hash of the ID number; what a row leaves blank keeps the stored value.
3. Any problem anywhere: nothing is written, and the result lists every problem with its row, column and
   reason in Chinese. `dry_run` stops here too, with the counts the import would have.
4. Otherwise one transaction writes in bulk: persons (bulk insert/update plus their field history, m2m
   snapshots included), education records, in-pool candidacies (candidacies.workflow), one ImportRun and
   one audit event. Each history row names the actor and the import ("花名册导入 <sha256[:12]>").
   Importing the same file again finds nothing to change and writes no history.

`actor` None is the console operator (`yanzhen import-roster` without --user): no jurisdiction limit.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from simple_history.models import HistoricalRecords

from yanzhen.candidacies import workflow
from yanzhen.candidacies.models import ACTIVE_STATES, Candidacy, CandidacyState
from yanzhen.core import audit, crypto
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.core.models import AuditAction, AuditOutcome
from yanzhen.divisions.models import Division
from yanzhen.people.codes import Degree, education_rank
from yanzhen.people.idcard import IdNumberError, mask_id_number, parse_id_number
from yanzhen.people.models import EducationRecord, Person
from yanzhen.people.services import EducationInput, PersonInput, _apply, _validate
from yanzhen.posts.models import PostType
from yanzhen.rosters import columns as C
from yanzhen.rosters.lookups import PostIndex, SkillIndex, SourceIndex, VillageIndex
from yanzhen.rosters.models import ImportKind, ImportRun, change_reason
from yanzhen.rosters.reader import CellValue, RosterFileError, Sheet, check_package, read_workbook, sha256_of

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
# Columns a roster must have (村 only when the import is for more than one village).
REQUIRED_COLUMNS = ("name", "id_number", "political_status", "target_posts")
# Fields compared to decide whether an existing person changes (the ciphertexts are not: they differ on
# every encryption; the keyed hashes stand for them).
PERSON_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "native_place",
    "political_status",
    "party_join_date",
    "degree",
    "phone_hash",
    "village_id",
    "source_id",
    "skills_text",
    "notes",
    "highest_education",
)
# The field of a row each `_validate` error key belongs to.
ERROR_FIELDS = {
    "name": "name",
    "id_number": "id_number",
    "birth_date": "birth",
    "gender": "gender",
    "ethnicity": "ethnicity",
    "political_status": "political_status",
    "party_join_date": "party_join_date",
    "degree": "degree",
    "phone": "phone",
    "village": "village",
}
CHANGED_LABELS = {
    "name": "姓名",
    "gender": "性别",
    "ethnicity": "民族",
    "birth_date": "出生日期",
    "native_place": "籍贯",
    "political_status": "政治面貌",
    "party_join_date": "入党时间",
    "degree": "学位",
    "phone_hash": "联系电话",
    "village_id": "村",
    "source_id": "来源",
    "skills_text": "特长",
    "skills": "特长",
    "notes": "备注",
    "highest_education": "学历",
    "education": "学历",
}
BATCH = 500


class Outcome:
    NEW = "新建"
    UPDATED = "更新"
    UNCHANGED = "无变化"
    ERROR = "有错误"
    IGNORED = "已忽略"


@dataclass
class Problem:
    """One error: where (sheet, row, column as the sheet names it) and why, in Chinese."""

    sheet: str
    row: int | None
    column: str
    message: str

    def text(self, name_sheet: bool = False) -> str:
        if self.row is None:
            return self.message
        where = f"工作表“{self.sheet}”第 {self.row} 行" if name_sheet else f"第 {self.row} 行"
        return f"{where}【{self.column or '—'}】{self.message}"


@dataclass
class RowResult:
    sheet: str
    row: int
    name: str
    id_masked: str
    village: str
    outcome: str
    detail: str = ""


@dataclass
class ImportResult:
    file_name: str
    sha256: str
    division_code: str
    division_name: str
    dry_run: bool
    rows: list[RowResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    persons_created: int = 0
    persons_updated: int = 0
    candidacies_created: int = 0
    candidacies_updated: int = 0
    unchanged: int = 0
    run: ImportRun | None = None
    sheet_count: int = 1

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def data_rows(self) -> int:
        return sum(1 for row in self.rows if row.outcome != Outcome.IGNORED)

    @property
    def name_sheets(self) -> bool:
        return self.sheet_count > 1

    def problem_texts(self) -> list[str]:
        return [problem.text(self.name_sheets) for problem in self.problems]

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.data_rows,
            "persons_created": self.persons_created,
            "persons_updated": self.persons_updated,
            "candidacies_created": self.candidacies_created,
            "candidacies_updated": self.candidacies_updated,
            "unchanged": self.unchanged,
        }

    def summary_lines(self) -> list[str]:
        head = f"花名册 {self.file_name}（SHA-256 {self.sha256[:12]}）导入{self.division_name}：数据 {self.data_rows} 行"
        counts = (
            f"新建人员 {self.persons_created}，更新人员 {self.persons_updated}，"
            f"新建在库后备 {self.candidacies_created}，更新在库后备 {self.candidacies_updated}，无变化 {self.unchanged}"
        )
        if not self.ok:
            return [
                head,
                f"导入失败，未写入任何数据：共 {len(self.problems)} 处错误",
                *self.problem_texts(),
            ]
        if self.dry_run:
            return [head, "试运行（--dry-run），未写入任何数据；若正式导入将会：", counts]
        return [head, "导入成功：" + counts]


# -- reading one row ----------------------------------------------------------------------------------------


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
        for field_name, limit in (("native_place", 100), ("school", 100), ("major", 100)):
            if len(str(values.get(field_name, ""))) > limit:
                row.problem(field_name, f"不能超过 {limit} 个字")
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


# -- the plan ------------------------------------------------------------------------------------------------


@dataclass
class PersonPlan:
    row: ParsedRow
    person: Person
    is_new: bool
    changed: list[str] = field(default_factory=list)
    skills: list | None = None  # the new skill set when it changes, else None
    new_educations: list[EducationRecord] = field(default_factory=list)
    changed_educations: list[EducationRecord] = field(default_factory=list)
    pool_entry: workflow.PoolEntry | None = None
    pool_amendment: workflow.PoolAmendment | None = None


def _birth_check(row: ParsedRow, number_birth: date) -> None:
    birth = row.values.get("birth")
    if birth is None:
        return
    readings = birth if isinstance(birth, list) else [birth]
    if not any(reading.matches(number_birth) for reading in readings):
        shown = readings[0] if len(readings) == 1 else f"{readings[0].year}.1"
        row.problem("birth", f"出生年月 {shown} 与身份证号中的出生日期 {number_birth:%Y-%m-%d} 不一致")


def _partial_date(given: C.RosterDate | None, stored: date | None) -> date | None:
    """The date a roster gives, keeping the stored day when the roster gives only the same year and month."""
    if given is None:
        return stored
    if stored is not None and given.matches(stored):
        return stored
    return given.to_date()


def _same_parts(text: str, parts: list[str]) -> bool:
    return C.split_list(text) == parts


def _notes(row: ParsedRow, existing: str, is_new: bool) -> str:
    """备注, then a line per unknown column ("婚姻状况：已婚") not already in it; 现任职务 for a new person.
    A blank 备注 keeps the stored notes."""
    base = str(row.values.get("notes", "")) or existing
    lines = [f"{header}：{text}" for header, text in row.extras]
    if is_new and row.values.get("current_post"):
        lines.insert(0, f"现任职务：{row.values['current_post']}")
    for line in lines:
        if line not in base:
            base = f"{base}\n{line}" if base else line
    return base


class Planner:
    def __init__(self, actor, division: Division, on: date, villages: VillageIndex):
        self.actor, self.division, self.on, self.villages = actor, division, on, villages
        self.existing: dict[str, Person] = {}
        self.skill_ids: dict[int, set[int]] = defaultdict(set)
        self.educations: dict[int, list[EducationRecord]] = defaultdict(list)
        self.active: dict[tuple[int, str], list[Candidacy]] = defaultdict(list)
        self.in_scope: set[int] = set()

    def preload(self, hashes: list[str]) -> None:
        people = []
        for start in range(0, len(hashes), BATCH):
            people += Person.objects.filter(id_number_hash__in=hashes[start : start + BATCH]).select_related(
                "village", "source"
            )
        self.existing = {person.id_number_hash: person for person in people}
        ids = [person.pk for person in people]
        visible = Person.objects.restrict(self.actor) if self.actor is not None else Person.objects.all()
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            self.in_scope.update(visible.filter(pk__in=chunk).values_list("pk", flat=True))
            for person_id, skill_id in Person.skills.through.objects.filter(person_id__in=chunk).values_list(
                "person_id", "skill_id"
            ):
                self.skill_ids[person_id].add(skill_id)
            for record in EducationRecord.objects.filter(person_id__in=chunk):
                self.educations[record.person_id].append(record)
            for candidacy in Candidacy.objects.filter(
                person_id__in=chunk, state__in=ACTIVE_STATES
            ).prefetch_related("targets__post_type"):
                self.active[(candidacy.person_id, candidacy.village_id)].append(candidacy)

    def plan(self, row: ParsedRow) -> PersonPlan | None:
        values = row.values
        parsed = values.get("id_number")
        existing = self.existing.get(crypto.keyed_hash(parsed.number)) if parsed is not None else None
        if existing is not None and existing.pk not in self.in_scope:
            # _validate says so in its own words ("不在您的辖区内").
            existing_for_validation = None
        else:
            existing_for_validation = existing
        if parsed is not None:
            _birth_check(row, parsed.birth_date)
        village = values.get("village")
        if village is None or parsed is None or "name" not in values:
            return None
        is_new = existing is None
        base = existing or Person()
        education = values.get("education")
        data = PersonInput(
            name=values["name"],
            id_number=parsed.number,
            village=village,
            political_status=values.get("political_status", base.political_status or ""),
            gender=values.get("gender", ""),
            birth_date=None,
            ethnicity=values.get("ethnicity", base.ethnicity if existing else "01"),
            native_place=values.get("native_place", base.native_place),
            party_join_date=_partial_date(values.get("party_join_date"), base.party_join_date),
            degree=values.get("degree", base.degree if existing else Degree.NONE),
            phone=values.get("phone") if "phone" in values else (existing.reveal_phone() if existing else ""),
            source=values["source"] if "source" in values else (base.source if existing else None),
            skills_text=base.skills_text if existing else "",
            notes=_notes(row, base.notes if existing else "", is_new),
            educations=[EducationInput(kind=education[1], education=education[0])] if education else [],
        )
        if (
            is_new
            and "political_status" not in values
            and not any(p.column == row.header("political_status") for p in row.problems)
        ):
            row.problem("political_status", "政治面貌不能为空")
        skill_set = None
        if "skills" in values:
            skills, others = values["skills"]
            data.skills = skills
            if not (existing and _same_parts(existing.skills_text, others)):
                data.skills_text = "、".join(others)
            skill_set = {skill.pk for skill in skills}
        errors, number, phone = _validate(self.actor, data, existing_for_validation, check_duplicate=False)
        if existing is not None and existing_for_validation is None and "id_number" not in errors:
            errors["id_number"] = "该身份证号已在系统中登记（不在您的辖区内），请联系上级组织部门"
        for key, message in errors.items():
            field_name = ERROR_FIELDS.get(
                key.split(".")[0], "education" if key.startswith("educations") else ""
            )
            if field_name == "birth" and "birth" not in row.cells:
                field_name = "id_number"
            if field_name == "political_status" and "political_status" not in values and is_new:
                continue  # already said: 政治面貌不能为空
            row.problem(field_name or "id_number", message)
        if errors:
            return None
        person = copy.copy(existing) if existing is not None else Person()
        _apply(person, data, number, phone)
        plan = PersonPlan(row, person, is_new)
        self._plan_educations(plan, existing, values)
        if existing is not None:
            # The ciphertexts change on every encryption: keep the stored ones for the same values.
            person.id_number_encrypted = existing.id_number_encrypted
            if person.phone_hash == existing.phone_hash:
                person.phone_encrypted = existing.phone_encrypted
            plan.changed = [
                name for name in PERSON_FIELDS if getattr(person, name) != getattr(existing, name)
            ]
            if skill_set is not None and skill_set != self.skill_ids.get(existing.pk, set()):
                plan.skills = data.skills
                plan.changed.append("skills")
            if plan.new_educations or plan.changed_educations:
                plan.changed.append("education")
        elif data.skills:
            plan.skills = data.skills
        self._plan_candidacy(plan, existing, village)
        return plan

    def _plan_educations(self, plan: PersonPlan, existing: Person | None, values: dict) -> None:
        education = values.get("education")
        records = list(self.educations.get(existing.pk, [])) if existing is not None else []
        if education is not None:
            code, kind = education
            school, major = values.get("school"), values.get("major")
            same = next((r for r in records if r.kind == kind and r.education == code), None)
            if same is None:
                record = EducationRecord(
                    person=plan.person if existing is None else existing,
                    kind=kind,
                    education=code,
                    school=school or "",
                    major=major or "",
                    degree=values.get("degree", Degree.NONE),
                )
                plan.new_educations.append(record)
                records.append(record)
            elif (school and same.school != school) or (major and same.major != major):
                same = copy.copy(same)
                same.school = school or same.school
                same.major = major or same.major
                plan.changed_educations.append(same)
        codes = [record.education for record in records]
        plan.person.highest_education = min(codes, key=education_rank) if codes else ""

    def _plan_candidacy(self, plan: PersonPlan, existing: Person | None, village: Division) -> None:
        row, values = plan.row, plan.row.values
        posts: list[PostType] = values.get("target_posts", [])  # type: ignore[assignment]
        entered: C.RosterDate | None = values.get("entered_pool_on")  # type: ignore[assignment]
        active = self.active.get((existing.pk, village.code), []) if existing is not None else []
        pending = [c for c in active if c.state != CandidacyState.IN_POOL]
        if pending:
            state = workflow.state_name(pending[0].state)
            row.problem(
                "target_posts",
                f"{existing.name}在{village.name}的后备人选正处于“{state}”阶段，不能由花名册直接入库，请在后备人选流程中办理",
            )
            return
        if not active:
            if not posts:
                if "target_posts" not in values and not any(
                    p.column == row.header("target_posts") for p in row.problems
                ):
                    row.problem("target_posts", "后备岗位不能为空")
                return
            plan.pool_entry = workflow.PoolEntry(
                plan.person, village, posts, entered.to_date() if entered else self.on
            )
            return
        first = min(active, key=lambda c: c.pk)
        targeted = {target.post_type_id for c in active for target in c.targets.all() if target.active}
        missing = [post for post in posts if post.pk not in targeted]
        new_date = None
        if entered is not None and not any(
            c.entered_pool_on and entered.matches(c.entered_pool_on) for c in active
        ):
            new_date = entered.to_date()
        if missing or new_date is not None:
            plan.pool_amendment = workflow.PoolAmendment(first, missing, new_date)


# -- the import ---------------------------------------------------------------------------------------------


def check_scope(actor, division: Division) -> None:
    """The actor may import into the division: inside his jurisdiction (else 404) and an editor (else 403)."""
    if actor is None:
        return
    if not code_in_jurisdiction(actor, division.code):
        raise Http404
    if not actor.can_edit:
        raise PermissionDenied


def _row_result(row: ParsedRow, outcome: str, detail: str = "") -> RowResult:
    parsed = row.values.get("id_number")
    village = row.values.get("village")
    return RowResult(
        row.sheet.name,
        row.number,
        str(row.values.get("name") or row.text("name")),
        parsed.masked if parsed is not None else mask_id_number(C.compact(row.text("id_number"))),
        village.name if isinstance(village, Division) else row.text("village"),
        outcome,
        detail,
    )


def _describe(plan: PersonPlan) -> tuple[str, str]:
    parts = []
    if plan.is_new:
        parts.append("新建人员")
    elif plan.changed:
        labels = list(dict.fromkeys(CHANGED_LABELS.get(name, name) for name in plan.changed))
        parts.append("更新人员：" + "、".join(labels))
    if plan.pool_entry is not None:
        posts = "、".join(post.name for post in plan.pool_entry.post_types)
        parts.append(f"入库（{posts}，入库时间 {plan.pool_entry.entered_pool_on:%Y-%m-%d}）")
    if plan.pool_amendment is not None:
        amendment = plan.pool_amendment
        if amendment.add_post_types:
            parts.append("增加后备岗位：" + "、".join(post.name for post in amendment.add_post_types))
        if amendment.entered_pool_on is not None:
            parts.append(f"入库时间改为 {amendment.entered_pool_on:%Y-%m-%d}")
    if not parts:
        return Outcome.UNCHANGED, "已在库，信息一致"
    outcome = Outcome.NEW if plan.is_new else Outcome.UPDATED
    return outcome, "；".join(parts)


def import_roster(
    *,
    actor,
    content: bytes,
    file_name: str,
    division: Division,
    dry_run: bool = False,
    request=None,
    on: date | None = None,
) -> ImportResult:
    """Validate a roster and, when every row is right and this is no dry run, write it in one transaction."""
    check_scope(actor, division)
    on = on or timezone.localdate()
    result = ImportResult(file_name, sha256_of(content), division.code, division.name, dry_run)
    try:
        check_package(content, file_name)
        sheets = read_workbook(content)
    except RosterFileError as refused:
        result.problems.append(Problem("", None, "", str(refused)))
        _audit_failure(actor, result, request)
        return result
    result.sheet_count = len(sheets)
    villages = VillageIndex(division)
    for sheet in sheets:
        present = {column.field for column in sheet.columns}
        required = REQUIRED_COLUMNS + (() if villages.only_village is not None else ("village",))
        missing = [C.CANONICAL_HEADERS[name] for name in required if name not in present]
        if missing:
            result.problems.append(
                Problem(sheet.name, None, "", f"工作表“{sheet.name}”缺少必需的列：{'、'.join(missing)}")
            )
    if result.problems:
        _audit_failure(actor, result, request)
        return result
    with transaction.atomic():
        plans = _plan(actor, division, on, villages, sheets, result)
        if not result.problems and not dry_run:
            _write(actor, division, plans, result, request)
    if not dry_run:
        _audit_failure(actor, result, request)
    return result


def _plan(actor, division, on, villages, sheets: list[Sheet], result: ImportResult) -> list[PersonPlan]:
    reader = RowReader(villages, PostIndex(), SourceIndex(), SkillIndex(), on)
    rows: list[ParsedRow] = []
    for sheet in sheets:
        for number, cells in sheet.rows:
            if _is_footer(cells):
                text = next(C.compact(cell.value) for cell in cells if C.compact(cell.value))
                result.rows.append(
                    RowResult(sheet.name, number, "", "", "", Outcome.IGNORED, f"合计或签名行：{text[:20]}")
                )
                continue
            row = _split_row(sheet, number, cells)
            if row is None:
                continue
            if number == sheet.header_row + 1 and not row.text("name") and not row.text("id_number"):
                # A second header line (units such as "年.月" under 出生年月), not a person.
                result.rows.append(RowResult(sheet.name, number, "", "", "", Outcome.IGNORED, "表头续行"))
                continue
            reader.read(row)
            rows.append(row)
    # The same person twice in one file: the later rows are errors.
    first_row: dict[str, ParsedRow] = {}
    for row in rows:
        parsed = row.values.get("id_number")
        if parsed is None:
            continue
        earlier = first_row.setdefault(parsed.number, row)
        if earlier is not row:
            where = (
                f"工作表“{earlier.sheet.name}”第 {earlier.number} 行"
                if len(sheets) > 1
                else f"第 {earlier.number} 行"
            )
            row.problem("id_number", f"身份证号与{where}重复，同一人只能出现一次")
            row.values.pop("id_number")
    planner = Planner(actor, division, on, villages)
    planner.preload(
        sorted(
            {crypto.keyed_hash(row.values["id_number"].number) for row in rows if "id_number" in row.values}
        )
    )
    plans = []
    for row in rows:
        plan = planner.plan(row)
        if row.problems:
            position = {column.header: column.index for column in row.sheet.columns}
            result.problems.extend(sorted(row.problems, key=lambda p: position.get(p.column, 10_000)))
            result.rows.append(_row_result(row, Outcome.ERROR, "；".join(p.message for p in row.problems)))
            continue
        if plan is None:  # pragma: no cover - a row without a plan always has a problem
            continue
        outcome, detail = _describe(plan)
        result.rows.append(_row_result(row, outcome, detail))
        plans.append(plan)
        result.persons_created += plan.is_new
        result.persons_updated += bool(not plan.is_new and plan.changed)
        result.candidacies_created += plan.pool_entry is not None
        result.candidacies_updated += plan.pool_amendment is not None
        result.unchanged += outcome == Outcome.UNCHANGED
    if not rows and not result.problems:
        result.problems.append(Problem("", None, "", "表中没有数据行"))
    order = {sheet.name: index for index, sheet in enumerate(sheets)}
    result.rows.sort(key=lambda r: (order.get(r.sheet, 0), r.row))
    return plans


# -- writing ------------------------------------------------------------------------------------------------


def _m2m_snapshot(history_rows: list) -> None:
    """simple-history's bulk path copies no many-to-many state: write the m2m history rows ourselves, as
    `create_historical_record_m2ms` does on a single save."""
    if not history_rows:
        return
    person_ids = [row.id for row in history_rows]
    for m2m_field in (Person._meta.get_field("skills"), Person._meta.get_field("industries")):
        history_model = HistoricalRecords.m2m_models[m2m_field]
        through = m2m_field.remote_field.through
        target = m2m_field.m2m_reverse_field_name()
        current: dict[int, list] = defaultdict(list)
        for start in range(0, len(person_ids), BATCH):
            for link in through.objects.filter(person_id__in=person_ids[start : start + BATCH]):
                current[link.person_id].append(link)
        history_model.objects.bulk_create(
            (
                history_model(
                    history=history_row,
                    id=link.id,
                    person_id=link.person_id,
                    **{f"{target}_id": getattr(link, f"{target}_id")},
                )
                for history_row in history_rows
                for link in current.get(history_row.id, [])
            ),
            batch_size=1000,
        )


def _write(actor, division: Division, plans: list[PersonPlan], result: ImportResult, request) -> None:
    run = ImportRun.objects.create(
        kind=ImportKind.ROSTER,
        user=actor,
        username=actor.get_username() if actor is not None else "console",
        division=division,
        file_name=result.file_name[:255],
        sha256=result.sha256,
    )
    reason = change_reason(ImportKind.ROSTER, result.sha256)
    now = timezone.now()
    history = {
        "default_user": actor,
        "default_change_reason": reason,
        "default_date": now,
        "batch_size": BATCH,
    }

    # Persons: new ones inserted, changed ones updated, each with a history row naming the import.
    created = [plan.person for plan in plans if plan.is_new]
    Person.objects.bulk_create(created, batch_size=BATCH)
    changed_plans = [plan for plan in plans if not plan.is_new and plan.changed]
    updated = [plan.person for plan in changed_plans]
    for person in updated:
        person.updated_at = now
    fields = [name.removesuffix("_id") if name.endswith("_id") else name for name in PERSON_FIELDS]
    fields += ["name_pinyin", "name_initials", "phone_encrypted", "phone_masked", "updated_at"]
    Person.objects.bulk_update(updated, fields, batch_size=BATCH)
    through = Person.skills.through
    reskilled = [plan for plan in changed_plans if plan.skills is not None]
    for start in range(0, len(reskilled), BATCH):
        through.objects.filter(
            person_id__in=[plan.person.pk for plan in reskilled[start : start + BATCH]]
        ).delete()
    through.objects.bulk_create(
        (
            through(person_id=plan.person.pk, skill_id=skill.pk)
            for plan in plans
            if plan.skills is not None and (plan.is_new or plan.changed)
            for skill in plan.skills
        ),
        batch_size=1000,
    )
    _m2m_snapshot(Person.history.bulk_history_create(created, **history))
    _m2m_snapshot(Person.history.bulk_history_create(updated, update=True, **history))

    # Education records.
    new_records = [record for plan in plans for record in plan.new_educations]
    for plan in plans:
        for record in plan.new_educations:
            record.person = plan.person
    EducationRecord.objects.bulk_create(new_records, batch_size=BATCH)
    EducationRecord.history.bulk_history_create(new_records, **history)
    changed_records = [record for plan in plans for record in plan.changed_educations]
    EducationRecord.objects.bulk_update(changed_records, ["school", "major"], batch_size=BATCH)
    EducationRecord.history.bulk_history_create(changed_records, update=True, **history)

    # Candidacies, through the pipeline's own module.
    entries = [plan.pool_entry for plan in plans if plan.pool_entry is not None]
    workflow.import_many_into_pool(actor=actor, entries=entries, import_run=run, change_reason=reason)
    amendments = [plan.pool_amendment for plan in plans if plan.pool_amendment is not None]
    workflow.amend_imported_pool(actor=actor, amendments=amendments, import_run=run, change_reason=reason)

    run.rows = result.data_rows
    run.persons_created = result.persons_created
    run.persons_updated = result.persons_updated
    run.candidacies_created = result.candidacies_created
    run.candidacies_updated = result.candidacies_updated
    run.save()
    result.run = run
    audit.record(
        action=AuditAction.IMPORT,
        user=actor,
        username="console" if actor is None else "",
        request=request,
        object_repr=f"花名册 {result.file_name}",
        division_code=division.code,
        detail={
            "kind": ImportKind.ROSTER,
            "import_run": run.pk,
            "file_name": result.file_name,
            "sha256": result.sha256,
            "division": division.code,
            **result.counts(),
        },
    )


def _audit_failure(actor, result: ImportResult, request) -> None:
    """A refused import writes no data, but the attempt is a security event of its own."""
    if result.ok or result.dry_run:
        return
    audit.record(
        action=AuditAction.IMPORT,
        outcome=AuditOutcome.FAILURE,
        user=actor,
        username="console" if actor is None else "",
        request=request,
        object_repr=f"花名册 {result.file_name}",
        division_code=result.division_code,
        detail={
            "kind": ImportKind.ROSTER,
            "file_name": result.file_name,
            "sha256": result.sha256,
            "division": result.division_code,
            "errors": len(result.problems),
        },
    )
