"""The rules of 管 in one place: the county's settings with their defaults, who may do what, who counts as a
reserve during a period, the cap on 优秀, and the two rules of seed 000 on consecutive grades.

Seed 000: 连续两次考核为"优秀"的，村"两委"换届选举前在村务公开栏重点介绍 (→ key cultivation and the notice
board list); 连续两次考核为"不称职"的，及时清理出后备干部队伍 (→ a removal proposal a clerk decides on).

"Consecutive" means two assessments of the person in adjacent periods (the second starts the day after the
first ends); a missing period breaks the chain. Only assessments of the candidacy's own stint in the pool
count (periods ending on or after its 入库时间): a person who re-enters the pool as a new candidacy starts a
new chain. The rules are evaluated for a person whenever one of his assessments is saved, changed or
deleted, and for a whole division by `yanzhen apply-rules`; evaluating twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from yanzhen.accounts.roles import Role
from yanzhen.assessments import chains, fired
from yanzhen.assessments.models import (
    GRADE_NAMES,
    Assessment,
    AssessmentSettings,
    DisciplineRecord,
    Grade,
    NoticeBoardEntry,
    ProposalBasis,
    ProposalState,
    RemovalProposal,
    ToleranceDetermination,
)
from yanzhen.assessments.periods import Period
from yanzhen.assessments.proposals import withdraw as withdraw_proposal
from yanzhen.candidacies.models import Candidacy, CandidacyEvent, CandidacyState
from yanzhen.core.guards import attribute_to
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.divisions.codes import CODE_LENGTH, Level
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person

# A candidacy that reached the pool, whatever happened since: its business dates say when it was in.
POOL_STATES = (CandidacyState.IN_POOL, CandidacyState.PROMOTED, CandidacyState.REMOVED)


# ---------------------------------------------------------------------------------------------------------
# The county's settings


def county_code(code: str) -> str:
    return code[: CODE_LENGTH[Level.COUNTY]]


def township_code(code: str) -> str:
    return code[: CODE_LENGTH[Level.TOWNSHIP]]


def settings_for(division_or_code: Division | str) -> AssessmentSettings:
    """The county's settings, or the defaults (an unsaved row) when it has set none."""
    code = county_code(getattr(division_or_code, "code", division_or_code))
    return AssessmentSettings.objects.filter(county_id=code).first() or AssessmentSettings(county_id=code)


def report_due_on(period: Period, settings: AssessmentSettings) -> date:
    """The last day a report for the half-year is on time."""
    return period.end + timedelta(days=settings.report_due_days)


def county_visible(user, code: str) -> bool:
    """A county's own settings and campaigns concern everyone inside it (a township clerk is told "not
    allowed", not "not found"); another county is outside the jurisdiction."""
    return code_in_jurisdiction(user, code) or (user.division_id or "").startswith(code)


# ---------------------------------------------------------------------------------------------------------
# Who may do what (jurisdiction is checked separately, first: outside it everything is 404)


def may_read(user) -> bool:
    """The pages of this area: everyone but a reserve, who has only his self-service page."""
    return user.has_role(Role.ADMIN, Role.TOWNSHIP_CLERK, Role.VILLAGE_SECRETARY, Role.AUDITOR)


def may_assess(user, village_code: str) -> bool:
    """Administrators and township clerks assess in their jurisdiction; a village secretary writes the
    assessments of his own village (DOMAIN: 村党组织书记 writes assessments for his village)."""
    if user.can_edit:
        return True
    return user.has_role(Role.VILLAGE_SECRETARY) and user.division_id == village_code


def may_review_report(user, village_code: str) -> bool:
    """The village secretary reviews the reports of his village; clerks may where a village has none."""
    return may_assess(user, village_code)


def may_enter_report(user) -> bool:
    return user.can_edit


def may_decide_proposal(user) -> bool:
    return user.can_edit


def may_open_campaign(user) -> bool:
    return user.has_role(Role.ADMIN)


def may_fill_checkup(user) -> bool:
    return user.can_edit


def may_commend(user) -> bool:
    return user.can_edit


def may_record_discipline(user) -> bool:
    """处分记录: entered by the clerks who keep the archive (the decision itself is the 纪委's)."""
    return user.can_edit


def may_determine_tolerance(user) -> bool:
    """容错免责 is determined by the county (its administrator), on an application any editor may register."""
    return user.has_role(Role.ADMIN)


