"""Reads of the pipeline, always through the user's jurisdiction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, IntegerField, Prefetch, Value, When
from django.http import Http404

from yanzhen.candidacies.models import (
    TERMINAL_STATES,
    Candidacy,
    CandidacyQuerySet,
    CandidacyState,
    CandidacyTarget,
    PublicNotice,
    Readiness,
)
from yanzhen.core.guards import get_for_change, get_for_view, today
from yanzhen.divisions.codes import CODE_LENGTH, Level
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person
from yanzhen.people.selectors import search_condition
from yanzhen.posts.models import PostType

BOARD_LIMIT = 50  # cards per column; the rest behind "show all"

# The date that tells when a candidacy reached its state, for the board's cards.
STATE_DATE = {
    CandidacyState.IN_POOL: "entered_pool_on",
    CandidacyState.PROMOTED: "promoted_on",
    CandidacyState.REMOVED: "removed_on",
}


def _targets() -> Prefetch:
    return Prefetch("targets", queryset=CandidacyTarget.objects.select_related("post_type"))


def visible_candidacies(user) -> CandidacyQuerySet:
    return (
        Candidacy.objects.restrict(user)
        .select_related("person", "village", "village__parent")
        .prefetch_related(_targets())
    )


def _details() -> CandidacyQuerySet:
    """Candidacies with what the candidacy page and the API's answer show."""
    return Candidacy.objects.select_related(
        "person", "village", "village__parent", "public_notice", "term__seat"
    ).prefetch_related(_targets())


def get_candidacy(user, pk) -> Candidacy:
    """A candidacy to read: 404 outside the jurisdiction."""
    return get_for_view(_details(), user, pk=pk)


def get_candidacy_for_change(user, pk) -> Candidacy:
    """A candidacy to move or write to: 404 outside the jurisdiction, 403 for a reader."""
    return get_for_change(_details(), user, pk=pk)


def reread(candidacy: Candidacy) -> Candidacy:
    """The candidacy as a step left it (already found in the jurisdiction: not filtered again)."""
    return _details().get(pk=candidacy.pk)


@dataclass
class Column:
    state: str
    label: str
    count: int
    cards: list[Candidacy] = field(default_factory=list)

    @property
    def terminal(self) -> bool:
        return self.state in TERMINAL_STATES

    @property
    def more(self) -> int:
        return self.count - len(self.cards)


def board(user, *, within: str = "", q: str = "", limit: int | None = None) -> list[Column]:
    """The pipeline by state: one column per state with its count. The states still in progress carry their
    first cards (a column scrolls on its own, the rest is one click away in the list); the finished states
    (TERMINAL_STATES) only their count. `within` narrows to a township or village code, `q` to a search."""
    candidacies = search(within_filter(visible_candidacies(user), within), q)
    counts = dict(
        candidacies.order_by().values_list("state").annotate(n=Count("id")).values_list("state", "n")
    )
    columns = []
    for choice in CandidacyState:
        column = Column(choice.value, str(choice.label), counts.get(choice.value, 0))
        if column.count and not column.terminal:
            cards = candidacies.filter(state=choice).order_by("village_id", "person__name", "id")
            column.cards = list(cards[: limit or BOARD_LIMIT])
        columns.append(column)
    return columns


def within_filter(candidacies: CandidacyQuerySet, within: str) -> CandidacyQuerySet:
    return candidacies.filter(village__code__startswith=within) if within else candidacies


def search(candidacies: CandidacyQuerySet, q: str) -> CandidacyQuerySet:
    """The search box of the board and the list: what the person list's box finds (name, pinyin initials
    or full pinyin, village name, last characters of the ID number)."""
    condition = search_condition(q or "")
    if condition is None:
        return candidacies
    return candidacies.filter(person__in=Person.objects.filter(condition).values("pk"))


def _rank(field: str, values: list[str]) -> Case:
    return Case(
        *[When(**{field: value}, then=Value(index)) for index, value in enumerate(values)],
        default=Value(len(values)),
        output_field=IntegerField(),
    )


def candidacy_list(user, *, within: str = "", state: str = "", q: str = "") -> CandidacyQuerySet:
    """The table view of the pipeline: the candidacies in the user's jurisdiction, filtered, with the ranks
    the table sorts state and readiness by (the order of the procedure, not the alphabet)."""
    candidacies = search(within_filter(visible_candidacies(user), within), q)
    if state:
        candidacies = candidacies.filter(state=state)
    return candidacies.annotate(
        state_rank=_rank("state", CandidacyState.values), readiness_rank=_rank("readiness", Readiness.values)
    )


