"""备案/审批: a county's filing of a township's decisions to admit to (入库) and remove from (出库) the pool
(issue 20 §3). The one place of the rule; the transitions stay declared once, in `transitions`.

A county's `FilingSettings` say, for each step, neither (the pipeline as it always was), 备案 or 审批.
`Transition.perform` asks `rule_for` before it runs a step's service:

- 审批: the service is run in a savepoint and rolled back (a dry run: the same checks of jurisdiction, role,
  state and data, so a request the step would refuse is refused now), and a pending `Filing` keeps the
  service's inputs. The candidacy stays where it is ("待县委组织部审批" on its page). The county's `approve`
  re-reads the candidacy, refuses when it moved meanwhile, and performs the declared transition through the
  same service with the original inputs; the event names the township's proposer.
- 备案: the step happens, and a pending `Filing` awaits the county's acknowledgement (`acknowledge`).

The county's own administrators act without the step (they are the county). The removal proposals'
confirmation (assessments) calls `remove` itself: it asks `rule_for` too (refused under 审批: the township asks on
the candidacy page; filed under 备案 with `file_done`). The rosters' import into the pool is not filed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from yanzhen.accounts.roles import Role
from yanzhen.candidacies.models import (
    Candidacy,
    CandidacyEvent,
    CandidacyState,
    Filing,
    FilingMode,
    FilingSettings,
    FilingState,
    FilingStep,
    RemovalReason,
)
from yanzhen.candidacies.workflow import WorkflowConflict, chinese, state_name
from yanzhen.core.county_settings import county_errors, save_county_row
from yanzhen.core.guards import attribute_to, raise_errors
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.core.locking import visible_locked
from yanzhen.divisions.models import Division
from yanzhen.posts.models import Destination

if TYPE_CHECKING:
    from yanzhen.candidacies.transitions import Transition

State = CandidacyState

# The moves a county may want filed or approved, by (source, target): each names its setting.
STEPS: dict[tuple[str, str], str] = {
    (State.IN_NOTICE, State.IN_POOL): FilingStep.ENTRY,
    (State.IN_POOL, State.REMOVED): FilingStep.REMOVAL,
}
STEP_NAMES: dict[str, str] = {FilingStep.ENTRY: "入库", FilingStep.REMOVAL: "出库"}
KIND_NAMES: dict[str, str] = {FilingMode.FILING: "备案", FilingMode.APPROVAL: "审批"}
FILING_STATE_NAMES: dict[str, str] = {
    FilingState.PENDING: "待处理",
    FilingState.ACKNOWLEDGED: "已知悉",
    FilingState.APPROVED: "已同意",
    FilingState.REFUSED: "已退回",
}
DATE_INPUTS = frozenset({"on", "start", "end"})
REASON_MAX = 300


# --- the rule ---------------------------------------------------------------------------------------------


def county_code(candidacy: Candidacy) -> str:
    return candidacy.village_id[:6]


def mode_for(county: str, step: str) -> str:
    """What the county wants of `step` (入库/出库): FilingMode.NONE while it has saved no settings."""
    row = FilingSettings.objects.filter(county_id=county).first()
    return getattr(row, step) if row is not None else FilingMode.NONE


def is_county_admin(actor, county: str) -> bool:
    """An administrator whose jurisdiction holds the county (its 组织部, or above): he is the county."""
    return actor.has_role(Role.ADMIN) and code_in_jurisdiction(actor, county)


def rule_for(actor, candidacy: Candidacy, move: Transition) -> str:
    """What the county wants of this move by this actor: FilingMode.NONE, FILING or APPROVAL."""
    step = STEPS.get((move.source, move.target))
    if step is None:
        return FilingMode.NONE
    county = county_code(candidacy)
    if is_county_admin(actor, county):
        return FilingMode.NONE
    return mode_for(county, step)


def may_decide_filing(actor) -> bool:
    return actor.has_role(Role.ADMIN)


# --- the township's side: a request, a filing -------------------------------------------------------------


def _dump(values: Mapping[str, Any]) -> dict[str, Any]:
    """The service's inputs as JSON: dates as ISO strings; the filed moves take nothing else than text."""
    return {name: value.isoformat() if isinstance(value, date) else value for name, value in values.items()}


def load_inputs(inputs: Mapping[str, Any]) -> dict[str, Any]:
    return {
        name: date.fromisoformat(value) if name in DATE_INPUTS and isinstance(value, str) else value
        for name, value in inputs.items()
    }


