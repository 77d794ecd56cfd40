"""Writes to the person archive. Every function takes the acting user, validates before writing, runs in one
transaction and leaves history naming the actor. Bad input raises ValidationError with Chinese messages
keyed by field; nothing is written then."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from yanzhen.core import audit, crypto, text, uploads
from yanzhen.core.guards import attribute_to, raise_errors, require_editor, today, visible
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.core.models import AuditAction
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division, Industry
from yanzhen.people.codes import (
    Degree,
    Education,
    EducationKind,
    Ethnicity,
    Gender,
    PoliticalStatus,
    education_rank,
)
from yanzhen.people.idcard import IdNumberError, normalise_text, parse_id_number
from yanzhen.people.models import (
    Attachment,
    EducationRecord,
    FamilyMember,
    Person,
    ResumeLine,
    Skill,
    Source,
    age_on,
)

MOBILE = re.compile(r"^1[3-9]\d{9}$")
MINIMUM_AGE = 18
VIEW_FULL_PERMISSION = "people.view_full_personal_data"
# The national code lists as sets: `TextChoices.values` builds a new list on every call, which the roster
# import (10,000 people, each checked here) would pay a dozen times a person.
GENDERS = frozenset(Gender.values)
ETHNICITIES = frozenset(Ethnicity.values)
POLITICAL_STATUSES = frozenset(PoliticalStatus.values)
DEGREES = frozenset(Degree.values)
EDUCATIONS = frozenset(Education.values)
EDUCATION_KINDS = frozenset(EducationKind.values)


@dataclass
class EducationInput:
    kind: str
    education: str
    school: str = ""
    major: str = ""
    graduation_date: date | None = None
    degree: str = Degree.NONE


@dataclass
class FamilyInput:
    relation: str
    name: str
    birth_date: date | None = None
    political_status: str = ""
    work_unit_and_post: str = ""


@dataclass
class ResumeInput:
    start: str
    end: str
    text: str


@dataclass
class PersonInput:
    """What a clerk types on the archive form (or an import row gives).

    On update an empty `id_number` keeps the stored number and a `phone` of None keeps the stored phone, so
    the edit form never has to carry the full values."""

    name: str
    id_number: str
    village: Division
    political_status: str
    gender: str = ""  # derived from the ID number when empty
    birth_date: date | None = None  # derived from the ID number when empty
    ethnicity: str = "01"
    native_place: str = ""
    party_join_date: date | None = None
    degree: str = Degree.NONE
    phone: str | None = ""
    source: Source | None = None
    skills: list[Skill] = field(default_factory=list)
    industries: list[Industry] = field(default_factory=list)
    skills_text: str = ""
    has_industry_experience: bool = False
    rewards_and_punishments: str = ""
    notes: str = ""
    educations: list[EducationInput] | None = None  # None: leave the records as they are
    family: list[FamilyInput] | None = None
    resume: list[ResumeInput] | None = None


def normalise_phone(raw: str | None) -> str:
    return normalise_text(raw or "").replace("-", "").removeprefix("+86")


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) == 11 else ""


@lru_cache(maxsize=20_000)  # a roster repeats names (张伟, 王芳 ...): each is converted once
def pinyin_of(name: str) -> tuple[str, str]:
    # Imported here: pypinyin's phrase dictionary takes half a second to load, which every console command
    # (and every app server's start) would pay.
    from pypinyin import Style, lazy_pinyin
    from pypinyin.constants import RE_HANS

    syllables = lazy_pinyin(name)
    full = "".join(syllables).lower()
    if RE_HANS.fullmatch(name):
        # Chinese characters only: one syllable per character, and pypinyin's first-letter style is the first
        # letter of that syllable, so the second conversion is saved (10,000 names in a roster import).
        # Other text (Latin letters, digits) keeps pypinyin's own grouping.
        return full, "".join(syllable[0] for syllable in syllables).lower()
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()
    return full, initials


def _check_actor(actor, village: Division) -> None:
    if not code_in_jurisdiction(actor, village.code):
        raise Http404
    require_editor(actor)


def check_person_input(
    actor, data: PersonInput, person: Person | None, *, check_duplicate: bool = True
) -> tuple[dict[str, str], str, str]:
    """Return (errors by field, the normalised ID number, the normalised phone).

    `check_duplicate=False` skips the one query per call that looks for another person with the number: a
    bulk caller (the roster import) has looked all its numbers up at once and passes the match as `person`."""
    errors: dict[str, str] = {}
    number = ""
    try:
        parsed = parse_id_number(data.id_number)
        number = parsed.number
    except IdNumberError as wrong:
        errors["id_number"] = str(wrong)
        parsed = None
    data.name = text.normalise(data.name)
    if not data.name:
        errors["name"] = "姓名不能为空"
    if parsed is not None:
        _check_against_id_number(data, parsed, errors)
    _check_birth_date(data, errors)
    _check_codes(data, errors)
    phone = normalise_phone(data.phone)
    if phone and not MOBILE.match(phone):
        errors["phone"] = f"手机号码 {data.phone} 不是有效的大陆手机号（11 位，以 1 开头）"
    if data.village.level != Level.VILLAGE:
        errors["village"] = f"居住村须为村级单位，{data.village.name} 不是"
    _check_children(data, errors)
    if check_duplicate and number and "id_number" not in errors:
        duplicate = _duplicate_message(actor, number, person)
        if duplicate:
            errors["id_number"] = duplicate
    return errors, number, phone


def _check_against_id_number(data: PersonInput, parsed, errors: dict[str, str]) -> None:
    """Birth date and sex default to the ID number's, and must agree with it when given."""
    if data.birth_date is None:
        data.birth_date = parsed.birth_date
    elif data.birth_date != parsed.birth_date:
        errors["birth_date"] = (
            f"出生日期 {data.birth_date:%Y-%m-%d} 与身份证号中的 {parsed.birth_date:%Y-%m-%d} 不一致"
        )
    if not data.gender:
        data.gender = parsed.gender
    elif data.gender != parsed.gender:
        errors["gender"] = f"性别与身份证号不一致：身份证号表明为{Gender(parsed.gender).label}"


