"""Mentoring (传帮带): the cap of mentees per mentor with its date edges, "1+1" and "1+N", the guidance log,
mentor suggestions (same township first, then matching skills), and jurisdiction."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from yanzhen.cultivation import selectors, services
from yanzhen.cultivation.models import CultivationRules, GuidanceSession, Mentor, Mentorship
from yanzhen.divisions.models import Division, Industry
from yanzhen.people.models import Skill

from .cultivation_support import COUNTY, DASHUIKENG_VILLAGE, HUAMACHI, HUAMACHI_OTHER_VILLAGE
from .factories import make_person

pytestmark = pytest.mark.django_db

JAN = date(2024, 1, 1)


def outsider_mentor(clerk, name="王书记", code=HUAMACHI, kind="township_leader", **extra):
    return services.create_mentor(
        actor=clerk,
        kind=kind,
        name=name,
        unit="花马池镇党委副书记",
        division=Division.objects.get(code=code),
        **extra,
    )


def pair(clerk, mentee, *mentors, start=JAN, end=None):
    return services.create_mentorship(actor=clerk, mentee=mentee, mentors=list(mentors), start=start, end=end)


def test_one_mentor_is_1_plus_1_and_several_are_1_plus_n(persona):
    clerk = persona("huamachi")
    old_secretary = services.create_mentor(actor=clerk, kind="former_secretary", person=make_person("唐老汉"))
    assert (old_secretary.name, old_secretary.division_id) == ("唐老汉", "640323100200")
    leader = outsider_mentor(clerk)
    mentee = make_person("彭友国")
    assert pair(clerk, mentee, old_secretary).pairing == "1+1"
    assert pair(clerk, make_person("祝心灵"), old_secretary, leader).pairing == "1+N"
    assert Mentorship.objects.get(pairing="1+N").history.first().history_user == clerk


def test_the_cap_refuses_a_fourth_mentee_and_nothing_is_written(persona):
    clerk = persona("huamachi")
    mentor = outsider_mentor(clerk)
    for name in ("甲", "乙", "丙"):
        pair(clerk, make_person(name), mentor)
    fourth = make_person("丁")
    with pytest.raises(ValidationError) as refused:
        pair(clerk, fourth, mentor)
    assert refused.value.message_dict["mentors"] == [
        "导师王书记在该期间已帮带 3 名后备力量，达到每名导师 3 名的上限，不能再结对"
    ]
    assert not Mentorship.objects.filter(mentee=fourth).exists()


def test_cap_date_edges_periods_are_inclusive(persona):
    clerk = persona("huamachi")
    CultivationRules.objects.create(county_id=COUNTY, mentee_cap=1)
    mentor = outsider_mentor(clerk)
    pair(clerk, make_person("甲"), mentor, start=JAN, end=date(2024, 3, 31))
    # Starting on the last day of the other mentorship: both active that day.
    with pytest.raises(ValidationError):
        pair(clerk, make_person("乙"), mentor, start=date(2024, 3, 31))
    # Starting the day after: free.
    assert pair(clerk, make_person("丙"), mentor, start=date(2024, 4, 1)).start == date(2024, 4, 1)
    # Ending the day before the first one started: free as well.
    assert pair(clerk, make_person("丁"), mentor, start=date(2023, 10, 1), end=date(2023, 12, 31))


def test_cap_counts_the_busiest_day_not_every_overlap(persona):
    clerk = persona("huamachi")
    CultivationRules.objects.create(county_id=COUNTY, mentee_cap=2)
    mentor = outsider_mentor(clerk)
    # Two mentorships that never run together, both inside the new one's period: the busiest day has one.
    pair(clerk, make_person("甲"), mentor, start=JAN, end=date(2024, 2, 29))
    pair(clerk, make_person("乙"), mentor, start=date(2024, 3, 1), end=date(2024, 4, 30))
    assert pair(clerk, make_person("丙"), mentor, start=JAN, end=date(2024, 6, 30))
    with pytest.raises(ValidationError):
        pair(clerk, make_person("丁"), mentor, start=date(2024, 2, 1), end=date(2024, 2, 1))


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"mentors": []}, "mentors", "请至少选择一名导师"),
        ({"end": date(2023, 12, 31)}, "end", "结束日期不能早于开始日期"),
        ({"start": None}, "start", "请填写结对开始日期"),
    ],
)
def test_bad_mentorship_input(persona, change, field, message):
    clerk = persona("huamachi")
    mentor = outsider_mentor(clerk)
    values = {"mentee": make_person("甲"), "mentors": [mentor], "start": JAN}
    values.update(change)
    with pytest.raises(ValidationError) as refused:
        services.create_mentorship(actor=clerk, **values)
    assert refused.value.message_dict[field] == [message]
    assert not Mentorship.objects.exists()


def test_a_mentor_is_not_his_own_mentee_nor_twice_the_same(persona):
    clerk = persona("huamachi")
    someone = make_person("唐老汉")
    mentor = services.create_mentor(actor=clerk, kind="village_cadre", person=someone)
    with pytest.raises(ValidationError) as refused:
        pair(clerk, someone, mentor)
    assert refused.value.message_dict["mentors"] == ["唐老汉不能做自己的导师"]
    mentee = make_person("甲")
    pair(clerk, mentee, mentor)
    with pytest.raises(ValidationError) as refused:
        pair(clerk, mentee, mentor, start=date(2024, 6, 1))
    assert refused.value.message_dict["mentors"] == ["甲在该期间已由导师唐老汉帮带"]
    with pytest.raises(ValidationError) as refused:
        services.create_mentor(actor=clerk, kind="village_cadre", person=someone)
    assert refused.value.message_dict["person"] == ["唐老汉已登记为导师"]
    services.set_mentor_active(actor=clerk, mentor=mentor, active=False)
    with pytest.raises(ValidationError) as refused:
        pair(clerk, make_person("乙"), mentor)
    assert refused.value.message_dict["mentors"] == ["导师唐老汉已停止帮带，不能结对"]


def test_mentor_needs_a_name_and_a_township_or_village(persona):
    clerk = persona("county")
    with pytest.raises(ValidationError) as refused:
        services.create_mentor(
            actor=clerk, kind="work_team", name=" ", division=Division.objects.get(code=COUNTY)
        )
    assert refused.value.message_dict == {
        "name": ["请选择档案中的人员，或填写导师姓名"],
        "division": ["导师须在乡镇或村任职，盐池县 不是乡级或村级单位"],
    }
    assert not Mentor.objects.exists()


def test_jurisdiction_other_township_404_auditor_403_nothing_written(persona):
    clerk = persona("huamachi")
    mentor = outsider_mentor(clerk)
    theirs = make_person("李香", village=DASHUIKENG_VILLAGE)
    with pytest.raises(Http404):
        pair(clerk, theirs, mentor)
    with pytest.raises(Http404):
        outsider_mentor(persona("dashuikeng"))
    with pytest.raises(PermissionDenied):
        pair(persona("auditor"), make_person("甲"), mentor)
    # The 大水坑镇 clerk cannot pair her reserve with a mentor she does not see.
    with pytest.raises(ValidationError) as refused:
        pair(persona("dashuikeng"), theirs, mentor)
    assert refused.value.message_dict["mentors"] == ["所选导师不存在或不在您的辖区内"]
    assert not Mentorship.objects.exists()
    with pytest.raises(Http404):
        selectors.get_mentorship(persona("dashuikeng"), pair(clerk, make_person("甲"), mentor).pk)


def test_guidance_log_within_the_mentorship_and_by_the_village_secretary(persona):
    clerk = persona("huamachi")
    mentor, other = outsider_mentor(clerk), outsider_mentor(clerk, name="张队员", kind="work_team")
    mentorship = pair(clerk, make_person("彭友国"), mentor, start=JAN, end=date(2024, 6, 30))
    entry = services.log_guidance(
        actor=persona("cunshuji"),
        mentorship=mentorship,
        mentor=mentor,
        on=date(2024, 6, 30),
        form="on_site",
        topic="黄精种植项目政策宣讲",
    )
    assert entry.recorded_by == persona("cunshuji")
    for on, mentor_given, message_field, message in [
        (date(2024, 7, 1), mentor, "on", "指导日期须在结对期间（2024-01-01 至 2024-06-30）"),
        (date(2023, 12, 31), mentor, "on", "指导日期须在结对期间（2024-01-01 至 2024-06-30）"),
        (date(2024, 2, 1), other, "mentor", "请选择该结对的导师"),
        (timezone.localdate() + timedelta(days=1), mentor, "on", "指导日期不能晚于今天"),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.log_guidance(
                actor=clerk, mentorship=mentorship, mentor=mentor_given, on=on, form="talk", topic="谈心"
            )
        assert refused.value.message_dict[message_field] == [message]
    with pytest.raises(PermissionDenied):
        services.log_guidance(
            actor=persona("auditor"), mentorship=mentorship, mentor=mentor, on=JAN, form="talk", topic="谈心"
        )
    assert GuidanceSession.objects.count() == 1


def test_end_mentorship_frees_the_mentor(persona):
    clerk = persona("huamachi")
    CultivationRules.objects.create(county_id=COUNTY, mentee_cap=1)
    mentor = outsider_mentor(clerk)
    first = pair(clerk, make_person("甲"), mentor)
    with pytest.raises(ValidationError) as refused:
        services.end_mentorship(actor=clerk, mentorship=first, end=date(2023, 12, 31))
    assert refused.value.message_dict["end"] == ["结束日期不能早于开始日期 2024-01-01"]
    services.end_mentorship(actor=clerk, mentorship=first, end=date(2024, 5, 31), note="已能独立开展工作")
    assert pair(clerk, make_person("乙"), mentor, start=date(2024, 6, 1))


def test_suggestions_same_township_first_then_matching_skills(persona):
    county = persona("county")
    ecommerce = Skill.objects.get_or_create(name="电商")[0]
    grapes = Industry.objects.get_or_create(name="葡萄")[0]
    mentee = make_person("李香")
    mentee.skills.add(ecommerce)
    mentee.industries.add(grapes)
    plain_here = outsider_mentor(county, name="甲导师")
    skilled_here = outsider_mentor(county, name="乙导师", code=HUAMACHI_OTHER_VILLAGE, skills=[ecommerce])
    skilled_away = outsider_mentor(
        county, name="丙导师", code="640323101", skills=[ecommerce], industries=[grapes]
    )
    full_here = outsider_mentor(county, name="丁导师", code=HUAMACHI, skills=[ecommerce], industries=[grapes])
    for name in ("子", "丑", "寅"):
        pair(county, make_person(name), full_here)
    suggestions = selectors.suggest_mentors(county, mentee, on=JAN)
    assert [(s.mentor, s.same_township, s.matches) for s in suggestions] == [
        (skilled_here, True, ["电商"]),
        (plain_here, True, []),
        (skilled_away, False, ["电商", "葡萄"]),
    ]
    # The township clerk sees only her township's mentors.
    assert [s.mentor for s in selectors.suggest_mentors(persona("huamachi"), mentee, on=JAN)] == [
        skilled_here,
        plain_here,
    ]
    # A current mentor is not suggested again.
    pair(county, mentee, skilled_here)
    assert skilled_here not in [s.mentor for s in selectors.suggest_mentors(county, mentee, on=JAN)]
