"""The state machine of a candidacy (issue 4): every allowed transition, every illegal one, jurisdiction of every
transition, the one-active-candidacy constraint, the county's rules, promotion and removal, the batch 公示.
Each refusal is proven to write nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from yanzhen.candidacies import selectors, services, workflow
from yanzhen.candidacies.models import (
    Candidacy,
    CandidacyEvent,
    CandidacyTarget,
    CountyRules,
    NegativeListItem,
    PublicNotice,
)
from yanzhen.candidacies.notice import (
    record_objection,
    resolve_objection,
    start_notice,
    start_notices_for_township,
)
from yanzhen.candidacies.rules import earliest_notice_end, rules_for, working_days
from yanzhen.candidacies.transitions import TRANSITIONS, TransitionData, apply_transition
from yanzhen.posts import services as post_services
from yanzhen.posts.models import Term

from .candidacies_support import (
    DECIDED_ON,
    NOTICE_END,
    NOTICE_START,
    POOL_ON,
    PROMOTED_ON,
    State,
    candidacy_in,
    candidacy_pk_in,
    footprint,
    make_seat,
    nominate,
    post,
    step,
    user,
    village,
)
from .conftest import DASHUIKENG_VILLAGE, HUAMACHI, HUAMACHI_VILLAGE, shared_mark
from .factories import make_person

pytestmark = pytest.mark.django_db

ALL_STATES = list(State.values)
ALLOWED = [(source, target) for source in ALL_STATES for target in sorted(TRANSITIONS.get(source, ()))]
ILLEGAL = [
    (source, target)
    for source in ALL_STATES
    for target in ALL_STATES
    if target not in TRANSITIONS.get(source, ())
]


def in_state(state: str, *values) -> pytest.param:
    """Parameters of a test that starts from a candidacy in `state` (`candidacy_in(state)`), shared by the tests
    that start from the same state (conftest `shared_mark`); the test reads it as `Candidacy.objects.get(pk=shared)`."""
    return pytest.param(*values, marks=shared_mark(candidacy_pk_in, state))


def test_the_state_table():
    assert TRANSITIONS == {
        "nominated": {"vetted", "rejected"},
        "vetted": {"inspected"},
        "inspected": {"decided", "rejected"},
        "decided": {"in_notice"},
        "in_notice": {"in_pool", "rejected"},
        "in_pool": {"promoted", "removed"},
    }
    assert len(ALLOWED) == 10 and len(ILLEGAL) == 9 * 9 - 10


# --- every allowed transition -------------------------------------------------------------------------


@pytest.mark.parametrize("source,target", [in_state(source, source, target) for source, target in ALLOWED])
def test_allowed_transition_writes_state_event_and_history(source, target, shared):
    candidacy = Candidacy.objects.get(pk=shared)
    events, history = CandidacyEvent.objects.count(), Candidacy.history.count()
    step(candidacy, target)
    candidacy.refresh_from_db()
    assert candidacy.state == target
    event = candidacy.events.order_by("-at", "-id").first()
    assert (event.from_state, event.to_state, event.actor.username) == (source, target, "county")
    assert CandidacyEvent.objects.count() > events
    assert Candidacy.history.count() > history
    assert candidacy.history.first().history_user.username == "county"
    assert candidacy.history.first().state == target
    active = target not in ("promoted", "removed", "rejected")
    assert list(candidacy.targets.values_list("active", flat=True)) == [active]


def test_the_whole_path_and_its_timeline():
    candidacy = candidacy_in(State.PROMOTED)
    events = list(candidacy.events.order_by("at", "id").values_list("from_state", "to_state", "on"))
    assert events == [
        ("", "nominated", date(2024, 3, 1)),
        ("nominated", "vetted", date(2024, 3, 5)),
        ("vetted", "inspected", date(2024, 3, 12)),
        ("inspected", "decided", date(2024, 3, 19)),
        ("decided", "in_notice", date(2024, 3, 20)),
        ("in_notice", "in_pool", date(2024, 3, 27)),
        ("in_pool", "promoted", date(2024, 4, 10)),
    ]
    assert (candidacy.entered_pool_on, candidacy.promoted_on) == (POOL_ON, PROMOTED_ON)
    term = candidacy.term
    assert (term.person_id, term.start, term.end, term.seat.post_type.code) == (
        candidacy.person_id,
        PROMOTED_ON,
        None,
        "secretary",
    )
    assert candidacy.vetting.items.count() == NegativeListItem.objects.count() == 10
    assert candidacy.inspection.votes_for == 30 and candidacy.decision.passed
    assert candidacy.public_notice.issuer == "中共花马池镇委员会"


def test_in_pool_on_a_date_follows_the_business_dates():
    candidacy = candidacy_in(State.PROMOTED)
    pool = Candidacy.objects.filter(pk=candidacy.pk)
    assert not pool.in_pool_on(date(2024, 3, 26)).exists()
    assert pool.in_pool_on(POOL_ON).exists()
    assert pool.in_pool_on(date(2024, 4, 9)).exists()
    assert not pool.in_pool_on(PROMOTED_ON).exists()


# --- every illegal transition -------------------------------------------------------------------------


@pytest.mark.parametrize("source,target", [in_state(source, source, target) for source, target in ILLEGAL])
def test_illegal_transition_is_refused_and_writes_nothing(source, target, shared):
    candidacy = Candidacy.objects.get(pk=shared)
    before = footprint(candidacy)
    with pytest.raises(workflow.IllegalTransition) as refused:
        apply_transition(
            actor=user("county"),
            candidacy=candidacy,
            to=target,
            data=TransitionData(
                on=date(2024, 6, 3), start=date(2024, 6, 3), end=date(2024, 6, 14), reason="request"
            ),
        )
    assert (
        str(refused.value)
        == f"不能从“{workflow.STATE_NAMES[source]}”直接转为“{workflow.STATE_NAMES[target]}”"
    )
    assert footprint(candidacy) == before


def test_the_message_of_the_issue():
    assert str(workflow.IllegalTransition("nominated", "in_pool")) == "不能从“推荐”直接转为“在库”"


# Each transition function, called from a state it does not start from.
FUNCTIONS = {
    "vet": (
        {"nominated"},
        lambda c, by: workflow.vet(actor=by, candidacy=c, passed=True, failed_items=[], on=date(2024, 6, 3)),
    ),
    "vet_failed": (
        {"nominated"},
        lambda c, by: workflow.vet(
            actor=by,
            candidacy=c,
            passed=False,
            failed_items=[NegativeListItem.objects.first()],
            on=date(2024, 6, 3),
        ),
    ),
    "inspect": (
        {"vetted"},
        lambda c, by: workflow.inspect(
            actor=by,
            candidacy=c,
            on=date(2024, 6, 3),
            inspectors="张三",
            people_talked_to=1,
            votes_for=1,
            votes_against=0,
            votes_abstaining=0,
            findings="好",
        ),
    ),
    "decide": (
        {"inspected"},
        lambda c, by: workflow.decide(actor=by, candidacy=c, passed=True, on=date(2024, 6, 3)),
    ),
    "decide_not": (
        {"inspected"},
        lambda c, by: workflow.decide(actor=by, candidacy=c, passed=False, on=date(2024, 6, 3), note="否"),
    ),
    "start_notice": (
        {"decided"},
        lambda c, by: start_notice(actor=by, candidacy=c, start=date(2024, 6, 3), end=date(2024, 6, 14)),
    ),
    "enter_pool": (
        {"in_notice"},
        lambda c, by: workflow.enter_pool(actor=by, candidacy=c, on=date(2024, 6, 3)),
    ),
    "promote": (
        {"in_pool"},
        lambda c, by: workflow.promote(actor=by, candidacy=c, seat=make_seat(), on=date(2024, 6, 3)),
    ),
    "remove": (
        {"in_pool"},
        lambda c, by: workflow.remove(actor=by, candidacy=c, reason="request", on=date(2024, 6, 3)),
    ),
}
WRONG_STARTS = [
    (name, state)
    for name, (starts, _call) in FUNCTIONS.items()
    for state in ALL_STATES
    if state not in starts
]


@pytest.mark.parametrize("name,state", [in_state(state, name, state) for name, state in WRONG_STARTS])
def test_each_transition_function_refuses_other_states(name, state, shared):
    candidacy = Candidacy.objects.get(pk=shared)
    make_seat()  # outside the footprint's comparison: the seat exists before
    before = footprint(candidacy)
    with pytest.raises(workflow.IllegalTransition):
        FUNCTIONS[name][1](candidacy, user("county"))
    assert footprint(candidacy) == before


# --- jurisdiction of every transition ----------------------------------------------------------------


STARTS = {name: sorted(starts)[0] for name, (starts, _call) in FUNCTIONS.items()}


@pytest.mark.parametrize("name", [in_state(STARTS[name], name) for name in sorted(FUNCTIONS)])
@pytest.mark.parametrize(
    "username,refusal",
    [
        ("dashuikeng", Http404),
        ("outsider", Http404),
        ("auditor", PermissionDenied),
        ("cunshuji", PermissionDenied),
    ],
)
def test_transitions_respect_jurisdiction_and_role(name, username, refusal, shared):
    candidacy = Candidacy.objects.get(pk=shared)
    make_seat()
    before = footprint(candidacy)
    with pytest.raises(refusal):
        FUNCTIONS[name][1](candidacy, user(username))
    assert footprint(candidacy) == before


@pytest.mark.parametrize("name", [in_state(STARTS[name], name) for name in sorted(FUNCTIONS)])
def test_the_township_clerk_decides_in_her_township(name, shared):
    candidacy = Candidacy.objects.get(pk=shared)
    FUNCTIONS[name][1](candidacy, user("huamachi"))
    assert Candidacy.objects.get(pk=candidacy.pk).state != STARTS[name]


def test_objections_respect_jurisdiction():
    candidacy = candidacy_in(State.IN_NOTICE)
    before = footprint(candidacy)
    for username, refusal in [("dashuikeng", Http404), ("auditor", PermissionDenied)]:
        with pytest.raises(refusal):
            record_objection(actor=user(username), candidacy=candidacy, received_on=NOTICE_START, content="x")
    assert footprint(candidacy) == before


def test_nomination_jurisdiction_and_roles():
    person = make_person()
    count = Candidacy.objects.count()
    with pytest.raises(Http404):
        nominate(person, actor="dashuikeng")
    with pytest.raises(Http404):
        nominate(person, actor="outsider")
    with pytest.raises(PermissionDenied):
        nominate(person, actor="auditor")
    assert Candidacy.objects.count() == count
    # The village secretary nominates in his own village.
    assert nominate(person, actor="cunshuji").created_by.username == "cunshuji"
    other = make_person("李四", village="640323100201")
    with pytest.raises(Http404):
        nominate(other, actor="cunshuji")


def test_nomination_into_another_township_is_404():
    person = make_person()
    with pytest.raises(Http404):
        nominate(person, actor="huamachi", village=village(DASHUIKENG_VILLAGE))


# --- one active candidacy per person per post ---------------------------------------------------------


def test_a_second_active_candidacy_for_the_same_post_is_refused():
    person = make_person()
    nominate(person, targets=("secretary", "chair"))
    count = (Candidacy.objects.count(), CandidacyTarget.objects.count(), CandidacyEvent.objects.count())
    with pytest.raises(ValidationError) as refused:
        nominate(person, targets=("chair",))
    assert "同一职位不能同时有两个在办的后备人选记录" in refused.value.message_dict["post_types"][0]
    assert (
        Candidacy.objects.count(),
        CandidacyTarget.objects.count(),
        CandidacyEvent.objects.count(),
    ) == count
    # Another post of the same village is fine.
    assert nominate(person, targets=("deputy_secretary",)).state == "nominated"


def test_the_database_itself_refuses_a_second_active_target():
    first = nominate(make_person())
    second = Candidacy.objects.create(
        person=first.person, village=first.village, nomination_way="self", nominated_on=date(2024, 3, 1)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CandidacyTarget.objects.create(
            candidacy=second, post_type=post("secretary"), person=first.person, village=first.village
        )
    # Inactive targets (ended candidacies) do not count.
    CandidacyTarget.objects.create(
        candidacy=second,
        post_type=post("secretary"),
        person=first.person,
        village=first.village,
        active=False,
    )


@pytest.mark.parametrize("end_state", ["removed", "rejected"])
def test_a_removed_or_rejected_person_may_be_nominated_again(end_state):
    person = make_person()
    candidacy_in(end_state, person)
    again = nominate(person, on=date(2024, 6, 3))
    assert again.state == "nominated" and person.candidacies.count() == 2


# --- rules of the county ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "born,status,message",
    [
        (
            date(1970, 1, 1),
            "01",
            "村党组织书记后备人选的年龄须在 18 至 45 周岁之间，王五在 2024-03-01 为 54 周岁",
        ),
        (date(1990, 1, 1), "13", "村党组织书记后备人选须为中共党员或中共预备党员，王五的政治面貌为群众"),
        (date(1990, 1, 1), "03", "政治面貌为共青团员"),
    ],
)
def test_secretary_reserves_follow_the_age_and_party_rules(born, status, message):
    person = make_person("王五", born=born, status=status)
    with pytest.raises(ValidationError) as refused:
        nominate(person)
    assert message in refused.value.message_dict["post_types"][0]
    assert not Candidacy.objects.filter(person=person).exists()
    # The same person may prepare for the chair.
    assert nominate(person, targets=("chair",)).state == "nominated"


def test_age_boundaries():
    forty_five = make_person("甲", born=date(1978, 3, 2))  # 45 on 2024-03-01
    nominate(forty_five)
    forty_six = make_person("乙", born=date(1978, 3, 1))  # 46 on 2024-03-01
    with pytest.raises(ValidationError):
        nominate(forty_six)
    probationary = make_person("丙", born=date(1995, 1, 1), status="02")
    assert nominate(probationary).state == "nominated"


def test_the_county_sets_its_own_rules():
    county = village().parent.parent
    assert county.code == "640323"
    defaults = rules_for(county)
    assert defaults._state.adding  # nothing stored: the defaults
    assert (defaults.notice_working_days, defaults.secretary_minimum_age, defaults.secretary_maximum_age) == (
        5,
        18,
        45,
    )
    services.save_county_rules(
        actor=user("county"),
        county=county,
        notice_working_days=7,
        secretary_minimum_age=20,
        secretary_maximum_age=50,
        secretary_party_member_required=True,
        supervision_phone="0953-6012345",
    )
    assert CountyRules.objects.get(county=county).notice_working_days == 7
    nominate(make_person("丁", born=date(1976, 1, 1)))  # 48: allowed under the county's 50
    with pytest.raises(PermissionDenied):
        services.save_county_rules(
            actor=user("auditor"),
            county=county,
            notice_working_days=3,
            secretary_minimum_age=18,
            secretary_maximum_age=45,
            secretary_party_member_required=True,
        )
    with pytest.raises(Http404):
        services.save_county_rules(
            actor=user("huamachi"),
            county=county,
            notice_working_days=3,
            secretary_minimum_age=18,
            secretary_maximum_age=45,
            secretary_party_member_required=True,
        )
    assert CountyRules.objects.get(county=county).notice_working_days == 7


# --- working days: the Spring Festival and National Day ---------------------------------------------


def test_working_days_know_the_national_day_holiday_and_its_make_up_days():
    # 2024: 10-01..10-07 off; 09-29 (Sunday) and 10-12 (Saturday) are make-up working days.
    assert working_days(date(2024, 9, 29), date(2024, 9, 30)) == 2
    assert working_days(date(2024, 10, 1), date(2024, 10, 7)) == 0
    # A notice starting on the last working day before 国庆 needs five working days: 9-30, 10-8 … 10-11.
    assert earliest_notice_end(date(2024, 9, 30), 5) == date(2024, 10, 11)


def test_working_days_know_the_spring_festival():
    # 2025: 01-28..02-04 off; 01-26 (Sunday) and 02-08 (Saturday) are make-up working days.
    assert working_days(date(2025, 1, 25), date(2025, 1, 27)) == 2
    assert working_days(date(2025, 1, 28), date(2025, 2, 4)) == 0
    assert earliest_notice_end(date(2025, 1, 24), 5) == date(2025, 2, 6)


@pytest.mark.parametrize(
    "start,short_end,good_end",
    [
        (date(2024, 9, 30), date(2024, 10, 10), date(2024, 10, 11)),  # 国庆 2024
        (date(2025, 1, 24), date(2025, 2, 5), date(2025, 2, 6)),  # 春节 2025
        (
            date(2025, 9, 30),
            date(2025, 10, 12),
            date(2025, 10, 13),
        ),  # 国庆 + 中秋 2025, make-up Saturday 10-11
    ],
)
def test_a_notice_across_a_holiday_must_end_after_it(start, short_end, good_end):
    candidacy = candidacy_in(State.DECIDED)
    before = footprint(candidacy)
    with pytest.raises(ValidationError) as refused:
        start_notice(actor=user("county"), candidacy=candidacy, start=start, end=short_end)
    assert f"最早可于 {good_end:%Y-%m-%d} 结束" in refused.value.message_dict["end"][0]
    assert "只有 4 个工作日" in refused.value.message_dict["end"][0]
    assert footprint(candidacy) == before
    start_notice(actor=user("county"), candidacy=candidacy, start=start, end=good_end)
    assert Candidacy.objects.get(pk=candidacy.pk).state == "in_notice"


def test_a_year_without_a_holiday_schedule_counts_weekends_only():
    candidacy = candidacy_in(State.DECIDED)
    before = footprint(candidacy)
    # 2099-03-02 is a Monday: no schedule, so Monday to Friday are the five working days.
    with pytest.raises(ValidationError) as refused:
        start_notice(actor=user("county"), candidacy=candidacy, start=date(2099, 3, 2), end=date(2099, 3, 5))
    assert "只有 4 个工作日，最早可于 2099-03-06 结束" in refused.value.message_dict["end"][0]
    assert footprint(candidacy) == before
    start_notice(actor=user("county"), candidacy=candidacy, start=date(2099, 3, 2), end=date(2099, 3, 6))
    assert Candidacy.objects.get(pk=candidacy.pk).public_notice.end == date(2099, 3, 6)


# --- the public notice: pool entry, objections ------------------------------------------------------


def test_the_pool_is_entered_only_after_the_notice_end():
    candidacy = candidacy_in(State.IN_NOTICE)
    before = footprint(candidacy)
    with pytest.raises(ValidationError) as refused:
        workflow.enter_pool(actor=user("county"), candidacy=candidacy, on=NOTICE_END)
    assert refused.value.message_dict["on"] == ["公示期至 2024-03-26 结束，2024-03-27 起方可入库"]
    assert footprint(candidacy) == before


def test_an_unresolved_objection_blocks_the_pool_and_a_rejected_one_does_not():
    candidacy = candidacy_in(State.IN_NOTICE)
    objection = record_objection(
        actor=user("huamachi"), candidacy=candidacy, received_on=date(2024, 3, 21), content="反映其长期在外"
    )
    before = footprint(candidacy)
    with pytest.raises(ValidationError) as refused:
        workflow.enter_pool(actor=user("county"), candidacy=candidacy, on=POOL_ON)
    assert refused.value.message_dict["objections"] == ["尚有 1 条异议未处理，处理后方可入库"]
    assert footprint(candidacy) == before
    resolve_objection(
        actor=user("huamachi"),
        objection=objection,
        upheld=False,
        on=date(2024, 3, 25),
        resolution="经核实，不属实",
    )
    workflow.enter_pool(actor=user("county"), candidacy=candidacy, on=POOL_ON)
    candidacy.refresh_from_db()
    assert candidacy.state == "in_pool"
    assert [e.summary for e in candidacy.events.order_by("at", "id")][-3:] == [
        "收到异议",
        "异议经核查不属实",
        "公示期满无异议，纳入后备力量人才库",
    ]


def test_an_upheld_objection_rejects():
    candidacy = candidacy_in(State.IN_NOTICE)
    objection = record_objection(
        actor=user("huamachi"), candidacy=candidacy, received_on=date(2024, 3, 21), content="有违法建房未整改"
    )
    resolve_objection(
        actor=user("huamachi"),
        objection=objection,
        upheld=True,
        on=date(2024, 3, 25),
        resolution="经核实属实",
    )
    candidacy.refresh_from_db()
    assert candidacy.state == "rejected"
    assert not candidacy.targets.filter(active=True).exists()
    with pytest.raises(workflow.WorkflowConflict):
        record_objection(
            actor=user("huamachi"), candidacy=candidacy, received_on=date(2024, 3, 22), content="x"
        )


def test_an_objection_outside_the_notice_period_is_refused():
    candidacy = candidacy_in(State.IN_NOTICE)
    with pytest.raises(ValidationError) as refused:
        record_objection(
            actor=user("county"), candidacy=candidacy, received_on=date(2024, 3, 27), content="x"
        )
    assert refused.value.message_dict["received_on"] == ["异议须在公示期内（2024-03-20 至 2024-03-26）收到"]


# --- vetting, decision, dates ----------------------------------------------------------------------


def test_vetting_records_the_negative_list_item_by_item():
    candidacy = nominate(make_person())
    failed = list(NegativeListItem.objects.order_by("order")[:2])
    workflow.vet(
        actor=user("huamachi"), candidacy=candidacy, passed=False, failed_items=failed, on=date(2024, 3, 5)
    )
    candidacy.refresh_from_db()
    assert candidacy.state == "rejected"
    results = {r.item.name: r.passed for r in candidacy.vetting.items.all()}
    assert len(results) == 10 and [name for name, ok in results.items() if not ok] == [i.name for i in failed]
    assert (
        candidacy.events.last().summary == "资格审查不通过：受过刑事处罚的；因涉嫌违纪违法正在接受审查调查的"
    )


@pytest.mark.parametrize(
    "passed,items,message",
    [
        (True, 1, "资格审查通过时不能有未通过的负面清单项目"),
        (False, 0, "资格审查不通过时须勾选未通过的负面清单项目"),
    ],
)
def test_vetting_must_agree_with_its_items(passed, items, message):
    candidacy = nominate(make_person())
    before = footprint(candidacy)
    with pytest.raises(ValidationError) as refused:
        workflow.vet(
            actor=user("county"),
            candidacy=candidacy,
            passed=passed,
            failed_items=list(NegativeListItem.objects.all()[:items]),
            on=date(2024, 3, 5),
        )
    assert refused.value.message_dict["failed_items"] == [message]
    assert footprint(candidacy) == before


def test_a_step_cannot_be_dated_before_the_previous_one_or_in_the_future():
    candidacy = nominate(make_person())
    before = footprint(candidacy)
    with pytest.raises(ValidationError) as refused:
        workflow.vet(actor=user("county"), candidacy=candidacy, passed=True, on=date(2024, 2, 1))
    assert refused.value.message_dict["on"] == ["日期 2024-02-01 不能早于上一步的日期 2024-03-01"]
    with pytest.raises(ValidationError):
        workflow.vet(actor=user("county"), candidacy=candidacy, passed=True, on=date(2099, 1, 1))
    assert footprint(candidacy) == before


def test_a_committee_that_does_not_pass_needs_a_reason():
    candidacy = candidacy_in(State.INSPECTED)
    with pytest.raises(ValidationError) as refused:
        workflow.decide(actor=user("county"), candidacy=candidacy, passed=False, on=DECIDED_ON)
    assert refused.value.message_dict["note"] == ["未通过时请写明理由"]


# --- promotion and removal ---------------------------------------------------------------------------


def test_promotion_into_an_occupied_seat_is_refused():
    seat = make_seat()
    incumbent = make_person("王书记", born=date(1970, 1, 1))
    post_services.appoint(actor=user("county"), seat=seat, person=incumbent, start=date(2021, 1, 8))
    candidacy = candidacy_in(State.IN_POOL)
    before = footprint(candidacy)
    with pytest.raises(ValidationError) as refused:
        workflow.promote(actor=user("huamachi"), candidacy=candidacy, seat=seat, on=PROMOTED_ON)
    assert refused.value.message_dict["seat"] == ["该职位现任王书记的任期尚未结束，请先结束任期或办理交接"]
    assert footprint(candidacy) == before
    # Once the term has ended, the reserve is used.
    term = Term.objects.get(seat=seat)
    post_services.end_term(actor=user("county"), term=term, end=date(2024, 4, 1), reason="resigned")
    workflow.promote(actor=user("huamachi"), candidacy=candidacy, seat=seat, on=PROMOTED_ON)
    assert Term.objects.current(PROMOTED_ON).get(seat=seat).person == candidacy.person


def test_promotion_only_into_a_seat_of_the_village():
    candidacy = candidacy_in(State.IN_POOL)
    other = make_seat("640323100201")
    with pytest.raises(ValidationError) as refused:
        workflow.promote(actor=user("county"), candidacy=candidacy, seat=other, on=PROMOTED_ON)
    assert "只能使用到" in refused.value.message_dict["seat"][0]


@pytest.mark.parametrize(
    "reason,note,field,message",
    [
        ("", "", "reason", "出库须选择原因"),
        ("other", "", "note", "出库原因为“其他”时须写明具体情况"),
        ("nonsense", "", "reason", "出库原因 nonsense 不在规定的原因中"),
    ],
)
def test_removal_needs_a_reason(reason, note, field, message):
    candidacy = candidacy_in(State.IN_POOL)
    before = footprint(candidacy)
    with pytest.raises(ValidationError) as refused:
        workflow.remove(
            actor=user("county"), candidacy=candidacy, reason=reason, on=date(2024, 5, 6), note=note
        )
    assert refused.value.message_dict[field] == [message]
    assert footprint(candidacy) == before


def test_removal_with_a_reason():
    candidacy = candidacy_in(State.IN_POOL)
    workflow.remove(
        actor=user("huamachi"), candidacy=candidacy, reason="other", on=date(2024, 5, 6), note="调往县城工作"
    )
    candidacy.refresh_from_db()
    assert (candidacy.state, candidacy.removed_on, candidacy.removal_reason, candidacy.removal_note) == (
        "removed",
        date(2024, 5, 6),
        "other",
        "调往县城工作",
    )
    assert candidacy.events.last().summary == "出库：其他"


# --- the batch 公示 ----------------------------------------------------------------------------------


def test_batch_notice_starts_every_decided_candidacy_of_the_township():
    first = candidacy_in(State.DECIDED)
    second = candidacy_in(State.DECIDED, make_person("赵六", village="640323100201"))
    elsewhere = candidacy_in(State.DECIDED, make_person("钱七", village=DASHUIKENG_VILLAGE))
    waiting = candidacy_in(State.INSPECTED, make_person("孙八"))
    notice = start_notices_for_township(
        actor=user("huamachi"), township=village().parent, start=NOTICE_START, end=NOTICE_END
    )
    assert set(notice.candidacies.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert (notice.township_id, notice.start, notice.end, notice.issuer) == (
        HUAMACHI,
        NOTICE_START,
        NOTICE_END,
        "中共花马池镇委员会",
    )
    for candidacy, state in [
        (first, "in_notice"),
        (second, "in_notice"),
        (elsewhere, "decided"),
        (waiting, "inspected"),
    ]:
        assert Candidacy.objects.get(pk=candidacy.pk).state == state


def test_batch_notice_is_all_or_nothing():
    first = candidacy_in(State.DECIDED)
    late = nominate(make_person("周九"), on=date(2024, 3, 1))
    step(late, "vetted")
    step(late, "inspected")
    workflow.decide(actor=user("county"), candidacy=late, passed=True, on=date(2024, 3, 21))
    before = (footprint(first), footprint(late))
    with pytest.raises(ValidationError) as refused:
        start_notices_for_township(
            actor=user("huamachi"), township=village().parent, start=NOTICE_START, end=date(2024, 3, 28)
        )
    assert refused.value.message_dict["start"] == ["公示开始日期不能早于周九的研究确定日期 2024-03-21"]
    assert (footprint(first), footprint(late)) == before
    with pytest.raises(ValidationError):
        start_notices_for_township(
            actor=user("huamachi"), township=village().parent, start=date(2024, 3, 22), end=date(2024, 3, 26)
        )
    assert (footprint(first), footprint(late)) == before
    assert PublicNotice.objects.count() == 0


def test_batch_notice_jurisdiction():
    candidacy_in(State.DECIDED)
    township = village().parent
    with pytest.raises(Http404):
        start_notices_for_township(
            actor=user("dashuikeng"), township=township, start=NOTICE_START, end=NOTICE_END
        )
    with pytest.raises(PermissionDenied):
        start_notices_for_township(
            actor=user("auditor"), township=township, start=NOTICE_START, end=NOTICE_END
        )
    with pytest.raises(ValidationError) as nothing:
        start_notices_for_township(
            actor=user("dashuikeng"),
            township=village(DASHUIKENG_VILLAGE).parent,
            start=NOTICE_START,
            end=NOTICE_END,
        )
    assert nothing.value.message_dict["township"] == ["大水坑镇没有已研究确定、待公示的后备人选"]
    assert PublicNotice.objects.count() == 0


# --- coverage -----------------------------------------------------------------------------------------


def test_village_coverage_and_one_post_one_reserve():
    first = candidacy_in(State.IN_POOL, targets=("secretary",))
    rows = selectors.village_coverage(user("county"), village(), on=date(2024, 4, 1))
    assert [(row.post_type.code, row.covered, [c.pk for c in row.reserves]) for row in rows] == [
        ("secretary", True, [first.pk]),
        ("chair", False, []),
    ]
    candidacy_in(State.IN_POOL, make_person("吴十", status="13"), targets=("chair",))
    summary = selectors.coverage(user("huamachi"), village().parent, on=date(2024, 4, 1))
    assert (summary.villages, summary.covered, str(summary.rate)) == (23, 1, "4.35")
    assert HUAMACHI_VILLAGE not in {v.code for v in summary.uncovered}
    assert selectors.coverage(user("huamachi"), village().parent, on=date(2024, 3, 26)).covered == 0
