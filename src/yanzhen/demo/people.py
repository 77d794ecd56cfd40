"""Demo people of 盐池县: the 两委 of its 102 村委会 with their terms, and 353 reserves (后备力量).

Everything is planned from `random.Random(SEED)` and the sorted village list, so the same people (same ID
numbers) come out every time; a person whose ID number (by its keyed hash) is already stored is not created
again, and a seat that has terms is left alone: a second run creates nothing.

The reserves match the structure of seed 000 on the as-of date 2021-04-19: 353 people, 165 under 35,
175 aged 35–50, 13 over 50; 211 with 大专及以上 (GB/T 4658 codes 10–33), 142 with 中专及以下; 237 men,
116 women. For speed people, seats and terms are written in bulk, each checked as the services check them
(ID number against birth date and sex, 18 or older, national codes, field rules; the database keeps one open
term per seat and ends after starts), each with a creation record in the history naming the demo
administrator.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from yanzhen.core import crypto
from yanzhen.core.guards import attribute_to
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.divisions.models import Division, Industry
from yanzhen.people.codes import Degree, EducationKind, PoliticalStatus, education_rank
from yanzhen.people.idcard import make_id_number, mask_id_number, parse_id_number
from yanzhen.people.models import EducationRecord, Person, Skill, Source, age_on
from yanzhen.people.services import (
    MINIMUM_AGE,
    MOBILE,
    EducationInput,
    mask_phone,
    normalise_phone,
    pinyin_of,
)
from yanzhen.posts.models import PostType, Seat, Term, TermEndReason

SEED = 6403232021
DEMO_COUNTY = "640323"
DEMO_ADMIN = "county"  # the demo account that "types in" the records
AS_OF = date(2021, 4, 19)  # the date of the figures in seed 000
PREVIOUS_ELECTION = date(2018, 1, 12)
RESERVE_COUNT = 353
# (under 35, 35–50, over 50) and how many of each have 大专及以上.
AGE_BANDS = ((range(23, 35), 165, 120), (range(35, 51), 175, 88), (range(51, 57), 13, 3))
MEN = 237
SECRETARY_RESERVE_AGE = 42  # on AS_OF: at most 45 on any nomination day, and younger before
HUI = 53  # about 15% 回族
WITH_INDUSTRY_EXPERIENCE = 159  # 45%

SURNAMES = (
    "王王王王李李李张张张刘刘杨杨马马陈陈赵周吴孙高朱郭何罗宋谢韩冯曹许邓萧田董袁潘蒋蔡余杜叶程魏苏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
)
HUI_SURNAMES = "马马马马丁丁杨海白穆冯田何金李王纳哈拓虎"
MALE_GIVEN = (
    "建国军伟强磊涛斌明辉刚鹏飞华忠林峰勇杰海成宏志文龙波俊亮平春生福学东江瑞宝玉德占彦兴荣虎山宁晓永世长治保"
)
FEMALE_GIVEN = "丽娟芳霞敏静艳燕梅红玲琴婷雪慧秀兰英萍洁晶月莉娜佳欣悦瑶怡倩凤花桂霞娥梅玉萍琳"
# Address codes of the ID numbers (6403xx 吴忠 and its neighbours) with the native place they mean.
ADDRESS_CODES = (
    ("640323", "宁夏盐池", 34),
    ("640302", "宁夏吴忠", 2),
    ("640303", "宁夏红寺堡", 2),
    ("640381", "宁夏青铜峡", 1),
    ("640324", "宁夏同心", 1),
)
# Sources (来源) with weights, for reserves under 35 and older.
SOURCES_YOUNG = {
    "本土大学毕业生": 25,
    "返乡创业青年": 25,
    "退役军人": 15,
    "外出务工经商返乡人员": 10,
    "优秀团员青年": 10,
    "大学生村官": 10,
    "西部计划志愿者": 5,
}
SOURCES_OLDER = {
    "致富带头人": 30,
    "外出务工经商返乡人员": 30,
    "退役军人": 15,
    "非公企业负责人": 15,
    "驻村工作队员": 3,
}
SKILLS = [
    "种植",
    "养殖",
    "电商",
    "乡村旅游",
    "农产品加工",
    "财会",
    "法律",
    "信息技术",
    "群众工作",
    "矛盾调解",
]
INDUSTRIES = [
    "滩羊养殖",
    "黄花菜",
    "小杂粮",
    "甘草",
    "光伏",
    "电商",
    "乡村旅游",
    "农产品加工",
    "种植",
    "养殖",
]
COLLEGE_SCHOOLS = [
    "宁夏大学",
    "北方民族大学",
    "宁夏师范学院",
    "宁夏职业技术学院",
    "宁夏工商职业技术学院",
    "宁夏财经职业技术学院",
]
MAJORS = [
    "农学",
    "畜牧兽医",
    "会计",
    "电子商务",
    "汉语言文学",
    "计算机应用",
    "行政管理",
    "市场营销",
    "法律事务",
]


@dataclass
class PlannedPerson:
    name: str
    id_number: str
    village_code: str
    political_status: str
    ethnicity: str
    native_place: str
    phone: str
    educations: list[EducationInput]
    degree: str = Degree.NONE
    party_join_date: date | None = None
    source: str = ""
    skills: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    has_industry_experience: bool = False

    @property
    def born(self) -> date:
        return date(int(self.id_number[6:10]), int(self.id_number[10:12]), int(self.id_number[12:14]))


@dataclass
class PlannedTerm:
    person: int  # index into Plan.people
    start: date
    end: date | None = None
    end_reason: str = ""
    end_note: str = ""


@dataclass
class PlannedSeat:
    village_code: str
    post_type: str
    number: int
    terms: list[PlannedTerm] = field(default_factory=list)


@dataclass
class Plan:
    people: list[PlannedPerson] = field(default_factory=list)
    seats: list[PlannedSeat] = field(default_factory=list)
    reserves: list[int] = field(default_factory=list)  # indexes into people


class _Planner:
    def __init__(self, villages: list[str]):
        self.rng = random.Random(SEED)
        self.villages = villages
        self.used_numbers: set[str] = set()
        self.plan = Plan()

    # People -------------------------------------------------------------------------------------------

    def birth_date(self, age: int) -> date:
        """A birth date giving exactly `age` whole years on AS_OF."""
        born = date(AS_OF.year - age, AS_OF.month, AS_OF.day) - timedelta(days=self.rng.randint(0, 360))
        assert age_on(born, AS_OF) == age
        return born

    def id_number(self, born: date, male: bool) -> tuple[str, str]:
        codes = [code for code, _, weight in ADDRESS_CODES for _ in range(weight)]
        code = self.rng.choice(codes)
        native = next(place for c, place, _ in ADDRESS_CODES if c == code)
        while True:
            sequence = self.rng.randrange(0, 500) * 2 + (1 if male else 0)
            number = make_id_number(code, born, sequence)
            if number not in self.used_numbers:
                self.used_numbers.add(number)
                return number, native

    def name(self, male: bool, hui: bool) -> str:
        surname = self.rng.choice(HUI_SURNAMES if hui else SURNAMES)
        given = MALE_GIVEN if male else FEMALE_GIVEN
        length = 1 if self.rng.random() < 0.3 else 2
        return surname + "".join(self.rng.choice(given) for _ in range(length))

    def phone(self) -> str:
        return "1" + self.rng.choice("35789") + "".join(str(self.rng.randrange(10)) for _ in range(9))

    def educations(self, born: date, college: bool, young: bool) -> tuple[list[EducationInput], str]:
        """Education records whose highest is in the band, all finished before AS_OF."""
        rng = self.rng

        def on(age: int) -> date:
            return min(date(born.year + age, 7, 1), date(2020, 7, 1))

        if not college:
            code = rng.choices(["41", "44", "47", "61", "71"], weights=[20, 10, 5, 40, 25])[0]
            finished = {"41": 19, "44": 18, "47": 19, "61": 18, "71": 15}[code]
            school = {"71": "盐池县第二中学", "61": "盐池高级中学"}.get(code, "盐池县职业中学")
            return [
                EducationInput(
                    kind=EducationKind.FULL_TIME, education=code, school=school, graduation_date=on(finished)
                )
            ], Degree.NONE
        top = rng.choices(["14", "21", "31"], weights=[2 if young else 0, 33, 65])[0]
        major = rng.choice(MAJORS)
        if top == "31" and rng.random() < 0.25:
            # 学历提升: high school full time, then 大专 while working.
            return [
                EducationInput(
                    kind=EducationKind.FULL_TIME,
                    education="61",
                    school="盐池高级中学",
                    graduation_date=on(18),
                ),
                EducationInput(
                    kind=EducationKind.IN_SERVICE,
                    education="31",
                    school="国家开放大学",
                    major=major,
                    graduation_date=on(rng.randint(24, 30)),
                ),
            ], Degree.NONE
        finished = {"14": 25, "21": 22, "31": 21}[top]
        records = [
            EducationInput(
                kind=EducationKind.FULL_TIME,
                education=top,
                school=rng.choice(COLLEGE_SCHOOLS),
                major=major,
                graduation_date=on(finished),
                degree={"14": Degree.MASTER, "21": Degree.BACHELOR}.get(top, Degree.NONE),
            )
        ]
        return records, {"14": Degree.MASTER, "21": Degree.BACHELOR}.get(top, Degree.NONE)

    def party_join(self, born: date, status: str) -> date | None:
        if status == PoliticalStatus.CPC_PROBATIONARY:
            return date(2020, 7, 1) + timedelta(days=self.rng.randint(0, 240))
        if status == PoliticalStatus.CPC_MEMBER:
            earliest = date(born.year + 19, 7, 1)
            latest = AS_OF - timedelta(days=400)
            if earliest >= latest:
                return latest
            return earliest + timedelta(days=self.rng.randint(0, min((latest - earliest).days, 365 * 12)))
        return None

    def person(
        self,
        *,
        village: str,
        age: int,
        male: bool,
        hui: bool,
        college: bool,
        status: str,
        **extra,
    ) -> int:
        born = self.birth_date(age)
        number, native = self.id_number(born, male)
        educations, degree = self.educations(born, college, young=age < 35)
        self.plan.people.append(
            PlannedPerson(
                name=self.name(male, hui),
                id_number=number,
                village_code=village,
                political_status=status,
                party_join_date=self.party_join(born, status),
                ethnicity="03" if hui else "01",
                native_place=native,
                phone=self.phone(),
                educations=educations,
                degree=degree,
                **extra,
            )
        )
        return len(self.plan.people) - 1

    # Committees -------------------------------------------------------------------------------------

    def cadre(
        self, village: str, *, mean: float, spread: float, low: int, high: int, men: float, party: float
    ) -> int:
        rng = self.rng
        age = max(low, min(high, round(rng.gauss(mean, spread))))
        status = (
            PoliticalStatus.CPC_MEMBER
            if rng.random() < party
            else rng.choice([PoliticalStatus.MASSES, PoliticalStatus.CPC_PROBATIONARY])
        )
        college = rng.random() < (0.55 if age < 45 else 0.3)
        return self.person(
            village=village,
            age=age,
            male=rng.random() < men,
            hui=rng.random() < 0.15,
            college=college,
            status=status,
            skills=rng.sample(SKILLS, 1),
        )

    def committees(self) -> None:
        rng = self.rng
        count = len(self.villages)
        yijiantiao = set(rng.sample(self.villages, round(count * 0.3)))
        deputies = set(rng.sample(self.villages, round(count * 0.4)))
        previous = set(rng.sample(self.villages, 10))  # the secretary changed at the 2021 election
        ordered = sorted(self.villages)
        # A few vacancies: never filled, or left by a resignation after the election.
        never_filled = {(code, "member", 2) for code in rng.sample(ordered, 6)}
        never_filled |= {(code, "supervision_chair", 1) for code in rng.sample(ordered, 2)}
        resigned = {(code, "member", 1) for code in rng.sample(ordered, 3)}
        resigned.add((rng.choice(sorted(set(ordered) - yijiantiao)), "chair", 1))
        for code in ordered:
            township = int(code[6:9])
            election = date(2021, 1, 8) + timedelta(days=(township % 100) * 4)
            secretary = self.cadre(code, mean=48, spread=6, low=33, high=61, men=0.9, party=1.0)
            seats = [("secretary", 1, secretary)]
            chair = (
                secretary
                if code in yijiantiao
                else self.cadre(code, mean=45, spread=7, low=30, high=60, men=0.85, party=0.8)
            )
            seats.append(("chair", 1, chair))
            if code in deputies:
                seats.append(
                    (
                        "deputy_secretary",
                        1,
                        self.cadre(code, mean=42, spread=7, low=28, high=58, men=0.75, party=1.0),
                    )
                )
            for number in range(1, rng.randint(2, 4) + 1):
                seats.append(
                    (
                        "member",
                        number,
                        self.cadre(code, mean=42, spread=9, low=24, high=62, men=0.65, party=0.7),
                    )
                )
            seats.append(
                (
                    "supervision_chair",
                    1,
                    self.cadre(code, mean=50, spread=6, low=35, high=62, men=0.85, party=0.9),
                )
            )
            for post_type, number, holder in seats:
                seat = PlannedSeat(code, post_type, number)
                key = (code, post_type, number)
                if post_type == "secretary" and code in previous:
                    before = self.cadre(code, mean=57, spread=3, low=52, high=64, men=1.0, party=1.0)
                    seat.terms.append(
                        PlannedTerm(before, PREVIOUS_ELECTION, election, TermEndReason.ELECTION)
                    )
                if key not in never_filled:
                    term = PlannedTerm(holder, election)
                    if key in resigned:
                        term.end = date(2023, 3, 1) + timedelta(days=rng.randint(0, 600))
                        term.end_reason = TermEndReason.RESIGNED
                        term.end_note = "外出务工，本人申请辞职"
                    seat.terms.append(term)
                self.plan.seats.append(seat)

    # Reserves ---------------------------------------------------------------------------------------

    def reserves(self) -> None:
        rng = self.rng
        slots = _reserve_slots(rng, sorted(self.villages))
        profiles: list[tuple[int, bool]] = []  # (age, college)
        for ages, total, college in AGE_BANDS:
            flags = [True] * college + [False] * (total - college)
            profiles += [(rng.choice(ages), flag) for flag in flags]
        rng.shuffle(profiles)
        men = [True] * MEN + [False] * (RESERVE_COUNT - MEN)
        hui = [True] * HUI + [False] * (RESERVE_COUNT - HUI)
        experience = [True] * WITH_INDUSTRY_EXPERIENCE + [False] * (RESERVE_COUNT - WITH_INDUSTRY_EXPERIENCE)
        for flags in (men, hui, experience):
            rng.shuffle(flags)
        firsts = _secretary_reserves_first(slots, profiles)
        for index, village in enumerate(slots):
            age, college = profiles[index]
            status, source = _status_and_source(rng, age, first=index in firsts)
            self.plan.reserves.append(
                self.person(
                    village=village,
                    age=age,
                    male=men[index],
                    hui=hui[index],
                    college=college,
                    status=status,
                    source=source,
                    skills=rng.sample(SKILLS, rng.randint(1, 2)),
                    industries=rng.sample(INDUSTRIES, rng.randint(1, 2)) if experience[index] else [],
                    has_industry_experience=experience[index],
                )
            )


def _reserve_slots(rng, villages: list[str]) -> list[str]:
    """A village code per reserve: two to five reserves a village, RESERVE_COUNT in all."""
    per_village = dict.fromkeys(villages, 2)
    while sum(per_village.values()) < RESERVE_COUNT:
        code = rng.choice(villages)
        if per_village[code] < 5:
            per_village[code] += 1
    return [code for code in villages for _ in range(per_village[code])]


def _secretary_reserves_first(slots: list[str], profiles: list[tuple[int, bool]]) -> set[int]:
    """Every village gets a possible secretary reserve first: a party member young enough (the county's
    default rule: 45 at most when nominated). Swapping profiles keeps the totals exact. Returns the indexes
    of those first reserves."""
    firsts = [index for index, code in enumerate(slots) if index == 0 or slots[index - 1] != code]
    others = [index for index in range(len(slots)) if index not in set(firsts)]
    for first in firsts:
        if profiles[first][0] > SECRETARY_RESERVE_AGE:
            swap = next(index for index in others if profiles[index][0] <= SECRETARY_RESERVE_AGE)
            profiles[first], profiles[swap] = profiles[swap], profiles[first]
    return set(firsts)


def _status_and_source(rng, age: int, *, first: bool) -> tuple[str, str]:
    """A reserve's political status (a village's first reserve a party member) and where he was found."""
    if age <= 28:
        status = rng.choices(["03", "01", "02", "13"], weights=[35, 35, 15, 15])[0]
    else:
        status = rng.choices(["01", "02", "13"], weights=[62, 12, 26])[0]
    if first and status not in ("01", "02"):
        status = "01"
    sources = SOURCES_YOUNG if age < 35 else SOURCES_OLDER
    source = rng.choices(list(sources), weights=list(sources.values()))[0]
    if status == "03" and rng.random() < 0.4:
        source = "优秀团员青年"
    return status, source


def demo_villages() -> list[str]:
    return list(
        Division.objects.under(DEMO_COUNTY)
        .administrative_villages()
        .order_by("code")
        .values_list("code", flat=True)
    )


def plan(villages: list[str] | None = None) -> Plan:
    """The demo people, seats and terms; the same every time for the same villages."""
    planner = _Planner(villages if villages is not None else demo_villages())
    planner.committees()
    planner.reserves()
    return planner.plan


def demo_reserves() -> list[Person]:
    """The 353 demo reserves (people without posts), for the candidacy pipeline of the demo."""
    planned = plan()
    hashes = [crypto.keyed_hash(planned.people[index].id_number) for index in planned.reserves]
    return list(
        Person.objects.filter(id_number_hash__in=hashes)
        .select_related("village")
        .order_by("village_id", "id")
    )


# The fields of a planned person that the archive keeps as they are.
AS_PLANNED = (
    "name",
    "ethnicity",
    "native_place",
    "political_status",
    "party_join_date",
    "degree",
    "has_industry_experience",
)


def _person(planned: PlannedPerson, village: Division, source, actor) -> Person:
    """A Person built and checked as `people.services.create_person` would (the ID number decides the birth
    date and sex; 18 or older today; national codes; a mobile number), without writing it."""
    parsed = parse_id_number(planned.id_number)
    if parsed.birth_date != planned.born or age_on(parsed.birth_date, timezone.localdate()) < MINIMUM_AGE:
        raise ValidationError({"birth_date": f"演示数据有误：{planned.name} 的出生日期"})
    phone = normalise_phone(planned.phone)
    if not MOBILE.match(phone):
        raise ValidationError({"phone": f"演示数据有误：{planned.name} 的手机号码"})
    highest = min((record.education for record in planned.educations), key=education_rank)
    full, initials = pinyin_of(planned.name)
    person = Person(
        **{name: getattr(planned, name) for name in AS_PLANNED},
        name_pinyin=full,
        name_initials=initials,
        gender=parsed.gender,
        birth_date=parsed.birth_date,
        highest_education=highest,
        id_number_encrypted=crypto.encrypt(parsed.number),
        id_number_hash=crypto.keyed_hash(parsed.number),
        id_number_masked=mask_id_number(parsed.number),
        phone_encrypted=crypto.encrypt(phone),
        phone_hash=crypto.keyed_hash(phone),
        phone_masked=mask_phone(phone),
        village=village,
        source=source,
    )
    # Field rules (choices of the national codes, lengths); uniqueness is checked for the whole batch.
    person.full_clean(exclude=["village", "source", "id_number_hash"])
    attribute_to(person, actor)
    return person


def _create_people(planned: list[PlannedPerson], actor, villages) -> list[Person]:
    """Create people with their education records, skills and industries in bulk, each with one creation
    record in the history (its skills and industries included)."""
    sources = {source.name: source for source in Source.objects.all()}
    skills = {skill.name: skill for skill in Skill.objects.all()}
    industries = {industry.name: industry for industry in Industry.objects.all()}
    people = [_person(p, villages[p.village_code], sources.get(p.source), actor) for p in planned]
    people = bulk_create_with_history(people, Person, default_user=actor, batch_size=500)

    records = []
    for person, p in zip(people, planned, strict=True):
        for education in p.educations:
            record = EducationRecord(person=person, **education.__dict__)
            record.full_clean(exclude=["person"])
            records.append(record)
    bulk_create_with_history(records, EducationRecord, default_user=actor, batch_size=500)

    creation = dict(
        Person.history.filter(id__in=[person.pk for person in people], history_type="+").values_list(
            "id", "history_id"
        )
    )
    for field_name, vocabulary in (("skills", skills), ("industries", industries)):
        through = getattr(Person, field_name).through
        target = getattr(Person, field_name).field.m2m_reverse_field_name()
        rows = through.objects.bulk_create(
            [
                through(person_id=person.pk, **{f"{target}_id": vocabulary[name].pk})
                for person, p in zip(people, planned, strict=True)
                for name in getattr(p, field_name)
                if name in vocabulary
            ],
            batch_size=500,
        )
        historical = apps.get_model("people", f"HistoricalPerson_{field_name}")
        historical.objects.bulk_create(
            [
                historical(
                    history_id=creation[row.person_id],
                    id=row.pk,
                    person_id=row.person_id,
                    **{f"{target}_id": getattr(row, f"{target}_id")},
                )
                for row in rows
            ],
            batch_size=500,
        )
    return people


def _ensure_people(planned: Plan, actor, villages) -> tuple[list[int], int]:
    """The planned people's ids, creating those missing (known by the hash of their ID number); and how many
    were created."""
    hashes = [crypto.keyed_hash(person.id_number) for person in planned.people]
    existing = dict(Person.objects.filter(id_number_hash__in=hashes).values_list("id_number_hash", "pk"))
    missing = [index for index, key in enumerate(hashes) if key not in existing]
    for person in _create_people([planned.people[index] for index in missing], actor, villages):
        existing[person.id_number_hash] = person.pk
    return [existing[key] for key in hashes], len(missing)


def _ensure_seats(planned: Plan, actor, villages) -> tuple[dict, list[Seat]]:
    """The villages' seats by (village, post code, number), creating the planned ones missing."""
    post_types = {post_type.code: post_type for post_type in PostType.objects.all()}
    seats = {
        (seat.village_id, seat.post_type.code, seat.number): seat
        for seat in Seat.objects.filter(village_id__in=villages).select_related("post_type")
    }
    new_seats = [
        Seat(village_id=p.village_code, post_type=post_types[p.post_type], number=p.number)
        for p in planned.seats
        if p.post_type in post_types and (p.village_code, p.post_type, p.number) not in seats
    ]
    for seat in bulk_create_with_history(new_seats, Seat, default_user=actor, batch_size=500):
        seats[(seat.village_id, seat.post_type.code, seat.number)] = seat
    return seats, new_seats


