"""Importing one person from a 干部任免审批表 file (.lrmx), the counterpart of `people.lrmx.build_lrmx`.

The XML is parsed with defusedxml (no entities, no external references). The person is matched by the ID
number; the form's fields replace the archive's, through the archive's own services, and a file exported
from the system and imported again changes nothing. What the form cannot say is kept: the village, the
political status (LRMX has no element for it), the phone, the source; education records other than the best
of each kind. A new person needs a village and, unless the form gives a party date, a political status.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field, replace
from datetime import date

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from yanzhen.core import audit, crypto
from yanzhen.core.guards import attribute_to
from yanzhen.core.models import AuditAction
from yanzhen.core.text import normalise
from yanzhen.divisions.models import Division
from yanzhen.people import services
from yanzhen.people.codes import Degree, EducationKind, PoliticalStatus
from yanzhen.people.idcard import IdNumberError, parse_id_number
from yanzhen.people.models import EducationRecord, FamilyMember, Person, ResumeLine
from yanzhen.people.services import FamilyInput, PersonInput, ResumeInput
from yanzhen.rosters import columns as C
from yanzhen.rosters.importer import check_scope
from yanzhen.rosters.lookups import SkillIndex
from yanzhen.rosters.models import ImportKind, ImportRun, change_reason
from yanzhen.rosters.reader import sha256_of

MAX_LRMX_BYTES = 5 * 1024 * 1024
RESUME_LINE = re.compile(r"^\s*(\S*?)\s*-{1,2}\s*(\S*)\s+(.+?)\s*$")
EDUCATION_PREFIXES = {EducationKind.FULL_TIME: "QuanRiZhiJiaoYu", EducationKind.IN_SERVICE: "ZaiZhiJiaoYu"}


class LrmxError(ValueError):
    """The file cannot be imported; `errors` are Chinese messages."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("；".join(errors))


@dataclass
class LrmxResult:
    person: Person
    created: bool
    changed: list[str] = field(default_factory=list)
    run: ImportRun | None = None

    @property
    def unchanged(self) -> bool:
        return not self.created and not self.changed


def _year_month(text: str) -> C.RosterDate | None:
    text = C.compact(text)
    if not text:
        return None
    found = C.read_date(text)
    return found[0] if isinstance(found, list) else found


def parse_lrmx(content: bytes) -> dict:
    """The elements of a <Person> as text (JiaTingChengYuan as a list of dicts)."""
    if len(content) > MAX_LRMX_BYTES:
        raise LrmxError([f"文件超过 {MAX_LRMX_BYTES // (1024 * 1024)} MB"])
    try:
        root = ElementTree.fromstring(content, forbid_dtd=True)
    except DefusedXmlException:
        raise LrmxError(["文件含有 DTD 或实体定义，不予导入"]) from None
    except ElementTree.ParseError:
        raise LrmxError(["文件不是有效的任免审批表（XML 无法解析）"]) from None
    if root.tag != "Person":
        raise LrmxError(["文件不是任免审批表：根元素应为 <Person>"])
    values: dict = {}
    for child in root:
        if child.tag == "JiaTingChengYuan":
            values["family"] = [
                {element.tag: normalise(element.text or "") for element in item}
                for item in child
                if item.tag == "Item"
            ]
        else:
            values[child.tag] = normalise(
                child.text or "", multiline=True
            )  # core.text: no invisible characters
    return values


def _family(values: dict, existing: list[FamilyMember]) -> list[FamilyInput]:
    members = []
    for index, item in enumerate(values.get("family", [])):
        if not item.get("XingMing") and not item.get("ChengWei"):
            continue
        stored = existing[index] if index < len(existing) else None
        born = None
        if item.get("ChuShengRiQi"):
            try:
                born = _year_month(item["ChuShengRiQi"])
            except C.ValueProblem:
                born = None
        status = ""
        if item.get("ZhengZhiMianMao"):
            try:
                status = C.read_political_status(item["ZhengZhiMianMao"])
            except C.ValueProblem:
                raise LrmxError(
                    [f"家庭成员{item.get('XingMing', '')}的政治面貌“{item['ZhengZhiMianMao']}”无法识别"]
                ) from None
        members.append(
            FamilyInput(
                relation=C.clean(item.get("ChengWei", ""), keep_punctuation=True),
                name=C.compact(item.get("XingMing", "")),
                birth_date=_kept_day(born, stored.birth_date if stored else None),
                political_status=status,
                work_unit_and_post=C.clean(item.get("GongZuoDanWeiJiZhiWu", ""), keep_punctuation=True),
            )
        )
    return members


def _kept_day(given: C.RosterDate | None, stored: date | None) -> date | None:
    if given is None:
        return None
    return stored if stored is not None and given.matches(stored) else given.to_date()


