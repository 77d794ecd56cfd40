"""The figures of a county, a city or a province added up from per-county counts kept per day (issue 17).

Why: every figure of a province is a pass over a few hundred thousand rows (province 41: 3 s a request,
docs/benchmarks.md), and no rewriting of the same reading gets that under a second. Most counties have not
changed since the figures were last asked for, so their counts are kept and only the changed ones are read
again.

What is kept: `CountyFigures`, one row per (county, as-of date) holding the counts the figures are made of
(`figures.py` turns counts into the figures, whichever way they were obtained), computed by the same
definitions (`figures.pool_counts`, `incumbent_counts`, `candidacy_counts`, `held_posts`, over a `Scope`
narrowed to counties) in one pass grouped by county, and the stamps it was computed at. A row is valid while
its county's `CountyStamp` and the global stamp (the empty code: post types, sources) are what they were;
triggers move them in every writing transaction (migration stats 0002), whatever wrote. The stamps are read
before the counts, so a row can only be older than its stamp says, never newer: a write that commits while a
row is computed makes it stale.

Exactness: the counts of people are of distinct people. A person with candidacies or posts in two counties
would be counted twice by a sum, so such people ("cross" people: a handful) are left out of every county's
counts, stored by id on the rows of their counties, and counted directly for the division (the same queries,
restricted to them). Villages and their coverage are counts of villages, each in one county.

A division below the county (a township, a village) is read directly: it is small. `verify` compares the sum
with the direct computation; `yanzhen stats --verify` runs it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.db import connection
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce, Substr

from yanzhen.candidacies.models import Candidacy
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.posts.models import Seat, Term
from yanzhen.stats import figures, selectors
from yanzhen.stats.figures import Coverage, Scope
from yanzhen.stats.models import CountyFigures, CountyStamp
from yanzhen.stats.states import States, tuned

COUNTY_LENGTH = 6
GLOBAL = ""  # the stamp of what every county's figures read
# The shape of the kept counts: a row of another version is stale (an upgrade that changes what is kept, or
# how, raises it, and every county is computed again when first asked for).
VERSION = 3
FEW_COUNTIES = 20  # stale counties whose cross people are looked up one by one (`cross_people`)


def applies(scope: Scope) -> bool:
    return (
        settings.STATS_ROLLUP
        and len(scope.division.code) <= COUNTY_LENGTH
        and not scope.counties
        and scope.only_people is None
        and not scope.without_people
    )


def prime(scope: Scope) -> None:
    """Fill the scope's cache (`figures` reads it before querying) with the sum of its counties' counts,
    recomputing the stale ones; nothing for a division below the county or with the rollup off."""
    if not applies(scope) or "rollup" in scope.cache:
        return
    counties = county_codes(scope.division)
    kept = valid_rows(scope.division.code, scope.as_of)
    stale = [code for code in counties if code not in kept]
    if stale:
        kept.update(refresh(scope, stale, counties))
    add_up(scope, [kept[code] for code in counties])
    scope.cache["rollup"] = {"counties": len(counties), "recomputed": len(stale)}


def refresh_all(scope: Scope) -> int:
    """Compute the counts of every county of the scope's division again, whatever their stamps say (the
    nightly fill, and the mend after `verify` found a difference). Returns the number of counties."""
    counties = county_codes(scope.division)
    if counties and applies(scope):
        with tuned():
            refresh(scope, counties, counties)
    return len(counties)


def county_codes(division: Division) -> list[str]:
    if len(division.code) == COUNTY_LENGTH:
        return [division.code]
    return list(
        Division.objects.filter(code__startswith=division.code, level=Level.COUNTY)
        .order_by("code")
        .values_list("code", flat=True)
    )


def _stamp(county) -> Coalesce:
    return Coalesce(Subquery(CountyStamp.objects.filter(county=county).values("changes")[:1]), 0)


def valid_rows(prefix: str, on: date) -> dict[str, dict]:
    """The kept counts of the counties under `prefix` on the date whose stamps have not moved, by county."""
    rows = (
        CountyFigures.objects.filter(county__startswith=prefix, as_of=on)
        .annotate(now=_stamp(OuterRef("county")), now_global=_stamp(GLOBAL))
        .values_list("county", "stamp", "global_stamp", "now", "now_global", "payload")
    )
    return {
        county: payload
        for county, stamp, global_stamp, now, now_global, payload in rows
        if stamp == now and global_stamp == now_global and payload.get("version") == VERSION
    }


def refresh(scope: Scope, stale: list[str], counties: list[str]) -> dict[str, dict]:
    """Compute the counts of the stale counties (of the division's `counties`) in one grouped pass and keep
    them, stamped as read before."""
    stamps = dict(CountyStamp.objects.filter(county__in=[GLOBAL, *stale]).values_list("county", "changes"))
    everything = len(stale) == len(counties)
    narrowed = Scope(None, scope.division, scope.as_of, counties=() if everything else tuple(stale))
    # The cross people of a few counties are looked up by the indexes (a county alone is "everything" too).
    few = len(stale) <= FEW_COUNTIES
    cross = cross_people(Scope(None, scope.division, scope.as_of, counties=tuple(stale)) if few else narrowed)
    without = tuple(sorted({person for people in cross.values() for person in people}))
    payloads = grouped_counts(narrowed, without, stale)
    for county, payload in payloads.items():
        payload["cross"] = sorted(cross.get(county, []))
        payload["version"] = VERSION
    CountyFigures.objects.bulk_create(
        [
            CountyFigures(
                county=county,
                as_of=scope.as_of,
                stamp=stamps.get(county, 0),
                global_stamp=stamps.get(GLOBAL, 0),
                payload=payloads[county],
            )
            for county in sorted(payloads)  # one order for every writer: no deadlock between two
        ],
        update_conflicts=True,
        unique_fields=["county", "as_of"],
        update_fields=["stamp", "global_stamp", "payload", "computed_at"],
    )
    return payloads


def cross_people(scope: Scope) -> dict[str, list[int]]:
    """The people with a candidacy or a post (on any date) in the scope's counties and in another county,
    by each of the scope's counties they are in. A few counties: each of their people is looked up by the
    indexes; many: one pass over every candidacy and post, grouped by person."""
    q = connection.ops.quote_name
    candidacies, terms, seats = (q(model._meta.db_table) for model in (Candidacy, Term, Seat))
    person, village, seat, id_ = q("person_id"), q("village_id"), q("seat_id"), q("id")
    pairs = (
        f"SELECT c.{person} AS person, substr(c.{village}, 1, {COUNTY_LENGTH}) AS county FROM {candidacies} c "
        f"UNION SELECT t.{person}, substr(s.{village}, 1, {COUNTY_LENGTH}) "
        f"FROM {terms} t JOIN {seats} s ON s.{id_} = t.{seat}"
    )
    if scope.counties and len(scope.counties) <= FEW_COUNTIES:  # the counties' rows by the indexes
        mine, params = (
            Candidacy.objects.filter(scope.under("village__code"))
            .annotate(county=_county("village_id"))
            .order_by()
            .values_list("person_id", "county")
            .union(
                Term.objects.filter(scope.under("seat__village__code"))
                .annotate(county=_county("seat__village_id"))
                .order_by()
                .values_list("person_id", "county")
            )
            .query.sql_with_params()
        )
        sql = f"""
SELECT mine.{person}, mine.county FROM ({mine}) AS mine WHERE
    EXISTS (SELECT 1 FROM {candidacies} c WHERE c.{person} = mine.{person}
        AND substr(c.{village}, 1, {COUNTY_LENGTH}) <> mine.county)
    OR EXISTS (SELECT 1 FROM {terms} t JOIN {seats} s ON s.{id_} = t.{seat} WHERE t.{person} = mine.{person}
        AND substr(s.{village}, 1, {COUNTY_LENGTH}) <> mine.county)
"""
    else:
        sql = f"""
SELECT person, county FROM ({pairs}) AS pairs WHERE person IN (
    SELECT person FROM ({pairs}) AS grouped GROUP BY person HAVING MIN(county) <> MAX(county))
"""
        params = ()
    found: dict[str, list[int]] = defaultdict(list)
    prefixes = tuple(scope.counties or (scope.division.code,))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for person_id, county in cursor.fetchall():
            if county.startswith(prefixes):
                found[county].append(person_id)
    return found


def _county(path: str) -> Substr:
    return Substr(path, 1, COUNTY_LENGTH)


def grouped_counts(narrowed: Scope, without: tuple[int, ...], counties: list[str]) -> dict[str, dict]:
    """Each county's counts (of the scope narrowed to those counties; the people without the cross people),
    by county: the same conditions and aggregates as the direct figures, grouped by the county of each row."""
    on = narrowed.as_of
    scope = Scope(None, narrowed.division, on, counties=narrowed.counties, without_people=without)
    found = figures.scope_measures(scope)
    conditions = figures.pool_conditions(found, selectors.series_conditions(on))
    pool = States.of(
        scope.pool().annotate(county=_county("village_id")).values("person_id", "county"), on
    ).grouped_counts(conditions, "county", age_sum_on=on)
    flags = figures.incumbent_flags()
    incumbent_conditions, sums = figures.incumbent_conditions(on)
    incumbents = States.of(
        scope.terms()
        .annotate(county=_county("seat__village_id"))
        .order_by()
        .values("person_id", "county")
        .annotate(**flags),
        on,
    ).grouped_counts(incumbent_conditions, "county", sums=sums)
    aggregates = figures.candidacy_aggregates(on, selectors.trend_aggregates(on))
    candidacies = {
        row.pop("county"): row
        for row in scope.candidacies()
        .annotate(county=_county("village_id"))
        .order_by()
        .values("county")
        .annotate(**aggregates)
    }
    villages = dict(
        narrowed.villages()
        .annotate(county=_county("code"))
        .order_by()
        .values("county")
        .annotate(n=Count("code"))
        .values_list("county", "n")
    )
    # County: key post id: the codes of the villages holding it, joined by commas (one string decodes and
    # splits in a fraction of the time of a list of 300 strings, times 158 counties for a province).
    by_county: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for post, codes in figures.held_posts(narrowed, figures.scope_key_posts(narrowed)).items():
        for code in sorted(codes):
            by_county[code[:COUNTY_LENGTH]].setdefault(str(post), []).append(code)
    held = {
        county: {post: ",".join(codes) for post, codes in posts.items()}
        for county, posts in by_county.items()
    }
    # Each village committee as "code:members:age sum", comma-separated (the warnings judge them).
    committees: dict[str, list[str]] = defaultdict(list)
    for committee in figures.committee_ages(narrowed):
        committees[committee.village_code[:COUNTY_LENGTH]].append(
            f"{committee.village_code}:{committee.members}:{committee.age_sum}"
        )
    # The secretaries without a ready successor as "term:village:birth date" (the warnings judge their age).
    unsucceeded: dict[str, list[str]] = defaultdict(list)
    for secretary in figures.unsucceeded_secretaries(narrowed):
        unsucceeded[secretary.village_code[:COUNTY_LENGTH]].append(
            f"{secretary.term_id}:{secretary.village_code}:{secretary.born.isoformat()}"
        )
    zero_pool = dict.fromkeys(["total", *conditions, "age_sum"], 0)
    zero_incumbents = dict.fromkeys(["total", *incumbent_conditions, *(f"sum:{name}" for name in sums)], 0)
    zero_candidacies = dict.fromkeys(aggregates, 0)
    return {
        county: {
            "villages": villages.get(county, 0),
            "pool": pool.get(county, zero_pool),
            "incumbents": incumbents.get(county, zero_incumbents),
            "candidacies": candidacies.get(county, zero_candidacies),
            "held": held.get(county, {}),
            "committees": ",".join(committees.get(county, [])),
            "unsucceeded": ",".join(unsucceeded.get(county, [])),
        }
        for county in counties
    }


def _add(total: dict[str, int], counts: dict[str, int]) -> None:
    for name, value in counts.items():
        total[name] = total.get(name, 0) + value


def add_up(scope: Scope, payloads: list[dict]) -> None:
    """The division's counts into its cache: the counties' sums, and the cross people counted directly."""
    on = scope.as_of
    pool: dict[str, int] = {}
    incumbents: dict[str, int] = {}
    candidacies: dict[str, int] = {}
    posts = figures.scope_key_posts(scope)
    holding: dict[int, set[str]] = {post.pk: set() for post in posts}
    villages = 0
    cross: set[int] = set()
    found = figures.scope_measures(scope)
    for payload in payloads:
        _add(pool, payload["pool"])
        _add(incumbents, payload["incumbents"])
        _add(candidacies, payload["candidacies"])
        for post, codes in payload["held"].items():
            holding[int(post)].update(codes.split(","))
        villages += payload["villages"]
        cross.update(payload["cross"])
    if cross:
        direct = Scope(None, scope.division, on, only_people=tuple(sorted(cross)))
        direct.cache["sources"] = scope.cache["sources"]  # read once per request
        _add(pool, figures.pool_counts(direct, selectors.series_conditions(on))[1])
        _add(incumbents, figures.incumbent_counts(direct))
        _add(candidacies, figures.candidacy_counts(direct, selectors.trend_aggregates(on)))
    scope.cache["villages"] = villages
    scope.cache["pool"] = (found, pool)
    scope.cache["incumbents"] = incumbents
    scope.cache["candidacies"] = candidacies
    # Read by the warnings only: decoded when first asked for (tens of thousands of entries for a province).
    scope.cache["lazy"] = {
        "committees": lambda: _committees(payloads),
        "unsucceeded": lambda: _unsucceeded(payloads),
    }
    scope.cache["coverage"] = Coverage(posts, {post: frozenset(codes) for post, codes in holding.items()})


def _entries(payloads: list[dict], key: str) -> list[list[str]]:
    return [entry.split(":") for payload in payloads for entry in filter(None, payload[key].split(","))]


def _committees(payloads: list[dict]) -> list[figures.CommitteeAge]:
    return [
        figures.CommitteeAge(code, int(members), int(age_sum))
        for code, members, age_sum in _entries(payloads, "committees")
    ]


def _unsucceeded(payloads: list[dict]) -> list[figures.UnsucceededSecretary]:
    found = [
        figures.UnsucceededSecretary(int(term), code, date.fromisoformat(born))
        for term, code, born in _entries(payloads, "unsucceeded")
    ]
    return sorted(found, key=lambda secretary: (secretary.village_code, secretary.term_id))


def verify(division_code: str, on: date) -> tuple[dict, dict]:
    """The figures of a division on a date added up from the kept counts, and computed directly."""
    from django.test.utils import override_settings

    summed = figures.compute(None, division_code, on)
    with override_settings(STATS_ROLLUP=False):
        direct = figures.compute(None, division_code, on)
    return summed, direct
