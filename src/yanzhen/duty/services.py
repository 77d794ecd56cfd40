"""Writes of the duty rota (坐班值班): the rota (one entry, a month from a weekly pattern), the work team, the
check-in by the cadre's own login, leave and its decision by the township, the county's attendance item.

The order of the checks is that of `core.guards`: jurisdiction (404), role (403), data (`ValidationError`
with Chinese messages keyed by field, nothing written). Every write names its author in the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from yanzhen.accounts.roles import Role
from yanzhen.core.guards import attribute_to, raise_errors, require_editor, today, visible
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.duty import selectors
from yanzhen.duty.models import CheckIn, DutyAssignment, DutySettings, Leave, LeaveState, WorkTeamMember
from yanzhen.holidays import calendar
from yanzhen.people.models import Person

REASON_MAX = 200
NOTE_MAX = 200
MANAGER_ROLES = (Role.ADMIN, Role.TOWNSHIP_CLERK)


def _save(instance, actor) -> None:
    attribute_to(instance, actor)
    instance.save()


def editable_village(actor, village: Division | str) -> Division:
    """A village of the actor's jurisdiction (else 404, also for a division of another level) he may change
    (else 403)."""
    code = village if isinstance(village, str) else village.code
    found = Division.objects.restrict(actor).filter(code=code, level=Level.VILLAGE).first()
    if found is None:
        raise Http404
    require_editor(actor)
    return found


def own_person(actor) -> Person | None:
    """The person a self-service login is tied to (assessments.SelfServiceLink), or None."""
    from yanzhen.assessments.models import SelfServiceLink

    if not getattr(actor, "is_authenticated", False):
        return None
    link = SelfServiceLink.objects.select_related("person").filter(user=actor).first()
    return link.person if link is not None else None


# -- work team ------------------------------------------------------------------------------------------------


@dataclass
class MemberInput:
    name: str
    unit: str
    active: bool = True


def _member_errors(data: MemberInput) -> dict[str, str]:
    errors = {}
    name, unit = (data.name or "").strip(), (data.unit or "").strip()
    if not name:
        errors["name"] = "请填写姓名"
    elif len(name) > 50:
        errors["name"] = "姓名不能超过 50 个字"
    if not unit:
        errors["unit"] = "请填写派出单位"
    elif len(unit) > 100:
        errors["unit"] = "派出单位不能超过 100 个字"
    return errors


@transaction.atomic
def save_member(
    *, actor, data: MemberInput, village: Division | None = None, member: WorkTeamMember | None = None
) -> WorkTeamMember:
    """Add a work-team member to a village, or correct one (`member`)."""
    if member is not None:
        member = visible(actor, member)
        require_editor(actor)
    else:
        assert village is not None
        member = WorkTeamMember(village=editable_village(actor, village), created_by=actor)
    raise_errors(_member_errors(data))
    member.name, member.unit, member.active = data.name.strip(), data.unit.strip(), data.active
    _save(member, actor)
    return member


# -- the rota -------------------------------------------------------------------------------------------------


def _holder_errors(village: Division, day: date, person: Person | None, member: WorkTeamMember | None) -> str:
    if (person is None) == (member is None):
        return "请选择一名值班人员（现任村“两委”干部或驻村工作队员）"
    if person is not None and not selectors.sits_on(person.pk, village.code, day):
        return f"{person.name}在 {day} 不是{village.name}的现任村“两委”干部"
    if member is not None and (member.village_id != village.code or not member.active):
        return f"{member.name}不是{village.name}在队的驻村工作队员"
    return ""


@transaction.atomic
def add_assignment(
    *,
    actor,
    village: Division | str,
    day: date | None,
    person: Person | None = None,
    member: WorkTeamMember | None = None,
) -> DutyAssignment:
    """Put one holder on the village's rota for one working day."""
    village = editable_village(actor, village)
    errors: dict[str, str] = {}
    if day is None:
        errors["day"] = "请填写值班日期"
    elif not calendar.is_workday(day):
        errors["day"] = f"{day} 不是工作日"
    raise_errors(errors)
    assert day is not None
    holder = _holder_errors(village, day, person, member)
    if holder:
        raise ValidationError({"holder": holder})
    assignment = DutyAssignment(village=village, day=day, person=person, member=member, created_by=actor)
    try:
        with transaction.atomic():
            _save(assignment, actor)
    except IntegrityError:
        raise ValidationError({"holder": f"{assignment.holder_name}在 {day} 已排班"}) from None
    return assignment


