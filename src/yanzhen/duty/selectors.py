"""Reads of the duty rota: a village's month, its gaps, the missed duty days, the sitting cadres who may be
on it, the attendance a monthly score may be pre-filled from. Every query starts from `restrict(user)`."""

from __future__ import annotations

import calendar as month_calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from yanzhen.core.guards import today
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.duty.models import CheckIn, DutyAssignment, DutySettings, Leave, LeaveState, WorkTeamMember
from yanzhen.holidays import calendar
from yanzhen.people.models import Person
from yanzhen.posts.models import Term


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=month_calendar.monthrange(first.year, first.month)[1])


def month_days(month: date) -> list[date]:
    first, last = month_bounds(month)
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def working_days(month: date) -> list[date]:
    """The working days of the month by the statutory calendar (`holidays.calendar`)."""
    schedule = calendar.load(month.year, month.year)
    return [day for day in month_days(month) if schedule.is_workday(day)]


def calendar_note(month: date) -> str:
    """The warning of a month whose year's holiday schedule has not been entered (empty when it has)."""
    first, last = month_bounds(month)
    years = calendar.missing_years(first, last)
    if not years:
        return ""
    return (
        f"{'、'.join(str(year) for year in years)} 年法定节假日安排尚未录入，本月工作日暂按周一至周五计算"
        "（国务院公布当年安排后，由管理员在“系统 → 法定节假日安排”中录入）"
    )


def sitting_terms(village_code: str, on: date):
    """The open terms of the village's seats on the day (its sitting cadres)."""
    return (
        Term.objects.current(on)
        .filter(seat__village_id=village_code)
        .select_related("person", "seat__post_type")
    )


def sitting_in_month(village_code: str, month: date) -> list[Person]:
    """Everyone who holds a seat of the village on some day of the month, by name."""
    first, last = month_bounds(month)
    terms = Term.objects.filter(seat__village_id=village_code, start__lte=last).filter(
        Q(end__isnull=True) | Q(end__gt=first)
    )
    people = {term.person_id: term.person for term in terms.select_related("person")}
    return sorted(people.values(), key=lambda person: (person.name, person.pk))


def sits_on(person_id: int, village_code: str, day: date) -> bool:
    return sitting_terms(village_code, day).filter(person_id=person_id).exists()


def active_members(village_code: str) -> list[WorkTeamMember]:
    return list(WorkTeamMember.objects.filter(village_id=village_code, active=True).order_by("name", "pk"))


def approved_leave_days(village_code: str, first: date, last: date) -> dict[int, set[date]]:
    """Per person of the village, the days of the span he is on approved leave."""
    days: dict[int, set[date]] = defaultdict(set)
    leaves = Leave.objects.filter(
        village_id=village_code, state=LeaveState.APPROVED, start__lte=last, end__gte=first
    )
    for leave in leaves:
        day = max(leave.start, first)
        while day <= min(leave.end, last):
            days[leave.person_id].add(day)
            day += timedelta(days=1)
    return days


@dataclass
class RotaDay:
    day: date
    working: bool
    assignments: list[DutyAssignment] = field(default_factory=list)
    on_leave: set[int] = field(default_factory=set)  # assignment ids whose holder is on approved leave
    missed: set[int] = field(default_factory=set)  # assignment ids of a past day without check-in

    @property
    def covered(self) -> bool:
        return any(assignment.pk not in self.on_leave for assignment in self.assignments)

    @property
    def gap(self) -> bool:
        return self.working and not self.covered


def is_missed(assignment: DutyAssignment, on_leave: bool, now: date) -> bool:
    """A past working day of a cadre's duty with no check-in and no approved leave. A work-team member has
    no login of his own in the village's system, so his days are not judged."""
    return (
        assignment.person_id is not None
        and assignment.day < now
        and not on_leave
        and not has_check_in(assignment)
    )


def has_check_in(assignment: DutyAssignment) -> bool:
    """Whether the assignment has its check-in (read from `select_related("check_in")` when it was)."""
    try:
        return assignment.check_in is not None
    except CheckIn.DoesNotExist:
        return False


