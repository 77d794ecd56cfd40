"""The demo county's collective income by year and two village pairs (issue 19 §2): a 软弱涣散村 of 花马池镇
helped by the village the suggestions rank first, and two villages of 大水坑镇 working together; and a
练兵比武 of the county's secretaries (§3).

Idempotent: a village with a series keeps it, a pair of the same name is left alone."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from yanzhen.accounts.models import User
from yanzhen.core.guards import today
from yanzhen.divisions import income
from yanzhen.divisions.models import Division, VillageIncome
from yanzhen.pairing import services
from yanzhen.pairing.models import PairKind, VillagePair
from yanzhen.pairing.suggest import WEAK_TAG, suggest

YEARS = 5


def _series(county: str, actor: User) -> None:
    """Five years ending last year at each village's value today, each year a little below the next."""
    rng = random.Random(int(county))
    last = today().year - 1
    have = set(
        VillageIncome.objects.filter(village__code__startswith=county).values_list("village_id", flat=True)
    )
    rows = []
    for code, amount in (
        Division.objects.filter(code__startswith=county, collective_income__isnull=False)
        .order_by("code")
        .values_list("code", "collective_income")
    ):
        if code in have or amount is None:
            continue
        value = amount
        for year in range(last, last - YEARS, -1):
            rows.append(VillageIncome(village_id=code, year=year, amount=value, recorded_by=actor))
            value = (value / (Decimal(1) + Decimal(rng.randint(2, 25)) / Decimal(100))).quantize(
                Decimal("0.01")
            )
    bulk_create_with_history(rows, VillageIncome, default_user=actor, batch_size=500)


def _weak_village(township: str) -> Division | None:
    return (
        Division.objects.filter(parent_id=township, tags__name=WEAK_TAG)
        .administrative_villages()
        .order_by("code")
        .first()
    )


def _helped_pair(actor: User, township: str) -> None:
    name = "花马池镇强弱联建"
    weak = (
        _weak_village(township)
        or Division.objects.filter(parent_id=township).administrative_villages().order_by("code").last()
    )
    if VillagePair.objects.filter(name=name).exists() or weak is None:
        return
    ranked, _left_out = suggest(actor, weak, PairKind.STRONG_WEAK, today())
    helper = next(s.place.code for s in ranked if s.place.code.startswith(township))
    start = date(today().year - 1, 3, 1)
    pair = services.create_pair(
        actor=actor,
        data=services.PairInput(
            name=name,
            kind=PairKind.STRONG_WEAK,
            start=start,
            end=date(today().year + 1, 2, 28),
            goals="帮助受帮扶村理顺班子、发展滩羊养殖合作社，两年内村集体经济收入增长 50% 以上。",
            helpers=[helper],
            helped=[weak.code],
        ),
    )
    for held_on, title, who in (
        (date(start.year, 4, 12), "两村“两委”班子联席会，制定帮扶计划", "两村“两委”班子成员"),
        (date(start.year, 6, 20), "赴帮扶村观摩滩羊养殖合作社", "受帮扶村党员、养殖户 18 人"),
        (date(start.year, 10, 15), "联合举办电商培训", "两村青年 26 人"),
        (date(start.year + 1, 3, 8), "年度帮扶成效回头看", "镇党委组织委员、两村书记"),
    ):
        if held_on <= today():
            services.record_activity(actor=actor, pair=pair, data=services.ActivityInput(held_on, title, who))
    # The helped village's income since: recorded as the pair's effect (this year's figure is not yet in).
    before = (
        VillageIncome.objects.filter(village_id=weak.code, year=start.year - 1)
        .values_list("amount", flat=True)
        .first()
    )
    if before is not None:
        income.record_income(
            actor=actor,
            village_code=weak.code,
            year=start.year,
            amount=(before * Decimal("1.32")).quantize(Decimal("0.01")),
            note="结对后第一年",
        )


def _partner_pair(actor: User, township: str) -> None:
    name = "大水坑镇强强联合"
    if VillagePair.objects.filter(name=name).exists():
        return
    villages = list(
        Division.objects.filter(parent_id=township)
        .administrative_villages()
        .exclude(tags__name=WEAK_TAG)
        .order_by("-collective_income", "code")
        .values_list("code", flat=True)[:2]
    )
    if len(villages) < 2:
        return
    pair = services.create_pair(
        actor=actor,
        data=services.PairInput(
            name=name,
            kind=PairKind.STRONG_STRONG,
            start=date(today().year, 1, 1),
            end=None,
            goals="共建黄花菜加工车间，统一品牌、统一销售。",
            helpers=villages,
            helped=[],
        ),
    )
    held_on = date(today().year, 2, 18)
    if held_on <= today():
        services.record_activity(
            actor=actor,
            pair=pair,
            data=services.ActivityInput(held_on, "共建加工车间选址会", "两村书记、主任"),
        )


def _contest(actor: User, county: str, township: str) -> None:
    """练兵比武: the county's contest of its village secretaries, with the results of 花马池镇's six first."""
    from yanzhen.posts.models import Term
    from yanzhen.rankings import services as contests
    from yanzhen.rankings.models import Contest

    name = "村党组织书记练兵比武"
    if Contest.objects.filter(name=name).exists():
        return
    held_on = (
        date(today().year, 5, 20) if date(today().year, 5, 20) <= today() else date(today().year - 1, 5, 20)
    )
    contest = contests.create_contest(
        actor=actor,
        data=contests.ContestInput(
            organiser=Division.objects.get(code=county),
            name=name,
            kind="person",
            held_on=held_on,
            subject="政策理论测试、村务实操、现场答辩",
        ),
    )
    secretaries = (
        Term.objects.filter(
            seat__village__code__startswith=township, seat__post_type__code="secretary", end__isnull=True
        )
        .select_related("person")
        .order_by("seat__village_id")[:6]
    )
    awards = ["一等奖", "二等奖", "二等奖", "三等奖", "三等奖", "优秀奖"]
    for rank, (term, award) in enumerate(zip(secretaries, awards, strict=False), start=1):
        contests.record_result(
            actor=actor,
            contest=contest,
            data=contests.ResultInput(
                person=term.person, rank=rank, award=award, score=Decimal(98 - rank * 3)
            ),
        )


@transaction.atomic
def build_pairing(county: str, townships: tuple[str, str]) -> None:
    actor = User.objects.get(username="county")
    _series(county, actor)
    _helped_pair(actor, townships[0])
    _partner_pair(actor, townships[1])
    _contest(actor, county, townships[0])
