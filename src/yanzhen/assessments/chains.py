"""The chain machinery shared by the rules on grades: "N consecutive grades of a kind" for reserves'
assessments (seed 000: two 优秀 / two 不称职 in adjacent periods) and for incumbents' monthly grades (a county's
rule, e.g. two months 不称职). A record that does not match, or a gap (a missing period or month), ends a
streak; only the latest streak long enough counts, as a rule acts on the latest facts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

T = TypeVar("T")


def streaks(
    records: Sequence[T], *, matches: Callable[[T], bool], follows: Callable[[T, T], bool]
) -> list[list[T]]:
    """The maximal runs of matching records, each record following its predecessor (records in order)."""
    runs: list[list[T]] = []
    current: list[T] = []
    for record in records:
        if not matches(record):
            current = []
            continue
        if current and follows(current[-1], record):
            current.append(record)
        else:
            current = [record]
            runs.append(current)
    return runs


def latest_streak(
    records: Sequence[T], *, length: int, matches: Callable[[T], bool], follows: Callable[[T, T], bool]
) -> list[T] | None:
    """The latest maximal run of at least `length` matching adjacent records, or None."""
    for run in reversed(streaks(records, matches=matches, follows=follows)):
        if len(run) >= length:
            return run
    return None


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def months_between(first: date, last: date) -> int:
    """Months from the first to the last (both first days of a month): 0 for the same month."""
    return (last.year - first.year) * 12 + last.month - first.month
