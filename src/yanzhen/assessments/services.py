"""Writes of 管. Every function takes the acting user first, checks jurisdiction (outside it: Http404, as if
the record did not exist), then the role (PermissionDenied), then the data (ValidationError with Chinese
messages keyed by field), and only then writes, in one transaction, with field history naming the actor.
A refused call writes nothing. Saving, changing or deleting an assessment evaluates the rules
(`rules.evaluate_person`) in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from yanzhen.accounts.roles import Role
from yanzhen.assessments import proposals, rules
from yanzhen.assessments.guards import TEXT_MAX, today
from yanzhen.assessments.guards import check_score as _check_score
from yanzhen.assessments.guards import check_upload as _check_upload
from yanzhen.assessments.guards import raise_errors as _raise
from yanzhen.assessments.guards import visible_person as _visible_person
from yanzhen.assessments.models import (
    DIMENSIONS,
    GRADE_NAMES,
    PROPOSAL_STATE_NAMES,
    Assessment,
    AssessmentSettings,
    Grade,
    ProposalBasis,
    ProposalState,
    RemovalProposal,
    ReportChannel,
    SelfServiceLink,
    SemiannualReport,
)
from yanzhen.assessments.periods import Half, Period, PeriodKind
from yanzhen.candidacies import workflow
from yanzhen.candidacies.models import CandidacyState, RemovalReason
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person

# ---------------------------------------------------------------------------------------------------------
# The county's settings


@transaction.atomic
def save_settings(
    *,
    actor,
    county: Division,
    report_due_days: int,
    period_kind: str,
    weight_political: int,
    weight_ability: int,
    weight_conduct: int,
    weight_reputation: int,
    excellent_cap_percent: int | None,
) -> AssessmentSettings:
    """The county organisation department sets the due date of reports, the assessment period, the weights
    of the four dimensions (summing to 100) and the optional cap on 优秀."""
    if not rules.county_visible(actor, county.code):
        raise Http404
    if not rules.may_change_settings(actor):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if county.level != Level.COUNTY:
        errors["county"] = f"{county.name} 不是县级单位"
    if report_due_days is None or not 0 <= report_due_days <= 180:
        errors["report_due_days"] = "汇报截止天数须在 0 到 180 之间"
    if period_kind not in PeriodKind.values:
        errors["period_kind"] = "考核周期须为半年或一年"
    weights = [weight_political, weight_ability, weight_conduct, weight_reputation]
    if any(w is None or w < 0 for w in weights):
        errors["weight_political"] = "四个维度的权重须为不小于 0 的整数"
    elif sum(weights) != 100:
        errors["weight_political"] = f"四个维度的权重之和须为 100，现为 {sum(weights)}"
    if excellent_cap_percent is not None and not 1 <= excellent_cap_percent <= 100:
        errors["excellent_cap_percent"] = "优秀比例上限须在 1% 到 100% 之间，不设上限请留空"
    _raise(errors)
    current = AssessmentSettings.objects.select_for_update().filter(county=county).first()
    current = current or AssessmentSettings(county=county)
    current.report_due_days = report_due_days
    current.period_kind = period_kind
    current.weight_political, current.weight_ability = weight_political, weight_ability
    current.weight_conduct, current.weight_reputation = weight_conduct, weight_reputation
    current.excellent_cap_percent = excellent_cap_percent
    current._history_user = actor  # type: ignore[attr-defined]
    current.save()
    return current


# ---------------------------------------------------------------------------------------------------------
# Self-service links


@transaction.atomic
def link_self_service(*, actor, user, person: Person) -> SelfServiceLink:
    """Tie a reserve's login to his archive: the user holds the role "reserve" and works for the person's
    village."""
    person = _visible_person(actor, person)
    if not actor.can_edit:
        raise PermissionDenied
    errors: dict[str, str] = {}
    if not user.role_codes & {Role.RESERVE}:
        errors["user"] = f"账号 {user.username} 不是后备力量（自助）账号"
    elif user.division_id != person.village_id:
        errors["user"] = f"账号 {user.username} 的所属单位须为{person.name}所在的村（{person.village.name}）"
    elif SelfServiceLink.objects.filter(user=user).exclude(person=person).exists():
        errors["user"] = f"账号 {user.username} 已关联其他人员"
    if SelfServiceLink.objects.filter(person=person).exclude(user=user).exists():
        errors["person"] = f"{person.name}已关联其他账号"
    _raise(errors)
    link = SelfServiceLink.objects.filter(user=user, person=person).first()
    if link is None:
        link = SelfServiceLink(user=user, person=person, created_by=actor)
        link._history_user = actor  # type: ignore[attr-defined]
        link.save()
    return link


def linked_person(user) -> Person | None:
    """The archive of a reserve's own login, or None."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(Role.RESERVE):
        return None
    link = SelfServiceLink.objects.select_related("person__village").filter(user=user).first()
    return link.person if link is not None else None


