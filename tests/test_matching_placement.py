"""Placement plans: the optimal assignment under capacities, the greedy comparison, infeasible requests with
their reasons, approval through the cultivation services (and nothing before it), and jurisdiction."""

from __future__ import annotations

from collections import Counter
from datetime import date

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from tests.factories import make_person
from tests.matching_support import (
    DASHUIKENG_VILLAGE,
    HUAMACHI,
    HUAMACHI_OTHER_VILLAGE,
    HUAMACHI_VILLAGE,
    actor,
    complete_trainings,
    place_village,
    put_in_pool,
    village,
)
from yanzhen.cultivation import services as cultivation
from yanzhen.cultivation.models import Mentorship, Secondment
from yanzhen.matching import assignment, services
from yanzhen.matching.models import PlacementPlan, PlacementRow, PlanState
from yanzhen.people.models import Skill

pytestmark = pytest.mark.django_db

V, V2 = HUAMACHI_VILLAGE, HUAMACHI_OTHER_VILLAGE


def mentor(name: str, code: str, skills=()):
    return cultivation.create_mentor(
        actor=actor("county"),
        kind="former_secretary",
        division=village(code),
        name=name,
        skills=[Skill.objects.get(name=s) for s in skills],
    )


def reserve(name: str, code: str = V, **extra):
    person = make_person(name, code, **extra)
    put_in_pool(person)
    return person


def request(division: str, kind: str, **extra) -> services.PlacementRequest:
    values = {"start": date(2025, 7, 1), "goals": "学习产业发展和基层治理经验"}
    if kind != "mentoring":
        values.update(planned_end=date(2025, 9, 30), mode="full_time")
    values.update(extra)
    return services.PlacementRequest(division=village(division), kind=kind, **values)


# -- the solver --------------------------------------------------------------------------------------------


def test_optimal_beats_greedy_where_greedy_takes_the_best_pair_first():
    scores = np.array([[10, 9], [9, 1]])
    admissible = np.ones((2, 2), dtype=bool)
    capacity = np.array([1, 1])
    best = assignment.optimal(scores, admissible, capacity, ["甲", "乙"], ["一村", "二村"])
    greedy = assignment.greedy(scores, admissible, capacity)
    assert best.choice.tolist() == [1, 0] and best.total == 18
    assert greedy.choice.tolist() == [0, 1] and greedy.total == 11


def test_capacities_are_never_exceeded_and_optimal_is_never_worse():
    rng = np.random.default_rng(2026)
    for _ in range(200):
        n, m = int(rng.integers(1, 25)), int(rng.integers(1, 8))
        capacity = rng.integers(0, 5, size=m)
        admissible = rng.random((n, m)) < 0.8
        scores = rng.integers(-20, 100, size=(n, m))
        try:
            best = assignment.optimal(
                scores, admissible, capacity, [f"r{i}" for i in range(n)], [f"o{j}" for j in range(m)]
            )
        except assignment.Infeasible:
            continue
        counts = Counter(best.choice.tolist())
        assert all(counts[j] <= capacity[j] for j in range(m))
        assert all(admissible[i, best.choice[i]] for i in range(n))
        greedy = assignment.greedy(scores, admissible, capacity)
        assert all(Counter(greedy.choice[greedy.choice >= 0].tolist())[j] <= capacity[j] for j in range(m))
        if greedy.unplaced == 0:
            assert best.total >= greedy.total


# -- plans -------------------------------------------------------------------------------------------------


def test_mentor_plan_respects_the_cap_and_the_current_load():
    busy = mentor("老唐", V, skills=["电商"])
    other = mentor("老王", V2, skills=["种植"])
    third = mentor("老李", V2)
    for name in ("已带一", "已带二"):  # 老唐 already guides two: one place left under the cap of 3
        cultivation.create_mentorship(
            actor=actor("county"), mentee=make_person(name, V), mentors=[busy], start=date(2025, 1, 1)
        )
    people = [reserve(f"后备{i}", V if i % 2 else V2, skills=["电商"]) for i in range(7)]
    plan = services.plan_placement(actor=actor("huamachi"), request=request(HUAMACHI, "mentoring"))
    rows = list(plan.rows.all())
    assert sorted(row.person_id for row in rows) == sorted(p.pk for p in people)
    load = Counter(row.mentor_id for row in rows)
    assert load[busy.pk] <= 1 and load[other.pk] <= 3 and load[third.pk] <= 3
    assert plan.state == PlanState.PROPOSED and plan.total_score >= plan.greedy_score
    assert plan.total_score == sum(row.score for row in rows)
    assert Mentorship.objects.count() == 2  # nothing written before approval


