"""The score of a reserve for a village (and a post of it) or for a mentor, with every part in Chinese.

Hard filters come first and leave a person out with the reason (the ranking shows them apart): the
jurisdiction (the pool is read through `restrict(user)`), the village's county, and for the secretary post
the county's age band and party membership (`candidacies.rules.check_secretary_rules`). Then the weighted
criteria, each worth the points the county set (`MatchingWeights`, defaults while it has set none):

    each wanted skill he has         电商特长 +20
    each wanted industry he knows    葡萄产业 +15
    industry experience              有产业经验 +5
    readiness                        可随时使用 +20 / 1–2 年内可用 +10
    already a reserve for the post   已是本村村党组织书记后备 +10
    recent grades (assessments app)  近两次考核优秀 +15 / 最近一次考核优秀 +8 / 最近一次考核不称职 -10
    completed trainings (cultivation) 完成培训 2 期 +10 (at most `training_limit` counted)
    preferred age, education, sex    年龄符合（32 岁）+5, 学历符合（大专及以上）+5, 性别符合（女）+5
    distance                         同村 +15 > 同乡镇 +10 > 邻近乡镇 +5

Distance is measured from the reserve's home village. Another township of the county is a neighbour when
both villages have coordinates and lie at most `neighbour_km` apart (haversine); when either has none, the
division tree decides: townships under the same county are neighbours (同县相邻乡镇（按区划树）).

`village_parts` is the definition; `village_matrix` computes the same totals for many reserves and many
villages at once with numpy for placement (a test keeps the two equal).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.db.models import Q

from yanzhen.candidacies.models import Readiness
from yanzhen.candidacies.rules import check_secretary_rules
from yanzhen.divisions.codes import CODE_LENGTH, Level
from yanzhen.matching.models import MatchingWeights
from yanzhen.matching.pool import MentorInfo, Place, Reserve
from yanzhen.people.codes import PARTY_MEMBER_STATUSES, EducationBand, Gender

EARTH_RADIUS_KM = 6371.0
SECRETARY = "secretary"
Part = tuple[str, int]


def weights_for(code: str) -> MatchingWeights:
    """The county's weights, or the defaults (an unsaved row) when the county has set none."""
    county = code[: CODE_LENGTH[Level.COUNTY]]
    return MatchingWeights.objects.filter(county_id=county).first() or MatchingWeights(county_id=county)


@dataclass(frozen=True)
class DemandSpec:
    """What a village wants, saved or proposed. Skills and industries keep the vocabulary's order."""

    posts: tuple[str, ...] = ()  # post type codes
    post_names: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    minimum_age: int | None = None
    maximum_age: int | None = None
    education_band: str = ""
    preferred_gender: str = ""
    notes: str = ""
    saved: bool = False

    @property
    def post_pairs(self) -> list[tuple[str, str]]:
        """(code, name) of each post needing reserves."""
        return list(zip(self.posts, self.post_names, strict=False))

    @property
    def age_band_text(self) -> str:
        if self.minimum_age is not None and self.maximum_age is not None:
            return f"{self.minimum_age}–{self.maximum_age} 岁"
        if self.minimum_age is not None:
            return f"{self.minimum_age} 岁以上"
        if self.maximum_age is not None:
            return f"{self.maximum_age} 岁以下"
        return ""

    @property
    def education_text(self) -> str:
        return EducationBand(self.education_band).label if self.education_band else ""

    @property
    def gender_text(self) -> str:
        return Gender(self.preferred_gender).label if self.preferred_gender else ""


@dataclass(frozen=True)
class Target:
    """A village (with its demand) and, for the ranking, one of its posts."""

    village: Place
    demand: DemandSpec = field(default_factory=DemandSpec)
    post_code: str = ""
    post_name: str = ""


@dataclass
class Score:
    reserve: Reserve
    parts: list[Part]

    @property
    def total(self) -> int:
        return sum(points for _label, points in self.parts)

    @property
    def texts(self) -> list[str]:
        return [part_text(label, points) for label, points in self.parts]


def part_text(label: str, points: int) -> str:
    return f"{label} {points:+d}"


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def _add(parts: list[Part], label: str, points: int) -> None:
    if points:
        parts.append((label, points))


