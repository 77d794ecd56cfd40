"""Writes of secondments (挂职锻炼, 跨村任职, 跟岗锻炼) and practice posts (实岗).

Rules of a secondment: the planned period lies within the county's length rule (3–6 months by default)
unless a reason for departing from it is given; a full-time one never overlaps another full-time
secondment or a training of the same person; the goals are written before it starts, the report after it
ends. A practice post goes to a reserve who holds no post; its seat and term are kept by the posts app.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q

from yanzhen.core.guards import raise_errors
from yanzhen.cultivation.models import (
    HostGrade,
    PracticePost,
    Secondment,
    SecondmentKind,
    SecondmentMode,
)
from yanzhen.cultivation.services.common import (
    check_period,
    check_person,
    check_text,
    county_code,
    full_time_secondment_during,
    last_day_of_months,
    locked,
    past_day_error,
    rules_for,
    save,
    training_during,
)
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person
from yanzhen.posts import services as post_services
from yanzhen.posts.models import PostType, Seat, Term, TermEndReason


@dataclass
class SecondmentInput:
    person: Person
    kind: str
    mode: str
    host: Division | None
    start: date | None
    planned_end: date | None
    goals: str
    post_title: str = ""
    override_reason: str = ""


def _host_errors(data: SecondmentInput) -> dict[str, str]:
    host, person = data.host, data.person
    if host is None:
        return {"host": "请选择挂职单位"}
    if county_code(host) != county_code(person.village_id):
        return {"host": "挂职单位须在本县（区）内"}
    if data.kind == SecondmentKind.SHADOWING:
        if host.level != Level.TOWNSHIP:
            return {"host": f"跟岗锻炼在乡镇进行，{host.name} 不是乡级单位"}
    elif host.level != Level.VILLAGE:
        return {"host": f"挂职和跨村任职须选择村，{host.name} 不是村级单位"}
    elif host.code == person.village_id:
        return {"host": "挂职单位不能是本人所在的村"}
    return {}


def _length_errors(data: SecondmentInput) -> dict[str, str]:
    rules = rules_for(data.person.village_id)
    shortest, longest = rules.secondment_minimum_months, rules.secondment_maximum_months
    if data.override_reason.strip():
        return {}
    latest = last_day_of_months(data.start, longest)
    if data.planned_end > latest:
        return {
            "planned_end": (
                f"计划期限超过 {longest} 个月（最晚到 {latest:%Y-%m-%d}）；确需延长的，请填写原因"
            )
        }
    earliest = last_day_of_months(data.start, shortest)
    if data.planned_end < earliest:
        return {
            "planned_end": (
                f"计划期限不足 {shortest} 个月（至少到 {earliest:%Y-%m-%d}）；确需缩短的，请填写原因"
            )
        }
    return {}


def _overlap_errors(data: SecondmentInput) -> dict[str, str]:
    if data.mode != SecondmentMode.FULL_TIME:
        return {}
    other = full_time_secondment_during(data.person, data.start, data.planned_end)
    if other is not None:
        return {
            "start": (
                f"{data.person.name}在 {other.start:%Y-%m-%d} 至 {other.last_day:%Y-%m-%d} 已全脱产挂职"
                f"（{other.host.name}），全脱产挂职不能重叠"
            )
        }
    enrolment = training_during(data.person, data.start, data.planned_end)
    if enrolment is not None:
        training = enrolment.training
        return {
            "start": (
                f"{data.person.name}在 {training.start:%Y-%m-%d} 至 {training.end:%Y-%m-%d} 参加培训班"
                f"“{training.name}”，全脱产挂职不能与培训重叠"
            )
        }
    return {}


def validate_secondment(data: SecondmentInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.kind not in SecondmentKind.values:
        errors["kind"] = "请选择类别（挂职锻炼、跨村任职或跟岗锻炼）"
    if data.mode not in SecondmentMode.values:
        errors["mode"] = "请选择全脱产或半脱产"
    if "kind" not in errors:
        errors.update(_host_errors(data))
    data.goals = check_text(errors, "goals", data.goals, missing="请在挂职前写明锻炼目标")
    data.post_title = check_text(errors, "post_title", data.post_title, label="挂任职务", limit=50)
    data.override_reason = check_text(
        errors, "override_reason", data.override_reason, label="原因", limit=200, unit="字"
    )
    check_period(
        errors,
        data.start,
        data.planned_end,
        fields=("start", "planned_end"),
        missing=("请填写开始日期", "请填写计划结束日期"),
        backwards="计划结束日期不能早于开始日期",
    )
    if "start" in errors or "planned_end" in errors:
        return errors
    errors.update(_length_errors(data))
    if "mode" not in errors:
        for key, message in _overlap_errors(data).items():
            errors.setdefault(key, message)
    return errors


@transaction.atomic
def create_secondment(*, actor, data: SecondmentInput) -> Secondment:
    check_person(actor, data.person)
    errors = validate_secondment(data)
    raise_errors(errors)
    secondment = Secondment(**vars(data), created_by=actor)  # the input's fields are the secondment's
    save(secondment, actor)
    return secondment


@transaction.atomic
def submit_secondment_report(
    *,
    actor,
    secondment: Secondment,
    report: str,
    reported_on: date | None,
    actual_end: date | None = None,
) -> Secondment:
    """The report after the secondment; `actual_end` when he came back before the planned end."""
    secondment = locked(actor, secondment, secondment.person.village_id)
    errors: dict[str, str] = {}
    report = check_text(errors, "report", report, missing="请填写挂职总结")
    if actual_end is not None and not secondment.start <= actual_end <= secondment.planned_end:
        errors["actual_end"] = (
            f"实际结束日期须在 {secondment.start:%Y-%m-%d} 至 {secondment.planned_end:%Y-%m-%d} 之间"
        )
    last_day = actual_end or secondment.planned_end
    if message := past_day_error(reported_on, "总结日期"):
        errors["reported_on"] = message
    elif "actual_end" not in errors and reported_on < last_day:
        errors["reported_on"] = f"挂职总结在挂职结束后提交，总结日期不能早于 {last_day:%Y-%m-%d}"
    raise_errors(errors)
    secondment.report, secondment.reported_on, secondment.actual_end = report, reported_on, actual_end
    save(secondment, actor)
    return secondment


@transaction.atomic
def evaluate_secondment(
    *, actor, secondment: Secondment, grade: str, evaluation: str, evaluated_on: date | None
) -> Secondment:
    """The host's evaluation of the person it received."""
    secondment = locked(actor, secondment, secondment.person.village_id)
    errors: dict[str, str] = {}
    if grade not in HostGrade.values:
        errors["grade"] = "请选择评价等次（优秀、良好、一般或较差）"
    evaluation = (evaluation or "").strip()
    if not evaluation:
        errors["evaluation"] = "请填写接收单位的评价意见"
    if message := past_day_error(evaluated_on, "评价日期"):
        errors["evaluated_on"] = message
    elif evaluated_on < secondment.start:
        errors["evaluated_on"] = f"评价日期不能早于挂职开始日期 {secondment.start:%Y-%m-%d}"
    raise_errors(errors)
    secondment.host_grade, secondment.host_evaluation, secondment.evaluated_on = (
        grade,
        evaluation,
        evaluated_on,
    )
    save(secondment, actor)
    return secondment


