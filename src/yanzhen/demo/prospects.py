"""The demo county's 雏雁计划 (issue 19 §1, seed 002): what a clerk of 盐池县 finds under /prospects/ today.

- The county's 《返乡创业优惠政策清单》 and 《村级后备力量培养激励办法》.
- `PROSPECTS` capable people of the county's villages living elsewhere, across the townships (the first villages
  of each) and the four categories, with where they are and what they do, phones, the cadre who keeps in touch
  and their interests; registered a year or so ago.
- Contacts over the past year (calls, visits, messages), the policy list handed over at the first visit.
- A hometown meeting (乡贤座谈会) organised by the county `MEETING_DAYS_AGO` days ago, with eight invitees, five
  of whom came (their meeting in their contact log through the attendance).
- One of those who came (`CONVERTED`) recommended as a reserve: his archive made from the prospect through
  `services.convert`, then the nomination through the pipeline.

Everything goes through the services with the demo administrator as the actor, relative to today and
deterministic for a given day (a seeded generator); idempotent: nothing is done while the county has prospects.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction

from yanzhen.accounts.models import User
from yanzhen.candidacies import workflow
from yanzhen.core import guards
from yanzhen.demo.people import DEMO_ADMIN, DEMO_COUNTY
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.people.idcard import make_id_number
from yanzhen.posts.models import PostType
from yanzhen.prospects import services
from yanzhen.prospects.models import Prospect

# name, sex (1 男 2 女), born, category, city, what he does, interests
PROSPECTS = [
    ("马振华", "1", 1986, "migrant", "银川市", "经营建材批发", ("returning", "investing")),
    ("李香", "2", 1989, "migrant", "成都市", "水果批发生意", ("returning", "standing")),
    ("王立新", "1", 1992, "veteran", "兰州市", "退役后在物流公司任主管", ("standing",)),
    ("周晓燕", "2", 2001, "student", "西安市", "西北农林科技大学 农学专业在读", ("returning",)),
    ("杨建军", "1", 1984, "entrepreneur", "吴忠市", "滩羊养殖合作社理事长", ("investing", "standing")),
    ("丁海", "1", 1990, "migrant", "鄂尔多斯市", "煤矿机电技术员", ("returning",)),
    ("马兰花", "2", 1994, "migrant", "银川市", "电商直播运营", ("returning", "investing")),
    ("刘宏伟", "1", 1988, "veteran", "石嘴山市", "退役后自主创业 汽修", ("standing",)),
    ("张倩", "2", 2000, "student", "银川市", "宁夏大学 会计学毕业待业", ("returning", "standing")),
    ("田文斌", "1", 1983, "entrepreneur", "盐池县城", "小杂粮加工厂", ("investing",)),
    ("白玉梅", "2", 1991, "migrant", "北京市", "餐饮连锁店长", ("returning",)),
    ("海鹏", "1", 1995, "veteran", "中卫市", "退役 武警 现做保安队长", ("standing", "returning")),
    ("马强", "1", 1987, "migrant", "包头市", "建筑工程项目经理", ("investing",)),
    ("冯雪", "2", 2002, "student", "兰州市", "兰州大学 法学专业在读", ()),
    ("郭志刚", "1", 1985, "entrepreneur", "盐池县城", "黄花菜种植销售", ("standing", "investing")),
    ("苏明", "1", 1993, "migrant", "银川市", "光伏电站运维", ("returning",)),
    ("何静", "2", 1990, "other", "上海市", "社区工作者", ("returning",)),
    ("马福林", "1", 1982, "migrant", "乌鲁木齐市", "牛羊肉贩运", ("investing", "returning")),
    ("赵亮", "1", 1996, "veteran", "银川市", "退役 待业", ("standing",)),
    ("韩梅", "2", 1998, "student", "北京市", "中国农业大学 硕士在读", ("returning",)),
]
KEEPERS = ["乡镇组织委员", "村党组织书记", "驻村第一书记"]
MEETING_DAYS_AGO = 24
INVITED = 8  # the first eight prospects
CAME = (0, 1, 2, 4, 6)  # of the invited, by position
CONVERTED = 1  # 李香, who came to the meeting
SUMMARIES = {
    "call": "电话联系，了解近况，介绍家乡发展规划和返乡政策",
    "visit": "上门拜访家属，送上政策清单，邀请回乡看看",
    "message": "微信联系，转发村里产业发展情况",
}


def _villages() -> list[Division]:
    """The first two villages of each township of the county, township by township."""
    townships = Division.objects.filter(code__startswith=DEMO_COUNTY, level=Level.TOWNSHIP).order_by("code")
    villages: list[Division] = []
    for township in townships:
        villages.extend(Division.objects.filter(parent=township, level=Level.VILLAGE).order_by("code")[:2])
    return villages


def _register(actor: User, rng: random.Random, villages: list[Division]) -> list[Prospect]:
    made = []
    for index, (name, sex, born, category, city, occupation, interests) in enumerate(PROSPECTS):
        village = villages[(index * 3) % len(villages)]
        prospect = services.create_prospect(
            actor=actor,
            data=services.ProspectInput(
                name=name,
                village=village,
                category=category,
                gender=sex,
                birth_year=born,
                city=city,
                occupation=occupation,
                phone=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
                keeper=rng.choice(KEEPERS),
                note="",
                **{key: key in interests for key in ("returning", "standing", "investing")},
            ),
        )
        made.append(prospect)
    return made


def _contacts(actor: User, rng: random.Random, prospects: list[Prospect], today: date, documents) -> None:
    for prospect in prospects:
        first = today - timedelta(days=rng.randrange(200, 360))
        services.add_contact(
            actor=actor,
            prospect=prospect,
            data=services.ContactInput(
                kind="visit",
                on=first,
                by=prospect.keeper or "乡镇组织委员",
                summary=SUMMARIES["visit"],
                documents=list(documents),
            ),
        )
        for _ in range(rng.randrange(0, 3)):
            kind = rng.choice(["call", "message"])
            services.add_contact(
                actor=actor,
                prospect=prospect,
                data=services.ContactInput(
                    kind=kind,
                    on=today - timedelta(days=rng.randrange(MEETING_DAYS_AGO + 1, 190)),
                    by=prospect.keeper or "乡镇组织委员",
                    summary=SUMMARIES[kind],
                ),
            )


def _meeting(actor: User, county: Division, prospects: list[Prospect], today: date) -> None:
    event = services.create_event(
        actor=actor,
        data=services.EventInput(
            organiser=county,
            kind="meeting",
            title="乡贤座谈会",
            held_on=today - timedelta(days=MEETING_DAYS_AGO),
            place="盐池县委党校",
            note="县委组织部介绍家乡发展规划，发放《返乡创业优惠政策清单》",
        ),
    )
    invited = prospects[:INVITED]
    services.invite(actor=actor, event=event, prospects=invited)
    came = {invited[position].pk for position in CAME}
    answers = {
        invitation.pk: "yes" if invitation.prospect_id in came else "no"
        for invitation in event.invitations.all()
    }
    services.record_attendance(actor=actor, event=event, attendance=answers)


def _convert(actor: User, prospect: Prospect, today: date) -> None:
    born = date(prospect.birth_year or 1990, 3, 8)
    number = make_id_number(prospect.village.code[:6], born, 902 if prospect.gender == "2" else 901)
    person, _created = services.convert(
        actor=actor,
        prospect=prospect,
        data=services.ConversionInput(id_number=number, political_status="01"),
    )
    workflow.nominate(
        actor=actor,
        person=person,
        post_types=[PostType.objects.get(code="member")],
        nomination_way="township_party",
        on=today,
        note="雏雁计划：乡贤座谈会后表示愿意返乡任职",
    )


def build_prospects() -> None:
    if Prospect.objects.filter(village__code__startswith=DEMO_COUNTY).exists():
        return
    actor = User.objects.get(username=DEMO_ADMIN)
    county = Division.objects.get(code=DEMO_COUNTY)
    today = guards.today()
    rng = random.Random(f"prospects {today}")
    with transaction.atomic():
        policy = services.add_policy_document(actor=actor, county=county, title="返乡创业优惠政策清单")
        services.add_policy_document(actor=actor, county=county, title="村级后备力量培养激励办法")
        prospects = _register(actor, rng, _villages())
        Prospect.objects.filter(pk__in=[p.pk for p in prospects]).update(
            registered_on=today - timedelta(days=365)
        )
        _contacts(actor, rng, prospects, today, [policy])
        _meeting(actor, county, prospects, today)
        _convert(actor, prospects[CONVERTED], today)