def distance_part(
    home: Place | None, place: Place, weights: MatchingWeights, prefix: str = ""
) -> Part | None:
    """同村 > 同乡镇 > 邻近乡镇 (by coordinates, or by the division tree when either has none)."""
    if home is None:
        return None
    if home.code == place.code:
        return (f"{prefix}同村", weights.same_village_points)
    if home.township_code == place.township_code:
        return (f"{prefix}同乡镇", weights.same_township_points)
    if home.county_code != place.county_code:
        return None
    if home.has_coordinates and place.has_coordinates:
        km = haversine_km(home.latitude, home.longitude, place.latitude, place.longitude)  # type: ignore[arg-type]
        if km <= weights.neighbour_km:
            where = "在邻近乡镇" if prefix else "邻近乡镇"
            return (f"{prefix}{where}（相距 {km:.1f} 公里）", weights.neighbour_points)
        return None
    where = "在同县相邻乡镇" if prefix else "同县相邻乡镇"
    return (f"{prefix}{where}（按区划树）", weights.neighbour_points)


def reserve_parts(reserve: Reserve, weights: MatchingWeights) -> list[Part]:
    """The parts that depend on the reserve alone: experience, readiness, grades, trainings."""
    parts: list[Part] = []
    if reserve.has_industry_experience:
        _add(parts, "有产业经验", weights.experience_points)
    if reserve.readiness == Readiness.READY:
        _add(parts, "可随时使用", weights.ready_points)
    elif reserve.readiness == Readiness.ONE_TO_TWO_YEARS:
        _add(parts, "1–2 年内可用", weights.soon_points)
    grades = reserve.grades or ()
    if len(grades) >= 2 and grades[0] == grades[1] == "excellent":
        _add(parts, "近两次考核优秀", weights.two_excellent_points)
    elif grades and grades[0] == "excellent":
        _add(parts, "最近一次考核优秀", weights.one_excellent_points)
    elif grades and grades[0] == "incompetent":
        _add(parts, "最近一次考核不称职", -weights.incompetent_points)
    if reserve.trainings_completed:
        counted = min(reserve.trainings_completed, weights.training_limit)
        _add(parts, f"完成培训 {counted} 期", counted * weights.training_points)
    return parts


def _in_band(age: int | None, demand: DemandSpec) -> bool:
    if age is None or (demand.minimum_age is None and demand.maximum_age is None):
        return False
    if demand.minimum_age is not None and age < demand.minimum_age:
        return False
    return not (demand.maximum_age is not None and age > demand.maximum_age)


def village_parts(
    reserve: Reserve, target: Target, home: Place | None, weights: MatchingWeights
) -> list[Part]:
    """Every part of the reserve's score for the target, in a fixed order."""
    demand = target.demand
    parts: list[Part] = []
    for skill in demand.skills:
        if skill in reserve.skills:
            _add(parts, f"{skill}特长", weights.skill_points)
    for industry in demand.industries:
        if industry in reserve.industries:
            _add(parts, f"{industry}产业", weights.industry_points)
    parts.extend(reserve_parts(reserve, weights))
    if target.post_code and (target.village.code, target.post_code) in reserve.targets:
        _add(parts, f"已是本村{target.post_name}后备", weights.target_post_points)
    if _in_band(reserve.age, demand):
        _add(parts, f"年龄符合（{reserve.age} 岁）", weights.age_points)
    if demand.education_band and reserve.education_band == demand.education_band:
        _add(parts, f"学历符合（{demand.education_text}）", weights.education_points)
    if demand.preferred_gender and reserve.gender == demand.preferred_gender:
        _add(parts, f"性别符合（{demand.gender_text}）", weights.gender_points)
    distance = distance_part(home, target.village, weights)
    if distance is not None:
        _add(parts, *distance)
    return parts


def score(reserve: Reserve, target: Target, home: Place | None, weights: MatchingWeights) -> Score:
    return Score(reserve, village_parts(reserve, target, home, weights))


def hard_filter(reserve: Reserve, target: Target, rules, on: date) -> list[str]:
    """Why the reserve cannot be ranked for the target post (empty: he can). `rules` are the county's
    CountyRules of the pipeline."""
    problems = []
    county = target.village.county_code
    if not (reserve.village_code.startswith(county) or reserve.candidacy_village_code.startswith(county)):
        problems.append(f"{reserve.name}不是本县（区）的后备力量")
    if target.post_code == SECRETARY:
        problems.extend(check_secretary_rules(rules, reserve, on))
    return problems


