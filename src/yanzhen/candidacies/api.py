"""/api/v1/candidacies: list, nominate, read with the timeline, and ask for a transition by its target state.

An illegal move answers 409 {"detail": "不能从“推荐”直接转为“在库”"}; bad data 422 with Chinese messages
keyed by field; a candidacy outside the caller's jurisdiction 404, like one that does not exist.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from yanzhen.candidacies import notice, selectors, transitions, workflow
from yanzhen.candidacies.models import Candidacy, Objection, Pairing, Readiness
from yanzhen.candidacies.transitions import TransitionData
from yanzhen.core.api_errors import Error, messages_as_detail, refusal
from yanzhen.core.guards import get_for_view, today
from yanzhen.core.ids import Count, Offset
from yanzhen.core.text import Line, Multiline
from yanzhen.divisions import selectors as division_selectors
from yanzhen.people.models import Person
from yanzhen.posts.models import PostType

router = Router()


class EventOut(Schema):
    from_state: str
    to_state: str
    on: date
    at: datetime
    actor: str | None
    summary: str
    data: dict[str, Any]
    note: str


class CandidacyOut(Schema):
    id: int
    person_id: int
    person_name: str
    village_code: str
    village_name: str
    state: str
    state_name: str
    targets: list[str] = Field(min_length=1, description="拟培养岗位的职位代码，至少一个")
    nomination_way: str
    recommender: str
    pairing: str
    pairing_members: str
    readiness: str
    key_cultivation: bool
    nominated_on: date
    entered_pool_on: date | None
    promoted_on: date | None
    removed_on: date | None
    removal_reason: str
    removal_note: str
    allowed_next: list[str]


class CandidacyDetailOut(CandidacyOut):
    timeline: list[EventOut]


def _out(candidacy: Candidacy, *, detail: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": candidacy.pk,
        "person_id": candidacy.person_id,
        "person_name": candidacy.person.name,
        "village_code": candidacy.village_id,
        "village_name": candidacy.village.name,
        "state": candidacy.state,
        "state_name": workflow.state_name(candidacy.state),
        "targets": [target.post_type.code for target in candidacy.targets.all()],
        "nomination_way": candidacy.nomination_way,
        "recommender": candidacy.recommender,
        "pairing": candidacy.pairing,
        "pairing_members": candidacy.pairing_members,
        "readiness": candidacy.readiness,
        "key_cultivation": candidacy.key_cultivation,
        "nominated_on": candidacy.nominated_on,
        "entered_pool_on": candidacy.entered_pool_on,
        "promoted_on": candidacy.promoted_on,
        "removed_on": candidacy.removed_on,
        "removal_reason": candidacy.removal_reason,
        "removal_note": candidacy.removal_note,
        "allowed_next": transitions.allowed_next(candidacy.state),
    }
    if detail:
        body["timeline"] = [
            {
                "from_state": event.from_state,
                "to_state": event.to_state,
                "on": event.on,
                "at": event.at,
                "actor": str(event.actor) if event.actor else None,
                "summary": event.summary,
                "data": event.data,
                "note": event.note,
            }
            for event in candidacy.events.select_related("actor").order_by("at", "id")
        ]
    return body


@router.get("", response=list[CandidacyOut], summary="Candidacies inside the caller's jurisdiction")
def list_candidacies(request, state: str = "", village: str = "", limit: Count = 100, offset: Offset = 0):
    # A NUL byte in the query string is refused before any view (core.bad_input.NulGuardMiddleware).
    candidacies = selectors.visible_candidacies(request.user).order_by("village_id", "person__name", "id")
    if state:
        candidacies = candidacies.filter(state=state)
    if village:
        candidacies = candidacies.filter(village__code__startswith=village)
    limit = max(1, min(limit, 500))
    return [_out(c) for c in candidacies[max(offset, 0) : max(offset, 0) + limit]]


class NominationIn(Schema):
    # Every text is a Line (control characters such as NUL dropped, as in every text field): a code with a
    # stray byte is then refused as unknown instead of reaching PostgreSQL, which refuses NUL in a string.
    person: int
    targets: list[Line] = Field(min_length=1, description="拟培养岗位的职位代码，至少一个")
    nomination_way: Line
    on: date | None = None
    village: Line | None = None
    recommender: Line = ""
    pairing: Line = Pairing.NONE
    pairing_members: Line = ""
    readiness: Line = Readiness.ONE_TO_TWO_YEARS
    key_cultivation: bool = False
    note: Multiline = ""


@router.post(
    "",
    response={201: CandidacyDetailOut, 409: Error, 422: Error},
    summary="Nominate a person (推荐)",
)
def create_candidacy(request, payload: NominationIn):
    person = get_for_view(Person.objects.all(), request.user, pk=payload.person)
    village = division_selectors.get_division(request.user, payload.village) if payload.village else None
    post_types = list(PostType.objects.filter(code__in=payload.targets))
    unknown = set(payload.targets) - {post.code for post in post_types}
    if unknown:
        raise refusal(
            ValidationError({"targets": "未知的职位代码"}), f"未知的职位代码：{'、'.join(sorted(unknown))}"
        )
    with messages_as_detail():
        candidacy = workflow.nominate(
            actor=request.user,
            person=person,
            village=village,
            post_types=post_types,
            nomination_way=payload.nomination_way,
            on=payload.on or today(),
            recommender=payload.recommender,
            pairing=payload.pairing,
            pairing_members=payload.pairing_members,
            readiness=payload.readiness,
            key_cultivation=payload.key_cultivation,
            note=payload.note,
        )
    return Status(201, _out(selectors.reread(candidacy), detail=True))


@router.get("/{candidacy_id}", response=CandidacyDetailOut, summary="One candidacy with its timeline")
def get_candidacy(request, candidacy_id: int):
    return _out(selectors.get_candidacy(request.user, candidacy_id), detail=True)


class TargetIn(Schema):
    to: str


class TransitionIn(TransitionData, TargetIn):
    pass


@router.post(
    "/{candidacy_id}/transitions",
    response={200: CandidacyDetailOut, 409: Error, 422: Error},
    summary="Move a candidacy to the next state with the data of that step",
)
def transition_candidacy(request, candidacy_id: int, payload: TransitionIn):
    candidacy = selectors.get_candidacy_for_change(request.user, candidacy_id)
    with messages_as_detail():
        transitions.apply_transition(actor=request.user, candidacy=candidacy, to=payload.to, data=payload)
    return _out(selectors.reread(candidacy), detail=True)


class ObjectionIn(Schema):
    received_on: date
    content: Multiline


class ObjectionOut(Schema):
    id: int
    received_on: date
    content: str
    resolved_on: date | None
    upheld: bool | None
    resolution: str


@router.post(
    "/{candidacy_id}/objections",
    response={201: ObjectionOut, 409: Error, 422: Error},
    summary="Record an objection received during the public notice",
)
def record_candidacy_objection(request, candidacy_id: int, payload: ObjectionIn):
    candidacy = selectors.get_candidacy_for_change(request.user, candidacy_id)
    with messages_as_detail():
        objection = notice.record_objection(
            actor=request.user, candidacy=candidacy, received_on=payload.received_on, content=payload.content
        )
    return Status(201, objection)


class ResolutionIn(Schema):
    upheld: bool
    on: date | None = None
    resolution: Multiline


@router.post(
    "/{candidacy_id}/objections/{objection_id}/resolution",
    response={200: ObjectionOut, 409: Error, 422: Error},
    summary="Resolve an objection; upheld, it rejects the candidacy",
)
def resolve_candidacy_objection(request, candidacy_id: int, objection_id: int, payload: ResolutionIn):
    candidacy = selectors.get_candidacy_for_change(request.user, candidacy_id)
    objection = get_object_or_404(Objection, pk=objection_id, candidacy=candidacy)
    with messages_as_detail():
        return notice.resolve_objection(
            actor=request.user,
            objection=objection,
            upheld=payload.upheld,
            on=payload.on or today(),
            resolution=payload.resolution,
        )
