"""Planning one person (每人的导入计划): what a read row would do to the archive, written down in a
`PersonPlan` and nothing written yet. `Planner` loads the matched people, their skills, education records
and active candidacies in batches, validates each row's person with the archive's own
`people.services.check_person_input` (and copies it with `apply_person_input`), and works out the changed fields,
the new and changed education records, and the pool entry or amendment (candidacies.pool_import). importer.py
writes the plans.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from yanzhen.candidacies import pool_import, workflow
from yanzhen.candidacies.models import ACTIVE_STATES, Candidacy, CandidacyState
from yanzhen.core import crypto, text
from yanzhen.core.guards import operator_scope
from yanzhen.divisions.models import Division
from yanzhen.people.codes import Degree, education_rank
from yanzhen.people.models import EducationRecord, Person
from yanzhen.people.services import EducationInput, PersonInput, apply_person_input, check_person_input
from yanzhen.posts.models import PostType
from yanzhen.rosters import columns as C
from yanzhen.rosters.lookups import VillageIndex
from yanzhen.rosters.rows import ParsedRow

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
# The field of a row each `check_person_input` error key belongs to.
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
# Rows per `IN (...)` query and per bulk statement, here and in importer._write.
BATCH = 500


@dataclass
class PersonPlan:
    row: ParsedRow
    person: Person
    is_new: bool
    changed: list[str] = field(default_factory=list)
    skills: list | None = None  # the new skill set when it changes, else None
    new_educations: list[EducationRecord] = field(default_factory=list)
    changed_educations: list[EducationRecord] = field(default_factory=list)
    pool_entry: pool_import.PoolEntry | None = None
    pool_amendment: pool_import.PoolAmendment | None = None


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


@cache
def _blank_person() -> Person:
    """A new archive's defaults, read (never changed) for each new person of a roster."""
    return Person()


def _person_input(row: ParsedRow, existing: Person | None, number: str, village: Division) -> PersonInput:
    """The archive's input from a row: a column left out keeps the stored value (or the new archive's
    default). A new archive without 政治面貌 is a problem of the row."""
    values = row.values
    base = existing or _blank_person()
    education = values.get("education")
    data = PersonInput(
        name=values["name"],
        id_number=number,
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
        notes=_notes(row, base.notes if existing else "", existing is None),
        educations=[EducationInput(kind=education[1], education=education[0])] if education else [],
    )
    if existing is None:
        _require_political_status(row)
    return data


def _require_political_status(row: ParsedRow) -> None:
    if "political_status" not in row.values and not any(
        p.column == row.header("political_status") for p in row.problems
    ):
        row.problem("political_status", "政治面貌不能为空")


def _read_skills(data: PersonInput, existing: Person | None, values: dict) -> set[int] | None:
    """The 特长 column: known skills chosen, the others kept as text (unchanged when the same); the chosen
    skills' ids, or None without the column."""
    if "skills" not in values:
        return None
    skills, others = values["skills"]
    data.skills = skills
    if not (existing and _same_parts(existing.skills_text, others)):
        data.skills_text = "、".join(others)
    return {skill.pk for skill in skills}


def _too_long(row: ParsedRow, data: PersonInput) -> bool:
    """备注 gathers the unknown columns too, and 特长 the unknown skills: each may outgrow its field."""
    too_long = text.check_lengths(Person, {"notes": data.notes, "skills_text": data.skills_text})
    for key, message in too_long.items():
        row.problem("notes" if key == "notes" else "skills", message)
    return bool(too_long)


def _report_errors(row: ParsedRow, errors: dict[str, str], *, is_new: bool) -> None:
    """The archive's refusals as problems of the row, each on its column."""
    values = row.values
    for key, message in errors.items():
        field_name = ERROR_FIELDS.get(key.split(".")[0], "education" if key.startswith("educations") else "")
        if field_name == "birth" and "birth" not in row.cells:
            field_name = "id_number"
        if field_name == "political_status" and "political_status" not in values and is_new:
            continue  # already said: 政治面貌不能为空
        row.problem(field_name or "id_number", message)


