"""Reads of the holiday schedule for its pages (the working days themselves are `holidays.calendar`)."""

from __future__ import annotations

from django.db.models import Count, Q

from yanzhen.holidays.lines import format_days
from yanzhen.holidays.models import DayKind, HolidayYear


def years():
    return (
        HolidayYear.objects.select_related("entered_by")
        .annotate(
            holidays=Count("days", filter=Q(days__kind=DayKind.HOLIDAY)),
            workdays=Count("days", filter=Q(days__kind=DayKind.WORKDAY)),
        )
        .order_by("-year")
    )


def year_lines(schedule: HolidayYear) -> str:
    """The lines as last entered, or, for a year seeded from the package, its days written as lines."""
    return schedule.lines or format_days(schedule.days.all())


def year_history(schedule: HolidayYear):
    return schedule.history.select_related("history_user").order_by("-history_date")
