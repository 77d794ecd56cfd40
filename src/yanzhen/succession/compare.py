"""并列比较 (issue 21 §4): two to four people side by side for a seat.

For each person: the archive essentials (the masked ID number only), the matching score for the seat's village
and post with each part (`matching.scoring.village_parts` over the `Reserve` and `Target` that `matching.pool`
and `matching.demand` build, so the parts are the ranking's own), the latest assessments, this year's trainings
and the growth plan's state (`cultivation.selectors.item_status`). A person outside the user's jurisdiction is
a 404, like the seat; fewer than two or more than four people is refused with a message (`BadInput`, 400).
A person not in the pool on the day has no score (his parts count 0 on the radar)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.http import Http404

from yanzhen.assessments.models import Assessment
from yanzhen.core.bad_input import BadInput
from yanzhen.cultivation.models import GrowthPlan
from yanzhen.cultivation.selectors import ItemState, hours_by_person, item_status
from yanzhen.divisions.codes import CODE_LENGTH, Level
from yanzhen.matching.demand import demands_for
from yanzhen.matching.pool import Reserve, load_pool, period_label, villages_of
from yanzhen.matching.scoring import Part, Target, village_parts, weights_for
from yanzhen.people.models import Person, age_on
from yanzhen.posts.models import Seat, Term

MIN_PEOPLE = 2
MAX_PEOPLE = 4
LAST_ASSESSMENTS = 3
# What makes one part's label differ between people of the same category: the age or distance in brackets and
# the number of trainings ("年龄符合（40 岁）" → "年龄符合", "完成培训 2 期" → "完成培训").
_DETAIL = re.compile(r"（[^）]*）|\s*\d+\s*期")


def category(label: str) -> str:
    """The radar's axis of a score part ("已是本村村党组织书记后备" is the seat's own post: 本岗位后备)."""
    if label.startswith("已是本村") and label.endswith("后备"):
        return "本岗位后备"
    return _DETAIL.sub("", label)


@dataclass
class Column:
    person: Person
    age: int | None
    posts: list[str]
    reserve: Reserve | None
    parts: list[Part]
    grades: list[tuple[str, str]]  # (period, grade name), latest first
    trainings: int
    hours: Decimal
    plan_counts: dict[str, int] = field(default_factory=dict)
    has_plan: bool = False

    @property
    def total(self) -> int:
        return sum(points for _label, points in self.parts)


@dataclass
class Comparison:
    seat: Seat
    on: date
    columns: list[Column]

    @property
    def categories(self) -> list[str]:
        """The category of every part any person has, in the order they first appear."""
        seen: dict[str, None] = {}
        for column in self.columns:
            for label, _points in column.parts:
                seen.setdefault(category(label), None)
        return list(seen)

    def chart_data(self) -> dict:
        """The points each person's parts gave per category (0 for a category he lacks), for the radar."""
        labels = self.categories
        people = []
        for column in self.columns:
            points: dict[str, int] = defaultdict(int)
            for label, value in column.parts:
                points[category(label)] += value
            people.append({"name": column.person.name, "values": [points.get(label, 0) for label in labels]})
        return {"categories": labels, "people": people}


def parse_people(values: list[str]) -> list[int]:
    """The distinct person ids in their order; 400 for a bad id or fewer than two or more than four."""
    ids: list[int] = []
    for value in values:
        if not value.isdigit():
            raise BadInput(f"人员编号“{value}”无效")
        if int(value) not in ids:
            ids.append(int(value))
    if not MIN_PEOPLE <= len(ids) <= MAX_PEOPLE:
        raise BadInput(f"并列比较需选择 {MIN_PEOPLE} 至 {MAX_PEOPLE} 名人员，当前选择了 {len(ids)} 名")
    return ids


def _people(user, ids: list[int]) -> list[Person]:
    found = {
        person.pk: person
        for person in Person.objects.restrict(user).filter(pk__in=ids).select_related("village", "source")
    }
    if len(found) != len(ids):
        raise Http404
    return [found[pk] for pk in ids]


def _parts(user, seat: Seat, ids: list[int], on: date) -> dict[int, tuple[Reserve, list[Part]]]:
    """Each pooled person's score parts for the seat's village and post, as the ranking computes them."""
    village = seat.village
    county = village.code[: CODE_LENGTH[Level.COUNTY]]
    place = villages_of(village.code)[village.code]
    demand = demands_for(user, [place], on, prefix=village.code)[village.code]
    target = Target(
        village=place, demand=demand, post_code=seat.post_type.code, post_name=seat.post_type.name
    )
    homes = villages_of(county, details=False)
    weights = weights_for(county)
    return {
        reserve.person_id: (reserve, village_parts(reserve, target, homes.get(reserve.village_code), weights))
        for reserve in load_pool(user, on=on, person_ids=ids)
    }


def _posts(ids: list[int], on: date) -> dict[int, list[str]]:
    posts: dict[int, list[str]] = defaultdict(list)
    for term in (
        Term.objects.filter(person_id__in=ids).current(on).select_related("seat__village", "seat__post_type")
    ):
        posts[term.person_id].append(str(term.seat))
    return posts


def _grades(ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    grades: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for assessment in Assessment.objects.filter(person_id__in=ids).order_by("person_id", "-year", "-half"):
        if len(grades[assessment.person_id]) < LAST_ASSESSMENTS:
            label = period_label(assessment.year, assessment.half)
            grades[assessment.person_id].append((label, assessment.get_grade_display()))
    return grades


def _plans(ids: list[int], on: date) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {}
    for plan in GrowthPlan.objects.filter(person_id__in=ids).prefetch_related("items"):
        states = [item_status(item, plan.person_id, on).state for item in plan.items.all()]
        counts[plan.person_id] = {
            "done": states.count(ItemState.DONE),
            "overdue": states.count(ItemState.OVERDUE),
            "in_progress": states.count(ItemState.IN_PROGRESS),
            "planned": states.count(ItemState.PLANNED),
        }
    return counts


def compare(user, seat: Seat, person_ids: list[int], on: date) -> Comparison:
    """The comparison of the people (the caller fetched the seat through the jurisdiction)."""
    people = _people(user, person_ids)
    scored = _parts(user, seat, person_ids, on)
    posts = _posts(person_ids, on)
    grades = _grades(person_ids)
    hours = hours_by_person(person_ids, on.year)
    plans = _plans(person_ids, on)
    columns = []
    for person in people:
        reserve, parts = scored.get(person.pk, (None, []))
        total_hours, trainings = hours.get(person.pk, (Decimal(0), 0))
        columns.append(
            Column(
                person=person,
                age=age_on(person.birth_date, on),
                posts=posts.get(person.pk, []),
                reserve=reserve,
                parts=parts,
                grades=grades.get(person.pk, []),
                trainings=trainings,
                hours=total_hours,
                plan_counts=plans.get(person.pk, {}),
                has_plan=person.pk in plans,
            )
        )
    return Comparison(seat=seat, on=on, columns=columns)
