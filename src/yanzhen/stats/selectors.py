"""Reads for the statistics pages: the dashboard's series and the lists behind every number.

Everything starts from a `figures.Scope` (a division inside the user's jurisdiction, on a date), so a list
holds exactly the people or villages its number counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import Substr

from yanzhen.core.guards import operator_scope
from yanzhen.divisions.codes import CODE_LENGTH, Level
from yanzhen.divisions.models import Division
from yanzhen.people.codes import Education, Ethnicity, Gender, PoliticalStatus
from yanzhen.people.models import Source, age_on
from yanzhen.people.selectors import years_before
from yanzhen.stats import figures
from yanzhen.stats.figures import INCUMBENT_GROUPS, Measure, Scope, pct
from yanzhen.stats.states import States

# Age groups of the pyramid: (label, youngest, oldest) in whole years on the date; they nest in the bands.
PYRAMID = [
    ("24岁及以下", 0, 24),
    ("25–29岁", 25, 29),
    ("30–34岁", 30, 34),
    ("35–39岁", 35, 39),
    ("40–44岁", 40, 44),
    ("45–50岁", 45, 50),
    ("51–55岁", 51, 55),
    ("56岁及以上", 56, 200),
]
# Levels of education for the chart: (label, lowest code, highest code), codes compared as two-digit text.
EDUCATION_LEVELS = [
    ("研究生", "10", "19"),
    ("大学本科", "20", "28"),
    ("大学专科", "30", "33"),
    ("中专、中职", "40", "49"),
    ("高中", "60", "63"),
    ("初中", "70", "73"),
    ("小学及其他", "80", "90"),
]


def age_between(on: date, youngest: int, oldest: int) -> Q:
    return Q(birth_date__gt=years_before(on, oldest + 1), birth_date__lte=years_before(on, youngest))


def child_length(division: Division) -> int | None:
    """The code length of the division's children (None for a village)."""
    if division.level >= Level.VILLAGE:
        return None
    return CODE_LENGTH[Level(division.level + 1)]


# Dashboard series -------------------------------------------------------------------------------------------


def series_conditions(on: date) -> dict:
    """The conditions of the pyramid and of the education chart, counted in the same query as the figures."""
    conditions = {}
    for index, (_label, youngest, oldest) in enumerate(PYRAMID):
        band = age_between(on, youngest, oldest)
        conditions[f"pyramid.m{index}"] = band & Q(gender=Gender.MALE)
        conditions[f"pyramid.f{index}"] = band & Q(gender=Gender.FEMALE)
    for index, (_label, low, high) in enumerate(EDUCATION_LEVELS):
        conditions[f"education.{index}"] = Q(education__gte=low, education__lte=high)
    conditions["education.unknown"] = figures.EDUCATION_CONDITIONS["unknown"]
    return conditions


def pyramid(scope: Scope) -> dict:
    """Reserves by age group and sex."""
    _found, counts = figures.pool_counts(scope, series_conditions(scope.as_of))
    return {
        "labels": [label for label, _, _ in PYRAMID],
        "male": [counts[f"pyramid.m{index}"] for index in range(len(PYRAMID))],
        "female": [counts[f"pyramid.f{index}"] for index in range(len(PYRAMID))],
    }


def education_levels(scope: Scope) -> dict:
    _found, counts = figures.pool_counts(scope, series_conditions(scope.as_of))
    labels = [label for label, _, _ in EDUCATION_LEVELS]
    values = [counts[f"education.{index}"] for index in range(len(EDUCATION_LEVELS))]
    if counts["education.unknown"]:
        labels.append("未记录")
        values.append(counts["education.unknown"])
    return {"labels": labels, "values": values}


def half_year_ends(on: date, count: int = 6) -> list[date]:
    """The last `count` half-year ends (30 June, 31 December) before the date, then the date itself."""
    ends: list[date] = []
    year = on.year
    candidates = [date(year, 12, 31), date(year, 6, 30)]
    while len(ends) < count:
        for candidate in candidates:
            if candidate < on and len(ends) < count:
                ends.append(candidate)
        year -= 1
        candidates = [date(year, 12, 31), date(year, 6, 30)]
    return sorted(ends) + [on]


