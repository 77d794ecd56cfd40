"""Writes of matching: the village demand list, the county's weights, and placement plans (compute and store
for approval; approve through the cultivation services; discard).

Each service takes the acting user first and checks, in this order: jurisdiction (outside it: Http404, as if
the record did not exist), role (PermissionDenied for readers), then its data (ValidationError with Chinese
messages keyed by field). Only then does it write, in one transaction, with history naming the actor. A
refused call writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from yanzhen.accounts.roles import Role
from yanzhen.core.county_settings import county_errors, save_county_row
from yanzhen.core.guards import attribute_to, raise_errors, require_editor
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.divisions.codes import CODE_LENGTH, Level
from yanzhen.divisions.models import Division, Industry
from yanzhen.matching import assignment
from yanzhen.matching.demand import demands_for
from yanzhen.matching.models import (
    MatchingWeights,
    PlacementKind,
    PlacementPlan,
    PlacementRow,
    PlanState,
    VillageDemand,
)
from yanzhen.matching.pool import MentorInfo, Place, Reserve, cultivation_installed, load_pool, villages_of
from yanzhen.matching.scoring import (
    Part,
    Target,
    mentor_matrix,
    mentor_parts,
    village_matrix,
    village_parts,
    weights_for,
)
from yanzhen.people.codes import EducationBand, Gender
from yanzhen.people.models import Skill
from yanzhen.posts.models import PostType

COUNTY_LENGTH = CODE_LENGTH[Level.COUNTY]
MAXIMUM_CAPACITY = 50
# Chinese names for messages, whatever the interface language.
PLAN_STATE_NAMES = {PlanState.PROPOSED: "待批准", PlanState.APPROVED: "已批准", PlanState.DISCARDED: "已作废"}


def _check(actor, code: str) -> None:
    """Outside the actor's jurisdiction: 404; inside but a reader: 403."""
    if not code_in_jurisdiction(actor, code):
        raise Http404
    require_editor(actor)


def _save(instance, actor) -> None:
    attribute_to(instance, actor)
    instance.save()


# ---------------------------------------------------------------------------------------------------------
# 村级需求清单


def _age_errors(errors: dict[str, str], minimum_age: int | None, maximum_age: int | None) -> None:
    """Each end of the preferred ages between 18 and 70, the upper not under the lower."""
    if minimum_age is not None and not 18 <= minimum_age <= 70:
        errors["minimum_age"] = "年龄下限须在 18 至 70 岁之间"
    if maximum_age is not None and not 18 <= maximum_age <= 70:
        errors["maximum_age"] = "年龄上限须在 18 至 70 岁之间"
    if minimum_age is not None and maximum_age is not None and minimum_age > maximum_age and not errors:
        errors["maximum_age"] = f"年龄上限 {maximum_age} 岁不能小于下限 {minimum_age} 岁"


@transaction.atomic
def save_demand(
    *,
    actor,
    village: Division,
    posts: Iterable[PostType] = (),
    skills: Iterable[Skill] = (),
    industries: Iterable[Industry] = (),
    minimum_age: int | None = None,
    maximum_age: int | None = None,
    education_band: str = "",
    preferred_gender: str = "",
    notes: str = "",
) -> VillageDemand:
    """The township (or the county) states what a village lacks; history keeps every version."""
    _check(actor, village.code)
    errors: dict[str, str] = {}
    if village.level != Level.VILLAGE:
        errors["village"] = f"{village.name} 不是村级单位，需求清单按村填写"
    _age_errors(errors, minimum_age, maximum_age)
    if education_band and education_band not in EducationBand.values:
        errors["education_band"] = "学历要求只能是“大专及以上”或“中专及以下”"
    if preferred_gender and preferred_gender not in Gender.values:
        errors["preferred_gender"] = "性别只能是男或女"
    notes = (notes or "").strip()
    if len(notes) > 1000:
        errors["notes"] = "备注不能超过 1000 字"
    raise_errors(errors)
    demand = VillageDemand.objects.select_for_update().filter(village=village).first() or VillageDemand(
        village=village
    )
    demand.minimum_age, demand.maximum_age = minimum_age, maximum_age
    demand.education_band, demand.preferred_gender = education_band or "", preferred_gender or ""
    demand.notes, demand.updated_by = notes, actor
    _save(demand, actor)
    demand.posts.set(list(posts))
    demand.skills.set(list(skills))
    demand.industries.set(list(industries))
    return demand


# ---------------------------------------------------------------------------------------------------------
# The county's weights

