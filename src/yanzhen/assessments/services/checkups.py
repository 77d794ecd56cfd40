"""回头看 check-up campaigns (seed 002): the county opens a campaign for a date range; each township fills a
check-up per reserve on the four dimensions with a conclusion; 调整出库 makes a removal proposal. Same order of
checks as every write of 管 (`guards`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from yanzhen.assessments import dimensions, fired, proposals, rules
from yanzhen.assessments.guards import TEXT_MAX
from yanzhen.assessments.guards import visible_person as _visible_person
from yanzhen.assessments.models import (
    CONCLUSION_NAMES,
    DIMENSIONS,
    Checkup,
    CheckupCampaign,
    Conclusion,
    ProposalBasis,
    ProposalState,
    RemovalProposal,
)
from yanzhen.candidacies.models import Candidacy, CandidacyState
from yanzhen.core.county_settings import county_errors
from yanzhen.core.guards import attribute_to, raise_errors, today
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person

# ---------------------------------------------------------------------------------------------------------
# 回头看 check-up campaigns


@transaction.atomic
def open_campaign(
    *, actor, county: Division, title: str, start: date | None, end: date | None
) -> CheckupCampaign:
    """The county organisation department opens a check-up campaign for a date range."""
    errors = county_errors(actor, county, may=rules.may_open_campaign, visible=rules.county_visible)
    title = (title or "").strip()
    if not title:
        errors["title"] = "请填写回头看的名称"
    elif len(title) > 100:
        errors["title"] = "名称不能超过 100 个字"
    if start is None:
        errors["start"] = "请填写开始日期"
    if end is None:
        errors["end"] = "请填写结束日期"
    elif start is not None and end < start:
        errors["end"] = "结束日期不能早于开始日期"
    raise_errors(errors)
    campaign = CheckupCampaign(county=county, title=title, start=start, end=end, opened_by=actor)
    attribute_to(campaign, actor)
    campaign.save()
    return campaign


@dataclass
class CheckupInput:
    """The check-up's scores (every dimension required): the default four by their own names, any dimension of
    the county in `scores` (by key)."""

    conclusion: str
    filled_on: date | None
    note: str = ""
    political_score: int | None = None
    ability_score: int | None = None
    conduct_score: int | None = None
    reputation_score: int | None = None
    scores: dict[str, int | None] | None = None

    def score_values(self) -> dict[str, int | None]:
        values = dict(self.scores or {})
        for key in DIMENSIONS:
            if getattr(self, key) is not None:
                values.setdefault(key, getattr(self, key))
        return values


def _checkup_problems(
    person: Person,
    campaign: CheckupCampaign,
    data: CheckupInput,
    note: str,
    scored: list[dimensions.Dimension],
) -> tuple[dict[str, str], list[dict]]:
    """What is wrong with a check-up: the person out of the pool during the campaign, a score (on the
    dimensions `scored`: the snapshot is returned too), the conclusion, its reason, the date."""
    errors: dict[str, str] = {}
    if not rules.was_in_pool(person, campaign.start, campaign.end):
        errors["person"] = (
            f"{person.name}在回头看期间（{campaign.start:%Y-%m-%d} 至 {campaign.end:%Y-%m-%d}）不在后备力量库中"
        )
    snapshot, score_errors = dimensions.score(scored, data.score_values(), required=True)
    errors.update(score_errors)
    if data.conclusion not in Conclusion.values:
        errors["conclusion"] = "结论须为继续培养、重点培养或调整出库"
    if data.conclusion == Conclusion.REMOVE and not note:
        errors["note"] = "结论为调整出库时须写明原因"
    elif len(note) > TEXT_MAX:
        errors["note"] = f"说明不能超过 {TEXT_MAX} 字"
    if data.filled_on is None:
        errors["filled_on"] = "请填写日期"
    elif data.filled_on > today():
        errors["filled_on"] = "日期不能晚于今天"
    elif not campaign.start <= data.filled_on <= campaign.end:
        errors["filled_on"] = f"日期须在回头看期间（{campaign.start:%Y-%m-%d} 至 {campaign.end:%Y-%m-%d}）内"
    return errors, snapshot


@transaction.atomic
def save_checkup(*, actor, campaign: CheckupCampaign, person: Person, data: CheckupInput) -> Checkup:
    """Fill (or correct) a reserve's check-up in a campaign. 调整出库 proposes his removal; a changed
    conclusion withdraws the proposal that is still open."""
    campaign = CheckupCampaign.objects.restrict(actor).filter(pk=campaign.pk).first()  # type: ignore[assignment]
    if campaign is None:
        raise Http404
    person = _visible_person(actor, person)
    if not person.village_id.startswith(campaign.county_id):
        raise Http404
    if not rules.may_fill_checkup(actor):
        raise PermissionDenied
    note = (data.note or "").strip()
    checkup = Checkup.objects.select_for_update().filter(campaign=campaign, person=person).first() or Checkup(
        campaign=campaign, person=person
    )
    errors, snapshot = _checkup_problems(
        person, campaign, data, note, dimensions.of_record(checkup, campaign.county_id)
    )
    raise_errors(errors)
    dimensions.fill_columns(checkup, snapshot)
    checkup.conclusion, checkup.note, checkup.filled_on, checkup.filled_by = (
        data.conclusion,
        note,
        data.filled_on,
        actor,
    )
    attribute_to(checkup, actor)
    checkup.save()
    _sync_checkup_proposals(actor, checkup, campaign)
    return checkup


def _sync_checkup_proposals(actor, checkup: Checkup, campaign: CheckupCampaign) -> None:
    open_ones = RemovalProposal.objects.select_for_update().filter(
        checkup=checkup, state=ProposalState.PENDING
    )
    if checkup.conclusion != Conclusion.REMOVE:
        for proposal in open_ones:
            proposals.withdraw(
                actor, proposal, f"回头看结论已改为“{CONCLUSION_NAMES[Conclusion(checkup.conclusion)]}”"
            )
        return
    for candidacy in Candidacy.objects.filter(person=checkup.person, state=CandidacyState.IN_POOL):
        if RemovalProposal.objects.filter(
            checkup=checkup,
            candidacy=candidacy,
            state__in=[ProposalState.PENDING, ProposalState.CONFIRMED, ProposalState.REJECTED],
        ).exists():
            continue
        if RemovalProposal.objects.filter(
            candidacy=candidacy, basis=ProposalBasis.CHECKUP, state=ProposalState.PENDING
        ).exists():
            continue  # an earlier campaign's proposal is still open: one is enough
        proposal = RemovalProposal(
            candidacy=candidacy,
            person=checkup.person,
            basis=ProposalBasis.CHECKUP,
            checkup=checkup,
            basis_text=f"{campaign.title}：结论为调整出库（{checkup.note}）"[:200],
        )
        attribute_to(proposal, actor)
        proposal.save()
        fired.note(fired.Outcome.REMOVAL_PROPOSED, proposal)