def test_a_county_plan_where_greedy_is_strictly_worse():
    place_village(V)
    m1 = mentor("一号导师", V, skills=["电商", "种植"])
    m2 = mentor("二号导师", DASHUIKENG_VILLAGE, skills=["电商"])
    a = reserve("甲", V, skills=["电商"])  # m1: 电商 20 + 同村 15 = 35; m2: 电商 20 + 同县 5 = 25
    b = reserve("乙", V2, skills=["种植"])  # m1: 种植 20 + 同乡镇 10 = 30; m2: 同县 5
    plan = services.plan_placement(actor=actor("county"), request=request("640323", "mentoring", capacity=1))
    chosen = {row.person_id: row.mentor_id for row in plan.rows.all()}
    assert chosen == {a.pk: m2.pk, b.pk: m1.pk}
    assert plan.total_score == 55 and plan.greedy_score == 40
    row = plan.rows.get(person=b)
    assert row.parts == [["导师擅长种植", 20], ["导师同乡镇", 10]]
    assert row.part_texts == ["导师擅长种植 +20", "导师同乡镇 +10"]


def test_more_reserves_than_places_is_explained():
    mentor("老唐", V)
    mentor("老王", V2)
    for i in range(5):
        reserve(f"后备{i}")
    with pytest.raises(ValidationError) as refused:
        services.plan_placement(actor=actor("huamachi"), request=request(HUAMACHI, "mentoring", capacity=1))
    assert refused.value.messages == [
        "待安排的后备力量 5 人，多于可用名额合计 2 个（2 个导师，每个最多同时帮带 1 人），无法全部安排；"
        "请减少人数、增加名额或增加可选单位"
    ]
    assert not PlacementPlan.objects.exists() and not PlacementRow.objects.exists()


def test_a_reserve_without_an_admissible_host_is_named():
    place_village(V, tags=["示范村"])  # the only model village is his own
    reserve("祝心灵", V)
    with pytest.raises(ValidationError) as refused:
        services.plan_placement(actor=actor("huamachi"), request=request(HUAMACHI, "secondment"))
    assert refused.value.messages == ["祝心灵没有可选的挂职村（都不符合条件或名额已满），无法安排"]
    assert not PlacementPlan.objects.exists()


def test_places_in_the_wrong_village_are_explained():
    place_village(V, tags=["示范村"])
    place_village(V2, tags=["明星村"])
    for name in ("甲", "乙", "丙"):  # all live in V: only V2 is open to them, and it takes two
        reserve(name, V)
    with pytest.raises(ValidationError) as refused:
        services.plan_placement(actor=actor("huamachi"), request=request(HUAMACHI, "secondment", capacity=2))
    [message] = refused.value.messages
    assert message.startswith("按名额上限无法为全部后备力量安排：至少 1 人无处安排（如")
    assert "挂职村（沟沿村委会）名额已被更合适的人占满" in message


def test_no_model_village_is_explained():
    reserve("祝心灵", V)
    with pytest.raises(ValidationError) as refused:
        services.plan_placement(actor=actor("huamachi"), request=request(HUAMACHI, "secondment"))
    assert "还没有标注为示范村或明星村的村" in refused.value.messages[0]


def test_bad_dates_are_refused_by_field():
    with pytest.raises(ValidationError) as refused:
        services.plan_placement(
            actor=actor("huamachi"),
            request=request(HUAMACHI, "secondment", planned_end=date(2026, 7, 1), mode=""),
        )
    errors = refused.value.message_dict
    assert errors["mode"] == ["请选择全脱产或半脱产"]
    assert errors["planned_end"][0].startswith("挂职期限须在 3 至 6 个月之间")


# -- approval ----------------------------------------------------------------------------------------------


@pytest.fixture
def secondment_plan():
    place_village(V2, tags=["示范村"])
    people = [reserve("祝心灵", V), reserve("白坤林", V)]
    plan = services.plan_placement(actor=actor("huamachi"), request=request(HUAMACHI, "secondment"))
    return plan, people


def test_approval_writes_secondments_through_the_cultivation_service(secondment_plan, monkeypatch):
    plan, people = secondment_plan
    assert not Secondment.objects.exists()  # the plan alone writes nothing in cultivation
    calls = []
    original = cultivation.create_secondment

    def spy(**kwargs):
        calls.append(kwargs["data"].person.name)
        return original(**kwargs)

    monkeypatch.setattr(cultivation, "create_secondment", spy)
    services.approve_plan(actor=actor("huamachi"), plan=plan)
    assert sorted(calls) == sorted(p.name for p in people)
    secondments = Secondment.objects.filter(person__in=people)
    assert secondments.count() == 2
    assert {s.host_id for s in secondments} == {V2}
    assert {(s.kind, s.mode, s.start, s.planned_end) for s in secondments} == {
        ("secondment", "full_time", date(2025, 7, 1), date(2025, 9, 30))
    }
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED and plan.decided_by.username == "huamachi"
    assert set(plan.rows.values_list("secondment_id", flat=True)) == set(
        secondments.values_list("pk", flat=True)
    )
    assert plan.history.first().history_user.username == "huamachi"
    with pytest.raises(ValidationError, match="该方案已批准"):
        services.approve_plan(actor=actor("huamachi"), plan=plan)