def years_before(on: date, years: int) -> date:
    """The same day `years` earlier; 29 February falls back to the 28th."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def secretary_prefilter(rules, on: date) -> Q:
    """The secretary's hard rules as a filter on candidacies, so that the database leaves out at once the
    people `check_secretary_rules` would refuse: aged `secretary_minimum_age` to `secretary_maximum_age` on
    the date (whole years, the birthday counting), a party member when the county requires it."""
    condition = Q(person__birth_date__lte=years_before(on, rules.secretary_minimum_age)) & Q(
        person__birth_date__gt=years_before(on, rules.secretary_maximum_age + 1)
    )
    if rules.secretary_party_member_required:
        condition &= Q(person__political_status__in=sorted(PARTY_MEMBER_STATUSES))
    return condition


def mentor_parts(
    reserve: Reserve, mentor: MentorInfo, home: Place | None, weights: MatchingWeights
) -> list[Part]:
    """A mentor for a reserve: the skills and industries they share, and how near the mentor serves."""
    parts: list[Part] = []
    for skill in sorted(reserve.skills & mentor.skills):
        _add(parts, f"导师擅长{skill}", weights.skill_points)
    for industry in sorted(reserve.industries & mentor.industries):
        _add(parts, f"导师熟悉{industry}产业", weights.industry_points)
    distance = distance_part(home, mentor.place, weights, prefix="导师")
    if distance is not None:
        _add(parts, *distance)
    return parts


# ---------------------------------------------------------------------------------------------------------
# The same totals for many pairs at once (placement).


def _membership(rows: list[frozenset[str] | tuple[str, ...]], vocabulary: dict[str, int]) -> np.ndarray:
    matrix = np.zeros((len(rows), max(len(vocabulary), 1)), dtype=np.int32)
    for index, names in enumerate(rows):
        for name in names:
            column = vocabulary.get(name)
            if column is not None:
                matrix[index, column] = 1
    return matrix


def _overlap(left: list, right: list) -> np.ndarray:
    """How many names each left row shares with each right row."""
    vocabulary: dict[str, int] = {}
    for names in right:
        for name in names:
            vocabulary.setdefault(name, len(vocabulary))
    return _membership(left, vocabulary) @ _membership(right, vocabulary).T


def _coordinates(places: list[Place | None]) -> tuple[np.ndarray, np.ndarray]:
    latitudes = np.array(
        [p.latitude if p is not None and p.has_coordinates else np.nan for p in places], dtype=float
    )
    longitudes = np.array(
        [p.longitude if p is not None and p.has_coordinates else np.nan for p in places], dtype=float
    )
    return latitudes, longitudes


def distance_matrix(homes: list[Place | None], places: list[Place], weights: MatchingWeights) -> np.ndarray:
    """`distance_part`'s points for every (home, place) pair."""
    codes: dict[str, int] = {}

    def ids(values: list[str | None]) -> np.ndarray:
        return np.array(
            [-1 if v is None else codes.setdefault(v, len(codes)) for v in values], dtype=np.int64
        )

    home_village = ids([h.code if h else None for h in homes])[:, None]
    home_township = ids([h.township_code if h else None for h in homes])[:, None]
    home_county = ids([h.county_code if h else None for h in homes])[:, None]
    place_village = ids([p.code for p in places])[None, :]
    place_township = ids([p.township_code for p in places])[None, :]
    place_county = ids([p.county_code for p in places])[None, :]
    known = home_village >= 0
    same_village = known & (home_village == place_village)
    same_township = known & ~same_village & (home_township == place_township)
    same_county = known & ~same_village & ~same_township & (home_county == place_county)
    home_lat, home_lon = _coordinates(homes)
    place_lat, place_lon = _coordinates(places)
    both = ~np.isnan(home_lat)[:, None] & ~np.isnan(place_lat)[None, :]
    phi1, phi2 = np.radians(home_lat)[:, None], np.radians(place_lat)[None, :]
    dphi = phi2 - phi1
    dlambda = np.radians(place_lon[None, :] - home_lon[:, None])
    with np.errstate(invalid="ignore"):
        a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlambda / 2) ** 2
        km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))
        near = same_county & ((both & (km <= weights.neighbour_km)) | ~both)
    return (
        same_village * weights.same_village_points
        + same_township * weights.same_township_points
        + near * weights.neighbour_points
    ).astype(np.int64)


