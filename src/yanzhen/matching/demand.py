"""村级需求清单: a village's saved demand, or the default proposed from its industries and its gaps.

The default, for a village that has saved none:
- posts: the key posts (一村一职一备) with no reserve in the pool targeting them on the date;
- industries: the village's main industries; skills: the skills of the vocabulary named like one of them
  (the two vocabularies share 种植, 养殖, 电商 ...);
- age: 25–40 (年轻化), narrowed to the county's secretary band when the secretary post is a gap;
- education: 大专及以上 when fewer than half of the committee on record hold it, or none is on record;
- sex: 女 when the committee on record has no woman (sex balance).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from yanzhen.candidacies.models import Candidacy, CandidacyTarget
from yanzhen.candidacies.rules import rules_for as pipeline_rules_for
from yanzhen.divisions.models import Division
from yanzhen.matching.models import VillageDemand
from yanzhen.matching.pool import Place
from yanzhen.matching.scoring import SECRETARY, DemandSpec
from yanzhen.people.codes import EducationBand, Gender, education_band
from yanzhen.people.models import Skill
from yanzhen.posts.models import PostType, Term

PREFERRED_MINIMUM_AGE = 25
PREFERRED_MAXIMUM_AGE = 40
# The terms of a saved demand that its spec repeats as they are.
SAVED_TERMS = ("minimum_age", "maximum_age", "education_band", "preferred_gender", "notes")


def spec_of(demand: VillageDemand) -> DemandSpec:
    """A saved demand as a spec (its m2m prefetched or fetched here)."""
    posts = sorted(demand.posts.all(), key=lambda p: (p.order, p.name))
    return DemandSpec(
        posts=tuple(p.code for p in posts),
        post_names=tuple(p.name for p in posts),
        skills=tuple(s.name for s in sorted(demand.skills.all(), key=lambda s: (s.order, s.name))),
        industries=tuple(i.name for i in sorted(demand.industries.all(), key=lambda i: (i.order, i.name))),
        saved=True,
        **{name: getattr(demand, name) for name in SAVED_TERMS},
    )


def uncovered_posts(user, prefix: str, on: date) -> dict[str, list[PostType]]:
    """For every village under the prefix, the key posts without a reserve in the pool targeting them."""
    key_posts = list(PostType.objects.filter(is_key=True).order_by("order", "name"))
    held: dict[str, set[int]] = defaultdict(set)
    for village, post_type in (
        CandidacyTarget.objects.filter(
            candidacy__in=Candidacy.objects.restrict(user)
            .in_pool_on(on)
            .filter(village__code__startswith=prefix),
            post_type__in=key_posts,
        )
        .values_list("village_id", "post_type_id")
        .distinct()
    ):
        held[village].add(post_type)
    villages = (
        Division.objects.restrict(user).under(prefix).administrative_villages().values_list("code", flat=True)
    )
    return {code: [p for p in key_posts if p.pk not in held.get(code, set())] for code in villages}


def _committees(user, prefix: str, on: date) -> dict[str, list[tuple[str, str]]]:
    """(gender, highest education) of each person on each village's committee on the date."""
    seen: dict[str, dict[int, tuple[str, str]]] = defaultdict(dict)
    for village, person, gender, education in (
        Term.objects.restrict(user)
        .current(on)
        .filter(seat__village__code__startswith=prefix, seat__post_type__is_practice=False)
        .values_list("seat__village_id", "person_id", "person__gender", "person__highest_education")
    ):
        seen[village][person] = (gender, education)
    return {village: list(people.values()) for village, people in seen.items()}