INPUT_LABELS = {"note": "说明", "reason": "出库原因", "destination": "去向"}


def described_inputs(filing: Filing) -> list[tuple[str, str]]:
    """The step's inputs other than its date, labelled in Chinese for the filing's page."""
    rows = []
    for name, value in filing.inputs.items():
        if name not in INPUT_LABELS or not value:
            continue
        if name == "reason" and value in RemovalReason.values:
            value = chinese(RemovalReason(value).label)
        elif name == "destination" and value in Destination.values:
            value = chinese(Destination(value).label)
        rows.append((INPUT_LABELS[name], str(value)))
    return rows


class _DryRun(Exception):
    """Raised to roll back the savepoint of a dry run."""


def _dry_run(actor, candidacy: Candidacy, move: Transition, values: Mapping[str, Any]) -> None:
    """The service's every check (jurisdiction, role, state, data), its writes rolled back."""
    try:
        with transaction.atomic():
            move.run(actor=actor, candidacy=candidacy, **move.fixed, **values)
            raise _DryRun
    except _DryRun:
        pass


def _new_filing(
    actor, candidacy: Candidacy, move: Transition, kind: str, values: Mapping[str, Any]
) -> Filing:
    filing = Filing(
        candidacy_id=candidacy.pk,
        kind=kind,
        step=STEPS[(move.source, move.target)],
        source_state=move.source,
        target_state=move.target,
        inputs=_dump(values),
        on=values.get("on") or timezone.localdate(),
        proposed_by=actor,
    )
    attribute_to(filing, actor)
    try:
        with transaction.atomic():
            filing.save()
    except IntegrityError:
        raise WorkflowConflict("该人选已有待县委组织部审批的申请，请等待审批结果") from None
    return filing


@transaction.atomic
def request_approval(*, actor, candidacy: Candidacy, move: Transition, values: Mapping[str, Any]) -> Filing:
    """审批: the step checked as the service checks it, not performed; a pending request keeps its inputs."""
    _dry_run(actor, candidacy, move, values)
    locked = visible_locked(actor, candidacy)
    if Filing.objects.filter(
        candidacy_id=locked.pk, state=FilingState.PENDING, kind=FilingMode.APPROVAL
    ).exists():
        raise WorkflowConflict("该人选已有待县委组织部审批的申请，请等待审批结果")
    return _new_filing(actor, locked, move, FilingMode.APPROVAL, values)


def file_done(*, actor, candidacy: Candidacy, move: Transition, values: Mapping[str, Any]) -> Filing:
    """备案 of a step another app performed through the service itself (the removal proposals' confirmation)."""
    return _new_filing(actor, candidacy, move, FilingMode.FILING, values)


@transaction.atomic
def perform_and_file(*, actor, candidacy: Candidacy, move: Transition, values: Mapping[str, Any]) -> Any:
    """备案: the step performed by its service, and a filing awaiting the county's acknowledgement."""
    move.run(actor=actor, candidacy=candidacy, **move.fixed, **values)
    return _new_filing(actor, candidacy, move, FilingMode.FILING, values)


def consequences(done: Any) -> list[tuple[int, str]]:
    """The messages of a step a county files or approves (the candidacy page adds them after "Saved.")."""
    if isinstance(done, Filing) and done.kind == FilingMode.APPROVAL:
        return [(messages.INFO, f"本县{STEP_NAMES[done.step]}须经县委组织部审批：已提交，待县委组织部审批")]
    return []


# --- the county's side ------------------------------------------------------------------------------------


def _locked_pending(actor, filing: Filing, kind: str) -> Filing:
    """The filing re-read in the actor's jurisdiction and locked (404), the county's role (403), pending and
    of `kind` (422 on the field `filing`)."""
    locked = visible_locked(actor, filing, "candidacy", "candidacy__person", "proposed_by")
    if not may_decide_filing(actor):
        raise PermissionDenied
    if locked.state != FilingState.PENDING:
        raise ValidationError(
            {
                "filing": f"该{KIND_NAMES[locked.kind]}已处理（{FILING_STATE_NAMES[locked.state]}），不能再次处理"
            }
        )
    if locked.kind != kind:
        action = "知悉" if kind == FilingMode.FILING else "审批"
        raise ValidationError({"filing": f"这是一条{KIND_NAMES[locked.kind]}，不能{action}"})
    return locked


