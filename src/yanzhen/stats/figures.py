"""The figures (统计口径), one definition for the command line, the API, the pages and the exports.

`compute(user, division_code, as_of)` returns the dict of issue 7 §1. Every read goes through the acting
user's jurisdiction (`restrict`); `user=None` is the operator's command line, which sees everything.

Definitions (DOMAIN.md):
- The pool on D: the people with a candidacy whose 入库时间 ≤ D and not (使用时间 ≤ D) and not (出库时间 ≤ D),
  each counted once however many posts or villages he is a reserve for. A reserve counts in the division
  of the village his candidacy is for.
- Attributes (age, sex, education, political status, source) are those valid on D, rebuilt from history
  (`states.States`). Age is whole years on D: under_35 = age < 35, 35_to_50 = 35 ≤ age ≤ 50, over_50 =
  age > 50; the bands are birth-date ranges computed from D, so the database answers them.
- college_or_above: highest education GB/T 4658 10–33; secondary_or_below: 40–90; unknown: no record.
- villages: the 村委会 (administrative villages) inside the division; a village is covered when every key
  post has at least one reserve in the pool targeting it (一村一职一备). `seats` of a key post is the number
  of villages: every village has one.
- incumbents: the people holding a term current on D (start ≤ D < end), by post.
- flow: people who entered the pool, were promoted or removed in the year ending on D: (D − 1 year, D].
- Every pct is of its group's total, rounded half up to 2 decimals; average ages to 1 decimal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.apps import apps
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Max, Q, Value, When

from yanzhen.candidacies.models import Candidacy, CandidacyTarget, Readiness
from yanzhen.core.guards import operator_scope, today
from yanzhen.divisions import selectors as division_selectors
from yanzhen.divisions.codes import candidate_codes
from yanzhen.divisions.models import Division, DivisionQuerySet
from yanzhen.people.codes import Gender, PoliticalStatus
from yanzhen.people.models import Source
from yanzhen.people.selectors import years_before
from yanzhen.posts.models import Destination, PostType, Term, TermKind
from yanzhen.stats.states import States, age_sql, end_of_day, tuned

EARLIEST_AS_OF = date(1949, 10, 1)
UNRECORDED_SOURCE = "未记录"
# The posts of each incumbent group. The committee is the 村"两委": every post but the practice posts and
# the 村务监督委员会, which is a separate body.
INCUMBENT_GROUPS = {
    "secretaries": Q(seat__post_type__code="secretary"),
    "chairs": Q(seat__post_type__code="chair"),
    "committee": Q(seat__post_type__is_practice=False) & ~Q(seat__post_type__code="supervision_chair"),
}


class StatsInputError(ValueError):
    """A division code or a date the figures cannot be computed for; the message is Chinese."""


def parse_as_of(text: str | None) -> date:
    """The as-of date of a request: YYYY-MM-DD, not in the future; empty means today."""
    if text is None or not str(text).strip():
        return today()
    try:
        on = date.fromisoformat(str(text).strip())
    except ValueError:
        raise StatsInputError(f"统计日期“{text}”无效，应为 YYYY-MM-DD，例如 2021-04-19") from None
    if on > today():
        raise StatsInputError(f"统计日期 {on:%Y-%m-%d} 晚于今天，只能统计今天及以前")
    if on < EARLIEST_AS_OF:
        raise StatsInputError(f"统计日期 {on:%Y-%m-%d} 过早")
    return on


def find_division(user, code: str) -> Division:
    """The division of a code (or its 12-digit padded form). For a user: inside his jurisdiction, else 404;
    for the command line (user None): any, else StatsInputError."""
    code = (code or "").strip()
    if user is not None:
        return division_selectors.get_division(user, code)
    candidates = candidate_codes(code)
    found = Division.objects.in_bulk(candidates)
    for candidate in candidates:
        if candidate in found:
            return found[candidate]
    raise StatsInputError(f"区划代码“{code}”不存在")


def pct(count: int, total: int) -> float:
    """A share in percent, rounded half up to 2 decimals (0 when there is no total)."""
    if not total:
        return 0.0
    return float((Decimal(count) * 100 / Decimal(total)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def ratio(numerator: int, denominator: int, places: str = "0.01") -> float | None:
    if not denominator:
        return None
    return float(
        (Decimal(numerator) / Decimal(denominator)).quantize(Decimal(places), rounding=ROUND_HALF_UP)
    )


def share(count: int, total: int) -> dict:
    return {"count": count, "pct": pct(count, total)}


@dataclass(frozen=True)
class Scope:
    """What the figures are of: a division on a date, read as a user (None: the command line)."""

    user: object | None
    division: Division
    as_of: date
    # Results computed once per scope and shared by the figures and the dashboard's series.
    cache: dict = field(default_factory=dict, compare=False, repr=False)
    # Narrowings the per-county figures (`rollup`) use: some counties of the division only (their codes),
    # only some people, or all but some (the people with candidacies or posts in two counties).
    counties: tuple[str, ...] = ()
    only_people: tuple[int, ...] | None = None
    without_people: tuple[int, ...] = ()

    def _restricted(self, manager):
        return operator_scope(manager.all(), self.user)

    def under(self, path: str) -> Q:
        """The division's records (or its `counties`' records) by the code at `path`."""
        found = Q()
        for code in self.counties or (self.division.code,):
            found |= Q(**{f"{path}__startswith": code})
        return found

    def _people(self, queryset):
        if self.only_people is not None:
            queryset = queryset.filter(person_id__in=self.only_people)
        if self.without_people:
            queryset = queryset.exclude(person_id__in=self.without_people)
        return queryset

    def candidacies(self):
        return self._people(self._restricted(Candidacy.objects).filter(self.under("village__code")))

    def pool(self):
        """The candidacies in the pool on the as-of date."""
        return self.candidacies().in_pool_on(self.as_of)

    def pool_people(self):
        return self.pool().values("person_id")

    def terms(self):
        return self._people(
            self._restricted(Term.objects).filter(self.under("seat__village__code")).current(self.as_of)
        )

    def villages(self) -> DivisionQuerySet:
        return self._restricted(Division.objects).filter(self.under("code")).administrative_villages()

    def with_division(self, division: Division) -> Scope:
        return Scope(self.user, division, self.as_of)


def make_scope(user, division_code: str, as_of: date | str | None = None) -> Scope:
    on = as_of if isinstance(as_of, date) else parse_as_of(as_of)
    return Scope(user, find_division(user, division_code), on)


# The conditions behind every number, shared by the figures and by the lists behind them -----------------


@dataclass(frozen=True)
class Measure:
    """One number of the figures: `group` and `key` name it in URLs, `label` in the JSON and the pages."""

    group: str
    key: str
    label: str
    condition: Q

    @property
    def name(self) -> str:
        """The measure's name among the counts of one query (`pool_counts`)."""
        return f"{self.group}:{self.key}"