def _age_band(village: Place, post_codes: list[str], rules_by_county: dict[str, object]) -> tuple[int, int]:
    """The preferred ages; a village lacking a secretary's reserve keeps within the county's ages for one."""
    minimum, maximum = PREFERRED_MINIMUM_AGE, PREFERRED_MAXIMUM_AGE
    if SECRETARY not in post_codes:
        return minimum, maximum
    county = village.county_code
    if county not in rules_by_county:
        rules_by_county[county] = pipeline_rules_for(Division(code=county))
    rules = rules_by_county[county]
    minimum = max(minimum, rules.secretary_minimum_age)  # type: ignore[attr-defined]
    maximum = min(maximum, rules.secretary_maximum_age)  # type: ignore[attr-defined]
    if minimum > maximum:
        return rules.secretary_minimum_age, rules.secretary_maximum_age  # type: ignore[attr-defined]
    return minimum, maximum


def _committee_lacks(members: list[tuple[str, str]]) -> tuple[bool, bool]:
    """Whether the committee (gender, education of each member) lacks college graduates (under half, or
    not entered) and women."""
    college = sum(1 for _g, e in members if education_band(e) == EducationBand.COLLEGE_OR_ABOVE)
    wants_college = not members or college * 2 < len(members)
    no_woman = bool(members) and all(g != Gender.FEMALE for g, _e in members)
    return wants_college, no_woman


def _reasons(industries, posts, members, *, wants_college: bool, no_woman: bool) -> list[str]:
    """Why the system proposes what it proposes, in Chinese for the notes."""
    reasons = []
    if industries:
        reasons.append("主导产业 " + "、".join(industries))
    if posts:
        reasons.append("缺少后备的关键岗位 " + "、".join(p.name for p in posts))
    if wants_college:
        reasons.append("班子中大专及以上学历不足一半" if members else "班子情况未录入")
    if no_woman:
        reasons.append("班子中没有女性成员")
    return reasons


def propose_many(
    user, villages: list[Place], on: date, *, prefix: str | None = None
) -> dict[str, DemandSpec]:
    """The default demand of each village (see the module's docstring)."""
    if not villages:
        return {}
    prefix = prefix if prefix is not None else _common_prefix([v.code for v in villages])
    gaps = uncovered_posts(user, prefix, on)
    committees = _committees(user, prefix, on)
    skill_names = list(Skill.objects.order_by("order", "name").values_list("name", flat=True))
    rules_by_county: dict[str, object] = {}
    proposals = {}
    for village in villages:
        posts = gaps.get(village.code, [])
        post_codes = [p.code for p in posts]
        minimum, maximum = _age_band(village, post_codes, rules_by_county)
        members = committees.get(village.code, [])
        wants_college, no_woman = _committee_lacks(members)
        industries = tuple(sorted(village.industries))
        reasons = _reasons(industries, posts, members, wants_college=wants_college, no_woman=no_woman)
        proposals[village.code] = DemandSpec(
            posts=tuple(post_codes),
            post_names=tuple(p.name for p in posts),
            skills=tuple(name for name in skill_names if name in village.industries),
            industries=industries,
            minimum_age=minimum,
            maximum_age=maximum,
            education_band=EducationBand.COLLEGE_OR_ABOVE.value if wants_college else "",
            preferred_gender=Gender.FEMALE.value if no_woman else "",
            notes=("系统建议，依据：" + "；".join(reasons)) if reasons else "系统建议",
            saved=False,
        )
    return proposals


def _common_prefix(codes: list[str]) -> str:
    first, last = min(codes), max(codes)
    length = 0
    while length < min(len(first), len(last)) and first[length] == last[length]:
        length += 1
    return first[:length]


def demands_for(user, villages: list[Place], on: date, *, prefix: str | None = None) -> dict[str, DemandSpec]:
    """Each village's saved demand, or its proposed default."""
    if not villages:
        return {}
    codes = [v.code for v in villages]
    saved = {
        demand.village_id: spec_of(demand)
        for demand in VillageDemand.objects.filter(village_id__in=codes).prefetch_related(
            "posts", "skills", "industries"
        )
    }
    missing = [v for v in villages if v.code not in saved]
    return {**propose_many(user, missing, on, prefix=prefix), **saved} if missing else saved


def demand_of(user, village: Place, on: date) -> DemandSpec:
    return demands_for(user, [village], on, prefix=village.code)[village.code]
