"""Writes of degree upgrading (学历提升) and of the growth plan (成长计划).

Graduation adds an in-service education record (在职) to the person's archive, with history naming the
actor, and refreshes his highest education through the people app.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from yanzhen.core.guards import raise_errors, today
from yanzhen.cultivation.models import (
    LINK_FIELDS,
    DegreeStudy,
    Funding,
    GrowthPlan,
    GrowthPlanItem,
    ItemKind,
    StudyState,
)
from yanzhen.cultivation.services.common import (
    check_period,
    check_person,
    check_text,
    locked,
    past_day_error,
    save,
)
from yanzhen.people.codes import Degree, Education, EducationKind
from yanzhen.people.models import EducationRecord, Person
from yanzhen.people.services import refresh_highest_education

# Chinese names for messages, whatever the interface language.
STATE_NAMES = {StudyState.STUDYING: "在读", StudyState.GRADUATED: "已毕业", StudyState.WITHDRAWN: "已退学"}
# What graduation carries from the study into the education record of the archive.
CARRIED_TO_ARCHIVE = ("education", "degree", "school", "major")


@transaction.atomic
def create_degree_study(
    *,
    actor,
    person: Person,
    programme: str,
    school: str,
    education: str,
    start: date | None,
    expected_end: date | None,
    funding: str,
    major: str = "",
    degree: str = Degree.NONE,
    note: str = "",
) -> DegreeStudy:
    check_person(actor, person)
    errors: dict[str, str] = {}
    programme = check_text(
        errors,
        "programme",
        programme,
        label="项目名称",
        limit=100,
        missing="请填写项目名称（如村干部学历提升行动）",
    )
    school = check_text(errors, "school", school, label="院校", limit=100, missing="请填写就读院校")
    major = check_text(errors, "major", major, label="专业", limit=100)
    if education not in Education.values:
        errors["education"] = f"学历代码 {education} 不在 GB/T 4658 中"
    if degree not in Degree.values:
        errors["degree"] = f"学位代码 {degree} 不在 GB/T 6864 中"
    if funding not in Funding.values:
        errors["funding"] = "请选择经费来源（财政、自筹或混合）"
    check_period(
        errors,
        start,
        expected_end,
        fields=("start", "expected_end"),
        missing=("请填写入学日期", "请填写预计毕业日期"),
        backwards="预计毕业日期须晚于入学日期",
        strictly_after=True,
    )
    note = check_text(errors, "note", note, label="备注", limit=200, unit="字")
    raise_errors(errors)
    study = DegreeStudy(
        person=person,
        programme=programme,
        school=school,
        major=major,
        education=education,
        degree=degree,
        start=start,
        expected_end=expected_end,
        funding=funding,
        note=note,
        created_by=actor,
    )
    save(study, actor)
    return study


@transaction.atomic
def finish_degree_study(
    *, actor, study: DegreeStudy, graduated: bool, finished_on: date | None
) -> DegreeStudy:
    """Graduation (adds the education record to the archive) or withdrawal."""
    check_person(actor, study.person)
    study = DegreeStudy.objects.select_for_update().select_related("person").get(pk=study.pk)
    errors: dict[str, str] = {}
    if study.state != StudyState.STUDYING:
        errors["state"] = f"该学历提升已是“{STATE_NAMES[study.state]}”状态"
    elif message := past_day_error(finished_on, "日期", missing="请填写毕业或退学日期"):
        errors["finished_on"] = message
    elif finished_on <= study.start:
        errors["finished_on"] = f"日期须晚于入学日期 {study.start:%Y-%m-%d}"
    raise_errors(errors)
    study.finished_on = finished_on
    if graduated:
        record = EducationRecord(
            person=study.person,
            kind=EducationKind.IN_SERVICE,
            graduation_date=finished_on,
            **{name: getattr(study, name) for name in CARRIED_TO_ARCHIVE},
        )
        save(record, actor)
        refresh_highest_education(study.person)
        study.state, study.education_record = StudyState.GRADUATED, record
    else:
        study.state = StudyState.WITHDRAWN
    save(study, actor)
    return study


# -- the growth plan ---------------------------------------------------------------------------------------


@transaction.atomic
def save_growth_plan(*, actor, person: Person, goals: str, drawn_up_on: date | None) -> GrowthPlan:
    check_person(actor, person)
    if message := past_day_error(drawn_up_on, "制定日期"):
        raise ValidationError({"drawn_up_on": message})
    plan = GrowthPlan.objects.select_for_update().filter(person=person).first() or GrowthPlan(
        person=person, created_by=actor
    )
    plan.goals, plan.drawn_up_on = (goals or "").strip(), drawn_up_on
    save(plan, actor)
    return plan


def _link_errors(person: Person, kind: str, link) -> dict[str, str]:
    """The linked record must be of the item's kind and belong to the plan's person."""
    if link is None:
        return {}
    field = LINK_FIELDS.get(kind)
    model = GrowthPlanItem._meta.get_field(field).related_model if field else None
    if model is None or not isinstance(link, model):
        return {"link": "关联的记录与事项类别不符"}
    belongs = {
        ItemKind.TRAINING: lambda: link.enrolments.filter(person=person).exists(),
        ItemKind.CYCLIC: lambda: link.trainees.filter(pk=person.pk).exists(),
        ItemKind.MENTORING: lambda: link.mentee_id == person.pk,
        ItemKind.PRACTICE_POST: lambda: link.person_id == person.pk,
        ItemKind.SECONDMENT: lambda: link.person_id == person.pk,
        ItemKind.DEGREE: lambda: link.person_id == person.pk,
    }[kind]()
    if not belongs:
        return {"link": f"关联的记录不属于{person.name}"}
    return {}


@transaction.atomic
def add_plan_item(
    *,
    actor,
    person: Person,
    kind: str,
    title: str,
    planned_start: date | None,
    due: date | None,
    link=None,
    note: str = "",
) -> GrowthPlanItem:
    """Add a step to the person's growth plan (the plan is created on the first step)."""
    check_person(actor, person)
    errors: dict[str, str] = {}
    if kind not in ItemKind.values:
        errors["kind"] = "请选择事项类别"
    title = check_text(errors, "title", title, label="事项名称", limit=100, missing="请填写事项名称")
    check_period(
        errors,
        planned_start,
        due,
        fields=("planned_start", "due"),
        missing=("请填写计划开始日期", "请填写计划完成日期"),
        backwards="计划完成日期不能早于计划开始日期",
    )
    note = check_text(errors, "note", note, label="备注", limit=200, unit="字")
    if "kind" not in errors:
        errors.update(_link_errors(person, kind, link))
    raise_errors(errors)
    plan = GrowthPlan.objects.filter(person=person).first()
    if plan is None:
        plan = GrowthPlan(person=person, drawn_up_on=min(today(), planned_start), created_by=actor)
        save(plan, actor)
    item = GrowthPlanItem(plan=plan, kind=kind, title=title, planned_start=planned_start, due=due, note=note)
    if link is not None:
        setattr(item, LINK_FIELDS[kind], link)
    save(item, actor)
    return item


@transaction.atomic
def complete_plan_item(*, actor, item: GrowthPlanItem, done_on: date | None) -> GrowthPlanItem:
    item = locked(actor, item, item.plan.person.village_id)
    if item.done_on is not None:
        raise ValidationError({"done_on": f"该事项已于 {item.done_on:%Y-%m-%d} 完成"})
    if message := past_day_error(done_on, "完成日期"):
        raise ValidationError({"done_on": message})
    if done_on < item.planned_start:
        raise ValidationError({"done_on": f"完成日期不能早于计划开始日期 {item.planned_start:%Y-%m-%d}"})
    item.done_on = done_on
    save(item, actor)
    return item