@transaction.atomic
def remove_assignment(*, actor, assignment: DutyAssignment) -> None:
    """Take an entry off the rota; one already checked in stays (it is a record of attendance)."""
    assignment = visible(actor, assignment)
    require_editor(actor)
    if CheckIn.objects.filter(assignment=assignment).exists():
        raise ValidationError(
            {"holder": f"{assignment.holder_name}在 {assignment.day} 已签到，不能删除该值班安排"}
        )
    attribute_to(assignment, actor)
    assignment.delete()


Holder = Person | WorkTeamMember


@dataclass(frozen=True)
class Generated:
    created: int
    removed: int
    skipped_on_leave: int


def _pattern_errors(village: Division, month: date, pattern: dict[int, list[Holder]]) -> dict[str, str]:
    sitting = {person.pk for person in selectors.sitting_in_month(village.code, month)}
    members = {member.pk for member in selectors.active_members(village.code)}
    errors = {}
    for weekday, holders in pattern.items():
        for holder in holders:
            if isinstance(holder, Person) and holder.pk not in sitting:
                errors[f"weekday_{weekday}"] = f"{holder.name}不是{village.name}本月的现任村“两委”干部"
            elif isinstance(holder, WorkTeamMember) and holder.pk not in members:
                errors[f"weekday_{weekday}"] = f"{holder.name}不是{village.name}在队的驻村工作队员"
    if not any(pattern.values()):
        errors["pattern"] = "请至少为一个工作日选择值班人员"
    return errors


def _remove_unchecked(actor, village: Division, month: date) -> int:
    first, last = selectors.month_bounds(month)
    removed = 0
    for assignment in DutyAssignment.objects.filter(
        village=village, day__gte=first, day__lte=last, check_in__isnull=True
    ):
        attribute_to(assignment, actor)
        assignment.delete()
        removed += 1
    return removed


@transaction.atomic
def generate_month(
    *, actor, village: Division | str, month: date, pattern: dict[int, list[Holder]], replace: bool = False
) -> Generated:
    """The month's rota from a weekly pattern (weekday 0 = Monday → holders): one entry per holder on each
    working day of his weekday; a holder on approved leave that day, or not sitting that day, is skipped.
    Entries already there are kept (`replace`: those without a check-in are removed first)."""
    village = editable_village(actor, village)
    month = month.replace(day=1)
    raise_errors(_pattern_errors(village, month, pattern))
    removed = _remove_unchecked(actor, village, month) if replace else 0
    first, last = selectors.month_bounds(month)
    leave = selectors.approved_leave_days(village.code, first, last)
    existing: set[tuple[date, int | None, int | None]] = set(
        DutyAssignment.objects.filter(village=village, day__gte=first, day__lte=last).values_list(
            "day", "person_id", "member_id"
        )
    )
    created = skipped = 0
    for day in selectors.working_days(month):
        for holder in pattern.get(day.weekday(), []):
            person = holder if isinstance(holder, Person) else None
            member = holder if isinstance(holder, WorkTeamMember) else None
            key: tuple[date, int | None, int | None] = (
                day,
                person.pk if person else None,
                member.pk if member else None,
            )
            if key in existing:
                continue
            if person is not None and day in leave.get(person.pk, set()):
                skipped += 1
                continue
            if person is not None and not selectors.sits_on(person.pk, village.code, day):
                continue
            assignment = DutyAssignment(
                village=village, day=day, person=person, member=member, created_by=actor
            )
            _save(assignment, actor)
            existing.add(key)
            created += 1
    return Generated(created, removed, skipped)


# -- check-in by the cadre's own login --------------------------------------------------------------------------


def _check_in_refusal(actor, assignment: DutyAssignment, now: datetime) -> str:
    person = own_person(actor)
    if person is None or not actor.has_role(Role.CADRE, Role.RESERVE) or actor.is_superuser:
        return "只有值班人员本人的账号才能签到"
    if assignment.village_id != actor.division_id:
        return "该值班安排不在您所在的村，不能签到"
    if assignment.person_id != person.pk:
        return "这不是您本人的值班安排，不能替他人签到"
    if assignment.day != timezone.localdate(now):
        return f"只能在值班当天签到（该安排为 {assignment.day}）"
    existing = CheckIn.objects.filter(assignment=assignment).first()
    if existing is not None:
        return f"今天已签到（{timezone.localtime(existing.checked_in_at):%H:%M}），不能重复签到"
    return ""