def age_conditions(on: date) -> dict[str, Q]:
    born_35 = years_before(on, 35)  # the latest birth date of someone aged 35 or more on D
    born_51 = years_before(on, 51)
    return {
        "under_35": Q(birth_date__gt=born_35),
        "35_to_50": Q(birth_date__lte=born_35, birth_date__gt=born_51),
        "over_50": Q(birth_date__lte=born_51),
    }


# Two-digit GB/T 4658 codes compare as strings in the order of their numbers.
EDUCATION_CONDITIONS = {
    "college_or_above": Q(education__gte="10", education__lte="33"),
    "secondary_or_below": Q(education__gte="40"),
    "unknown": Q(education__isnull=True) | Q(education=""),
}


def measures(on: date, sources: list[Source] | None = None) -> list[Measure]:
    """Every number of the reserve figures with its condition on the states (`states.States`)."""
    labels = {
        "under_35": "35岁以下",
        "35_to_50": "35至50岁",
        "over_50": "50岁以上",
        "college_or_above": "大专及以上",
        "secondary_or_below": "中专及以下",
        "unknown": "学历未记录",
    }
    found = [Measure("age", key, labels[key], q) for key, q in age_conditions(on).items()]
    found += [Measure("education", key, labels[key], q) for key, q in EDUCATION_CONDITIONS.items()]
    found += [
        Measure("gender", "male", Gender.MALE.label, Q(gender=Gender.MALE)),
        Measure("gender", "female", Gender.FEMALE.label, Q(gender=Gender.FEMALE)),
    ]
    found += [
        Measure("political_status", status.value, status.label, Q(political_status=status.value))
        for status in PoliticalStatus
    ]
    found.append(
        Measure(
            "party_members",
            "all",
            "中共党员（含预备党员）",
            Q(political_status__in=[PoliticalStatus.CPC_MEMBER, PoliticalStatus.CPC_PROBATIONARY]),
        )
    )
    for source in Source.objects.order_by("order", "name") if sources is None else sources:
        found.append(Measure("source", str(source.pk), source.name, Q(source_id=source.pk)))
    found.append(Measure("source", "none", UNRECORDED_SOURCE, Q(source__isnull=True)))
    found.append(Measure("with_industry_experience", "all", "有产业经历", Q(has_industry_experience=True)))
    return found