WEIGHT_FIELDS = [
    "skill_points",
    "industry_points",
    "experience_points",
    "ready_points",
    "soon_points",
    "target_post_points",
    "two_excellent_points",
    "one_excellent_points",
    "incompetent_points",
    "training_points",
    "training_limit",
    "age_points",
    "education_points",
    "gender_points",
    "same_village_points",
    "same_township_points",
    "neighbour_points",
    "neighbour_km",
    "host_capacity",
]
# (lowest, highest) of each field; the points are 0–100.
WEIGHT_BOUNDS = {name: (0, 100) for name in WEIGHT_FIELDS} | {
    "training_limit": (0, 20),
    "neighbour_km": (1, 200),
    "host_capacity": (1, MAXIMUM_CAPACITY),
}


@transaction.atomic
def save_weights(*, actor, county: Division, **values) -> MatchingWeights:
    """The county organisation department sets the points of each criterion; defaults apply until it does."""
    errors = county_errors(actor, county, role=Role.ADMIN)
    unknown = set(values) - set(WEIGHT_FIELDS)
    if unknown:
        raise TypeError(f"unknown weights: {sorted(unknown)}")
    for name, value in values.items():
        low, high = WEIGHT_BOUNDS[name]
        if not isinstance(value, int) or not low <= value <= high:
            errors[name] = f"须为 {low} 至 {high} 之间的整数"
    raise_errors(errors)
    return save_county_row(actor, MatchingWeights, county, **values)


# ---------------------------------------------------------------------------------------------------------
# Placement: many reserves at once

# The terms a request gives every secondment of its plan: stored on the plan, handed on when it is approved.
SECONDMENT_TERMS = ("kind", "start", "planned_end", "mode", "post_title", "goals")


@dataclass
class PlacementRequest:
    division: Division
    kind: str
    start: date | None
    planned_end: date | None = None
    mode: str = ""
    goals: str = ""
    post_title: str = ""
    capacity: int | None = None
    people: list[int] | None = None  # person ids; None: every reserve of the pool not yet placed


@dataclass
class Computed:
    """A solved request, not yet written."""

    request: PlacementRequest
    reserves: list[Reserve]
    homes: list[Place | None]
    options: list  # Target (host villages) or MentorInfo
    option_names: list[str]
    capacity: np.ndarray
    scores: np.ndarray
    admissible: np.ndarray
    solution: assignment.Solution
    greedy: assignment.Solution
    skipped: int = 0
    weights: MatchingWeights | None = None
    timings: dict[str, float] = field(default_factory=dict)

    def parts(self, index: int) -> list[Part]:
        option = self.options[self.solution.choice[index]]
        reserve, home = self.reserves[index], self.homes[index]
        if isinstance(option, MentorInfo):
            return mentor_parts(reserve, option, home, self.weights)
        return village_parts(reserve, option, home, self.weights)


SECONDMENT_KINDS = (PlacementKind.SECONDMENT, PlacementKind.CROSS_VILLAGE)


def _secondment_request_errors(data: PlacementRequest) -> dict[str, str]:
    """A secondment's (or a cross-village post's) own fields: mode, goals and a length within the county's
    rules."""
    from yanzhen.cultivation.models import SecondmentMode
    from yanzhen.cultivation.services import last_day_of_months, rules_for

    errors: dict[str, str] = {}
    if data.mode not in SecondmentMode.values:
        errors["mode"] = "请选择全脱产或半脱产"
    if not data.goals:
        errors["goals"] = "请在挂职前写明锻炼目标"
    if data.planned_end is None:
        errors["planned_end"] = "请填写计划结束日期"
    elif data.start is not None:
        rules = rules_for(data.division.code)
        shortest, longest = rules.secondment_minimum_months, rules.secondment_maximum_months
        earliest = last_day_of_months(data.start, shortest)
        latest = last_day_of_months(data.start, longest)
        if not earliest <= data.planned_end <= latest:
            errors["planned_end"] = (
                f"挂职期限须在 {shortest} 至 {longest} 个月之间："
                f"计划结束日期应在 {earliest:%Y-%m-%d} 至 {latest:%Y-%m-%d} 之间"
            )
    return errors


