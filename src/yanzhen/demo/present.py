"""The demo carried forward to the day it is built: what a clerk of 盐池县 finds on the dashboard today.

The older parts stop where seed 000 and its aftermath stop (the pool of 2021, removals in 2022–2023, the
trainings of 2019–2021); this part adds what keeps going every year, relative to `today`:

- 思想工作汇报 and 考核 for every half-year from 2021年上半年 (the half-year of seed 000's date) through the last
  completed one, for each reserve in the pool during it (the candidacies' business dates, as the services
  check). Reports come in on time, a few late; of the last completed half-year `MISSING_REPORTS` are missing
  (the dashboard's overdue warning, once the county's due date has passed). Grades are mostly 称职; nobody has
  two consecutive 优秀 or 不称职 except, in the last two half-years, `NOTICE_BOARD` reserves with 优秀 twice
  (→ 重点培养, notice board) and `REMOVAL_PROPOSALS` with 不称职 twice (→ 出库建议 pending a clerk's decision);
  the reserve removed in 2022 for 连续两次考核为不称职 has those two grades. The rules are applied to those
  people by `assessments.rules.evaluate_person`, the same call the assessment service makes.
- This year's county rotation class (32 hours) for the whole pool, with attendance: almost all attend, a few
  miss it (the dashboard's "without training hours this year").
- New reserves: a recent batch of one township (`RECENT`: 公示 about eight months ago, in the pool since, so
  the dashboard's "last year" and the half-year trend show an entry) and the next of another (`IN_NOTICE`), in
  a 公示 that started `NOTICE_STARTED_WORKDAYS` working days before today and ends after it. New people, planned
  after the demo's own by the same planner, so the 353 reserves of seed 000 and their figures stay as they are.

Reports and assessments are written in bulk (some 4,000 each, with their history, like `people`): through the
services they would take minutes. Each row is checked as the services check it (in the pool during the period,
not before it started, not after today). Deterministic for a given day (`random.Random` seeded per part,
people sorted by village and ID-number hash); nothing is dated after today except the 公示's end. Idempotent:
each part is created only while the county has none of it (the 公示: while its people are not in the archive).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from yanzhen.assessments import dimensions
from yanzhen.assessments import rules as assessment_rules
from yanzhen.assessments.models import Assessment, AssessmentSettings, Grade, ReportChannel, SemiannualReport
from yanzhen.assessments.periods import Half, Period, last_finished_period
from yanzhen.assessments.periods import PeriodKind as AssessmentPeriodKind
from yanzhen.assessments.services import AssessmentInput
from yanzhen.candidacies import notice, workflow
from yanzhen.candidacies.models import Candidacy, CandidacyState, NominationWay, Readiness, RemovalReason
from yanzhen.candidacies.rules import check_secretary_rules, earliest_notice_end, rules_for, working_days
from yanzhen.core import crypto
from yanzhen.cultivation import services as cultivation
from yanzhen.cultivation.models import Training, TrainingKind
from yanzhen.demo.cultivation import COUNTY_ORGANISER, Stint, stints
from yanzhen.demo.people import DEMO_ADMIN, DEMO_COUNTY, _create_people, _Planner, demo_villages
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person
from yanzhen.posts.models import PostType

SEED = 6403232027
FIRST_PERIOD = Period(2021, Half.FIRST)  # the half-year of seed 000's date (2021-04-19)
MISSING_REPORTS = 4  # of the last completed half-year
LATE_REPORTS = 3  # of each half-year, in after the due date
NOTICE_BOARD = 3  # reserves with 优秀 in the last two half-years
REMOVAL_PROPOSALS = 2  # reserves with 不称职 in the last two half-years
GRADES = {Grade.EXCELLENT: 12, Grade.COMPETENT: 72, Grade.BASICALLY_COMPETENT: 14, Grade.INCOMPETENT: 2}
ROTATION_HOURS = 32
ROTATION_DAYS = 4
ABSENT_PER_MILLE = 20  # of this year's class
NOTICE_STARTED_WORKDAYS = 2  # the 公示 began this many working days before today
REPORT_TEXTS = [
    "本半年认真学习党的二十大精神和乡村振兴政策，参加了村“两委”会议和主题党日活动，协助村里做好防返贫监测走访。"
    "存在的不足是理论学习还不够系统，下一步加强学习，多向老支书请教。",
    "半年来带头发展滩羊养殖，带动周边农户 5 户；参与了村里人居环境整治和矛盾纠纷调解。"
    "思想上始终同党组织保持一致，今后在群众工作方法上继续提高。",
    "本半年参加了县乡组织的培训，协助村里完成了集体经济项目的前期工作，帮助农户网上销售小杂粮。"
    "不足之处是对村级财务管理还不熟悉，下半年重点学习。",
    "坚持学习强国每日学习，参加了网格员走访和政策宣传，帮助群众办理社保、医保业务 20 余件。"
    "感到自身带富能力还不强，下一步结合本村黄花菜产业多想办法。",
]
EVIDENCE = {
    Grade.EXCELLENT: "领办村集体经济项目，带动农户增收，群众评价好",
    Grade.INCOMPETENT: "长期外出，未参加村级工作和培养活动",
}


def _rng(part: str) -> random.Random:
    return random.Random(f"{SEED}-{part}")


def periods_through(today: date) -> list[Period]:
    """The half-years from FIRST_PERIOD through the last one completed before today, oldest first."""
    last = last_finished_period(today, AssessmentPeriodKind.HALF_YEAR)
    found, period = [], last
    while period >= FIRST_PERIOD:
        found.append(period)
        period = period.previous()
    return found[::-1]


def _assessed(stint: Stint, period: Period) -> bool:
    """Reports and an assessment for the period: in the pool during it (`assessments.rules.in_pool_during`, at
    least one day) and not gone before its end (the half-year a reserve was used or removed in goes without)."""
    return stint.entered <= period.end and (stint.left is None or stint.left > period.end)


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@dataclass(frozen=True)
class Planned:
    """The demo's reports and grades: pure functions of the stints and the day."""

    periods: list[Period]
    grades: dict[tuple[int, Period], str]  # (person id, period) → grade
    reports: dict[tuple[int, Period], date]  # (person id, period) → the day the report came in
    notice_board: list[int]  # person ids
    removal: list[int]