def _check_birth_date(data: PersonInput, errors: dict[str, str]) -> None:
    if data.birth_date is None or "birth_date" in errors:
        return
    on = today()
    if data.birth_date > on:
        errors["birth_date"] = "出生日期不能晚于今天"
    elif (age_on(data.birth_date, on) or 0) < MINIMUM_AGE:
        errors["birth_date"] = f"未满 {MINIMUM_AGE} 周岁，不能建档"


def _check_codes(data: PersonInput, errors: dict[str, str]) -> None:
    """The national code lists, and the party join date after the birth."""
    if data.gender and data.gender not in GENDERS:
        errors["gender"] = f"性别代码 {data.gender} 不在 GB/T 2261.1 中"
    if data.ethnicity not in ETHNICITIES:
        errors["ethnicity"] = f"民族代码 {data.ethnicity} 不在 GB/T 3304 中"
    if data.political_status not in POLITICAL_STATUSES:
        errors["political_status"] = f"政治面貌代码 {data.political_status} 不在 GB/T 4762 中"
    if data.degree not in DEGREES:
        errors["degree"] = f"学位代码 {data.degree} 不在 GB/T 6864 中"
    if data.party_join_date and data.birth_date and data.party_join_date < data.birth_date:
        errors["party_join_date"] = "入党时间不能早于出生日期"


