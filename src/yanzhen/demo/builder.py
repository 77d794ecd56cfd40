"""The demo county 盐池县 (640323): divisions from the package data, village attributes, demo accounts, the
committees and reserves (`people`), the reserve pipeline (`pipeline`), cultivation (`cultivation`) and the
incumbents' monthly scores and 双述双评 (`incumbents`), the demo carried forward to today (`present`) and the
2026 村"两委"换届 in progress (`election`).

Idempotent: running it again changes nothing that is already there (passwords are reset to the demo ones).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from yanzhen.accounts.roles import Role
from yanzhen.accounts.services import create_or_update_user
from yanzhen.candidacies.models import CountyRules
from yanzhen.core.planner import refresh_after_bulk_load
from yanzhen.demo.cultivation import build_cultivation
from yanzhen.demo.duty import build_duty
from yanzhen.demo.election import build_election
from yanzhen.demo.filings import build_filings
from yanzhen.demo.incumbents import build_conduct, build_incumbents
from yanzhen.demo.ninebox import build_ninebox
from yanzhen.demo.pairing import build_pairing
from yanzhen.demo.people import build_people, demo_reserves
from yanzhen.demo.pipeline import build_pipeline
from yanzhen.demo.present import build_present
from yanzhen.demo.professional import build_professional_secretaries
from yanzhen.demo.prospects import build_prospects
from yanzhen.demo.reports_up import build_reports_up
from yanzhen.demo.succession import build_succession
from yanzhen.demo.surveys import build_survey_feed, build_surveys
from yanzhen.demo.welfare import build_welfare
from yanzhen.divisions.importer import import_divisions
from yanzhen.divisions.models import Division, Industry, VillageTag

SEED_DIR = Path(__file__).resolve().parent.parent / "divisions" / "data" / "seed"
SEED_COUNTIES = ("640323", "621202", "511903", "441825", "410926")
DEMO_COUNTY = "640323"  # 宁夏 吴忠市 盐池县
HUAMACHI = "640323100"  # 花马池镇
DEMO_PASSWORD = "Yanzhen@2026"
# The 监督电话 the county's 公示 print (a made-up number in 盐池's 0953 area code), so no demo notice is blank.
DEMO_SUPERVISION_PHONE = "0953-6012345"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    division: str
    role: Role
    note: str


def demo_accounts() -> list[DemoAccount]:
    first_village = (
        Division.objects.filter(parent_id=HUAMACHI)
        .administrative_villages()
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )
    return [
        DemoAccount("county", "县委组织部管理员", DEMO_COUNTY, Role.ADMIN, "盐池县委组织部"),
        DemoAccount("huamachi", "花马池镇组织委员", HUAMACHI, Role.TOWNSHIP_CLERK, "花马池镇"),
        DemoAccount("dashuikeng", "大水坑镇组织委员", "640323101", Role.TOWNSHIP_CLERK, "大水坑镇"),
        DemoAccount(
            "cunshuji", "村党组织书记", first_village or HUAMACHI, Role.VILLAGE_SECRETARY, "花马池镇的一个村"
        ),
        DemoAccount("auditor", "审计员", DEMO_COUNTY, Role.AUDITOR, "盐池县，只读"),
        # 县委分管领导 (issue 20 §3): the county's figures and to-dos, names only (accounts.leader).
        DemoAccount("lingdao", "县委分管领导", DEMO_COUNTY, Role.LEADER, "盐池县，只看统计与待办"),
        # 坐班值班: a sitting cadre's own login (demo.duty ties it to his archive): his duty days and 签到.
        DemoAccount(
            "zhiban",
            "村干部本人",
            first_village or HUAMACHI,
            Role.CADRE,
            "花马池镇第一个村的一名村干部，值班签到",
        ),
        # 三员分立: each reaches only his own pages, none reads the archive.
        DemoAccount("xitong", "系统管理员", DEMO_COUNTY, Role.SYSTEM_ADMIN, "盐池县，账号与词表"),
        DemoAccount(
            "anquan", "安全管理员", DEMO_COUNTY, Role.SECURITY_ADMIN, "盐池县，安全策略、解锁、两步验证"
        ),
        DemoAccount("shenji", "审计管理员", DEMO_COUNTY, Role.AUDIT_ADMIN, "盐池县，审计日志"),
    ]


# Industries of 盐池县 (滩羊, 黄花菜, 小杂粮, 甘草 ...) for realistic demo villages.
DEMO_INDUSTRIES = ["滩羊养殖", "黄花菜", "小杂粮", "甘草", "光伏", "电商", "乡村旅游", "农产品加工"]


@transaction.atomic
def _village_attributes() -> None:
    rng = random.Random(640323)
    industries = [Industry.objects.get_or_create(name=name)[0] for name in DEMO_INDUSTRIES]
    tags = {tag.name: tag for tag in VillageTag.objects.all()}
    villages = (
        Division.objects.filter(code__startswith=DEMO_COUNTY).administrative_villages().order_by("code")
    )
    for village in villages:
        if village.collective_income is not None:
            continue  # already set: by an earlier run or by a user
        village.collective_income = Decimal(rng.randint(50, 1200)) / Decimal(10)  # 万元
        village.latitude = Decimal("37.78") + Decimal(rng.randint(-4000, 4000)) / Decimal(10000)
        village.longitude = Decimal("107.40") + Decimal(rng.randint(-6000, 6000)) / Decimal(10000)
        village.save()
        village.industries.set(rng.sample(industries, 2))
        roll = rng.random()
        if roll < 0.08 and "示范村" in tags:
            village.tags.add(tags["示范村"])
        elif roll < 0.14 and "明星村" in tags:
            village.tags.add(tags["明星村"])
        elif roll < 0.30 and "脱贫村" in tags:
            village.tags.add(tags["脱贫村"])
        elif roll < 0.34 and "软弱涣散村" in tags:
            village.tags.add(tags["软弱涣散村"])


def _county_rules() -> None:
    """The demo county's rules: the defaults plus a 监督电话; left alone once they exist (set by a user or an
    earlier run), except a phone still blank."""
    rules, _created = CountyRules.objects.get_or_create(
        county_id=DEMO_COUNTY, defaults={"supervision_phone": DEMO_SUPERVISION_PHONE}
    )
    if not rules.supervision_phone:
        rules.supervision_phone = DEMO_SUPERVISION_PHONE
        rules.save(update_fields=["supervision_phone"])


def build_after_election() -> None:
    """The stages built on the county as the election leaves it (the tests' staged demo builds them last too)."""
    build_pairing(DEMO_COUNTY, (HUAMACHI, "640323101"))  # income by year, a 强弱联合 and a 强强联合
    build_prospects()  # 雏雁计划: 20 prospects away from home, contacts, a hometown meeting, one recommended
    build_duty()  # 坐班值班 in 花马池镇's first village: this month's rota, check-ins, a gap, a missed day, a leave
    build_surveys(DEMO_COUNTY, HUAMACHI)  # this half-year's 群众满意度 survey of 花马池镇, 15 answers
    build_succession(HUAMACHI)  # saved orders and emergency covers of 花马池镇's key seats
    build_welfare()  # pay schemes, the performance and allowance rules, former cadres, insurance and checks
    build_professional_secretaries()  # two secretaries of 花马池镇 managed as professionals (专业化管理)
    build_filings(DEMO_COUNTY, HUAMACHI)  # 备案/审批: 入库 filed with 盐池县, a 出库 awaiting its approval
    build_ninebox(
        DEMO_COUNTY, HUAMACHI
    )  # potential ratings of 盐池县's reserves and cadres, a closed 校准会 of 花马池镇
    build_reports_up(DEMO_COUNTY)  # 盐池县 files this year's figures upward as a locked, signed snapshot
    build_survey_feed(DEMO_COUNTY)  # the villages' satisfaction feeds the 月考评 item 群众满意


def build_demo(*, password: str = DEMO_PASSWORD) -> list[DemoAccount]:
    for county in SEED_COUNTIES:
        import_divisions(SEED_DIR, under=county)
    _village_attributes()
    _county_rules()
    accounts = demo_accounts()
    for account in accounts:
        create_or_update_user(
            username=account.username,
            password=password,
            division=Division.objects.get(code=account.division),
            roles=[account.role],
            display_name=account.display_name,
        )
    build_people()  # the 两委 of the 102 村委会 and the 353 reserves
    reserves = demo_reserves()
    build_pipeline(reserves)  # the 353 reserves through the pipeline into the pool (一村一职一备 98.04%)
    build_cultivation(reserves)  # trainings, mentoring, practice posts, secondments, degrees, growth plans
    build_incumbents()  # 月考评 items, six months of scores in four townships, 双述双评 of last year
    build_conduct()  # a 两委委员 of 花马池镇 under a running 党内警告, another whose 政务警告 is over
    build_present(reserves)  # to today: reports and assessments, this year's training, a 公示 in progress
    build_election()  # the 2026 换届 in progress: slates, the joint review, 公示, results in two townships
    build_after_election()
    refresh_after_bulk_load()  # PostgreSQL plans the first queries on fresh statistics, not on empty tables
    return accounts