def may_change_settings(user) -> bool:
    return user.has_role(Role.ADMIN)


# ---------------------------------------------------------------------------------------------------------
# Who is a reserve during a period (business dates, DOMAIN "Dates")


def in_pool_during(start: date, end: date) -> Q:
    """Candidacies in the pool on at least one day from start to end: entered on or before the end, and
    not promoted or removed on or before the start (the house's `in_pool_on` rule, over a range)."""
    return (
        Q(state__in=POOL_STATES, entered_pool_on__isnull=False, entered_pool_on__lte=end)
        & (Q(promoted_on__isnull=True) | Q(promoted_on__gt=start))
        & (Q(removed_on__isnull=True) | Q(removed_on__gt=start))
    )


def was_in_pool(person: Person, start: date, end: date) -> bool:
    return Candidacy.objects.filter(in_pool_during(start, end), person=person).exists()


def reserves_during(start: date, end: date, under: str = ""):
    """People with a candidacy in the pool during the range, under a division code (all people, no
    jurisdiction: callers restrict)."""
    candidacies = Candidacy.objects.filter(in_pool_during(start, end))
    if under:
        candidacies = candidacies.filter(person__village__code__startswith=under)
    return Person.objects.filter(pk__in=candidacies.values("person_id"))


# ---------------------------------------------------------------------------------------------------------
# The cap on 优秀


def excellent_cap_problem(
    person: Person, period: Period, settings: AssessmentSettings, *, exclude_pk: int | None = None
) -> str | None:
    """With a cap set, the 优秀 grades of a township in a period may not pass the cap's share of the
    township's reserves in the pool during the period (rounded down)."""
    cap = settings.excellent_cap_percent
    if not cap:
        return None
    township = township_code(person.village_id)
    pool = reserves_during(period.start, period.end, under=township).count()
    allowed = pool * cap // 100
    taken = (
        Assessment.objects.filter(
            person__village__code__startswith=township,
            year=period.year,
            half=period.half,
            grade=Grade.EXCELLENT,
        )
        .exclude(pk=exclude_pk)
        .count()
    )
    if taken + 1 <= allowed:
        return None
    name = Division.objects.filter(code=township).values_list("name", flat=True).first() or township
    return (
        f"{name}{period.name}考核“优秀”的比例不得超过 {cap}%：在库后备力量 {pool} 人，最多可评 {allowed} 名优秀，"
        f"已评 {taken} 名"
    )


# ---------------------------------------------------------------------------------------------------------
# The rules on consecutive grades


@dataclass(frozen=True)
class Pair:
    first: Assessment
    second: Assessment

    @property
    def ids(self) -> tuple[int, int]:
        return self.first.pk, self.second.pk

    def text(self) -> str:
        grade = GRADE_NAMES[Grade(self.second.grade)]
        return f"{self.first.period.name}、{self.second.period.name}连续两次考核为“{grade}”"


def stint_assessments(candidacy: Candidacy, assessments: Iterable[Assessment]) -> list[Assessment]:
    """The person's assessments of periods that end on or after the candidacy entered the pool, in order."""
    entered = candidacy.entered_pool_on
    mine = [a for a in assessments if entered is not None and a.period.end >= entered]
    return sorted(mine, key=lambda a: a.period.start)


def latest_pair(assessments: list[Assessment], grade: str) -> Pair | None:
    """The latest two assessments in adjacent periods that both have the grade, or None."""
    run = chains.latest_streak(
        assessments,
        length=2,
        matches=lambda assessment: assessment.grade == grade,
        follows=lambda first, second: second.period.follows(first.period),
    )
    return Pair(run[-2], run[-1]) if run else None


def _event(actor, candidacy: Candidacy, summary: str, data: dict, on: date) -> None:
    """A line on the candidacy's timeline (the state does not change)."""
    CandidacyEvent.objects.create(
        candidacy=candidacy,
        from_state=candidacy.state,
        to_state=candidacy.state,
        actor=actor,
        on=on,
        summary=summary[:200],
        data=data,
    )