def _plan_row_education(plan: PersonPlan, existing: Person | None, values: dict, records: list) -> None:
    """The row's education: a new record (added to `records`), or the school and major of the same record
    corrected."""
    code, kind = values["education"]
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


def _amendment(active: list[Candidacy], posts: list[PostType], entered) -> pool_import.PoolAmendment | None:
    """The posts the row adds to a reserve already in the pool, and his entry date when the row gives
    another; None when the row changes neither."""
    targeted = {target.post_type_id for c in active for target in c.targets.all() if target.active}
    missing = [post for post in posts if post.pk not in targeted]
    new_date = None
    if entered is not None and not any(
        c.entered_pool_on and entered.matches(c.entered_pool_on) for c in active
    ):
        new_date = entered.to_date()
    if missing or new_date is not None:
        return pool_import.PoolAmendment(min(active, key=lambda c: c.pk), missing, new_date)
    return None


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
        visible = operator_scope(Person.objects.all(), self.actor)
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
        # Outside the jurisdiction check_person_input says so in its own words ("不在您的辖区内").
        in_scope = existing is None or existing.pk in self.in_scope
        if parsed is not None:
            _birth_check(row, parsed.birth_date)
        village = values.get("village")
        if village is None or parsed is None or "name" not in values:
            return None
        data = _person_input(row, existing, parsed.number, village)
        skill_set = _read_skills(data, existing, values)
        if _too_long(row, data):
            return None
        errors, number, phone = check_person_input(
            self.actor, data, existing if in_scope else None, check_duplicate=False
        )
        if not in_scope and "id_number" not in errors:
            errors["id_number"] = "该身份证号已在系统中登记（不在您的辖区内），请联系上级组织部门"
        _report_errors(row, errors, is_new=existing is None)
        if errors:
            return None
        person = copy.copy(existing) if existing is not None else Person()
        apply_person_input(person, data, number, phone)
        plan = PersonPlan(row, person, existing is None)
        self._plan_educations(plan, existing, values)
        if existing is not None:
            self._plan_changes(plan, existing, data, skill_set)
        elif data.skills:
            plan.skills = data.skills
        self._plan_candidacy(plan, existing, village)
        return plan

    def _plan_changes(self, plan: PersonPlan, existing: Person, data: PersonInput, skill_set) -> None:
        """What the row changes on a person already in the archive."""
        person = plan.person
        # The ciphertexts change on every encryption: keep the stored ones for the same values.
        person.id_number_encrypted = existing.id_number_encrypted
        if person.phone_hash == existing.phone_hash:
            person.phone_encrypted = existing.phone_encrypted
        plan.changed = [name for name in PERSON_FIELDS if getattr(person, name) != getattr(existing, name)]
        if skill_set is not None and skill_set != self.skill_ids.get(existing.pk, set()):
            plan.skills = data.skills
            plan.changed.append("skills")
        if plan.new_educations or plan.changed_educations:
            plan.changed.append("education")

    def _plan_educations(self, plan: PersonPlan, existing: Person | None, values: dict) -> None:
        records = list(self.educations.get(existing.pk, [])) if existing is not None else []
        if values.get("education") is not None:
            _plan_row_education(plan, existing, values, records)
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
            self._plan_pool_entry(plan, village, posts, entered)
            return
        plan.pool_amendment = _amendment(active, posts, entered)

    def _plan_pool_entry(
        self, plan: PersonPlan, village: Division, posts: list[PostType], entered: C.RosterDate | None
    ) -> None:
        """A person without an active candidacy in the village enters the pool for the row's posts."""
        row = plan.row
        if not posts:
            if "target_posts" not in row.values and not any(
                p.column == row.header("target_posts") for p in row.problems
            ):
                row.problem("target_posts", "后备岗位不能为空")
            return
        plan.pool_entry = pool_import.PoolEntry(
            plan.person, village, posts, entered.to_date() if entered else self.on
        )
