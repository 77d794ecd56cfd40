"""The rules of insurance coverage and health checks as query conditions over incumbents' terms, for the
warnings (`stats.warnings`: uninsured-incumbents, no-health-check) and any list of a large area: a constant
number of queries whatever the number of villages (a province has 44,502).

A policy covers a day when it started on or before it and its last covered day is not before it. A county
requires the kinds of its `WelfareSettings`, or 养老 and 医疗 while it has saved none."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Substr

from yanzhen.welfare.models import (
    INSURANCE_NAMES,
    HealthCheck,
    InsuranceKind,
    InsurancePolicy,
    WelfareSettings,
)

# The county code of a term's seat (the first 6 digits of its village's code).
COUNTY_OF_SEAT = Substr("seat__village__code", 1, 6)
DEFAULT_REQUIRED = frozenset(WelfareSettings().required_kinds)


@dataclass(frozen=True)
class RequiredKinds:
    """The kinds each county under a division requires: its own where it saved them, else the defaults."""

    custom: dict[str, frozenset[str]]

    @classmethod
    def under(cls, code: str) -> RequiredKinds:
        """One query: the saved settings of the counties under (or above) the division."""
        prefix = code[:6]
        rows = WelfareSettings.objects.filter(county__code__startswith=prefix)
        return cls({row.county_id: frozenset(row.required_kinds) for row in rows})

    def of(self, county: str) -> frozenset[str]:
        return self.custom.get(county, DEFAULT_REQUIRED)

    def requiring(self, kind: str) -> Q:
        """Terms (annotated `county_of`) whose county requires the kind."""
        if kind in DEFAULT_REQUIRED:
            return ~Q(county_of__in=[county for county, kinds in self.custom.items() if kind not in kinds])
        return Q(county_of__in=[county for county, kinds in self.custom.items() if kind in kinds])

    def lacking(self, on: date) -> Q:
        """Terms whose person lacks on the day a running policy of a kind his county requires."""
        condition = Q(pk__in=[])
        for kind in InsuranceKind.values:
            held = InsurancePolicy.objects.running(on).filter(person_id=OuterRef("person_id"), kind=kind)
            condition |= self.requiring(kind) & Q(~Exists(held))
        return condition

    def missing(self, county: str, held: set[str]) -> list[str]:
        return [
            INSURANCE_NAMES[InsuranceKind(kind)]
            for kind in InsuranceKind.values
            if kind in self.of(county) and kind not in held
        ]


def running_kinds(person_ids, on: date) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for person_id, kind in (
        InsurancePolicy.objects.running(on).filter(person_id__in=person_ids).values_list("person_id", "kind")
    ):
        found.setdefault(person_id, set()).add(kind)
    return found


def no_check_in_year(on: date) -> Q:
    """Terms whose person has no health check in the day's calendar year, up to the day."""
    checked = HealthCheck.objects.filter(
        person_id=OuterRef("person_id"), checked_on__year=on.year, checked_on__lte=on
    )
    return Q(~Exists(checked))