def trend_aggregates(on: date) -> dict:
    """The trends' aggregates over the candidacies (see `trends`), named pool<i>, entered_pool_on<i>,
    promoted_on<i> and removed_on<i> for the i-th half-year end."""
    points = half_year_ends(on)
    first = points[0]
    aggregates = {}
    for index, point in enumerate(points):
        # Each point counts the flow since the point before it (the first: since the half-year end before).
        start = (
            points[index - 1]
            if index
            else (date(first.year - 1, 12, 31) if first.month == 6 else date(first.year, 6, 30))
        )
        in_pool = Q(entered_pool_on__lte=point) & (Q(promoted_on__isnull=True) | Q(promoted_on__gt=point))
        in_pool &= Q(removed_on__isnull=True) | Q(removed_on__gt=point)
        aggregates[f"pool{index}"] = Count("person_id", distinct=True, filter=in_pool)
        for field in ("entered_pool_on", "promoted_on", "removed_on"):
            window = Q(**{f"{field}__gt": start, f"{field}__lte": point})
            aggregates[f"{field}{index}"] = Count("person_id", distinct=True, filter=window)
    return aggregates


def trends(scope: Scope) -> dict:
    """The pool at each half-year end, and who entered, was promoted or removed in each half-year: counted in
    the figures' one query over the candidacies (`figures.candidacy_counts`)."""
    points = half_year_ends(scope.as_of)
    counts = figures.candidacy_counts(scope, trend_aggregates(scope.as_of))
    return {
        "labels": [point.isoformat() for point in points],
        "pool": [counts[f"pool{index}"] for index in range(len(points))],
        "entered": [counts[f"entered_pool_on{index}"] for index in range(len(points))],
        "promoted": [counts[f"promoted_on{index}"] for index in range(len(points))],
        "removed": [counts[f"removed_on{index}"] for index in range(len(points))],
    }


@dataclass
class ChildRow:
    division: Division
    villages: int
    covered: int
    reserves: int

    @property
    def pct(self) -> float:
        return pct(self.covered, self.villages)


def children(scope: Scope, covered_codes: list[str] | None = None) -> list[ChildRow]:
    """Each child division (township of a county, village of a township ...) with its villages, covered
    villages and reserves in the pool: the coverage table of the dashboard, in four queries."""
    length = child_length(scope.division)
    if length is None:
        return []
    kids = list(
        operator_scope(Division.objects.all(), scope.user).filter(parent=scope.division).order_by("code")
    )
    if not kids:
        return []

    def by_prefix(queryset, field: str, counted: str, distinct: bool = False) -> dict[str, int]:
        return dict(
            queryset.annotate(prefix=Substr(field, 1, length))
            .order_by()
            .values("prefix")
            .annotate(n=Count(counted, distinct=distinct))
            .values_list("prefix", "n")
        )

    villages = by_prefix(scope.villages(), "code", "code")
    if covered_codes is None:
        covered_codes = figures.covered_village_codes(scope)
    covered: dict[str, int] = {}
    for code in covered_codes:  # at most the villages of the division
        covered[code[:length]] = covered.get(code[:length], 0) + 1
    reserves = by_prefix(scope.pool(), "village_id", "person_id", distinct=True)
    return [
        ChildRow(kid, villages.get(kid.code, 0), covered.get(kid.code, 0), reserves.get(kid.code, 0))
        for kid in kids
    ]


# The lists behind the numbers -------------------------------------------------------------------------------

FLOW_FIELDS = {"entered": "entered_pool_on", "promoted": "promoted_on", "removed": "removed_on"}


def people_base(scope: Scope, group: str, key: str):
    """The person ids a group of numbers counts: the pool, the incumbents of a post group, or the flow."""
    if group == "incumbents":
        return scope.terms().filter(INCUMBENT_GROUPS[key]).values("person_id")
    if group == "flow":
        field = FLOW_FIELDS[key]
        start = years_before(scope.as_of, 1)
        return (
            scope.candidacies()
            .filter(**{f"{field}__gt": start, f"{field}__lte": scope.as_of})
            .values("person_id")
        )
    return scope.pool_people()


def find_list(on: date, group: str, key: str) -> Measure | None:
    """The measure behind a link (group, key); None when the pair names nothing."""
    if group == "incumbents":
        return Measure(group, key, "", Q()) if key in INCUMBENT_GROUPS else None
    if group == "flow":
        return Measure(group, key, "", Q()) if key in FLOW_FIELDS else None
    return figures.find_measure(on, group, key)


@dataclass
class PersonRow:
    """One person as he stood on the date."""

    id: int
    name: str
    gender: str
    birth_date: date
    age: int | None
    education: str
    political_status: str
    source: str
    village_code: str
    village: str
    township: str
    id_number_masked: str
    phone_masked: str
    ethnicity: str
    reserve_for: str = ""
    entered_pool_on: date | None = None
    readiness: str = ""

    @property
    def gender_label(self) -> str:
        return Gender(self.gender).label if self.gender in Gender.values else ""

    @property
    def education_label(self) -> str:
        return Education(self.education).label if self.education in Education.values else ""

    @property
    def political_status_label(self) -> str:
        return (
            PoliticalStatus(self.political_status).label
            if self.political_status in PoliticalStatus.values
            else ""
        )


