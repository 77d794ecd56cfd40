"""Writes of mentoring (传帮带): mentors, mentorships with the county's cap of mentees per mentor, their end,
and the guidance log.

The cap counts, for each mentor, the most mentorships active on any one day of the new mentorship's
period (a mentorship ending on the day before the new one starts does not count; one ending on its first
day does: periods are inclusive).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from yanzhen.accounts.roles import Role
from yanzhen.core.guards import raise_errors, today
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.cultivation.models import (
    GuidanceForm,
    GuidanceSession,
    Mentor,
    MentorKind,
    Mentorship,
    Pairing,
)
from yanzhen.cultivation.services.common import (
    check_period,
    check_person,
    check_scope,
    check_text,
    locked,
    past_day_error,
    rules_for,
    save,
)
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division, Industry
from yanzhen.people.models import Person, Skill

MENTOR_LEVELS = (Level.TOWNSHIP, Level.VILLAGE)


@transaction.atomic
def create_mentor(
    *,
    actor,
    kind: str,
    division: Division | None = None,
    person: Person | None = None,
    name: str = "",
    unit: str = "",
    skills: Iterable[Skill] = (),
    industries: Iterable[Industry] = (),
    notes: str = "",
) -> Mentor:
    """Register a mentor: a person of the archive (he serves in his village unless told otherwise) or a
    named outsider serving in a township or village."""
    if person is not None:
        check_person(actor, person)
        division = division or person.village
    if division is None:
        raise ValidationError({"division": "请选择导师所在的乡镇或村"})
    check_scope(actor, division.code)
    errors: dict[str, str] = {}
    if kind not in MentorKind.values:
        errors["kind"] = "请选择导师类别（乡镇班子成员、老支书、驻村工作队员或村干部）"
    name = check_text(
        errors,
        "name",
        person.name if person is not None else name,
        label="导师姓名",
        limit=50,
        missing="请选择档案中的人员，或填写导师姓名",
    )
    unit = check_text(errors, "unit", unit, label="工作单位及职务", limit=100)
    if division.level not in MENTOR_LEVELS:
        errors["division"] = f"导师须在乡镇或村任职，{division.name} 不是乡级或村级单位"
    if person is not None and Mentor.objects.filter(person=person).exists():
        errors["person"] = f"{person.name}已登记为导师"
    raise_errors(errors)
    mentor = Mentor(kind=kind, person=person, name=name, unit=unit, division=division, notes=notes)
    save(mentor, actor)
    mentor.skills.set(list(skills))
    mentor.industries.set(list(industries))
    return mentor


@transaction.atomic
def set_mentor_active(*, actor, mentor: Mentor, active: bool) -> Mentor:
    """A mentor who stops guiding is kept (his log stays) but can no longer be paired."""
    mentor = locked(actor, mentor, mentor.division_id)
    mentor.active = active
    save(mentor, actor)
    return mentor


def peak_mentees(mentor: Mentor, start: date, end: date | None, *, exclude_pk: int | None = None) -> int:
    """The most mentorships of the mentor active on one day of [start, end] (end None: from start on)."""
    events: list[tuple[date, int]] = []
    for other_start, other_end in (
        Mentorship.objects.filter(mentors=mentor)
        .overlapping(start, end)
        .exclude(pk=exclude_pk)
        .values_list("start", "end")
    ):
        events.append((max(other_start, start), 1))
        if other_end is not None:
            events.append((other_end + timedelta(days=1), -1))
    # On one day, a mentorship that ended the day before leaves before the next one arrives.
    events.sort(key=lambda event: (event[0], event[1]))
    running = peak = 0
    for _day, change in events:
        running += change
        peak = max(peak, running)
    return peak


def cap_error(mentor: Mentor, start: date, end: date | None, *, exclude_pk: int | None = None) -> str | None:
    cap = rules_for(mentor.division_id).mentee_cap
    busy = peak_mentees(mentor, start, end, exclude_pk=exclude_pk)
    if busy + 1 > cap:
        return f"导师{mentor.name}在该期间已帮带 {busy} 名后备力量，达到每名导师 {cap} 名的上限，不能再结对"
    return None


def _mentorship_errors(actor, mentee: Person, mentors: list[Mentor], start, end) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not mentors:
        return {"mentors": "请至少选择一名导师"}
    visible = set(
        Mentor.objects.restrict(actor).filter(pk__in=[m.pk for m in mentors]).values_list("pk", flat=True)
    )
    if any(mentor.pk not in visible for mentor in mentors):
        return {"mentors": "所选导师不存在或不在您的辖区内"}
    check_period(errors, start, end, missing=("请填写结对开始日期", ""))
    for mentor in mentors:
        if mentor.person_id is not None and mentor.person_id == mentee.pk:
            errors["mentors"] = f"{mentee.name}不能做自己的导师"
        elif not mentor.active:
            errors["mentors"] = f"导师{mentor.name}已停止帮带，不能结对"
    if errors or start is None:
        return errors
    for mentor in mentors:
        if Mentorship.objects.filter(mentee=mentee, mentors=mentor).overlapping(start, end).exists():
            errors["mentors"] = f"{mentee.name}在该期间已由导师{mentor.name}帮带"
            return errors
        message = cap_error(mentor, start, end)
        if message:
            errors["mentors"] = message
            return errors
    return errors


@transaction.atomic
def create_mentorship(
    *,
    actor,
    mentee: Person,
    mentors: Iterable[Mentor],
    start: date | None,
    end: date | None = None,
    goals: str = "",
) -> Mentorship:
    """Pair a reserve with one mentor ("1+1") or several ("1+N"); each mentor stays within the cap."""
    check_person(actor, mentee)
    mentors = list(dict.fromkeys(mentors))
    # Lock the mentors so two clerks cannot both fill a mentor's last place.
    mentors = list(Mentor.objects.select_for_update().filter(pk__in=[m.pk for m in mentors]).order_by("pk"))
    errors = _mentorship_errors(actor, mentee, mentors, start, end)
    raise_errors(errors)
    mentorship = Mentorship(
        mentee=mentee,
        start=start,
        end=end,
        goals=goals or "",
        pairing=Pairing.ONE_TO_ONE if len(mentors) == 1 else Pairing.MANY_TO_ONE,
        created_by=actor,
    )
    save(mentorship, actor)
    mentorship.mentors.set(mentors)
    return mentorship


@transaction.atomic
def end_mentorship(*, actor, mentorship: Mentorship, end: date | None, note: str = "") -> Mentorship:
    mentorship = locked(actor, mentorship, mentorship.mentee.village_id)
    errors: dict[str, str] = {}
    if mentorship.end is not None and mentorship.end < today():
        errors["end"] = f"该结对已于 {mentorship.end:%Y-%m-%d} 结束"
    elif end is None:
        errors["end"] = "请填写结束日期"
    elif end < mentorship.start:
        errors["end"] = f"结束日期不能早于开始日期 {mentorship.start:%Y-%m-%d}"
    elif mentorship.sessions.filter(on__gt=end).exists():
        errors["end"] = "结束日期之后还有指导记录，请先核对"
    note = check_text(errors, "note", note, label="说明", limit=200, unit="字")
    raise_errors(errors)
    mentorship.end, mentorship.end_note = end, note
    save(mentorship, actor)
    return mentorship


def may_log_guidance(actor) -> bool:
    """Clerks record the log; so does the village secretary, who is often the mentor himself."""
    return actor.can_edit or actor.has_role(Role.VILLAGE_SECRETARY)


@transaction.atomic
def log_guidance(
    *,
    actor,
    mentorship: Mentorship,
    mentor: Mentor | None,
    on: date | None,
    form: str,
    topic: str,
    content: str = "",
) -> GuidanceSession:
    if not code_in_jurisdiction(actor, mentorship.mentee.village_id):
        raise Http404
    if not may_log_guidance(actor):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if mentor is None or not mentorship.mentors.filter(pk=mentor.pk).exists():
        errors["mentor"] = "请选择该结对的导师"
    if message := past_day_error(on, "指导日期"):
        errors["on"] = message
    elif on < mentorship.start or (mentorship.end is not None and on > mentorship.end):
        last = f"{mentorship.end:%Y-%m-%d}" if mentorship.end else "今"
        errors["on"] = f"指导日期须在结对期间（{mentorship.start:%Y-%m-%d} 至 {last}）"
    if form not in GuidanceForm.values:
        errors["form"] = "请选择指导方式"
    topic = check_text(errors, "topic", topic, label="指导主题", limit=100, missing="请填写指导主题")
    raise_errors(errors)
    session = GuidanceSession(
        mentorship=mentorship,
        mentor=mentor,
        on=on,
        form=form,
        topic=topic,
        content=content or "",
        recorded_by=actor,
    )
    save(session, actor)
    return session
