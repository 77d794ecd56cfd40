"""出库建议 removal proposals: confirmed by a clerk (the candidacy leaves the pool through the pipeline's
`remove`) or rejected with a reason."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from yanzhen.assessments import proposals, rules
from yanzhen.assessments.models import (
    PROPOSAL_STATE_NAMES,
    ProposalBasis,
    ProposalState,
    RemovalProposal,
)
from yanzhen.candidacies import filing, transitions, workflow
from yanzhen.candidacies.models import CandidacyState, FilingMode, RemovalReason
from yanzhen.core.guards import attribute_to, today
from yanzhen.core.locking import visible_locked


def _visible_proposal(actor, proposal: RemovalProposal) -> RemovalProposal:
    found = visible_locked(actor, proposal, "candidacy", "person")
    if not rules.may_decide_proposal(actor):
        raise PermissionDenied
    return found


def _check_pending(proposal: RemovalProposal) -> None:
    if proposal.state != ProposalState.PENDING:
        raise ValidationError(
            {
                "proposal": f"该出库建议已处理（{PROPOSAL_STATE_NAMES[ProposalState(proposal.state)]}），不能再次处理"
            }
        )


@transaction.atomic
def confirm_proposal(
    *, actor, proposal: RemovalProposal, on: date | None = None, reason: str = "", note: str = ""
) -> RemovalProposal:
    """The clerk confirms: the candidacy is removed through the pipeline's `remove` transition, with reason
    考核不称职 for two incompetent grades, 违纪违法 for a running 处分 (a check-up's proposal takes the reason the clerk chooses)."""
    proposal = _visible_proposal(actor, proposal)
    _check_pending(proposal)
    if proposal.candidacy.state != CandidacyState.IN_POOL:
        raise ValidationError(
            {
                "proposal": f"{proposal.person.name}的后备人选记录当前为“{workflow.state_name(proposal.candidacy.state)}”，不在库中，无法出库"
            }
        )
    if proposal.basis == ProposalBasis.ASSESSMENTS:
        reason = RemovalReason.INCOMPETENT
    elif proposal.basis == ProposalBasis.DISCIPLINE:
        reason = RemovalReason.VIOLATION
    else:
        reason = reason or RemovalReason.INSUFFICIENT_ABILITY
    on = on or today()
    note = (note or "").strip() or proposal.basis_text
    # 备案/审批 (issue 20 §3): the county's rule for a township's 出库 holds here too.
    move = transitions.find(CandidacyState.IN_POOL, CandidacyState.REMOVED)
    assert move is not None
    rule = filing.rule_for(actor, proposal.candidacy, move)
    if rule == FilingMode.APPROVAL:
        raise ValidationError(
            {"proposal": "本县出库须经县委组织部审批：请在该人选的后备人选页面提出出库申请"}
        )
    try:
        workflow.remove(actor=actor, candidacy=proposal.candidacy, reason=reason, on=on, note=note)
    except workflow.WorkflowConflict as conflict:
        raise ValidationError({"proposal": str(conflict)}) from None
    if rule == FilingMode.FILING:
        values = {"reason": reason, "note": note, "destination": "", "on": on}
        filing.file_done(actor=actor, candidacy=proposal.candidacy, move=move, values=values)
    proposal.state = ProposalState.CONFIRMED
    proposal.decided_by, proposal.decided_on, proposal.decision_note = actor, on, note
    attribute_to(proposal, actor)
    proposal.save()
    # Other open proposals of the same candidacy are moot now.
    for other in RemovalProposal.objects.select_for_update().filter(
        candidacy=proposal.candidacy, state=ProposalState.PENDING
    ):
        proposals.withdraw(actor, other, "该人选已出库")
    return proposal


@transaction.atomic
def reject_proposal(
    *, actor, proposal: RemovalProposal, reason: str, on: date | None = None
) -> RemovalProposal:
    """The clerk rejects the proposal with a reason; the same basis is never proposed again."""
    proposal = _visible_proposal(actor, proposal)
    _check_pending(proposal)
    return proposals.reject(actor, proposal, reason=reason, on=on, kind="出库建议")