def _random_grades(found: list[Stint], periods: list[Period], rng) -> dict[tuple[int, Period], str]:
    """A grade for each half-year each reserve was assessed in; no 优秀 or 不称职 twice in a row by chance."""
    grades: dict[tuple[int, Period], str] = {}
    for stint in found:
        previous = None
        for period in periods:
            if not _assessed(stint, period):
                previous = None
                continue
            grade = rng.choices(list(GRADES), weights=list(GRADES.values()))[0]
            if grade in (Grade.EXCELLENT, Grade.INCOMPETENT) and grade == previous:
                grade = Grade.COMPETENT  # two in a row only where planned below
            grades[(stint.person.pk, period)] = grade
            previous = grade
    return grades


def _two_in_a_row(found: list[Stint], periods: list[Period], grades, rng) -> tuple[list[int], list[int]]:
    """The reserves given 优秀 (notice board) or 不称职 (removal proposed) in the last two half-years, and
    not in the one before."""
    notice_board: list[int] = []
    removal: list[int] = []
    if len(periods) < 2:
        return notice_board, removal
    before, last = periods[-2], periods[-1]
    steady = [s for s in found if s.left is None and s.entered <= before.start]
    chosen = rng.sample(steady, min(len(steady), NOTICE_BOARD + REMOVAL_PROPOSALS))
    for index, stint in enumerate(chosen):
        grade = Grade.EXCELLENT if index < NOTICE_BOARD else Grade.INCOMPETENT
        (notice_board if grade == Grade.EXCELLENT else removal).append(stint.person.pk)
        grades[(stint.person.pk, before)] = grades[(stint.person.pk, last)] = grade
        third = len(periods) >= 3 and (stint.person.pk, periods[-3])
        if third and grades.get(third) == grade:
            grades[third] = Grade.COMPETENT
    return notice_board, removal


def _removed_incompetent(
    found: list[Stint], periods: list[Period], grades, removed_incompetent: set[int]
) -> None:
    """The reserve removed for 连续两次考核为不称职 (pipeline) earned it in his last two half-years in the
    pool."""
    for stint in found:
        if stint.left is None or stint.person.pk not in removed_incompetent:
            continue
        mine = [p for p in periods if (stint.person.pk, p) in grades]
        for period in mine[-2:]:
            grades[(stint.person.pk, period)] = Grade.INCOMPETENT
        if len(mine) >= 3 and grades[(stint.person.pk, mine[-3])] == Grade.INCOMPETENT:
            grades[(stint.person.pk, mine[-3])] = Grade.BASICALLY_COMPETENT


