"""The roster import (花名册导入): all or nothing, idempotent, audited, fast enough for 10,000 rows.

    import_roster(actor=..., content=..., file_name=..., division=..., dry_run=False) -> ImportResult

1. The file is checked (reader.check_package) and its tables found (reader.read_workbook).
2. Every row is read in memory (rows.py, with columns.py), its names matched (lookups.py), and the person
   it describes planned and validated by the archive's own rules (planner.py, through
   `people.services._validate`, the same the archive form uses).
   People are matched by the keyed hash of the ID number; what a row leaves blank keeps the stored value.
3. Any problem anywhere: nothing is written, and the result lists every problem with its row, column and
   reason in Chinese (results.py). `dry_run` stops here too, with the counts the import would have.
4. Otherwise one transaction writes in bulk: persons (bulk insert/update plus their field history, m2m
   snapshots included), education records, in-pool candidacies (candidacies.pool_import), one ImportRun and
   one audit event. The inserts and their history rows go through `core.bulk` (what `bulk_create` and
   simple-history's `bulk_history_create` write, without the insert compiler's cost per value). Each history row names the actor and the import ("花名册导入 <sha256[:12]>").
   Importing the same file again finds nothing to change and writes no history.

`actor` None is the console operator (`yanzhen import-roster` without --user): no jurisdiction limit.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from simple_history.models import HistoricalRecords

from yanzhen.candidacies import pool_import
from yanzhen.core import audit, bulk, crypto
from yanzhen.core.guards import require_editor, today
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.core.models import AuditAction, AuditOutcome
from yanzhen.core.progress import Progress, report
from yanzhen.divisions.models import Division
from yanzhen.people.idcard import mask_id_number
from yanzhen.people.models import EducationRecord, Person
from yanzhen.rosters import columns as C
from yanzhen.rosters.lookups import PostIndex, SkillIndex, SourceIndex, VillageIndex
from yanzhen.rosters.models import ImportKind, ImportRun, change_reason
from yanzhen.rosters.planner import BATCH, PERSON_FIELDS, PersonPlan, Planner
from yanzhen.rosters.reader import RosterFileError, Sheet, check_package, read_workbook, sha256_of
from yanzhen.rosters.results import ImportResult, Outcome, Problem, RowResult
from yanzhen.rosters.rows import ParsedRow, RowReader, _is_footer, _split_row

# The console's progress bar (core.progress): the sheets' rows read, then the rows checked against the
# database, every PROGRESS_EVERY rows and the last; then the write in its steps (persons, education records,
# candidacies, the import run and audit event).
READING = "读取行"
CHECKING = "检查行"
WRITING = "写入"
PROGRESS_EVERY = 100
WRITE_STEPS = 4

# Columns a roster must have (村 only when the import is for more than one village).
REQUIRED_COLUMNS = ("name", "id_number", "political_status", "target_posts")
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


# -- the import ---------------------------------------------------------------------------------------------


def check_scope(actor, division: Division) -> None:
    """The actor may import into the division: inside his jurisdiction (else 404) and an editor (else 403)."""
    if actor is None:
        return
    if not code_in_jurisdiction(actor, division.code):
        raise Http404
    require_editor(actor)


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
    progress: Progress | None = None,
) -> ImportResult:
    """Validate a roster and, when every row is right and this is no dry run, write it in one transaction.
    `progress` hears the rows checked, then the steps of the write."""
    check_scope(actor, division)
    on = on or today()
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
        plans = _plan(actor, division, on, villages, sheets, result, progress)
        if not result.problems and not dry_run:
            _write(actor, division, plans, result, request, progress)
    if not dry_run:
        _audit_failure(actor, result, request)
    return result


def _plan(
    actor, division, on, villages, sheets: list[Sheet], result: ImportResult, progress: Progress | None = None
) -> list[PersonPlan]:
    reader = RowReader(villages, PostIndex(), SourceIndex(), SkillIndex(), on)
    rows: list[ParsedRow] = []
    in_sheets, read = sum(len(sheet.rows) for sheet in sheets), 0
    for sheet in sheets:
        for number, cells in sheet.rows:
            read += 1
            if read % PROGRESS_EVERY == 0 or read == in_sheets:
                report(progress, read, in_sheets, READING)
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
    for checked, row in enumerate(rows, start=1):
        if checked % PROGRESS_EVERY == 0 or checked == len(rows):
            report(progress, checked, len(rows), CHECKING)
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


def _m2m_snapshot(history_ids: list[int], people: list[Person]) -> None:
    """simple-history's bulk path copies no many-to-many state: write the m2m history rows ourselves, as
    `create_historical_record_m2ms` does on a single save (`history_ids[i]` is `people[i]`'s new row)."""
    if not history_ids:
        return
    person_ids = [person.pk for person in people]
    for m2m_field in (Person._meta.get_field("skills"), Person._meta.get_field("industries")):
        history_model = HistoricalRecords.m2m_models[m2m_field]
        through = m2m_field.remote_field.through
        target = m2m_field.m2m_reverse_field_name()
        current: dict[int, list] = defaultdict(list)
        for start in range(0, len(person_ids), BATCH):
            for link in through.objects.filter(person_id__in=person_ids[start : start + BATCH]):
                current[link.person_id].append(link)
        bulk.insert(
            [
                history_model(
                    history_id=history_id,
                    id=link.id,
                    person_id=link.person_id,
                    **{f"{target}_id": getattr(link, f"{target}_id")},
                )
                for history_id, person_id in zip(history_ids, person_ids, strict=True)
                for link in current.get(person_id, [])
            ]
        )


def _write(
    actor, division: Division, plans: list[PersonPlan], result: ImportResult, request, progress=None
) -> None:
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
    history = {"user": actor, "change_reason": reason, "date": now}

    # Persons: new ones inserted, changed ones updated, each with a history row naming the import.
    created = [plan.person for plan in plans if plan.is_new]
    bulk.insert(created)
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
    bulk.insert(
        [
            through(person_id=plan.person.pk, skill_id=skill.pk)
            for plan in plans
            if plan.skills is not None and (plan.is_new or plan.changed)
            for skill in plan.skills
        ]
    )
    _m2m_snapshot(bulk.insert_history(Person, created, **history), created)
    _m2m_snapshot(bulk.insert_history(Person, updated, update=True, **history), updated)
    report(progress, 1, WRITE_STEPS, WRITING)

    # Education records.
    new_records = [record for plan in plans for record in plan.new_educations]
    for plan in plans:
        for record in plan.new_educations:
            record.person = plan.person
    bulk.insert_with_history(new_records, **history)
    changed_records = [record for plan in plans for record in plan.changed_educations]
    EducationRecord.objects.bulk_update(changed_records, ["school", "major"], batch_size=BATCH)
    bulk.insert_history(EducationRecord, changed_records, update=True, **history)
    report(progress, 2, WRITE_STEPS, WRITING)

    # Candidacies, through the pipeline's own module.
    entries = [plan.pool_entry for plan in plans if plan.pool_entry is not None]
    pool_import.import_many_into_pool(actor=actor, entries=entries, import_run=run, change_reason=reason)
    amendments = [plan.pool_amendment for plan in plans if plan.pool_amendment is not None]
    pool_import.amend_imported_pool(actor=actor, amendments=amendments, import_run=run, change_reason=reason)
    report(progress, 3, WRITE_STEPS, WRITING)

    run.rows = result.data_rows
    run.persons_created = result.persons_created
    run.persons_updated = result.persons_updated
    run.candidacies_created = result.candidacies_created
    run.candidacies_updated = result.candidacies_updated
    run.save()
    result.run = run
    _audit(actor, request, result, division.code, run=run, **result.counts())
    report(progress, WRITE_STEPS, WRITE_STEPS, WRITING)


def _audit_failure(actor, result: ImportResult, request) -> None:
    """A refused import writes no data, but the attempt is a security event of its own."""
    if result.ok or result.dry_run:
        return
    _audit(
        actor,
        request,
        result,
        result.division_code,
        outcome=AuditOutcome.FAILURE,
        errors=len(result.problems),
    )


def _audit(
    actor,
    request,
    result: ImportResult,
    division_code: str,
    *,
    run: ImportRun | None = None,
    outcome=AuditOutcome.SUCCESS,
    **detail,
) -> None:
    """The import's audit event: its run (once written), the file, its hash and the division, then what
    `detail` adds (the counts, or the number of errors)."""
    audit.record(
        action=AuditAction.IMPORT,
        outcome=outcome,
        user=actor,
        username="console" if actor is None else "",
        request=request,
        object_repr=f"花名册 {result.file_name}",
        division_code=division_code,
        detail={
            "kind": ImportKind.ROSTER,
            **({"import_run": run.pk} if run is not None else {}),
            "file_name": result.file_name,
            "sha256": result.sha256,
            "division": division_code,
            **detail,
        },
    )