def scope_measures(scope: Scope) -> list[Measure]:
    """The measures of the scope's date, with the sources read once per scope."""
    if "sources" not in scope.cache:
        scope.cache["sources"] = list(Source.objects.order_by("order", "name"))
    return measures(scope.as_of, scope.cache["sources"])


def find_measure(on: date, group: str, key: str) -> Measure | None:
    if group == "all":
        return Measure("all", "all", "后备力量", Q())
    for measure in measures(on):
        if measure.group == group and measure.key == key:
            return measure
    return None


# The figures ---------------------------------------------------------------------------------------------


def pool_conditions(found: list[Measure], extra: dict | None = None) -> dict[str, Q]:
    """The conditions of the pool's counts: each measure by its name, then the `extra` ones."""
    return {measure.name: measure.condition for measure in found} | (extra or {})


def pool_counts(scope: Scope, extra: dict | None = None) -> tuple[list[Measure], dict[str, int]]:
    """Every count of the pool on the date in one SQL query over the states: the figures' measures (by
    `Measure.name`), the total, the sum of the ages ("age_sum"), and the `extra` conditions the dashboard adds
    to the same query. Computed once per scope (again only when new extra conditions are asked for)."""
    cached = scope.cache.get("pool")
    if cached is None or any(name not in cached[1] for name in extra or {}):
        found = scope_measures(scope)
        counts = States.of(scope.pool_people(), scope.as_of).count_sql(
            pool_conditions(found, extra), age_sum_on=scope.as_of
        )
        cached = scope.cache["pool"] = (found, counts)
    return cached


def reserve_figures(scope: Scope, villages: int) -> dict:
    found, counts = pool_counts(scope)
    total = counts["total"]
    by_group: dict[str, dict[str, int]] = {}
    for measure in found:
        by_group.setdefault(measure.group, {})[measure.label] = counts[measure.name]

    def shares(group: str) -> dict:
        # Every entry of the vocabulary, for a stable shape; "not recorded" only when someone is.
        return {
            label: share(count, total)
            for label, count in by_group[group].items()
            if count or label != UNRECORDED_SOURCE
        }

    age = {m.key: share(counts[m.name], total) for m in found if m.group == "age"}
    age["average"] = ratio(counts["age_sum"], total, "0.1")
    return {
        "total": total,
        "villages": villages,
        "per_village": ratio(total, villages) or 0.0,
        "age": age,
        "education": {m.key: share(counts[m.name], total) for m in found if m.group == "education"},
        "gender": {m.key: share(counts[m.name], total) for m in found if m.group == "gender"},
        "political_status": shares("political_status"),
        "party_members": share(by_group["party_members"]["中共党员（含预备党员）"], total),
        "source": shares("source"),
        "with_industry_experience": share(by_group["with_industry_experience"]["有产业经历"], total),
    }


