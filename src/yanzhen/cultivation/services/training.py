"""Writes of training programmes: create and change a training, enrol people, record attendance,
completion and scores (one participant or the whole roster, all or nothing).

Managing a training belongs to its organiser's jurisdiction; the people enrolled must be inside the
actor's jurisdiction too (the county enrols anyone of the county, a township its own people).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from yanzhen.core.guards import attribute_to, raise_errors
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.cultivation.models import Enrolment, Training, TrainingKind
from yanzhen.cultivation.services.common import (
    check_hours,
    check_period,
    check_scope,
    check_score,
    check_text,
    first_secondment_clash,
    full_time_secondment_during,
    locked,
    required_hours,
    save,
)
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person

ORGANISING_LEVELS = (Level.COUNTY, Level.TOWNSHIP)


@dataclass
class TrainingInput:
    name: str
    organiser: str
    division: Division
    kind: str
    start: date | None
    end: date | None
    hours: Decimal | str | int | None
    place: str = ""
    notes: str = ""


def validate_training(data: TrainingInput) -> tuple[dict[str, str], Decimal | None]:
    errors: dict[str, str] = {}
    check_text(errors, "name", data.name, label="培训班名称", limit=100, missing="请填写培训班名称")
    check_text(errors, "organiser", data.organiser, label="主办单位", limit=100, missing="请填写主办单位")
    check_text(errors, "place", data.place, label="培训地点", limit=100)
    if data.kind not in TrainingKind.values:
        errors["kind"] = "请选择培训类型（党校、高校、企业实习、集中轮训、乡镇党校、线上或其他）"
    if data.division.level not in ORGANISING_LEVELS:
        errors["division"] = f"培训班须由县或乡镇组织，{data.division.name} 不是县级或乡级单位"
    check_period(errors, data.start, data.end)
    if "start" in errors or "end" in errors:
        hours = None
        if data.hours is None or data.hours == "":
            errors["hours"] = "请填写学时"
    else:
        hours = required_hours(errors, data.hours, days=(data.end - data.start).days + 1)
    return errors, hours


def _apply(training: Training, data: TrainingInput, hours: Decimal) -> None:
    training.name = data.name.strip()
    training.organiser = data.organiser.strip()
    training.division = data.division
    training.kind = data.kind
    training.place = (data.place or "").strip()
    training.start, training.end, training.hours = data.start, data.end, hours
    training.notes = data.notes or ""


@transaction.atomic
def create_training(*, actor, data: TrainingInput) -> Training:
    check_scope(actor, data.division.code)
    errors, hours = validate_training(data)
    raise_errors(errors)
    training = Training(created_by=actor)
    _apply(training, data, hours)
    save(training, actor)
    return training


@transaction.atomic
def update_training(*, actor, training: Training, data: TrainingInput) -> Training:
    check_scope(actor, training.division_id)
    check_scope(actor, data.division.code)
    training = Training.objects.select_for_update().get(pk=training.pk)
    errors, hours = validate_training(data)
    if hours is not None and "hours" not in errors:
        most = training.enrolments.exclude(attended_hours=None).order_by("-attended_hours").first()
        if most is not None and most.attended_hours > hours:
            errors["hours"] = f"已有学员登记出勤 {most.attended_hours.normalize():f} 学时，总学时不能少于此数"
    if data.start and data.end and "end" not in errors:
        people = (enrolment.person for enrolment in training.enrolments.select_related("person"))
        clash = first_secondment_clash(people, data.start, data.end)
        if clash is not None:
            person, secondment = clash
            errors["end"] = (
                f"{person.name}在 {secondment.start:%Y-%m-%d} 至 {secondment.last_day:%Y-%m-%d} "
                "全脱产挂职，培训日期不能与之重叠"
            )
    raise_errors(errors)
    _apply(training, data, hours)
    save(training, actor)
    return training


def _check_training(actor, training: Training) -> Training:
    return locked(actor, training, training.division_id)


def enrolment_errors(actor, training: Training, people: list[Person]) -> dict[str, str]:
    """Why these people cannot be enrolled (empty: they can)."""
    errors: dict[str, str] = {}
    if not people:
        return {"people": "请至少选择一名学员"}
    outside = [person for person in people if not code_in_jurisdiction(actor, person.village_id)]
    if outside:
        return {"people": "所选人员不存在或不在您的辖区内"}
    already = set(
        Enrolment.objects.filter(training=training, person__in=people).values_list("person__name", flat=True)
    )
    if already:
        errors["people"] = f"{'、'.join(sorted(already))}已报名该培训班"
        return errors
    for person in people:
        clash = full_time_secondment_during(person, training.start, training.end)
        if clash is not None:
            errors["people"] = (
                f"{person.name}在 {clash.start:%Y-%m-%d} 至 {clash.last_day:%Y-%m-%d} 全脱产挂职（{clash.host.name}），"
                "不能同时参加该培训班"
            )
            break
    return errors


@transaction.atomic
def enrol(*, actor, training: Training, people: list[Person]) -> list[Enrolment]:
    """Enrol people in a training, all or nothing."""
    training = _check_training(actor, training)
    people = list(dict.fromkeys(people))
    errors = enrolment_errors(actor, training, people)
    raise_errors(errors)
    enrolments = []
    for person in people:
        enrolment = Enrolment(training=training, person=person)
        save(enrolment, actor)
        enrolments.append(enrolment)
    return enrolments


@transaction.atomic
def withdraw(*, actor, enrolment: Enrolment) -> None:
    """Take a participant off the roster before any attendance is recorded."""
    _check_training(actor, enrolment.training)
    if enrolment.attended_hours is not None or enrolment.completed:
        raise ValidationError({"person": f"{enrolment.person.name}已登记出勤或结业，不能取消报名"})
    attribute_to(enrolment, actor)
    enrolment.delete()


@dataclass
class AttendanceInput:
    person: Person
    attended_hours: Decimal | str | int | None
    completed: bool = False
    score: Decimal | str | int | None = None
    note: str = ""


def _attendance_errors(training: Training, enrolment: Enrolment | None, row: AttendanceInput):
    """(message, column, hours, score): the first problem of the row and the column it is in (hours, score
    or note; None for the whole row), else the parsed hours and score."""
    if enrolment is None:
        return f"{row.person.name}未报名该培训班，不能登记出勤", None, None, None
    hours, message = check_hours(row.attended_hours, days=training.days, field_label="出勤学时")
    if message:
        return message, "hours", None, None
    if hours is not None and hours > training.hours:
        return (
            f"{row.person.name}的出勤学时 {hours.normalize():f} 超过培训班总学时 {training.hours.normalize():f}",
            "hours",
            None,
            None,
        )
    score, message = check_score(row.score)
    if message:
        return f"{row.person.name}：{message}", "score", None, None
    if len(row.note or "") > 200:
        return f"{row.person.name}：备注不能超过 200 字", "note", None, None
    return None, None, hours, score


@transaction.atomic
def record_attendance(*, actor, training: Training, rows: list[AttendanceInput]) -> list[Enrolment]:
    """Record attended hours, completion and score for participants of the training, all or nothing.
    Someone not enrolled, hours that are negative, over 24 a day or over the training's hours, and a
    score outside 0–100 are refused."""
    training = _check_training(actor, training)
    enrolments = {
        enrolment.person_id: enrolment
        for enrolment in Enrolment.objects.filter(training=training, person__in=[row.person for row in rows])
    }
    errors: dict[str, ValidationError] = {}
    changes = []
    for row in rows:
        message, column, hours, score = _attendance_errors(training, enrolments.get(row.person.pk), row)
        if message:
            # The column rides on the error's code, so that the page can mark the cell.
            errors[f"attendance.{row.person.pk}"] = ValidationError(message, code=column or "row")
            continue
        changes.append((enrolments[row.person.pk], hours, score, row))
    raise_errors(errors)
    saved = []
    for enrolment, hours, score, row in changes:
        enrolment.attended_hours, enrolment.completed, enrolment.score = hours, bool(row.completed), score
        enrolment.note = (row.note or "").strip()
        save(enrolment, actor)
        saved.append(enrolment)
    return saved
