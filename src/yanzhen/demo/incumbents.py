"""The demo's incumbents (在职村干部, seed 001) of 盐池县: the county's monthly scoring items (月考评), the monthly
scores of the village committees of four townships and their 双述双评 of the previous year, written through
`assessments.incumbents.services` with the demo administrator as the actor.

Which months. The six complete months before today, not before 2021-04-19 (the date of seed 000), because:
- the demo committees were elected in January 2021 (`people`): the six months before 2021-04-19 lie mostly before
  their terms began, so no current term could have six months of scores there;
- 月考评 is read month by month (the village's incumbents page opens on the current month) and analysed every half
  year (seed 001: 每半年对村干部履职情况开展一次分析研判): the last six complete months are what a clerk looks at;
- the month in progress is not complete, and the service refuses months to come.
So this part depends on the day it is built (the same data for the same day). 双述双评 is held at the end of each
year (seed 001: 每年年底): the reviews are those of the previous year, in its last weeks.

Who. Every term held in those months on the village committees (the 两委: the stats app's "committee", without the
practice posts and the 村务监督委员会) of four townships: 大水坑镇, whose clerk is a demo account, and the three
smallest, 高沙窝镇, 冯记沟乡 and 青山乡 — about 210 terms. Every score goes through the service (some 6 ms each), so
the number of townships is what the demo's build time pays for: 花马池镇 alone has 128 such terms. A person
holding two seats (一肩挑) gets one score a month, entered on both terms.

Scores are good on the whole (totals from 61, most in the 80s; each person has his own level); eight months are
under 60 (不称职 under the default bands), two incumbents' in two consecutive months (the case a county rule on
incumbents looks for), four others' once. The reviews of those six are less satisfied. Idempotent: the items are
set only while the county has none; scores and reviews only while none exist in these townships. Deterministic:
`plan_scores` and `plan_reviews` are pure functions of the terms and the months, and the build writes exactly them.
"""

from __future__ import annotations

import calendar
import random
from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from yanzhen.assessments.incumbents import rules as incumbent_rules
from yanzhen.assessments.incumbents import services as incumbents
from yanzhen.assessments.models import AnnualReview, Grade, IncumbentRule, MonthlyScore
from yanzhen.cultivation.services import add_months
from yanzhen.demo.people import DEMO_ADMIN, DEMO_COUNTY
from yanzhen.divisions.models import Division
from yanzhen.posts.models import Term

SEED = 6403232026
ITEMS = [("工作实绩", 40), ("工作作风", 20), ("坐班值班", 20), ("群众满意", 20)]
TOWNSHIPS = ("640323101", "640323103", "640323201", "640323202")  # 大水坑镇 高沙窝镇 冯记沟乡 青山乡
MONTHS = 6
# Low months (totals under 60), as indexes into the six months, oldest first: two incumbents in two consecutive
# months (one in the middle of the half-year, then better; one in the last two months), four others once.
LOW_STREAKS = ((2, 3), (4, 5))
LOW_SINGLES = (0, 1, 3, 5)
LOW_NOTES = [
    "未按要求坐班值班，群众反映办事找不到人",
    "村集体经济项目推进滞后，工作实绩不突出",
    "防返贫监测走访不到位，被乡镇通报",
    "多次无故缺席村“两委”会议",
]
REPORT_DONE = [
    "带领群众发展滩羊养殖和黄花菜种植，村集体经济收入稳步增长",
    "完成了村级道路硬化和人居环境整治任务",
    "落实防返贫动态监测，全年走访农户全覆盖",
    "调处矛盾纠纷，做到小事不出村",
    "规范“三会一课”和“四议两公开”，党务村务财务按时公开",
    "推进农村电商服务站建设，帮助农户网上销售小杂粮",
]
REPORT_SHORT = ["学习政策不够深入", "带富能力还需提高", "工作方法有时简单", "入户走访还不够经常"]


def score_months(today: date) -> list[date]:
    """The first days of the six complete months before today's month, oldest first."""
    current = today.replace(day=1)
    return [add_months(current, -back) for back in range(MONTHS, 0, -1)]


def _held(term: Term, month: date) -> bool:
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    return term.start <= last and (term.end is None or term.end > month)


