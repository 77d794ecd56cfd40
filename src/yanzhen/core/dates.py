"""Calendar arithmetic every app uses the same way (a period in months: a secondment, a 处分's 影响期)."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day `months` later; a day the target month lacks falls back to its last day
    (2024-01-31 + 1 month = 2024-02-29)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
