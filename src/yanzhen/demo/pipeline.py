"""The demo reserve pipeline of 盐池县: the 353 demo reserves go through the whole procedure of seed 000 into the
pool, township by township in six rounds (each round ends with one batch 公示 per township), entering the
pool between January 2019 and March 2021. On 2021-04-19 (the date of seed 000) exactly 100 of the 102
村委会 hold an in-pool reserve for every key post (一村一职一备: 98.04%).

Every step goes through `candidacies.workflow`, so the demo obeys the same rules as a clerk (age and party
membership of secretary reserves, five working days of 公示 by the Chinese calendar). Afterwards a few
reserves are removed (2022), one is used in a seat that fell vacant, and a few new candidacies stop in
earlier states. Idempotent: people who already have a candidacy are left alone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction

from yanzhen.candidacies import notice, workflow
from yanzhen.candidacies.models import (
    Candidacy,
    CandidacyState,
    NegativeListItem,
    NominationWay,
    Pairing,
    Readiness,
    RemovalReason,
)
from yanzhen.candidacies.rules import check_secretary_rules, earliest_notice_end, rules_for, working_days
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person
from yanzhen.posts.models import PostType, Seat

SEED = 6403230419
AS_OF = date(2021, 4, 19)
UNCOVERED_VILLAGES = 2  # of 102: 100 covered, 98.04%
# The day each round's nominations are made; the pool entries follow six to nine weeks later.
ROUNDS = (
    date(2018, 12, 10),
    date(2019, 4, 8),
    date(2019, 10, 14),
    date(2020, 4, 13),
    date(2020, 10, 12),
    date(2021, 1, 4),
)
WAYS = {
    NominationWay.SELF: 15,
    NominationWay.MASSES: 20,
    NominationWay.PARTY_MEMBERS: 15,
    NominationWay.VILLAGE_PARTY: 30,
    NominationWay.TOWNSHIP_PARTY: 12,
    NominationWay.WORK_TEAM: 8,
}
READINESS = {Readiness.READY: 30, Readiness.ONE_TO_TWO_YEARS: 50, Readiness.THREE_YEARS: 20}
WORK_TEAM = [
    "王振华",
    "李建军",
    "张晓东",
    "刘志刚",
    "马红梅",
    "杨建平",
    "周明远",
    "陈国庆",
    "赵文杰",
    "孙丽华",
]
INSPECTORS = ["组织委员", "纪委书记", "包村领导"]
REMOVALS = (
    (date(2022, 3, 15), RemovalReason.LONG_ABSENT, "外出务工超过一年，不能参加培养"),
    (date(2022, 6, 20), RemovalReason.OWN_REQUEST, "本人申请退出"),
    (date(2022, 9, 5), RemovalReason.INCOMPETENT, "连续两次考核为不称职"),
    (date(2023, 1, 9), RemovalReason.LACK_OF_INITIATIVE, "工作主动性不强，群众认可度低"),
)


@dataclass
class Reserve:
    person: Person
    round: int
    targets: list[str] = field(default_factory=list)


def _next_workday(day: date) -> date:
    while not working_days(day, day):
        day += timedelta(days=1)
    return day


def _eligible(person: Person, on: date) -> bool:
    return not check_secretary_rules(rules_for(person.village), person, on)


def _round(person: Person, chosen: int) -> int:
    """The chosen round, or an earlier one in which the person still qualifies as a secretary reserve."""
    if _eligible(person, ROUNDS[chosen]):
        return chosen
    return next((index for index in range(chosen) if _eligible(person, ROUNDS[index])), chosen)


def plan_targets(reserves: list[Reserve], rng: random.Random) -> set[str]:
    """Give every reserve the secretary and/or chair post of his village so that all but
    UNCOVERED_VILLAGES villages hold both; return the uncovered villages."""
    by_village = _by_village(reserves)
    eligible = {
        id(r): _eligible(r.person, ROUNDS[r.round]) for r in reserves
    }  # a secretary reserve must qualify on his nomination day
    # Villages where nobody qualifies for secretary cannot be covered; top up with villages whose reserves
    # all qualify (they then all prepare for secretary only), the first ones by code.
    uncovered = {code for code, group in by_village.items() if not any(eligible[id(r)] for r in group)}
    for code in sorted(by_village):
        if len(uncovered) >= UNCOVERED_VILLAGES:
            break
        if all(eligible[id(r)] for r in by_village[code]):
            uncovered.add(code)
    for code, group in sorted(by_village.items()):
        _give_targets(group, eligible, rng, covered=code not in uncovered)
    return uncovered


def _give_targets(
    group: list[Reserve], eligible: dict[int, bool], rng: random.Random, *, covered: bool
) -> None:
    """A village's reserves: the secretary post for those who qualify (some also the chair: 一肩挑), the
    chair for the others; a covered village has at least one for the chair."""
    for reserve in group:
        if eligible[id(reserve)]:
            reserve.targets = ["secretary"]
            if covered and rng.random() < 0.3:
                reserve.targets.append("chair")  # 一肩挑 reserve
        else:
            reserve.targets = ["chair"]
    if covered and not any("chair" in r.targets for r in group):
        group[0].targets.append("chair")


def _actor():
    from yanzhen.accounts.models import User

    return User.objects.get(username="county")


def _run_round(actor, rng, township: Division, group: list[Reserve], nominated_on: date, posts) -> None:
    vetted_on = nominated_on + timedelta(days=rng.randint(5, 10))
    inspected_on = vetted_on + timedelta(days=rng.randint(10, 16))
    decided_on = inspected_on + timedelta(days=rng.randint(5, 9))
    candidacies = []
    for reserve in group:
        pairing = rng.choices([Pairing.NONE, Pairing.ONE_TO_ONE, Pairing.ONE_TO_MANY], weights=[55, 35, 10])[
            0
        ]
        candidacy = workflow.nominate(
            actor=actor,
            person=reserve.person,
            post_types=[posts[code] for code in reserve.targets],
            nomination_way=rng.choices(list(WAYS), weights=list(WAYS.values()))[0],
            recommender=f"{reserve.person.village.name}党支部" if rng.random() < 0.5 else "",
            pairing=pairing,
            pairing_members="" if pairing == Pairing.NONE else rng.choice(WORK_TEAM),
            readiness=rng.choices(list(READINESS), weights=list(READINESS.values()))[0],
            key_cultivation=rng.random() < 0.2,
            on=nominated_on,
        )
        workflow.vet(actor=actor, candidacy=candidacy, passed=True, failed_items=[], on=vetted_on)
        talked = rng.randint(8, 20)
        voters = rng.randint(25, 60)
        against = rng.randint(0, 3)
        abstaining = rng.randint(0, 3)
        workflow.inspect(
            actor=actor,
            candidacy=candidacy,
            on=inspected_on,
            inspectors="、".join(f"{township.name}{title}" for title in INSPECTORS[: rng.randint(2, 3)]),
            people_talked_to=talked,
            votes_for=voters - against - abstaining,
            votes_against=against,
            votes_abstaining=abstaining,
            findings="政治立场坚定，群众基础较好，有一定带富能力，同意列为村级后备力量人选。",
        )
        workflow.decide(actor=actor, candidacy=candidacy, passed=True, on=decided_on)
        candidacies.append(candidacy)
    start = _next_workday(decided_on + timedelta(days=1))
    end = earliest_notice_end(start, rules_for(township).notice_working_days)
    notice.start_notices_for_township(actor=actor, township=township, start=start, end=end)
    entered_on = end + timedelta(days=rng.randint(1, 6))
    for candidacy in candidacies:
        workflow.enter_pool(actor=actor, candidacy=candidacy, on=entered_on)


def _by_village(reserves: list[Reserve]) -> dict[str, list[Reserve]]:
    by_village: dict[str, list[Reserve]] = {}
    for reserve in reserves:
        by_village.setdefault(reserve.person.village_id, []).append(reserve)
    return by_village


def _use_one(actor, pool, by_village: dict[str, list[Reserve]], removed_ids: set[int]) -> None:
    """Used: a seat that fell vacant gets a ready reserve of its village that prepared for that post."""
    for seat in Seat.objects.filter(village_id__in=by_village, post_type__code__in=["chair"]).order_by(
        "village_id"
    ):
        last = seat.terms.order_by("-start").first()
        if last is None or last.end is None:
            continue
        reserve = next(
            (
                r
                for r in by_village[seat.village_id]
                if "chair" in r.targets and r.person.pk not in removed_ids
            ),
            None,
        )
        if reserve is not None:
            workflow.promote(
                actor=actor, candidacy=pool[reserve.person.pk], seat=seat, on=last.end + timedelta(days=21)
            )
            return


def _stopped_early(actor, reserve: Reserve, assistant, index: int, items: list) -> None:
    """The `index`-th new candidacy for a practice post: 0 stays 推荐, 1 资格审查, 2 考察, 3 decided, 4 refused
    at the vetting."""
    nominated_on = date(2021, 9, 6)
    candidacy = workflow.nominate(
        actor=actor,
        person=reserve.person,
        post_types=[assistant],
        nomination_way=NominationWay.TOWNSHIP_PARTY,
        on=nominated_on,
        readiness=Readiness.READY,
    )
    if index == 0:
        return  # stays 推荐
    vetted_on = nominated_on + timedelta(days=7)
    if index == 4 and items:
        workflow.vet(
            actor=actor,
            candidacy=candidacy,
            passed=False,
            failed_items=items[-1:],
            on=vetted_on,
            note="经核实长期在外务工",
        )
        return
    workflow.vet(actor=actor, candidacy=candidacy, passed=True, failed_items=[], on=vetted_on)
    if index == 1:
        return  # stays 资格审查
    workflow.inspect(
        actor=actor,
        candidacy=candidacy,
        on=nominated_on + timedelta(days=20),
        inspectors="组织委员、包村领导",
        people_talked_to=10,
        votes_for=30,
        votes_against=1,
        votes_abstaining=2,
        findings="工作积极，同意推荐。",
    )
    if index == 3:
        workflow.decide(actor=actor, candidacy=candidacy, passed=True, on=nominated_on + timedelta(days=28))


def _afterwards(actor, rng, reserves: list[Reserve], uncovered: set[str], posts) -> None:
    """After the date of seed 000: a few removals, one use, and new candidacies in earlier states."""
    pool = {
        c.person_id: c
        for c in Candidacy.objects.filter(
            person__in=[r.person for r in reserves], state=CandidacyState.IN_POOL
        )
    }
    # Removed: reserves of villages with more than two reserves, so the village keeps its cover.
    by_village = _by_village(reserves)
    crowded = [
        r
        for code, group in sorted(by_village.items())
        if len(group) >= 4 and code not in uncovered
        for r in group
    ]
    removed = rng.sample(crowded, len(REMOVALS))
    for reserve, (on, reason, note) in zip(removed, REMOVALS, strict=True):
        workflow.remove(actor=actor, candidacy=pool[reserve.person.pk], reason=reason, on=on, note=note)
    removed_ids = {r.person.pk for r in removed}
    _use_one(actor, pool, by_village, removed_ids)
    # New candidacies stopped in earlier states: reserves of the pool prepared for a practice post.
    assistant = posts.get("secretary_assistant")
    if assistant is None:
        return
    untouched = [r for r in reserves if r.person.pk not in removed_ids and len(r.targets) == 1]
    chosen = rng.sample(untouched, 5)
    items = list(NegativeListItem.objects.all())
    for index, reserve in enumerate(chosen):
        _stopped_early(actor, reserve, assistant, index, items)


def _run_rounds(actor, rng, todo: list[Reserve], townships: dict[str, Division], posts) -> None:
    """Each round, township by township, with the reserves nominated in it."""
    for index, nominated_on in enumerate(ROUNDS):
        for code in sorted(townships):
            group = [r for r in todo if r.round == index and r.person.village_id.startswith(code)]
            if group:
                _run_round(actor, rng, townships[code], group, nominated_on, posts)


@transaction.atomic
def build_pipeline(reserves: list[Person] | None = None, actor=None) -> dict[str, int]:
    """Put the demo reserves through the pipeline; return how many candidacies were created."""
    if reserves is None:
        from yanzhen.demo.people import demo_reserves

        reserves = demo_reserves()
    actor = actor or _actor()
    before = Candidacy.objects.count()
    rng = random.Random(SEED)
    people = sorted(reserves, key=lambda p: (p.village_id, p.id_number_hash))
    planned = [Reserve(person, _round(person, rng.randrange(len(ROUNDS)))) for person in people]
    uncovered = plan_targets(planned, rng)
    todo = [r for r in planned if not Candidacy.objects.filter(person=r.person).exists()]
    if not todo:
        return {"candidacies": 0}
    posts = {post.code: post for post in PostType.objects.all()}
    townships = Division.objects.in_bulk({r.person.village_id[:9] for r in todo})
    _run_rounds(actor, rng, todo, townships, posts)
    if len(todo) == len(planned):
        _afterwards(actor, rng, planned, uncovered, posts)
    return {"candidacies": Candidacy.objects.count() - before}