def _set_key_cultivation(actor, candidacy: Candidacy, value: bool, reason: str, on: date) -> None:
    # The pipeline has no transition for the flag (it is not a state): saved here with field history
    # naming the actor and a line on the candidacy's timeline.
    candidacy.key_cultivation = value
    attribute_to(candidacy, actor)
    candidacy.save(update_fields=["key_cultivation"])
    _event(actor, candidacy, reason, {"key_cultivation": value, "rule": "assessments"}, on)


def _event_date(candidacy: Candidacy, on: date) -> date:
    """The business date of a rule's line: never before the candidacy's last step, so that the pipeline's
    later steps (dated after their predecessor) are not blocked by the rule."""
    last = candidacy.events.order_by("-on").values_list("on", flat=True).first()
    return max(on, last) if last is not None else on


def _sync_notice_board(actor, candidacy: Candidacy, pair: Pair | None) -> int:
    active = NoticeBoardEntry.objects.select_for_update().filter(candidacy=candidacy, active=True).first()
    if pair is None:
        if active is None:
            return 0
        active.active, active.withdrawn_at = False, timezone.now()
        attribute_to(active, actor)
        active.save()
        if active.flag_set_by_rule and candidacy.key_cultivation:
            _set_key_cultivation(
                actor,
                candidacy,
                False,
                "考核等次变更，连续两次“优秀”不再成立，取消重点培养",
                _event_date(candidacy, candidacy.entered_pool_on or timezone.localdate()),
            )
        return 1
    if active is not None:
        if (active.first_assessment_id, active.second_assessment_id) == pair.ids:
            return 0
        # Still two consecutive 优秀, on a later (or other) pair: the listing stays, its basis follows.
        active.first_assessment, active.second_assessment = pair.first, pair.second
        active.basis_text = pair.text()
        attribute_to(active, actor)
        active.save()
        return 1
    entry = NoticeBoardEntry(
        candidacy=candidacy,
        person_id=candidacy.person_id,
        first_assessment=pair.first,
        second_assessment=pair.second,
        basis_text=pair.text(),
        flag_set_by_rule=not candidacy.key_cultivation,
    )
    attribute_to(entry, actor)
    entry.save()
    fired.note(fired.Outcome.KEY_CULTIVATION, entry)
    if not candidacy.key_cultivation:
        _set_key_cultivation(
            actor,
            candidacy,
            True,
            f"{pair.text()}，列为重点培养对象，换届前在村务公开栏重点介绍",
            _event_date(candidacy, pair.second.assessed_on),
        )
    return 1


def _removal_proposals(candidacy: Candidacy, basis: str):
    """The candidacy's removal proposals on one basis (locked) and the pending one among them, if any."""
    proposals = RemovalProposal.objects.select_for_update().filter(candidacy=candidacy, basis=basis)
    return proposals, proposals.filter(state=ProposalState.PENDING).first()


def _withdraw_pending(actor, pending: RemovalProposal | None, reason: str) -> int:
    """Withdraw the pending proposal whose basis no longer holds; the number of records changed."""
    if pending is None:
        return 0
    withdraw_proposal(actor, pending, reason)
    return 1


def _propose_removal(actor, candidacy: Candidacy, basis: str, basis_text: str, **links) -> int:
    """A new removal proposal (the records it rests on in `links`), noted as a rule that fired."""
    proposal = RemovalProposal(
        candidacy=candidacy, person_id=candidacy.person_id, basis=basis, basis_text=basis_text, **links
    )
    attribute_to(proposal, actor)
    proposal.save()
    fired.note(fired.Outcome.REMOVAL_PROPOSED, proposal)
    return 1


def _sync_removal(actor, candidacy: Candidacy, pair: Pair | None) -> int:
    proposals, pending = _removal_proposals(candidacy, ProposalBasis.ASSESSMENTS)
    if pair is None:
        return _withdraw_pending(actor, pending, "考核等次已变更或删除，连续两次“不称职”不再成立")
    decided_or_open = proposals.filter(
        first_assessment_id=pair.first.pk,
        second_assessment_id=pair.second.pk,
        state__in=[ProposalState.PENDING, ProposalState.CONFIRMED, ProposalState.REJECTED],
    )
    if decided_or_open.exists():
        return 0  # proposed already, or decided by a clerk: never proposed again on the same basis
    changes = _withdraw_pending(actor, pending, "依据的考核已变更，按新的连续两次“不称职”重新提出")
    return changes + _propose_removal(
        actor,
        candidacy,
        ProposalBasis.ASSESSMENTS,
        pair.text(),
        first_assessment=pair.first,
        second_assessment=pair.second,
    )


