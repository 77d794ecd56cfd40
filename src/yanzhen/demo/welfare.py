"""The demo's 待遇保障 (issue 18 §3) in 盐池县: the county's pay schemes (from January 2021, the secretary's raised
from January of this year), its performance rule (100/85/60/0 %), the insurance it requires (养老, 医疗), an
allowance rule (key posts, age 60, 免职/罢免 disqualifies; 10 years 300 元, 15 years 500 元) with six former
secretaries and chairs of 花马池镇 whose earlier terms end at the 2021 election (or before it: one 免职), insurance
and this year's health check for the county's sitting cadres, a few of 花马池镇 without (so both warnings show), and the
last complete month's scores of 花马池镇's committees but three (so its pay sheet shows grades and 未考评).

Everything goes through the services with the demo administrator as the actor. Idempotent: each part is
written only while the county (or 花马池镇) has none of it. Deterministic for the day it is built."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from yanzhen.assessments.incumbents import services as incumbents
from yanzhen.assessments.models import MonthlyScore
from yanzhen.core import bulk
from yanzhen.core.dates import add_months
from yanzhen.demo.incumbents import ITEMS
from yanzhen.demo.people import DEMO_ADMIN, DEMO_COUNTY
from yanzhen.divisions.models import Division
from yanzhen.people.idcard import make_id_number
from yanzhen.people.models import Person
from yanzhen.people.services import PersonInput, create_person
from yanzhen.posts.models import PostType, Seat, Term, TermEndReason
from yanzhen.welfare import services
from yanzhen.welfare.models import AllowanceRule, HealthCheck, InsurancePolicy, PayScheme

SEED = 6403232027
TOWNSHIP = f"{DEMO_COUNTY}100"  # 花马池镇
D = Decimal
# post type → (base, allowance, performance base), yuan a month, from January 2021
SCHEMES = {
    "secretary": ("2600", "400", "1200"),
    "chair": ("2400", "300", "1000"),
    "deputy_secretary": ("2000", "200", "800"),
    "deputy_chair": ("2000", "200", "800"),
    "member": ("1600", "150", "600"),
    "supervision_chair": ("1200", "100", "400"),
}
RAISED_SECRETARY = ("2800", "400", "1200")  # from January of this year
# (name, born, post, years served up to the end, ended how, and when when not at the 2021 election)
FORMER = [
    ("王德明", date(1952, 3, 12), "secretary", 19, TermEndReason.ELECTION, None),
    ("马福贵", date(1958, 8, 20), "secretary", 12, TermEndReason.ELECTION, None),
    ("李成林", date(1968, 5, 6), "secretary", 15, TermEndReason.ELECTION, None),
    ("张玉兰", date(1960, 2, 14), "chair", 10, TermEndReason.ELECTION, None),
    ("杨占山", date(1955, 11, 1), "secretary", 16, TermEndReason.DISMISSED, date(2016, 6, 1)),
    ("刘万才", date(1957, 4, 4), "secretary", 7, TermEndReason.ELECTION, None),
]
# The sitting cadres of 花马池镇 left without a policy or a check (every n-th person of the county, by pk order).
NO_MEDICAL_EVERY, NO_PENSION_EVERY, NO_CHECK_EVERY = 17, 29, 11
UNSCORED = 3


def _actor():
    from yanzhen.accounts.models import User

    return User.objects.get(username=DEMO_ADMIN)


def _county() -> Division:
    return Division.objects.get(code=DEMO_COUNTY)


def _schemes(actor, today: date) -> int:
    if PayScheme.objects.filter(county_id=DEMO_COUNTY).exists():
        return 0
    plans = [(code, date(2021, 1, 1), values) for code, values in SCHEMES.items()]
    plans.append(("secretary", today.replace(month=1, day=1), RAISED_SECRETARY))
    for code, month, (base, allowance, performance) in plans:
        services.save_pay_scheme(
            actor=actor,
            county=_county(),
            data=services.SchemeInput(
                PostType.objects.get(code=code), month, D(base), D(allowance), D(performance)
            ),
        )
    services.save_performance_rule(
        actor=actor,
        county=_county(),
        effective_from=date(2021, 1, 1),
        percents={"excellent": 100, "competent": 85, "basically_competent": 60, "incompetent": 0},
    )
    services.save_required_kinds(actor=actor, county=_county(), kinds=["pension", "medical"])
    return len(plans)


def _first_term_start(seat: Seat) -> date | None:
    first = Term.objects.filter(seat=seat).order_by("start").first()
    return first.start if first else None


def _former(actor) -> int:
    if AllowanceRule.objects.filter(county_id=DEMO_COUNTY).exists():
        return 0
    services.save_allowance_rule(
        actor=actor,
        county=_county(),
        data=services.AllowanceInput(
            min_age=60, post_types=[], disqualifying=["dismissed"], bands=[(10, D("300")), (15, D("500"))]
        ),
    )
    made = 0
    villages = list(Division.objects.filter(parent_id=TOWNSHIP).order_by("code"))
    for index, (name, born, post, years, reason, ended) in enumerate(FORMER):
        seat = Seat.objects.filter(village=villages[-1 - index], post_type__code=post, number=1).first()
        first = _first_term_start(seat) if seat else None
        if seat is None or first is None:
            continue
        end = min(ended or first, first)
        start = add_months(end, -12 * years)
        person = create_person(
            actor=actor,
            data=PersonInput(
                name=name,
                id_number=make_id_number(DEMO_COUNTY, born, 901 + 2 * index - (1 if name == "张玉兰" else 0)),
                village=seat.village,
                political_status="01",
            ),
        )
        Term.objects.create(
            seat=seat,
            person=person,
            start=start,
            end=end,
            end_reason=reason,
            end_note="违反换届纪律被免职" if reason == TermEndReason.DISMISSED else "",
        )
        made += 1
    return made


def _coverage(actor, today: date) -> tuple[int, int]:
    """养老 and 医疗 for every sitting cadre of the county from March 2021 (人身意外 for one in three) and a check
    this year; in 花马池镇 a few go without one or the other, so that both warnings list a few people there.
    Written in bulk with their history rows (some 1,500 records; the services' checks are the tests')."""
    in_county = {"person__village__code__startswith": DEMO_COUNTY}
    if (
        InsurancePolicy.objects.filter(**in_county).exists()
        or HealthCheck.objects.filter(**in_county).exists()
    ):
        return 0, 0
    people = list(
        Person.objects.filter(
            pk__in=Term.objects.current(today)
            .filter(seat__village__code__startswith=DEMO_COUNTY)
            .values("person_id")
        ).order_by("pk")
    )
    rng = random.Random(f"{SEED}-coverage")
    policies: list[InsurancePolicy] = []
    checks: list[HealthCheck] = []
    year_start = date(today.year, 1, 1)
    for number, person in enumerate(people, start=1):
        gaps = person.village_id.startswith(TOWNSHIP)
        plans = []
        if not (gaps and number % NO_PENSION_EVERY == 0):
            plans.append(("pension", "城乡居民基本养老保险（盐池县社会保险事业管理中心）"))
        if not (gaps and number % NO_MEDICAL_EVERY == 0):
            plans.append(("medical", "城乡居民基本医疗保险（盐池县医疗保障局）"))
        if number % 3 == 0:
            plans.append(("accident", "中国人寿盐池支公司 村干部团体意外险"))
        policies += [
            InsurancePolicy(
                person=person, kind=kind, insurer=insurer, starts_on=date(2021, 3, 1), created_by=actor
            )
            for kind, insurer in plans
        ]
        if not (gaps and number % NO_CHECK_EVERY == 0):
            day = year_start + (today - year_start) * rng.uniform(0.1, 0.9)
            checks.append(
                HealthCheck(
                    person=person, checked_on=day, institution="盐池县人民医院体检中心", created_by=actor
                )
            )
    bulk.insert_with_history(policies, user=actor)
    bulk.insert_with_history(checks, user=actor)
    return len(policies), len(checks)


def _scores(actor, today: date) -> int:
    """The last complete month's scores of 花马池镇's committees, but for three terms (未考评 on the sheet)."""
    month = add_months(today.replace(day=1), -1)
    if MonthlyScore.objects.filter(term__seat__village__parent_id=TOWNSHIP, month=month).exists():
        return 0
    items = incumbents.score_items(DEMO_COUNTY)
    if [(item.name, item.points) for item in items] != ITEMS:
        return 0  # the county has its own items: the demo's scores would not fit them
    terms = list(
        Term.objects.filter(
            seat__village__parent_id=TOWNSHIP,
            seat__post_type__is_practice=False,
            start__lt=add_months(month, 1),
        )
        .filter(Q(end__isnull=True) | Q(end__gt=month))
        .order_by("seat__village_id", "seat__post_type__order", "seat__number", "pk")
    )
    rng = random.Random(f"{SEED}-scores")
    made = 0
    for index, term in enumerate(terms):
        if index % max(len(terms) // UNSCORED, 1) == 7:
            continue  # not scored yet: 未考评 on the sheet
        quality = rng.choice([0.97, 0.93, 0.86, 0.82, 0.78, 0.74, 0.66, 0.55])
        scores = [round(points * quality) for _name, points in ITEMS]
        incumbents.record_monthly_score(
            actor=actor,
            term=term,
            month=month,
            scores={item.pk: score for item, score in zip(items, scores, strict=True)},
        )
        made += 1
    return made


def build_welfare(actor=None, today: date | None = None) -> dict[str, int]:
    actor = actor or _actor()
    today = today or timezone.localdate()
    policies, checks = _coverage(actor, today)
    return {
        "schemes": _schemes(actor, today),
        "former": _former(actor),
        "policies": policies,
        "checks": checks,
        "scores": _scores(actor, today),
    }
