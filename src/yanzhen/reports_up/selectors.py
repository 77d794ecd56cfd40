"""Reading the reports filed upward (issue 20 §3): the snapshots a user sees, and the roll-up.

Every read starts from `Snapshot.objects.restrict(user)`: a county sees its own, a city its counties', a
province all of its counties'; a township or a village sees none (its code is longer than the county's).

The roll-up of a division (a city or a province) for one kind and year: each county below it with its current
snapshot. The submitted ones are added up, count by count, and the shares computed again from the sums
(`content.derived`: never an average of percentages); a county that has not submitted, or whose snapshot
was returned for correction, is listed apart and not counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.reports_up.content import COUNTS, derived, summed
from yanzhen.reports_up.models import CURRENT, Snapshot, Status


def snapshots(user, *, kind: str = "", year: int | None = None, status: str = "") -> QuerySet[Snapshot]:
    found = Snapshot.objects.restrict(user).select_related("division", "submitted_by")
    if kind:
        found = found.filter(kind=kind)
    if year:
        found = found.filter(year=year)
    if status:
        found = found.filter(status=status)
    return found


def history_of(snapshot: Snapshot) -> list[Snapshot]:
    """The snapshots of the same county, kind and year, newest first (the resubmissions and what they
    superseded)."""
    return list(
        Snapshot.objects.filter(division=snapshot.division, kind=snapshot.kind, year=snapshot.year)
        .select_related("submitted_by", "returned_by")
        .order_by("-submitted_on", "-pk")
    )


@dataclass
class CountyLine:
    county: Division
    snapshot: Snapshot | None

    @property
    def counted(self) -> bool:
        return self.snapshot is not None and self.snapshot.status == Status.SUBMITTED

    @property
    def counts(self) -> dict:
        return self.snapshot.content["table"]["total"] if self.snapshot is not None else {}


@dataclass
class Rollup:
    division: Division
    kind: str
    year: int
    lines: list[CountyLine] = field(default_factory=list)

    @property
    def counted(self) -> list[CountyLine]:
        return [line for line in self.lines if line.counted]

    @property
    def missing(self) -> list[CountyLine]:
        return [line for line in self.lines if line.snapshot is None]

    @property
    def returned(self) -> list[CountyLine]:
        return [line for line in self.lines if line.snapshot is not None and not line.counted]

    @property
    def total(self) -> dict:
        return summed(self.kind, [line.counts for line in self.counted])

    @property
    def total_shares(self) -> dict:
        return derived(self.kind, self.total)

    def rows(self) -> list[tuple[str, dict]]:
        """(unit, counts) of each county counted, then the total."""
        return [(line.county.name, line.counts) for line in self.counted] + [("合计", self.total)]


def rollup(user, division: Division, kind: str, year: int) -> Rollup:
    """The roll-up of `division`'s counties (see the module docstring); `division` is one the user sees."""
    counties = list(
        Division.objects.restrict(user)
        .filter(level=Level.COUNTY, code__startswith=division.code)
        .order_by("code")
    )
    current = {
        snapshot.division_id: snapshot
        for snapshot in snapshots(user, kind=kind, year=year).filter(
            status__in=CURRENT, division__in=[county.code for county in counties]
        )
    }
    return Rollup(division, kind, year, [CountyLine(county, current.get(county.code)) for county in counties])


def columns_of(kind: str) -> list[str]:
    return COUNTS[kind]