def committee_terms(months: list[date]) -> list[Term]:
    """The committee terms of the four townships held during any of the months, in a stable order."""
    terms = (
        Term.objects.filter(seat__village__parent_id__in=TOWNSHIPS, seat__post_type__is_practice=False)
        .exclude(seat__post_type__code="supervision_chair")
        .select_related("person", "seat__village", "seat__post_type")
        .order_by("seat__village_id", "seat__post_type__order", "seat__number", "start")
    )
    return [term for term in terms if any(_held(term, month) for month in months)]


def _normal(rng: random.Random, quality: float) -> list[int]:
    return [round(points * min(1.0, max(0.62, rng.gauss(quality, 0.04)))) for _name, points in ITEMS]


def _low(rng: random.Random) -> list[int]:
    scores = [round(points * rng.uniform(0.38, 0.58)) for _name, points in ITEMS]
    assert sum(scores) < 60
    return scores


def plan_scores(terms: list[Term], months: list[date]) -> dict[tuple[int, date], tuple[list[int], str]]:
    """(person, month) → (item scores in the order of ITEMS, note), for the months each person held a term."""
    rng = random.Random(f"{SEED}-scores")
    people = list(dict.fromkeys(term.person_id for term in terms))
    seats = defaultdict(int)
    for term in terms:
        seats[term.person_id] += 1
    # Low months go to people with one seat, so that each low month is one score.
    single = [person for person in people if seats[person] == 1]
    chosen = rng.sample(single, len(LOW_STREAKS) + len(LOW_SINGLES))
    low = {}
    for person, indexes in zip(chosen, [*LOW_STREAKS, *((index,) for index in LOW_SINGLES)], strict=True):
        for index in indexes:
            low[(person, months[index])] = rng.choice(LOW_NOTES)
    plan = {}
    for person in people:
        quality = min(0.95, max(0.72, rng.gauss(0.86, 0.05)))
        for month in months:
            if (person, month) in low:
                plan[(person, month)] = (_low(rng), low[(person, month)])
            else:
                plan[(person, month)] = (_normal(rng, quality), "")
    return plan


def _report(rng: random.Random, term: Term, year: int) -> str:
    done = "；".join(rng.sample(REPORT_DONE, 3))
    return (
        f"{year}年，我担任{term.seat.village.name}{term.seat.post_type.name}，{done}。"
        f"存在的不足：{rng.choice(REPORT_SHORT)}。下一步将围绕乡村振兴，抓好产业发展和基层治理。"
    )


def plan_reviews(terms: list[Term], months: list[date], year: int) -> dict[int, incumbents.ReviewInput]:
    """Term → its 双述双评 of `year`, held in the year's last weeks, for the terms held from October of that year
    to its end. People with a month under 60 in `plan_scores` find their villagers less satisfied."""
    rng = random.Random(f"{SEED}-reviews-{year}")
    weak = {
        person for (person, _month), (scores, _note) in plan_scores(terms, months).items() if sum(scores) < 60
    }
    plan = {}
    for term in terms:
        if term.start > date(year, 10, 1) or (term.end is not None and term.end <= date(year, 12, 31)):
            continue
        voters = rng.randint(35, 80)
        if term.person_id in weak:
            dissatisfied = round(voters * rng.uniform(0.12, 0.25))
            basically = round(voters * rng.uniform(0.25, 0.35))
        else:
            dissatisfied = rng.randint(0, 3)
            basically = round(voters * rng.uniform(0.05, 0.2))
        plan[term.pk] = incumbents.ReviewInput(
            year=year,
            report_text=_report(rng, term, year),
            satisfied=voters - basically - dissatisfied,
            basically_satisfied=basically,
            dissatisfied=dissatisfied,
            reviewed_on=date(year, 12, rng.randint(15, 30)),
        )
    return plan