def reserve_vector(reserves: list[Reserve], weights: MatchingWeights) -> np.ndarray:
    return np.array([sum(p for _l, p in reserve_parts(r, weights)) for r in reserves], dtype=np.int64)


def _shared_points(
    reserves: list[Reserve],
    homes: list[Place | None],
    wanted: list,
    places: list[Place],
    weights: MatchingWeights,
) -> np.ndarray:
    """Skills and industries in common with what a column wants (a village's demand, a mentor), and the
    distance: what a village's and a mentor's totals share."""
    total = _overlap([r.skills for r in reserves], [w.skills for w in wanted]) * weights.skill_points
    total = total + _overlap([r.industries for r in reserves], [w.industries for w in wanted]) * (
        weights.industry_points
    )
    return total.astype(np.int64) + distance_matrix(homes, places, weights)


def _target_post_points(
    reserves: list[Reserve], targets: list[Target], weights: MatchingWeights
) -> np.ndarray:
    """Already a reserve for the target's post of the target's village."""
    points = np.zeros((len(reserves), len(targets)), dtype=np.int64)
    column_of = {(t.village.code, t.post_code): j for j, t in enumerate(targets) if t.post_code}
    for i, reserve in enumerate(reserves):
        for key in reserve.targets:
            j = column_of.get(key)
            if j is not None:
                points[i, j] += weights.target_post_points
    return points


def _or_nan(values) -> np.ndarray:
    return np.array([np.nan if value is None else value for value in values], dtype=float)


def _age_points(reserves: list[Reserve], demands: list, weights: MatchingWeights) -> np.ndarray:
    """The reserve's age inside the band the village prefers (a band with at least one end)."""
    ages = _or_nan([r.age for r in reserves])[:, None]
    minimum = _or_nan([d.minimum_age for d in demands])[None, :]
    maximum = _or_nan([d.maximum_age for d in demands])[None, :]
    with np.errstate(invalid="ignore"):
        in_band = (
            ~np.isnan(ages)
            & ~(np.isnan(minimum) & np.isnan(maximum))
            & (np.isnan(minimum) | (ages >= minimum))
            & (np.isnan(maximum) | (ages <= maximum))
        )
    return in_band * weights.age_points


def _preference_points(have: list[str], wanted: list[str], codes: dict[str, int], points: int) -> np.ndarray:
    """`points` where the village states a preference (a code other than 0) and the reserve meets it."""
    reserve_code = np.array([codes.get(value, 0) for value in have])[:, None]
    wanted_code = np.array([codes.get(value, 0) for value in wanted])[None, :]
    return ((wanted_code != 0) & (reserve_code == wanted_code)) * points


EDUCATION_CODES = {"": 0, EducationBand.COLLEGE_OR_ABOVE.value: 1, EducationBand.SECONDARY_OR_BELOW.value: 2}
GENDER_CODES = {"": 0, Gender.MALE.value: 1, Gender.FEMALE.value: 2}


def village_matrix(
    reserves: list[Reserve], homes: list[Place | None], targets: list[Target], weights: MatchingWeights
) -> np.ndarray:
    """The totals of `village_parts` for every reserve (rows) and target (columns)."""
    if not reserves or not targets:
        return np.zeros((len(reserves), len(targets)), dtype=np.int64)
    demands = [t.demand for t in targets]
    total = _shared_points(reserves, homes, demands, [t.village for t in targets], weights)
    total += reserve_vector(reserves, weights)[:, None]
    total += _target_post_points(reserves, targets, weights)
    total += _age_points(reserves, demands, weights)
    total += _preference_points(
        [r.education_band for r in reserves],
        [d.education_band for d in demands],
        EDUCATION_CODES,
        weights.education_points,
    )
    total += _preference_points(
        [r.gender for r in reserves],
        [d.preferred_gender for d in demands],
        GENDER_CODES,
        weights.gender_points,
    )
    return total


def mentor_matrix(
    reserves: list[Reserve], homes: list[Place | None], mentors: list[MentorInfo], weights: MatchingWeights
) -> np.ndarray:
    """The totals of `mentor_parts` for every reserve (rows) and mentor (columns)."""
    if not reserves or not mentors:
        return np.zeros((len(reserves), len(mentors)), dtype=np.int64)
    return _shared_points(reserves, homes, mentors, [x.place for x in mentors], weights)