def _report_day(rng, period: Period, due: date, due_days: int, *, late: bool) -> date:
    """The day a report came in: late ones after the due day, some before the half-year ended."""
    if late:
        return due + timedelta(days=rng.randint(3, 40))
    if rng.random() < 0.3:
        return period.end - timedelta(days=rng.randint(0, 10))
    return period.end + timedelta(days=rng.randint(1, due_days))


def _report_days(periods: list[Period], grades, today: date) -> dict[tuple[int, Period], date]:
    """The day each assessed half-year's report came in; a few late, a few of the last half-year missing."""
    rng = _rng("reports")
    due_days = AssessmentSettings(county_id=DEMO_COUNTY).report_due_days
    reports: dict[tuple[int, Period], date] = {}
    for period in periods:
        due = period.end + timedelta(days=due_days)
        keys = [key for key in grades if key[1] == period]
        late = set(rng.sample(keys, min(len(keys), LATE_REPORTS)))
        missing = set(rng.sample(keys, min(len(keys), MISSING_REPORTS))) if period == periods[-1] else set()
        for key in keys:
            if key in missing:
                continue
            day = _report_day(rng, period, due, due_days, late=key in late)
            reports[key] = min(max(day, period.start), today)
    return reports


def plan_assessments(found: list[Stint], today: date, removed_incompetent: set[int]) -> Planned:
    """`removed_incompetent`: the people whose candidacy was removed for 考核不称职."""
    periods = periods_through(today)
    rng = _rng("assessments")
    grades = _random_grades(found, periods, rng)
    notice_board, removal = _two_in_a_row(found, periods, grades, rng)
    _removed_incompetent(found, periods, grades, removed_incompetent)
    reports = _report_days(periods, grades, today)
    return Planned(periods, grades, reports, notice_board, removal)


def _scores(rng: random.Random, grade: str) -> dict[str, int | None]:
    centre = {Grade.EXCELLENT: 92, Grade.COMPETENT: 82, Grade.BASICALLY_COMPETENT: 70, Grade.INCOMPETENT: 55}[
        grade
    ]
    return {
        name: max(0, min(100, centre + rng.randint(-5, 5)))
        for name in ("political_score", "ability_score", "conduct_score", "reputation_score")
    }


def removed_for_incompetence(found: list[Stint]) -> set[int]:
    return set(
        Candidacy.objects.filter(
            person__in=[s.person for s in found], removal_reason=RemovalReason.INCOMPETENT
        ).values_list("person_id", flat=True)
    )


def build_assessments(actor, found: list[Stint], today: date) -> dict[str, int]:
    in_county = {"person__village__code__startswith": DEMO_COUNTY}
    if (
        SemiannualReport.objects.filter(**in_county).exists()
        or Assessment.objects.filter(**in_county).exists()
    ):
        return {"reports": 0, "assessments": 0, "rules": 0}
    planned = plan_assessments(found, today, removed_for_incompetence(found))
    people = {stint.person.pk: stint.person for stint in found}
    secretary = _village_secretary()
    rng = _rng("assessment-rows")
    divisions = Division.objects.in_bulk({stint.township for stint in found})
    townships = {stint.person.pk: divisions[stint.township] for stint in found}
    settings = assessment_rules.settings_for(DEMO_COUNTY)
    reports = _report_rows(actor, planned, people, secretary, rng, today)
    assessments = _assessment_rows(actor, planned, townships, settings, rng, today)
    # Field rules (choices, lengths, scores 0–100); the database checks the constraints on insert.
    for row in reports + assessments:
        row.full_clean(
            exclude=["person", "submitted_by", "reviewed_by", "entered_by"],
            validate_unique=False,
            validate_constraints=False,
        )
    bulk_create_with_history(reports, SemiannualReport, default_user=actor, batch_size=500)
    bulk_create_with_history(assessments, Assessment, default_user=actor, batch_size=500)
    fired = sum(
        assessment_rules.evaluate_person(person_id, actor=actor)
        for person_id in planned.notice_board + planned.removal
    )
    return {"reports": len(reports), "assessments": len(assessments), "rules": fired}


def _by_period(planned: dict) -> list:
    """A plan's (person id, period) → value items, by period, then person."""
    return sorted(planned.items(), key=lambda item: (item[0][1], item[0][0]))