@transaction.atomic
def build_incumbents(actor=None, today: date | None = None) -> dict[str, int]:
    """Create the scoring items, monthly scores and annual reviews the demo county does not have yet."""
    if actor is None:
        from yanzhen.accounts.models import User

        actor = User.objects.get(username=DEMO_ADMIN)
    today = today or timezone.localdate()
    created = {"items": 0, "scores": 0, "rules": 0, "reviews": 0}
    items = incumbents.score_items(DEMO_COUNTY)
    if not items:
        county = Division.objects.get(code=DEMO_COUNTY)
        items = incumbents.save_score_items(actor=actor, county=county, items=ITEMS)
        created["items"] = len(items)
    if [(item.name, item.points) for item in items] != ITEMS:
        return created  # the county has its own items: the demo's scores would not fit them
    months = score_months(today)
    terms = committee_terms(months)
    in_townships = {"term__seat__village__parent_id__in": TOWNSHIPS}
    if not MonthlyScore.objects.filter(**in_townships).exists():
        plan = plan_scores(terms, months)
        for term in terms:
            for month in months:
                if not _held(term, month):
                    continue
                scores, note = plan[(term.person_id, month)]
                incumbents.record_monthly_score(
                    actor=actor,
                    term=term,
                    month=month,
                    scores={item.pk: score for item, score in zip(items, scores, strict=True)},
                    note=note,
                )
                created["scores"] += 1
    if not IncumbentRule.objects.filter(county_id=DEMO_COUNTY).exists():
        # Added after the scores so that they are evaluated once, county-wide: two incumbents of the demo
        # have two consecutive months under 60 and get an adjustment proposal to decide on.
        incumbent_rules.add_rule(
            actor=actor, county=Division.objects.get(code=DEMO_COUNTY), grade=Grade.INCOMPETENT, months=2
        )
        created["rules"] = 1
    if not AnnualReview.objects.filter(**in_townships).exists():
        reviews = plan_reviews(terms, months, today.year - 1)
        for term in terms:
            if term.pk in reviews:
                incumbents.record_annual_review(actor=actor, term=term, data=reviews[term.pk])
                created["reviews"] += 1
    return created


# 处分记录: one sitting 两委委员 of 花马池镇 under a 党内警告 whose 影响期 runs (flagged for the township, with a
# 容错免责 application awaiting the county), and one whose 政务警告 of 2021 is long over (on his archive only). Neither is a reserve in the pool, so no removal
# proposal is made and the demo's figures of the pool stay as they are.
DISCIPLINE_ISSUER = "中共盐池县纪律检查委员会"
DISCIPLINE_TOWNSHIP = f"{DEMO_COUNTY}100"


def build_conduct(actor=None, today: date | None = None) -> dict[str, int]:
    from yanzhen.assessments import services as assessment_services
    from yanzhen.assessments.models import DisciplineRecord
    from yanzhen.candidacies.models import Candidacy, CandidacyState

    if actor is None:
        from yanzhen.accounts.models import User

        actor = User.objects.get(username=DEMO_ADMIN)
    today = today or timezone.localdate()
    in_township = {"person__village__code__startswith": DISCIPLINE_TOWNSHIP}
    if DisciplineRecord.objects.filter(**in_township).exists():
        return {"discipline": 0}
    in_pool = Candidacy.objects.filter(state=CandidacyState.IN_POOL).values("person_id")
    members = list(
        Term.objects.current(today)
        .filter(seat__village__parent_id=DISCIPLINE_TOWNSHIP, seat__post_type__code="member")
        .exclude(person_id__in=in_pool)
        .select_related("person")
        .order_by("seat__village_id", "pk")[:2]
    )
    plans = [
        ("party_warning", add_months(today, -5), "村集体资金收支公开不及时，群众反映较大"),
        ("warning", date(2021, 4, 12), "换届期间违规代签选票"),
    ]
    records = [
        assessment_services.record_discipline(
            actor=actor,
            person=term.person,
            data=assessment_services.DisciplineInput(measure, decided_on, DISCIPLINE_ISSUER, "", matter),
        )
        for term, (measure, decided_on, matter) in zip(members, plans, strict=False)
    ]
    if records:
        # The township asks the county to tolerate the running one: a 容错免责 application awaiting it.
        assessment_services.apply_for_tolerance(
            actor=actor,
            person=records[0].person,
            data=assessment_services.ToleranceInput(
                "防汛期间临机调用村集体资金采购沙袋，事后补办审批手续",
                min(today, records[0].decided_on + timedelta(days=20)),
                "为抢险救灾、出于公心，未谋取私利，已及时纠正",
                discipline=records[0],
            ),
        )
    return {"discipline": len(records), "tolerance": min(len(records), 1)}