def _request_errors(data: PlacementRequest) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.kind not in PlacementKind.values:
        errors["kind"] = "请选择方案类别（挂职锻炼、跨村任职或导师结对）"
    if data.division.level not in (Level.TOWNSHIP, Level.COUNTY):
        errors["division"] = f"{data.division.name} 不是乡镇或县（区），请选择一个乡镇或县（区）整体安排"
    if not cultivation_installed():
        errors["kind"] = "培育模块未安装，无法生成挂职或结对方案"
        return errors
    if data.capacity is not None and not 1 <= data.capacity <= MAXIMUM_CAPACITY:
        errors["capacity"] = f"名额上限须在 1 至 {MAXIMUM_CAPACITY} 之间"
    if data.start is None:
        errors["start"] = "请填写开始日期"
    data.goals = (data.goals or "").strip()
    data.post_title = (data.post_title or "").strip()
    if len(data.post_title) > 50:
        errors["post_title"] = "挂任职务不能超过 50 个字"
    if data.kind in SECONDMENT_KINDS:
        errors.update(_secondment_request_errors(data))
    else:
        data.mode, data.planned_end = "", None
    return errors


def _placed_already(request: PlacementRequest, person_ids: list[int]) -> set[int]:
    """Reserves who already have a placement of the kind on the start date."""
    start = request.start
    if request.kind == PlacementKind.MENTORING:
        from yanzhen.cultivation.models import Mentorship

        return set(
            Mentorship.objects.active_on(start)
            .filter(mentee_id__in=person_ids)
            .values_list("mentee_id", flat=True)
        )
    from yanzhen.cultivation.models import Secondment

    return set(
        Secondment.objects.filter(person_id__in=person_ids, start__lte=start)
        .filter(Q(actual_end__gte=start) | Q(actual_end__isnull=True, planned_end__gte=start))
        .values_list("person_id", flat=True)
    )


def _host_capacity(request: PlacementRequest, weights: MatchingWeights) -> int:
    """The plan's own figure, else the cultivation rules' host cap when they have one, else the weights'."""
    if request.capacity:
        return request.capacity
    from yanzhen.cultivation.services import rules_for

    return getattr(rules_for(request.division.code), "host_capacity", None) or weights.host_capacity


def _hosts(actor, request: PlacementRequest, villages: dict[str, Place], on: date) -> list[Target]:
    division = request.division
    if request.kind == PlacementKind.SECONDMENT:
        # Hosts may lie anywhere in the county: village names and tags are not personal data.
        places = [v for v in villages.values() if v.is_model_village]
        if not places:
            raise assignment.Infeasible(
                "本县（区）还没有标注为示范村或明星村的村，无法安排挂职锻炼；请先在村庄信息中标注村庄类型"
            )
    else:
        places = [v for v in villages.values() if v.code.startswith(division.code)]
    demands = demands_for(actor, places, on, prefix=division.code[:COUNTY_LENGTH])
    if request.kind == PlacementKind.CROSS_VILLAGE:
        places = [v for v in places if demands[v.code].posts]
        if not places:
            raise assignment.Infeasible(
                f"{division.name}没有缺少后备力量的村（各村关键岗位都已有后备），无需跨村任职安排"
            )
    return [Target(village=v, demand=demands[v.code]) for v in sorted(places, key=lambda v: v.code)]


def _mentors(actor, request: PlacementRequest, villages: dict[str, Place], on: date) -> list[MentorInfo]:
    from yanzhen.cultivation.models import Mentor, Mentorship
    from yanzhen.cultivation.services import rules_for

    mentors = list(
        Mentor.objects.restrict(actor)
        .filter(active=True, division__code__startswith=request.division.code)
        .select_related("division")
        .prefetch_related("skills", "industries", "person__skills", "person__industries")
        .order_by("division_id", "name", "id")
    )
    if not mentors:
        raise assignment.Infeasible(f"{request.division.name}还没有可以结对的导师，请先登记导师")
    ids = [m.pk for m in mentors]
    load = dict(
        Mentorship.objects.overlapping(on, None)
        .filter(mentors__in=ids)
        .values("mentors")
        .annotate(n=Count("id", distinct=True))
        .values_list("mentors", "n")
    )
    mentees: dict[int, set[int]] = {}
    for mentor_id, mentee_id in (
        Mentorship.objects.active_on(on).filter(mentors__in=ids).values_list("mentors", "mentee_id")
    ):
        mentees.setdefault(mentor_id, set()).add(mentee_id)
    caps: dict[str, int] = {}
    found = []
    for mentor in mentors:
        county = mentor.division_id[:COUNTY_LENGTH]
        if county not in caps:
            caps[county] = rules_for(county).mentee_cap
        cap = min(request.capacity or caps[county], caps[county])
        skills = {s.name for s in mentor.skills.all()}
        industries = {i.name for i in mentor.industries.all()}
        if mentor.person is not None:
            skills |= {s.name for s in mentor.person.skills.all()}
            industries |= {i.name for i in mentor.person.industries.all()}
        place = villages.get(mentor.division_id) or Place(code=mentor.division_id, name=mentor.division.name)
        found.append(
            MentorInfo(
                mentor_id=mentor.pk,
                name=mentor.name,
                place=place,
                person_id=mentor.person_id,
                skills=frozenset(skills),
                industries=frozenset(industries),
                capacity=max(cap - load.get(mentor.pk, 0), 0),
                mentees=frozenset(mentees.get(mentor.pk, ())),
            )
        )
    return found


