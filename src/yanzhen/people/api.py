"""/api/v1/persons: the person archive over the API, inside the caller's jurisdiction.

Numbers travel masked (`id_number_masked`, `phone_masked`). `GET /persons/{id}?reveal=id_number` (or
`reveal=phone`) adds the full value for a caller with the permission to see it, and the viewing is audited;
without the permission the answer is 403. Writes go through `people.services`; their Chinese validation
messages come back as 422 `{"detail": ..., "errors": {field: message}}` and nothing is written. `GET` and `PUT`
of one archive send its version as `ETag`; a `PUT` whose `If-Match` is no longer current is 412
(`core/versioning.py`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from yanzhen.accounts import reauth
from yanzhen.core import text, versioning
from yanzhen.core.api_errors import Error, error_body
from yanzhen.core.api_schemas import IfMatch, Limit, existing, out_of
from yanzhen.core.guards import raise_errors
from yanzhen.core.ids import Id, Offset
from yanzhen.core.text import Line, Multiline
from yanzhen.divisions.models import Division, Industry
from yanzhen.people import selectors, services
from yanzhen.people.codes import EducationBand, Gender, PoliticalStatus
from yanzhen.people.models import Person, Skill, Source

router = Router()


class PersonFilters(Schema):
    q: str = Field("", max_length=50, description="姓名、拼音首字母（zxl）、全拼、身份证号末 1–4 位或村名")
    age_band: selectors.AgeBand | None = None
    education_band: EducationBand | None = None
    gender: Gender | None = None
    political_status: PoliticalStatus | None = None
    source: Id | None = None
    skills: list[Id] = Field(default_factory=list, description="任一特长")
    township: str | None = Field(None, pattern=r"^\d{9}$")
    village: str | None = Field(None, pattern=r"^\d{12}$")

    def as_keywords(self) -> dict:
        values = {
            "q": self.q,
            "age_band": self.age_band,
            "education_band": self.education_band,
            "gender": self.gender,
            "political_status": self.political_status,
            "source": self.source,
            "skills": self.skills,
            "township": self.township,
            "village": self.village,
        }
        return {key: value for key, value in values.items() if value}


class PersonOut(Schema):
    id: int
    name: str
    gender: str
    gender_label: str
    age: int | None
    ethnicity: str
    ethnicity_label: str
    political_status: str
    political_status_label: str
    highest_education: str
    highest_education_label: str
    source: str | None
    village_code: str
    village_name: str
    township_name: str
    id_number_masked: str
    phone_masked: str

    @staticmethod
    def fields_of(person: Person) -> dict:
        village = person.village
        return {
            "id": person.pk,
            "name": person.name,
            "gender": person.gender,
            "gender_label": person.get_gender_display(),
            "age": person.age(),
            "ethnicity": person.ethnicity,
            "ethnicity_label": person.get_ethnicity_display(),
            "political_status": person.political_status,
            "political_status_label": person.get_political_status_display(),
            "highest_education": person.highest_education,
            "highest_education_label": person.get_highest_education_display(),
            "source": person.source.name if person.source else None,
            "village_code": village.code,
            "village_name": village.name,
            "township_name": village.parent.name if village.parent else "",
            "id_number_masked": person.id_number_masked,
            "phone_masked": person.phone_masked,
        }


class PersonPage(Schema):
    count: int
    items: list[PersonOut]


class EducationIo(Schema):
    kind: str
    education: str
    school: Line = ""
    major: Line = ""
    graduation_date: date | None = None
    degree: str = "0"


class FamilyIo(Schema):
    relation: Line
    name: Line
    birth_date: date | None = None
    political_status: str = ""
    work_unit_and_post: Line = ""


class ResumeIo(Schema):
    start: Line
    end: Line = ""
    text: Line


class PersonDetailOut(PersonOut):
    birth_date: date
    native_place: str
    party_join_date: date | None
    degree: str
    skills: list[str]
    industries: list[str]
    skills_text: str
    has_industry_experience: bool
    rewards_and_punishments: str
    notes: str
    educations: list[EducationIo]
    family: list[FamilyIo]
    resume: list[ResumeIo]
    created_at: datetime
    updated_at: datetime
    id_number: str | None = Field(None, description="完整身份证号：仅在 reveal=id_number 且有权限时返回")
    phone: str | None = Field(None, description="完整手机号：仅在 reveal=phone 且有权限时返回")

    @staticmethod
    def of(person: Person, **revealed) -> PersonDetailOut:
        return PersonDetailOut(
            **PersonOut.fields_of(person),
            birth_date=person.birth_date,
            native_place=person.native_place,
            party_join_date=person.party_join_date,
            degree=person.degree,
            skills=[skill.name for skill in person.skills.all()],
            industries=[industry.name for industry in person.industries.all()],
            skills_text=person.skills_text,
            has_industry_experience=person.has_industry_experience,
            rewards_and_punishments=person.rewards_and_punishments,
            notes=person.notes,
            educations=[out_of(EducationIo, record) for record in person.educations.all()],
            family=[out_of(FamilyIo, record) for record in person.family.all()],
            resume=[out_of(ResumeIo, record) for record in person.resume_lines.all()],
            created_at=person.created_at,
            updated_at=person.updated_at,
            **revealed,
        )


class PersonIn(Schema):
    """An archive as the form gives it. Gender and birth date may be left out: the ID number gives them."""

    name: Line
    id_number: str = Field("", description="18 位身份证号；修改时留空则保留原号码")
    village: str = Field(pattern=r"^\d{2,12}$", description="居住村的 12 位代码")
    political_status: str = Field(description="GB/T 4762 代码，如 01 中共党员、13 群众")
    gender: str = ""
    birth_date: date | None = None
    ethnicity: str = "01"
    native_place: Line = ""
    party_join_date: date | None = None
    degree: str = "0"
    phone: str | None = Field(None, description="手机号码；修改时不传（null）则保留原号码")
    source: Id | None = None
    skills: list[Id] = []
    industries: list[Id] = []
    skills_text: Line = ""
    has_industry_experience: bool = False
    rewards_and_punishments: Multiline = ""
    notes: Multiline = ""
    educations: list[EducationIo] | None = None
    family: list[FamilyIo] | None = None
    resume: list[ResumeIo] | None = None


def _too_long(payload: PersonIn) -> dict[str, str]:
    """Lengths the columns hold (core.text), checked here so that every database answers the same 422."""
    names = ("name", "native_place", "skills_text", "rewards_and_punishments", "notes")
    errors = text.check_lengths(Person, {name: getattr(payload, name) for name in names})
    checks: list[tuple[str, list[Any], tuple[str, ...]]] = [
        ("educations", payload.educations or [], ("school", "major")),
        ("family", payload.family or [], ("relation", "name", "work_unit_and_post")),
        ("resume", payload.resume or [], ("start", "end", "text")),
    ]
    models = {"educations": "educationrecord", "family": "familymember", "resume": "resumeline"}
    for key, items, fields in checks:
        model = Person._meta.apps.get_model("people", models[key])
        for index, item in enumerate(items, start=1):
            too_long = text.check_lengths(model, {name: getattr(item, name) for name in fields})
            if too_long:
                errors[f"{key}.{index}"] = f"第 {index} 条：" + "；".join(too_long.values())
    return errors


# The fields of `PersonIn` given as codes, ids or schemas, that `_person_input` resolves; the rest pass as they are.
RESOLVED = {"village", "source", "skills", "industries", "educations", "family", "resume"}


def _inputs(kind: type, items: list[Any] | None) -> list | None:
    """The records as the service takes them; None (keep those stored) where the payload has none."""
    return None if items is None else [kind(**item.model_dump()) for item in items]


def _person_input(payload: PersonIn) -> services.PersonInput:
    """Resolve the codes and ids of the payload; unknown ones are errors of their field."""
    errors = _too_long(payload)
    village = Division.objects.filter(code=payload.village).first()
    if village is None:
        errors["village"] = f"居住村代码 {payload.village} 不存在"
    source = None
    if payload.source is not None:
        source = Source.objects.filter(pk=payload.source).first()
        if source is None:
            errors["source"] = f"来源 {payload.source} 不存在"
    skills = existing(Skill, payload.skills, errors=errors, field="skills", noun="特长")
    industries = existing(Industry, payload.industries, errors=errors, field="industries", noun="产业")
    raise_errors(errors)
    assert village is not None  # an unknown village was refused above
    return services.PersonInput(
        **payload.model_dump(exclude=RESOLVED),
        village=village,
        source=source,
        skills=skills,
        industries=industries,
        educations=_inputs(services.EducationInput, payload.educations),
        family=_inputs(services.FamilyInput, payload.family),
        resume=_inputs(services.ResumeInput, payload.resume),
    )


def _detail(request, pk: int) -> Person:
    return selectors.get_person(request.user, pk)


@router.get("", response=PersonPage, summary="People inside the caller's jurisdiction, searched and filtered")
def list_persons(request, filters: Query[PersonFilters], limit: Limit = 50, offset: Offset = 0):
    ids = selectors.search_people(request.user, **filters.as_keywords()).values_list("pk", flat=True)
    page = list(ids[offset : offset + limit])
    by_id = Person.objects.select_related(*selectors.PERSON_LIST_RELATED).in_bulk(page)
    return {
        "count": ids.count(),
        "items": [PersonOut(**PersonOut.fields_of(by_id[pk])) for pk in page if pk in by_id],
    }


@router.post("", response={201: PersonDetailOut, 422: Error}, summary="Create an archive (一人一档)")
def create_person(request, payload: PersonIn):
    # A refusal (ValidationError) is answered 422 by the API's handler (core.api_errors).
    person = services.create_person(actor=request.user, data=_person_input(payload))
    return Status(201, PersonDetailOut.of(_detail(request, person.pk)))


@router.get(
    "/{person_id}",
    response={200: PersonDetailOut, 403: Error},
    summary="One archive; reveal=id_number shows the number",
)
def get_person(
    request, response: HttpResponse, person_id: int, reveal: Literal["id_number", "phone"] | None = None
):
    person = _detail(request, person_id)
    response["ETag"] = versioning.etag(person)
    revealed = {}
    if reveal and services.can_view_full_personal_data(request.user) and not reauth.is_recent(request):
        # Over a browser session the password must have been entered lately (a token is not asked).
        return Status(403, error_body(reauth.API_MESSAGE))
    if reveal == "id_number":
        revealed["id_number"] = services.reveal_id_number(actor=request.user, person=person, request=request)
    elif reveal == "phone":
        revealed["phone"] = services.reveal_phone(actor=request.user, person=person, request=request)
    return PersonDetailOut.of(person, **revealed)


@router.put(
    "/{person_id}",
    response={200: PersonDetailOut, 412: Error, 422: Error},
    summary="Replace an archive",
)
def update_person(
    request, response: HttpResponse, person_id: int, payload: PersonIn, if_match: IfMatch = None
):
    person = _detail(request, person_id)
    with versioning.if_match(if_match, Person, pk=person.pk):
        person = services.update_person(actor=request.user, person=person, data=_person_input(payload))
    saved = _detail(request, person.pk)
    response["ETag"] = versioning.etag(saved)
    return Status(200, PersonDetailOut.of(saved))