def _report_rows(actor, planned: Planned, people, secretary, rng, today: date) -> list[SemiannualReport]:
    """The reports as the clerk entered them; the village secretary has reviewed those of his village."""
    reports = []
    for (person_id, period), day in _by_period(planned.reports):
        person = people[person_id]
        reviewed = secretary is not None and person.village_id == secretary.division_id and day < today
        reports.append(
            SemiannualReport(
                person=person,
                year=period.year,
                half=period.half,
                text=rng.choice(REPORT_TEXTS),
                channel=ReportChannel.CLERK,
                submitted_by=actor,
                submitted_at=_at(day, 10),
                reviewed_by=secretary if reviewed else None,
                reviewed_at=_at(min(day + timedelta(days=3), today), 16) if reviewed else None,
                review_comment="汇报实事求是，望继续努力。" if reviewed else "",
            )
        )
    return reports


def _assessment_rows(actor, planned: Planned, townships, settings, rng, today: date) -> list[Assessment]:
    """The assessments with votes and scores that fit their grade (on the default four: the demo county keeps
    them)."""
    assessments = []
    scored = dimensions.defaults(settings)
    for (person_id, period), grade in _by_period(planned.grades):
        assessed_on = min(period.end + timedelta(days=rng.randint(10, 25)), today)
        data = AssessmentInput(
            year=period.year,
            half=period.half,
            grade=grade,
            assessed_on=assessed_on,
            assessor=f"{townships[person_id].name}党委",
            industry_evidence=EVIDENCE.get(grade, ""),
            votes_excellent=rng.randint(5, 15) if grade == Grade.EXCELLENT else rng.randint(0, 5),
            votes_competent=rng.randint(15, 30),
            votes_basically_competent=rng.randint(0, 5),
            votes_incompetent=rng.randint(6, 15) if grade == Grade.INCOMPETENT else rng.randint(0, 2),
            scores=_scores(rng, grade),
        )
        assessment = Assessment(person_id=person_id, entered_by=actor, assessor=data.assessor)
        for name, value in data.__dict__.items():
            if name != "scores":
                setattr(assessment, name, value)
        snapshot, _errors = dimensions.score(scored, data.score_values(), required=False)
        dimensions.fill_columns(assessment, snapshot)
        assessment.weighted_total = dimensions.weighted_total(snapshot)
        assessments.append(assessment)
    return assessments


def _village_secretary():
    from yanzhen.accounts.models import User

    return User.objects.filter(username="cunshuji").first()


# -- this year's training ----------------------------------------------------------------------------------


def rotation_dates(today: date) -> tuple[date, date] | None:
    """This year's rotation class: from the Monday on or after 15 June, or, before it is over, the latest four
    days ending a week before today; None in the first days of January (no room yet this year)."""
    start = date(today.year, 6, 15)
    start += timedelta(days=(7 - start.weekday()) % 7)
    end = start + timedelta(days=ROTATION_DAYS - 1)
    if end >= today:
        end = today - timedelta(days=7)
        start = end - timedelta(days=ROTATION_DAYS - 1)
    return (start, end) if start.year == today.year else None


def rotation_name(year: int) -> str:
    return f"{year}年村级后备力量集中轮训班"


def build_training(actor, found: list[Stint], today: date) -> dict[str, int]:
    dates = rotation_dates(today)
    if (
        dates is None
        or Training.objects.filter(division_id=DEMO_COUNTY, name=rotation_name(today.year)).exists()
    ):
        return {"trainings": 0, "enrolments": 0}
    start, end = dates
    rng = _rng("rotation")  # the same attendance every year for the same pool
    training = cultivation.create_training(
        actor=actor,
        data=cultivation.TrainingInput(
            name=rotation_name(today.year),
            organiser=COUNTY_ORGANISER,
            division=Division.objects.get(code=DEMO_COUNTY),
            kind=TrainingKind.ROTATION,
            start=start,
            end=end,
            hours=ROTATION_HOURS,
            place="盐池县委党校",
            notes="学习贯彻党的创新理论、乡村振兴政策、村级事务规范化管理、群众工作方法",
        ),
    )
    trainees = [s.person for s in found if s.in_pool(start, end)]
    cultivation.enrol(actor=actor, training=training, people=trainees)
    rows = []
    for person in trainees:
        roll = rng.randrange(1000)
        if roll < ABSENT_PER_MILLE:
            rows.append(cultivation.AttendanceInput(person=person, attended_hours=0, note="外出务工未参加"))
        elif roll < 100:
            rows.append(
                cultivation.AttendanceInput(
                    person=person, attended_hours=ROTATION_HOURS - 8, note="请假一天，未完成全部课程"
                )
            )
        else:
            rows.append(
                cultivation.AttendanceInput(
                    person=person, attended_hours=ROTATION_HOURS, completed=True, score=rng.randint(72, 98)
                )
            )
    cultivation.record_attendance(actor=actor, training=training, rows=rows)
    return {"trainings": 1, "enrolments": len(trainees)}


