"""Cyclic training (rounds, practice assignments judged at the next round, progress), degree upgrading
(graduation adds an education record) and the growth plan (item states and the overdue list with their
date edges)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from yanzhen.cultivation import selectors, services
from yanzhen.cultivation.models import (
    CyclicRound,
    DegreeStudy,
    GrowthPlan,
    GrowthPlanItem,
    PracticeAssignment,
    Training,
)
from yanzhen.cultivation.selectors import ItemState
from yanzhen.cultivation.services import AttendanceInput
from yanzhen.divisions.models import Division
from yanzhen.people.models import EducationRecord

from .cultivation_support import COUNTY, DASHUIKENG_VILLAGE, training_input
from .factories import make_person

pytestmark = pytest.mark.django_db


def programme(actor, trainees, **extra):
    values = {
        "division": Division.objects.get(code=COUNTY),
        "name": "百名村支书持续培养计划",
        "organiser": "盐池县委组织部",
        "start": date(2024, 3, 1),
        "trainees": trainees,
    }
    values.update(extra)
    return services.create_cyclic_programme(actor=actor, **values)


def round_of(actor, prog, start, days=4, practice_months_end=None, **extra):
    end = start + timedelta(days=days - 1)
    values = {
        "programme": prog,
        "start": start,
        "end": end,
        "hours": 32,
        "practice_end": practice_months_end or services.last_day_of_months(end + timedelta(days=1), 1),
        "assignment_brief": "结合本村产业写一份发展思路",
        "place": "自治区党校",
    }
    values.update(extra)
    return services.add_round(actor=actor, **values)


def test_rounds_make_trainings_with_enrolments_and_assignments(persona):
    county = persona("county")
    a, b = make_person("黄体奇"), make_person("刘西胜", village=DASHUIKENG_VILLAGE)
    prog = programme(county, [a, b])
    first = round_of(county, prog, date(2024, 3, 4))
    assert first.number == 1 and first.training.kind == "rotation" and first.training.hours == 32
    assert first.training.name == "百名村支书持续培养计划（第 1 期集中培训）"
    assert set(first.training.enrolments.values_list("person__name", flat=True)) == {"黄体奇", "刘西胜"}
    assert PracticeAssignment.objects.filter(round=first).count() == 2
    # The 花马池镇 clerk sees the programme through her trainee, and only him in the progress.
    rounds, rows = selectors.cyclic_progress(
        persona("huamachi"), selectors.get_cyclic_programme(persona("huamachi"), prog.pk)
    )
    assert [row.trainee for row in rows] == [a]
    with pytest.raises(Http404):
        selectors.get_cyclic_programme(persona("outsider"), prog.pk)


@pytest.mark.parametrize(
    "days, practice_end, field, message",
    [
        (2, None, "end", "集中培训须为 3–5 天，现为 2 天"),
        (6, None, "end", "集中培训须为 3–5 天，现为 6 天"),
        (
            4,
            date(2024, 4, 6),
            "practice_end",
            "回村实践须为 1–2 个月：结束日期应在 2024-04-07 至 2024-05-07 之间",
        ),
        (
            4,
            date(2024, 5, 8),
            "practice_end",
            "回村实践须为 1–2 个月：结束日期应在 2024-04-07 至 2024-05-07 之间",
        ),
    ],
)
def test_round_lengths_are_checked_and_nothing_written(persona, days, practice_end, field, message):
    county = persona("county")
    prog = programme(county, [make_person()])
    with pytest.raises(ValidationError) as refused:
        round_of(county, prog, date(2024, 3, 4), days=days, practice_months_end=practice_end)
    assert refused.value.message_dict[field] == [message]
    assert not CyclicRound.objects.exists() and not Training.objects.exists()


def test_round_edges_accepted(persona):
    county = persona("county")
    prog = programme(county, [make_person()])
    # 3 days, practice of exactly 2 months (2024-03-07 … 2024-05-06).
    first = round_of(county, prog, date(2024, 3, 4), days=3, practice_months_end=date(2024, 5, 6))
    with pytest.raises(ValidationError) as refused:
        round_of(county, prog, date(2024, 5, 6), days=5)
    assert refused.value.message_dict["start"] == ["第 2 期集中培训须在第 1 期回村实践结束（2024-05-06）之后"]
    second = round_of(county, prog, date(2024, 5, 7), days=5)
    assert (first.number, second.number) == (1, 2)


def test_assignments_are_judged_at_the_next_round(persona):
    county = persona("county")
    trainee = make_person("黄体奇")
    prog = programme(county, [trainee])
    first = round_of(county, prog, date(2024, 3, 4))  # training 03-04…03-07, practice to 04-07
    assignment = first.assignments.get()
    with pytest.raises(ValidationError) as refused:
        services.judge_assignment(actor=county, assignment=assignment, score=90, judged_on=date(2024, 4, 10))
    assert refused.value.message_dict["score"] == ["黄体奇尚未提交实践作业，不能评比"]
    with pytest.raises(ValidationError) as refused:
        services.submit_assignment(
            actor=county, assignment=assignment, result="引进建筑垃圾破碎项目", submitted_on=date(2024, 3, 7)
        )
    assert refused.value.message_dict["submitted_on"] == ["实践作业在集中培训结束（2024-03-07）后提交"]
    services.submit_assignment(
        actor=county, assignment=assignment, result="引进建筑垃圾破碎项目", submitted_on=date(2024, 4, 7)
    )
    second = round_of(county, prog, date(2024, 4, 15), days=3)  # 04-15…04-17
    for judged_on in (date(2024, 4, 14), date(2024, 4, 18)):
        with pytest.raises(ValidationError) as refused:
            services.judge_assignment(actor=county, assignment=assignment, score=90, judged_on=judged_on)
        assert refused.value.message_dict["judged_on"] == [
            "实践作业在第 2 期集中培训时评比（2024-04-15 至 2024-04-17）"
        ]
    with pytest.raises(ValidationError) as refused:
        services.judge_assignment(actor=county, assignment=assignment, score=101, judged_on=date(2024, 4, 17))
    assert refused.value.message_dict["score"] == ["成绩须在 0 到 100 之间"]
    services.judge_assignment(
        actor=county,
        assignment=assignment,
        score=Decimal("92.5"),
        judged_on=date(2024, 4, 17),
        showcased=True,
    )
    assignment.refresh_from_db()
    assert (assignment.judged_at, assignment.showcased) == (second, True)
    _rounds, rows = selectors.cyclic_progress(county, prog)
    assert rows[0].judged == 1 and rows[0].average_score == Decimal("92.5")
    with pytest.raises(PermissionDenied):
        services.judge_assignment(
            actor=persona("auditor"), assignment=assignment, score=1, judged_on=date(2024, 4, 17)
        )
    with pytest.raises(Http404):  # the programme is the county's: the township looks, the county manages
        services.submit_assignment(
            actor=persona("huamachi"),
            assignment=second.assignments.get(),
            result="x",
            submitted_on=date(2024, 4, 20),
        )


def test_cyclic_round_hours_count_in_the_yearly_hours(persona):
    county = persona("county")
    trainee = make_person()
    prog = programme(county, [trainee])
    first = round_of(county, prog, date(2024, 3, 4))
    services.record_attendance(
        actor=county, training=first.training, rows=[AttendanceInput(trainee, 32, True)]
    )
    assert selectors.person_hours(trainee, 2024) == 32


# -- degree upgrading --------------------------------------------------------------------------------------


def test_graduation_adds_an_education_record_and_refreshes_the_highest(persona):
    clerk = persona("huamachi")
    someone = make_person(education=None)
    assert someone.highest_education == ""
    study = services.create_degree_study(
        actor=clerk,
        person=someone,
        programme="村干部学历提升行动",
        school="宁夏广播电视大学",
        major="农村行政管理",
        education="31",
        start=date(2021, 9, 1),
        expected_end=date(2024, 7, 1),
        funding="mixed",
    )
    services.finish_degree_study(actor=clerk, study=study, graduated=True, finished_on=date(2024, 7, 1))
    study.refresh_from_db()
    someone.refresh_from_db()
    record = EducationRecord.objects.get(person=someone)
    assert (record.kind, record.education, record.school, record.graduation_date) == (
        "in_service",
        "31",
        "宁夏广播电视大学",
        date(2024, 7, 1),
    )
    assert study.state == "graduated" and study.education_record == record
    assert someone.highest_education == "31"
    assert record.history.first().history_user == clerk
    with pytest.raises(ValidationError) as refused:
        services.finish_degree_study(actor=clerk, study=study, graduated=True, finished_on=date(2024, 7, 2))
    assert (
        refused.value.message_dict["state"] == ["该学历提升已是“Graduated”状态"]
        or "state" in refused.value.message_dict
    )
    assert EducationRecord.objects.filter(person=someone).count() == 1


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"funding": "lottery"}, "funding", "请选择经费来源（财政、自筹或混合）"),
        ({"education": "99"}, "education", "学历代码 99 不在 GB/T 4658 中"),
        ({"expected_end": date(2021, 9, 1)}, "expected_end", "预计毕业日期须晚于入学日期"),
        ({"school": ""}, "school", "请填写就读院校"),
    ],
)
def test_bad_degree_input(persona, change, field, message):
    values = {
        "programme": "村干部学历提升行动",
        "school": "宁夏大学",
        "education": "21",
        "start": date(2021, 9, 1),
        "expected_end": date(2024, 7, 1),
        "funding": "public",
    }
    values.update(change)
    with pytest.raises(ValidationError) as refused:
        services.create_degree_study(actor=persona("huamachi"), person=make_person(education=None), **values)
    assert refused.value.message_dict[field] == [message]
    assert not DegreeStudy.objects.exists()


# -- the growth plan ---------------------------------------------------------------------------------------


def test_item_states_and_the_overdue_edge(persona):
    clerk = persona("huamachi")
    someone = make_person()
    item = services.add_plan_item(
        actor=clerk,
        person=someone,
        kind="other",
        title="参加村民议事会并发言",
        planned_start=date(2024, 3, 1),
        due=date(2024, 6, 30),
    )
    assert GrowthPlan.objects.get(person=someone).items.get() == item
    assert selectors.item_status(item, someone.pk, date(2024, 2, 29)).state == ItemState.PLANNED
    assert selectors.item_status(item, someone.pk, date(2024, 3, 1)).state == ItemState.IN_PROGRESS
    assert selectors.item_status(item, someone.pk, date(2024, 6, 30)).state == ItemState.IN_PROGRESS
    assert selectors.item_status(item, someone.pk, date(2024, 7, 1)).state == ItemState.OVERDUE
    assert [s.item for s in selectors.overdue_items(clerk, date(2024, 7, 1))] == [item]
    assert selectors.overdue_items(clerk, date(2024, 6, 30)) == []
    assert selectors.overdue_items(persona("dashuikeng"), date(2024, 7, 1)) == []
    # Done late: still overdue on the days before it was done, done from that day.
    item.done_on = date(2024, 7, 5)
    item.save()
    assert selectors.item_status(item, someone.pk, date(2024, 7, 4)).state == ItemState.OVERDUE
    assert selectors.item_status(item, someone.pk, date(2024, 7, 5)).state == ItemState.DONE


def test_linked_records_complete_items(persona):
    clerk = persona("huamachi")
    someone = make_person()
    training = services.create_training(actor=clerk, data=training_input())
    services.enrol(actor=clerk, training=training, people=[someone])
    item = services.add_plan_item(
        actor=clerk,
        person=someone,
        kind="training",
        title="乡镇党校培训",
        planned_start=date(2024, 5, 1),
        due=date(2024, 5, 31),
        link=training,
    )
    on = date(2024, 6, 15)
    assert selectors.item_status(item, someone.pk, on).state == ItemState.OVERDUE
    services.record_attendance(actor=clerk, training=training, rows=[AttendanceInput(someone, 40, True, 88)])
    status = selectors.item_status(item, someone.pk, on)
    assert (status.state, status.done_on) == (ItemState.DONE, date(2024, 5, 10))
    growth = selectors.growth(clerk, someone, on)
    assert (growth.done, growth.percent, growth.hours) == (1, 100, Decimal("40"))


def test_bad_plan_items_are_refused(persona):
    clerk = persona("huamachi")
    someone, other = make_person(), make_person("乙")
    training = services.create_training(actor=clerk, data=training_input())
    services.enrol(actor=clerk, training=training, people=[other])
    cases = [
        ({"due": date(2024, 2, 1)}, "due", "计划完成日期不能早于计划开始日期"),
        ({"kind": "nap"}, "kind", "请选择事项类别"),
        ({"title": ""}, "title", "请填写事项名称"),
        ({"kind": "training", "link": training}, "link", "关联的记录不属于祝心灵"),
        ({"kind": "secondment", "link": training}, "link", "关联的记录与事项类别不符"),
    ]
    for change, field, message in cases:
        values = {
            "kind": "other",
            "title": "事项",
            "planned_start": date(2024, 3, 1),
            "due": date(2024, 6, 30),
        }
        values.update(change)
        with pytest.raises(ValidationError) as refused:
            services.add_plan_item(actor=clerk, person=someone, **values)
        assert refused.value.message_dict[field] == [message]
    assert not GrowthPlanItem.objects.exists() and not GrowthPlan.objects.exists()
    with pytest.raises(Http404):
        services.add_plan_item(
            actor=persona("dashuikeng"),
            person=someone,
            kind="other",
            title="x",
            planned_start=date(2024, 3, 1),
            due=date(2024, 6, 30),
        )
    with pytest.raises(PermissionDenied):
        services.add_plan_item(
            actor=persona("auditor"),
            person=someone,
            kind="other",
            title="x",
            planned_start=date(2024, 3, 1),
            due=date(2024, 6, 30),
        )
    with pytest.raises(Http404):
        services.save_growth_plan(
            actor=persona("outsider"), person=someone, goals="x", drawn_up_on=date(2024, 1, 1)
        )
    assert not GrowthPlan.objects.exists()


def test_complete_plan_item(persona):
    clerk = persona("huamachi")
    someone = make_person()
    item = services.add_plan_item(
        actor=clerk,
        person=someone,
        kind="other",
        title="事项",
        planned_start=date(2024, 3, 1),
        due=date(2024, 6, 30),
    )
    with pytest.raises(ValidationError) as refused:
        services.complete_plan_item(actor=clerk, item=item, done_on=date(2024, 2, 1))
    assert refused.value.message_dict["done_on"] == ["完成日期不能早于计划开始日期 2024-03-01"]
    services.complete_plan_item(actor=clerk, item=item, done_on=date(2024, 4, 1))
    with pytest.raises(ValidationError):
        services.complete_plan_item(actor=clerk, item=item, done_on=date(2024, 4, 2))
    assert GrowthPlanItem.objects.get().done_on == date(2024, 4, 1)


def test_outsider_sees_nothing(persona):
    someone = make_person()
    services.add_plan_item(
        actor=persona("county"),
        person=someone,
        kind="other",
        title="x",
        planned_start=date(2024, 3, 1),
        due=date(2024, 4, 1),
    )
    assert selectors.overdue_items(persona("outsider"), date(2025, 1, 1)) == []
    assert selectors.growth(persona("outsider"), someone).plan is None