# -- practice posts ----------------------------------------------------------------------------------------


def current_post(person: Person, on: date) -> Term | None:
    """A term the person holds on `on` or later (a post he has not left)."""
    return (
        Term.objects.filter(person=person, start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gt=on))
        .select_related("seat__post_type")
        .first()
    )


def _free_seat(actor, village: Division, post_type: PostType, start: date) -> Seat:
    """A seat of the post type that is vacant from `start`, or a new one."""
    seats = list(Seat.objects.filter(village=village, post_type=post_type).order_by("number"))
    for seat in seats:
        terms = Term.objects.filter(seat=seat)
        if terms.filter(end__isnull=True).exists() or terms.filter(end__gt=start).exists():
            continue
        return seat
    created = post_services.ensure_seats(
        actor=actor, village=village, post_type=post_type, count=len(seats) + 1
    )
    return created[-1]


@transaction.atomic
def assign_practice_post(
    *,
    actor,
    person: Person,
    post_type: PostType,
    duties: str,
    start: date | None,
    planned_end: date | None = None,
) -> PracticePost:
    """Give a reserve without a post a practice post in his village, with written duties. A vacant seat
    of that post is used, or one is added; the term is started through the posts app."""
    check_person(actor, person)
    errors: dict[str, str] = {}
    if not post_type.is_practice:
        errors["post_type"] = f"{post_type.name}不是实岗锻炼职位（书记助理、专职网格员、村民小组长等）"
    duties = (duties or "").strip()
    if not duties:
        errors["duties"] = "请写明岗位职责"
    check_period(
        errors,
        start,
        planned_end,
        fields=("start", "planned_end"),
        missing=("请填写开始日期", ""),
        backwards="计划结束日期不能早于开始日期",
    )
    if start is not None and not errors:
        held = current_post(person, start) or Term.objects.filter(person=person, start__gt=start).first()
        if held is not None:
            errors["person"] = (
                f"{person.name}已担任{held.seat.post_type.name}，实岗锻炼只安排给暂无职务的后备力量"
            )
        elif PracticePost.objects.filter(person=person).active_on(start).exists():
            errors["person"] = f"{person.name}已在实岗锻炼中"
    raise_errors(errors)
    seat = _free_seat(actor, person.village, post_type, start)
    term = post_services.appoint(actor=actor, seat=seat, person=person, start=start)
    practice = PracticePost(
        person=person,
        post_type=post_type,
        village=person.village,
        duties=duties,
        start=start,
        planned_end=planned_end,
        term=term,
        created_by=actor,
    )
    save(practice, actor)
    return practice


@transaction.atomic
def end_practice_post(
    *, actor, practice_post: PracticePost, end: date | None, note: str = ""
) -> PracticePost:
    """End a practice post on its last day; the term in the posts app ends the day after."""
    practice_post = locked(actor, practice_post, practice_post.person.village_id)
    errors: dict[str, str] = {}
    if practice_post.end is not None:
        errors["end"] = f"该实岗已于 {practice_post.end:%Y-%m-%d} 结束"
    elif end is None:
        errors["end"] = "请填写结束日期"
    elif end < practice_post.start:
        errors["end"] = f"结束日期不能早于开始日期 {practice_post.start:%Y-%m-%d}"
    note = check_text(errors, "note", note, label="说明", limit=200, unit="字")
    raise_errors(errors)
    if practice_post.term_id is not None and practice_post.term.end is None:
        post_services.end_term(
            actor=actor,
            term=practice_post.term,
            end=end + timedelta(days=1),
            reason=TermEndReason.OTHER,
            note=("实岗锻炼结束" + (f"：{note}" if note else ""))[:200],
        )
    practice_post.end, practice_post.end_note = end, note
    save(practice_post, actor)
    return practice_post