def _resume(text: str) -> list[ResumeInput]:
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip():
            continue
        match = RESUME_LINE.match(line)
        if match:
            lines.append(ResumeInput(start=match[1][:7], end=match[2][:7], text=match[3][:300]))
        else:
            lines.append(ResumeInput(start="", end="", text=line.strip()[:300]))
    return lines


def _educations(values: dict) -> list[tuple[str, str, str, str]]:
    """(kind, code, degree, school and major as one text) of the form's best educations."""
    found = []
    for kind, prefix in EDUCATION_PREFIXES.items():
        label = C.clean(values.get(f"{prefix}_XueLi", ""))
        if not label:
            continue
        try:
            code, _kind = C.read_education(label)
        except C.ValueProblem as problem:
            raise LrmxError([str(problem)]) from None
        degree = Degree.NONE
        if C.clean(values.get(f"{prefix}_XueWei", "")):
            try:
                degree = C.read_degree(values[f"{prefix}_XueWei"])
            except C.ValueProblem as problem:
                raise LrmxError([str(problem)]) from None
        school = C.clean(values.get(f"{prefix}_XueLi_BiYeYuanXiaoXi", ""), keep_punctuation=True)
        found.append((kind, code, degree, school))
    return found


def _normalised_lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


@transaction.atomic
def import_lrmx(
    *,
    actor,
    content: bytes,
    file_name: str,
    village: Division | None = None,
    political_status: str = "",
    request=None,
) -> LrmxResult:
    """Create or update the person a .lrmx file describes. Raises LrmxError or ValidationError (nothing is
    written then); PermissionDenied/Http404 outside the actor's rights."""
    values = parse_lrmx(content)
    errors: list[str] = []
    raw_number = C.compact(values.get("ShenFenZheng", "")).upper()
    if "*" in raw_number:
        raise LrmxError(["身份证号已脱敏，无法据此导入：请由有权查看完整身份证号的用户导出后再导入"])
    try:
        parsed = parse_id_number(raw_number)
    except IdNumberError as wrong:
        raise LrmxError([f"身份证号：{wrong}"]) from None
    existing = (
        Person.objects.filter(id_number_hash=crypto.keyed_hash(parsed.number))
        .select_related("village")
        .first()
    )
    if existing is not None:
        if actor is not None and not Person.objects.restrict(actor).filter(pk=existing.pk).exists():
            raise LrmxError(["该身份证号已在系统中登记（不在您的辖区内），请联系上级组织部门"])
        village = existing.village
    if village is None:
        raise LrmxError(["新建人员须选择居住村"])
    check_scope(actor, village)
    born = None
    try:
        born = _year_month(values.get("ChuShengNianYue", ""))
    except C.ValueProblem as problem:
        errors.append(f"出生年月：{problem}")
    if born is not None and not born.matches(parsed.birth_date):
        errors.append(f"出生年月 {born} 与身份证号中的出生日期 {parsed.birth_date:%Y-%m-%d} 不一致")
    gender = ethnicity = ""
    try:
        gender = C.read_gender(values["XingBie"]) if C.compact(values.get("XingBie", "")) else ""
        ethnicity = C.read_ethnicity(values["MinZu"]) if C.compact(values.get("MinZu", "")) else ""
    except C.ValueProblem as problem:
        errors.append(str(problem))
    party = None
    try:
        party = _year_month(values.get("RuDangShiJian", ""))
    except C.ValueProblem:
        party = None  # LRMX allows text here (民主党派 names): not a date, not stored
    educations = _educations(values)
    skills, others = SkillIndex().read(values.get("ShuXiZhuanYeYouHeZhuanChang", ""))
    if errors:
        raise LrmxError(errors)

    status = political_status or (existing.political_status if existing else "")
    if not status:
        status = PoliticalStatus.CPC_MEMBER if party is not None else ""
        if not status:
            raise LrmxError(["任免审批表不含政治面貌：新建人员须选择政治面貌"])
    family_before = list(existing.family.all()) if existing else []
    data = PersonInput(
        name=C.compact(values.get("XingMing", "")),
        id_number=parsed.number,
        village=village,
        political_status=status,
        gender=gender,
        ethnicity=ethnicity or (existing.ethnicity if existing else "01"),
        native_place=C.clean(values.get("JiGuan", ""), keep_punctuation=True),
        party_join_date=_kept_day(party, existing.party_join_date if existing else None),
        degree=existing.degree
        if existing
        else next((e[2] for e in educations if e[2] != Degree.NONE), Degree.NONE),
        phone=None if existing else "",
        source=existing.source if existing else None,
        skills=skills,
        industries=list(existing.industries.all()) if existing else [],
        skills_text=existing.skills_text
        if existing and C.split_list(existing.skills_text) == others
        else "、".join(others),
        has_industry_experience=existing.has_industry_experience if existing else False,
        rewards_and_punishments=_normalised_lines(values.get("JiangChengQingKuang", "")),
        notes=existing.notes if existing else "",
        family=_family(values, family_before),
        resume=_resume(values.get("JianLi", "")),
    )
    started = timezone.now()
    changed: list[str] = []
    if existing is None:
        person = services.create_person(actor=actor, data=data)
        created = True
    else:
        person = existing
        created = False
        changed = _changes(existing, data)
        if changed:
            unchanged_children = {"family": data.family, "resume": data.resume}
            if "family" not in changed:
                unchanged_children["family"] = None
            if "resume" not in changed:
                unchanged_children["resume"] = None
            if _normalised_lines(existing.rewards_and_punishments) == data.rewards_and_punishments:
                data.rewards_and_punishments = existing.rewards_and_punishments
            person = services.update_person(
                actor=actor, person=existing, data=replace(data, **unchanged_children)
            )
    education_changed = _apply_educations(actor, person, educations)
    if education_changed and "education" not in changed and not created:
        changed.append("education")
    photo = C.compact(values.get("ZhaoPian", ""))
    if photo and not person.photo:
        try:
            image = base64.b64decode(photo, validate=True)
        except (binascii.Error, ValueError):
            image = b""
        if image:
            try:
                services.set_photo(
                    actor=actor, person=person, uploaded_file=SimpleUploadedFile("photo.jpg", image)
                )
                if not created:
                    changed.append("photo")
            except ValidationError:
                pass  # a broken photo does not stop the form's data
    result = LrmxResult(person, created, changed)
    if created or changed:
        sha = sha256_of(content)
        reason = change_reason(ImportKind.LRMX, sha)
        for model, lookup in (
            (Person, {"id": person.pk}),
            (EducationRecord, {"person_id": person.pk}),
            (FamilyMember, {"person_id": person.pk}),
            (ResumeLine, {"person_id": person.pk}),
        ):
            model.history.filter(history_date__gte=started, **lookup).update(history_change_reason=reason)
        result.run = ImportRun.objects.create(
            kind=ImportKind.LRMX,
            user=actor,
            username=actor.get_username() if actor is not None else "console",
            division=person.village,
            file_name=file_name[:255],
            sha256=sha,
            rows=1,
            persons_created=int(created),
            persons_updated=int(not created),
        )
        audit.record(
            action=AuditAction.IMPORT,
            user=actor,
            username="console" if actor is None else "",
            request=request,
            object_repr=f"任免审批表 {file_name}"[:200],
            division_code=person.village_id,
            detail={
                "kind": ImportKind.LRMX,
                "import_run": result.run.pk,
                "sha256": sha,
                "person": person.pk,
                "created": created,
                "changed": changed,
            },
        )
    return result