def _check_children(data: PersonInput, errors: dict[str, str]) -> None:
    """Education records and family members, each error keyed by its line (`educations.2`)."""
    for index, education in enumerate(data.educations or [], start=1):
        if education.education not in EDUCATIONS:
            errors[f"educations.{index}"] = f"第 {index} 条学历：代码 {education.education} 不在 GB/T 4658 中"
        elif education.kind not in EDUCATION_KINDS:
            errors[f"educations.{index}"] = f"第 {index} 条学历：类别须为全日制或在职"
    for index, member in enumerate(data.family or [], start=1):
        if not member.name.strip() or not member.relation.strip():
            errors[f"family.{index}"] = f"第 {index} 位家庭成员：称谓和姓名不能为空"
        elif member.political_status and member.political_status not in POLITICAL_STATUSES:
            errors[f"family.{index}"] = (
                f"第 {index} 位家庭成员：政治面貌代码 {member.political_status} 不在 GB/T 4762 中"
            )


def _duplicate_message(actor, number: str, person: Person | None) -> str:
    """The refusal of an ID number another person holds: named inside the jurisdiction, not outside it."""
    same_number = Person.objects.filter(id_number_hash=crypto.keyed_hash(number))
    existing = (same_number if person is None else same_number.exclude(pk=person.pk)).first()
    if existing is None:
        return ""
    if Person.objects.restrict(actor).filter(pk=existing.pk).exists():
        return f"该身份证号已登记：{existing.name}（{existing.village.name}），请勿重复建档"
    return "该身份证号已在系统中登记（不在您的辖区内），请联系上级组织部门"


def apply_person_input(person: Person, data: PersonInput, number: str, phone: str) -> None:
    """Copy checked input onto the person (not saved): the archive's services and the roster import's planner
    both write a person this one way."""
    person.name = text.normalise(data.name)
    person.name_pinyin, person.name_initials = pinyin_of(person.name)
    person.gender = data.gender
    person.ethnicity = data.ethnicity
    person.birth_date = data.birth_date  # type: ignore[assignment]  # required: checked before
    person.native_place = data.native_place.strip()
    person.political_status = data.political_status
    person.party_join_date = data.party_join_date
    person.degree = data.degree
    person.id_number_encrypted = crypto.encrypt(number)
    person.id_number_hash = crypto.keyed_hash(number)
    person.id_number_masked = number[:6] + "********" + number[-4:]
    person.phone_encrypted = crypto.encrypt(phone)
    person.phone_hash = crypto.keyed_hash(phone)
    person.phone_masked = mask_phone(phone)
    person.village = data.village
    person.source = data.source
    person.skills_text = data.skills_text.strip()
    person.has_industry_experience = data.has_industry_experience
    person.rewards_and_punishments = data.rewards_and_punishments
    person.notes = data.notes


def _write_person(actor, data: PersonInput, person: Person | None) -> Person:
    """The input checked (against the archive, without `person` when he is new) and written: the person,
    his skills and industries, and the lists given (see `_replace_children`)."""
    errors, number, phone = check_person_input(actor, data, person)
    raise_errors(errors)
    person = person or Person()
    apply_person_input(person, data, number, phone)
    attribute_to(person, actor)
    person.save()
    person.skills.set(data.skills)
    person.industries.set(data.industries)
    _replace_children(person, data, actor)
    return person


def _replace_children(person: Person, data: PersonInput, actor) -> None:
    """The education records, family members and resume lines given replace the person's (a list not
    given, None, leaves them as they are); family and resume keep the order given."""
    for rows, model, items, ordered in (
        (person.educations, EducationRecord, data.educations, False),
        (person.family, FamilyMember, data.family, True),
        (person.resume_lines, ResumeLine, data.resume, True),
    ):
        if items is None:
            continue
        rows.all().delete()
        for order, item in enumerate(items):
            child = model(person=person, **({"order": order} if ordered else {}), **item.__dict__)
            attribute_to(child, actor)
            child.save()
    refresh_highest_education(person)


def refresh_highest_education(person: Person) -> None:
    codes = list(person.educations.values_list("education", flat=True))
    highest = min(codes, key=education_rank) if codes else ""
    if person.highest_education != highest:
        Person.objects.filter(pk=person.pk).update(highest_education=highest)
        person.highest_education = highest


