"""Writes of cyclic training (循环培养): the programme and its trainees, each round (its concentrated
training becomes a `Training` with the trainees enrolled, so its hours count), and the practice
assignments handed in and judged at the next round.

The organiser's jurisdiction manages the programme. A round's concentrated training lasts 3–5 days and
its practice in the village 1–2 months from the day after (the county may change both); a round starts
after the previous round's practice ends.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from yanzhen.core.guards import raise_errors
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.cultivation.models import (
    CyclicProgramme,
    CyclicRound,
    Enrolment,
    PracticeAssignment,
    Training,
    TrainingKind,
)
from yanzhen.cultivation.services.common import (
    check_hours,
    check_scope,
    check_text,
    first_secondment_clash,
    last_day_of_months,
    locked,
    past_day_error,
    required_hours,
    required_score,
    rules_for,
    save,
)
from yanzhen.cultivation.services.training import ORGANISING_LEVELS
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person


@transaction.atomic
def create_cyclic_programme(
    *,
    actor,
    division: Division,
    name: str,
    organiser: str,
    start: date | None,
    trainees: list[Person],
    description: str = "",
) -> CyclicProgramme:
    check_scope(actor, division.code)
    errors: dict[str, str] = {}
    name = check_text(errors, "name", name, label="项目名称", limit=80, missing="请填写项目名称")
    organiser = check_text(
        errors, "organiser", organiser, label="主办单位", limit=100, missing="请填写主办单位"
    )
    if division.level not in ORGANISING_LEVELS:
        errors["division"] = f"循环培养须由县或乡镇组织，{division.name} 不是县级或乡级单位"
    if start is None:
        errors["start"] = "请填写开始日期"
    trainees = list(dict.fromkeys(trainees))
    if not trainees:
        errors["trainees"] = "请至少选择一名学员"
    elif any(not code_in_jurisdiction(actor, person.village_id) for person in trainees):
        errors["trainees"] = "所选人员不存在或不在您的辖区内"
    raise_errors(errors)
    programme = CyclicProgramme(
        division=division,
        name=name,
        organiser=organiser,
        start=start,
        description=description or "",
        created_by=actor,
    )
    save(programme, actor)
    programme.trainees.set(trainees)
    return programme


def _round_errors(
    programme: CyclicProgramme, number: int, start, end, practice_end, hours, brief
) -> dict[str, str]:
    rules = rules_for(programme.division_id)
    errors: dict[str, str] = {}
    for field, value, message in (
        ("start", start, "请填写集中培训开始日期"),
        ("end", end, "请填写集中培训结束日期"),
        ("practice_end", practice_end, "请填写回村实践结束日期"),
        ("assignment_brief", (brief or "").strip() or None, "请布置实践作业"),
    ):
        if value is None:
            errors[field] = message
    if errors:
        return errors
    days = (end - start).days + 1
    if end < start:
        return {"end": "集中培训结束日期不能早于开始日期"}
    _concentration_errors(errors, programme, rules, number, start, days)
    _practice_errors(errors, rules, end, practice_end)
    required_hours(errors, hours, days=days)
    clash = None if errors else first_secondment_clash(programme.trainees.all(), start, end)
    if clash is not None:
        trainee, secondment = clash
        errors["start"] = (
            f"{trainee.name}在 {secondment.start:%Y-%m-%d} 至 {secondment.last_day:%Y-%m-%d} 全脱产挂职，"
            "不能参加这期集中培训"
        )
    return errors


def _concentration_errors(
    errors, programme: CyclicProgramme, rules, number: int, start: date, days: int
) -> None:
    """The concentrated training's length within the county's rules, after the programme's start and after
    the previous round's practice."""
    if not rules.concentrated_minimum_days <= days <= rules.concentrated_maximum_days:
        errors["end"] = (
            f"集中培训须为 {rules.concentrated_minimum_days}–{rules.concentrated_maximum_days} 天，现为 {days} 天"
        )
    if start < programme.start:
        errors["start"] = f"集中培训不能早于项目开始日期 {programme.start:%Y-%m-%d}"
    previous = programme.rounds.filter(number=number - 1).first()
    if previous is not None and start <= previous.practice_end:
        errors["start"] = (
            f"第 {number} 期集中培训须在第 {number - 1} 期回村实践结束（{previous.practice_end:%Y-%m-%d}）之后"
        )


def _practice_errors(errors, rules, end: date, practice_end: date) -> None:
    """The practice in the village lasts as many months as the county's rules allow, from the day after the
    concentrated training."""
    practice_start = end + timedelta(days=1)
    earliest = last_day_of_months(practice_start, rules.practice_minimum_months)
    latest = last_day_of_months(practice_start, rules.practice_maximum_months)
    if not earliest <= practice_end <= latest:
        errors["practice_end"] = (
            f"回村实践须为 {rules.practice_minimum_months}–{rules.practice_maximum_months} 个月："
            f"结束日期应在 {earliest:%Y-%m-%d} 至 {latest:%Y-%m-%d} 之间"
        )