def _running_discipline(person_id, on: date) -> DisciplineRecord | None:
    """The person's discipline record whose 影响期 runs on the day and lasts longest (one without end first)."""
    running = list(DisciplineRecord.objects.running(on).filter(person_id=person_id))
    return max(
        running,
        key=lambda record: (record.effect_ends_on is None, record.effect_ends_on or date.min, record.pk),
        default=None,
    )


def _sync_discipline(actor, candidacy: Candidacy, record: DisciplineRecord | None) -> int:
    """负面清单: a reserve whose 处分 is in its 影响期 is proposed for removal (never removed by the system);
    the proposal is withdrawn when no record runs any more (the period over, the record corrected)."""
    proposals, pending = _removal_proposals(candidacy, ProposalBasis.DISCIPLINE)
    if record is None:
        return _withdraw_pending(actor, pending, "处分影响期已满或处分记录已更正，不再属于负面清单情形")
    text = record.describe()[:200]
    if pending is not None and pending.discipline_id == record.pk:
        if pending.basis_text == text:
            return 0
        pending.basis_text = text  # the record corrected (another end of the 影响期): the proposal says so
        attribute_to(pending, actor)
        pending.save()
        return 1
    decided = proposals.filter(discipline=record, state__in=[ProposalState.CONFIRMED, ProposalState.REJECTED])
    if decided.exists():
        return 0  # decided by a clerk: never proposed again on the same record
    changes = _withdraw_pending(actor, pending, "依据的处分记录已变更，按新的处分记录重新提出")
    return changes + _propose_removal(actor, candidacy, ProposalBasis.DISCIPLINE, text, discipline=record)


@transaction.atomic
def evaluate_person(person: Person | int, *, actor=None) -> int:
    """Apply the rules on consecutive grades and on a running 处分 to every candidacy of the person in the pool
    now; returns the number of records changed (0 when everything already agrees)."""
    person_id = getattr(person, "pk", person)
    changes = 0
    # Proposals of candidacies that have left the pool (used, or removed another way) are moot.
    for proposal in (
        RemovalProposal.objects.select_for_update()
        .filter(person_id=person_id, state=ProposalState.PENDING)
        .exclude(candidacy__state=CandidacyState.IN_POOL)
    ):
        withdraw_proposal(actor, proposal, "该人选已不在库")
        changes += 1
    candidacies = list(
        Candidacy.objects.select_for_update(of=("self",))
        .filter(person_id=person_id, state=CandidacyState.IN_POOL)
        .order_by("pk")
    )
    if not candidacies:
        return changes
    # A grade the county has exempted (容错免责) does not count in a chain.
    assessments = list(
        Assessment.objects.filter(person_id=person_id).exclude(
            tolerance_cases__determination=ToleranceDetermination.EXEMPTED
        )
    )
    discipline = _running_discipline(person_id, timezone.localdate())
    for candidacy in candidacies:
        mine = stint_assessments(candidacy, assessments)
        changes += _sync_notice_board(actor, candidacy, latest_pair(mine, Grade.EXCELLENT))
        changes += _sync_removal(actor, candidacy, latest_pair(mine, Grade.INCOMPETENT))
        changes += _sync_discipline(actor, candidacy, discipline)
    return changes


def apply_rules(division: Division, *, actor=None) -> int:
    """Evaluate every person in the pool for a village of the division, or with an open proposal or listing
    there. The village is the candidacy's (the posts it is for), as in the statistics, not where the
    person lives: a reserve of 花马池镇 in the pool for a 大水坑镇 village belongs to 大水坑镇."""
    in_pool = Candidacy.objects.filter(state=CandidacyState.IN_POOL, village__code__startswith=division.code)
    pending = RemovalProposal.objects.filter(
        state=ProposalState.PENDING, candidacy__village__code__startswith=division.code
    )
    listed = NoticeBoardEntry.objects.filter(active=True, candidacy__village__code__startswith=division.code)
    person_ids = sorted(
        set(in_pool.values_list("person_id", flat=True))
        | set(pending.values_list("person_id", flat=True))
        | set(listed.values_list("person_id", flat=True))
    )
    return sum(evaluate_person(person_id, actor=actor) for person_id in person_ids)
