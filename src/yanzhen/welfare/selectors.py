"""Reads of 待遇保障: the township's coverage list (insurance and this year's health check of each sitting
cadre), a person's panel in the archive, and the records a page edits; each through the user's jurisdiction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from yanzhen.core.guards import get_for_view, today
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person
from yanzhen.posts.models import Term
from yanzhen.welfare import rules
from yanzhen.welfare.models import INSURANCE_NAMES, HealthCheck, InsuranceKind, InsurancePolicy


@dataclass
class CoverageRow:
    person: Person
    village: Division
    posts: list[str]
    policies: dict[str, InsurancePolicy | None]  # kind → a running policy
    check: HealthCheck | None  # this year's latest
    missing: list[str] = field(default_factory=list)  # names of the required kinds not held

    @property
    def cells(self) -> list[InsurancePolicy | None]:
        return [self.policies.get(kind) for kind in InsuranceKind.values]


def _running_by_person(person_ids, on: date) -> dict[int, dict[str, InsurancePolicy]]:
    found: dict[int, dict[str, InsurancePolicy]] = {}
    for policy in (
        InsurancePolicy.objects.running(on).filter(person_id__in=person_ids).order_by("starts_on", "pk")
    ):
        found.setdefault(policy.person_id, {})[policy.kind] = policy
    return found


def _checks_this_year(person_ids, on: date) -> dict[int, HealthCheck]:
    found: dict[int, HealthCheck] = {}
    for check in HealthCheck.objects.filter(
        person_id__in=person_ids, checked_on__year=on.year, checked_on__lte=on
    ).order_by("checked_on", "pk"):
        found[check.person_id] = check
    return found


def coverage(user, township: Division, on: date | None = None) -> list[CoverageRow]:
    """One row per person sitting on the day in the township's villages (一肩挑: one row, both posts): which
    insurance runs and this year's check. Four queries."""
    on = on or today()
    required = rules.welfare_settings(rules.county_code(township.code)).required_kinds
    terms = (
        Term.objects.restrict(user)
        .current(on)
        .filter(seat__village__code__startswith=township.code)
        .select_related("person", "seat__village", "seat__post_type")
        .order_by("seat__village_id", "seat__post_type__order", "person__name_pinyin", "pk")
    )
    rows: dict[int, CoverageRow] = {}
    for term in terms:
        row = rows.get(term.person_id)
        if row is None:
            rows[term.person_id] = CoverageRow(term.person, term.seat.village, [], {}, None)
            row = rows[term.person_id]
        row.posts.append(term.seat.post_type.name)
    policies = _running_by_person(list(rows), on)
    checks = _checks_this_year(list(rows), on)
    for person_id, row in rows.items():
        row.policies = {kind: policies.get(person_id, {}).get(kind) for kind in InsuranceKind.values}
        row.check = checks.get(person_id)
        row.missing = [
            INSURANCE_NAMES[InsuranceKind(kind)] for kind in required if row.policies[kind] is None
        ]
    return list(rows.values())


@dataclass
class PersonWelfare:
    policies: list[InsurancePolicy]
    checks: list[HealthCheck]
    missing: list[str]
    checked_this_year: bool
    in_office: bool
    on: date


def person_welfare(user, person: Person) -> PersonWelfare | None:
    """The archive's 待遇保障 section: None for a user who may not read it."""
    if not rules.may_read(user):
        return None
    person = get_for_view(Person.objects.all(), user, pk=person.pk)
    on = today()
    policies = list(InsurancePolicy.objects.filter(person=person).order_by("kind", "-starts_on", "-pk"))
    checks = list(HealthCheck.objects.filter(person=person).order_by("-checked_on", "-pk"))
    in_office = Term.objects.current(on).filter(person=person).exists()
    required = rules.welfare_settings(rules.county_code(person.village_id)).required_kinds
    running = {policy.kind for policy in policies if policy.runs_on(on)}
    return PersonWelfare(
        policies=policies,
        checks=checks,
        missing=[INSURANCE_NAMES[InsuranceKind(kind)] for kind in required if kind not in running],
        checked_this_year=any(
            check.checked_on.year == on.year and check.checked_on <= on for check in checks
        ),
        in_office=in_office,
        on=on,
    )


def get_policy(user, pk: int) -> InsurancePolicy:
    return get_for_view(InsurancePolicy.objects.select_related("person__village"), user, pk=pk)


def get_check(user, pk: int) -> HealthCheck:
    return get_for_view(HealthCheck.objects.select_related("person__village"), user, pk=pk)