@transaction.atomic
def check_in(*, actor, assignment: DutyAssignment, note: str = "") -> CheckIn:
    """签到: only by the cadre's own login, for his own assignment of today in his own village, once."""
    assignment = DutyAssignment.objects.select_for_update().get(pk=assignment.pk)
    now = timezone.now()
    refusal = _check_in_refusal(actor, assignment, now)
    note = (note or "").strip()
    if not refusal and len(note) > NOTE_MAX:
        raise ValidationError({"note": f"备注不能超过 {NOTE_MAX} 个字"})
    if refusal:
        raise ValidationError({"assignment": refusal})
    record = CheckIn(assignment=assignment, checked_in_at=now, note=note, recorded_by=actor)
    _save(record, actor)
    return record


# -- leave ------------------------------------------------------------------------------------------------------


@dataclass
class LeaveInput:
    start: date | None
    end: date | None
    reason: str


def _leave_errors(person: Person, village: Division, data: LeaveInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    reason = (data.reason or "").strip()
    if not reason:
        errors["reason"] = "请填写请假事由"
    elif len(reason) > REASON_MAX:
        errors["reason"] = f"请假事由不能超过 {REASON_MAX} 个字"
    if data.start is None:
        errors["start"] = "请填写请假开始日期"
    if data.end is None:
        errors["end"] = "请填写请假结束日期"
    if errors or data.start is None or data.end is None:
        return errors
    if data.end < data.start:
        errors["end"] = "请假结束日期不能早于开始日期"
    elif not selectors.sits_on(person.pk, village.code, data.start):
        errors["start"] = f"{person.name}在 {data.start} 不是{village.name}的现任村“两委”干部"
    elif Leave.objects.filter(
        person=person,
        state__in=[LeaveState.PENDING, LeaveState.APPROVED],
        start__lte=data.end,
        end__gte=data.start,
    ).exists():
        errors["start"] = f"{person.name}在这段时间已有待审批或已批准的请假"
    return errors


@transaction.atomic
def request_leave(*, actor, person: Person, village: Division | str, data: LeaveInput) -> Leave:
    """请假: asked by the cadre himself (his own login) or entered by a clerk of the village's jurisdiction."""
    code = village if isinstance(village, str) else village.code
    himself = own_person(actor)
    if himself is not None and himself.pk == person.pk and actor.division_id == code:
        found = Division.objects.get(code=code)
    else:
        found = editable_village(actor, code)
    raise_errors(_leave_errors(person, found, data))
    assert data.start is not None and data.end is not None  # checked above
    leave = Leave(
        person=person,
        village=found,
        start=data.start,
        end=data.end,
        reason=data.reason.strip(),
        requested_by=actor,
    )
    _save(leave, actor)
    return leave


def may_decide_leave(actor) -> bool:
    return actor.has_role(*MANAGER_ROLES)


@transaction.atomic
def decide_leave(*, actor, leave: Leave, approve: bool) -> Leave:
    """The township clerk (or the county administrator) approves or refuses a pending leave."""
    leave = visible(actor, leave)
    if not may_decide_leave(actor):
        raise PermissionDenied
    leave = Leave.objects.select_for_update().get(pk=leave.pk)
    if leave.state != LeaveState.PENDING:
        raise ValidationError({"state": f"该请假{leave.get_state_display()}，不能再次审批"})
    leave.state = LeaveState.APPROVED if approve else LeaveState.REFUSED
    leave.decided_by, leave.decided_on = actor, today()
    _save(leave, actor)
    return leave


# -- the county's attendance item ---------------------------------------------------------------------------------


def set_attendance_item(*, actor, county: Division, item_id: int | None) -> DutySettings:
    """The county chooses the monthly scoring item attendance feeds (None: none); one item, one source."""
    from yanzhen.assessments.incumbents.fed_items import choose_item

    return choose_item(actor=actor, county=county, item_id=item_id, settings_model=DutySettings)
