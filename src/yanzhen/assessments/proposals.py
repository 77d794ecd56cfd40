"""What removal proposals (出库建议, `rules`) and adjustment proposals (调整建议, `incumbent_rules`) share:
withdrawing one whose basis no longer holds, and a clerk's rejection with a reason. Callers check
jurisdiction, role and that the proposal is pending first."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from yanzhen.assessments.models import ProposalState
from yanzhen.assessments.models.reserves import Proposal
from yanzhen.core.guards import attribute_to, raise_errors

REASON_MAX = 1000


def withdraw(actor, proposal: Proposal, reason: str) -> None:
    proposal.state = ProposalState.WITHDRAWN
    proposal.withdrawn_at = timezone.now()
    proposal.withdrawn_reason = reason[:200]
    attribute_to(proposal, actor)
    proposal.save()


def reject(actor, proposal: Proposal, *, reason: str, on: date | None, kind: str) -> Proposal:
    """The clerk rejects with a reason (required); `kind` names the proposal in the messages."""
    reason = (reason or "").strip()
    today = timezone.localdate()
    on = on or today
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = f"驳回{kind}须写明理由"
    elif len(reason) > REASON_MAX:
        errors["reason"] = f"理由不能超过 {REASON_MAX} 字"
    if on > today:
        errors["on"] = "处理日期不能晚于今天"
    raise_errors(errors)
    proposal.state = ProposalState.REJECTED
    proposal.decided_by, proposal.decided_on, proposal.decision_note = actor, on, reason
    attribute_to(proposal, actor)
    proposal.save()
    return proposal
