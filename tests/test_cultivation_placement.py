"""Secondments and practice posts: the length rule with its edges and the override reason, full-time
overlaps with secondments and trainings, the overdue list with its date edge, model villages first, and
practice posts through the posts app for reserves without a post."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from yanzhen.cultivation import selectors, services
from yanzhen.cultivation.models import CultivationRules, PracticePost, Secondment
from yanzhen.cultivation.services import SecondmentInput
from yanzhen.divisions.models import Division, VillageTag
from yanzhen.posts import services as post_services
from yanzhen.posts.models import PostType, Seat, Term

from .cultivation_support import (
    COUNTY,
    DASHUIKENG_VILLAGE,
    HUAMACHI,
    HUAMACHI_OTHER_VILLAGE,
    training_input,
)
from .factories import make_person

pytestmark = pytest.mark.django_db

MODEL_VILLAGE = "640323100203"  # 四墩子村委会 of 花马池镇, tagged 示范村 below


def secondment(someone, **overrides) -> SecondmentInput:
    values = {
        "person": someone,
        "kind": "secondment",
        "mode": "full_time",
        "host": Division.objects.get(code=MODEL_VILLAGE),
        "start": date(2024, 3, 1),
        "planned_end": date(2024, 8, 31),
        "goals": "学习葡萄产业合作社的经营和村务管理",
    }
    values.update(overrides)
    return SecondmentInput(**values)


def test_six_months_to_the_day_is_accepted_one_more_day_needs_a_reason(persona):
    clerk = persona("huamachi")
    someone = make_person()
    assert services.create_secondment(actor=clerk, data=secondment(someone)).planned_end == date(2024, 8, 31)
    other = make_person("彭友国")
    with pytest.raises(ValidationError) as refused:
        services.create_secondment(actor=clerk, data=secondment(other, planned_end=date(2024, 9, 1)))
    assert refused.value.message_dict["planned_end"] == [
        "计划期限超过 6 个月（最晚到 2024-08-31）；确需延长的，请填写原因"
    ]
    assert not Secondment.objects.filter(person=other).exists()
    longer = services.create_secondment(
        actor=clerk,
        data=secondment(other, planned_end=date(2024, 12, 31), override_reason="县委组织部同意延长至年底"),
    )
    assert longer.override_reason == "县委组织部同意延长至年底"


def test_shorter_than_three_months_needs_a_reason_and_the_rule_is_per_county(persona):
    clerk = persona("huamachi")
    with pytest.raises(ValidationError) as refused:
        services.create_secondment(actor=clerk, data=secondment(make_person(), planned_end=date(2024, 5, 30)))
    assert refused.value.message_dict["planned_end"] == [
        "计划期限不足 3 个月（至少到 2024-05-31）；确需缩短的，请填写原因"
    ]
    assert services.create_secondment(
        actor=clerk, data=secondment(make_person("乙"), planned_end=date(2024, 5, 31))
    )
    CultivationRules.objects.create(
        county_id=COUNTY, secondment_minimum_months=1, secondment_maximum_months=2
    )
    with pytest.raises(ValidationError):
        services.create_secondment(
            actor=clerk, data=secondment(make_person("丙"), planned_end=date(2024, 5, 1))
        )


def test_full_time_secondments_do_not_overlap_part_time_ones_may(persona):
    clerk = persona("huamachi")
    someone = make_person()
    services.create_secondment(actor=clerk, data=secondment(someone))
    with pytest.raises(ValidationError) as refused:
        services.create_secondment(
            actor=clerk,
            data=secondment(
                someone,
                start=date(2024, 8, 31),
                planned_end=date(2024, 11, 30),
                host=Division.objects.get(code=HUAMACHI_OTHER_VILLAGE),
            ),
        )
    assert refused.value.message_dict["start"] == [
        "祝心灵在 2024-03-01 至 2024-08-31 已全脱产挂职（四墩子村委会），全脱产挂职不能重叠"
    ]
    # The day after the last day is free; a part-time one may overlap.
    assert services.create_secondment(
        actor=clerk, data=secondment(someone, start=date(2024, 9, 1), planned_end=date(2024, 11, 30))
    )
    assert services.create_secondment(actor=clerk, data=secondment(someone, mode="part_time"))
    assert Secondment.objects.filter(person=someone).count() == 3


def test_a_full_time_secondment_does_not_overlap_a_training_and_the_reverse(persona):
    clerk = persona("huamachi")
    someone = make_person()
    training = services.create_training(
        actor=clerk, data=training_input(start=date(2024, 3, 1), end=date(2024, 3, 1), hours=8)
    )
    services.enrol(actor=clerk, training=training, people=[someone])
    with pytest.raises(ValidationError) as refused:
        services.create_secondment(actor=clerk, data=secondment(someone))
    assert refused.value.message_dict["start"] == [
        "祝心灵在 2024-03-01 至 2024-03-01 参加培训班“村级后备力量培训班”，全脱产挂职不能与培训重叠"
    ]
    assert services.create_secondment(
        actor=clerk, data=secondment(someone, start=date(2024, 3, 2), planned_end=date(2024, 6, 1))
    )
    later = services.create_training(
        actor=clerk, data=training_input(start=date(2024, 6, 1), end=date(2024, 6, 3), hours=16)
    )
    with pytest.raises(ValidationError) as refused:
        services.enrol(actor=clerk, training=later, people=[someone])
    assert refused.value.message_dict["people"] == [
        "祝心灵在 2024-03-02 至 2024-06-01 全脱产挂职（四墩子村委会），不能同时参加该培训班"
    ]


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"goals": " "}, "goals", "请在挂职前写明锻炼目标"),
        ({"host": "640323100200"}, "host", "挂职单位不能是本人所在的村"),
        ({"host": HUAMACHI}, "host", "挂职和跨村任职须选择村，花马池镇 不是村级单位"),
        ({"kind": "shadowing"}, "host", "跟岗锻炼在乡镇进行，四墩子村委会 不是乡级单位"),
        ({"host": "621202100200"}, "host", "挂职单位须在本县（区）内"),
        ({"mode": "weekend"}, "mode", "请选择全脱产或半脱产"),
        ({"planned_end": date(2024, 2, 29)}, "planned_end", "计划结束日期不能早于开始日期"),
    ],
)
def test_bad_secondment_input(persona, change, field, message):
    if isinstance(change.get("host"), str):
        change["host"] = (
            Division.objects.filter(code=change["host"]).first()
            or Division.objects.filter(code__startswith="621202", level=5).first()
        )
    with pytest.raises(ValidationError) as refused:
        services.create_secondment(actor=persona("huamachi"), data=secondment(make_person(), **change))
    assert refused.value.message_dict[field] == [message]
    assert not Secondment.objects.exists()


def test_shadowing_at_the_township_and_cross_village_posts(persona):
    clerk = persona("huamachi")
    shadowing = services.create_secondment(
        actor=clerk,
        data=secondment(
            make_person(), kind="shadowing", mode="part_time", host=Division.objects.get(code=HUAMACHI)
        ),
    )
    assert (shadowing.kind, shadowing.host_id) == ("shadowing", HUAMACHI)
    cross = services.create_secondment(
        actor=clerk, data=secondment(make_person("乙"), kind="cross_village", post_title="党支部副书记")
    )
    assert cross.post_title == "党支部副书记"


def test_overdue_list_edges(persona):
    clerk = persona("huamachi")
    due = services.create_secondment(actor=clerk, data=secondment(make_person()))
    assert list(selectors.secondments(clerk, overdue_on=date(2024, 8, 31))) == []  # the last day itself
    assert list(selectors.secondments(clerk, overdue_on=date(2024, 9, 1))) == [due]  # the day after
    assert list(selectors.secondments(persona("dashuikeng"), overdue_on=date(2024, 9, 1))) == []
    with pytest.raises(ValidationError) as refused:
        services.submit_secondment_report(
            actor=clerk, secondment=due, report="总结", reported_on=date(2024, 8, 30)
        )
    assert refused.value.message_dict["reported_on"] == [
        "挂职总结在挂职结束后提交，总结日期不能早于 2024-08-31"
    ]
    services.submit_secondment_report(
        actor=clerk, secondment=due, report="学到了合作社的经营", reported_on=date(2024, 9, 3)
    )
    assert list(selectors.secondments(clerk, overdue_on=date(2024, 9, 4))) == []


def test_report_with_an_early_return_and_the_host_evaluation(persona):
    clerk = persona("huamachi")
    early = services.create_secondment(actor=clerk, data=secondment(make_person()))
    with pytest.raises(ValidationError) as refused:
        services.submit_secondment_report(
            actor=clerk,
            secondment=early,
            report="总结",
            reported_on=date(2024, 9, 1),
            actual_end=date(2024, 9, 1),
        )
    assert refused.value.message_dict["actual_end"] == ["实际结束日期须在 2024-03-01 至 2024-08-31 之间"]
    services.submit_secondment_report(
        actor=clerk,
        secondment=early,
        report="提前返村",
        reported_on=date(2024, 6, 1),
        actual_end=date(2024, 5, 31),
    )
    early.refresh_from_db()
    assert early.last_day == date(2024, 5, 31)
    with pytest.raises(ValidationError) as refused:
        services.evaluate_secondment(
            actor=clerk, secondment=early, grade="great", evaluation="", evaluated_on=date(2024, 6, 1)
        )
    assert refused.value.message_dict == {
        "grade": ["请选择评价等次（优秀、良好、一般或较差）"],
        "evaluation": ["请填写接收单位的评价意见"],
    }
    services.evaluate_secondment(
        actor=clerk, secondment=early, grade="excellent", evaluation="工作积极", evaluated_on=date(2024, 6, 2)
    )
    early.refresh_from_db()
    assert (early.host_grade, early.host_evaluation) == ("excellent", "工作积极")
    # A full-time secondment back early frees the days after for a training.
    training = services.create_training(
        actor=clerk, data=training_input(start=date(2024, 6, 10), end=date(2024, 6, 12), hours=24)
    )
    assert services.enrol(actor=clerk, training=training, people=[early.person])


def test_secondment_jurisdiction(persona):
    theirs = make_person("李香", village=DASHUIKENG_VILLAGE)
    with pytest.raises(Http404):
        services.create_secondment(actor=persona("huamachi"), data=secondment(theirs))
    mine = make_person()
    with pytest.raises(PermissionDenied):
        services.create_secondment(actor=persona("auditor"), data=secondment(mine))
    with pytest.raises(PermissionDenied):
        services.create_secondment(actor=persona("cunshuji"), data=secondment(mine))
    assert not Secondment.objects.exists()
    made = services.create_secondment(actor=persona("huamachi"), data=secondment(mine))
    with pytest.raises(Http404):
        selectors.get_secondment(persona("dashuikeng"), made.pk)
    with pytest.raises(Http404):
        services.submit_secondment_report(
            actor=persona("dashuikeng"), secondment=made, report="x", reported_on=date(2024, 9, 1)
        )


def test_model_villages_come_first_in_the_host_choices():
    model = VillageTag.objects.get_or_create(name="示范村")[0]
    star = VillageTag.objects.get_or_create(name="明星村")[0]
    Division.objects.get(code=MODEL_VILLAGE).tags.add(model)
    Division.objects.get(code="640323101201").tags.add(star)
    codes = list(selectors.host_choices(COUNTY).values_list("code", flat=True))
    assert codes[:2] == ["640323100203", "640323101201"]
    assert len(codes) == Division.objects.filter(code__startswith=COUNTY, level=5).count()


# -- practice posts ----------------------------------------------------------------------------------------


def grid_worker():
    return PostType.objects.get(code="grid_worker")


def test_practice_end_page_ends_the_post_on_the_day_given(persona, client_for):
    practice = services.assign_practice_post(
        actor=persona("huamachi"),
        person=make_person("甲"),
        post_type=grid_worker(),
        duties="负责第三网格的信息采集",
        start=date(2024, 3, 1),
    )
    page = client_for("huamachi")
    url = f"/cultivation/practice-posts/{practice.pk}/end/"
    response = page.get(url)
    assert response.status_code == 200
    assert response.context["confirm"] == "结束甲的实岗锻炼？此操作不可撤销。"
    response = page.post(url, {"end": "2024-08-31", "note": "期满"})
    assert response.status_code == 302
    assert response["Location"] == "/cultivation/practice-posts/"
    practice.refresh_from_db()
    assert (practice.end, practice.term.end) == (date(2024, 8, 31), date(2024, 9, 1))


def test_practice_post_opens_a_seat_and_term_through_the_posts_app(persona):
    clerk = persona("huamachi")
    someone = make_person()
    practice = services.assign_practice_post(
        actor=clerk,
        person=someone,
        post_type=grid_worker(),
        duties="负责第三网格的信息采集",
        start=date(2024, 3, 1),
    )
    assert practice.term.seat.post_type == grid_worker() and practice.term.person == someone
    assert practice.term.seat.village_id == someone.village_id
    second = services.assign_practice_post(
        actor=clerk,
        person=make_person("乙"),
        post_type=grid_worker(),
        duties="第四网格",
        start=date(2024, 3, 1),
    )
    assert second.term.seat.number == 2
    services.end_practice_post(actor=clerk, practice_post=practice, end=date(2024, 8, 31), note="期满")
    practice.term.refresh_from_db()
    assert practice.term.end == date(2024, 9, 1)  # the posts app counts the first day no longer held
    # The freed seat is used again.
    third = services.assign_practice_post(
        actor=clerk,
        person=make_person("丙"),
        post_type=grid_worker(),
        duties="第三网格",
        start=date(2024, 9, 1),
    )
    assert third.term.seat == practice.term.seat
    assert Seat.objects.filter(village_id=someone.village_id, post_type=grid_worker()).count() == 2


def test_practice_post_is_for_reserves_without_a_post(persona):
    clerk = persona("huamachi")
    someone = make_person()
    secretary_seat = post_services.ensure_seats(
        actor=clerk, village=someone.village, post_type=PostType.objects.get(code="secretary"), count=1
    )[0]
    post_services.appoint(actor=clerk, seat=secretary_seat, person=someone, start=date(2021, 1, 1))
    with pytest.raises(ValidationError) as refused:
        services.assign_practice_post(
            actor=clerk, person=someone, post_type=grid_worker(), duties="网格", start=date(2024, 3, 1)
        )
    assert refused.value.message_dict["person"] == [
        "祝心灵已担任村党组织书记，实岗锻炼只安排给暂无职务的后备力量"
    ]
    with pytest.raises(ValidationError) as refused:
        services.assign_practice_post(
            actor=clerk,
            person=make_person("乙"),
            post_type=PostType.objects.get(code="member"),
            duties="",
            start=date(2024, 3, 1),
        )
    assert refused.value.message_dict == {
        "post_type": ["两委委员不是实岗锻炼职位（书记助理、专职网格员、村民小组长等）"],
        "duties": ["请写明岗位职责"],
    }
    assert not PracticePost.objects.exists()
    assert Term.objects.count() == 1


def test_practice_post_jurisdiction(persona):
    with pytest.raises(Http404):
        services.assign_practice_post(
            actor=persona("huamachi"),
            person=make_person("李香", village=DASHUIKENG_VILLAGE),
            post_type=grid_worker(),
            duties="网格",
            start=date(2024, 3, 1),
        )
    with pytest.raises(PermissionDenied):
        services.assign_practice_post(
            actor=persona("auditor"),
            person=make_person(),
            post_type=grid_worker(),
            duties="网格",
            start=date(2024, 3, 1),
        )
    assert not PracticePost.objects.exists() and not Term.objects.exists()
