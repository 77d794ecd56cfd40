"""The report of an election filed upward (issue 16 §4): the county's village committees before and after the
election, how many of the newly elected came from the reserve pool, and the targets met or missed.

`election_report(user, election)` returns the dict of the issue (the console's `yanzhen election-report
--json`, the API's `/report`, the report page and its xlsx read it):

    {"election": id, "county": "640323", "villages": N, "villages_elected": n,
     "before": {...}, "after": {...}, "from_pool": {"count", "pct"},
     "targets": {"met": n, "missed": [{"village", "target", "detail"}]}}

Definitions (the same as `yanzhen stats`, stats.figures; reused, not written again):
- The committee is the 村"两委": stats.figures.INCUMBENT_GROUPS["committee"] (every post but the practice
  posts and the 村务监督委员会). A committee on D is the people holding a term of it current on D (start ≤ D <
  end, `TermQuerySet.current`), each counted once however many seats he holds.
- `before`: every village's committee on the day before the election starts (election.starts_on − 1 day).
- `after`: the committees on the day the new terms start. A village with results: its committee on its own
  election day (Result.elected_on: the outgoing terms end and the new ones start that day). A village
  without results: the committee sitting on the same day as `before` (nothing changed there yet), so that
  `after` always covers every village and an election in progress shows its progress.
- People's attributes are those valid on the day (stats.states.States, rebuilt from history): age in whole
  years (stats.states.age_sql), 大专及以上 by stats.figures.EDUCATION_CONDITIONS["college_or_above"]
  (GB/T 4658 10–33), under_35 by stats.figures.age_conditions, i.e. age < 35 (the figures' band). The
  village-level target "at least one member aged 35 or under" (rules.YOUNG_AGE, age ≤ 35) is the rules'
  own and is only read through rules.village_misses.
- members: the people of the committees (once each); average_age to 1 decimal (stats.figures.ratio, half
  up); the *_pct of members to 2 decimals (stats.figures.pct, half up). one_shoulder_pct and
  cross_post_pct are shares of the villages (every 村委会 of the county the user sees): a village counts
  when one of its committee holds both the secretary's and the chair's seat (rules.is_one_shoulder), or one
  of them holds seats of two or more different 两委 posts (rules.is_cross_post).
- from_pool: the newly elected (the people of the results, once each) who were 在库 reserves when their
  village voted: a candidacy in the pool (Candidacy.in_pool_on) on the day before their election day. (On
  the election day itself a reserve elected from the pool is already 已使用: the pipeline's promotion is
  dated that day, and the pool on D excludes those used on or before D.) pct: of all the newly elected.
- targets: `met` is the number of villages with results whose new committee misses no village-level target
  (rules.village_misses of the committee `after` against the one `before`); `missed` lists each miss of
  those villages by village code, then the county-level targets the `after` committees miss
  (one_shoulder_pct, college_or_above_pct and cross_post_pct against the election's one_shoulder_pct,
  college_pct and cross_post_pct), with the county's code as "village".

Jurisdiction: every query is restricted to the user (`scoped`, as core.guards.operator_scope; user None is
the operator at the console, who sees everything). A township clerk or a village secretary gets the report
of the villages he sees (his township, his village): the same figures limited to them; the county's code
still names the county-level targets. An election the user cannot see answers 404.

Cost: a fixed number of queries whatever the number of villages (the villages, the results, the pool, and,
per distinct date — the day before the election and each election day —, the committee's terms and their
people's states); no query per village.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import reduce
from operator import or_
from typing import TypeVar

from django.db import connection
from django.db.models import Q
from django.http import Http404

from yanzhen.candidacies.models import Candidacy
from yanzhen.core.jurisdiction import ScopedQuerySet
from yanzhen.divisions.models import Division
from yanzhen.elections.models import Election, Result
from yanzhen.elections.rules import Member, is_cross_post, is_one_shoulder, village_misses
from yanzhen.people.codes import Gender
from yanzhen.posts.models import Term
from yanzhen.stats.figures import EDUCATION_CONDITIONS, INCUMBENT_GROUPS, age_conditions, pct, ratio
from yanzhen.stats.states import States, age_sql, condition_sql, tuned

COMMITTEE = INCUMBENT_GROUPS["committee"]
QS = TypeVar("QS", bound=ScopedQuerySet)
SIDES = ("before", "after")
FIGURE_KEYS = (
    "members",
    "average_age",
    "college_or_above_pct",
    "under_35_pct",
    "women_pct",
    "one_shoulder_pct",
    "cross_post_pct",
)
# The county-level targets: (target, the figure of `after`, the election's field).
COUNTY_TARGETS = (
    ("one_shoulder", "one_shoulder_pct", "one_shoulder_pct"),
    ("college", "college_or_above_pct", "college_pct"),
    ("cross_post", "cross_post_pct", "cross_post_pct"),
)
COUNTY_TARGET_TEXT = {
    "one_shoulder": "书记、主任“一肩挑”的村占",
    "college": "大专及以上学历成员占",
    "cross_post": "“两委”交叉任职的村占",
}


def scoped(queryset: QS, user) -> QS:
    """The records of the user's jurisdiction, or all of them for the operator at the console (user None):
    core.guards.operator_scope, keeping the queryset's own class."""
    return queryset if user is None else queryset.restrict(user)