# -- a 公示 in progress ------------------------------------------------------------------------------------


def notice_dates(today: date) -> tuple[date, date]:
    """A 公示 that began NOTICE_STARTED_WORKDAYS working days before today and holds the county's working
    days, so that it ends after today."""
    needed = _notice_working_days()
    start, back = today, 0
    while back < NOTICE_STARTED_WORKDAYS:
        start -= timedelta(days=1)
        back += working_days(start, start)
    end = earliest_notice_end(start, needed)
    while end <= today:  # a short county rule: keep it open a little longer
        end += timedelta(days=1)
    return start, end


@dataclass(frozen=True)
class Batch:
    """A township's batch of new reserves: nominated, vetted, inspected, decided, in one 公示, and (unless it
    is still in 公示) in the pool."""

    key: str
    size: int
    townships: tuple[str, ...]  # tried in order: the first without a decided candidacy waiting for its 公示
    ages: range  # on 2021-04-19 (the date the people planner counts ages on)


RECENT = Batch("recent", 6, ("640323101", "640323102", "640323103"), range(24, 31))
RECENT_DAYS = 240  # the recent batch's 公示 began about eight months ago
IN_NOTICE = Batch("in-notice", 4, ("640323100", "640323102", "640323103"), range(22, 29))


def recent_dates(today: date) -> tuple[date, date, date]:
    """The recent batch: a 公示 from the first working day on or after `RECENT_DAYS` before today, the pool entry
    a week after its end (so the dashboard's "last year" and the half-year trend show an entry); (start, end,
    entered)."""
    start = today - timedelta(days=RECENT_DAYS)
    while not working_days(start, start):
        start += timedelta(days=1)
    end = earliest_notice_end(start, _notice_working_days())
    entered = end + timedelta(days=7)
    while not working_days(entered, entered):
        entered += timedelta(days=1)
    return start, end, entered


def _notice_working_days() -> int:
    return rules_for(Division.objects.get(code=DEMO_COUNTY)).notice_working_days


def plan_batches(villages: list[str]) -> dict[str, list]:
    """The batches' people (PlannedPerson), planned after the demo's own so that no ID number is used twice;
    the village of each is chosen when the batch is built."""
    planner = _Planner(villages)
    planner.committees()
    planner.reserves()
    planner.rng = _rng("batches")
    rng = planner.rng
    found = {}
    for batch in (RECENT, IN_NOTICE):
        first = len(planner.plan.people)
        for _ in range(batch.size):
            planner.person(
                village="",
                age=rng.choice(batch.ages),
                male=rng.random() < 0.6,
                hui=rng.random() < 0.15,
                college=rng.random() < 0.7,
                status=rng.choice(["01", "01", "02"]),
                source="优秀青年农民",
            )
        found[batch.key] = planner.plan.people[first:]
    return found


def _township(batch: Batch) -> Division | None:
    waiting = set(
        Candidacy.objects.filter(
            state=CandidacyState.DECIDED, village__code__startswith=DEMO_COUNTY
        ).values_list("village_id", flat=True)
    )
    for code in batch.townships:
        if not any(village.startswith(code) for village in waiting):
            return Division.objects.filter(code=code).first()
    return None


def _fewest_reserves_first(township: Division, found: list[Stint]) -> list[str]:
    """The township's villages, those with the fewest reserves in the pool first."""
    pool: dict[str, int] = {}
    for stint in found:
        if stint.left is None:
            pool[stint.village] = pool.get(stint.village, 0) + 1
    return sorted(
        (code for code in demo_villages() if code.startswith(township.code)),
        key=lambda c: (pool.get(c, 0), c),
    )


