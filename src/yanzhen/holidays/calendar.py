"""Working days, read from the app's holiday schedule (`HolidayYear`/`HolidayDay`): the one place that
says whether a day is worked. A day of a known year is a working day when it is a make-up working day
(调休上班), or a Monday to Friday that is not a day off. A year without a schedule counts weekends only
(Saturday and Sunday off), and `missing_years` / `missing_note` say so, so that the pages can warn that the
end of a 公示 reaching into it may have to move once the State Council's schedule is entered.

No cache: each call reads the rows of the years it spans (two indexed queries, a few dozen rows), so an
entry made on one app server counts at once on every other, with nothing to invalidate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from yanzhen.holidays.models import DayKind, HolidayDay, HolidayYear

WEEKEND = (5, 6)  # Saturday, Sunday


@dataclass(frozen=True)
class Schedule:
    """The known years and the special days of a span of years."""

    first_year: int
    last_year: int
    known_years: frozenset[int]
    kinds: dict[date, str]

    def is_workday(self, day: date) -> bool:
        kind = self.kinds.get(day)
        if kind is not None:
            return kind == DayKind.WORKDAY
        return day.weekday() not in WEEKEND

    def covers(self, day: date) -> bool:
        return self.first_year <= day.year <= self.last_year


def load(first_year: int, last_year: int) -> Schedule:
    known = HolidayYear.objects.filter(year__gte=first_year, year__lte=last_year).values_list(
        "year", flat=True
    )
    kinds = HolidayDay.objects.filter(
        date__gte=date(first_year, 1, 1), date__lte=date(last_year, 12, 31)
    ).values_list("date", "kind")
    return Schedule(first_year, last_year, frozenset(known), dict(kinds))


def is_workday(day: date) -> bool:
    return load(day.year, day.year).is_workday(day)


def working_days(start: date, end: date) -> int:
    """Working days from start to end, both included: weekends and public holidays do not count, make-up
    working days (调休上班) do."""
    if end < start:
        return 0
    schedule = load(start.year, end.year)
    count, day = 0, start
    while day <= end:
        count += schedule.is_workday(day)
        day += timedelta(days=1)
    return count


def earliest_notice_end(start: date, days: int) -> date:
    """The first end date that gives the notice `days` working days (at least one)."""
    days = max(days, 1)
    schedule = load(start.year, start.year + 1)
    count, day = 0, start
    while True:
        if not schedule.covers(day):
            schedule = load(day.year, day.year + 1)
        count += schedule.is_workday(day)
        if count >= days:
            return day
        day += timedelta(days=1)


def missing_years(start: date, end: date) -> list[int]:
    """The years from start to end whose schedule has not been entered."""
    if end < start:
        return []
    years = range(start.year, end.year + 1)
    known = set(HolidayYear.objects.filter(year__in=years).values_list("year", flat=True))
    return [year for year in years if year not in known]


def years_note(years: list[int]) -> str:
    """The warning of a period reaching into years without a schedule (empty when there are none)."""
    if not years:
        return ""
    named = "、".join(f"{year}" for year in years)
    return (
        f"{named} 年法定节假日安排尚未录入，公示期按周六、周日休息计算，截止日期可能需要调整"
        "（国务院公布当年安排后，由管理员在“系统 → 法定节假日安排”中录入）"
    )


def missing_note(start: date | None, end: date | None) -> str:
    if start is None or end is None:
        return ""
    return years_note(missing_years(start, end))


def years_to_watch(today: date, latest_notice_end: date | None = None) -> list[int]:
    """The years whose schedule the dashboard asks for, when missing: this year; next year from December
    (the State Council publishes it in the autumn); and every year an open 公示 reaches into."""
    last = today.year + 1 if today.month == 12 else today.year
    if latest_notice_end is not None:
        last = max(last, latest_notice_end.year)
    return missing_years(date(today.year, 1, 1), date(last, 12, 31))
