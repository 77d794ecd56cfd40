"""Every transition of a candidacy, declared once: from which state to which, the service that performs it,
the data it takes, its form and card on the candidacy page, its title, and who may do it.

The candidacy page (`views`), the API (`apply_transition`, by target state) and the tests' `step` helper
all go through `find(state, target)` and `Transition.perform`; `TRANSITIONS` (the table of allowed moves)
and `allowed_next` are read from the same list. The services themselves (`workflow`, `notice`) check
jurisdiction, role, state and data again, and write.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema

from yanzhen.candidacies import filing, notice, workflow
from yanzhen.candidacies.forms import (
    DecisionForm,
    DecisionRejectForm,
    EnterPoolForm,
    InspectionForm,
    NoticeForm,
    PromotionForm,
    RejectByObjectionForm,
    RemovalForm,
    StepForm,
    VettingFailedForm,
    VettingForm,
)
from yanzhen.candidacies.models import Candidacy, CandidacyState, FilingMode, NegativeListItem, Objection
from yanzhen.core.guards import today
from yanzhen.core.text import Line, Multiline
from yanzhen.posts.models import Seat

State = CandidacyState

DATED = ("on", "note")


@dataclass(frozen=True)
class Transition:
    """One allowed move. `run` is the service; it is called with `fixed` and the `inputs` given (named as
    its keywords). On the candidacy page the move is a card titled `title` with its `form` (`prefix`, or
    the target state, names its fields); `confirm` is the question the page asks before an irreversible
    step (`confirm_if`: only when that selector matches inside the form); `shown` False keeps a move
    reachable by its URL without a card of its own. `may` says who may do it."""

    source: str
    target: str
    title: Promise
    run: Callable[..., Any]
    inputs: tuple[str, ...]
    form: type[StepForm]
    fixed: Mapping[str, Any] = field(default_factory=dict)
    may: Callable[[Any], bool] = workflow.may_decide
    button: str = "btn-danger"
    needs_candidacy: bool = False
    confirm: Promise | str = ""
    confirm_if: str = ""
    shown: bool = True
    prefix: str = ""
    template: str = "candidacies/_form_fields.html"

    def perform(self, actor, candidacy: Candidacy, values: Mapping[str, Any]) -> Any:
        """Run the service with the inputs found in `values` (a form's cleaned data, the API's data); where
        the county wants the step approved (审批) or filed (备案), through `filing` (a `Filing` is returned for
        a request awaiting approval)."""
        given = {name: values[name] for name in self.inputs if name in values}
        rule = filing.rule_for(actor, candidacy, self)
        if rule == FilingMode.APPROVAL:
            return filing.request_approval(actor=actor, candidacy=candidacy, move=self, values=given)
        if rule == FilingMode.FILING:
            return filing.perform_and_file(actor=actor, candidacy=candidacy, move=self, values=given)
        return self.run(actor=actor, candidacy=candidacy, **self.fixed, **given)

    def make_form(self, candidacy: Candidacy, data=None) -> StepForm:
        prefix = self.prefix or self.target
        if self.needs_candidacy:
            return self.form(data, candidacy=candidacy, prefix=prefix)
        return self.form(data, prefix=prefix)


VETTING: dict[str, Any] = dict(form=VettingForm, prefix="vetted", template="candidacies/_vetting_fields.html")

ALL = [
    Transition(
        State.NOMINATED,
        State.VETTED,
        _("Vetting against the negative list"),
        workflow.vet,
        DATED,
        fixed={"passed": True},
        confirm=_(
            "An item is marked as the case: the vetting is not passed, and this cannot be undone. Go on?"
        ),
        confirm_if='input[value="found"]:checked',
        **VETTING,
    ),
    # The same form: posted here, it must find at least one item (the page posts to the move above, whose
    # answers choose this one when an item is found).
    Transition(
        State.NOMINATED,
        State.REJECTED,
        _("Vetting failed"),
        workflow.vet,
        ("failed_items", *DATED),
        fixed={"passed": False},
        shown=False,
        **{**VETTING, "form": VettingFailedForm},
    ),
    Transition(
        State.VETTED,
        State.INSPECTED,
        _("Record the inspection"),
        workflow.inspect,
        (
            "on",
            "inspectors",
            "people_talked_to",
            "votes_for",
            "votes_against",
            "votes_abstaining",
            "findings",
            "note",
        ),
        InspectionForm,
    ),
    Transition(
        State.INSPECTED,
        State.DECIDED,
        _("Decided by the township committee"),
        workflow.decide,
        DATED,
        DecisionForm,
        fixed={"passed": True},
    ),
    Transition(
        State.INSPECTED,
        State.REJECTED,
        _("Not passed by the township committee"),
        workflow.decide,
        DATED,
        DecisionRejectForm,
        fixed={"passed": False},
        button="btn-outline-secondary",
        confirm=_("The nominee is not passed: this cannot be undone. Go on?"),
    ),
    Transition(
        State.DECIDED,
        State.IN_NOTICE,
        _("Start the public notice"),
        notice.start_notice,
        ("start", "end", "note", "supervision_phone"),
        NoticeForm,
        needs_candidacy=True,
    ),
    Transition(
        State.IN_NOTICE,
        State.IN_POOL,
        _("Enter the pool"),
        workflow.enter_pool,
        DATED,
        EnterPoolForm,
        needs_candidacy=True,
    ),
    Transition(
        State.IN_NOTICE,
        State.REJECTED,
        _("Objection upheld: reject"),
        notice.reject_by_objection,
        ("objection", "on", "resolution"),
        RejectByObjectionForm,
        button="btn-outline-secondary",
        needs_candidacy=True,
        confirm=_("The objection is upheld and the candidacy cancelled: this cannot be undone. Go on?"),
    ),
    Transition(
        State.IN_POOL,
        State.PROMOTED,
        _("Promote into a post"),
        workflow.promote,
        ("seat", *DATED),
        PromotionForm,
        needs_candidacy=True,
    ),
    Transition(
        State.IN_POOL,
        State.REMOVED,
        _("Remove from the pool"),
        workflow.remove,
        ("reason", "destination", *DATED),
        RemovalForm,
        button="btn-outline-secondary",
        confirm=_("The reserve leaves the pool: this cannot be undone. Go on?"),
    ),
]

# The only allowed moves. Terminal states (promoted, removed, rejected) have none: a removed or rejected
# person is nominated again as a new candidacy.
TRANSITIONS: dict[str, frozenset[str]] = {
    source: frozenset(move.target for move in ALL if move.source == source)
    for source in dict.fromkeys(move.source for move in ALL)
}


def find(source: str, target: str) -> Transition | None:
    return next((move for move in ALL if move.source == source and move.target == target), None)


def allowed_next(state: str) -> list[str]:
    """The states a candidacy may move to, in the order of the procedure."""
    targets = TRANSITIONS.get(state, frozenset())
    return [s for s in State.values if s in targets]


def offered(user, candidacy: Candidacy) -> list[Transition]:
    """The moves the candidacy page shows the user as cards."""
    return [move for move in ALL if move.source == candidacy.state and move.shown and move.may(user)]


# --- the API's entry: {"to": "<state>", ...data} ----------------------------------------------------------


class TransitionData(Schema):
    # The data of a step asked for through the API (`api.TransitionIn` adds the target state); each step reads
    # the fields it takes (`Transition.inputs`).
    on: date | None = None
    note: Multiline = ""
    failed_items: list[int] | None = None
    inspectors: Line = ""
    people_talked_to: int | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstaining: int | None = None
    findings: Multiline = ""
    start: date | None = None
    end: date | None = None
    objection: int | None = None
    resolution: Multiline = ""
    seat: int | None = None
    reason: Line = ""
    destination: Line = Field(
        "",
        description="出库去向（可空）：township_leadership 乡镇领导班子、public_institution 事业编制、civil_service 公务员、professional_secretary 专业化管理的村党组织书记、other 其他",
    )


def _negative_items(ids: list[int]) -> list[NegativeListItem]:
    items = list(NegativeListItem.objects.filter(pk__in=ids))
    if len(items) != len(set(ids)):
        raise ValidationError({"failed_items": "所选负面清单项目不存在"})
    return items


def _objection(candidacy: Candidacy, pk: int | None) -> Objection:
    objection = Objection.objects.filter(pk=pk or 0, candidacy_id=candidacy.pk).first()
    if objection is None:
        raise ValidationError({"objection": "公示中的人选只能因异议成立而取消：请给出成立的异议"})
    return objection


def api_values(candidacy: Candidacy, data: TransitionData, inputs: tuple[str, ...]) -> dict[str, Any]:
    """The API's data as the service's inputs: ids become records (422 when there is none), the date
    defaults to today and the notice's start to that date, the resolution to the note."""
    on = data.on or today()
    found: dict[str, Callable[[], Any]] = {
        "on": lambda: on,
        "start": lambda: data.start or on,
        "failed_items": lambda: _negative_items(data.failed_items or []),
        "objection": lambda: _objection(candidacy, data.objection),
        "resolution": lambda: data.resolution or data.note,
        "seat": lambda: Seat.objects.filter(pk=data.seat or 0).first(),
    }
    values: dict[str, Any] = {}
    for name in inputs:
        if name in found:
            values[name] = found[name]()
        elif hasattr(data, name):
            values[name] = getattr(data, name)
    return values


def apply_transition(*, actor, candidacy: Candidacy, to: str, data: TransitionData) -> None:
    """Move a candidacy (as fetched for a change by the caller) to `to`, choosing the transition by its
    current state: an unknown state is 422, a move the table does not allow 409."""
    if to not in State.values:
        raise ValidationError({"to": f"未知的状态“{to}”，可选：{'、'.join(State.values)}"})
    move = find(candidacy.state, to)
    if move is None:
        raise workflow.IllegalTransition(candidacy.state, to)
    if not move.may(actor):
        raise PermissionDenied
    move.perform(actor, candidacy, api_values(candidacy, data, move.inputs))