# ---------------------------------------------------------------------------------------------------------
# 思想工作汇报 semiannual reports


def _is_self(actor, person: Person) -> bool:
    return actor.has_role(Role.RESERVE) and SelfServiceLink.objects.filter(user=actor, person=person).exists()


@transaction.atomic
def submit_report(
    *, actor, person: Person, year: int, half: int, text: str, attachment=None
) -> SemiannualReport:
    """The reserve submits his report for a half-year (or a clerk enters it for him). A report not yet
    reviewed may be submitted again: it replaces the first; a reviewed one is closed."""
    person = _visible_person(actor, person)
    by_self = _is_self(actor, person)
    if not by_self and not rules.may_enter_report(actor):
        raise PermissionDenied
    errors: dict[str, str] = {}
    text = (text or "").strip()
    period = None
    if half not in (Half.FIRST, Half.SECOND):
        errors["half"] = "请选择上半年或下半年"
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = "请填写正确的年份"
    if not errors:
        period = Period(year, half)
        if period.start > today():
            errors["half"] = f"不能提交尚未开始的半年（{period.name}）的思想工作汇报"
        elif not rules.was_in_pool(person, period.start, period.end):
            errors["half"] = f"{person.name}在{period.name}不在后备力量库中，无需提交思想工作汇报"
    if not text:
        errors["text"] = "请填写汇报内容"
    elif len(text) > TEXT_MAX:
        errors["text"] = f"汇报内容不能超过 {TEXT_MAX} 字"
    existing = None
    if period is not None:
        existing = (
            SemiannualReport.objects.select_for_update()
            .filter(person=person, year=period.year, half=period.half)
            .first()
        )
        if existing is not None and existing.is_reviewed:
            errors["half"] = (
                f"{person.name}{period.name}的思想工作汇报已于 {timezone.localtime(existing.reviewed_at):%Y-%m-%d} 审阅，不能再修改"
            )
    content_type = _check_upload(errors, "attachment", "附件", attachment)
    _raise(errors)
    assert period is not None
    report = existing or SemiannualReport(person=person, year=period.year, half=period.half)
    report.text = text
    report.channel = ReportChannel.SELF if by_self else ReportChannel.CLERK
    report.submitted_by = actor
    report.submitted_at = timezone.now()
    if attachment is not None:
        report.attachment = attachment
        report.attachment_content_type = content_type
    report._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ValidationError({"half": f"{person.name}{period.name}的思想工作汇报已提交"}) from None
    return report


@transaction.atomic
def review_report(*, actor, report: SemiannualReport, comment: str) -> SemiannualReport:
    """The village secretary reads the report and writes his comment."""
    report = (
        SemiannualReport.objects.restrict(actor)
        .select_for_update(of=("self",))
        .select_related("person")
        .filter(pk=report.pk)
        .first()
    )
    if report is None:
        raise Http404
    if not rules.may_review_report(actor, report.person.village_id):
        raise PermissionDenied
    comment = (comment or "").strip()
    errors: dict[str, str] = {}
    if not comment:
        errors["review_comment"] = "请填写审阅意见"
    elif len(comment) > TEXT_MAX:
        errors["review_comment"] = f"审阅意见不能超过 {TEXT_MAX} 字"
    _raise(errors)
    report.review_comment = comment
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    report._history_user = actor  # type: ignore[attr-defined]
    report.save()
    return report


# ---------------------------------------------------------------------------------------------------------
# 考核 assessments


@dataclass
class AssessmentInput:
    """What the assessment form (or the API) gives. Scores are optional, each 0–100."""

    year: int
    half: int
    grade: str
    assessed_on: date | None
    assessor: str = ""
    political_score: int | None = None
    ability_score: int | None = None
    conduct_score: int | None = None
    reputation_score: int | None = None
    industry_evidence: str = ""
    mediation_evidence: str = ""
    emergency_evidence: str = ""
    votes_excellent: int | None = None
    votes_competent: int | None = None
    votes_basically_competent: int | None = None
    votes_incompetent: int | None = None


VOTE_LABELS = {
    "votes_excellent": "民主测评优秀票",
    "votes_competent": "民主测评称职票",
    "votes_basically_competent": "民主测评基本称职票",
    "votes_incompetent": "民主测评不称职票",
}
EVIDENCE_LABELS = {
    "industry_evidence": "产业发展实绩",
    "mediation_evidence": "矛盾调解实绩",
    "emergency_evidence": "应急处突实绩",
}


