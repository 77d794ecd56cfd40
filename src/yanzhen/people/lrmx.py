"""The 干部任免审批表 exchange file (.lrmx): UTF-8 XML, root <Person>, pinyin element names (../shared/CODES.md).

`build_lrmx` only formats; `export_lrmx` decides whether the full ID number goes in (the permission, audited
as a viewing) and writes the export to the audit log.
"""

from __future__ import annotations

import base64
import io
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date

from PIL import Image

from yanzhen.core import audit
from yanzhen.core.guards import today
from yanzhen.core.models import AuditAction
from yanzhen.people.codes import Degree, EducationKind, Ethnicity, Gender, PoliticalStatus, education_rank
from yanzhen.people.models import Person
from yanzhen.people.services import can_view_full_personal_data, reveal_id_number

VERSION = "3.2.1.6"


# Other apps add lines to some elements without people importing them: assessments registers its
# commendations (奖惩情况) and grades (年度考核结果) in its AppConfig.ready().
CONTRIBUTORS: dict[str, list[Callable[[Person], str]]] = {"JiangChengQingKuang": [], "NianDuKaoHeJieGuo": []}


def contribute(tag: str, function: Callable[[Person], str]) -> None:
    if function not in CONTRIBUTORS.setdefault(tag, []):
        CONTRIBUTORS[tag].append(function)


def _contributed(tag: str, person: Person, own: str = "") -> str:
    parts = [own] + [function(person) for function in CONTRIBUTORS.get(tag, [])]
    return "\r\n".join(part for part in parts if part)


def year_month(value: date | None) -> str:
    return f"{value:%Y%m}" if value else ""


def _label(choices, code: str) -> str:
    return str(dict(choices).get(code, "")) if code else ""


def best_education(records, kind: str):
    """The highest education of one kind (全日制 or 在职), or None."""
    mine = [record for record in records if record.kind == kind]
    return min(mine, key=lambda record: education_rank(record.education)) if mine else None


def _education_elements(records, kind: str) -> list[tuple[str, str]]:
    prefix = "QuanRiZhiJiaoYu" if kind == EducationKind.FULL_TIME else "ZaiZhiJiaoYu"
    best = best_education(records, kind)
    has_degree = best is not None and best.degree != Degree.NONE
    school = f"{best.school}{best.major}" if best is not None else ""
    return [
        (f"{prefix}_XueLi", best.get_education_display() if best is not None else ""),
        (f"{prefix}_XueWei", best.get_degree_display() if has_degree else ""),
        (f"{prefix}_XueLi_BiYeYuanXiaoXi", school),
        (f"{prefix}_XueWei_BiYeYuanXiaoXi", school if has_degree else ""),
    ]


def current_posts(person: Person, on: date) -> str:
    """现任职务: the seats the person holds on the date (村 + 职位), joined with 、."""
    terms = getattr(person, "terms", None)
    if terms is None:
        return ""
    held = terms.current(on).select_related("seat__village", "seat__post_type")
    return "、".join(f"{term.seat.village.name}{term.seat.post_type.name}" for term in held)


def photo_base64(person: Person) -> str:
    """The photo as base64 JPEG (LRMX carries JPEG only: a PNG is converted)."""
    if not person.photo:
        return ""
    try:
        with person.photo.open("rb") as stored, Image.open(stored) as image:
            if image.format == "JPEG":
                stored.seek(0)
                data = stored.read()
            else:
                buffer = io.BytesIO()
                image.convert("RGB").save(buffer, format="JPEG", quality=90)
                data = buffer.getvalue()
    except (OSError, ValueError):
        return ""
    return base64.b64encode(data).decode("ascii")


def build_lrmx(person: Person, *, id_number: str, on: date, filled_on: date | None = None) -> bytes:
    """The XML of one person. `id_number` is what goes into ShenFenZheng (full or masked)."""
    educations = list(person.educations.all())
    specialities = [skill.name for skill in person.skills.all()] + (
        [person.skills_text] if person.skills_text else []
    )
    resume = "\r\n".join(f"{line.start}--{line.end} {line.text}" for line in person.resume_lines.all())
    elements: list[tuple[str, str]] = [
        ("XingMing", person.name),
        ("XingBie", _label(Gender.choices, person.gender)),
        ("ChuShengNianYue", year_month(person.birth_date)),
        ("MinZu", _label(Ethnicity.choices, person.ethnicity)),
        ("JiGuan", person.native_place),
        ("ChuShengDi", ""),
        ("RuDangShiJian", year_month(person.party_join_date)),
        ("CanJiaGongZuoShiJian", ""),
        ("JianKangZhuangKuang", ""),
        ("ZhuanYeJiShuZhiWu", ""),
        ("ShuXiZhuanYeYouHeZhuanChang", "、".join(specialities)),
        *_education_elements(educations, EducationKind.FULL_TIME),
        *_education_elements(educations, EducationKind.IN_SERVICE),
        ("XianRenZhiWu", current_posts(person, on)),
        ("NiRenZhiWu", ""),
        ("NiMianZhiWu", ""),
        ("JianLi", resume),
        (
            "JiangChengQingKuang",
            _contributed(
                "JiangChengQingKuang",
                person,
                person.rewards_and_punishments.replace("\r\n", "\n").replace("\n", "\r\n"),
            ),
        ),
        ("NianDuKaoHeJieGuo", _contributed("NianDuKaoHeJieGuo", person)),
        ("RenMianLiYou", ""),
    ]
    root = ET.Element("Person")
    for tag, text in elements:
        ET.SubElement(root, tag).text = text
    family = ET.SubElement(root, "JiaTingChengYuan")
    for member in person.family.all():
        item = ET.SubElement(family, "Item")
        for tag, text in [
            ("ChengWei", member.relation),
            ("XingMing", member.name),
            ("ChuShengRiQi", year_month(member.birth_date)),
            ("ZhengZhiMianMao", _label(PoliticalStatus.choices, member.political_status)),
            ("GongZuoDanWeiJiZhiWu", member.work_unit_and_post),
        ]:
            ET.SubElement(item, tag).text = text
    for tag, text in [
        ("ChengBaoDanWei", ""),
        ("JiSuanNianLingShiJian", f"{on:%Y%m%d}"),
        ("TianBiaoShiJian", f"{(filled_on or on):%Y%m%d}"),
        ("TianBiaoRen", ""),
        ("ShenFenZheng", id_number),
        ("ZhaoPian", photo_base64(person)),
        ("Version", VERSION),
    ]:
        ET.SubElement(root, tag).text = text
    ET.indent(root, space="  ")
    xml = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    # A parser turns a literal \r\n into \n; the character reference keeps the form's line breaks exact.
    return xml.replace(b"\r", b"&#13;")


def export_lrmx(*, actor, person: Person, request=None, on: date | None = None) -> bytes:
    """The file for a user who may see the person (the caller has checked the jurisdiction). The full ID
    number only with the permission, then audited as a viewing; every export is audited."""
    on = on or today()
    full = can_view_full_personal_data(actor)
    id_number = (
        reveal_id_number(actor=actor, person=person, request=request) if full else person.id_number_masked
    )
    content = build_lrmx(person, id_number=id_number, on=on)
    audit.record(
        action=AuditAction.EXPORT,
        user=actor,
        request=request,
        object_repr=f"person {person.pk}",
        detail={"format": "lrmx", "full_id_number": full},
    )
    return content