@transaction.atomic
def create_person(*, actor, data: PersonInput) -> Person:
    _check_actor(actor, data.village)
    if data.phone is None:
        data = replace(data, phone="")
    return _write_person(actor, data, None)


@transaction.atomic
def update_person(*, actor, person: Person, data: PersonInput) -> Person:
    _check_actor(actor, person.village)
    _check_actor(actor, data.village)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not (data.id_number or "").strip() or data.phone is None:
        data = replace(data)  # the caller's input stays as given
        if not (data.id_number or "").strip():
            data.id_number = person.reveal_id_number()
        if data.phone is None:
            data.phone = person.reveal_phone()
    return _write_person(actor, data, person)


def can_view_full_personal_data(actor) -> bool:
    return actor.is_superuser or actor.has_perm(VIEW_FULL_PERMISSION)


def _check_reveal(actor, person: Person, request, action: AuditAction) -> None:
    """A full number is shown inside the jurisdiction (else 404), with the permission (else 403), audited."""
    visible(actor, person)
    if not can_view_full_personal_data(actor):
        raise PermissionDenied
    audit.record(action=action, user=actor, request=request, object_repr=f"person {person.pk}")


def reveal_id_number(*, actor, person: Person, request=None) -> str:
    """The full ID number, for a user with the permission; every viewing goes to the audit log."""
    _check_reveal(actor, person, request, AuditAction.VIEW_FULL_ID_NUMBER)
    return person.reveal_id_number()


def reveal_phone(*, actor, person: Person, request=None) -> str:
    """The full phone number, as `reveal_id_number`."""
    _check_reveal(actor, person, request, AuditAction.VIEW_FULL_PHONE)
    return person.reveal_phone()


PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png"}


@transaction.atomic
def add_attachment(*, actor, person: Person, title: str, uploaded_file) -> Attachment:
    """Store a scanned document of the archive under a random name; the type is checked by the extension
    and by the content, the size against 10 MB."""
    _check_actor(actor, person.village)
    errors: dict[str, str] = {}
    title = text.normalise(title or "")
    if not title:
        errors["title"] = "标题：不能为空"
    elif len(title) > 100:
        errors["title"] = "标题：不能超过 100 个字"
    refused = uploads.document_error(uploaded_file)
    if refused:
        errors["file"] = refused
    raise_errors(errors)
    content_type = uploads.accept_document(uploaded_file)
    attachment = Attachment(
        person=person,
        title=title,
        file=uploaded_file,
        content_type=content_type,
        size=uploaded_file.size,
        uploaded_by=actor,
    )
    attribute_to(attachment, actor)
    attachment.save()
    return attachment


@transaction.atomic
def set_photo(*, actor, person: Person, uploaded_file) -> Person:
    """Replace the person's photo: a JPEG or PNG of at most 2 MB that Pillow can read."""
    _check_actor(actor, person.village)
    if uploaded_file is None:
        raise ValidationError({"photo": "照片：请选择文件"})
    if uploaded_file.size > PHOTO_MAX_BYTES:
        raise ValidationError({"photo": "照片：文件超过 2 MB"})
    # Opened and decoded by Pillow within the one pixel limit (core.uploads): a 48 KB PNG may claim
    # 20000×20000 pixels.
    try:
        image_format = uploads.check_image(uploaded_file, tuple(PHOTO_FORMATS))
    except uploads.NotThisKind:
        raise ValidationError({"photo": "照片：只接受 JPG、PNG 图片"}) from None
    except uploads.Refused as refused:
        raise ValidationError({"photo": f"照片：{refused}"}) from None
    person = Person.objects.select_for_update().get(pk=person.pk)
    old = person.photo.name if person.photo else ""
    uploaded_file.seek(0)
    person.photo.save(f"{uuid.uuid4().hex}.{PHOTO_FORMATS[image_format]}", uploaded_file, save=False)
    attribute_to(person, actor)
    person.save()
    if old:
        # The old file goes once the new one is recorded; the history keeps only its name.
        transaction.on_commit(lambda: person.photo.storage.delete(old))
    return person
