"""Reading the 9-box (issue 21 §3): who is in it (reserves in the pool and sitting village cadres of a place),
each person's performance (`performance.py`) and potential (the latest `PotentialRating` on the day), the box
they fall in, each person's box over time and the moves between two days.

Everything reads a constant number of queries for any number of people: the population (two), the ratings
(one) and the performance facts (three)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count

from yanzhen.candidacies.models import Candidacy
from yanzhen.core.guards import operator_scope, today
from yanzhen.divisions.models import Division
from yanzhen.posts.models import Term
from yanzhen.talent import performance
from yanzhen.talent.models import POTENTIAL_NAMES, CalibrationSession, Potential, PotentialRating

RESERVES, INCUMBENTS, EVERYONE = "reserves", "incumbents", "all"
KIND_NAMES = {EVERYONE: "全部", RESERVES: "后备力量", INCUMBENTS: "在职村干部"}
UNRATED = "unrated"

# The standard 九宫格 names, by (performance, potential).
BOX_NAMES = {
    ("high", "high"): "明星",
    ("medium", "high"): "潜力之星",
    ("low", "high"): "待发展者",
    ("high", "medium"): "骨干",
    ("medium", "medium"): "中坚力量",
    ("low", "medium"): "待提升者",
    ("high", "low"): "熟练能手",
    ("medium", "low"): "基本胜任",
    ("low", "low"): "待调整",
}
# The grid as drawn: potential from high (top) to low, performance from low (left) to high.
ROWS = ("high", "medium", "low")
COLUMNS = ("low", "medium", "high")


def box_key(perf: str, potential: str) -> str:
    return f"{perf}-{potential}"


BOXES = {box_key(perf, pot): name for (perf, pot), name in BOX_NAMES.items()}


def box_name(key: str | None) -> str:
    return BOXES.get(key or "", "未评定")


@dataclass(frozen=True)
class Rating:
    rating: str
    reason: str
    rated_on: date
    session_id: int | None = None

    @property
    def name(self) -> str:
        return POTENTIAL_NAMES[Potential(self.rating)]


@dataclass
class Member:
    """A person of the 9-box: where he is (the candidacy's village or the seat's), what he is."""

    person_id: int
    name: str
    village: Division
    incumbent: bool = False
    reserve: bool = False
    posts: list[str] = field(default_factory=list)  # the seats he holds (在职)
    targets: str = ""  # the posts his candidacy targets (后备)
    performance: performance.Performance | None = None
    potential: Rating | None = None

    @property
    def county(self) -> str:
        return self.village.code[:6]

    @property
    def box(self) -> str | None:
        if self.performance is None or self.potential is None:
            return None
        return box_key(self.performance.level, self.potential.rating)

    @property
    def box_name(self) -> str:
        return box_name(self.box)

    @property
    def role_text(self) -> str:
        parts = []
        if self.incumbent:
            parts.append("、".join(self.posts))
        if self.reserve:
            parts.append(f"后备：{self.targets}")
        return "；".join(parts)

    @property
    def missing(self) -> str:
        """Why he is not placed (未评定): no potential rating, no performance, or neither."""
        gaps = []
        if self.potential is None:
            gaps.append("未评定潜力")
        if self.performance is None:
            gaps.append("无绩效依据")
        return "、".join(gaps)


def _only(person_id: int | None, path: str = "person_id") -> dict[str, int]:
    return {} if person_id is None else {path: person_id}


def _reserves(user, under: str, on: date, person_id: int | None = None) -> list[Candidacy]:
    return list(
        operator_scope(Candidacy.objects.in_pool_on(on), user)
        .filter(village__code__startswith=under, **_only(person_id))
        .select_related("person", "village")
        .prefetch_related("targets__post_type")
        .order_by("village__code", "person__name", "pk")
    )


def _incumbent_terms(user, under: str, on: date, person_id: int | None = None) -> list[Term]:
    return list(
        operator_scope(Term.objects.current(on), user)
        .filter(seat__village__code__startswith=under, **_only(person_id))
        .select_related("person", "seat__village", "seat__post_type")
        .order_by("seat__village__code", "seat__post_type__order", "seat__number")
    )


def population(
    user, under: str, on: date, kind: str = EVERYONE, *, person_id: int | None = None
) -> list[Member]:
    """The reserves in the pool and the sitting village cadres on the day under a code, in the user's
    jurisdiction (None: all), one member per person (a cadre who is also a reserve is both)."""
    members: dict[int, Member] = {}
    if kind in (EVERYONE, INCUMBENTS):
        for term in _incumbent_terms(user, under, on, person_id):
            member = members.setdefault(
                term.person_id, Member(term.person_id, term.person.name, term.seat.village)
            )
            member.incumbent = True
            member.posts.append(term.seat.post_type.name)
    if kind in (EVERYONE, RESERVES):
        for candidacy in _reserves(user, under, on, person_id):
            member = members.setdefault(
                candidacy.person_id, Member(candidacy.person_id, candidacy.person.name, candidacy.village)
            )
            member.reserve = True
            member.targets = candidacy.target_names()
    return sorted(members.values(), key=lambda m: (m.village.code, not m.incumbent, m.name, m.person_id))


def rating_rows(person_ids, until: date) -> dict[int, list[Rating]]:
    """Each person's ratings rated on or before the day, oldest first; one query."""
    found: dict[int, list[Rating]] = defaultdict(list)
    for person_id, rating, reason, rated_on, session_id in (
        PotentialRating.objects.filter(person_id__in=set(person_ids), rated_on__lte=until)
        .order_by("person_id", "rated_on", "pk")
        .values_list("person_id", "rating", "reason", "rated_on", "session_id")
    ):
        found[person_id].append(Rating(rating, reason, rated_on, session_id))
    return found


