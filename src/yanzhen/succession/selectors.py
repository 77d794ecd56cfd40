"""Reading the succession (issue 21 §1): each seat's successors in order with their readiness and the emergency
cover, a seat's bench strength, and the lineage of a move (the chain of seats a promotion opens).

The successors of a seat on a day are the reserves in the pool that day whose candidacy is for the seat's
village and targets the seat's post. The county's saved order (`SuccessionEntry`) ranks them; a reserve not in
the saved order follows it in the default order, and a seat without a saved order has the default order only:
readiness (ready now, 1–2 years, 3 years), then 重点培养, then the earliest 入库时间, then the name. The entries
on a past day are rebuilt from their history. Everything here reads a constant number of queries for any
number of seats (`successors_of`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet

from yanzhen.candidacies.models import Candidacy, CandidacyTarget, Readiness
from yanzhen.core.guards import operator_scope, today
from yanzhen.posts.models import Seat, Term
from yanzhen.stats.states import end_of_day
from yanzhen.succession.models import SuccessionEntry

READINESS_ORDER = {Readiness.READY: 0, Readiness.ONE_TO_TWO_YEARS: 1, Readiness.THREE_YEARS: 2}
LINEAGE_DEPTH = 6


@dataclass
class Successor:
    candidacy_id: int
    person_id: int
    name: str
    readiness: str
    position: int = 0  # 1-based place in the seat's order
    saved: bool = False  # placed by the county's saved order (False: the default order)
    is_emergency_cover: bool = False

    @property
    def ready_now(self) -> bool:
        return self.readiness == Readiness.READY

    @property
    def readiness_name(self) -> str:
        return str(Readiness(self.readiness).label)


@dataclass
class Bench:
    """A seat's successors and its bench strength."""

    seat: Seat
    successors: list[Successor] = field(default_factory=list)

    @property
    def ready_now(self) -> int:
        return sum(1 for successor in self.successors if successor.ready_now)

    @property
    def emergency_cover(self) -> Successor | None:
        return next((s for s in self.successors if s.is_emergency_cover), None)

    @property
    def has_saved_order(self) -> bool:
        return any(successor.saved for successor in self.successors)


@dataclass(frozen=True)
class EntryState:
    seat_id: int
    candidacy_id: int
    position: int
    is_emergency_cover: bool


def entries_on(seat_ids: list[int], on: date) -> list[EntryState]:
    """The saved entries of the seats as they were on the day (today: the rows themselves), one query."""
    if on >= today():
        rows = SuccessionEntry.objects.filter(seat_id__in=seat_ids).values_list(
            "seat_id", "candidacy_id", "position", "is_emergency_cover"
        )
        return [EntryState(*row) for row in rows]
    latest: dict[int, tuple] = {}
    history = (
        SuccessionEntry.history.filter(seat_id__in=seat_ids, history_date__lt=end_of_day(on))
        .order_by("id", "history_date", "history_id")
        .values_list("id", "history_type", "seat_id", "candidacy_id", "position", "is_emergency_cover")
    )
    for row in history:
        latest[row[0]] = row
    return [EntryState(*row[2:]) for row in latest.values() if row[1] != "-"]


def _pool_targets(seats: list[Seat], on: date) -> dict[tuple[int, str], list[Successor]]:
    """The reserves in the pool on the day per (post type, village), in the default order; one query."""
    villages = {seat.village_id for seat in seats}
    posts = {seat.post_type_id for seat in seats}
    rows = (
        CandidacyTarget.objects.filter(
            candidacy__in=Candidacy.objects.in_pool_on(on),
            village_id__in=villages,
            post_type_id__in=posts,
        )
        .order_by()
        .values_list(
            "post_type_id",
            "village_id",
            "candidacy_id",
            "candidacy__person_id",
            "candidacy__person__name",
            "candidacy__readiness",
            "candidacy__key_cultivation",
            "candidacy__entered_pool_on",
        )
    )
    found: dict[tuple[int, str], list[tuple]] = defaultdict(list)
    for post, village, *rest in rows:
        found[(post, village)].append(tuple(rest))
    ordered: dict[tuple[int, str], list[Successor]] = {}
    for key, reserves in found.items():
        reserves.sort(key=lambda r: (READINESS_ORDER.get(r[3], 9), not r[4], r[5], r[2], r[0]))
        ordered[key] = [Successor(r[0], r[1], r[2], r[3]) for r in reserves]
    return ordered