def _mentor_admissible(reserves: list[Reserve], mentors: list[MentorInfo]) -> np.ndarray:
    """Not his own mentor, and not a mentor who already guides him."""
    reserve_ids = np.array([r.person_id for r in reserves], dtype=np.int64)[:, None]
    mentor_people = np.array([-1 if m.person_id is None else m.person_id for m in mentors], dtype=np.int64)
    admissible = reserve_ids != mentor_people[None, :]
    row_of = {r.person_id: i for i, r in enumerate(reserves)}
    for j, mentor in enumerate(mentors):
        for mentee in mentor.mentees:
            if mentee in row_of:
                admissible[row_of[mentee], j] = False
    return admissible


def _mentor_problem(actor, request, villages, on, reserves, homes, weights) -> tuple:
    """The mentors as columns: capacity, scores, who may take whom, names and the words of the messages."""
    options: list = _mentors(actor, request, villages, on)
    capacity = np.array([m.capacity for m in options], dtype=np.int64)
    scores = mentor_matrix(reserves, homes, options, weights)
    admissible = _mentor_admissible(reserves, options)
    names = [f"{m.name}（{m.place.name}）" for m in options]
    return options, capacity, scores, admissible, names, "导师", f"同时帮带 {int(capacity.max(initial=0))} 人"


def _host_problem(actor, request, villages, on, reserves, homes, weights) -> tuple:
    """The host villages as columns (not the reserve's home, nor the village he stands for)."""
    options = _hosts(actor, request, villages, on)
    cap = _host_capacity(request, weights)
    capacity = np.full(len(options), cap, dtype=np.int64)
    scores = village_matrix(reserves, homes, options, weights)
    host_codes = np.array([t.village.code for t in options])[None, :]
    home_codes = np.array([r.village_code for r in reserves])[:, None]
    own_codes = np.array([r.candidacy_village_code for r in reserves])[:, None]
    admissible = (host_codes != home_codes) & (host_codes != own_codes)
    names = [t.village.name for t in options]
    word = "挂职村" if request.kind == PlacementKind.SECONDMENT else "任职村"
    return options, capacity, scores, admissible, names, word, f"接收 {cap} 人"


def compute_placement(actor, request: PlacementRequest) -> Computed:
    """Validate and solve a request without writing anything. Raises ValidationError (bad data, or an
    infeasible request with the reason in Chinese)."""
    import time

    _check(actor, request.division.code)
    errors = _request_errors(request)
    raise_errors(errors)
    on = request.start
    timings: dict[str, float] = {}
    began = time.perf_counter()
    county = request.division.code[:COUNTY_LENGTH]
    weights = weights_for(county)
    villages = villages_of(county)
    reserves = load_pool(actor, within=request.division.code, on=on, person_ids=request.people)
    skipped = 0
    if request.people is None and reserves:
        busy = _placed_already(request, [r.person_id for r in reserves])
        skipped = sum(1 for r in reserves if r.person_id in busy)
        reserves = [r for r in reserves if r.person_id not in busy]
    homes = [villages.get(r.village_code) for r in reserves]
    timings["load"] = time.perf_counter() - began
    try:
        build = _mentor_problem if request.kind == PlacementKind.MENTORING else _host_problem
        options, capacity, scores, admissible, names, word, unit = build(
            actor, request, villages, on, reserves, homes, weights
        )
        timings["score"] = time.perf_counter() - began - timings["load"]
        reserve_names = [r.name for r in reserves]
        solution = assignment.optimal(scores, admissible, capacity, reserve_names, names, word, unit)
        timings["solve"] = time.perf_counter() - began - timings["load"] - timings["score"]
    except assignment.Infeasible as infeasible:
        raise ValidationError(str(infeasible), code="infeasible") from None
    greedy = assignment.greedy(scores, admissible, capacity)
    timings["greedy"] = time.perf_counter() - began - sum(timings.values())
    return Computed(
        request=request,
        reserves=reserves,
        homes=homes,
        options=options,
        option_names=names,
        capacity=capacity,
        scores=scores,
        admissible=admissible,
        solution=solution,
        greedy=greedy,
        skipped=skipped,
        weights=weights,
        timings=timings,
    )