class ReportInputError(ValueError):
    """An election the console cannot report on; the message is Chinese."""


@dataclass(frozen=True)
class State:
    """A person as the figures read him on a day (stats' definitions, computed in SQL)."""

    age: int | None
    college: bool
    under_35: bool
    female: bool


@dataclass
class VillageFacts:
    """One village of the report: its committee before and after, its results."""

    code: str
    name: str
    township: str  # the township's code
    before: list[Member] = field(default_factory=list)
    after: list[Member] = field(default_factory=list)
    after_on: date | None = None  # the election day, None without results
    elected: frozenset[int] = frozenset()  # the people of its results
    from_pool: frozenset[int] = frozenset()  # those of them who were reserves in the pool

    @property
    def has_results(self) -> bool:
        return self.after_on is not None


@dataclass
class ReportData:
    """Everything the report is computed from, per village, read in a fixed number of queries."""

    election: Election
    before_on: date
    villages: list[VillageFacts]
    townships: dict[str, str]  # code: name
    states: dict[tuple[int, date], State]  # (person, day): his state on the day

    def on(self, village: VillageFacts, side: str) -> tuple[list[Member], date]:
        if side == "before" or village.after_on is None:
            return (village.before if side == "before" else village.after), self.before_on
        return village.after, village.after_on


# --- Reading ----------------------------------------------------------------------------------------------


def get_election(user, election_id) -> Election:
    """The election for the user (404 outside his county); for the console (user None) any, else
    ReportInputError."""
    queryset = Election.objects.select_related("county")
    if user is not None:
        queryset = queryset.restrict(user)
        try:
            return queryset.get(pk=election_id)
        except (Election.DoesNotExist, ValueError, TypeError) as missing:
            raise Http404 from missing
    try:
        return queryset.get(pk=int(election_id))
    except (Election.DoesNotExist, ValueError, TypeError):
        raise ReportInputError(f"换届“{election_id}”不存在") from None