def _planned_terms(planned: Plan, seats: dict, held: set[int]):
    """(seat, planned term) for each planned term of a seat nobody has held yet."""
    for p in planned.seats:
        seat = seats.get((p.village_code, p.post_type, p.number))
        if seat is None or seat.pk in held:
            continue
        for term in p.terms:
            yield seat, term


@transaction.atomic
def build_people(actor=None) -> dict[str, int]:
    """Create what of the plan is missing; return how many people, seats and terms were created."""
    if actor is None:
        from yanzhen.accounts.models import User

        actor = User.objects.get(username=DEMO_ADMIN)
    if not actor.can_edit or not code_in_jurisdiction(actor, DEMO_COUNTY):
        raise PermissionDenied
    villages = Division.objects.in_bulk(demo_villages())
    planned = plan(sorted(villages))

    person_ids, created = _ensure_people(planned, actor, villages)
    seats, new_seats = _ensure_seats(planned, actor, villages)
    # Terms go only to seats nobody has held yet (a user's appointments are left as they are).
    held = set(Term.objects.filter(seat__village_id__in=villages).values_list("seat_id", flat=True))
    births = dict(Person.objects.filter(pk__in=person_ids).values_list("pk", "birth_date"))
    terms = [
        Term(
            seat=seat,
            person_id=person_ids[term.person],
            start=term.start,
            end=term.end,
            end_reason=term.end_reason,
            end_note=term.end_note,
        )
        for seat, term in _planned_terms(planned, seats, held)
    ]
    for term in terms:
        assert age_on(births[term.person_id], term.start) >= MINIMUM_AGE
    for term in terms:
        term.full_clean(exclude=["seat", "person"])  # the database checks one open term and end > start
    bulk_create_with_history(terms, Term, default_user=actor, batch_size=500)
    return {"people": created, "seats": len(new_seats), "terms": len(terms)}