def _decided(actor, person: Person, township: Division, posts: dict, nominated_on: date):
    """The person nominated (for secretary when he meets its rules, else chair), vetted, inspected and
    decided, ready for the 公示."""
    secretary = not check_secretary_rules(rules_for(person.village), person, nominated_on)
    candidacy = workflow.nominate(
        actor=actor,
        person=person,
        post_types=[posts["secretary" if secretary else "chair"]],
        nomination_way=NominationWay.VILLAGE_PARTY,
        recommender=f"{person.village.name}党支部",
        readiness=Readiness.ONE_TO_TWO_YEARS,
        on=nominated_on,
    )
    vetted_on = nominated_on + timedelta(days=7)
    workflow.vet(actor=actor, candidacy=candidacy, passed=True, failed_items=[], on=vetted_on)
    workflow.inspect(
        actor=actor,
        candidacy=candidacy,
        on=nominated_on + timedelta(days=20),
        inspectors=f"{township.name}组织委员、{township.name}包村领导",
        people_talked_to=12,
        votes_for=38,
        votes_against=1,
        votes_abstaining=1,
        findings="政治立场坚定，群众基础较好，有一定带富能力，同意列为村级后备力量人选。",
    )
    workflow.decide(actor=actor, candidacy=candidacy, passed=True, on=nominated_on + timedelta(days=28))
    return candidacy


def build_batch(actor, batch: Batch, planned: list, found: list[Stint], dates) -> list[Person]:
    """Create the batch's people in the villages of the township with the fewest reserves in the pool, and
    take them through the pipeline to the 公示 (start, end) and, with an entry date, into the pool."""
    start, end, entered = dates
    hashes = [crypto.keyed_hash(p.id_number) for p in planned]
    existing = list(Person.objects.filter(id_number_hash__in=hashes))
    if existing:
        return existing if len(existing) == len(planned) else []
    township = _township(batch)
    if township is None:
        return []
    for person, village in zip(planned, _fewest_reserves_first(township, found) * len(planned), strict=False):
        person.village_code = village
    people = _create_people(planned, actor, Division.objects.in_bulk([p.village_code for p in planned]))
    nominated_on = start - timedelta(days=40)
    posts = {post.code: post for post in PostType.objects.filter(code__in=["secretary", "chair"])}
    candidacies = [
        _decided(actor, person, township, posts, nominated_on)
        for person in (
            Person.objects.filter(pk__in=[p.pk for p in people]).select_related("village").order_by("pk")
        )
    ]
    notice.start_notices_for_township(actor=actor, township=township, start=start, end=end)
    if entered is not None:
        for candidacy in candidacies:
            workflow.enter_pool(actor=actor, candidacy=candidacy, on=entered)
    return people


def build_batches(actor, found: list[Stint], today: date) -> list[Person]:
    """The recent batch (in the pool since) and this one (in 公示 now); returns the recent batch's people."""
    planned = plan_batches(demo_villages())
    built: dict[str, list[Person]] = {}
    for batch, dates in ((RECENT, recent_dates), (IN_NOTICE, lambda day: (*notice_dates(day), None))):
        try:
            with transaction.atomic():
                built[batch.key] = build_batch(actor, batch, planned[batch.key], found, dates(today))
        except ValidationError:
            # A batch the workflow refuses (a county rule the demo's dates cannot meet) is left out; a year
            # without a holiday schedule no longer refuses: it counts weekends only.
            built[batch.key] = []
    return built[RECENT.key]


# -- the whole ---------------------------------------------------------------------------------------------


@transaction.atomic
def build_present(
    reserves: list[Person] | None = None, actor=None, today: date | None = None
) -> dict[str, int]:
    """Carry the demo forward to `today` (default: the server's today); return what was created."""
    if reserves is None:
        from yanzhen.demo.people import demo_reserves

        reserves = demo_reserves()
    if actor is None:
        from yanzhen.accounts.models import User

        actor = User.objects.get(username=DEMO_ADMIN)
    today = today or timezone.localdate()
    in_county = {"village__code__startswith": DEMO_COUNTY}
    before = (Person.objects.filter(**in_county).count(), Candidacy.objects.filter(**in_county).count())
    recent = build_batches(actor, stints(reserves), today)
    found = stints(reserves + recent)
    return (
        build_assessments(actor, found, today)
        | build_training(actor, found, today)
        | {
            "new_people": Person.objects.filter(**in_county).count() - before[0],
            "candidacies": Candidacy.objects.filter(**in_county).count() - before[1],
        }
    )
