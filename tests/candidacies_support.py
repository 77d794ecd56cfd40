"""Shared helpers of the candidacy tests: people, seats, and a candidacy driven to any state with fixed
business dates in March 2024 (no holiday inside)."""

from __future__ import annotations

from datetime import date

from yanzhen.accounts.models import User
from yanzhen.candidacies import notice, transitions, workflow
from yanzhen.candidacies.models import (
    Candidacy,
    CandidacyEvent,
    CandidacyState,
    Decision,
    Inspection,
    NegativeListItem,
    Objection,
    PublicNotice,
    Vetting,
)
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person
from yanzhen.posts import services as post_services
from yanzhen.posts.models import PostType, Seat, Term

from .conftest import HUAMACHI_VILLAGE
from .factories import make_person

State = CandidacyState

NOMINATED_ON = date(2024, 3, 1)
VETTED_ON = date(2024, 3, 5)
INSPECTED_ON = date(2024, 3, 12)
DECIDED_ON = date(2024, 3, 19)
NOTICE_START = date(2024, 3, 20)
NOTICE_END = date(2024, 3, 26)  # 20, 21, 22, 25, 26: five working days
POOL_ON = date(2024, 3, 27)
PROMOTED_ON = date(2024, 4, 10)
REMOVED_ON = date(2024, 5, 6)


def user(username: str) -> User:
    return User.objects.get(username=username)


def village(code: str = HUAMACHI_VILLAGE) -> Division:
    return Division.objects.get(code=code)


def post(code: str) -> PostType:
    return PostType.objects.get(code=code)


def make_seat(code: str = HUAMACHI_VILLAGE, post_type: str = "secretary") -> Seat:
    [seat] = post_services.ensure_seats(
        actor=user("county"), village=village(code), post_type=post(post_type), count=1
    )
    return seat


def nominate(
    person: Person | None = None, *, actor: str = "county", targets=("secretary",), **extra
) -> Candidacy:
    values = {"nomination_way": "village_party", "on": NOMINATED_ON}
    values.update(extra)
    return workflow.nominate(
        actor=user(actor),
        person=person or make_person(),
        post_types=[post(code) for code in targets],
        **values,
    )


# Good data for each move, by its target state (the source matters only for "rejected").
GOOD = {
    State.VETTED: {"on": VETTED_ON},
    State.INSPECTED: {
        "on": INSPECTED_ON,
        "inspectors": "张三、李四",
        "people_talked_to": 12,
        "votes_for": 30,
        "votes_against": 2,
        "votes_abstaining": 1,
        "findings": "同意列为后备人选",
    },
    State.DECIDED: {"on": DECIDED_ON, "note": "研究"},
    State.IN_NOTICE: {"start": NOTICE_START, "end": NOTICE_END},
    State.IN_POOL: {"on": POOL_ON},
    State.PROMOTED: {"on": PROMOTED_ON},
    State.REMOVED: {"reason": "request", "on": REMOVED_ON},
}


def _rejection(candidacy: Candidacy, state: str, by: User) -> dict:
    if state == State.NOMINATED:
        return {"failed_items": [NegativeListItem.objects.first()], "on": VETTED_ON}
    if state == State.INSPECTED:
        return {"on": DECIDED_ON, "note": "票数不足"}
    objection = notice.record_objection(
        actor=by, candidacy=candidacy, received_on=NOTICE_START, content="反映问题"
    )
    return {"objection": objection, "on": NOTICE_END, "resolution": "属实"}


def step(candidacy: Candidacy, to: str, actor: str = "county") -> Candidacy:
    """One allowed step with good data, through the transition declared for it."""
    by = user(actor)
    state = Candidacy.objects.get(pk=candidacy.pk).state
    move = transitions.find(state, to)
    if move is None:
        raise AssertionError(f"no step from {state} to {to}")
    values = _rejection(candidacy, state, by) if to == State.REJECTED else dict(GOOD[to])
    if to == State.PROMOTED:
        values["seat"] = Seat.objects.filter(
            village=candidacy.village, post_type__code="secretary"
        ).first() or make_seat(candidacy.village_id)
    move.perform(by, candidacy, values)
    return Candidacy.objects.get(pk=candidacy.pk)


# The path from 推荐 to each state.
PATHS = {
    State.NOMINATED: [],
    State.VETTED: [State.VETTED],
    State.INSPECTED: [State.VETTED, State.INSPECTED],
    State.DECIDED: [State.VETTED, State.INSPECTED, State.DECIDED],
    State.IN_NOTICE: [State.VETTED, State.INSPECTED, State.DECIDED, State.IN_NOTICE],
    State.IN_POOL: [State.VETTED, State.INSPECTED, State.DECIDED, State.IN_NOTICE, State.IN_POOL],
    State.PROMOTED: [
        State.VETTED,
        State.INSPECTED,
        State.DECIDED,
        State.IN_NOTICE,
        State.IN_POOL,
        State.PROMOTED,
    ],
    State.REMOVED: [
        State.VETTED,
        State.INSPECTED,
        State.DECIDED,
        State.IN_NOTICE,
        State.IN_POOL,
        State.REMOVED,
    ],
    State.REJECTED: [State.REJECTED],
}


def candidacy_in(state: str, person: Person | None = None, **extra) -> Candidacy:
    candidacy = nominate(person, **extra)
    for to in PATHS[state]:
        step(candidacy, to)
    candidacy = Candidacy.objects.get(pk=candidacy.pk)
    assert candidacy.state == state
    return candidacy


def candidacy_pk_in(state: str) -> int:
    """`candidacy_in(state)` for records shared by tests (conftest `shared_mark`): its pk."""
    return candidacy_in(state).pk


def footprint(candidacy: Candidacy) -> tuple:
    """Everything a transition may write, to prove that a refused one wrote nothing."""
    fresh = Candidacy.objects.get(pk=candidacy.pk)
    return (
        fresh.state,
        fresh.entered_pool_on,
        fresh.promoted_on,
        fresh.removed_on,
        fresh.removal_reason,
        fresh.public_notice_id,
        CandidacyEvent.objects.count(),
        Candidacy.history.count(),
        Vetting.objects.count(),
        Inspection.objects.count(),
        Decision.objects.count(),
        PublicNotice.objects.count(),
        Objection.objects.count(),
        Term.objects.count(),
        list(fresh.targets.values_list("active", flat=True)),
    )