def successors_of(seats: list[Seat], on: date | None = None) -> dict[int, Bench]:
    """Each seat's bench on the day (today by default): two queries however many seats."""
    on = on or today()
    if not seats:
        return {}
    pool = _pool_targets(seats, on)
    saved: dict[int, list[EntryState]] = defaultdict(list)
    for entry in entries_on([seat.pk for seat in seats], on):
        saved[entry.seat_id].append(entry)
    benches: dict[int, Bench] = {}
    for seat in seats:
        reserves = {s.candidacy_id: s for s in pool.get((seat.post_type_id, seat.village_id), [])}
        ranked: list[Successor] = []
        for entry in sorted(saved.get(seat.pk, []), key=lambda e: (e.position, e.candidacy_id)):
            reserve = reserves.pop(entry.candidacy_id, None)
            if reserve is None:  # left the pool (or no longer targets the post): not a successor any more
                continue
            ranked.append(
                Successor(
                    **{**reserve.__dict__, "saved": True, "is_emergency_cover": entry.is_emergency_cover}
                )
            )
        ranked.extend(reserves.values())
        for position, successor in enumerate(ranked, start=1):
            successor.position = position
        benches[seat.pk] = Bench(seat, ranked)
    return benches


def bench_of(seat: Seat, on: date | None = None) -> Bench:
    return successors_of([seat], on)[seat.pk]


def key_seats(user, under: str = "") -> QuerySet[Seat]:
    """The key seats (村党组织书记, 村委会主任 …) of the villages the user sees (None: all), under a code."""
    seats = operator_scope(Seat.objects.all(), user).filter(
        post_type__is_key=True, village__code__startswith=under
    )
    return seats.select_related("village", "post_type").order_by(
        "village__code", "post_type__order", "number"
    )


# -- lineage ------------------------------------------------------------------------------------------------


@dataclass
class LineageStep:
    """A seat a move opens: the person who leaves it, and who would follow him there (None: uncovered)."""

    seat: Seat
    leaving: str
    depth: int
    successor: Successor | None

    @property
    def covered(self) -> bool:
        return self.successor is not None


def _held_seats(person_id: int, on: date, skip: set[int]) -> list[Seat]:
    terms = (
        Term.objects.current(on)
        .filter(person_id=person_id)
        .exclude(seat_id__in=skip)
        .select_related("seat__village", "seat__post_type")
        .order_by("seat__post_type__order", "seat_id")
    )
    return [term.seat for term in terms]


def lineage(seat: Seat, successor: Successor, on: date | None = None) -> list[LineageStep]:
    """The chain of seats moving `successor` into `seat` would open: each seat he (then his own first
    successor, and so on) holds on the day, with whether someone follows. Stops at a seat already in the chain
    (a cycle) and after `LINEAGE_DEPTH` steps."""
    on = on or today()
    steps: list[LineageStep] = []
    seen: set[int] = {seat.pk}
    moving: set[int] = set()
    frontier: list[tuple[int, str, int]] = [(successor.person_id, successor.name, 1)]
    while frontier and len(steps) < LINEAGE_DEPTH:
        person_id, name, depth = frontier.pop(0)
        moving.add(person_id)
        for opened in _held_seats(person_id, on, seen):
            seen.add(opened.pk)
            follower = next((s for s in bench_of(opened, on).successors if s.person_id not in moving), None)
            steps.append(LineageStep(opened, name, depth, follower))
            if follower is not None:
                frontier.append((follower.person_id, follower.name, depth + 1))
            if len(steps) >= LINEAGE_DEPTH:
                break
    return steps


def pool_candidacies_for(seat: Seat, on: date | None = None) -> QuerySet[Candidacy]:
    """The candidacies that may stand in a seat's order: in the pool, for its village, targeting its post."""
    return (
        Candidacy.objects.in_pool_on(on or today())
        .filter(Q(village_id=seat.village_id), targets__post_type_id=seat.post_type_id)
        .distinct()
    )
