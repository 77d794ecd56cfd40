"""The schedule of a year as lines a clerk can paste from the State Council's notice, one period a line:

    2027-01-01 至 2027-01-03 元旦 放假
    2027-02-06 至 02-13 春节 放假
    2027-02-14 春节 上班

A date is written 2027-01-01, 2027/1/1, 2027.1.1 or 2027年1月1日; the end of a range may leave out its year.
The kind ends the line (放假/休息/休假, or 上班/调休上班/补班); the name of the holiday stands before it. Each
mistake is reported with its line number, and nothing is saved while one remains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from yanzhen.holidays.models import DayKind

MAX_LINES = 200
MAX_RANGE_DAYS = 31
MAX_NAME = 40
WEEKDAYS = "一二三四五六日"

KIND_WORDS = {
    "调休上班": DayKind.WORKDAY,
    "上班": DayKind.WORKDAY,
    "补班": DayKind.WORKDAY,
    "放假": DayKind.HOLIDAY,
    "休息": DayKind.HOLIDAY,
    "休假": DayKind.HOLIDAY,
}
KIND_LABELS = {DayKind.HOLIDAY: "放假", DayKind.WORKDAY: "上班"}

_DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
_SHORT = r"(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
_LINE = re.compile(rf"^{_DATE}(?:\s*(?:至|到|~|～|—|–|－|\s-\s)\s*{_SHORT})?(?P<rest>.*)$")
_SEPARATORS = " \t,，、;；:："


@dataclass(frozen=True)
class Day:
    date: date
    kind: str
    name: str
    line: int


def _date(line: int, year: str, month: str, day: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise LineError(line, f"日期 {year}-{month}-{day} 不存在") from None


class LineError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(f"第 {line} 行：{message}")


def _kind_and_name(line: int, rest: str) -> tuple[str, str]:
    rest = rest.strip(_SEPARATORS)
    for word in sorted(KIND_WORDS, key=len, reverse=True):
        if rest.endswith(word):
            name = rest[: -len(word)]
        elif rest.startswith(word):
            name = rest[len(word) :]
        else:
            continue
        name = re.sub(r"\s+", "", name.strip(_SEPARATORS))
        kind = KIND_WORDS[word]
        if kind == DayKind.HOLIDAY and not name:
            raise LineError(line, "请写明节日名称，如“元旦 放假”")
        if len(name) > MAX_NAME:
            raise LineError(line, f"节日名称不能超过 {MAX_NAME} 个字")
        return kind, name
    raise LineError(line, "请在行末写明“放假”或“上班”")


def parse_line(number: int, text: str, year: int) -> list[Day]:
    found = _LINE.match(text)
    if not found:
        raise LineError(number, f"无法识别“{text[:40]}”，请按“2027-01-01 至 2027-01-03 元旦 放假”的格式填写")
    groups = found.groups()
    first = _date(number, *groups[0:3])
    last = first
    if groups[4] is not None:
        last = _date(number, groups[3] or groups[0], groups[4], groups[5])
    kind, name = _kind_and_name(number, found["rest"])
    for day in (first, last):
        if day.year != year:
            raise LineError(number, f"{day:%Y-%m-%d} 不在 {year} 年内，请在 {day.year} 年的安排中录入")
    if last < first:
        raise LineError(number, f"结束日期 {last:%Y-%m-%d} 早于开始日期 {first:%Y-%m-%d}")
    if (last - first).days >= MAX_RANGE_DAYS:
        raise LineError(number, f"一段日期不能超过 {MAX_RANGE_DAYS} 天")
    days = []
    day = first
    while day <= last:
        if kind == DayKind.WORKDAY and day.weekday() < 5:
            raise LineError(
                number,
                f"{day:%Y-%m-%d} 是星期{WEEKDAYS[day.weekday()]}，本就是工作日；调休上班日应是星期六或星期日",
            )
        days.append(Day(day, kind, name, number))
        day += timedelta(days=1)
    return days


def parse(text: str, year: int) -> tuple[list[Day], list[str]]:
    """The days of the lines, and the mistakes, each naming its line (empty lines and lines beginning
    with # are skipped)."""
    days: list[Day] = []
    errors: list[str] = []
    seen: dict[date, int] = {}
    numbered = [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1)]
    numbered = [(number, line) for number, line in numbered if line and not line.startswith("#")]
    if not numbered:
        return [], ["请至少录入一行：日期、节日名称和“放假”或“上班”"]
    if len(numbered) > MAX_LINES:
        return [], [f"最多录入 {MAX_LINES} 行"]
    for number, line in numbered:
        try:
            parsed = parse_line(number, line, year)
        except LineError as wrong:
            errors.append(str(wrong))
            continue
        for day in parsed:
            if day.date in seen:
                errors.append(f"第 {number} 行：{day.date:%Y-%m-%d} 已在第 {seen[day.date]} 行出现")
                break
            seen[day.date] = number
        else:
            days.extend(parsed)
    return days, errors


def format_days(days) -> str:
    """Lines for a schedule's days (objects with date, kind and name): consecutive days of the same kind
    and name become one range."""
    lines: list[str] = []
    run: list = []

    def flush() -> None:
        if not run:
            return
        first, last = run[0], run[-1]
        period = (
            f"{first.date:%Y-%m-%d}" if first is last else f"{first.date:%Y-%m-%d} 至 {last.date:%Y-%m-%d}"
        )
        lines.append(" ".join(part for part in (period, first.name, KIND_LABELS[first.kind]) if part))

    for day in sorted(days, key=lambda d: d.date):
        if run and (
            day.date - run[-1].date != timedelta(days=1)
            or day.kind != run[-1].kind
            or day.name != run[-1].name
        ):
            flush()
            run = []
        run.append(day)
    flush()
    return "\n".join(lines)