def key_posts() -> list[PostType]:
    return list(PostType.objects.filter(is_key=True).order_by("order", "name"))


def scope_key_posts(scope: Scope) -> list[PostType]:
    """The key posts, read once per scope."""
    if "key_posts" not in scope.cache:
        scope.cache["key_posts"] = key_posts()
    return scope.cache["key_posts"]


def village_count(scope: Scope) -> int:
    """The 村委会 of the scope, counted once per scope."""
    if "villages" not in scope.cache:
        scope.cache["villages"] = scope.villages().count()
    return scope.cache["villages"]


@dataclass(frozen=True)
class Coverage:
    """Which villages of the scope hold a reserve in the pool for each key post on the date."""

    posts: list[PostType]
    holding: dict[int, frozenset[str]]  # key post id: the codes of the villages holding it

    @cached_property
    def covered(self) -> list[str]:
        """The villages that hold a reserve for every key post, in code order."""
        if not self.posts:
            return []
        return sorted(
            frozenset.intersection(*(self.holding.get(post.pk, frozenset()) for post in self.posts))
        )

    @cached_property
    def held(self) -> dict[str, frozenset[int]]:
        """Village code: the ids of the key posts held there (the villages holding any)."""
        found: dict[str, set[int]] = {}
        for post, codes in self.holding.items():
            for code in codes:
                found.setdefault(code, set()).add(post)
        return {code: frozenset(posts) for code, posts in found.items()}

    def villages_holding(self, post: PostType) -> int:
        return len(self.holding.get(post.pk, ()))


def coverage(scope: Scope) -> Coverage:
    """The key posts held per village, in one query, once per scope: one row per village with a flag per key
    post (the villages holding none are not read)."""
    if "coverage" not in scope.cache:
        posts = scope_key_posts(scope)
        scope.cache["coverage"] = Coverage(posts, held_posts(scope, posts))
    return scope.cache["coverage"]


def held_posts(scope: Scope, posts: list[PostType]) -> dict[int, frozenset[str]]:
    """For each key post, the villages of the scope that hold it (one row read per village holding any)."""
    if not posts:
        return {}
    flags = {
        f"p{post.pk}": Max(
            Case(When(post_type_id=post.pk, then=Value(1)), default=Value(0), output_field=IntegerField())
        )
        for post in posts
    }
    rows = (
        CandidacyTarget.objects.filter(
            candidacy__in=scope.pool(),
            post_type__in=posts,
            village_id__in=scope.villages().values("code"),
        )
        .order_by()
        .values("village_id")
        .annotate(**flags)
        .values_list("village_id", *flags)
    )
    holding: dict[int, set[str]] = {post.pk: set() for post in posts}
    ids = [post.pk for post in posts]
    for code, *values in rows:
        for post, flag in zip(ids, values, strict=True):
            if flag:
                holding[post].add(code)
    return {post: frozenset(codes) for post, codes in holding.items()}


def covered_village_codes(scope: Scope) -> list[str]:
    """The villages of the scope that hold a reserve for every key post on the date (all of them when no post
    is key)."""
    found = coverage(scope)
    if not found.posts:
        return list(scope.villages().values_list("code", flat=True))
    return found.covered


def coverage_figures(scope: Scope, villages: int) -> dict:
    found = coverage(scope)
    covered = len(found.covered) if found.posts else villages
    return {
        "villages": villages,
        "villages_covered": covered,
        "pct": pct(covered, villages),
        "posts": {
            post.name: {
                "seats": villages,
                "covered": found.villages_holding(post),
                "pct": pct(found.villages_holding(post), villages),
            }
            for post in found.posts
        },
    }


