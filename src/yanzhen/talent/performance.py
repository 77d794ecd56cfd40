"""Performance (绩效) of the 9-box (issue 21 §3): the one place that turns the assessments and the monthly
scores into low / medium / high.

On a day D:
- a reserve (后备力量 in the pool): the grade of his latest assessment (考核, `assessments.Assessment`, yearly or
  half-yearly) assessed in the `REVIEW_MONTHS` (18) months up to D — 优秀 → high; 称职 (合格) → medium;
  基本称职 or 不称职 → low (`GRADE_LEVEL`). No such assessment: no performance (未评定).
- a sitting village cadre (在职村干部): the grade of his latest assessment in the same window when he has one
  (the yearly verdict outranks the months); otherwise the average of his monthly totals (月考评,
  `assessments.MonthlyScore`, all his terms) for the months of the `SCORE_MONTHS` (12) months up to D, when
  at least `MIN_SCORED_MONTHS` (3) months are scored, banded by the county's own monthly bands
  (`AssessmentSettings`: 90 and 70 by default): average ≥ the 优秀 floor → high; ≥ the 称职 floor → medium;
  below → low. The comparison is exact (sum ≥ floor × months), so an average of exactly 90 is high and 89.9
  medium. A county changes the bands on its assessment settings page; nothing else is configurable.

The assessments and scores are read once for all the people and every day asked (`fetch`), then `level_on`
answers in memory, so a person's box over time and the moves between two days cost no more queries.
The rows are read as they are now (an assessment corrected later counts with its corrected grade).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from yanzhen.assessments.models import GRADE_NAMES, Assessment, AssessmentSettings, Grade, MonthlyScore
from yanzhen.assessments.periods import Period
from yanzhen.core.dates import add_months

HIGH, MEDIUM, LOW = "high", "medium", "low"
LEVELS = (LOW, MEDIUM, HIGH)
LEVEL_NAMES = {HIGH: "高", MEDIUM: "中", LOW: "低"}
GRADE_LEVEL = {
    Grade.EXCELLENT: HIGH,  # 优秀
    Grade.COMPETENT: MEDIUM,  # 称职 (合格)
    Grade.BASICALLY_COMPETENT: LOW,  # 基本称职
    Grade.INCOMPETENT: LOW,  # 不称职
}
REVIEW_MONTHS = 18
SCORE_MONTHS = 12
MIN_SCORED_MONTHS = 3


@dataclass(frozen=True)
class Performance:
    level: str
    basis: str  # what it rests on, in Chinese: "2025年度考核：优秀", "近 12 个月月考评平均 86.5 分（6 个月）"

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.level]


@dataclass
class Facts:
    """The assessments and monthly scores of some people, read once."""

    assessments: dict[int, list[tuple[date, int, int, str]]] = field(default_factory=dict)
    scores: dict[int, list[tuple[date, int]]] = field(default_factory=dict)
    settings: dict[str, AssessmentSettings] = field(default_factory=dict)

    def settings_of(self, county: str) -> AssessmentSettings:
        return self.settings.get(county) or AssessmentSettings(county_id=county)


def fetch(
    person_ids: Iterable[int], incumbent_ids: Iterable[int], counties: Iterable[str], since: date, until: date
) -> Facts:
    """What `level_on` needs for every day from `since` to `until`: three queries."""
    people = set(person_ids)
    assessments: dict[int, list[tuple[date, int, int, str]]] = defaultdict(list)
    for person_id, assessed_on, year, half, grade in (
        Assessment.objects.filter(
            person_id__in=people, assessed_on__lte=until, assessed_on__gt=add_months(since, -REVIEW_MONTHS)
        )
        .order_by("person_id", "assessed_on", "year", "half", "pk")
        .values_list("person_id", "assessed_on", "year", "half", "grade")
    ):
        assessments[person_id].append((assessed_on, year, half, grade))
    scores: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for person_id, month, total in (
        MonthlyScore.objects.filter(
            term__person_id__in=set(incumbent_ids),
            month__lte=until,
            month__gt=add_months(since, -SCORE_MONTHS),
        )
        .order_by("term__person_id", "month", "pk")
        .values_list("term__person_id", "month", "total")
    ):
        scores[person_id].append((month, total))
    settings = {row.county_id: row for row in AssessmentSettings.objects.filter(county_id__in=set(counties))}
    return Facts(dict(assessments), dict(scores), settings)


def grade_level(grade: str) -> str:
    return GRADE_LEVEL[Grade(grade)]


def average_level(totals: list[int], settings: AssessmentSettings) -> str:
    """The level of an average of monthly totals under the county's bands, compared exactly."""
    total, months = sum(totals), len(totals)
    if total >= settings.monthly_excellent_min * months:
        return HIGH
    if total >= settings.monthly_competent_min * months:
        return MEDIUM
    return LOW


def _by_assessment(rows: list[tuple[date, int, int, str]], on: date) -> Performance | None:
    earliest = add_months(on, -REVIEW_MONTHS)
    latest = None
    for assessed_on, year, half, grade in rows:
        if earliest < assessed_on <= on:
            latest = (year, half, grade)
    if latest is None:
        return None
    year, half, grade = latest
    return Performance(grade_level(grade), f"{Period(year, half).name}考核：{GRADE_NAMES[Grade(grade)]}")


def _by_scores(rows: list[tuple[date, int]], on: date, settings: AssessmentSettings) -> Performance | None:
    earliest = add_months(on, -SCORE_MONTHS)
    totals = [total for month, total in rows if earliest < month <= on]
    if len(totals) < MIN_SCORED_MONTHS:
        return None
    average = round(sum(totals) / len(totals), 1)
    basis = f"近 {SCORE_MONTHS} 个月月考评平均 {average:g} 分（{len(totals)} 个月）"
    return Performance(average_level(totals, settings), basis)


def level_on(person_id: int, *, incumbent: bool, county: str, on: date, facts: Facts) -> Performance | None:
    """The person's performance on the day under the rules above, or None (未评定)."""
    found = _by_assessment(facts.assessments.get(person_id, []), on)
    if found is not None or not incumbent:
        return found
    return _by_scores(facts.scores.get(person_id, []), on, facts.settings_of(county))


def change_days(person_id: int, facts: Facts) -> set[date]:
    """The days the person's performance may change: an assessment or a month counts from its day and stops
    counting when it leaves its window."""
    days: set[date] = set()
    for assessed_on, *_rest in facts.assessments.get(person_id, []):
        days.update({assessed_on, add_months(assessed_on, REVIEW_MONTHS)})
    for month, _total in facts.scores.get(person_id, []):
        days.update({month, add_months(month, SCORE_MONTHS)})
    return days
