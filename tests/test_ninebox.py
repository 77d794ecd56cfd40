"""九宫格 (issue 21 §3) on a hand-made township: each person placed in the right box (the performance mapping's
boundaries exactly), the people without a rating or a performance listed apart, each person's box over time
and the moves between two days, the calibration session (changes recorded with their reason, refused without
one, locked once closed), the refusals (wrong role, wrong township, bad input) writing nothing, the pages and
the API."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from yanzhen.assessments.models import AssessmentSettings, MonthlyScore
from yanzhen.posts import services as post_services
from yanzhen.talent import performance, selectors, services
from yanzhen.talent.models import CalibrationChange, CalibrationSession, PotentialRating

from .candidacies_support import make_seat, user
from .conftest import DASHUIKENG, DASHUIKENG_VILLAGE, HUAMACHI, HUAMACHI_VILLAGE
from .factories import make_person
from .matching_support import grade, put_in_pool

pytestmark = pytest.mark.django_db

V = HUAMACHI_VILLAGE
TODAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def _reserve(name, code=V):
    return put_in_pool(make_person(name, code), village_code=code, posts=("secretary",)).person


def _incumbent(name, post="member", code=V, start=date(2024, 1, 1)):
    person = make_person(name, code)
    seat = make_seat(code, post)
    term = post_services.appoint(actor=user("county"), seat=seat, person=person, start=start)
    return person, term


def _scores(term, *totals, last=date(2026, 11, 1)):
    for index, total in enumerate(reversed(totals)):
        month = date(last.year, last.month - index, 1)
        MonthlyScore.objects.create(term=term, month=month, total=total)


def _rate(person, rating, on=None, reason="群众基础好，能力突出"):
    return services.rate(actor=user("county"), person=person, rating=rating, reason=reason, on=on)


def _written() -> tuple[int, ...]:
    return (
        PotentialRating.objects.count(),
        PotentialRating.history.count(),
        CalibrationChange.objects.count(),
        CalibrationChange.history.count(),
        CalibrationSession.objects.count(),
        CalibrationSession.history.count(),
    )


def _placed(grid) -> dict[str, list[str]]:
    return {box.key: sorted(m.name for m in box.members) for box in grid.boxes if box.members}


# -- the performance mapping ---------------------------------------------------------------------------------


def test_grades_map_to_levels():
    assert performance.grade_level("excellent") == "high"
    assert performance.grade_level("competent") == "medium"
    assert performance.grade_level("basically_competent") == "low"
    assert performance.grade_level("incompetent") == "low"


def test_monthly_average_bands_are_exact_at_the_boundaries():
    bands = AssessmentSettings(county_id="640323")  # 90 优秀, 70 称职 by default
    assert performance.average_level([90, 90, 90], bands) == "high"
    assert performance.average_level([90, 90, 89], bands) == "medium"  # 89.67
    assert performance.average_level([100, 80, 90], bands) == "high"  # exactly 90
    assert performance.average_level([70, 70, 70], bands) == "medium"
    assert performance.average_level([70, 70, 69], bands) == "low"  # 69.67
    own = AssessmentSettings(county_id="640323", monthly_excellent_min=85, monthly_competent_min=75)
    assert performance.average_level([85, 85, 85], own) == "high"
    assert performance.average_level([75, 74, 76], own) == "medium"
    assert performance.average_level([74, 75, 75], own) == "low"


# -- placement -----------------------------------------------------------------------------------------------


def _township():
    """Reserves and incumbents of 花马池镇 in every situation, and one reserve of 大水坑镇."""
    people = {}
    for name, grade_value, rating in [
        ("甲优高", "excellent", "high"),
        ("乙称中", "competent", "medium"),
        ("丙基低", "basically_competent", "low"),
        ("丁不高", "incompetent", "high"),
    ]:
        person = _reserve(name)
        grade(person, 2025, 0, grade_value)  # assessed 2025-12-31
        _rate(person, rating)
        people[name] = person
    people["戊无考"] = _reserve("戊无考")
    _rate(people["戊无考"], "high")  # rated, no assessment: 无绩效依据
    people["己无评"] = _reserve("己无评")
    grade(people["己无评"], 2025, 0, "excellent")  # assessed, not rated: 未评定潜力
    people["庚过期"] = _reserve("庚过期")
    grade(people["庚过期"], 2024, 2, "excellent")  # 2024-12-31: 23 months ago, out of the 18-month window
    _rate(people["庚过期"], "medium")
    people["辛九十"], term = _incumbent("辛九十", "secretary")
    _scores(term, 90, 95, 85)  # exactly 90
    _rate(people["辛九十"], "medium")
    people["壬两月"], term = _incumbent("壬两月", "chair")
    _scores(term, 99, 99)  # two months only
    _rate(people["壬两月"], "high")
    people["癸七十"], term = _incumbent("癸七十", "member")
    _scores(term, 69, 71, 70)  # exactly 70
    _rate(people["癸七十"], "low")
    people["子考评"], term = _incumbent("子考评", "supervision_chair")
    _scores(term, 99, 99, 99)
    grade(people["子考评"], 2025, 0, "competent")  # the assessment outranks the months
    _rate(people["子考评"], "high")
    people["丑外镇"] = _reserve("丑外镇", DASHUIKENG_VILLAGE)
    grade(people["丑外镇"], 2025, 0, "excellent")
    _rate(people["丑外镇"], "high")
    return people


def test_each_person_is_placed_in_the_right_box():
    _township()
    grid = selectors.ninebox(user("county"), HUAMACHI)
    assert _placed(grid) == {
        "high-high": ["甲优高"],
        "medium-medium": ["乙称中"],
        "low-low": ["丙基低"],
        "low-high": ["丁不高"],
        "high-medium": ["辛九十"],
        "medium-low": ["癸七十"],
        "medium-high": ["子考评"],
    }
    assert grid.placed == 7
    assert {m.name: m.missing for m in grid.unrated} == {
        "戊无考": "无绩效依据",
        "己无评": "未评定潜力",
        "庚过期": "无绩效依据",
        "壬两月": "无绩效依据",
    }
    assert [box.name for box in grid.rows[0]] == ["待发展者", "潜力之星", "明星"]
    assert [box.name for box in grid.rows[2]] == ["待调整", "基本胜任", "熟练能手"]
    secretary = grid.members_of("high-medium")[0]
    assert secretary.performance.basis == "近 12 个月月考评平均 90 分（3 个月）"
    assert secretary.role_text == "村党组织书记"
    assert grid.members_of("high-high")[0].performance.basis == "2025年度考核：优秀"
    assert grid.members_of("high-high")[0].role_text == "后备：村党组织书记"


def test_kind_and_place_filters():
    _township()
    reserves = selectors.ninebox(user("county"), HUAMACHI, kind="reserves")
    assert reserves.placed == 4 and len(reserves.unrated) == 3
    incumbents = selectors.ninebox(user("county"), HUAMACHI, kind="incumbents")
    assert incumbents.placed == 3 and [m.name for m in incumbents.unrated] == ["壬两月"]
    county = selectors.ninebox(user("county"), "640323")
    assert county.placed == 8
    # A township clerk sees his own township only; the other township's clerk sees none of it.
    assert selectors.ninebox(user("huamachi"), "").placed == 7
    assert _placed(selectors.ninebox(user("dashuikeng"), "")) == {"high-high": ["丑外镇"]}


def test_a_day_in_the_past_uses_that_days_ratings_and_performance():
    people = _township()
    _rate(people["甲优高"], "low", on=date(2026, 12, 1))
    earlier = selectors.ninebox(user("county"), HUAMACHI, date(2026, 1, 15))
    assert earlier.placed == 0  # the ratings were made on 2026-12-01
    assert _placed(selectors.ninebox(user("county"), HUAMACHI))["high-low"] == ["甲优高"]


# -- moves ---------------------------------------------------------------------------------------------------


def test_box_over_time_and_moves_between_two_days():
    person = _reserve("甲")
    grade(person, 2025, 0, "competent")  # 2025-12-31
    _rate(person, "low", on=date(2026, 3, 1))
    _rate(person, "high", on=date(2026, 9, 1))
    other = _reserve("乙")
    grade(other, 2025, 0, "excellent")
    _rate(other, "high", on=date(2026, 3, 1))
    member = selectors.member_of(user("county"), person.pk)
    steps = selectors.timeline(member)
    assert [(s.start, s.box_name) for s in steps] == [
        (date(2025, 12, 31), "未评定"),
        (date(2026, 3, 1), "基本胜任"),
        (date(2026, 9, 1), "潜力之星"),
    ]
    found = selectors.moves(user("county"), HUAMACHI, date(2026, 6, 30), date(2026, 12, 1))
    assert [(m.before_name, m.after_name, [p.name for p in m.members]) for m in found] == [
        ("基本胜任", "潜力之星", ["甲"])
    ]
    found = selectors.moves(user("county"), HUAMACHI, date(2026, 1, 1), date(2026, 12, 1))
    assert sorted((m.before_name, m.after_name, m.count) for m in found) == [
        ("未评定", "明星", 1),
        ("未评定", "潜力之星", 1),
    ]
    assert selectors.moves(user("dashuikeng"), "", date(2026, 1, 1), date(2026, 12, 1)) == []


# -- direct ratings ------------------------------------------------------------------------------------------


def test_a_rating_keeps_its_history_and_author():
    person = _reserve("甲")
    _rate(person, "medium", on=date(2026, 5, 1))
    _rate(person, "high")
    assert list(PotentialRating.objects.filter(person=person).values_list("rating", "rated_on")) == [
        ("high", TODAY),
        ("medium", date(2026, 5, 1)),
    ]
    assert PotentialRating.history.latest("history_id").history_user == user("county")
    assert selectors.member_of(user("county"), person.pk).potential.rating == "high"


def test_refused_ratings_write_nothing():
    person = _reserve("甲")
    nobody = make_person("乙")  # neither in the pool nor sitting
    before = _written()
    with pytest.raises(ValidationError) as refused:
        services.rate(actor=user("county"), person=person, rating="high", reason="  ")
    assert refused.value.message_dict == {"reason": ["请填写评定理由"]}
    with pytest.raises(ValidationError) as refused:
        services.rate(actor=user("county"), person=person, rating="top", reason="很好")
    assert refused.value.message_dict == {"rating": ["请选择潜力评定：高、中或低"]}
    with pytest.raises(ValidationError) as refused:
        services.rate(actor=user("county"), person=nobody, rating="high", reason="很好")
    assert refused.value.message_dict == {"person": ["只能评定在库后备力量或在职村干部"]}
    with pytest.raises(ValidationError):
        services.rate(actor=user("county"), person=person, rating="high", reason="很好", on=date(2026, 12, 2))
    with pytest.raises(PermissionDenied):  # a direct rating is the county's
        services.rate(actor=user("huamachi"), person=person, rating="high", reason="很好")
    with pytest.raises(PermissionDenied):
        services.rate(actor=user("auditor"), person=person, rating="high", reason="很好")
    for outside in ("dashuikeng", "outsider"):
        with pytest.raises(Http404):
            services.rate(actor=user(outside), person=person, rating="high", reason="很好")
    assert _written() == before


# -- calibration ---------------------------------------------------------------------------------------------


def _session(actor="huamachi", township=HUAMACHI, held_on=date(2026, 11, 30)):
    return services.create_session(
        actor=user(actor),
        data=services.SessionInput(township, held_on, "镇党委书记、组织委员、各村第一书记"),
    )


def test_a_calibration_session_records_each_change_with_its_reason():
    people = _township()
    session = _session()
    change = services.change_in_session(
        actor=user("huamachi"),
        session=session,
        person=people["甲优高"],
        rating="medium",
        reason="外出时间较多",
    )
    services.change_in_session(
        actor=user("county"), session=session, person=people["己无评"], rating="high", reason="带富能力强"
    )
    rows = list(
        CalibrationChange.objects.filter(session=session)
        .order_by("pk")
        .values_list("person__name", "before", "after", "reason", "changed_by__username")
    )
    assert rows == [
        ("甲优高", "high", "medium", "外出时间较多", "huamachi"),
        ("己无评", "", "high", "带富能力强", "county"),
    ]
    assert change.rating.session == session and change.rating.rated_on == TODAY
    grid = selectors.ninebox(user("county"), HUAMACHI)
    assert _placed(grid)["high-medium"] == ["甲优高", "辛九十"]
    assert _placed(grid)["high-high"] == ["己无评"]
    services.close_session(actor=user("huamachi"), session=session)
    session.refresh_from_db()
    assert session.is_closed and session.closed_by == user("huamachi")
    before = _written()
    with pytest.raises(ValidationError) as refused:
        services.change_in_session(
            actor=user("county"), session=session, person=people["乙称中"], rating="high", reason="再议"
        )
    assert refused.value.message_dict == {"session": ["校准会已结束，不能再调整评定"]}
    with pytest.raises(ValidationError):
        services.close_session(actor=user("county"), session=session)
    assert _written() == before


def test_refused_calibration_changes_write_nothing():
    people = _township()
    session = _session()
    before = _written()
    cases = [
        ({"person": people["乙称中"], "rating": "high", "reason": ""}, {"reason": ["请填写评定理由"]}),
        (
            {"person": people["乙称中"], "rating": "x", "reason": "理由"},
            {"rating": ["请选择潜力评定：高、中或低"]},
        ),
        (
            {"person": people["乙称中"], "rating": "medium", "reason": "理由"},
            {"rating": ["调整后的评定与原评定相同"]},
        ),
        (
            {"person": people["丑外镇"], "rating": "low", "reason": "理由"},
            {"person": ["只能调整本乡镇在库后备力量或在职村干部的评定"]},
        ),
    ]
    for kwargs, message in cases:
        with pytest.raises(ValidationError) as refused:
            services.change_in_session(actor=user("huamachi"), session=session, **kwargs)
        assert refused.value.message_dict == message
    for actor, error in [
        ("dashuikeng", Http404),
        ("cunshuji", Http404),
        ("outsider", Http404),
        ("auditor", PermissionDenied),
    ]:
        with pytest.raises(error):
            services.change_in_session(
                actor=user(actor), session=session, person=people["乙称中"], rating="high", reason="理由"
            )
        with pytest.raises(error):
            services.close_session(actor=user(actor), session=session)
    assert _written() == before


def test_refused_sessions_write_nothing():
    before = _written()
    with pytest.raises(Http404):  # another township's clerk
        _session("dashuikeng", HUAMACHI)
    with pytest.raises(Http404):  # a village is not a township
        _session("county", V)
    with pytest.raises(PermissionDenied):
        _session("auditor")
    with pytest.raises(ValidationError) as refused:
        _session("county", held_on=date(2026, 12, 2))
    assert refused.value.message_dict == {"held_on": ["校准会日期不能晚于今天"]}
    with pytest.raises(ValidationError) as refused:
        services.create_session(actor=user("county"), data=services.SessionInput(HUAMACHI, TODAY, "  "))
    assert refused.value.message_dict == {"participants": ["请填写参会人员"]}
    assert _written() == before
    assert _session("dashuikeng", DASHUIKENG).township_id == DASHUIKENG


# -- pages and the API ---------------------------------------------------------------------------------------


def test_the_grid_page_and_the_people_behind_a_box(client_for):
    people = _township()
    client = client_for("county")
    page = client.get(f"/succession/ninebox/?township={HUAMACHI}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "明星" in text and 'data-box="high-high"' in text and 'id="placed">7<' in text
    page = client.get(f"/succession/ninebox/?township={HUAMACHI}&box=high-high")
    text = page.content.decode()
    assert page.status_code == 200 and "甲优高" in text and f"/people/{people['甲优高'].pk}/" in text
    page = client.get(f"/succession/ninebox/?township={HUAMACHI}&box=unrated&kind=incumbents")
    assert "壬两月" in page.content.decode() and "戊无考" not in page.content.decode()
    assert client.get("/succession/ninebox/?box=top").status_code == 400
    assert client.get("/succession/ninebox/?kind=x").status_code == 400
    assert client.get("/succession/ninebox/?as_of=2027-01-01").status_code == 400
    assert client_for("dashuikeng").get(f"/succession/ninebox/?township={HUAMACHI}").status_code == 404
    page = client.get(f"/succession/ninebox/people/{people['甲优高'].pk}/")
    assert page.status_code == 200 and "明星" in page.content.decode()
    page = client.get("/succession/ninebox/moves/?start=2026-01-01&end=2026-12-01")
    assert page.status_code == 200 and "甲优高" in page.content.decode()
    assert client.get("/succession/ninebox/moves/?start=2026-12-01&end=2026-01-01").status_code == 400
    assert (
        "9-box" in client.get("/succession/").content.decode()
        or "九宫格" in client.get("/succession/").content.decode()
    )


def test_rating_and_calibration_through_the_pages(client_for):
    people = _township()
    county = client_for("county")
    path = f"/succession/ninebox/people/{people['戊无考'].pk}/rate/"
    before = _written()
    assert county.post(path, {"rating": "low", "reason": ""}).status_code == 400
    assert client_for("huamachi").post(path, {"rating": "low", "reason": "理由"}).status_code == 403
    assert _written() == before
    assert county.post(path, {"rating": "low", "reason": "群众认可度一般"}).status_code == 302
    huamachi = client_for("huamachi")
    response = huamachi.post(
        "/succession/ninebox/calibrations/new/",
        {"township": HUAMACHI, "held_on": "2026-11-30", "participants": "镇党委委员"},
    )
    assert response.status_code == 302
    session = CalibrationSession.objects.get()
    change = f"/succession/ninebox/calibrations/{session.pk}/change/"
    before = _written()
    assert (
        huamachi.post(change, {"person": people["乙称中"].pk, "rating": "high", "reason": ""}).status_code
        == 400
    )
    assert (
        client_for("auditor")
        .post(change, {"person": people["乙称中"].pk, "rating": "high", "reason": "x理由"})
        .status_code
        == 403
    )
    assert (
        client_for("dashuikeng")
        .post(change, {"person": people["乙称中"].pk, "rating": "high", "reason": "x理由"})
        .status_code
        == 404
    )
    assert _written() == before
    ok = huamachi.post(change, {"person": people["乙称中"].pk, "rating": "high", "reason": "实绩突出"})
    assert ok.status_code == 302
    page = huamachi.get(f"/succession/ninebox/calibrations/{session.pk}/")
    assert page.status_code == 200 and "实绩突出" in page.content.decode()
    assert huamachi.post(f"/succession/ninebox/calibrations/{session.pk}/close/").status_code == 302
    before = _written()
    refused = huamachi.post(change, {"person": people["乙称中"].pk, "rating": "low", "reason": "再议"})
    assert refused.status_code == 400 and "校准会已结束" in refused.content.decode()
    assert _written() == before
    page = huamachi.get("/succession/ninebox/calibrations/")
    assert page.status_code == 200 and "花马池镇" in page.content.decode()


def test_the_api_gives_the_grid(client_for):
    _township()
    body = client_for("county").get(f"/api/v1/succession/ninebox?division={HUAMACHI}&kind=reserves").json()
    assert body["kind"] == "reserves" and body["division"] == HUAMACHI
    counts = {box["key"]: box["count"] for box in body["boxes"]}
    assert counts["high-high"] == 1 and counts["low-low"] == 1 and sum(counts.values()) == 4
    assert sorted(m["name"] for m in body["unrated"]) == ["己无评", "庚过期", "戊无考"]
    star = next(box for box in body["boxes"] if box["key"] == "high-high")
    assert star["name"] == "明星" and star["people"][0]["potential_reason"] == "群众基础好，能力突出"
    assert client_for("dashuikeng").get(f"/api/v1/succession/ninebox?division={HUAMACHI}").status_code == 404
    assert client_for("county").get("/api/v1/succession/ninebox?as_of=2030-01-01").status_code == 422


def test_the_grid_reads_a_constant_number_of_queries(django_assert_num_queries):
    _township()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        selectors.ninebox(user("county"), HUAMACHI)
    for index in range(5):
        person, term = _incumbent(f"添{index}", "member", code=f"6403231002{index + 1:02d}")
        _scores(term, 80, 80, 80)
        _rate(person, "high")
        grade(_reserve(f"加{index}"), 2025, 0, "excellent")
    with django_assert_num_queries(len(first.captured_queries)):
        grid = selectors.ninebox(user("county"), HUAMACHI)
    assert grid.placed == 12