def people_rows(scope: Scope, measure: Measure, *, with_candidacies: bool = True) -> list[PersonRow]:
    """The people behind a number, as they stood on the date, ordered by village and name."""
    values = States.of(people_base(scope, measure.group, measure.key), scope.as_of).rows(measure.condition)
    villages = Division.objects.in_bulk(
        {row["village_id"] for row in values} | {row["village_id"][:9] for row in values}
    )
    sources = dict(Source.objects.values_list("pk", "name"))
    ethnicities = {choice.value: choice.label for choice in Ethnicity}
    rows = []
    for row in values:
        village = villages.get(row["village_id"])
        township = villages.get(row["village_id"][:9])
        rows.append(
            PersonRow(
                id=row["id"],
                name=row["name"],
                gender=row["gender"],
                birth_date=row["birth_date"],
                age=age_on(row["birth_date"], scope.as_of),
                education=row["education"] or "",
                political_status=row["political_status"],
                source=sources.get(row["source_id"], ""),
                village_code=row["village_id"],
                village=village.name if village else row["village_id"],
                township=township.name if township else "",
                id_number_masked=row["id_number_masked"],
                phone_masked=row["phone_masked"],
                ethnicity=ethnicities.get(row["ethnicity"], ""),
            )
        )
    if with_candidacies and measure.group not in ("incumbents",):
        _add_candidacies(scope, rows)
    return rows


def _add_candidacies(scope: Scope, rows: list[PersonRow]) -> None:
    """The village and posts each person is a reserve for on the date (one query for the page)."""
    by_person = {row.id: row for row in rows}
    if not by_person:
        return
    candidacies = (
        scope.pool()
        .filter(person_id__in=list(by_person))
        .select_related("village")
        .prefetch_related("targets__post_type")
        .order_by("entered_pool_on", "id")
    )
    for candidacy in candidacies:
        row = by_person[candidacy.person_id]
        posts = "、".join(target.post_type.name for target in candidacy.targets.all())
        text = f"{candidacy.village.name}：{posts}" if posts else candidacy.village.name
        row.reserve_for = f"{row.reserve_for}；{text}" if row.reserve_for else text
        row.entered_pool_on = row.entered_pool_on or candidacy.entered_pool_on
        row.readiness = row.readiness or candidacy.get_readiness_display()


@dataclass
class VillageRow:
    division: Division
    township: Division | None
    reserves: int
    held: list[str]
    missing: list[str]

    @property
    def covered(self) -> bool:
        return not self.missing


def village_rows(scope: Scope, covered: bool | None = None) -> list[VillageRow]:
    """The 村委会 of the scope with the key posts their reserves in the pool hold and miss."""
    found = figures.coverage(scope)
    posts = found.posts
    names = {post.pk: post.name for post in posts}
    held = found.held
    reserves = dict(
        scope.pool()
        .order_by()
        .values("village_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("village_id", "n")
    )
    villages = list(scope.villages().order_by("code"))
    townships = Division.objects.in_bulk({village.code[:9] for village in villages})
    rows = []
    for village in villages:
        mine = held.get(village.code, frozenset())
        row = VillageRow(
            village,
            townships.get(village.code[:9]),
            reserves.get(village.code, 0),
            [names[post.pk] for post in posts if post.pk in mine],
            [names[post.pk] for post in posts if post.pk not in mine],
        )
        if covered is None or row.covered == covered:
            rows.append(row)
    return rows


def people_list_query(scope: Scope, measure: Measure) -> str:
    """The query string of the person list (/people/) closest to a number: the same attribute filters, as
    recorded today, inside the division. The list holds everyone in the archive, not only the pool."""
    from urllib.parse import urlencode

    params: dict[str, str] = {}
    code = scope.division.code
    if len(code) == 12:
        params["village"] = code
    elif len(code) == 9:
        params["township"] = code
    if measure.group == "age":
        params["age_band"] = measure.key
    elif measure.group == "education" and measure.key != "unknown":
        params["education_band"] = measure.key
    elif measure.group == "gender":
        params["gender"] = Gender.MALE if measure.key == "male" else Gender.FEMALE
    elif measure.group == "political_status":
        params["political_status"] = measure.key
    elif measure.group == "source" and measure.key.isdigit():
        params["source"] = measure.key
    return urlencode(params)