def test_approval_of_a_mentor_plan_writes_mentorships():
    busy = mentor("老唐", V)
    a, b = reserve("甲"), reserve("乙")
    plan = services.plan_placement(actor=actor("huamachi"), request=request(HUAMACHI, "mentoring"))
    services.approve_plan(actor=actor("huamachi"), plan=plan)
    assert set(Mentorship.objects.values_list("mentee_id", flat=True)) == {a.pk, b.pk}
    assert all(list(m.mentors.all()) == [busy] for m in Mentorship.objects.all())


def test_one_refused_row_refuses_the_whole_plan():
    place_village(V2, tags=["示范村"])
    ok, busy = reserve("祝心灵", V), reserve("白坤林", V)
    complete_trainings(busy, 1)  # a training on 2024-03-04
    plan = services.plan_placement(
        actor=actor("huamachi"),
        request=request(HUAMACHI, "secondment", start=date(2024, 3, 1), planned_end=date(2024, 5, 31)),
    )
    with pytest.raises(ValidationError) as refused:
        services.approve_plan(actor=actor("huamachi"), plan=plan)
    assert refused.value.messages[0] == "方案中有 1 条安排未通过培育模块的检查，整个方案未写入："
    assert refused.value.messages[1].startswith("白坤林：白坤林在 2024-03-04 至 2024-03-04 参加培训班")
    assert not Secondment.objects.exists()
    plan.refresh_from_db()
    assert plan.state == PlanState.PROPOSED
    assert ok.pk in plan.rows.values_list("person_id", flat=True)


def test_discard():
    mentor("老唐", V)
    reserve("甲")
    plan = services.plan_placement(actor=actor("huamachi"), request=request(HUAMACHI, "mentoring"))
    services.discard_plan(actor=actor("huamachi"), plan=plan)
    plan.refresh_from_db()
    assert plan.state == PlanState.DISCARDED
    with pytest.raises(ValidationError, match="已作废"):
        services.approve_plan(actor=actor("huamachi"), plan=plan)
    assert not Mentorship.objects.exists()


# -- jurisdiction ------------------------------------------------------------------------------------------


def test_jurisdiction_of_the_services(secondment_plan):
    plan, _people = secondment_plan
    with pytest.raises(Http404):
        services.approve_plan(actor=actor("dashuikeng"), plan=plan)
    with pytest.raises(PermissionDenied):
        services.approve_plan(actor=actor("auditor"), plan=plan)
    with pytest.raises(Http404):
        services.plan_placement(actor=actor("dashuikeng"), request=request(HUAMACHI, "secondment"))
    with pytest.raises(PermissionDenied):
        services.plan_placement(actor=actor("auditor"), request=request(HUAMACHI, "secondment"))
    assert not Secondment.objects.exists() and PlacementPlan.objects.count() == 1
    plan.refresh_from_db()
    assert plan.state == PlanState.PROPOSED


def test_jurisdiction_of_the_pages(secondment_plan, client_for):
    plan, _people = secondment_plan
    url = f"/matching/placements/{plan.pk}/"
    assert client_for("dashuikeng").get(url).status_code == 404
    assert client_for("dashuikeng").post(url + "approve/").status_code == 404
    assert client_for("auditor").get(url).status_code == 200
    assert client_for("auditor").post(url + "approve/").status_code == 403
    assert client_for("cunshuji").post(url + "discard/").status_code == 404
    assert not Secondment.objects.exists()
    plan.refresh_from_db()
    assert plan.state == PlanState.PROPOSED
    response = client_for("huamachi").post(url + "approve/", follow=True)
    assert response.status_code == 200 and "已批准" in response.content.decode()
    assert Secondment.objects.count() == 2


def test_the_plan_page_and_the_form(client_for):
    place_village(V2, tags=["示范村"])
    reserve("祝心灵", V)
    client = client_for("huamachi")
    assert client.get("/matching/placements/new/").status_code == 200
    response = client.post(
        "/matching/placements/new/",
        {
            "division": HUAMACHI,
            "kind": "secondment",
            "start": "2025-07-01",
            "planned_end": "2025-09-30",
            "mode": "part_time",
            "goals": "学习电商",
            "capacity": "",
        },
    )
    plan = PlacementPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/matching/placements/{plan.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "祝心灵" in page and "沟沿村委会" in page
    assert not Secondment.objects.exists()
    refused = client.post(
        "/matching/placements/new/", {"division": HUAMACHI, "kind": "mentoring", "start": "2025-07-01"}
    )
    assert refused.status_code == 200 and "还没有可以结对的导师" in refused.content.decode()