@transaction.atomic
def add_round(
    *,
    actor,
    programme: CyclicProgramme,
    start: date | None,
    end: date | None,
    hours,
    practice_end: date | None,
    assignment_brief: str,
    place: str = "",
) -> CyclicRound:
    """Add the next round: its concentrated training (with every trainee enrolled), its practice period
    and the practice assignment each trainee receives."""
    programme = locked(actor, programme, programme.division_id)
    number = (programme.rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    errors = _round_errors(programme, number, start, end, practice_end, hours, assignment_brief)
    check_text(errors, "place", place, label="培训地点", limit=100)
    raise_errors(errors)
    hours_value, _message = check_hours(hours, days=(end - start).days + 1)
    training = Training(
        name=f"{programme.name}（第 {number} 期集中培训）"[:100],
        organiser=programme.organiser,
        division=programme.division,
        kind=TrainingKind.ROTATION,
        place=(place or "").strip(),
        start=start,
        end=end,
        hours=hours_value,
        created_by=actor,
    )
    save(training, actor)
    cyclic_round = CyclicRound(
        programme=programme,
        number=number,
        training=training,
        practice_end=practice_end,
        assignment_brief=assignment_brief.strip(),
    )
    save(cyclic_round, actor)
    for trainee in programme.trainees.all():
        save(Enrolment(training=training, person=trainee), actor)
        save(
            PracticeAssignment(round=cyclic_round, trainee=trainee, task=cyclic_round.assignment_brief), actor
        )
    return cyclic_round


def _check_assignment(actor, assignment: PracticeAssignment) -> PracticeAssignment:
    check_scope(actor, assignment.round.programme.division_id)
    return (
        PracticeAssignment.objects.select_for_update().select_related("round__training").get(pk=assignment.pk)
    )


@transaction.atomic
def set_assignment_task(*, actor, assignment: PracticeAssignment, task: str) -> PracticeAssignment:
    """Give one trainee his own practice assignment (the round's brief is the default)."""
    assignment = _check_assignment(actor, assignment)
    task = (task or "").strip()
    if not task:
        raise ValidationError({"task": "请填写实践作业内容"})
    if assignment.judged_on is not None:
        raise ValidationError({"task": "该实践作业已评比，不能再修改"})
    assignment.task = task
    save(assignment, actor)
    return assignment


@transaction.atomic
def submit_assignment(
    *, actor, assignment: PracticeAssignment, result: str, submitted_on: date | None
) -> PracticeAssignment:
    """The result of the practice, handed in after the concentrated training."""
    assignment = _check_assignment(actor, assignment)
    errors: dict[str, str] = {}
    result = (result or "").strip()
    if assignment.judged_on is not None:
        errors["result"] = "该实践作业已评比，不能再修改"
    elif not result:
        errors["result"] = "请填写实践成果"
    training = assignment.round.training
    if message := past_day_error(submitted_on, "提交日期"):
        errors["submitted_on"] = message
    elif submitted_on <= training.end:
        errors["submitted_on"] = f"实践作业在集中培训结束（{training.end:%Y-%m-%d}）后提交"
    raise_errors(errors)
    assignment.result, assignment.submitted_on = result, submitted_on
    save(assignment, actor)
    return assignment


@transaction.atomic
def judge_assignment(
    *,
    actor,
    assignment: PracticeAssignment,
    score,
    judged_on: date | None,
    comment: str = "",
    showcased: bool = False,
) -> PracticeAssignment:
    """评比展示: the practice is judged during the next round's concentrated training; the last round's at
    the end of the programme, after its practice."""
    assignment = _check_assignment(actor, assignment)
    errors: dict[str, str] = {}
    if assignment.submitted_on is None:
        raise ValidationError({"score": f"{assignment.trainee.name}尚未提交实践作业，不能评比"})
    value = required_score(errors, score, field="score", missing="请填写评比得分")
    comment = check_text(errors, "comment", comment, label="评语", limit=200, unit="字")
    this_round = assignment.round
    following = CyclicRound.objects.filter(
        programme_id=this_round.programme_id, number=this_round.number + 1
    ).first()
    if message := past_day_error(judged_on, "评比日期"):
        errors["judged_on"] = message
    elif following is not None:
        session = following.training
        if not session.start <= judged_on <= session.end:
            errors["judged_on"] = (
                f"实践作业在第 {following.number} 期集中培训时评比（{session.start:%Y-%m-%d} 至 {session.end:%Y-%m-%d}）"
            )
    elif judged_on < this_round.practice_end:
        errors["judged_on"] = f"最后一期的实践作业在回村实践结束（{this_round.practice_end:%Y-%m-%d}）后评比"
    raise_errors(errors)
    assignment.score, assignment.judged_on, assignment.judged_at = value, judged_on, following
    assignment.comment, assignment.showcased = comment, bool(showcased)
    save(assignment, actor)
    return assignment
