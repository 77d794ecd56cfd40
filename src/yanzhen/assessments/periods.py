"""Periods of reports and assessments: a half-year (上半年 1 January – 30 June, 下半年 1 July – 31 December)
or a whole year (年度, for counties that assess once a year). Stored as (year, half) with half 0 for the
whole year, so one unique constraint covers both kinds.

Two periods are adjacent when the second starts the day after the first ends: 2023年下半年 → 2024年上半年,
2023年度 → 2024年上半年. A missing period in between breaks adjacency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yanzhen.core.bad_input import BadInput


class Half(models.IntegerChoices):
    YEAR = 0, _("Whole year")  # 年度
    FIRST = 1, _("First half")  # 上半年
    SECOND = 2, _("Second half")  # 下半年


class PeriodKind(models.TextChoices):
    HALF_YEAR = "half_year", _("Every half year")
    YEAR = "year", _("Every year")


HALF_NAMES = {Half.YEAR: "年度", Half.FIRST: "上半年", Half.SECOND: "下半年"}


@dataclass(frozen=True, order=True)
class Period:
    year: int
    half: int

    @property
    def start(self) -> date:
        return date(self.year, 7, 1) if self.half == Half.SECOND else date(self.year, 1, 1)

    @property
    def end(self) -> date:
        return date(self.year, 6, 30) if self.half == Half.FIRST else date(self.year, 12, 31)

    @property
    def is_year(self) -> bool:
        return self.half == Half.YEAR

    @property
    def name(self) -> str:
        """The Chinese name used in messages, whatever the interface language: 2024年上半年, 2024年度."""
        return (
            f"{self.year}{HALF_NAMES[Half(self.half)]}"
            if self.is_year
            else f"{self.year}年{HALF_NAMES[Half(self.half)]}"
        )

    @property
    def label(self) -> str:
        """The name for pages, translated."""
        if self.is_year:
            return gettext("%(year)s (whole year)") % {"year": self.year}
        if self.half == Half.FIRST:
            return gettext("%(year)s, first half") % {"year": self.year}
        return gettext("%(year)s, second half") % {"year": self.year}

    @property
    def key(self) -> str:
        """The form used in URLs and the API: 2024H1, 2024H2, 2024."""
        return str(self.year) if self.is_year else f"{self.year}H{self.half}"

    def __str__(self) -> str:
        return self.name

    def follows(self, other: Period) -> bool:
        """Whether this period starts the day after `other` ends."""
        return self.start == other.end + timedelta(days=1)

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    def previous(self) -> Period:
        """The period of the same kind before this one."""
        if self.is_year:
            return Period(self.year - 1, Half.YEAR)
        return (
            Period(self.year, Half.FIRST) if self.half == Half.SECOND else Period(self.year - 1, Half.SECOND)
        )


# The years a period may name: from the founding of the PRC to a far horizon. Outside them `date()` fails
# (year 0, 10000) or the value is a typo; either way the request is refused here, in one place.
FIRST_YEAR, LAST_YEAR = 1949, 2100


class PeriodOutOfRange(BadInput):
    """A ?period= whose year no period can have: answered 400 with the reason."""


def parse_period(key: str) -> Period | None:
    """2024H1 → Period(2024, 1); 2024 → Period(2024, 0); anything else → None.

    A key that reads as a period but names a year outside FIRST_YEAR..LAST_YEAR (0, -5H1, 20261201)
    raises PeriodOutOfRange."""
    raw = (key or "").strip()
    key = raw.upper()
    try:
        if "H" in key:
            year, half = key.split("H", 1)
            if half not in ("1", "2"):
                return None
            period = Period(int(year), int(half))
        else:
            period = Period(int(key), Half.YEAR) if key else None
    except ValueError:
        return None
    if period is not None and not FIRST_YEAR <= period.year <= LAST_YEAR:
        raise PeriodOutOfRange(f"考核期“{raw[:20]}”有误：年份须在 {FIRST_YEAR} 至 {LAST_YEAR} 之间")
    return period


def half_containing(on: date) -> Period:
    return Period(on.year, Half.FIRST if on.month <= 6 else Half.SECOND)


def period_containing(on: date, kind: str) -> Period:
    return Period(on.year, Half.YEAR) if kind == PeriodKind.YEAR else half_containing(on)


def last_finished_period(on: date, kind: str) -> Period:
    """The latest period that has ended before `on` (what a clerk usually assesses)."""
    return period_containing(on, kind).previous()