def incumbent_flags() -> dict[str, Max]:
    """Per person, whether he holds a seat of each incumbent group: in_secretaries, in_chairs ..."""
    return {
        f"in_{name}": Max(Case(When(posts, then=Value(1)), default=Value(0), output_field=IntegerField()))
        for name, posts in INCUMBENT_GROUPS.items()
    }


def incumbent_conditions(on: date) -> tuple[dict[str, Q], dict[str, tuple[str, list]]]:
    """The incumbents' counts over their states (with the flags of `incumbent_flags`): the conditions, and
    the sums (of the ages of each group)."""
    conditions: dict[str, Q] = {}
    sums = {}
    age, age_params = age_sql(on)
    for name in INCUMBENT_GROUPS:
        member = Q(**{f"in_{name}": 1})
        conditions[name] = member
        conditions[f"{name}.college"] = member & EDUCATION_CONDITIONS["college_or_above"]
        conditions[f"{name}.under_40"] = member & Q(birth_date__gt=years_before(on, 40))
        conditions[f"{name}.under_45"] = member & Q(birth_date__gt=years_before(on, 45))
        sums[name] = (
            f"CASE WHEN {connection.ops.quote_name(f'in_{name}')} = 1 THEN {age} ELSE 0 END",
            age_params,
        )
    return conditions, sums


def incumbent_counts(scope: Scope) -> dict[str, int]:
    """The incumbents' counts (`incumbent_conditions`) in one query over the states of every incumbent of the
    scope, once per scope; a person is counted once in a group however many seats he holds."""
    if "incumbents" not in scope.cache:
        people = scope.terms().order_by().values("person_id").annotate(**incumbent_flags())
        conditions, sums = incumbent_conditions(scope.as_of)
        scope.cache["incumbents"] = States.of(people, scope.as_of).count_sql(conditions, sums=sums)
    return scope.cache["incumbents"]


def incumbent_figures(scope: Scope) -> dict:
    """Each group of incumbents: people holding a term current on the date."""
    counts = incumbent_counts(scope)
    result = {}
    for name in INCUMBENT_GROUPS:
        total = counts[name]
        result[name] = {
            "count": total,
            "average_age": ratio(counts[f"sum:{name}"], total, "0.1"),
            "college_or_above_pct": pct(counts[f"{name}.college"], total),
            "under_40_pct": pct(counts[f"{name}.under_40"], total),
            "under_45_pct": pct(counts[f"{name}.under_45"], total),
        }
    return result


def from_kept(scope: Scope, key: str) -> bool:
    """Fill `scope.cache[key]` from what the per-county counts (`rollup`) left to decode when asked for; False
    when they left nothing for it."""
    decode = scope.cache.get("lazy", {}).get(key)
    if decode is None:
        return False
    scope.cache[key] = decode()
    return True


@dataclass(frozen=True)
class UnsucceededSecretary:
    term_id: int
    village_code: str
    born: date


def unsucceeded_secretaries(scope: Scope) -> list[UnsucceededSecretary]:
    """The village party secretaries in office on the scope's date whose village has no reserve in the pool
    ready now (立即可用) for the post, with their birth dates (the warnings judge their age), once per scope."""
    if "unsucceeded" not in scope.cache and not from_kept(scope, "unsucceeded"):
        ready = CandidacyTarget.objects.filter(
            candidacy__in=scope.pool().filter(readiness=Readiness.READY), post_type__code="secretary"
        ).values("village_id")
        scope.cache["unsucceeded"] = [
            UnsucceededSecretary(*row)
            for row in scope.terms()
            .filter(INCUMBENT_GROUPS["secretaries"])
            .exclude(seat__village_id__in=ready)
            .order_by("seat__village_id", "pk")
            .values_list("pk", "seat__village_id", "person__birth_date")
        ]
    return scope.cache["unsucceeded"]


