"""梯队 succession (issue 21 §1, §2, §5) on a hand-made township: the successors of a seat in order (default and
saved), the emergency cover (one per seat), the lineage of a promotion three seats deep, the risk of losing a
sitting secretary or chair and the impact, and the figures today and on a past date; the refusals change
nothing; the pages answer 200, 400, 403 and 404."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from yanzhen.assessments import services as assessment_services
from yanzhen.assessments.models import MonthlyScore
from yanzhen.duty.models import Leave
from yanzhen.posts import services as post_services
from yanzhen.stats import figures as stats_figures
from yanzhen.succession import risk, selectors, services
from yanzhen.succession.figures import figures
from yanzhen.succession.models import SuccessionEntry

from .candidacies_support import make_seat, user
from .conftest import HUAMACHI, HUAMACHI_VILLAGE
from .factories import make_person
from .matching_support import place_village, put_in_pool

pytestmark = pytest.mark.django_db

V = HUAMACHI_VILLAGE
V2 = "640323100201"
TODAY = date(2026, 12, 1)
PAST = date(2026, 6, 30)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def _reserve(
    name, code=V, *, readiness="1-2y", posts=("secretary",), entered=date(2024, 1, 1), key=False, **kw
):
    candidacy = put_in_pool(
        make_person(name, code, **kw), village_code=code, readiness=readiness, posts=posts, entered=entered
    )
    if key:
        candidacy.key_cultivation = True
        candidacy.save()
    return candidacy


def _appoint(seat, person, start=date(2024, 1, 1)):
    return post_services.appoint(actor=user("county"), seat=seat, person=person, start=start)


def _names(seat, on=None) -> list[str]:
    return [successor.name for successor in selectors.bench_of(seat, on).successors]


def _written() -> tuple[int, int]:
    return SuccessionEntry.objects.count(), SuccessionEntry.history.count()


# -- ranking -------------------------------------------------------------------------------------------------


def test_default_order_is_readiness_then_key_cultivation_then_time_in_the_pool():
    seat = make_seat(V, "secretary")
    _reserve("乙一", readiness="1-2y", entered=date(2023, 1, 1))
    _reserve("甲二", readiness="ready", entered=date(2024, 3, 1))
    _reserve("甲一", readiness="ready", entered=date(2024, 5, 1), key=True)
    _reserve("丙一", readiness="3y+", entered=date(2022, 1, 1))
    _reserve("甲三", readiness="ready", entered=date(2024, 3, 1), posts=("chair",))  # another post
    _reserve("甲四", V2, readiness="ready")  # another village
    _reserve("甲五", readiness="ready", entered=date(2027, 1, 1))  # not yet in the pool
    bench = selectors.bench_of(seat)
    assert [s.name for s in bench.successors] == ["甲一", "甲二", "乙一", "丙一"]
    assert [s.position for s in bench.successors] == [1, 2, 3, 4]
    assert [s.readiness_name for s in bench.successors] == ["可随时使用", "可随时使用", "1–2 年", "3 年以上"]
    assert bench.ready_now == 2 and bench.emergency_cover is None and not bench.has_saved_order


def test_saved_order_ranks_first_and_the_rest_follow_by_default():
    seat = make_seat(V, "secretary")
    a = _reserve("甲", readiness="ready")
    b = _reserve("乙", readiness="1-2y")
    _reserve("丙", readiness="ready", entered=date(2024, 6, 1))
    services.set_order(actor=user("huamachi"), seat=seat, candidacy_ids=[b.pk, a.pk])
    bench = selectors.bench_of(seat)
    assert [(s.name, s.position, s.saved) for s in bench.successors] == [
        ("乙", 1, True),
        ("甲", 2, True),
        ("丙", 3, False),
    ]
    # Reordered: the history keeps each change, attributed.
    services.set_order(actor=user("county"), seat=seat, candidacy_ids=[a.pk])
    assert _names(seat) == ["甲", "丙", "乙"]
    assert SuccessionEntry.objects.get().position == 1
    assert SuccessionEntry.history.filter(history_type="-").count() == 1
    assert SuccessionEntry.history.latest("history_id").history_user == user("county")
    # Cleared: the default order again.
    services.set_order(actor=user("county"), seat=seat, candidacy_ids=[])
    assert _names(seat) == ["甲", "丙", "乙"] and not selectors.bench_of(seat).has_saved_order


def test_a_saved_successor_who_left_the_pool_drops_out():
    seat = make_seat(V, "secretary")
    a = _reserve("甲", readiness="ready")
    b = _reserve("乙")
    services.set_order(actor=user("county"), seat=seat, candidacy_ids=[a.pk, b.pk])
    a.removed_on = date(2026, 11, 1)
    a.save()
    assert _names(seat) == ["乙"]
    assert _names(seat, date(2026, 10, 31)) == ["甲", "乙"]


def test_emergency_cover_is_one_per_seat():
    seat = make_seat(V, "secretary")
    a = _reserve("甲", readiness="ready")
    b = _reserve("乙")
    services.set_order(actor=user("county"), seat=seat, candidacy_ids=[a.pk])
    services.set_emergency_cover(actor=user("county"), seat=seat, candidacy_id=a.pk)
    services.set_emergency_cover(actor=user("county"), seat=seat, candidacy_id=b.pk)  # joins the order last
    bench = selectors.bench_of(seat)
    assert bench.emergency_cover is not None and bench.emergency_cover.name == "乙"
    assert [(s.name, s.is_emergency_cover) for s in bench.successors] == [("甲", False), ("乙", True)]
    with pytest.raises(IntegrityError), transaction.atomic():
        SuccessionEntry.objects.filter(candidacy=a).update(is_emergency_cover=True)
    services.set_emergency_cover(actor=user("county"), seat=seat, candidacy_id=None)
    assert selectors.bench_of(seat).emergency_cover is None
    assert SuccessionEntry.objects.count() == 2


def test_refusals_write_nothing():
    seat = make_seat(V, "secretary")
    a = _reserve("甲", readiness="ready")
    elsewhere = _reserve("乙", V2)
    chair = _reserve("丙", posts=("chair",))
    left = _reserve("丁", entered=date(2027, 1, 1))
    services.set_order(actor=user("county"), seat=seat, candidacy_ids=[a.pk])
    before = _written()
    for ids, message in [
        ([a.pk, a.pk], "只能出现一次"),
        ([a.pk, elsewhere.pk], "本村本职位"),
        ([chair.pk], "本村本职位"),
        ([left.pk], "在库"),
        ([999999], "在库"),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.set_order(actor=user("county"), seat=seat, candidacy_ids=ids)
        assert message in refused.value.message_dict["candidacies"][0]
    with pytest.raises(ValidationError) as refused:
        services.set_emergency_cover(actor=user("county"), seat=seat, candidacy_id=elsewhere.pk)
    assert "应急接替人选" in refused.value.message_dict["candidacy"][0]
    with pytest.raises(PermissionDenied):
        services.set_order(actor=user("auditor"), seat=seat, candidacy_ids=[])
    with pytest.raises(PermissionDenied):
        services.set_emergency_cover(actor=user("cunshuji"), seat=seat, candidacy_id=a.pk)
    with pytest.raises(Http404):
        services.set_order(actor=user("dashuikeng"), seat=seat, candidacy_ids=[])
    with pytest.raises(Http404):
        services.set_emergency_cover(actor=user("outsider"), seat=seat, candidacy_id=a.pk)
    assert _written() == before


# -- lineage -------------------------------------------------------------------------------------------------


def test_lineage_three_seats_deep_with_an_uncovered_step():
    secretary, chair, member = make_seat(V, "secretary"), make_seat(V, "chair"), make_seat(V, "member")
    a = _reserve("甲", readiness="ready", posts=("secretary",))  # the chair, reserve for secretary
    b = _reserve("乙", readiness="1-2y", posts=("chair",))  # a committee member, reserve for chair
    _appoint(chair, a.person)
    _appoint(member, b.person)
    bench = selectors.bench_of(secretary)
    steps = selectors.lineage(secretary, bench.successors[0])
    assert [(str(step.seat.post_type), step.leaving, step.depth, step.covered) for step in steps] == [
        ("村委会主任", "甲", 1, True),
        ("两委委员", "乙", 2, False),
    ]
    assert steps[0].successor is not None and steps[0].successor.name == "乙"
    # Once the member seat has a reserve, the chain is covered to the end.
    _reserve("丙", posts=("member",))
    assert [step.covered for step in selectors.lineage(secretary, bench.successors[0])] == [True, True]


def test_lineage_stops_at_a_cycle():
    secretary, chair = make_seat(V, "secretary"), make_seat(V, "chair")
    a = _reserve("甲", readiness="ready", posts=("secretary",))
    x = _reserve("乙", posts=("chair",))
    _appoint(chair, a.person)
    _appoint(
        secretary, x.person
    )  # the secretary is the chair's reserve: promoting 甲 would open his own seat
    steps = selectors.lineage(secretary, selectors.bench_of(secretary).successors[0])
    assert [(step.leaving, step.covered) for step in steps] == [("甲", True)]


def test_no_seat_opens_for_a_reserve_without_a_post():
    secretary = make_seat(V, "secretary")
    _reserve("甲", readiness="ready")
    assert selectors.lineage(secretary, selectors.bench_of(secretary).successors[0]) == []


# -- risk and impact -----------------------------------------------------------------------------------------


def test_risk_levels_by_points():
    assert [risk.level_of(points) for points in (0, 1, 2, 4, 5, 8)] == [
        "low",
        "low",
        "medium",
        "medium",
        "high",
        "high",
    ]


def _score(term, month: date, total: int):
    return MonthlyScore.objects.create(term=term, month=month, total=total)


def test_risk_factors_and_impact():
    place_village(V2, latitude=37.8, longitude=107.4, tags=["软弱涣散村"])
    s1, c1, s2 = make_seat(V, "secretary"), make_seat(V, "chair"), make_seat(V2, "secretary")
    _reserve("备甲", readiness="ready", posts=("secretary",))
    # 54 on TODAY, the county's age 55 by default: near it; term 2021-12-20 → 2026-12-20 within 12 months.
    _appoint(s1, make_person("老书记", V, born=date(1972, 3, 1)), start=date(2021, 12, 20))
    # 40, term to 2029; two of the last three months graded 基本称职 or below (65, 55); one older month poor.
    weak = _appoint(c1, make_person("弱主任", V, born=date(1986, 1, 1)))
    for month, total in [
        (date(2026, 12, 1), 65),
        (date(2026, 11, 1), 80),
        (date(2026, 10, 1), 55),
        (date(2026, 9, 1), 50),
    ]:
        _score(weak, month, total)
    # A running 处分 (3) in a weak village without a ready successor.
    clean = _appoint(s2, make_person("新书记", V2, born=date(1990, 1, 1)))
    assessment_services.record_discipline(
        actor=user("county"),
        person=clean.person,
        data=assessment_services.DisciplineInput("warning", date(2026, 8, 1), "中共盐池县纪委"),
    )
    rows = {row.term.person.name: row for row in risk.risk_rows(None, HUAMACHI)}
    assert [f.name for f in rows["老书记"].factors] == ["age", "term_end"]
    assert (rows["老书记"].points, rows["老书记"].level, rows["老书记"].age) == (5, "high", 54)
    assert rows["老书记"].impact == "low" and rows["老书记"].impact_reasons == []
    assert [f.name for f in rows["弱主任"].factors] == ["poor_scores"]
    assert (rows["弱主任"].points, rows["弱主任"].level, rows["弱主任"].impact) == (2, "medium", "high")
    assert rows["弱主任"].impact_reasons == ["无立即可用的接替人选"]
    assert [f.name for f in rows["新书记"].factors] == ["discipline"]
    assert rows["新书记"].level == "medium"
    assert rows["新书记"].impact_reasons == ["无立即可用的接替人选", "软弱涣散村"]
    # On 2026-11-15 the last three months are Nov, Oct and Sep; before 2026-08-01 no 处分 ran.
    earlier = {row.term.person.name: row for row in risk.risk_rows(None, HUAMACHI, date(2026, 11, 15))}
    assert [f.name for f in earlier["弱主任"].factors] == ["poor_scores"]  # 55 and 50 of Oct and Sep
    before = {row.term.person.name: row for row in risk.risk_rows(None, HUAMACHI, date(2026, 7, 31))}
    assert before["新书记"].factors == []
    # Jurisdiction: another township sees none of them.
    assert risk.risk_rows(user("dashuikeng"), HUAMACHI) == []


def _leave(person, start: date, end: date, *, state="approved", decided_on=None):
    return Leave.objects.create(
        person=person,
        village_id=V,
        start=start,
        end=end,
        reason="外出务工",
        state=state,
        decided_on=decided_on if decided_on is not None else start,
    )


def test_long_leave_is_the_away_factor():
    seat = make_seat(V, "secretary")
    term = _appoint(seat, make_person("外出书记", V, born=date(1985, 1, 1)))
    # The window is the 90 days up to TODAY: 2026-09-03 … 2026-12-01. 20 days before it do not count; two
    # overlapping leaves inside it count 29 days once; a pending and a refused leave never count.
    _leave(term.person, date(2026, 8, 1), date(2026, 9, 2))
    _leave(term.person, date(2026, 10, 1), date(2026, 10, 20))
    _leave(term.person, date(2026, 10, 15), date(2026, 10, 29))
    _leave(term.person, date(2026, 11, 1), date(2026, 11, 30), state="pending")
    _leave(term.person, date(2026, 11, 1), date(2026, 11, 30), state="refused")
    assert risk.days_away([term.person_id], TODAY) == {term.person_id: 29}
    assert [f.name for f in risk.risk_rows(None, HUAMACHI, TODAY)[0].factors] == []
    # One more approved day makes 30: away, 2 points, medium.
    _leave(term.person, date(2026, 11, 30), date(2026, 11, 30))
    (row,) = risk.risk_rows(None, HUAMACHI, TODAY)
    assert [(f.name, f.points, f.text) for f in row.factors] == [("away", 2, "近 90 天请假外出 30 天")]
    assert row.level == "medium"
    # A leave decided after the day does not count on that day.
    _leave(term.person, date(2026, 11, 20), date(2026, 11, 21), decided_on=date(2026, 12, 5))
    assert risk.days_away([term.person_id], TODAY) == {term.person_id: 30}


# -- figures -------------------------------------------------------------------------------------------------


def _backdate(entry: SuccessionEntry, day: date) -> None:
    entry.history.update(history_date=timezone.make_aware(datetime(day.year, day.month, day.day, 10)))


def _township() -> None:
    s1, c1 = make_seat(V, "secretary"), make_seat(V, "chair")
    make_seat(V2, "secretary"), make_seat(V2, "chair")
    make_seat(V, "member")  # not a key seat
    a = _reserve("甲", readiness="ready", posts=("secretary",))
    b = _reserve("乙", readiness="1-2y", posts=("chair",))
    _reserve("丁", V2, readiness="ready", posts=("secretary",), entered=date(2026, 9, 1))
    _reserve("戊", V2, readiness="ready", posts=("chair",))
    services.set_emergency_cover(actor=user("county"), seat=s1, candidacy_id=a.pk)
    _backdate(SuccessionEntry.objects.get(candidacy=a), date(2026, 3, 1))
    services.set_emergency_cover(actor=user("county"), seat=c1, candidacy_id=b.pk)  # today
    # The secretary of V: 54, term ends within a year → high, but 甲 is ready now.
    _appoint(s1, make_person("老书记", V, born=date(1972, 3, 1)), start=date(2021, 12, 20))
    # The chair of V: term ends within a year, and a 处分 from 2026-08-01 → high today, medium before.
    chair = _appoint(c1, make_person("主任", V, born=date(1980, 1, 1)), start=date(2021, 12, 20))
    assessment_services.record_discipline(
        actor=user("county"),
        person=chair.person,
        data=assessment_services.DisciplineInput("warning", date(2026, 8, 1), "中共盐池县纪委"),
    )


def test_figures_today_and_on_a_past_date():
    _township()
    assert figures(None, HUAMACHI, TODAY) == {
        "seats": 4,
        "seats_with_ready_now": 3,  # V secretary (甲), V2 secretary (丁), V2 chair (戊)
        "seats_with_emergency_cover": 2,
        "incumbents_at_high_risk_without_successor": 1,  # 主任: 乙 is not ready now
    }
    assert figures(None, HUAMACHI, PAST) == {
        "seats": 4,
        "seats_with_ready_now": 2,  # 丁 entered the pool on 2026-09-01
        "seats_with_emergency_cover": 1,  # the chair's cover was named today
        "incumbents_at_high_risk_without_successor": 0,  # the 处分 came on 2026-08-01
    }
    assert figures(None, V2, TODAY)["seats"] == 2
    # The statistics' JSON carries them, inside the user's jurisdiction.
    assert stats_figures.compute(user("huamachi"), HUAMACHI, PAST.isoformat(), succession=True)[
        "succession"
    ] == figures(None, HUAMACHI, PAST)
    # Only when asked for: the other figures do not pay for it.
    assert "succession" not in stats_figures.compute(user("huamachi"), HUAMACHI, PAST.isoformat())
    assert figures(user("cunshuji"), HUAMACHI, TODAY)["seats"] == 2


def test_figures_in_the_stats_command(capsys):
    from django.core.management import call_command

    _township()
    call_command("stats", "--division", HUAMACHI, "--as-of", PAST.isoformat(), "--json", "--succession")
    assert json.loads(capsys.readouterr().out)["succession"]["seats_with_emergency_cover"] == 1


def test_figures_in_the_api_when_asked_for(client_for):
    _township()
    asked = client_for("huamachi").get(f"/api/v1/stats?division={HUAMACHI}&as_of={PAST}&succession=true")
    assert asked.json()["succession"] == figures(None, HUAMACHI, PAST)
    assert "succession" not in client_for("huamachi").get(f"/api/v1/stats?division={HUAMACHI}").json()


# -- pages ---------------------------------------------------------------------------------------------------


def test_pages(client_for):
    _township()
    place_village(V, latitude=37.78, longitude=107.39)
    seat = selectors.key_seats(None, V).get(post_type__code="secretary")
    county = client_for("county")
    page = county.get("/succession/?ready=none")
    assert page.status_code == 200
    assert [b.seat.post_type.code for b in page.context["listing"].page] == [
        "chair"
    ]  # V's chair: 乙 not ready
    page = county.get("/succession/?cover=none&township=640323100")
    assert [b.seat.village_id for b in page.context["listing"].page] == [V2, V2]
    page = county.get(f"/succession/seats/{seat.pk}/")
    assert page.status_code == 200 and "甲" in page.content.decode()
    risk_page = county.get("/succession/risk/?risk=high")
    assert risk_page.status_code == 200
    assert [row.term.person.name for row in risk_page.context["listing"].page] == ["老书记", "主任"]
    chart = risk_page.context["chart"]["points"]
    # V2 has no coordinates: only V is drawn, high risk (both), high impact (the chair has no ready successor).
    assert [(p["name"], p["risk"], p["impact"], len(p["people"])) for p in chart] == [
        ("长城村委会", "high", "high", 2)
    ]
    assert 'id="risk-data"' in risk_page.content.decode()
    assert client_for("dashuikeng").get(f"/succession/seats/{seat.pk}/").status_code == 404


def test_page_writes(client_for):
    seat = make_seat(V, "secretary")
    a = _reserve("甲", readiness="ready")
    b = _reserve("乙")
    county = client_for("huamachi")
    answer = county.post(
        f"/succession/seats/{seat.pk}/order/", {"order": f"{a.pk},{b.pk}", "down": str(a.pk)}
    )
    assert answer.status_code == 302
    assert _names(seat) == ["乙", "甲"]
    answer = county.post(f"/succession/seats/{seat.pk}/cover/", {"candidacy": str(a.pk)})
    assert answer.status_code == 302 and selectors.bench_of(seat).emergency_cover.name == "甲"
    before = _written()
    assert county.post(f"/succession/seats/{seat.pk}/order/", {"order": "x,1"}).status_code == 400
    elsewhere = _reserve("丙", V2)
    answer = county.post(f"/succession/seats/{seat.pk}/order/", {"order": f"{elsewhere.pk}"})
    assert answer.status_code == 400 and "本村本职位" in answer.content.decode()
    assert (
        client_for("auditor").post(f"/succession/seats/{seat.pk}/cover/", {"candidacy": ""}).status_code
        == 403
    )
    assert client_for("dashuikeng").post(f"/succession/seats/{seat.pk}/order/", {}).status_code == 404
    assert _written() == before


def test_dashboard_cards_and_lists_on_a_past_date(client_for):
    _township()
    county = client_for("county")
    dashboard = county.get(f"/statistics/?division={HUAMACHI}&as_of={PAST.isoformat()}")
    assert dashboard.status_code == 200
    assert (
        f"/succession/cards/?division={HUAMACHI}&amp;as_of={PAST.isoformat()}" in dashboard.content.decode()
    )
    cards = county.get(f"/succession/cards/?division={HUAMACHI}&as_of={PAST.isoformat()}")
    assert [(card["key"], card["count"]) for card in cards.context["cards"]] == [
        ("seats", 4),
        ("seats_with_ready_now", 2),
        ("seats_with_emergency_cover", 1),
        ("incumbents_at_high_risk_without_successor", 0),
    ]
    today_cards = {
        card["key"]: card for card in county.get(f"/succession/cards/?division={HUAMACHI}").context["cards"]
    }
    assert today_cards["incumbents_at_high_risk_without_successor"]["count"] == 1
    behind = county.get(today_cards["incumbents_at_high_risk_without_successor"]["url"])
    assert [row.term.person.name for row in behind.context["listing"].page] == ["主任"]
    # The list behind on the past date: 丁 was not yet in the pool.
    seats = county.get(f"/succession/?township={HUAMACHI}&as_of={PAST.isoformat()}&ready=none")
    assert sorted((b.seat.village_id, b.seat.post_type.code) for b in seats.context["listing"].page) == [
        (V, "chair"),
        (V2, "secretary"),
    ]
    assert county.get("/succession/?as_of=2026-13-01").status_code == 400
    assert county.get("/succession/risk/?as_of=2099-01-01").status_code == 400
    assert client_for("dashuikeng").get(f"/succession/cards/?division={HUAMACHI}").status_code == 404


def test_a_pending_adjustment_proposal_is_a_risk_while_pending():
    from yanzhen.assessments.models import AdjustmentProposal, IncumbentRule

    seat = make_seat(V, "chair")
    term = _appoint(seat, make_person("主任", V, born=date(1990, 1, 1)))
    rule = IncumbentRule.objects.create(county_id="640323", grade="incompetent", months=2)
    proposal = AdjustmentProposal.objects.create(
        term=term,
        person=term.person,
        rule=rule,
        first_month=date(2026, 9, 1),
        last_month=date(2026, 10, 1),
        basis_text="连续两个月不称职",
    )
    made = timezone.make_aware(datetime(2026, 11, 2, 9))
    AdjustmentProposal.objects.filter(pk=proposal.pk).update(created_at=made)
    assert risk.risk_rows(None, V, date(2026, 11, 1))[0].factors == []  # not yet proposed
    [row] = risk.risk_rows(None, V)
    assert [(f.name, f.points) for f in row.factors] == [("adjustment", 3)]
    assert row.level == "medium"
    # Decided on 2026-11-20: pending the day before, not on the day.
    AdjustmentProposal.objects.filter(pk=proposal.pk).update(state="rejected", decided_on=date(2026, 11, 20))
    assert [f.name for f in risk.risk_rows(None, V, date(2026, 11, 19))[0].factors] == ["adjustment"]
    assert risk.risk_rows(None, V, date(2026, 11, 20))[0].factors == []
    assert risk.risk_rows(None, V)[0].factors == []