@transaction.atomic
def plan_placement(*, actor, request: PlacementRequest) -> PlacementPlan:
    """Solve the request and store the plan with its rows, awaiting approval. Nothing else is written: no
    secondment and no mentorship exists before `approve_plan`."""
    computed = compute_placement(actor, request)
    plan = PlacementPlan(
        division=request.division,
        **{name: getattr(request, name) for name in SECONDMENT_TERMS},
        capacity=int(computed.capacity.max(initial=0)),
        greedy_score=computed.greedy.total,
        greedy_unplaced=computed.greedy.unplaced,
        skipped=computed.skipped,
        created_by=actor,
    )
    rows = []
    for index, reserve in enumerate(computed.reserves):
        option = computed.options[computed.solution.choice[index]]
        parts = computed.parts(index)
        rows.append(
            PlacementRow(
                person_id=reserve.person_id,
                host_id=None if isinstance(option, MentorInfo) else option.village.code,
                mentor_id=option.mentor_id if isinstance(option, MentorInfo) else None,
                score=sum(points for _label, points in parts),
                parts=[[label, points] for label, points in parts],
            )
        )
    plan.total_score = sum(row.score for row in rows)
    _save(plan, actor)
    for row in rows:
        row.plan = plan
    PlacementRow.objects.bulk_create(rows, batch_size=1000)
    return plan


def _locked_plan(actor, plan: PlacementPlan) -> PlacementPlan:
    visible = (
        PlacementPlan.objects.restrict(actor).filter(pk=plan.pk).values_list("division_id", flat=True).first()
    )
    if visible is None:
        raise Http404
    _check(actor, visible)
    plan = PlacementPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.state != PlanState.PROPOSED:
        raise ValidationError(f"该方案{PLAN_STATE_NAMES.get(plan.state, plan.state)}，不能再批准或作废")
    return plan


@transaction.atomic
def approve_plan(*, actor, plan: PlacementPlan) -> PlacementPlan:
    """Write the plan: one secondment (挂职锻炼 or 跨村任职) or one mentorship per row, each through the
    cultivation service that checks its own rules (the lengths, overlaps, the mentor's cap ...). One row
    refused refuses the whole plan: nothing is written and every refusal is listed."""
    plan = _locked_plan(actor, plan)
    if not cultivation_installed():
        raise ValidationError("培育模块未安装，无法按方案建立挂职或结对记录")
    from yanzhen.cultivation import services as cultivation

    rows = list(plan.rows.select_related("person", "host", "mentor").order_by("id"))
    problems = []
    for row in rows:
        try:
            with transaction.atomic():
                if plan.kind == PlacementKind.MENTORING:
                    row.mentorship = cultivation.create_mentorship(
                        actor=actor,
                        mentee=row.person,
                        mentors=[row.mentor],
                        start=plan.start,
                        goals=plan.goals,
                    )
                else:
                    row.secondment = cultivation.create_secondment(
                        actor=actor,
                        data=cultivation.SecondmentInput(
                            person=row.person,
                            host=row.host,
                            **{name: getattr(plan, name) for name in SECONDMENT_TERMS},
                        ),
                    )
        except ValidationError as refused:
            problems.append(f"{row.person.name}：{'；'.join(refused.messages)}")
    if problems:
        raise ValidationError(
            [f"方案中有 {len(problems)} 条安排未通过培育模块的检查，整个方案未写入：", *problems[:20]]
            + ([f"…… 另有 {len(problems) - 20} 条"] if len(problems) > 20 else [])
        )
    PlacementRow.objects.bulk_update(rows, ["secondment", "mentorship"], batch_size=1000)
    plan.state, plan.decided_by, plan.decided_at = PlanState.APPROVED, actor, timezone.now()
    _save(plan, actor)
    return plan


@transaction.atomic
def discard_plan(*, actor, plan: PlacementPlan) -> PlacementPlan:
    plan = _locked_plan(actor, plan)
    plan.state, plan.decided_by, plan.decided_at = PlanState.DISCARDED, actor, timezone.now()
    _save(plan, actor)
    return plan