@dataclass
class CommitteeAge:
    village_code: str
    members: int
    age_sum: int

    @property
    def average(self) -> float:
        return self.age_sum / self.members


def committee_ages(scope: Scope) -> list[CommitteeAge]:
    """The village committees of the scope on its date: size and sum of ages of their current members (by
    today's birth dates), each member counted once however many seats he holds; one grouped SQL query, once
    per scope."""
    if "committees" not in scope.cache and not from_kept(scope, "committees"):
        members = (
            scope.terms()
            .filter(INCUMBENT_GROUPS["committee"])
            .order_by()
            .annotate(committee_village=F("seat__village_id"), born=F("person__birth_date"))
            .values("committee_village", "person_id", "born")
            .distinct()
        )
        sql, params = members.query.sql_with_params()
        age, age_params = age_sql(scope.as_of, "born")
        village = connection.ops.quote_name("committee_village")
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {village}, COUNT(*), SUM({age}) FROM ({sql}) AS members GROUP BY {village}",
                [*age_params, *params],
            )
            scope.cache["committees"] = [
                CommitteeAge(code, int(size), int(total)) for code, size, total in cursor.fetchall()
            ]
    return scope.cache["committees"]


def candidacy_counts(scope: Scope, extra: dict | None = None) -> dict[str, int]:
    """Counts over the scope's candidacies in one query: the flow's (`flow_figures`) and the `extra`
    aggregates the dashboard's trends add to the same query. Computed once per scope (again only when new
    extra aggregates are asked for)."""
    cached = scope.cache.get("candidacies")
    if cached is None or any(name not in cached for name in extra or {}):
        cached = scope.cache["candidacies"] = scope.candidacies().aggregate(
            **candidacy_aggregates(scope.as_of, extra)
        )
    return cached


def candidacy_aggregates(on: date, extra: dict | None = None) -> dict[str, Count]:
    """The flow's counts of distinct people over candidacies (the year ending on D), then `extra`."""
    start = years_before(on, 1)  # exclusive

    def between(field: str) -> Q:
        return Q(**{f"{field}__gt": start, f"{field}__lte": on})

    return {
        "entered": Count("person_id", distinct=True, filter=between("entered_pool_on")),
        "promoted": Count("person_id", distinct=True, filter=between("promoted_on")),
        "removed": Count("person_id", distinct=True, filter=between("removed_on")),
        **(extra or {}),
    }


def flow_figures(scope: Scope, destinations: bool = False) -> dict:
    """People who entered, were promoted or removed in the year ending on the as-of date, and with
    `destinations` where people went (one more query: the statistics' JSON asks for it, the dashboard not)."""
    counts = candidacy_counts(scope)
    flow: dict = {name: counts[name] for name in ("entered", "promoted", "removed")}
    if destinations:
        flow["destinations"] = destination_figures(scope)
    return flow


def destination_figures(scope: Scope) -> dict[str, int]:
    """Per destination (乡镇领导班子, 事业编制, 公务员 …), the people who went there in the year ending on the as-of
    date: a term ended with it (its end, the first day not held, in the year) or a candidacy removed from the pool
    with it; a person counts once per destination. Rare rows, read through partial indexes."""
    start = years_before(scope.as_of, 1)  # exclusive, as the flow's other counts
    terms = scope._people(
        scope._restricted(Term.objects).filter(
            scope.under("seat__village__code"), end__gt=start, end__lte=scope.as_of
        )
    ).exclude(destination="")
    candidacies = (
        scope.candidacies().filter(removed_on__gt=start, removed_on__lte=scope.as_of).exclude(destination="")
    )
    # One query: the UNION keeps each (destination, person) once.
    pairs = (
        terms.order_by()
        .values_list("destination", "person_id")
        .union(candidacies.order_by().values_list("destination", "person_id"))
    )
    counts = dict.fromkeys(Destination.values, 0)
    for destination, _person_id in pairs:
        counts[destination] += 1
    return counts


