"""Training programmes: bad input refused with the Chinese message and nothing written, attendance only
for the enrolled, yearly hours and the list under the county's minimum, and the jurisdiction rule of a
county training seen by a township as far as its own participants go."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from yanzhen.cultivation import selectors, services
from yanzhen.cultivation.models import CultivationRules, Enrolment, Training
from yanzhen.cultivation.services import AttendanceInput
from yanzhen.divisions.models import Division

from .cultivation_support import (
    COUNTY,
    DASHUIKENG_VILLAGE,
    HUAMACHI_OTHER_VILLAGE,
    actor,
    put_in_pool,
    training_input,
)
from .factories import make_person

pytestmark = pytest.mark.django_db


def test_create_training_with_history(persona):
    training = services.create_training(actor=persona("huamachi"), data=training_input())
    assert (training.days, training.hours, training.kind) == (5, Decimal("40"), "township_school")
    assert training.history.first().history_user == persona("huamachi")


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"hours": Decimal("-1")}, "hours", "学时不能为负数"),
        ({"hours": Decimal("120.5")}, "hours", "学时 120.5 不合理：5 天最多 120 学时（每天不超过 24 学时）"),
        ({"end": date(2024, 5, 5)}, "end", "结束日期不能早于开始日期"),
        ({"name": "  "}, "name", "请填写培训班名称"),
        ({"kind": "nap"}, "kind", "请选择培训类型（党校、高校、企业实习、集中轮训、乡镇党校、线上或其他）"),
        ({"hours": None}, "hours", "请填写学时"),
        ({"hours": "abc"}, "hours", "学时须为数字"),
    ],
)
def test_bad_training_input_is_refused_and_nothing_written(persona, overrides, field, message):
    with pytest.raises(ValidationError) as refused:
        services.create_training(actor=persona("huamachi"), data=training_input(**overrides))
    assert refused.value.message_dict[field] == [message]
    assert not Training.objects.exists()


def test_exactly_24_hours_a_day_is_accepted(persona):
    training = services.create_training(
        actor=persona("huamachi"), data=training_input(start=date(2024, 5, 6), end=date(2024, 5, 6), hours=24)
    )
    assert training.hours == 24


def test_a_village_cannot_organise_and_jurisdiction_and_role_are_checked(persona):
    with pytest.raises(ValidationError) as refused:
        services.create_training(
            actor=persona("county"), data=training_input(division=Division.objects.get(code="640323100200"))
        )
    assert "不是县级或乡级单位" in refused.value.message_dict["division"][0]
    with pytest.raises(Http404):
        services.create_training(actor=persona("dashuikeng"), data=training_input())
    with pytest.raises(PermissionDenied):
        services.create_training(
            actor=persona("auditor"), data=training_input(division=Division.objects.get(code=COUNTY))
        )
    with pytest.raises(Http404):  # a township's training lies outside the village secretary's village
        services.create_training(actor=persona("cunshuji"), data=training_input())
    with pytest.raises(PermissionDenied):
        services.create_training(
            actor=persona("cunshuji"), data=training_input(division=Division.objects.get(code="640323100200"))
        )
    assert not Training.objects.exists()


def test_attendance_for_someone_not_enrolled_is_refused_and_nothing_written(persona):
    clerk = persona("huamachi")
    training = services.create_training(actor=clerk, data=training_input())
    enrolled, stranger = make_person("祝心灵"), make_person("彭友国")
    services.enrol(actor=clerk, training=training, people=[enrolled])
    with pytest.raises(ValidationError) as refused:
        services.record_attendance(
            actor=clerk,
            training=training,
            rows=[AttendanceInput(enrolled, 40, True, 90), AttendanceInput(stranger, 40)],
        )
    assert refused.value.message_dict[f"attendance.{stranger.pk}"] == ["彭友国未报名该培训班，不能登记出勤"]
    enrolment = Enrolment.objects.get(person=enrolled)
    assert (enrolment.attended_hours, enrolment.completed, enrolment.score) == (None, False, None)


@pytest.mark.parametrize(
    "hours, score, message",
    [
        (-2, None, "出勤学时不能为负数"),
        (121, None, "出勤学时 121 不合理：5 天最多 120 学时（每天不超过 24 学时）"),
        (41, None, "祝心灵的出勤学时 41 超过培训班总学时 40"),
        (40, 101, "祝心灵：成绩须在 0 到 100 之间"),
    ],
)
def test_bad_attendance_is_refused(persona, hours, score, message):
    clerk = persona("huamachi")
    training = services.create_training(actor=clerk, data=training_input())
    someone = make_person("祝心灵")
    services.enrol(actor=clerk, training=training, people=[someone])
    with pytest.raises(ValidationError) as refused:
        services.record_attendance(
            actor=clerk, training=training, rows=[AttendanceInput(someone, hours, True, score)]
        )
    assert refused.value.message_dict[f"attendance.{someone.pk}"] == [message]
    assert Enrolment.objects.get(person=someone).attended_hours is None


def test_enrolling_twice_or_outside_the_jurisdiction_is_refused(persona):
    clerk = persona("huamachi")
    training = services.create_training(actor=clerk, data=training_input())
    someone, elsewhere = make_person("祝心灵"), make_person("李香", village=DASHUIKENG_VILLAGE)
    services.enrol(actor=clerk, training=training, people=[someone])
    with pytest.raises(ValidationError) as refused:
        services.enrol(actor=clerk, training=training, people=[someone])
    assert refused.value.message_dict["people"] == ["祝心灵已报名该培训班"]
    with pytest.raises(ValidationError) as refused:
        services.enrol(actor=clerk, training=training, people=[elsewhere])
    assert refused.value.message_dict["people"] == ["所选人员不存在或不在您的辖区内"]
    assert Enrolment.objects.count() == 1


def _county_training(**overrides):
    values = {
        "division": Division.objects.get(code=COUNTY),
        "organiser": "盐池县委组织部",
        "kind": "party_school",
    }
    values.update(overrides)
    return services.create_training(actor=actor("county"), data=training_input(**values))


def test_county_training_is_seen_by_a_township_only_through_its_participants(persona):
    training = _county_training()
    mine, theirs = make_person("祝心灵"), make_person("李香", village=DASHUIKENG_VILLAGE)
    huamachi, dashuikeng = persona("huamachi"), persona("dashuikeng")
    assert list(selectors.trainings(huamachi)) == []  # none of her people yet
    services.enrol(actor=persona("county"), training=training, people=[mine, theirs])

    listed = selectors.trainings(huamachi).get()
    assert listed.participants == 1
    assert [e.person for e in selectors.roster(huamachi, training)] == [mine]
    assert [e.person for e in selectors.roster(dashuikeng, training)] == [theirs]
    assert {e.person for e in selectors.roster(persona("county"), training)} == {mine, theirs}
    assert list(selectors.trainings(persona("outsider"))) == []
    # She may look but not manage: the organiser's jurisdiction manages.
    with pytest.raises(Http404):
        services.record_attendance(actor=huamachi, training=training, rows=[AttendanceInput(mine, 40)])
    with pytest.raises(Http404):
        selectors.get_training(persona("outsider"), training.pk)


def test_township_training_is_not_seen_by_another_township(persona):
    training = services.create_training(actor=persona("huamachi"), data=training_input())
    with pytest.raises(Http404):
        selectors.get_training(persona("dashuikeng"), training.pk)
    assert selectors.get_training(persona("auditor"), training.pk) == training


def test_yearly_hours_count_trainings_ending_in_the_year(persona):
    county = persona("county")
    someone = make_person("祝心灵")
    spanning = _county_training(start=date(2023, 12, 30), end=date(2024, 1, 2), hours=32)
    december = _county_training(start=date(2023, 12, 1), end=date(2023, 12, 1), hours=8)
    for training, hours in ((spanning, 30), (december, 8)):
        services.enrol(actor=county, training=training, people=[someone])
        services.record_attendance(
            actor=county, training=training, rows=[AttendanceInput(someone, hours, True)]
        )
    assert selectors.person_hours(someone, 2024) == Decimal("30")
    assert selectors.person_hours(someone, 2023) == Decimal("8")
    rows = selectors.yearly_hours(persona("huamachi"), 2024)
    assert [(row.person, row.hours, row.trainings) for row in rows] == [(someone, Decimal("30"), 1)]
    assert selectors.yearly_hours(persona("dashuikeng"), 2024) == []


def test_under_minimum_lists_reserves_below_the_county_rule_with_its_edge(persona):
    county = persona("county")
    short, exact, no_training = (
        make_person("祝心灵"),
        make_person("彭友国"),
        make_person("白坤林", village=HUAMACHI_OTHER_VILLAGE),
    )
    not_a_reserve = make_person("唐老汉")
    for reserve in (short, exact, no_training):
        put_in_pool(reserve)
    training = _county_training(start=date(2024, 3, 4), end=date(2024, 3, 8), hours=40)
    services.enrol(actor=county, training=training, people=[short, exact, not_a_reserve])
    services.record_attendance(
        actor=county,
        training=training,
        rows=[
            AttendanceInput(short, Decimal("31.5")),
            AttendanceInput(exact, 32),
            AttendanceInput(not_a_reserve, 0),
        ],
    )
    on = date(2024, 12, 31)
    rows = selectors.under_minimum(persona("huamachi"), 2024, on)
    assert [(row.person.name, row.hours, row.shortfall) for row in rows] == [
        ("白坤林", Decimal("0"), Decimal("32")),
        ("祝心灵", Decimal("31.5"), Decimal("0.5")),
    ]
    assert selectors.under_minimum(persona("dashuikeng"), 2024, on) == []

    # The county raises its minimum: exactly 32 is now short too.
    CultivationRules.objects.create(county_id=COUNTY, yearly_minimum_hours=Decimal("32.5"))
    assert [row.person.name for row in selectors.under_minimum(county, 2024, on)] == [
        "白坤林",
        "祝心灵",
        "彭友国",
    ]


def test_save_rules_is_for_the_county_administrator(persona):
    county = Division.objects.get(code=COUNTY)
    with pytest.raises(PermissionDenied):
        services.save_rules(
            actor=persona("auditor"),
            county=county,
            yearly_minimum_hours=40,
            mentee_cap=3,
            secondment_minimum_months=3,
            secondment_maximum_months=6,
        )
    with pytest.raises(Http404):
        services.save_rules(
            actor=persona("outsider"),
            county=county,
            yearly_minimum_hours=40,
            mentee_cap=3,
            secondment_minimum_months=3,
            secondment_maximum_months=6,
        )
    with pytest.raises(ValidationError) as refused:
        services.save_rules(
            actor=persona("county"),
            county=county,
            yearly_minimum_hours=40,
            mentee_cap=0,
            secondment_minimum_months=6,
            secondment_maximum_months=3,
        )
    assert refused.value.message_dict == {
        "mentee_cap": ["每名导师同时帮带的人数上限须在 1 到 20 之间"],
        "secondment_maximum_months": ["挂职期限须在 1 到 36 个月之间，且下限不大于上限"],
    }
    assert not CultivationRules.objects.exists()
    rules = services.save_rules(
        actor=persona("county"),
        county=county,
        yearly_minimum_hours=40,
        mentee_cap=2,
        secondment_minimum_months=3,
        secondment_maximum_months=6,
    )
    assert services.rules_for("640323100200").mentee_cap == 2 and rules.yearly_minimum_hours == 40