def _decided(actor, filing: Filing, state: str, reason: str = "") -> Filing:
    filing.state, filing.decided_by, filing.decided_at = state, actor, timezone.now()
    filing.reason = reason
    attribute_to(filing, actor)
    filing.save()
    return filing


def _proposer_name(filing: Filing) -> str:
    proposer = filing.proposed_by
    if proposer is None:
        return ""
    return proposer.get_full_name() or proposer.username


@transaction.atomic
def approve(*, actor, filing: Filing, note: str = "") -> Filing:
    """The county says yes: the declared transition performed through its service with the township's inputs,
    the candidacy's event naming the proposer. Refused (nothing written) when the candidacy moved meanwhile."""
    from yanzhen.candidacies import transitions

    filing = _locked_pending(actor, filing, FilingMode.APPROVAL)
    candidacy = (
        Candidacy.objects.select_for_update(of=("self",)).select_related("person").get(pk=filing.candidacy_id)
    )
    if candidacy.state != filing.source_state:
        raise ValidationError(
            {
                "filing": f"{candidacy.person.name}的后备人选记录当前为“{state_name(candidacy.state)}”，"
                f"已不是提出申请时的“{state_name(filing.source_state)}”，不能按此申请办理，请退回"
            }
        )
    move = transitions.find(filing.source_state, filing.target_state)
    assert move is not None  # a filing is made only for a declared move
    move.run(actor=actor, candidacy=candidacy, **move.fixed, **load_inputs(filing.inputs))
    event = (
        CandidacyEvent.objects.filter(candidacy=candidacy, to_state=filing.target_state)
        .order_by("-id")
        .first()
    )
    if event is not None:
        event.data = {**event.data, "filing": filing.pk, "proposed_by": _proposer_name(filing)}
        event.summary = f"{event.summary}（{_proposer_name(filing)}提出，县委组织部审批同意）"[:200]
        event.save(update_fields=["data", "summary"])
    return _decided(actor, filing, FilingState.APPROVED, _reason(note, required=False))


def _reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": "退回须写明理由"})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"理由不能超过 {REASON_MAX} 字"})
    return reason


@transaction.atomic
def refuse(*, actor, filing: Filing, reason: str) -> Filing:
    """The county says no, with a reason: the candidacy stays where it was."""
    filing = _locked_pending(actor, filing, FilingMode.APPROVAL)
    return _decided(actor, filing, FilingState.REFUSED, _reason(reason, required=True))


@transaction.atomic
def acknowledge(*, actor, filings: Iterable[Filing]) -> list[Filing]:
    """备案 acknowledged (知悉), one or many: all or none."""
    done = [_locked_pending(actor, filing, FilingMode.FILING) for filing in filings]
    if not done:
        raise ValidationError({"selected": "请至少选择一条备案"})
    return [_decided(actor, filing, FilingState.ACKNOWLEDGED) for filing in done]


# --- settings --------------------------------------------------------------------------------------------


@transaction.atomic
def save_settings(*, actor, county: Division, entry: str, removal: str) -> FilingSettings:
    """The county organisation department sets what its townships' 入库 and 出库 need; neither by default."""
    errors = county_errors(actor, county, role=Role.ADMIN)
    for name, value in (("entry", entry), ("removal", removal)):
        if value not in FilingMode.values:
            errors[name] = f"{STEP_NAMES[name]}的要求须为无、备案或审批"
    raise_errors(errors)
    return save_county_row(actor, FilingSettings, county, entry=entry, removal=removal)


# --- reads -----------------------------------------------------------------------------------------------


def awaiting_county(user) -> QuerySet[Filing]:
    """The filings and requests awaiting the user as the county (备案 to acknowledge, 审批 to decide): none
    for anyone but an administrator; the to-do list reads it."""
    if user is None or not may_decide_filing(user):
        return Filing.objects.none()
    return Filing.objects.restrict(user).filter(state=FilingState.PENDING)


def pending_for(candidacy: Candidacy) -> list[Filing]:
    """The candidacy's filings still awaiting the county, and its last refused request (the page shows them)."""
    rows = list(
        candidacy.filings.select_related("proposed_by", "decided_by").order_by("-proposed_at", "-id")[:10]
    )
    pending = [row for row in rows if row.is_pending]
    refused = next((row for row in rows if row.state == FilingState.REFUSED), None)
    return pending + ([refused] if refused is not None and not pending else [])