def weighted_total(data, settings: AssessmentSettings) -> Decimal | None:
    """Σ score × weight / Σ weight, two decimals rounded half up; None unless all four scores are given."""
    scores = {name: getattr(data, name) for name in DIMENSIONS}
    if any(value is None for value in scores.values()):
        return None
    weights = settings.weights
    total_weight = sum(weights.values()) or 1
    total = sum(Decimal(scores[name]) * weights[name] for name in DIMENSIONS) / Decimal(total_weight)
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _validate_assessment(
    actor, person: Person, data: AssessmentInput, *, current: Assessment | None
) -> tuple[dict[str, str], Period | None, AssessmentSettings]:
    errors: dict[str, str] = {}
    settings = rules.settings_for(person.village_id)
    period = None
    if not isinstance(data.year, int) or not 2000 <= data.year <= 2100:
        errors["year"] = "请填写正确的年份"
    if data.half not in Half.values:
        errors["half"] = "考核期须为年度、上半年或下半年"
    elif settings.period_kind == PeriodKind.YEAR and data.half != Half.YEAR:
        errors["half"] = "本县按年度考核，考核期请选择“年度”"
    elif settings.period_kind == PeriodKind.HALF_YEAR and data.half == Half.YEAR:
        errors["half"] = "本县按半年考核，考核期请选择上半年或下半年"
    if not errors:
        period = Period(data.year, data.half)
        if period.start > today():
            errors["half"] = f"不能考核尚未开始的考核期（{period.name}）"
        elif not rules.was_in_pool(person, period.start, period.end):
            errors["half"] = (
                f"{person.name}在{period.name}（{period.start:%Y-%m-%d} 至 {period.end:%Y-%m-%d}）不在后备力量库中，不能考核"
            )
        else:
            same_year = Assessment.objects.filter(person=person, year=period.year).exclude(
                pk=getattr(current, "pk", None)
            )
            duplicate = same_year.filter(half=period.half).first()
            overlapping = next((a for a in same_year if a.period.overlaps(period)), None)
            if duplicate is not None:
                errors["half"] = (
                    f"{person.name}{period.name}的考核已登记（{GRADE_NAMES[Grade(duplicate.grade)]}），"
                    "同一人同一考核期只能有一次考核"
                )
            elif overlapping is not None:
                errors["half"] = (
                    f"{person.name}已有{overlapping.period.name}的考核，与{period.name}重叠，不能重复考核"
                )
    if data.grade not in Grade.values:
        errors["grade"] = "考核等次须为优秀、称职、基本称职或不称职"
    for name in DIMENSIONS:
        _check_score(errors, name, getattr(data, name), required=False)
    for name, label in VOTE_LABELS.items():
        value = getattr(data, name)
        if value is not None and (not isinstance(value, int) or value < 0):
            errors[name] = f"{label}须为不小于 0 的整数"
    for name, label in EVIDENCE_LABELS.items():
        if len(getattr(data, name) or "") > TEXT_MAX:
            errors[name] = f"{label}不能超过 {TEXT_MAX} 字"
    if len((data.assessor or "").strip()) > 100:
        errors["assessor"] = "考核人不能超过 100 个字"
    if data.assessed_on is None:
        errors["assessed_on"] = "请填写考核日期"
    elif data.assessed_on > today():
        errors["assessed_on"] = f"考核日期 {data.assessed_on:%Y-%m-%d} 不能晚于今天"
    elif period is not None and data.assessed_on < period.start:
        errors["assessed_on"] = f"考核日期不能早于考核期的开始 {period.start:%Y-%m-%d}"
    already_counted = (
        current is not None and current.grade == Grade.EXCELLENT and current.period == period
    )  # an 优秀 changed in its other fields keeps its place under the cap
    if period is not None and not errors and data.grade == Grade.EXCELLENT and not already_counted:
        problem = rules.excellent_cap_problem(
            person, period, settings, exclude_pk=getattr(current, "pk", None)
        )
        if problem:
            errors["grade"] = problem
    return errors, period, settings


def _apply(assessment: Assessment, actor, data: AssessmentInput, settings: AssessmentSettings) -> None:
    for item in fields(AssessmentInput):
        value = getattr(data, item.name)
        setattr(assessment, item.name, value.strip() if isinstance(value, str) else value)
    assessment.assessor = (data.assessor or "").strip() or str(actor)[:100]
    assessment.weighted_total = weighted_total(data, settings)


def _save_assessment(assessment: Assessment, actor, person: Person, period: Period) -> None:
    assessment._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError:
        # Another clerk saved the same person and period a moment ago.
        raise ValidationError(
            {"half": f"{person.name}{period.name}的考核已登记，同一人同一考核期只能有一次考核"}
        ) from None


