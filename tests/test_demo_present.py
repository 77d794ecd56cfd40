"""The demo carried forward to the day it is built (`demo.present`): reports and assessments through the last
completed half-year with both rules on consecutive grades firing, this year's training, a 公示 in progress,
and a dashboard whose warnings are a few, not the whole pool; seed 000's figures on 2021-04-19 unchanged.

The demo is built once with `present` for a fixed day (2026-12-06, the day this was written; the services
accept it since it is not after the real today), so the counts are exact: conftest's `demo_on_day`, on the
base and cultivation shared with the other demo tests. The date helpers are checked for every day of a year."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from yanzhen.accounts.models import User
from yanzhen.assessments.models import (
    Assessment,
    Grade,
    NoticeBoardEntry,
    ProposalState,
    RemovalProposal,
    SemiannualReport,
)
from yanzhen.assessments.periods import Period
from yanzhen.candidacies.models import Candidacy, CandidacyState, CountyRules, PublicNotice
from yanzhen.candidacies.rules import working_days
from yanzhen.cultivation.models import Enrolment, Training
from yanzhen.demo import builder, present
from yanzhen.demo.people import demo_reserves
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person
from yanzhen.stats import selectors, warnings
from yanzhen.stats.figures import Scope, compute

from .demo_support import DEMO_DAY

pytestmark = pytest.mark.django_db
DAY = DEMO_DAY  # 2026-12-06


@pytest.fixture(scope="module")
def built(demo_on_day):
    return demo_on_day


def test_what_present_creates_on_the_day(built):
    assert built == {
        "reports": 3847,
        "assessments": 3851,
        "rules": 5,
        "trainings": 1,
        "enrolments": 354,
        "new_people": 10,
        "candidacies": 10,
    }
    periods = {(a.year, a.half) for a in Assessment.objects.all()}
    assert min(periods) == (2021, 1) and max(periods) == (2026, 1)  # through the last completed half-year
    assert not Assessment.objects.filter(assessed_on__gt=DAY).exists()
    assert not SemiannualReport.objects.filter(submitted_at__date__gt=DAY).exists()


def test_the_dashboard_warnings_are_a_few(built):
    county = User.objects.get(username="county")
    found = {w.slug: w.count for w in warnings.summary(county, Division.objects.get(code="640323"), on=DAY)}
    assert found["overdue-reports"] == present.MISSING_REPORTS == 4
    assert found["untrained-reserves"] == 6
    assert found["pending-proposals"] == present.REMOVAL_PROPOSALS == 2
    # The untrained are exactly those who missed this year's class.
    training = Training.objects.get(name=present.rotation_name(2026))
    assert training.start.year == 2026 and training.end < DAY and training.hours == 32
    absent = Enrolment.objects.filter(training=training, attended_hours=0)
    assert absent.count() == 6
    detail = warnings.detail(county, Division.objects.get(code="640323"), "untrained-reserves", on=DAY)
    assert {row.person_id for row in detail.rows} == set(absent.values_list("person_id", flat=True))


def test_both_rules_fired(built):
    last, before = Period(2026, 1), Period(2025, 2)
    listed = NoticeBoardEntry.objects.filter(active=True).select_related(
        "first_assessment", "second_assessment"
    )
    assert listed.count() == present.NOTICE_BOARD == 3
    for entry in listed:
        assert (entry.first_assessment.period, entry.second_assessment.period) == (before, last)
        assert entry.first_assessment.grade == entry.second_assessment.grade == Grade.EXCELLENT
        assert Candidacy.objects.get(pk=entry.candidacy_id).key_cultivation
    pending = RemovalProposal.objects.filter(state=ProposalState.PENDING).select_related("second_assessment")
    assert pending.count() == 2
    assert all(p.second_assessment.grade == Grade.INCOMPETENT for p in pending)
    # The reserve removed in 2022 for 连续两次考核为不称职 had two 不称职 before, and no proposal (he left).
    removed = Candidacy.objects.get(removal_reason="incompetent")
    grades = list(
        Assessment.objects.filter(person_id=removed.person_id)
        .order_by("year", "half")
        .values_list("grade", flat=True)
    )
    assert grades[-2:] == [Grade.INCOMPETENT, Grade.INCOMPETENT]
    last = Assessment.objects.filter(person_id=removed.person_id).order_by("year", "half").last()
    assert last.period.end < removed.removed_on <= last.period.end + timedelta(days=184)
    assert not RemovalProposal.objects.filter(person_id=removed.person_id).exists()


def test_a_notice_in_progress_and_a_recent_batch_in_the_pool(built):
    notice = PublicNotice.objects.get(start__gt=date(2026, 11, 1))
    assert (notice.start, notice.end, notice.township_id) == (
        date(2026, 12, 3),
        date(2026, 12, 9),
        "640323100",
    )
    assert working_days(notice.start, DAY - timedelta(days=1)) == present.NOTICE_STARTED_WORKDAYS
    assert working_days(notice.start, notice.end) == 5
    # The demo county has a 监督电话, so its notices and the 公示 form never show it blank.
    assert notice.supervision_phone == builder.DEMO_SUPERVISION_PHONE == "0953-6012345"
    in_notice = Candidacy.objects.filter(public_notice=notice, state=CandidacyState.IN_NOTICE)
    assert in_notice.count() == 4 and {c.village_id[:9] for c in in_notice} == {"640323100"}
    recent = Candidacy.objects.filter(entered_pool_on__year=2026)
    assert recent.count() == 6 and {c.state for c in recent} == {CandidacyState.IN_POOL}
    assert {(c.public_notice.start, c.public_notice.end, c.entered_pool_on) for c in recent} == {
        (date(2026, 4, 10), date(2026, 4, 16), date(2026, 4, 23))
    }
    # They report and are assessed from their first half-year in the pool.
    people = [c.person_id for c in recent]
    assert set(Assessment.objects.filter(person__in=people).values_list("year", "half")) == {(2026, 1)}
    assert SemiannualReport.objects.filter(person__in=people, year=2026, half=1).count() <= 6
    # The half-year trend shows them entering, on its own axis (see the browser test of the dashboard).
    scope = Scope(None, Division.objects.get(code="640323"), DAY)
    trends = selectors.trends(scope)
    assert trends["labels"][-1] == "2026-12-06"
    assert trends["entered"] == [0, 0, 0, 0, 0, 6, 0] and trends["promoted"] == [0, 1, 0, 0, 0, 0, 0]
    assert trends["pool"] == [349, 348, 348, 348, 348, 354, 354]  # 353, four removed, one used, six new


@pytest.mark.parametrize("offset", range(365))  # every day of 2026
def test_the_dates_work_on_any_day(offset):
    today = date(2026, 1, 1) + timedelta(days=offset)
    # Into 2027, whose holiday schedule is not entered yet, the 公示 counts weekends only: never refused.
    start, end = present.notice_dates(today)
    assert start < today < end
    dates = present.rotation_dates(today)
    if dates is None:
        assert today < date(2026, 1, 12)
    else:
        assert dates[0].year == today.year and dates[1] < today
    periods = present.periods_through(today)
    assert periods[0] == Period(2021, 1) and periods[-1].end < today <= periods[-1].end + timedelta(days=184)


def test_seed_000_figures_and_idempotence(built):
    result = compute(None, "640323", "2021-04-19")
    assert result["reserves"]["total"] == 353
    assert (result["coverage"]["villages_covered"], result["coverage"]["pct"]) == (100, 98.04)
    counts = [
        model.objects.count()
        for model in (SemiannualReport, Assessment, Training, Enrolment, Person, Candidacy, PublicNotice)
    ]
    assert present.build_present(demo_reserves(), today=DAY) == {
        "reports": 0,
        "assessments": 0,
        "rules": 0,
        "trainings": 0,
        "enrolments": 0,
        "new_people": 0,
        "candidacies": 0,
    }
    assert [
        model.objects.count()
        for model in (SemiannualReport, Assessment, Training, Enrolment, Person, Candidacy, PublicNotice)
    ] == counts


def test_the_county_phone_is_set_once_and_kept(built):
    rules = CountyRules.objects.get(county_id="640323")
    assert rules.supervision_phone == "0953-6012345" and rules.notice_working_days == 5
    rules.supervision_phone = "0953-1111111"  # a clerk's own number survives a rebuild
    rules.save()
    builder._county_rules()
    assert CountyRules.objects.get(county_id="640323").supervision_phone == "0953-1111111"
    CountyRules.objects.filter(county_id="640323").update(supervision_phone="")
    builder._county_rules()
    assert CountyRules.objects.values_list("supervision_phone", flat=True).get() == "0953-6012345"