def states_on(person_ids, on: date) -> dict[int, State]:
    """The states on `on` of the people a queryset of `person_id` selects, in one query, by the figures'
    own conditions."""
    inner, inner_params = States.of(person_ids, on).sql()
    age, age_params = age_sql(on)
    college, college_params = condition_sql(EDUCATION_CONDITIONS["college_or_above"])
    young, young_params = condition_sql(age_conditions(on)["under_35"])
    female, female_params = condition_sql(Q(gender=Gender.FEMALE))
    q = connection.ops.quote_name
    sql = (
        f"SELECT {q('id')}, {age}, CASE WHEN {college} THEN 1 ELSE 0 END, "
        f"CASE WHEN {young} THEN 1 ELSE 0 END, CASE WHEN {female} THEN 1 ELSE 0 END "
        f"FROM ({inner}) AS states"
    )
    params = [*age_params, *college_params, *young_params, *female_params, *inner_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {
        row[0]: State(
            age=None if row[1] is None else int(row[1]),
            college=bool(row[2]),
            under_35=bool(row[3]),
            female=bool(row[4]),
        )
        for row in rows
    }


def committees_on(user, villages, on: date) -> tuple[dict[str, dict[int, set[str]]], dict[int, State]]:
    """The committees of `villages` (a queryset of codes) on a day: {village: {person: his posts}}, and the
    states of their people on the day. Two queries."""
    terms = (
        scoped(Term.objects.all(), user)
        .current(on)
        .filter(COMMITTEE, seat__village_id__in=villages)
        .order_by()
    )
    posts: dict[str, dict[int, set[str]]] = {}
    for village, person, code in terms.values_list("seat__village_id", "person_id", "seat__post_type__code"):
        posts.setdefault(village, {}).setdefault(person, set()).add(code)
    states = states_on(terms.values("person_id"), on) if posts else {}
    return posts, states


def member(person: int, posts: Iterable[str], state: State) -> Member:
    """A person as rules.village_misses reads him (rules.Member)."""
    return Member(
        person_id=person,
        gender=Gender.FEMALE if state.female else Gender.MALE,
        age=state.age,
        college=state.college,
        posts=frozenset(posts),
    )


def collect(user, election: Election) -> ReportData:
    """Read what the report needs, restricted to the user (see the module docstring)."""
    county = election.county_id
    before_on = election.starts_on - timedelta(days=1)
    villages_qs = (
        scoped(Division.objects.all(), user).under(county).administrative_villages().order_by("code")
    )
    villages = {
        code: VillageFacts(code=code, name=name, township=code[:9])
        for code, name in villages_qs.values_list("code", "name")
    }
    townships = dict(
        Division.objects.filter(code__in={v.township for v in villages.values()}).values_list("code", "name")
    )
    results = scoped(Result.objects.all(), user).filter(
        election=election, village_id__in=villages_qs.values("code")
    )
    elected_on: dict[str, date] = {}
    elected: dict[str, set[int]] = {}
    for village, person, on in results.values_list("village_id", "person_id", "elected_on").order_by():
        elected_on[village] = min(on, elected_on.get(village, on))
        elected.setdefault(village, set()).add(person)
    all_states: dict[tuple[int, date], State] = {}

    # Before: every village on the day before the election.
    posts, states = committees_on(user, villages_qs.values("code"), before_on)
    all_states.update({(person, before_on): state for person, state in states.items()})
    for code, facts in villages.items():
        facts.before = [member(p, codes, states[p]) for p, codes in sorted(posts.get(code, {}).items())]
        facts.after = facts.before

    # After: the villages with results on their own election day (one pass per distinct day).
    days: dict[date, list[str]] = {}
    for code, on in elected_on.items():
        days.setdefault(on, []).append(code)
    for on, codes in sorted(days.items()):
        posts, states = committees_on(user, codes, on)
        all_states.update({(person, on): state for person, state in states.items()})
        for code in codes:
            facts = villages[code]
            facts.after_on = on
            facts.after = [member(p, c, states[p]) for p, c in sorted(posts.get(code, {}).items())]
            facts.elected = frozenset(elected[code])

    # From the pool: the newly elected who were reserves in the pool the day before they were elected.
    if days:
        candidacies = scoped(Candidacy.objects.all(), user)
        pooled_on_day = [
            candidacies.filter(person_id__in=results.filter(elected_on=on).values("person_id")).in_pool_on(
                on - timedelta(days=1)
            )
            for on in days
        ]
        pooled = set(reduce(or_, pooled_on_day).values_list("person_id", flat=True).distinct())
        for code in elected:
            facts = villages[code]
            facts.from_pool = frozenset(facts.elected & pooled)
    return ReportData(election, before_on, list(villages.values()), townships, all_states)


# --- Figures ----------------------------------------------------------------------------------------------


def committee_figures(data: ReportData, villages: Sequence[VillageFacts], side: str) -> dict:
    """The figures of one side (before / after) over `villages`; a person is counted once."""
    people: dict[int, State] = {}
    one_shoulder = cross_post = 0
    for village in villages:
        members, on = data.on(village, side)
        for one in members:
            people.setdefault(one.person_id, data.states[(one.person_id, on)])
        one_shoulder += is_one_shoulder(members)
        cross_post += is_cross_post(members)
    total = len(people)
    states = people.values()
    return {
        "members": total,
        "average_age": ratio(sum(s.age or 0 for s in states), total, "0.1"),
        "college_or_above_pct": pct(sum(s.college for s in states), total),
        "under_35_pct": pct(sum(s.under_35 for s in states), total),
        "women_pct": pct(sum(s.female for s in states), total),
        "one_shoulder_pct": pct(one_shoulder, len(villages)),
        "cross_post_pct": pct(cross_post, len(villages)),
    }


def from_pool_figures(villages: Sequence[VillageFacts]) -> dict:
    elected = set().union(*(v.elected for v in villages)) if villages else set()
    pooled = set().union(*(v.from_pool for v in villages)) if villages else set()
    return {"count": len(pooled), "pct": pct(len(pooled), len(elected))}


def village_target_misses(data: ReportData, village: VillageFacts) -> list[dict]:
    return [
        {"village": village.code, "target": miss.target, "detail": miss.detail}
        for miss in village_misses(data.election, village.after, village.before)
    ]


def county_target_misses(election: Election, after: dict) -> list[dict]:
    missed = []
    for target, figure, goal_field in COUNTY_TARGETS:
        goal = float(getattr(election, goal_field))
        if after[figure] < goal:
            missed.append(
                {
                    "village": election.county_id,
                    "target": target,
                    "detail": f"{COUNTY_TARGET_TEXT[target]} {after[figure]:.2f}%，目标 {goal:.2f}%",
                }
            )
    return missed


def summarise(data: ReportData, villages: Sequence[VillageFacts], *, county_targets: bool = True) -> dict:
    """The report's dict over `villages` (all of them for the report, a township's for its row)."""
    with_results = [v for v in villages if v.has_results]
    missed: list[dict] = []
    met = 0
    for village in with_results:
        misses = village_target_misses(data, village)
        met += not misses
        missed += misses
    after = committee_figures(data, villages, "after")
    if county_targets:
        missed += county_target_misses(data.election, after)
    return {
        "election": data.election.pk,
        "county": data.election.county_id,
        "villages": len(villages),
        "villages_elected": len(with_results),
        "before": committee_figures(data, villages, "before"),
        "after": after,
        "from_pool": from_pool_figures(villages),
        "targets": {"met": met, "missed": missed},
    }


def report_data(user, election: Election) -> ReportData:
    if user is not None:
        election = get_election(user, election.pk)
    with tuned():
        return collect(user, election)


def election_report(user, election: Election) -> dict:
    """The report of the election as the user sees it (see the module docstring); 404 for an election
    outside his county."""
    data = report_data(user, election)
    return summarise(data, data.villages)


def township_rows(data: ReportData) -> list[tuple[str, str, dict]]:
    """(code, name, summary) per township of the villages seen, then ("", "合计", the whole report): the
    rows of the report's xlsx and page. A township's row carries its own village-level misses only."""
    by_township: dict[str, list[VillageFacts]] = {}
    for village in data.villages:
        by_township.setdefault(village.township, []).append(village)
    rows = [
        (code, data.townships.get(code, code), summarise(data, villages, county_targets=False))
        for code, villages in sorted(by_township.items())
    ]
    rows.append(("", "合计", summarise(data, data.villages)))
    return rows


def village_names(data: ReportData) -> dict[str, str]:
    """Code: name of the villages of the report and the county (for the lists of misses)."""
    names = {village.code: village.name for village in data.villages}
    names[data.election.county_id] = data.election.county.name
    return names