def selected_candidacies(user, ids: list[int]) -> list[Candidacy]:
    """The candidacies ticked on the list, in its default order; one outside the jurisdiction is not found."""
    found = list(visible_candidacies(user).filter(pk__in=ids).order_by("village_id", "person__name", "id"))
    if len(found) != len(set(ids)):
        raise Http404
    return found


def village_choices(user, township: str) -> list[Division]:
    """The villages of a township, for the list's village filter."""
    if len(township) != CODE_LENGTH[Level.TOWNSHIP]:
        return []
    return list(
        Division.objects.restrict(user)
        .filter(level=Level.VILLAGE, code__startswith=township)
        .order_by("code")
    )


def township_choices(user) -> list[Division]:
    return list(Division.objects.restrict(user).filter(level__in=[Level.TOWNSHIP]).order_by("code"))


@dataclass
class KeyPostCoverage:
    post_type: PostType
    reserves: list[Candidacy]

    @property
    def covered(self) -> bool:
        return bool(self.reserves)


def village_coverage(user, village: Division, on: date | None = None) -> list[KeyPostCoverage]:
    """Each key post of the village with the reserves in the pool on the date (today by default) that target
    it: 一村一职一备 at a glance."""
    on = on or today()
    in_pool = list(
        Candidacy.objects.restrict(user)
        .filter(village=village)
        .in_pool_on(on)
        .select_related("person")
        .prefetch_related(_targets())
        .order_by("readiness", "person__name")
    )
    rows = []
    for post_type in PostType.objects.filter(is_key=True):
        reserves = [c for c in in_pool if any(t.post_type_id == post_type.pk for t in c.targets.all())]
        rows.append(KeyPostCoverage(post_type, reserves))
    return rows


@dataclass
class CoverageSummary:
    villages: int
    covered: int
    uncovered: list[Division]

    @property
    def rate(self) -> Decimal:
        """The share of villages with a reserve for every key post, percent with two decimals, half up."""
        if not self.villages:
            return Decimal("0.00")
        return (Decimal(self.covered) * 100 / Decimal(self.villages)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )


def coverage(user, division: Division, on: date | None = None) -> CoverageSummary:
    """一村一职一备 over the administrative villages (村委会) under a division, on a date."""
    on = on or today()
    villages = list(
        Division.objects.restrict(user).under(division.code).administrative_villages().order_by("code")
    )
    key_posts = set(PostType.objects.filter(is_key=True).values_list("pk", flat=True))
    held = key_posts_with_reserves(user, division.code, on, key_posts)
    uncovered = [v for v in villages if not key_posts <= held.get(v.code, set())]
    return CoverageSummary(len(villages), len(villages) - len(uncovered), uncovered)


def key_posts_with_reserves(user, code: str, on: date, key_posts: set[int]) -> dict[str, set[int]]:
    """The key posts (ids) of each village under `code` that have a reserve in the pool on the date (one
    query): what 一村一职一备 and the villages' comparison both count."""
    held: dict[str, set[int]] = {}
    pairs = (
        CandidacyTarget.objects.filter(
            candidacy__in=Candidacy.objects.restrict(user).in_pool_on(on),
            village__code__startswith=code,
            post_type_id__in=key_posts,
        )
        .values_list("village_id", "post_type_id")
        .distinct()
    )
    for village_code, post_type_id in pairs:
        held.setdefault(village_code, set()).add(post_type_id)
    return held


def decided_by_township(user) -> list[tuple[Division, int]]:
    """Townships with candidacies waiting for their 公示 (decided), and how many."""
    counts: dict[str, int] = {}
    for code in (
        Candidacy.objects.restrict(user)
        .filter(state=CandidacyState.DECIDED)
        .values_list("village_id", flat=True)
    ):
        counts[code[:9]] = counts.get(code[:9], 0) + 1
    townships = Division.objects.in_bulk(list(counts))
    return [(townships[code], n) for code, n in sorted(counts.items()) if code in townships]


def get_notice(user, pk) -> PublicNotice:
    return get_for_view(PublicNotice.objects.select_related("township"), user, pk=pk)


def notice_candidacies(notice: PublicNotice) -> list[Candidacy]:
    return list(
        notice.candidacies.select_related("person", "village")
        .prefetch_related(_targets())
        .order_by("village_id", "person__name", "id")
    )
