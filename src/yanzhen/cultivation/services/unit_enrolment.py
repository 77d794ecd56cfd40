"""Enrolling a whole village or township in a training: its reserves in the pool, in one transaction.

What a clerk means by "the village" here is its reserves (后备力量在库), not everyone with an archive
there: the people of the candidacies in the pool today whose village lies in the unit, inside the actor's
jurisdiction. Those already on the roster are skipped and named, and so are those on a full-time
secondment during the training (they cannot take part); everyone else is enrolled, with history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from yanzhen.candidacies.models import Candidacy
from yanzhen.core.guards import today
from yanzhen.cultivation.models import Enrolment, Training
from yanzhen.cultivation.services.common import check_scope, full_time_secondment_during, save
from yanzhen.cultivation.services.training import _check_training
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person

UNIT_LEVELS = (Level.TOWNSHIP, Level.VILLAGE)


@dataclass
class UnitEnrolment:
    """Who of a unit's reserves is (or would be) enrolled, and who is skipped and why."""

    unit: Division
    to_enrol: list[Person] = field(default_factory=list)
    already: list[Person] = field(default_factory=list)
    seconded: list[Person] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.to_enrol) + len(self.already) + len(self.seconded)


def reserves_of_unit(actor, unit: Division, on: date | None = None) -> list[Person]:
    """The people, inside the actor's jurisdiction, of the candidacies in the pool on `on` (today) for a
    village of `unit` (the village itself or the villages of a township)."""
    in_pool = (
        Candidacy.objects.restrict(actor)
        .in_pool_on(on or today())
        .filter(village__code__startswith=unit.code)
        .values("person_id")
    )
    return list(
        Person.objects.restrict(actor)
        .filter(pk__in=in_pool)
        .select_related("village", "village__parent")
        .order_by("village_id", "name_pinyin", "pk")
    )


def plan_unit_enrolment(actor, training: Training, unit: Division, on: date | None = None) -> UnitEnrolment:
    """What `enrol_unit` would do now; writes nothing (the page shows it before the clerk confirms)."""
    plan = UnitEnrolment(unit=unit)
    people = reserves_of_unit(actor, unit, on)
    enrolled = set(
        Enrolment.objects.filter(training=training, person__in=people).values_list("person_id", flat=True)
    )
    for person in people:
        if person.pk in enrolled:
            plan.already.append(person)
        elif full_time_secondment_during(person, training.start, training.end) is not None:
            plan.seconded.append(person)
        else:
            plan.to_enrol.append(person)
    return plan


@transaction.atomic
def enrol_unit(*, actor, training: Training, unit: Division, on: date | None = None) -> UnitEnrolment:
    """Enrol the reserves in the pool of a village or township; the skipped ones are in the answer.
    Outside the actor's jurisdiction (the training or the unit): 404; a reader: 403."""
    training = _check_training(actor, training)
    check_scope(actor, unit.code)
    if unit.level not in UNIT_LEVELS:
        raise ValidationError({"unit": f"请选择乡镇或村，{unit.name} 不是乡级或村级单位"})
    plan = plan_unit_enrolment(actor, training, unit, on)
    if not plan.total:
        raise ValidationError({"unit": f"{unit.name}目前没有在库的后备力量"})
    for person in plan.to_enrol:
        save(Enrolment(training=training, person=person), actor)
    return plan