@transaction.atomic
def create_assessment(*, actor, person: Person, data: AssessmentInput) -> Assessment:
    """Record the assessment of a reserve for a period, then apply the rules to him."""
    person = _visible_person(actor, person)
    if not rules.may_assess(actor, person.village_id):
        raise PermissionDenied
    # Lock the person: two assessments of him at once would each miss the other in the rules.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    errors, period, settings = _validate_assessment(actor, person, data, current=None)
    _raise(errors)
    assert period is not None
    assessment = Assessment(person=person, entered_by=actor)
    _apply(assessment, actor, data, settings)
    _save_assessment(assessment, actor, person, period)
    rules.evaluate_person(person, actor=actor)
    return assessment


@transaction.atomic
def create_assessments_batch(
    *, actor, period: Period, grades: dict[Person, str], assessed_on: date | None, assessor: str = ""
) -> list[Assessment]:
    """A clerk enters the grades of a whole village or township in one form: all of them or none. Errors
    come back keyed "person-<id>", each naming the person."""
    errors: dict[str, str] = {}
    created = []
    for person, grade in grades.items():
        data = AssessmentInput(
            year=period.year, half=period.half, grade=grade, assessed_on=assessed_on, assessor=assessor
        )
        try:
            with transaction.atomic():
                created.append(create_assessment(actor=actor, person=person, data=data))
        except ValidationError as invalid:
            messages = "；".join(message for values in invalid.message_dict.values() for message in values)
            errors[f"person-{person.pk}"] = f"{person.name}：{messages}"
    if not grades:
        errors["grades"] = "请至少为一人选择考核等次"
    _raise(errors)
    return created


def _visible_assessment(actor, assessment: Assessment) -> Assessment:
    found = (
        Assessment.objects.restrict(actor).select_related("person__village").filter(pk=assessment.pk).first()
    )
    if found is None:
        raise Http404
    if not rules.may_assess(actor, found.person.village_id):
        raise PermissionDenied
    return found


@transaction.atomic
def update_assessment(*, actor, assessment: Assessment, data: AssessmentInput) -> Assessment:
    """Change an assessment (its grade, scores, even its period); the rules are evaluated again."""
    assessment = _visible_assessment(actor, assessment)
    person = assessment.person
    Person.objects.select_for_update().filter(pk=person.pk).first()
    errors, period, settings = _validate_assessment(actor, person, data, current=assessment)
    _raise(errors)
    assert period is not None
    _apply(assessment, actor, data, settings)
    _save_assessment(assessment, actor, person, period)
    rules.evaluate_person(person, actor=actor)
    return assessment


@transaction.atomic
def delete_assessment(*, actor, assessment: Assessment) -> None:
    """Delete an assessment entered in error; the rules are evaluated again (a proposal or a listing that
    rested on it is withdrawn). The history keeps the deleted row."""
    assessment = _visible_assessment(actor, assessment)
    person = assessment.person
    Person.objects.select_for_update().filter(pk=person.pk).first()
    assessment._history_user = actor  # type: ignore[attr-defined]
    assessment.delete()
    rules.evaluate_person(person, actor=actor)


# ---------------------------------------------------------------------------------------------------------
# 出库建议 removal proposals


def _visible_proposal(actor, proposal: RemovalProposal) -> RemovalProposal:
    found = (
        RemovalProposal.objects.restrict(actor)
        .select_for_update(of=("self",))
        .select_related("candidacy", "person")
        .filter(pk=proposal.pk)
        .first()
    )
    if found is None:
        raise Http404
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
    考核不称职 for two incompetent grades (a check-up's proposal takes the reason the clerk chooses)."""
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
    else:
        reason = reason or RemovalReason.INSUFFICIENT_ABILITY
    on = on or today()
    note = (note or "").strip() or proposal.basis_text
    try:
        workflow.remove(actor=actor, candidacy=proposal.candidacy, reason=reason, on=on, note=note)
    except workflow.WorkflowConflict as conflict:
        raise ValidationError({"proposal": str(conflict)}) from None
    proposal.state = ProposalState.CONFIRMED
    proposal.decided_by, proposal.decided_on, proposal.decision_note = actor, on, note
    proposal._history_user = actor  # type: ignore[attr-defined]
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


# The check-ups and commendations live in their own modules; re-exported so that `services` stays the app's
# one import for writes (the `X as X` form marks a re-export).
from yanzhen.assessments.checkups import CheckupInput as CheckupInput  # noqa: E402
from yanzhen.assessments.checkups import open_campaign as open_campaign  # noqa: E402
from yanzhen.assessments.checkups import save_checkup as save_checkup  # noqa: E402
from yanzhen.assessments.commendations import add_commendation as add_commendation  # noqa: E402