def _changes(person: Person, data: PersonInput) -> list[str]:
    changed = []
    for name in ("name", "gender", "ethnicity", "native_place", "party_join_date", "skills_text"):
        new = getattr(data, name)
        if name == "gender" and not new:
            continue
        if new != getattr(person, name):
            changed.append(name)
    if {skill.pk for skill in data.skills} != set(person.skills.values_list("pk", flat=True)):
        changed.append("skills")
    if data.rewards_and_punishments != _normalised_lines(person.rewards_and_punishments):
        changed.append("rewards_and_punishments")
    family = [
        (m.relation, m.name, m.birth_date, m.political_status, m.work_unit_and_post)
        for m in person.family.all()
    ]
    if family != [
        (m.relation, m.name, m.birth_date, m.political_status, m.work_unit_and_post)
        for m in data.family or []
    ]:
        changed.append("family")
    resume = [(line.start, line.end, line.text) for line in person.resume_lines.all()]
    if resume != [(line.start, line.end, line.text) for line in data.resume or []]:
        changed.append("resume")
    return changed


def _apply_educations(actor, person: Person, educations) -> bool:
    """Add or correct the best education of each kind the form gives; other records stay."""
    changed = False
    for kind, code, degree, school in educations:
        records = list(person.educations.filter(kind=kind, education=code))
        if records:
            if school and all(f"{r.school}{r.major}" != school for r in records):
                record = records[0]
                record.school, record.major = school[:100], ""
                attribute_to(record, actor)
                record.save()
                changed = True
            continue
        record = EducationRecord(person=person, kind=kind, education=code, degree=degree, school=school[:100])
        attribute_to(record, actor)
        record.save()
        changed = True
    if changed:
        services.refresh_highest_education(person)
    return changed
