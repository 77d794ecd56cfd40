"""处分记录 discipline records: recorded, corrected or deleted by a clerk; each write evaluates the person's
rules again in the same transaction, so a running 影响期 proposes removal from the pool at once (and a
record corrected or deleted withdraws a proposal that no longer holds). See models/conduct.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction

from yanzhen.assessments import rules
from yanzhen.assessments.guards import visible_person
from yanzhen.assessments.models import MEASURE_KIND, DisciplineMeasure, DisciplineRecord, default_effect_end
from yanzhen.core.guards import attribute_to, raise_errors, today
from yanzhen.core.locking import visible_locked
from yanzhen.core.text import NOTE_MAX
from yanzhen.people.models import Person


@dataclass
class DisciplineInput:
    measure: str
    decided_on: date | None
    issuer: str
    document_number: str = ""
    matter: str = ""
    effect_ends_on: date | None = None  # None: the measure's usual period (models.conduct.EFFECT_MONTHS)


def _text_errors(errors: dict[str, str], issuer: str, number: str, matter: str) -> None:
    if not issuer:
        errors["issuer"] = "请填写作出处分的机关"
    elif len(issuer) > 100:
        errors["issuer"] = "处分机关不能超过 100 个字"
    if len(number) > 100:
        errors["document_number"] = "文号不能超过 100 个字"
    if len(matter) > NOTE_MAX:
        errors["matter"] = f"违纪违法事实摘要不能超过 {NOTE_MAX} 个字"


def _checked(data: DisciplineInput) -> DisciplineInput:
    """The input cleaned, with the usual end of the 影响期 filled in; every problem raised at once."""
    errors: dict[str, str] = {}
    issuer, number, matter = (
        (data.issuer or "").strip(),
        (data.document_number or "").strip(),
        (data.matter or "").strip(),
    )
    if data.measure not in DisciplineMeasure.values:
        errors["measure"] = "请选择处分种类（党纪处分或政务处分中的一种）"
    if data.decided_on is None:
        errors["decided_on"] = "请填写处分日期"
    elif data.decided_on > today():
        errors["decided_on"] = "处分日期不能晚于今天"
    _text_errors(errors, issuer, number, matter)
    end = data.effect_ends_on
    if end is not None and data.decided_on is not None and end <= data.decided_on:
        errors["effect_ends_on"] = "影响期届满日须晚于处分日期"
    raise_errors(errors)
    assert data.decided_on is not None
    if end is None:
        end = default_effect_end(data.measure, data.decided_on)
    return DisciplineInput(data.measure, data.decided_on, issuer, number, matter, end)


def _require_role(actor) -> None:
    if not rules.may_record_discipline(actor):
        raise PermissionDenied


def _fill(record: DisciplineRecord, data: DisciplineInput) -> None:
    record.kind = MEASURE_KIND[DisciplineMeasure(data.measure)]
    record.measure = data.measure
    record.decided_on = data.decided_on  # type: ignore[assignment]  # checked: not None
    record.issuer, record.document_number, record.matter = data.issuer, data.document_number, data.matter
    record.effect_ends_on = data.effect_ends_on


@transaction.atomic
def record_discipline(*, actor, person: Person, data: DisciplineInput) -> DisciplineRecord:
    """Record a measure against a person in the actor's jurisdiction (404 outside it, 403 for a reader)."""
    person = visible_person(actor, person)
    _require_role(actor)
    data = _checked(data)
    record = DisciplineRecord(person=person, created_by=actor)
    _fill(record, data)
    attribute_to(record, actor)
    record.save()
    rules.evaluate_person(person, actor=actor)
    return record


@transaction.atomic
def update_discipline(*, actor, record: DisciplineRecord, data: DisciplineInput) -> DisciplineRecord:
    """Correct a record (its history keeps what it said before)."""
    record = visible_locked(actor, record, "person")
    _require_role(actor)
    data = _checked(data)
    _fill(record, data)
    attribute_to(record, actor)
    record.save()
    rules.evaluate_person(record.person_id, actor=actor)
    return record


@transaction.atomic
def delete_discipline(*, actor, record: DisciplineRecord) -> None:
    """Delete a record entered by mistake; its history keeps it, and a proposal it made is withdrawn unless
    a clerk has decided it."""
    record = visible_locked(actor, record, "person")
    _require_role(actor)
    person_id = record.person_id
    attribute_to(record, actor)
    record.delete()
    rules.evaluate_person(person_id, actor=actor)