def rota(village_code: str, month: date) -> list[RotaDay]:
    """The village's month, day by day: working or not, who is on duty, who of them is on leave, missed."""
    first, last = month_bounds(month)
    schedule = calendar.load(month.year, month.year)
    assignments = (
        DutyAssignment.objects.filter(village_id=village_code, day__gte=first, day__lte=last)
        .select_related("person", "member", "check_in")
        .order_by("day", "member_id", "person__name", "pk")
    )
    by_day: dict[date, list[DutyAssignment]] = defaultdict(list)
    for assignment in assignments:
        by_day[assignment.day].append(assignment)
    leave = approved_leave_days(village_code, first, last)
    now = today()
    days = []
    for day in month_days(month):
        row = RotaDay(day, schedule.is_workday(day), by_day.get(day, []))
        for assignment in row.assignments:
            away = assignment.person_id is not None and day in leave.get(assignment.person_id, set())
            if away:
                row.on_leave.add(assignment.pk)
            if row.working and is_missed(assignment, away, now):
                row.missed.add(assignment.pk)
        days.append(row)
    return days


def gaps(village_code: str, month: date) -> list[date]:
    """The working days of the month in the village without anyone on duty (a holder on approved leave does
    not cover the day)."""
    return [row.day for row in rota(village_code, month) if row.gap]


def missed(village_code: str, month: date) -> list[DutyAssignment]:
    """The month's missed duty days of the village (see `is_missed`)."""
    return [
        assignment
        for row in rota(village_code, month)
        for assignment in row.assignments
        if assignment.pk in row.missed
    ]


@dataclass(frozen=True)
class VillageMonth:
    village: Division
    gaps: list[date]
    missed: list[DutyAssignment]
    assignments: int


def township_month(user, township: Division, month: date) -> list[VillageMonth]:
    """Per village of the township (inside the user's jurisdiction): its gaps and missed duty days."""
    villages = Division.objects.restrict(user).filter(parent=township, level=Level.VILLAGE).order_by("code")
    first, last = month_bounds(month)
    rows = []
    for village in villages:
        days = rota(village.code, month)
        rows.append(
            VillageMonth(
                village,
                [row.day for row in days if row.gap],
                [a for row in days for a in row.assignments if a.pk in row.missed],
                sum(len(row.assignments) for row in days),
            )
        )
    return rows


def pending_leaves(user, under: str):
    return (
        Leave.objects.restrict(user)
        .filter(state=LeaveState.PENDING, village__code__startswith=under)
        .select_related("person", "village")
        .order_by("start", "pk")
    )


def leaves_of(user, under: str, month: date):
    first, last = month_bounds(month)
    return (
        Leave.objects.restrict(user)
        .filter(village__code__startswith=under, start__lte=last, end__gte=first)
        .select_related("person", "village", "decided_by")
        .order_by("start", "pk")
    )


# -- attendance → the monthly score (月考评) -------------------------------------------------------------------


def attendance_item_id(county_code: str) -> int | None:
    """The county's scoring item fed by attendance, if it chose one."""
    row = DutySettings.objects.filter(county_id=county_code[:6]).first()
    return row.attendance_item_id if row is not None else None


@dataclass(frozen=True)
class Attendance:
    duty_days: int
    attended: int  # checked in, or on approved leave that day


def attendance(person_id: int, village_code: str, month: date) -> Attendance:
    """A cadre's duty days of the month in the village (working days only) and those he attended."""
    first, last = month_bounds(month)
    schedule = calendar.load(month.year, month.year)
    assignments = DutyAssignment.objects.filter(
        village_id=village_code, person_id=person_id, day__gte=first, day__lte=last
    ).select_related("check_in")
    leave = approved_leave_days(village_code, first, last).get(person_id, set())
    duty = [a for a in assignments if schedule.is_workday(a.day)]
    attended = [a for a in duty if a.day in leave or has_check_in(a)]
    return Attendance(len(duty), len(attended))


def suggested_score(points: int, figures: Attendance) -> int | None:
    """points × attended ÷ duty days, rounded half up; None without a duty day."""
    if figures.duty_days == 0:
        return None
    value = Decimal(points) * figures.attended / figures.duty_days
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def attendance_suggestions(terms, month: date, items) -> dict[int, dict[int, int]]:
    """The pre-fill of the monthly score forms: per term, {attendance item id: suggested score}, for the
    terms with duty days in the month when the county chose an attendance item among `items`."""
    suggestions: dict[int, dict[int, int]] = {}
    for term in terms:
        village_code = term.seat.village_id
        item_id = attendance_item_id(village_code)
        item = next((item for item in items if item.pk == item_id), None)
        if item is None:
            continue
        score = suggested_score(item.points, attendance(term.person_id, village_code, month))
        if score is not None:
            suggestions[term.pk] = {item.pk: score}
    return suggestions