def professional_secretaries(scope: Scope) -> int:
    """The people sitting as 专业化管理的村党组织书记 on the as-of date: a secretary's term current then whose kind
    on that date was professional (its latest history row before the end of the day; for a term recorded
    later, the kind it was first recorded with; its row when it has no history). Read for the few terms that
    ever were professional only, in two queries; not kept per county (`rollup`), as `destination_figures`."""
    historical = Term.history.model
    terms = scope.terms().filter(INCUMBENT_GROUPS["secretaries"])
    ever = terms.filter(
        Q(kind=TermKind.PROFESSIONAL)
        | Q(
            pk__in=historical.objects.filter(id__in=terms.values("pk"), kind=TermKind.PROFESSIONAL).values(
                "id"
            )
        )
    )
    now = dict(ever.order_by().values_list("pk", "person_id"))
    current_kind = dict(ever.order_by().values_list("pk", "kind"))
    cutoff = end_of_day(scope.as_of)
    kind_on: dict[int, str] = {}
    for term_id, kind, when in (
        historical.objects.filter(id__in=list(now))
        .order_by("id", "history_date", "history_id")
        .values_list("id", "kind", "history_date")
    ):
        if term_id not in kind_on or when < cutoff:
            kind_on[term_id] = kind
    return len(
        {
            person
            for term_id, person in now.items()
            if kind_on.get(term_id, current_kind[term_id]) == TermKind.PROFESSIONAL
        }
    )


def figures_for(scope: Scope, destinations: bool = False) -> dict:
    from yanzhen.stats import rollup  # it reads this module's definitions

    with tuned():
        rollup.prime(scope)
        return _figures_for(scope, destinations)


def _figures_for(scope: Scope, destinations: bool = False) -> dict:
    villages = village_count(scope)
    incumbents = incumbent_figures(scope)
    if destinations:  # the statistics' JSON (the dashboard does not ask)
        incumbents["professional_secretaries"] = {"count": professional_secretaries(scope)}
    return {
        "division": scope.division.code,
        "division_name": scope.division.name,
        "as_of": scope.as_of.isoformat(),
        "reserves": reserve_figures(scope, villages),
        "coverage": coverage_figures(scope, villages),
        "incumbents": incumbents,
        "flow": flow_figures(scope, destinations),
    }


def compute(user, division_code: str, as_of: date | str | None = None, *, succession: bool = False) -> dict:
    """The figures of a division on a date (today when None), as the issue's JSON.

    Raises Http404 for a division outside the user's jurisdiction (or missing) and StatsInputError for a
    bad date, or a missing division on the command line. The apps that add figures of their own do so here,
    on the same division and date, each through its own selector: 雏雁计划 (issue 19 §1, "prospects", one
    query) and, when asked for (`succession=True`: `yanzhen stats --succession`, `?succession=true`), 梯队
    (issue 21 §5, "succession"). Why asked for: it reads every key seat's bench and every incumbent's risk
    in Python, 1.8 s for a county of province 41 and 39 s for the province (docs/benchmarks.md), where the
    other figures take 9 ms and 111 ms; until it is kept per county like them, nobody pays for it unasked."""
    scope = make_scope(user, division_code, as_of)
    result = figures_for(scope, destinations=True)
    if apps.is_installed("yanzhen.prospects"):
        from yanzhen.prospects.selectors import figures as prospect_figures

        result["prospects"] = prospect_figures(scope.user, scope.division.code, scope.as_of)
    if succession and apps.is_installed("yanzhen.succession"):
        from yanzhen.succession.figures import figures as succession_figures

        result["succession"] = succession_figures(user, scope.division.code, scope.as_of)
    return result