def rating_on(rows: list[Rating], on: date) -> Rating | None:
    latest = None
    for row in rows:
        if row.rated_on <= on:
            latest = row
    return latest


def _facts(members: list[Member], since: date, until: date) -> performance.Facts:
    return performance.fetch(
        [m.person_id for m in members],
        [m.person_id for m in members if m.incumbent],
        {m.county for m in members},
        since,
        until,
    )


def place(members: list[Member], on: date, *, facts=None, ratings=None) -> list[Member]:
    """Fill each member's performance and potential on the day."""
    facts = facts or _facts(members, on, on)
    ratings = ratings if ratings is not None else rating_rows([m.person_id for m in members], on)
    for member in members:
        member.performance = performance.level_on(
            member.person_id, incumbent=member.incumbent, county=member.county, on=on, facts=facts
        )
        member.potential = rating_on(ratings.get(member.person_id, []), on)
    return members


@dataclass
class Box:
    key: str
    name: str
    performance: str
    potential: str
    members: list[Member]

    @property
    def count(self) -> int:
        return len(self.members)

    @property
    def performance_name(self) -> str:
        return performance.LEVEL_NAMES[self.performance]

    @property
    def potential_name(self) -> str:
        return performance.LEVEL_NAMES[self.potential]


@dataclass
class Grid:
    on: date
    rows: list[list[Box]]  # potential high → low; each row performance low → high
    unrated: list[Member]

    @property
    def boxes(self) -> list[Box]:
        return [box for row in self.rows for box in row]

    @property
    def placed(self) -> int:
        return sum(box.count for box in self.boxes)

    def members_of(self, key: str) -> list[Member] | None:
        if key == UNRATED:
            return self.unrated
        return next((box.members for box in self.boxes if box.key == key), None)


def grid_of(members: list[Member], on: date) -> Grid:
    by_box: dict[str, list[Member]] = defaultdict(list)
    unrated = []
    for member in members:
        if member.box is None:
            unrated.append(member)
        else:
            by_box[member.box].append(member)
    rows = [
        [
            Box(box_key(perf, pot), BOX_NAMES[(perf, pot)], perf, pot, by_box.get(box_key(perf, pot), []))
            for perf in COLUMNS
        ]
        for pot in ROWS
    ]
    return Grid(on, rows, unrated)


def ninebox(user, under: str, on: date | None = None, kind: str = EVERYONE) -> Grid:
    """The 9-box of the place on the day: every member placed, the others listed apart (未评定)."""
    on = on or today()
    return grid_of(place(population(user, under, on, kind), on), on)


# -- moves ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """From `start` on, the person was in `box` (None: 未评定), with the performance and rating of that day."""

    start: date
    box: str | None
    performance: performance.Performance | None
    potential: Rating | None

    @property
    def box_name(self) -> str:
        return box_name(self.box)


def timeline(member: Member, until: date | None = None) -> list[Step]:
    """The member's box over time up to the day: one step each time the box changed, from his first rating
    or performance on (the rating history and the performance as of each day it could change)."""
    until = until or today()
    facts = performance.fetch(
        [member.person_id],
        [member.person_id] if member.incumbent else [],
        [member.county],
        date(1990, 1, 1),
        until,
    )
    ratings = rating_rows([member.person_id], until).get(member.person_id, [])
    days = {row.rated_on for row in ratings} | performance.change_days(member.person_id, facts)
    steps: list[Step] = []
    for day in sorted(d for d in days if d <= until):
        perf = performance.level_on(
            member.person_id, incumbent=member.incumbent, county=member.county, on=day, facts=facts
        )
        potential = rating_on(ratings, day)
        box = box_key(perf.level, potential.rating) if perf and potential else None
        if steps and steps[-1].box == box:
            continue
        if not steps and box is None and perf is None and potential is None:
            continue
        steps.append(Step(day, box, perf, potential))
    return steps


@dataclass
class Move:
    before: str | None
    after: str | None
    members: list[Member]

    @property
    def before_name(self) -> str:
        return box_name(self.before)

    @property
    def after_name(self) -> str:
        return box_name(self.after)

    @property
    def count(self) -> int:
        return len(self.members)


def moves(user, under: str, start: date, end: date, kind: str = EVERYONE) -> list[Move]:
    """The people of the place on `end` whose box on `end` differs from their box on `start`, grouped by
    (from box, to box), the largest group first."""
    members = population(user, under, end, kind)
    facts = _facts(members, start, end)
    ratings = rating_rows([m.person_id for m in members], end)
    before = {m.person_id: m.box for m in place(members, start, facts=facts, ratings=ratings)}
    place(members, end, facts=facts, ratings=ratings)
    grouped: dict[tuple[str | None, str | None], list[Member]] = defaultdict(list)
    for member in members:
        if before[member.person_id] != member.box:
            grouped[(before[member.person_id], member.box)].append(member)
    found = [Move(b, a, people) for (b, a), people in grouped.items()]
    return sorted(found, key=lambda move: (-move.count, move.before or "~", move.after or "~"))


def member_of(user, person_id: int, on: date | None = None) -> Member | None:
    """The person as a member of the 9-box on the day (None when he is neither in the pool nor sitting)."""
    on = on or today()
    found = population(user, "", on, person_id=person_id)
    return place(found, on)[0] if found else None


def sessions(user, under: str = "") -> list[CalibrationSession]:
    return list(
        CalibrationSession.objects.restrict(user)
        .filter(township__code__startswith=under)
        .select_related("township", "created_by", "closed_by")
        .annotate(change_count=Count("changes"))
    )
