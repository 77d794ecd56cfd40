"""容错免责 cases: an application registered by a clerk, the county's determination. A determination of 免责
takes the grade or the 处分 the case concerns out of the rules, so the person's rules are evaluated again in
the same transaction (a removal proposal resting on it is withdrawn). See models/conduct.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction

from yanzhen.assessments import rules
from yanzhen.assessments.guards import visible_person
from yanzhen.assessments.models import Assessment, DisciplineRecord, ToleranceCase, ToleranceDetermination
from yanzhen.core.guards import attribute_to, raise_errors, today
from yanzhen.core.locking import visible_locked
from yanzhen.core.text import NOTE_MAX
from yanzhen.people.models import Person


@dataclass
class ToleranceInput:
    matter: str
    applied_on: date | None
    application: str = ""
    assessment: Assessment | None = None
    discipline: DisciplineRecord | None = None


def _live_case(field: str, record) -> bool:
    return (
        ToleranceCase.objects.filter(**{field: record})
        .exclude(determination=ToleranceDetermination.REFUSED)
        .exists()
    )


def _concern_errors(errors: dict[str, str], person: Person, data: ToleranceInput) -> None:
    """The grade or record the case concerns: one at most, the person's own, without a case open or granted."""
    if data.assessment is not None and data.discipline is not None:
        errors["concerns"] = "一项容错免责申请只能针对一次考核或一条处分记录"
        return
    record = data.assessment or data.discipline
    if record is None:
        return
    if record.person_id != person.pk:
        errors["concerns"] = f"所选记录不属于{person.name}"
    elif _live_case("assessment" if data.assessment is not None else "discipline", record):
        errors["concerns"] = "该记录已有待认定或已免责的申请"


@transaction.atomic
def apply_for_tolerance(*, actor, person: Person, data: ToleranceInput) -> ToleranceCase:
    """Register an application (404 outside the jurisdiction, 403 for a reader); nothing changes until the
    county determines it."""
    person = visible_person(actor, person)
    if not rules.may_record_discipline(actor):
        raise PermissionDenied
    errors: dict[str, str] = {}
    matter, application = (data.matter or "").strip(), (data.application or "").strip()
    if not matter:
        errors["matter"] = "请填写申请容错免责的事项"
    elif len(matter) > NOTE_MAX:
        errors["matter"] = f"事项不能超过 {NOTE_MAX} 个字"
    if len(application) > NOTE_MAX:
        errors["application"] = f"申请理由不能超过 {NOTE_MAX} 个字"
    if data.applied_on is None:
        errors["applied_on"] = "请填写申请日期"
    elif data.applied_on > today():
        errors["applied_on"] = "申请日期不能晚于今天"
    _concern_errors(errors, person, data)
    raise_errors(errors)
    assert data.applied_on is not None  # checked above
    case = ToleranceCase(
        person=person,
        matter=matter,
        applied_on=data.applied_on,
        application=application,
        assessment=data.assessment,
        discipline=data.discipline,
        created_by=actor,
    )
    attribute_to(case, actor)
    case.save()
    return case


@transaction.atomic
def determine_tolerance(
    *, actor, case: ToleranceCase, exempt: bool, on: date | None, reasoning: str
) -> ToleranceCase:
    """The county's determination, with its date and reasoning; final (a new application may follow a
    refusal). 免责 takes the concerned grade or record out of the rules at once."""
    case = visible_locked(actor, case, "person")
    if not rules.may_determine_tolerance(actor):
        raise PermissionDenied
    errors: dict[str, str] = {}
    reasoning = (reasoning or "").strip()
    if case.determination != ToleranceDetermination.PENDING:
        errors["determination"] = f"该申请已认定（{case.get_determination_display()}），不能再次认定"
    if on is None:
        errors["determined_on"] = "请填写认定日期"
    elif on > today():
        errors["determined_on"] = "认定日期不能晚于今天"
    elif on < case.applied_on:
        errors["determined_on"] = f"认定日期不能早于申请日期 {case.applied_on:%Y-%m-%d}"
    if not reasoning:
        errors["reasoning"] = "请写明认定理由"
    elif len(reasoning) > NOTE_MAX:
        errors["reasoning"] = f"认定理由不能超过 {NOTE_MAX} 个字"
    raise_errors(errors)
    case.determination = ToleranceDetermination.EXEMPTED if exempt else ToleranceDetermination.REFUSED
    case.determined_on, case.reasoning, case.determined_by = on, reasoning, actor
    attribute_to(case, actor)
    case.save()
    rules.evaluate_person(case.person_id, actor=actor)
    return case
