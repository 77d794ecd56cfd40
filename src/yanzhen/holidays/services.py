"""Writes of the holiday schedule: the top administrator enters or corrects a year."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min
from django.db.models.functions import Length

from yanzhen.accounts.roles import Role
from yanzhen.core.guards import attribute_to, raise_errors, today
from yanzhen.holidays import lines as schedule_lines
from yanzhen.holidays.models import HolidayDay, HolidayYear, ScheduleSource

FIRST_YEAR = 2004  # the first year of the State Council's schedules the chinesecalendar package holds
MAX_TEXT = 20_000


def may_edit_schedule(user) -> bool:
    """The schedule is nationwide and every county of the deployment counts its 公示 with it, so only an
    administrator at the top of the deployment may change it: the shortest division code of an active
    account (the county in a one-county deployment, the city above several counties), the same top as the
    audit log's (`core.audit.visible_events`). A county administrator under a city would otherwise move the
    notices of the neighbouring counties."""
    from yanzhen.accounts.models import User

    if not getattr(user, "is_authenticated", False) or not user.has_role(Role.ADMIN):
        return False
    if user.is_superuser:
        return True
    division = user.division_id or ""
    if not division:
        return False
    accounts = User.objects.filter(is_active=True, division__isnull=False)
    shortest = accounts.aggregate(shortest=Min(Length("division_id")))["shortest"]
    return len(division) == shortest


def last_year_open() -> int:
    """The State Council publishes a year's schedule in the autumn before it: up to next year, one more
    for a correction made early."""
    return today().year + 2


@transaction.atomic
def save_year(*, actor, year: int, text: str, published_at: date | None = None) -> HolidayYear:
    """Enter (or replace) a year's holidays and make-up working days from the lines of the page; the year
    becomes `manual`, and its history keeps the previous lines and who entered them."""
    if not may_edit_schedule(actor):
        raise PermissionDenied
    text = (text or "").replace("\r\n", "\n").strip()
    if not FIRST_YEAR <= year <= last_year_open():
        raise ValidationError({"year": f"年份须在 {FIRST_YEAR} 至 {last_year_open()} 之间"})
    if len(text) > MAX_TEXT:
        raise ValidationError({"lines": f"内容不能超过 {MAX_TEXT} 个字"})
    errors: dict[str, list[str]] = {}
    days, problems = schedule_lines.parse(text, year)
    if problems:
        errors["lines"] = problems
    if published_at is not None and not date(year - 1, 1, 1) <= published_at <= today():
        errors["published_at"] = [f"发布日期须在 {year - 1} 年以后，且不晚于今天"]
    raise_errors(errors)
    schedule = HolidayYear.objects.select_for_update().filter(year=year).first() or HolidayYear(year=year)
    schedule.source = ScheduleSource.MANUAL
    schedule.published_at = published_at
    schedule.lines = text
    schedule.entered_by = actor
    attribute_to(schedule, actor)
    schedule.save()
    HolidayDay.objects.filter(schedule=schedule).delete()
    HolidayDay.objects.bulk_create(
        HolidayDay(schedule=schedule, date=day.date, kind=day.kind, name=day.name) for day in days
    )
    return schedule
