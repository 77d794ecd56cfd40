"""The county's rules on incumbents' monthly grades (seed 001: 每半年对村干部履职情况开展一次分析研判，及时调整
不胜任、不称职村干部), in one place: the grade bands of a monthly total, the rules a county configures (e.g.
"two consecutive months graded 不称职 → an adjustment proposal"), their evaluation and the clerk's decision.

The same chain machinery as the reserves' rules (`chains.latest_streak`): months must be adjacent (a month
without a score breaks the chain) and a rule on a grade also counts the grades below it. A streak belongs to
one term: a new term (re-election, another seat) starts a new chain. The system only proposes; a clerk
confirms (the term ends through `posts.services.end_term`, reason 调整) or rejects with a reason. A decided
streak is not proposed again until it has grown by another full length of the rule. The rules are evaluated
for a term whenever one of its scores is saved, changed or deleted, for a county when its bands or rules
change, and for a division by `yanzhen apply-rules`; evaluating twice changes nothing the second time.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.http import Http404

from yanzhen.assessments import chains, fired, proposals, rules
from yanzhen.assessments.models import (
    GRADE_NAMES,
    AdjustmentProposal,
    AssessmentSettings,
    Grade,
    IncumbentRule,
    MonthlyScore,
    ProposalState,
    grade_at_or_below,
)
from yanzhen.core.county_settings import save_county_row
from yanzhen.core.guards import attribute_to, raise_errors
from yanzhen.core.guards import today as local_today
from yanzhen.core.locking import visible_locked
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.posts import services as post_services
from yanzhen.posts.models import Term, TermEndReason


def _save(instance, actor) -> None:
    attribute_to(instance, actor)
    instance.save()


# ---------------------------------------------------------------------------------------------------------
# Grades of monthly totals


def monthly_grade(score: MonthlyScore, settings: AssessmentSettings | None = None) -> str:
    settings = settings or rules.settings_for(score.term.seat.village_id)
    return settings.monthly_grade(score.total)


def grade_name(grade: str) -> str:
    return GRADE_NAMES[Grade(grade)]


# ---------------------------------------------------------------------------------------------------------
# Evaluation


def _basis_text(rule: IncumbentRule, run: list[MonthlyScore]) -> str:
    first, last = run[0].month, run[-1].month
    totals = "、".join(str(score.total) for score in run[-12:])
    floor = grade_name(rule.grade) if rule.grade == Grade.INCOMPETENT else f"{grade_name(rule.grade)}及以下"
    return (f"{first:%Y年%-m月}至{last:%Y年%-m月}连续 {len(run)} 个月月考评为“{floor}”（{totals} 分）")[:200]


def _streak(rule: IncumbentRule, scores: list[MonthlyScore], settings: AssessmentSettings):
    return chains.latest_streak(
        scores,
        length=rule.months,
        matches=lambda score: grade_at_or_below(settings.monthly_grade(score.total), rule.grade),
        follows=lambda first, second: second.month == chains.next_month(first.month),
    )


def _sync(actor, term: Term, rule: IncumbentRule, run: list[MonthlyScore] | None) -> int:
    pending = (
        AdjustmentProposal.objects.select_for_update()
        .filter(term=term, rule=rule, state=ProposalState.PENDING)
        .first()
    )
    if run is None:
        if pending is None:
            return 0
        proposals.withdraw(actor, pending, "月考评已变更或删除，连续月份不再符合规则")
        return 1
    first, last, text = run[0].month, run[-1].month, _basis_text(rule, run)
    if pending is not None and pending.first_month == first:
        if (pending.last_month, pending.basis_text) == (last, text):
            return 0
        # The same streak, grown (or shortened but still long enough): the proposal follows its basis.
        pending.last_month, pending.basis_text = last, text
        _save(pending, actor)
        return 1
    changes = 0
    if pending is not None:
        proposals.withdraw(actor, pending, "依据的月考评已变更，按新的连续月份重新判断")
        changes += 1
    decided = AdjustmentProposal.objects.filter(
        term=term,
        rule=rule,
        first_month=first,
        state__in=[ProposalState.CONFIRMED, ProposalState.REJECTED],
    ).aggregate(last=Max("last_month"))["last"]
    if decided is not None and chains.months_between(decided, last) < rule.months:
        return changes  # a clerk decided on this streak: asked again only after another full length
    proposal = AdjustmentProposal(
        term=term,
        person_id=term.person_id,
        rule=rule,
        first_month=first,
        last_month=last,
        basis_text=text,
    )
    _save(proposal, actor)
    fired.note(fired.Outcome.ADJUSTMENT_PROPOSED, proposal)
    return changes + 1


@transaction.atomic
def evaluate_term(term: Term | int, *, actor=None) -> int:
    """Apply the county's rules to one term; returns the number of records changed (0 when all agree)."""
    term = (
        Term.objects.select_for_update(of=("self",)).select_related("seat").get(pk=getattr(term, "pk", term))
    )
    pending = AdjustmentProposal.objects.select_for_update().filter(term=term, state=ProposalState.PENDING)
    if term.end is not None:
        changes = 0
        for proposal in pending:
            proposals.withdraw(actor, proposal, "该任期已结束")
            changes += 1
        return changes
    county = rules.county_code(term.seat.village_id)
    county_rules = list(IncumbentRule.objects.filter(county_id=county).order_by("pk"))
    if not county_rules:
        return 0  # a county without rules (the common case while scoring) has nothing to evaluate
    settings = rules.settings_for(county)
    scores = list(MonthlyScore.objects.filter(term=term).order_by("month"))
    changes = 0
    for rule in county_rules:
        if not rule.active:
            for proposal in pending.filter(rule=rule):
                proposals.withdraw(actor, proposal, "该规则已停用")
                changes += 1
            continue
        changes += _sync(actor, term, rule, _streak(rule, scores, settings))
    return changes


