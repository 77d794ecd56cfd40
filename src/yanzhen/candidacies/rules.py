"""The rules of the pipeline a county sets (CountyRules), with the defaults when it has set none: the
public notice's minimum working days (public holidays and make-up working days from the app's holiday
schedule, `yanzhen.holidays.calendar`), and the age and party membership of a secretary reserve."""

from __future__ import annotations

from datetime import date

from yanzhen.candidacies.models import CountyRules
from yanzhen.divisions.codes import CODE_LENGTH, Level
from yanzhen.divisions.models import Division
from yanzhen.holidays.calendar import earliest_notice_end, working_days
from yanzhen.people.codes import PARTY_MEMBER_STATUSES, PoliticalStatus
from yanzhen.people.models import Person, age_on

__all__ = ["earliest_notice_end", "working_days"]  # re-exported: the pipeline's callers read them here


def county_code(division: Division) -> str:
    return division.code[: CODE_LENGTH[Level.COUNTY]]


def rules_for(division: Division) -> CountyRules:
    """The county's rules, or the defaults (an unsaved row) when the county has set none."""
    code = county_code(division)
    return CountyRules.objects.filter(county_id=code).first() or CountyRules(county_id=code)


def check_notice_period(rules: CountyRules, start: date | None, end: date | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if start is None:
        errors["start"] = "请填写公示开始日期"
    if end is None:
        errors["end"] = "请填写公示结束日期"
    if errors:
        return errors
    assert start is not None and end is not None
    if end < start:
        return {"end": "公示结束日期不能早于开始日期"}
    needed = rules.notice_working_days
    have = working_days(start, end)
    if have < needed:
        errors["end"] = (
            f"公示期须至少 {needed} 个工作日（周末和法定节假日不计，调休上班日计入）："
            f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d} 只有 {have} 个工作日，最早可于 "
            f"{earliest_notice_end(start, needed):%Y-%m-%d} 结束"
        )
    return errors


def check_secretary_rules(rules: CountyRules, person: Person, on: date) -> list[str]:
    """Age at entry and party membership for a secretary reserve."""
    problems = []
    age = age_on(person.birth_date, on)
    if age is not None and not rules.secretary_minimum_age <= age <= rules.secretary_maximum_age:
        problems.append(
            f"村党组织书记后备人选的年龄须在 {rules.secretary_minimum_age} 至 {rules.secretary_maximum_age} 周岁之间，"
            f"{person.name}在 {on:%Y-%m-%d} 为 {age} 周岁"
        )
    if rules.secretary_party_member_required and person.political_status not in PARTY_MEMBER_STATUSES:
        status = PoliticalStatus(person.political_status).label if person.political_status else "未填写"
        problems.append(f"村党组织书记后备人选须为中共党员或中共预备党员，{person.name}的政治面貌为{status}")
    return problems
