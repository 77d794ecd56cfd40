"""The demo's cultivation (育) of 盐池县: what the county and its townships did for the 353 demo reserves, written
through `cultivation.services` with the demo administrator as the actor, as a clerk would have typed it in.

Every date follows seed 000 and each reserve's stint in the pool (入库 between January 2019 and March 2021, four
removals in 2022–2023, one use in 2024: see `pipeline`); a reserve takes part only while he is in the pool.

- Trainings. 2019, seed 000's 三位一体: the "两个带头人" classes at the 自治区党校 and at 浙江大学 for 148 reserves
  (74 each), then a month in enterprises (May 2020). 2021: the county's rotation class (32 hours, the county's
  yearly minimum) for the whole pool and the party-school classes of three townships, with attendance: most meet
  the minimum, those who missed days or the class do not.
- Mentoring (传帮带). A candidacy nominated "1+1" or "1+N" with a 驻村工作队员 (`pipeline`) gets its mentorship
  with him for a year from the pool entry (at the latest until the work teams rotated on 2021-06-30), "1+N"
  adding a township leader — as far as the cap of 3 mentees per mentor allows (a pairing the cap refuses is left out, as the service would
  refuse it). The former secretaries (老支书) of the villages whose secretary changed at the 2021 election guide one
  or two reserves of their village since March 2021. Each pairing has a short guidance log.
- Practice posts (实岗) from May 2021 (on 2021-04-19, the date of seed 000, no reserve held a post), some ended;
  secondments of 3–6 months in 2021–2022, most reported and evaluated, one cut short, two still without a report
  (the overdue-secondment warning); degree upgrading: two 大专 → 本科 graduations and one withdrawal, so nobody
  moves between 中专及以下 and 大专及以上 and the seed-000 education figures stay; growth plans for 30 reserves
  marked for key cultivation, linked to what they did.

All dates are fixed and in the past, so the data does not depend on the day it is built; the random choices come
from `random.Random` seeded per part, over reserves sorted by village and ID-number hash. Idempotent: each part
(trainings, mentoring, secondments, practice posts, degree studies, growth plans) is created only while the
county has none of it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from yanzhen.candidacies.models import Candidacy, Pairing
from yanzhen.cultivation import services
from yanzhen.cultivation.models import (
    DegreeStudy,
    Enrolment,
    Funding,
    GrowthPlan,
    GuidanceForm,
    HostGrade,
    ItemKind,
    Mentor,
    MentorKind,
    Mentorship,
    PracticePost,
    Secondment,
    SecondmentKind,
    SecondmentMode,
    Training,
    TrainingKind,
)
from yanzhen.demo.people import DEMO_ADMIN, DEMO_COUNTY, FEMALE_GIVEN, MAJORS, MALE_GIVEN, SURNAMES
from yanzhen.demo.pipeline import WORK_TEAM
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person
from yanzhen.posts.models import PostType, Term, TermEndReason

SEED = 6403232019
COUNTY_ORGANISER = "中共盐池县委组织部"
WORK_TEAMS_ROTATED = date(2021, 6, 30)  # the 驻村工作队 of 脱贫攻坚 handed over to 乡村振兴 teams
OLD_SECRETARIES_FROM = date(2021, 3, 1)


@dataclass(frozen=True)
class TrainingSpec:
    key: str
    name: str
    kind: str
    place: str
    start: date
    end: date
    hours: int
    notes: str = ""


TWO_LEADERS_PARTY_SCHOOL = TrainingSpec(
    "party_school_2019",
    "“两个带头人”工程村级后备力量培训班（自治区党校）",
    TrainingKind.PARTY_SCHOOL,
    "自治区党委党校（银川）",
    date(2019, 9, 23),
    date(2019, 9, 29),
    56,
    "“党校、高校、企业”三位一体培训第一段：理论修养",
)
TWO_LEADERS_UNIVERSITY = TrainingSpec(
    "university_2019",
    "“两个带头人”工程村级后备力量培训班（浙江大学）",
    TrainingKind.UNIVERSITY,
    "浙江大学（杭州）",
    date(2019, 12, 2),
    date(2019, 12, 8),
    56,
    "“党校、高校、企业”三位一体培训第二段：发展本领",
)
INTERNSHIP = TrainingSpec(
    "internship_2020",
    "村级后备力量企业实习锻炼",
    TrainingKind.ENTERPRISE,
    "宁夏盐池滩羊产业发展集团等 12 家企业",
    date(2020, 5, 11),
    date(2020, 6, 9),
    64,
    "2019 年“两个带头人”培训对象到企业实习锻炼 1 个月",
)
ROTATION_2021 = TrainingSpec(
    "rotation_2021",
    "2021年村级后备力量集中轮训班",
    TrainingKind.ROTATION,
    "盐池县委党校",
    date(2021, 6, 21),
    date(2021, 6, 24),
    32,
    "基层党建、乡村振兴政策、村级事务管理、群众工作方法",
)
TWO_LEADERS_TRAINEES = 74  # at each of the two classes: 148 in all (seed 000)
# The townships holding their own class in 2021 and its first day (two days, 12 hours).
TOWNSHIP_CLASSES = {
    "640323100": date(2021, 9, 13),
    "640323101": date(2021, 9, 22),
    "640323102": date(2021, 10, 12),
}
ABSENCE_NOTES = ["外出务工未参加", "因病请假", "农忙请假", "家中有事请假"]

# (kind, mode, months, first day, outcome): "reported" (report and the host's evaluation), "early" (came back
# before the planned end, reported), "overdue" (past the planned end without a report).
SECONDMENTS = (
    (SecondmentKind.SECONDMENT, SecondmentMode.FULL_TIME, 3, date(2021, 7, 1), "reported"),
    (SecondmentKind.SECONDMENT, SecondmentMode.FULL_TIME, 4, date(2021, 11, 1), "reported"),
    (SecondmentKind.SECONDMENT, SecondmentMode.PART_TIME, 6, date(2022, 3, 1), "reported"),
    (SecondmentKind.CROSS_VILLAGE, SecondmentMode.PART_TIME, 6, date(2022, 3, 1), "early"),
    (SecondmentKind.SHADOWING, SecondmentMode.FULL_TIME, 3, date(2022, 4, 1), "reported"),
    (SecondmentKind.SECONDMENT, SecondmentMode.FULL_TIME, 5, date(2022, 5, 1), "reported"),
    (SecondmentKind.SECONDMENT, SecondmentMode.FULL_TIME, 6, date(2022, 7, 1), "overdue"),
    (SecondmentKind.SHADOWING, SecondmentMode.PART_TIME, 3, date(2022, 9, 1), "overdue"),
)
PRACTICE_POSTS = {"secretary_assistant": 5, "grid_worker": 4, "group_leader": 3}
PRACTICE_ENDED = 4  # of the practice posts, the first ones end after about a year
DUTIES = {
    "secretary_assistant": "协助村党组织书记处理党务工作：“三会一课”记录、党员发展材料整理、村级事务台账",
    "grid_worker": "网格内人口信息采集、矛盾纠纷排查、安全隐患巡查和政策宣传，每周走访网格内农户",
    "group_leader": "本村民小组的生产组织、政策宣传、民情收集和矛盾调解，协助村委会开展工作",
}
GROWTH_PLANS = 30
GOALS = [
    "熟悉村务管理和群众工作方法，能独立组织召开村民会议",
    "提升带富能力，领办一个村集体经济项目",
    "学习党务知识，按期转为正式党员并参与支部工作",
    "熟悉乡村振兴政策，能向群众讲清讲透",
    "掌握矛盾纠纷调解方法，独立调处一般纠纷",
]
TOPICS = [
    "村级事务管理",
    "矛盾纠纷调解",
    "产业发展思路",
    "党员发展与管理",
    "群众工作方法",
    "村集体经济项目",
    "防返贫动态监测",
    "乡村振兴政策学习",
]


@dataclass
class Stint:
    """A demo reserve and his stint in the pool (from the candidacy's business dates)."""

    person: Person
    entered: date
    left: date | None  # promoted or removed: the first day out of the pool
    key_cultivation: bool
    pairing: str
    pairing_members: str
    order: int  # position in the sorted list

    @property
    def village(self) -> str:
        return self.person.village_id

    @property
    def township(self) -> str:
        return self.person.village_id[:9]

    def in_pool(self, start: date, end: date | None = None) -> bool:
        """In the pool on every day from start to end (inclusive; end None: to this day)."""
        if self.entered > start:
            return False
        return self.left is None or (end is not None and self.left > end)


@dataclass
class World:
    actor: object
    stints: list[Stint]
    today: date
    trainings: dict[str, Training] = field(default_factory=dict)

    def pool(self, start: date, end: date | None = None) -> list[Stint]:
        return [s for s in self.stints if s.in_pool(start, end)]


def _rng(part: str) -> random.Random:
    return random.Random(f"{SEED}-{part}")


def stints(reserves: list[Person]) -> list[Stint]:
    """The reserves with the candidacy that took them into the pool, sorted by village and ID-number hash."""
    candidacies = {
        c.person_id: c
        for c in Candidacy.objects.filter(person__in=reserves, entered_pool_on__isnull=False).order_by(
            "entered_pool_on", "pk"
        )
    }
    found = []
    for person in sorted(reserves, key=lambda p: (p.village_id, p.id_number_hash)):
        candidacy = candidacies.get(person.pk)
        if candidacy is None:
            continue
        found.append(
            Stint(
                person=person,
                entered=candidacy.entered_pool_on,
                left=candidacy.promoted_on or candidacy.removed_on,
                key_cultivation=candidacy.key_cultivation,
                pairing=candidacy.pairing,
                pairing_members=candidacy.pairing_members,
                order=len(found),
            )
        )
    return found


def _in_county(model, path: str):
    return model.objects.filter(**{f"{path}__startswith": DEMO_COUNTY})


# -- trainings ---------------------------------------------------------------------------------------------


def _create_training(world: World, spec: TrainingSpec, division: Division, organiser: str) -> Training:
    terms = {name: value for name, value in vars(spec).items() if name != "key"}  # the key is the demo's own
    return services.create_training(
        actor=world.actor, data=services.TrainingInput(organiser=organiser, division=division, **terms)
    )


def _attendance(rng: random.Random, spec: TrainingSpec, person: Person, *, selected: bool):
    """Selected trainees (the 2019 classes, the internship) attend in full; otherwise most attend in full,
    some miss a day or half, a few miss the class."""
    roll = 0.0 if selected else rng.random()
    if roll < 0.82:
        return services.AttendanceInput(
            person=person, attended_hours=spec.hours, completed=True, score=rng.randint(72, 98)
        )
    if roll < 0.94:
        missed = min(spec.hours // 2, 8 * rng.randint(1, 2))
        return services.AttendanceInput(
            person=person, attended_hours=spec.hours - missed, completed=False, note="请假，未完成全部课程"
        )
    return services.AttendanceInput(
        person=person, attended_hours=0, completed=False, note=rng.choice(ABSENCE_NOTES)
    )


def _hold(world: World, rng, spec: TrainingSpec, division: Division, organiser: str, trainees, *, selected):
    training = _create_training(world, spec, division, organiser)
    people = [stint.person for stint in trainees]
    services.enrol(actor=world.actor, training=training, people=people)
    services.record_attendance(
        actor=world.actor,
        training=training,
        rows=[_attendance(rng, spec, person, selected=selected) for person in people],
    )
    world.trainings[spec.key] = training
    return training


def build_trainings(world: World) -> int:
    if _in_county(Training, "division__code").exists():
        return 0
    rng = _rng("trainings")
    county = Division.objects.get(code=DEMO_COUNTY)
    first = rng.sample(
        world.pool(TWO_LEADERS_PARTY_SCHOOL.start, TWO_LEADERS_PARTY_SCHOOL.end), TWO_LEADERS_TRAINEES
    )
    chosen = {id(s) for s in first}
    others = [
        s for s in world.pool(TWO_LEADERS_UNIVERSITY.start, TWO_LEADERS_UNIVERSITY.end) if id(s) not in chosen
    ]
    second = rng.sample(others, TWO_LEADERS_TRAINEES)
    for spec, trainees in ((TWO_LEADERS_PARTY_SCHOOL, first), (TWO_LEADERS_UNIVERSITY, second)):
        trainees = sorted(trainees, key=lambda s: s.order)
        _hold(world, rng, spec, county, COUNTY_ORGANISER, trainees, selected=True)
    both = {id(s) for s in first + second}
    interns = [s for s in world.pool(INTERNSHIP.start, INTERNSHIP.end) if id(s) in both]
    _hold(world, rng, INTERNSHIP, county, COUNTY_ORGANISER, interns, selected=True)
    _hold(
        world,
        rng,
        ROTATION_2021,
        county,
        COUNTY_ORGANISER,
        world.pool(ROTATION_2021.start, ROTATION_2021.end),
        selected=False,
    )
    townships = Division.objects.in_bulk(list(TOWNSHIP_CLASSES))
    for code, start in TOWNSHIP_CLASSES.items():
        township = townships[code]
        spec = TrainingSpec(
            f"township_{code}",
            f"{township.name}2021年村级后备力量培训班",
            TrainingKind.TOWNSHIP_SCHOOL,
            f"{township.name}党校",
            start,
            start + timedelta(days=1),
            12,
            "村级事务规范化管理、矛盾纠纷调解、农村电商",
        )
        trainees = [s for s in world.pool(spec.start, spec.end) if s.township == code]
        _hold(world, rng, spec, township, f"中共盐池县{township.name}委员会", trainees, selected=False)
    return len(world.trainings)


# -- mentoring ---------------------------------------------------------------------------------------------


def _name(rng: random.Random) -> str:
    male = rng.random() < 0.8
    given = MALE_GIVEN if male else FEMALE_GIVEN
    return rng.choice(SURNAMES) + "".join(rng.choice(given) for _ in range(rng.randint(1, 2)))


def _former_secretaries() -> list[Term]:
    """The secretaries' terms that ended at the 2021 election in the demo villages."""
    return list(
        Term.objects.filter(
            seat__village__code__startswith=DEMO_COUNTY,
            seat__post_type__code="secretary",
            end_reason=TermEndReason.ELECTION,
        )
        .select_related("person", "seat__village")
        .order_by("seat__village_id", "start")
    )


def _log(world: World, rng: random.Random, mentorship: Mentorship, mentors: list[Mentor], last: date) -> int:
    """Two or three guidance sessions between the start and `last` (never after today)."""
    last = min(last, world.today)
    span = (last - mentorship.start).days
    if span < 10:
        return 0
    days = sorted(rng.sample(range(7, span + 1), min(span - 6, rng.randint(2, 3))))
    for index, offset in enumerate(days):
        services.log_guidance(
            actor=world.actor,
            mentorship=mentorship,
            mentor=mentors[index % len(mentors)],
            on=mentorship.start + timedelta(days=offset),
            form=rng.choice(GuidanceForm.values[:4]),
            topic=rng.choice(TOPICS),
            content="结合村里当前工作面对面指导，布置下一步任务。",
        )
    return len(days)


def _has_room(mentor: Mentor, start: date, end: date | None, cap: int) -> bool:
    return services.peak_mentees(mentor, start, end) < cap


def _township_leaders(rng, actor, townships: dict[str, Division]) -> dict[str, list[Mentor]]:
    """Two members of each township's Party committee, mentors of the "1+N" pairings."""
    leaders: dict[str, list[Mentor]] = {}
    for code in sorted(townships):
        township = townships[code]
        leaders[code] = [
            services.create_mentor(
                actor=actor,
                kind=MentorKind.TOWNSHIP_LEADER,
                division=township,
                name=_name(rng),
                unit=f"{township.name}{title}",
            )
            for title in ("党委副书记", "党委委员、组织委员")
        ]
    return leaders


def _work_team(actor, paired: list, townships: dict[str, Division]) -> dict[str, Mentor]:
    """The work team's members, each serving in the township of his first pairing."""
    work_team: dict[str, Mentor] = {}
    for stint in paired:
        name = stint.pairing_members
        if name not in work_team:
            work_team[name] = services.create_mentor(
                actor=actor,
                kind=MentorKind.WORK_TEAM,
                division=townships[stint.township],
                name=name,
                unit="脱贫攻坚驻村工作队队员",
            )
    return work_team


def _pair_with_work_team(world: World, rng, stint, work_team, leaders, cap: int) -> bool:
    """The stint's pairing with its work team member (and a township leader for "1+N"), ended when the
    teams rotated or after a year; False when the cap refuses it."""
    start = stint.entered
    end = min(services.last_day_of_months(start, 12), WORK_TEAMS_ROTATED)
    mentors = [work_team[stint.pairing_members]]
    if stint.pairing == Pairing.ONE_TO_MANY:
        leader = next((m for m in leaders[stint.township] if _has_room(m, start, end, cap)), None)
        if leader is None:
            return False
        mentors.append(leader)
    if not _has_room(mentors[0], start, end, cap):
        return False  # the cap refuses it: the member already guides three reserves then
    mentorship = services.create_mentorship(
        actor=world.actor, mentee=stint.person, mentors=mentors, start=start, goals=rng.choice(GOALS)
    )
    _log(world, rng, mentorship, mentors, end)
    note = "驻村工作队轮换，结对结束" if end == WORK_TEAMS_ROTATED else "结对期满"
    services.end_mentorship(actor=world.actor, mentorship=mentorship, end=end, note=note)
    return True


def _former_secretaries_mentoring(world: World, rng) -> int:
    """Former village secretaries guiding one or two reserves of their village."""
    created = 0
    for term in _former_secretaries():
        mentor = services.create_mentor(
            actor=world.actor,
            kind=MentorKind.FORMER_SECRETARY,
            person=term.person,
            unit=f"原村党支部书记（{term.start.year}—{term.end.year}年）",
        )
        start = OLD_SECRETARIES_FROM + timedelta(days=rng.randint(0, 30))
        mentees = [s for s in world.stints if s.village == term.seat.village_id and s.in_pool(start)]
        for stint in rng.sample(mentees, min(len(mentees), rng.randint(1, 2))):
            mentorship = services.create_mentorship(
                actor=world.actor, mentee=stint.person, mentors=[mentor], start=start, goals=rng.choice(GOALS)
            )
            _log(world, rng, mentorship, [mentor], start + timedelta(days=540))
            created += 1
    return created


def build_mentoring(world: World) -> int:
    if _in_county(Mentor, "division__code").exists():
        return 0
    rng = _rng("mentoring")
    cap = services.rules_for(DEMO_COUNTY).mentee_cap
    townships = Division.objects.in_bulk(sorted({s.township for s in world.stints}))
    leaders = _township_leaders(rng, world.actor, townships)
    paired = sorted(
        (s for s in world.stints if s.pairing != Pairing.NONE and s.pairing_members in WORK_TEAM),
        key=lambda s: (s.entered, s.order),
    )
    work_team = _work_team(world.actor, paired, townships)
    created = sum(1 for stint in paired if _pair_with_work_team(world, rng, stint, work_team, leaders, cap))
    return created + _former_secretaries_mentoring(world, rng)


# -- secondments and practice posts ------------------------------------------------------------------------


def _busy(person: Person, start: date, end: date) -> bool:
    """A training of the person shares a day with [start, end] (a full-time secondment may not)."""
    return Enrolment.objects.filter(
        person=person, training__start__lte=end, training__end__gte=start
    ).exists()


def _secondment_post(rng, kind: str, stint, villages: list, models: list, townships: dict) -> tuple:
    """Where the reserve goes, the post he holds there and the goals, by kind of secondment."""
    if kind == SecondmentKind.SHADOWING:
        return (
            townships[stint.township],
            "党政综合办公室",
            "跟岗学习乡镇党建、乡村振兴和民生服务工作流程，熟悉上级政策",
        )
    if kind == SecondmentKind.CROSS_VILLAGE:
        near = [v for v in villages if v.code[:9] == stint.township and v.code != stint.village]
        return (
            rng.choice(near),
            "村党支部副书记",
            "到邻村兼任党支部副书记，协助抓班子带队伍，学习处理复杂村务",
        )
    host = rng.choice([v for v in models if v.code != stint.village])
    title = rng.choice(["村党支部书记助理", "村委会主任助理"])
    return host, title, "到示范村学习产业发展、集体经济运营和村级治理经验，回村后形成一份发展思路"


def _close_secondment(world: World, rng, secondment, host, planned_end: date, outcome: str) -> None:
    """The report (after an early end for `early`) and the host's evaluation; nothing for `overdue`."""
    if outcome == "overdue":
        return
    actual_end = planned_end - timedelta(days=rng.randint(30, 50)) if outcome == "early" else None
    last_day = actual_end or planned_end
    report = f"挂职期间参与{host.name}的村级事务和产业项目，学习了集体经济运营、群众工作方法等经验。"
    if outcome == "early":
        report += "因家中老人患病，经乡镇党委同意提前结束挂职。"
    services.submit_secondment_report(
        actor=world.actor,
        secondment=secondment,
        report=report,
        reported_on=last_day + timedelta(days=rng.randint(3, 15)),
        actual_end=actual_end,
    )
    grade = rng.choices([HostGrade.EXCELLENT, HostGrade.GOOD, HostGrade.FAIR], weights=[3, 5, 1])[0]
    services.evaluate_secondment(
        actor=world.actor,
        secondment=secondment,
        grade=grade,
        evaluation="工作积极主动，能够虚心学习，较快熟悉了村级事务。",
        evaluated_on=last_day + timedelta(days=rng.randint(5, 20)),
    )


def _free_for(candidates: list, taken: set[int], start: date, mode: str, planned_end: date):
    """The first reserve not yet placed, in the pool on `start`, and (full time) not in a training then."""
    return next(
        s
        for s in candidates
        if s.person.pk not in taken
        and s.in_pool(start)
        and not (mode == SecondmentMode.FULL_TIME and _busy(s.person, start, planned_end))
    )


def build_secondments(world: World, taken: set[int]) -> int:
    if _in_county(Secondment, "person__village__code").exists():
        return 0
    rng = _rng("secondments")
    villages = list(
        Division.objects.filter(code__startswith=DEMO_COUNTY).administrative_villages().order_by("code")
    )
    tagged = set(
        Division.objects.filter(
            code__startswith=DEMO_COUNTY, tags__name__in=["示范村", "明星村"]
        ).values_list("code", flat=True)
    )
    models = [v for v in villages if v.code in tagged] or villages  # 示范村 and 明星村 (builder's tags)
    townships = Division.objects.in_bulk({v.code[:9] for v in villages})
    candidates = [s for s in world.stints if s.left is None and s.person.pk not in taken]
    created = 0
    for kind, mode, months, start, outcome in SECONDMENTS:
        planned_end = services.last_day_of_months(start, months)
        rng.shuffle(candidates)
        stint = _free_for(candidates, taken, start, mode, planned_end)
        taken.add(stint.person.pk)
        host, title, goals = _secondment_post(rng, kind, stint, villages, models, townships)
        secondment = services.create_secondment(
            actor=world.actor,
            data=services.SecondmentInput(
                person=stint.person,
                kind=kind,
                mode=mode,
                host=host,
                start=start,
                planned_end=planned_end,
                goals=goals,
                post_title=title,
            ),
        )
        created += 1
        _close_secondment(world, rng, secondment, host, planned_end, outcome)
    return created


def build_practice_posts(world: World, taken: set[int]) -> int:
    if _in_county(PracticePost, "person__village__code").exists():
        return 0
    rng = _rng("practice")
    post_types = {p.code: p for p in PostType.objects.filter(code__in=PRACTICE_POSTS, is_practice=True)}
    holders = set(
        Term.objects.filter(person__in=[s.person for s in world.stints]).values_list("person_id", flat=True)
    )
    renominated = set(  # nominated again in 2021 (pipeline): left to that procedure
        Candidacy.objects.filter(
            person__in=[s.person for s in world.stints], entered_pool_on__isnull=True
        ).values_list("person_id", flat=True)
    )
    candidates = [
        s for s in world.stints if s.left is None and s.person.pk not in holders | renominated | taken
    ]
    villages: set[str] = set()
    created = 0
    for code, count in PRACTICE_POSTS.items():
        if code not in post_types:
            continue
        for _ in range(count):
            stint = rng.choice(
                [s for s in candidates if s.village not in villages and s.person.pk not in taken]
            )
            villages.add(stint.village)
            taken.add(stint.person.pk)
            _practice_post(world, rng, stint, post_types[code], number=created)
            created += 1
    return created


def _practice_post(world: World, rng, stint, post_type: PostType, *, number: int) -> None:
    """The `number`-th practice post: every third without a planned end, the first ones ended."""
    start = date(2021, 5, 10) + timedelta(days=rng.randint(0, 200))
    practice = services.assign_practice_post(
        actor=world.actor,
        person=stint.person,
        post_type=post_type,
        duties=DUTIES[post_type.code],
        start=start,
        planned_end=services.last_day_of_months(start, 12) if number % 3 != 2 else None,
    )
    if number < PRACTICE_ENDED:
        services.end_practice_post(
            actor=world.actor,
            practice_post=practice,
            end=services.last_day_of_months(start, 12 + rng.randint(0, 6)),
            note="锻炼期满，考核合格",
        )


# -- degree upgrading and growth plans ---------------------------------------------------------------------

# (education before, education aimed at, start, expected end, finished on, graduated)
DEGREES = (
    ({"31"}, "21", date(2021, 3, 1), date(2023, 1, 10), date(2023, 1, 16), True),
    ({"31"}, "21", date(2021, 9, 1), date(2023, 7, 1), date(2023, 7, 8), True),
    ({"61", "71"}, "31", date(2021, 9, 1), date(2024, 1, 10), date(2022, 10, 9), False),
)


def build_degree_studies(world: World, taken: set[int]) -> int:
    """Two 大专 → 本科 graduations and one withdrawal from 高中/初中 → 大专: nobody changes education band."""
    if _in_county(DegreeStudy, "person__village__code").exists():
        return 0
    rng = _rng("degrees")
    created = 0
    for before, aimed, start, expected_end, finished_on, graduated in DEGREES:
        stint = rng.choice(
            [
                s
                for s in world.stints
                if s.person.highest_education in before and s.in_pool(start) and s.person.pk not in taken
            ]
        )
        taken.add(stint.person.pk)
        study = services.create_degree_study(
            actor=world.actor,
            person=stint.person,
            programme="村干部学历提升行动",
            school="国家开放大学（宁夏开放大学）",
            major=rng.choice(MAJORS),
            education=aimed,
            start=start,
            expected_end=expected_end,
            funding=rng.choice([Funding.PUBLIC, Funding.MIXED]),
            note="财政补助学费的 50%" if created == 0 else "",
        )
        services.finish_degree_study(
            actor=world.actor, study=study, graduated=graduated, finished_on=finished_on
        )
        created += 1
    return created


OPEN_ENDED_DUE = date(2022, 12, 31)  # the due date of a step whose record has no planned end


def _placements(person: Person):
    """(kind, title, the person's first record of the kind or None, its planned last day)."""
    secondment = Secondment.objects.filter(person=person).order_by("start", "pk").first()
    practice = PracticePost.objects.filter(person=person).order_by("start", "pk").first()
    study = DegreeStudy.objects.filter(person=person).order_by("start", "pk").first()
    mentorship = Mentorship.objects.filter(mentee=person).order_by("start", "pk").first()
    return (
        (ItemKind.SECONDMENT, "挂职锻炼", secondment, secondment and secondment.planned_end),
        (ItemKind.PRACTICE_POST, "实岗锻炼", practice, practice and (practice.planned_end or practice.end)),
        (ItemKind.DEGREE, "学历提升", study, study and study.expected_end),
        (ItemKind.MENTORING, "传帮带结对", mentorship, mentorship and mentorship.end),
    )


def build_growth_plans(world: World) -> int:
    if _in_county(GrowthPlan, "person__village__code").exists():
        return 0
    rng = _rng("growth")
    actor = world.actor
    keys = [s for s in world.stints if s.key_cultivation and s.left is None]
    chosen = sorted(rng.sample(keys, min(GROWTH_PLANS, len(keys))), key=lambda s: s.order)
    rotation = Training.objects.filter(division_id=DEMO_COUNTY, name=ROTATION_2021.name).first()
    for stint in chosen:
        person = stint.person
        drawn_up = date(2021, 5, 6) + timedelta(days=rng.randint(0, 40))
        services.save_growth_plan(actor=actor, person=person, goals=rng.choice(GOALS), drawn_up_on=drawn_up)
        enrolled = rotation is not None and rotation.enrolments.filter(person=person).exists()
        services.add_plan_item(
            actor=actor,
            person=person,
            kind=ItemKind.TRAINING,
            title="参加2021年村级后备力量集中轮训",
            planned_start=date(2021, 6, 1),
            due=date(2021, 6, 30),
            link=rotation if enrolled else None,
        )
        meetings = services.add_plan_item(
            actor=actor,
            person=person,
            kind=ItemKind.OTHER,
            title="列席村“两委”会议，每季度不少于 1 次",
            planned_start=date(2021, 7, 1),
            due=date(2021, 12, 31),
        )
        if rng.random() < 0.7:
            services.complete_plan_item(
                actor=actor, item=meetings, done_on=date(2021, 12, rng.randint(20, 30))
            )
        # The first of his placements (or his mentorship) is a step of the plan, linked to its record.
        for kind, title, record, due in _placements(person):
            if record is not None:
                services.add_plan_item(
                    actor=actor,
                    person=person,
                    kind=kind,
                    title=title,
                    planned_start=record.start,
                    due=due or OPEN_ENDED_DUE,
                    link=record,
                )
                break
        else:
            project = services.add_plan_item(
                actor=actor,
                person=person,
                kind=ItemKind.OTHER,
                title="领办一件为民办实事项目",
                planned_start=date(2022, 1, 1),
                due=date(2022, 6, 30),
            )
            if rng.random() < 0.5:
                services.complete_plan_item(
                    actor=actor, item=project, done_on=date(2022, 6, rng.randint(10, 28))
                )
    return len(chosen)


# -- the whole ---------------------------------------------------------------------------------------------


@transaction.atomic
def build_cultivation(reserves: list[Person] | None = None, actor=None) -> dict[str, int]:
    """Create the parts of the demo's cultivation the county does not have yet; return what was created."""
    if reserves is None:
        from yanzhen.demo.people import demo_reserves

        reserves = demo_reserves()
    if actor is None:
        from yanzhen.accounts.models import User

        actor = User.objects.get(username=DEMO_ADMIN)
    world = World(actor=actor, stints=stints(reserves), today=timezone.localdate())
    taken: set[int] = set()  # one placement (practice post, secondment or degree study) per reserve
    return {
        "trainings": build_trainings(world),
        "mentorships": build_mentoring(world),
        "practice_posts": build_practice_posts(world, taken),
        "secondments": build_secondments(world, taken),
        "degree_studies": build_degree_studies(world, taken),
        "growth_plans": build_growth_plans(world),
    }