def apply_incumbent_rules(division: Division, *, actor=None) -> int:
    """Evaluate every term of the division that is open and scored, or still has a pending proposal (a
    term with neither has nothing to change)."""
    terms = Term.objects.filter(seat__village__code__startswith=division.code).filter(
        Q(end__isnull=True, monthly_scores__isnull=False)
        | Q(adjustment_proposals__state=ProposalState.PENDING)
    )
    term_ids = sorted(set(terms.values_list("pk", flat=True)))
    return sum(evaluate_term(term_id, actor=actor) for term_id in term_ids)


# ---------------------------------------------------------------------------------------------------------
# The county's configuration: bands and rules (administrators of the county)


def _county_admin(actor, county: Division) -> None:
    if county.level != Level.COUNTY or not rules.county_visible(actor, county.code):
        raise Http404
    if not rules.may_change_settings(actor):
        raise PermissionDenied


@transaction.atomic
def save_bands(*, actor, county: Division, excellent: int | None, competent: int | None, basic: int | None):
    """The lowest monthly totals graded 优秀, 称职 and 基本称职; below the last is 不称职."""
    _county_admin(actor, county)
    errors: dict[str, str] = {}
    labels = {
        "excellent": ("优秀", excellent),
        "competent": ("称职", competent),
        "basic": ("基本称职", basic),
    }
    for field, (label, value) in labels.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 100:
            errors[field] = f"“{label}”的最低分须为 1 到 100 的整数"
    if not errors and not excellent > competent > basic:  # type: ignore[operator]
        errors["bands"] = "分档须从高到低：优秀最低分 > 称职最低分 > 基本称职最低分"
    raise_errors(errors)
    settings = save_county_row(
        actor,
        AssessmentSettings,
        county,
        monthly_excellent_min=excellent,
        monthly_competent_min=competent,
        monthly_basic_min=basic,
    )
    apply_incumbent_rules(county, actor=actor)
    return settings


@transaction.atomic
def add_rule(*, actor, county: Division, grade: str, months: int | None) -> IncumbentRule:
    _county_admin(actor, county)
    errors: dict[str, str] = {}
    if grade not in Grade.values or grade == Grade.EXCELLENT:
        errors["grade"] = "请选择等次：称职、基本称职或不称职（规则针对该等次及以下）"
    if not isinstance(months, int) or isinstance(months, bool) or not 2 <= months <= 12:
        errors["months"] = "连续月数须为 2 到 12 的整数"
    if not errors and IncumbentRule.objects.filter(county=county, grade=grade, months=months).exists():
        errors["grade"] = "本县已有相同的规则（可在列表中启用或停用）"
    raise_errors(errors)
    rule = IncumbentRule(county=county, grade=grade, months=months, created_by=actor)
    _save(rule, actor)
    apply_incumbent_rules(county, actor=actor)
    return rule


@transaction.atomic
def set_rule_active(*, actor, rule: IncumbentRule, active: bool) -> IncumbentRule:
    """Switch a rule on or off (never deleted: its proposals keep their basis). Off withdraws its pending
    proposals; on evaluates it for the whole county."""
    rule = IncumbentRule.objects.select_for_update().select_related("county").get(pk=rule.pk)
    _county_admin(actor, rule.county)
    if rule.active != active:
        rule.active = active
        _save(rule, actor)
        apply_incumbent_rules(rule.county, actor=actor)
    return rule


# ---------------------------------------------------------------------------------------------------------
# The clerk's decision


def _visible_proposal(actor, proposal: AdjustmentProposal) -> AdjustmentProposal:
    found = visible_locked(actor, proposal, "term__seat__village", "term__seat__post_type", "person", "rule")
    if not actor.can_edit:
        raise PermissionDenied
    if found.state != ProposalState.PENDING:
        raise ValidationError({"proposal": f"该调整建议{found.state_name}，不能再处理"})
    return found


@transaction.atomic
def confirm_adjustment(
    *, actor, proposal: AdjustmentProposal, on: date | None, note: str = ""
) -> AdjustmentProposal:
    """The clerk confirms: the term ends on `on` (the first day he no longer holds the seat), reason 调整."""
    proposal = _visible_proposal(actor, proposal)
    errors: dict[str, str] = {}
    if on is None:
        errors["on"] = "请填写调整日期（任期结束日期）"
    elif on > local_today():
        errors["on"] = "调整日期不能晚于今天"
    note = (note or "").strip()
    if len(note) > 1000:
        errors["note"] = "说明不能超过 1000 字"
    raise_errors(errors)
    post_services.end_term(
        actor=actor,
        term=proposal.term,
        end=on,
        reason=TermEndReason.TRANSFERRED,
        note=f"调整建议：{proposal.basis_text}{'；' + note if note else ''}"[:200],
    )
    proposal.state = ProposalState.CONFIRMED
    proposal.decided_by, proposal.decided_on, proposal.decision_note = actor, on, note
    _save(proposal, actor)
    for other in AdjustmentProposal.objects.select_for_update().filter(
        term=proposal.term, state=ProposalState.PENDING
    ):
        proposals.withdraw(actor, other, "该任期已结束")
    return proposal


@transaction.atomic
def reject_adjustment(*, actor, proposal: AdjustmentProposal, reason: str, on: date | None = None):
    proposal = _visible_proposal(actor, proposal)
    return proposals.reject(actor, proposal, reason=reason, on=on, kind="调整建议")
