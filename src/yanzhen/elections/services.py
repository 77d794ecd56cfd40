"""Writes of the election (换届): the plan, the slates, the joint review, the slate's notice, the results and
the handovers.

Every function takes the acting user and checks, in the house order (core.guards): jurisdiction (outside
it: 404), role (a reader: 403), the election's state (a step out of order: `Conflict`, HTTP 409), then the
data (Django's `ValidationError`, Chinese messages keyed by field; nothing is written). Each runs in one
transaction and leaves history naming the actor. The results reuse the posts services in their batch form
(`end_terms`, `appoint_many`, with the single services' checks) and the pipeline's own transition
(`workflow.promote_many`) for a reserve elected from the pool: one village or 600, every village is checked
on reads batched across villages before anything is written, in a constant number of queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from simple_history.utils import bulk_create_with_history

from yanzhen.candidacies import workflow
from yanzhen.candidacies.models import Candidacy, CandidacyState, NegativeListItem
from yanzhen.candidacies.rules import check_notice_period, rules_for
from yanzhen.core.api_errors import Conflict
from yanzhen.core.guards import attribute_to, raise_errors, require_editor, today, visible
from yanzhen.core.jurisdiction import code_in_jurisdiction, jurisdiction_prefix
from yanzhen.core.locking import visible_locked
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.elections.models import (
    NEXT_STATE,
    Candidate,
    CandidateOrigin,
    CandidateStatus,
    Election,
    ElectionState,
    Handover,
    Result,
    ReviewDepartment,
    ReviewReply,
    SlateNotice,
)
from yanzhen.elections.rules import (
    CHAIR,
    HANDOVER_POSTS,
    MEMBER,
    SECRETARY,
    ReviewState,
    committee_post_codes,
    may_plan,
    review_state,
    state_label,
)
from yanzhen.people.models import Person
from yanzhen.posts import services as post_services
from yanzhen.posts.models import PostType, Seat, Term, TermEndReason

TARGET_FIELDS = (
    "one_shoulder_pct",
    "woman_each_committee",
    "young_each_village",
    "college_pct",
    "younger_and_better",
    "cross_post_pct",
    "warning_months",
)


def _save(instance, actor) -> None:
    attribute_to(instance, actor)
    instance.save()


# --- The election and its plan -----------------------------------------------------------------------------


def _check_county_actor(actor, county: Division) -> None:
    """An election is planned and moved by the county's organisation department (or above): a township clerk
    sees it but may not change it (403)."""
    prefix = jurisdiction_prefix(actor)
    if prefix is None or not county.code.startswith(prefix) and not prefix.startswith(county.code):
        raise Http404
    require_editor(actor)
    if not may_plan(actor, county.code):
        raise PermissionDenied


def _plan_errors(values: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    number = values.get("number")
    if number is None or number < 1:
        errors["number"] = "请填写届次（正整数）"
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if starts_on is None:
        errors["starts_on"] = "请填写换届开始日期"
    if ends_on is None:
        errors["ends_on"] = "请填写换届结束日期"
    elif starts_on is not None and ends_on < starts_on:
        errors["ends_on"] = f"换届结束日期不能早于开始日期 {starts_on:%Y-%m-%d}"
    term_years = values.get("term_years")
    if term_years is not None and not 1 <= term_years <= 10:
        errors["term_years"] = "任期年限须在 1 到 10 年之间"
    for name in ("one_shoulder_pct", "college_pct", "cross_post_pct"):
        value = values.get(name)
        if value is not None and not Decimal("0") <= Decimal(value) <= Decimal("100"):
            errors[name] = "比例目标须在 0 到 100 之间"
    months = values.get("warning_months")
    if months is not None and not 0 <= months <= 60:
        errors["warning_months"] = "预警月数须在 0 到 60 之间"
    return errors


@transaction.atomic
def create_election(
    *, actor, county: Division, number: int, starts_on: date, ends_on: date, term_years: int = 5, **targets
) -> Election:
    """Open a county's election (筹备). A county has at most one open election: a second is a conflict."""
    _check_county_actor(actor, county)
    if county.level != Level.COUNTY:
        raise ValidationError({"county": f"换届属于县级单位，{county.name} 不是县级单位"})
    unknown = set(targets) - set(TARGET_FIELDS) - {"note"}
    if unknown:
        raise TypeError(f"unknown election fields: {sorted(unknown)}")
    values = {
        "number": number,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "term_years": term_years,
        **targets,
    }
    errors = _plan_errors(values)
    if "number" not in errors and Election.objects.filter(county=county, number=number).exists():
        errors["number"] = f"{county.name}第{number}届换届已存在"
    raise_errors(errors)
    # Lock the county's row so two clerks opening an election at once cannot both pass the check.
    Division.objects.select_for_update().filter(pk=county.pk).first()
    open_one = Election.objects.filter(county=county).open().first()
    if open_one is not None:
        raise Conflict(f"{county.name}已有未完成的换届（第{open_one.number}届），完成后才能新建")
    election = Election(county=county, created_by=actor, **values)
    _save(election, actor)
    return election


@transaction.atomic
def update_plan(*, actor, election: Election, **values) -> Election:
    """Change the plan: dates, term length, targets, warning months, note (not after it is done)."""
    election = _locked_election(actor, election)
    _check_county_actor(actor, election.county)
    if election.state == ElectionState.DONE:
        raise Conflict("换届已完成，不能再修改计划")
    allowed = {"number", "starts_on", "ends_on", "term_years", "note", *TARGET_FIELDS}
    unknown = set(values) - allowed
    if unknown:
        raise TypeError(f"unknown election fields: {sorted(unknown)}")
    merged = {name: getattr(election, name) for name in allowed} | values
    errors = _plan_errors(merged)
    if (
        "number" not in errors
        and Election.objects.filter(county=election.county, number=merged["number"])
        .exclude(pk=election.pk)
        .exists()
    ):
        errors["number"] = f"第{merged['number']}届换届已存在"
    raise_errors(errors)
    for name, value in values.items():
        setattr(election, name, value)
    _save(election, actor)
    return election


def _locked_election(actor, election: Election) -> Election:
    return visible_locked(actor, election, "county")


@transaction.atomic
def advance(*, actor, election: Election, to: str) -> Election:
    """Move the election to its next state: 筹备 → 选举中 → 已完成; any other move is a conflict."""
    election = _locked_election(actor, election)
    _check_county_actor(actor, election.county)
    if NEXT_STATE.get(election.state) != to:
        raise Conflict(f"换届不能从“{state_label(election.state)}”转为“{state_label(to)}”")
    election.state = to
    _save(election, actor)
    return election


# --- The slate ---------------------------------------------------------------------------------------------


def _open_election(actor, election: Election, village: Division | None = None) -> Election:
    """The election re-read for the actor (it must see it), not done; the village inside the county and the
    actor's jurisdiction (404), an editor (403)."""
    election = visible(actor, election)
    if village is not None:
        if not village.code.startswith(election.county_id) or not code_in_jurisdiction(actor, village.code):
            raise Http404
    require_editor(actor)
    if election.state == ElectionState.DONE:
        raise Conflict("换届已完成，不能再修改")
    return election


def _results_recorded(election: Election, village: Division) -> bool:
    return Result.objects.filter(election=election, village=village).exists()


def _slate_locked(election: Election, village: Division) -> None:
    if _results_recorded(election, village):
        raise Conflict(f"{village.name}已录入选举结果，不能再修改候选人")
    if SlateNotice.objects.filter(election=election, village=village).exists():
        raise Conflict(f"{village.name}的候选人已公示，不能再修改")


def origin_of(person: Person, village: Division, on: date) -> tuple[str, Candidacy | None]:
    """Where a candidate comes from: a reserve in the pool for the village (his candidacy), a sitting member
    of the village's committee, or anyone else in the archive."""
    candidacy = (
        Candidacy.objects.in_pool_on(on)
        .filter(person=person, village=village, state=CandidacyState.IN_POOL)
        .order_by("-entered_pool_on")
        .first()
    )
    if candidacy is not None:
        return CandidateOrigin.POOL, candidacy
    sitting = Term.objects.current(on).filter(
        person=person, seat__village=village, seat__post_type__code__in=committee_post_codes()
    )
    if sitting.exists():
        return CandidateOrigin.INCUMBENT, None
    return CandidateOrigin.ARCHIVE, None


@transaction.atomic
def propose(
    *,
    actor,
    election: Election,
    village: Division,
    person: Person,
    post_type: PostType,
    also_chair: bool = False,
    on: date | None = None,
    match_score: Decimal | float | None = None,
) -> Candidate:
    """Put a person on a village's slate for a seat (初步人选); `also_chair`: the secretary's candidate stands
    for the chair's seat too (一肩挑)."""
    election = _open_election(actor, election, village)
    on = on or today()
    errors: dict[str, str] = {}
    if not village.is_administrative_village:
        errors["village"] = f"{village.name} 不是行政村（村委会）"
    if not Person.objects.restrict(actor).filter(pk=person.pk).exists():
        errors["person"] = "所选人员不存在或不在您的辖区内"
    if post_type.code not in committee_post_codes():
        errors["post_type"] = f"{post_type.name} 不是村“两委”职位，不在换届中选举"
    if also_chair and post_type.code != SECRETARY:
        errors["also_chair"] = "只有村党组织书记人选可以同时作为村委会主任人选（一肩挑）"
    if on > today():
        errors["on"] = f"日期 {on:%Y-%m-%d} 不能晚于今天"
    raise_errors(errors)
    _slate_locked(election, village)
    standing = Candidate.objects.filter(election=election, person=person, status=CandidateStatus.PROPOSED)
    if standing.filter(~Q(village=village)).exists():
        other = standing.exclude(village=village).select_related("village").first()
        assert other is not None
        raise ValidationError(
            {"person": f"{person.name}已是{other.village.name}的人选，不能同时在两个村参选"}
        )
    posts = {post_type.code} | ({CHAIR} if also_chair else set())
    for existing in standing.select_related("post_type"):
        covered = {existing.post_type.code} | ({CHAIR} if existing.also_chair else set())
        if covered & posts:
            raise ValidationError({"person": f"{person.name}已是本村{existing.post_type.name}人选"})
    origin, candidacy = origin_of(person, village, on)
    candidate = Candidate(
        election=election,
        village=village,
        person=person,
        post_type=post_type,
        also_chair=also_chair,
        origin=origin,
        candidacy=candidacy,
        match_score=None if match_score is None else Decimal(str(match_score)).quantize(Decimal("0.01")),
        proposed_on=on,
        created_by=actor,
    )
    _save(candidate, actor)
    return candidate


@transaction.atomic
def withdraw(*, actor, candidate: Candidate, reason: str, on: date | None = None) -> Candidate:
    """Take a candidate off the slate (退出), with the reason; the row and its replies stay."""
    candidate = visible_locked(actor, candidate, "village", "election")
    _open_election(actor, candidate.election, candidate.village)
    if candidate.status == CandidateStatus.WITHDRAWN:
        raise Conflict(f"{candidate.person.name}已于 {candidate.withdrawn_on:%Y-%m-%d} 退出")
    if _results_recorded(candidate.election, candidate.village):
        raise Conflict(f"{candidate.village.name}已录入选举结果，不能再退出")
    on = on or today()
    errors: dict[str, str] = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "请填写退出原因"
    elif len(reason) > 200:
        errors["reason"] = "退出原因不能超过 200 字"
    if on > today():
        errors["on"] = f"日期 {on:%Y-%m-%d} 不能晚于今天"
    elif on < candidate.proposed_on:
        errors["on"] = f"退出日期不能早于提名日期 {candidate.proposed_on:%Y-%m-%d}"
    raise_errors(errors)
    candidate.status, candidate.withdrawn_on, candidate.withdrawal_reason = (
        CandidateStatus.WITHDRAWN,
        on,
        reason,
    )
    _save(candidate, actor)
    return candidate


# --- The joint review (资格联审) -------------------------------------------------------------------------------


def reply_errors(
    candidate: Candidate, passed: bool | None, reason: str, replied_on: date | None
) -> dict[str, str]:
    """The checks of one department's reply (shared with the Excel upload, which adds row and column)."""
    errors: dict[str, str] = {}
    if passed is None:
        errors["passed"] = "请选择联审意见（通过或不通过）"
    elif not passed and not reason:
        errors["reason"] = "不通过须填写理由"
    if len(reason) > 200:
        errors["reason"] = "理由不能超过 200 字"
    if replied_on is None:
        errors["replied_on"] = "请填写回复日期"
    elif replied_on > today():
        errors["replied_on"] = f"回复日期 {replied_on:%Y-%m-%d} 不能晚于今天"
    elif replied_on < candidate.proposed_on:
        errors["replied_on"] = f"回复日期不能早于提名日期 {candidate.proposed_on:%Y-%m-%d}"
    return errors


def _check_reviewable(candidate: Candidate) -> None:
    if candidate.status != CandidateStatus.PROPOSED:
        raise Conflict(f"{candidate.person.name}已退出，不能再登记联审意见")
    if _results_recorded(candidate.election, candidate.village):
        raise Conflict(f"{candidate.village.name}已录入选举结果，不能再登记联审意见")
    if SlateNotice.objects.filter(election=candidate.election, village=candidate.village).exists():
        raise Conflict(f"{candidate.village.name}的候选人已公示，不能再修改联审意见")


def _write_reply(
    actor,
    candidate: Candidate,
    department: ReviewDepartment,
    passed: bool,
    reason: str,
    replied_on: date,
    items,
) -> ReviewReply:
    reply = ReviewReply.objects.filter(candidate=candidate, department=department).first()
    if reply is None:
        reply = ReviewReply(candidate=candidate, department=department, created_by=actor)
    reply.passed, reply.reason, reply.replied_on = passed, reason, replied_on
    _save(reply, actor)
    reply.negative_items.set(items)
    return reply


@transaction.atomic
def record_reply(
    *,
    actor,
    candidate: Candidate,
    department: ReviewDepartment,
    passed: bool | None,
    reason: str = "",
    replied_on: date | None = None,
    negative_items: Iterable[NegativeListItem] = (),
) -> ReviewReply:
    """A department's reply on a candidate: 通过, or 不通过 with the reason (and the negative-list items it
    found). A later reply of the same department replaces the earlier one (history keeps both)."""
    candidate = visible_locked(actor, candidate, "village", "election", "person")
    _open_election(actor, candidate.election, candidate.village)
    _check_reviewable(candidate)
    reason = (reason or "").strip()
    items = list(negative_items)
    errors = reply_errors(candidate, passed, reason, replied_on)
    if items and passed:
        errors["negative_items"] = "通过时不能勾选负面清单情形"
    raise_errors(errors)
    assert passed is not None and replied_on is not None
    return _write_reply(actor, candidate, department, passed, reason, replied_on, items)


@dataclass(frozen=True)
class ReplyRow:
    """One line of a department's uploaded sheet, already read (`importer` names the row and columns)."""

    row: int
    candidate: Candidate
    passed: bool
    reason: str
    replied_on: date


@transaction.atomic
def record_replies(
    *, actor, election: Election, department: ReviewDepartment, rows: Sequence[ReplyRow]
) -> int:
    """A department's replies for many candidates at once (its Excel sheet): all or nothing. Errors are
    keyed "row N"."""
    election = _open_election(actor, election)
    errors: dict[str, list[str]] = {}
    checked: list[ReplyRow] = []
    for line in rows:
        try:
            candidate = visible(actor, line.candidate)
            if candidate.election_id != election.pk:
                raise Http404
            require_editor(actor)
            _check_reviewable(candidate)
            problems = reply_errors(candidate, line.passed, line.reason, line.replied_on)
        except (Http404, PermissionDenied):
            problems = {"candidate": "人选不存在或不在您的辖区内"}
        except Conflict as conflict:
            problems = {"candidate": str(conflict)}
        if problems:
            errors.setdefault(f"第 {line.row} 行", []).extend(problems.values())
        else:
            checked.append(line)
    raise_errors(errors)
    for line in checked:
        _write_reply(actor, line.candidate, department, line.passed, line.reason, line.replied_on, [])
    return len(checked)


# --- The slate's public notice (公示) --------------------------------------------------------------------------


@transaction.atomic
def publicise_slate(
    *,
    actor,
    election: Election,
    village: Division,
    start: date,
    end: date,
    supervision_phone: str | None = None,
) -> SlateNotice:
    """公示 a village's slate before the vote. Every candidate still standing must have passed the joint review
    of every department (one who failed is withdrawn first); the period follows the county's working-day
    rule of the pipeline's notices."""
    election = _open_election(actor, election, village)
    if SlateNotice.objects.filter(election=election, village=village).exists():
        raise Conflict(f"{village.name}的候选人已经公示")
    standing = list(
        Candidate.objects.filter(election=election, village=village, status=CandidateStatus.PROPOSED)
        .select_related("person", "post_type")
        .prefetch_related("replies")
    )
    if not standing:
        raise Conflict(f"{village.name}还没有候选人，不能公示")
    departments = ReviewDepartment.objects.count()
    not_ready = [c for c in standing if review_state(c, departments) != ReviewState.PASSED]
    if not_ready:
        names = "、".join(f"{c.person.name}（{review_state(c, departments).label}）" for c in not_ready[:5])
        raise Conflict(f"以下人选的资格联审未全部通过，须先完成联审或退出：{names}")
    rules = rules_for(village)
    errors = check_notice_period(rules, start, end)
    phone = rules.supervision_phone if supervision_phone is None else supervision_phone.strip()
    if len(phone) > 40:
        errors["supervision_phone"] = "监督电话不能超过 40 个字符"
    if "start" not in errors and start > today():
        errors["start"] = f"公示开始日期 {start:%Y-%m-%d} 不能晚于今天"
    raise_errors(errors)
    notice = SlateNotice(
        election=election, village=village, start=start, end=end, supervision_phone=phone, created_by=actor
    )
    _save(notice, actor)
    return notice


# --- Results -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Elected:
    """One seat's result as entered: who was elected to it, with the votes when known."""

    seat: Seat
    person: Person
    votes: int | None = None


VillageResults = tuple[Division, date | None, Sequence[Elected]]


def _result_errors(
    election: Election,
    village: Division,
    elected_on: date | None,
    entries: Sequence[Elected],
    committee: frozenset[str],
    candidates: dict[int, Candidate],
) -> dict[str, list[str]]:
    """The data checks of a village's results (422), given the village's candidates by person."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if elected_on is None:
        add("elected_on", "请填写选举日期")
    elif elected_on > today():
        add("elected_on", f"选举日期 {elected_on:%Y-%m-%d} 不能晚于今天")
    elif not election.starts_on <= elected_on <= election.ends_on:
        add(
            "elected_on",
            f"选举日期须在换届期间 {election.starts_on:%Y-%m-%d} 至 {election.ends_on:%Y-%m-%d} 之内",
        )
    if not entries:
        add("results", f"请至少填写{village.name}一个职位的当选人")
    seats_seen: set[int] = set()
    posts_of: dict[int, set[str]] = {}
    for entry in entries:
        problem = _entry_problem(entry, village, committee, candidates, seats_seen, posts_of)
        if problem:
            add(f"seat_{entry.seat.pk}", problem)
    return errors


def _entry_problem(
    entry: Elected,
    village: Division,
    committee: frozenset[str],
    candidates: dict[int, Candidate],
    seats_seen: set[int],
    posts_of: dict[int, set[str]],
) -> str:
    """What is wrong with one seat's entry ("" when nothing): the seat, the person's candidacy, the post."""
    seat, person = entry.seat, entry.person
    if seat.village_id != village.code:
        return f"{seat} 不是{village.name}的职位"
    if seat.post_type.code not in committee:
        return f"{seat.post_type.name} 不在换届中选举"
    if seat.pk in seats_seen:
        return f"{seat} 填写了两次"
    seats_seen.add(seat.pk)
    if entry.votes is not None and entry.votes < 0:
        return "得票数不能为负数"
    candidate = candidates.get(person.pk)
    if candidate is None:
        return f"{person.name}不是{village.name}公示的候选人"
    standing_for = {candidate.post_type.code} | ({CHAIR} if candidate.also_chair else set())
    if seat.post_type.code not in standing_for | {MEMBER}:
        return f"{person.name}是{candidate.post_type.name}人选，不能当选{seat.post_type.name}"
    held = posts_of.setdefault(person.pk, set())
    if seat.post_type.code in held:
        return f"{person.name}不能同时当选两个{seat.post_type.name}职位"
    held.add(seat.post_type.code)
    return ""


def _failed_review(
    candidates: dict[int, Candidate], entries: Sequence[Elected], departments: int
) -> list[str]:
    names = []
    for entry in entries:
        candidate = candidates.get(entry.person.pk)
        if candidate is not None and review_state(candidate, departments) != ReviewState.PASSED:
            names.append(entry.person.name)
    return list(dict.fromkeys(names))


def _check_results_allowed(
    election: Election,
    village: Division,
    elected_on: date | None,
    *,
    recorded: bool,
    notice: SlateNotice | None,
) -> None:
    """The order of the steps (409): the election is voting, the village's slate was publicised and its
    notice is over before the vote, and the village has no results yet (`recorded`, `notice`: as read)."""
    if election.state != ElectionState.VOTING:
        raise Conflict(f"换届处于“{state_label(election.state)}”阶段，不能录入选举结果")
    if recorded:
        raise Conflict(f"{village.name}的选举结果已经录入")
    if notice is None:
        raise Conflict(f"{village.name}的候选人尚未公示，不能录入选举结果")
    if elected_on is not None and elected_on <= notice.end:
        raise Conflict(f"{village.name}的候选人公示至 {notice.end:%Y-%m-%d}，选举日期须在公示结束之后")


@dataclass
class _Reads:
    """What the checks of the results of many villages read, once for all of them (a constant number of
    queries whatever the number of villages)."""

    election: Election
    committee: frozenset[str]
    candidates: dict[str, dict[int, Candidate]]  # village code → person → his candidate
    recorded: set[str]  # villages with results (and those of the batch already checked)
    notices: dict[str, SlateNotice]
    departments: int
    sitting: dict[str, list[Term]]  # village code → its open terms of the committee or of an elected seat
    book: post_services.SeatBook
    steps: dict[int, date]  # candidacy → the date of its last step
    handed_over: set[int]  # terms with a handover already

    @classmethod
    def read(cls, actor, election: Election, villages: Sequence[VillageResults]) -> _Reads:
        codes = list(dict.fromkeys(village.code for village, _on, _entries in villages))
        committee = committee_post_codes()
        candidates = _candidates_of(election, codes)
        seat_ids = {entry.seat.pk for _village, _on, entries in villages for entry in entries}
        sitting = _sitting_in(codes, committee, seat_ids)
        candidacies = [c.candidacy for found in candidates.values() for c in found.values() if c.candidacy]
        terms = [term for found in sitting.values() for term in found]
        return cls(
            election=election,
            committee=committee,
            candidates=candidates,
            recorded=set(
                Result.objects.filter(election=election, village_id__in=codes).values_list(
                    "village_id", flat=True
                )
            ),
            notices={
                n.village_id: n for n in SlateNotice.objects.filter(election=election, village_id__in=codes)
            },
            departments=ReviewDepartment.objects.count(),
            sitting=sitting,
            book=_book_for(actor, villages, candidacies, seat_ids | {term.seat_id for term in terms}),
            steps=workflow.last_steps(candidacy.pk for candidacy in candidacies),
            handed_over=set(
                Handover.objects.filter(term__in=[term.pk for term in terms]).values_list(
                    "term_id", flat=True
                )
            ),
        )


def _book_for(
    actor, villages: Sequence[VillageResults], candidacies: list[Candidacy], seat_ids: set[int]
) -> post_services.SeatBook:
    """What the posts' checks read about the seats and the people elected (or used from the pool)."""
    people = [entry.person for _village, _on, entries in villages for entry in entries]
    dates = [on for _village, on, _entries in villages if on is not None]
    return post_services.SeatBook.read(
        actor,
        seat_ids,
        people + [candidacy.person for candidacy in candidacies],
        since=min(dates, default=None),
    )


def _candidates_of(election: Election, codes: list[str]) -> dict[str, dict[int, Candidate]]:
    """The candidates standing in each village, by person, with their post, candidacy and replies."""
    candidates: dict[str, dict[int, Candidate]] = {code: {} for code in codes}
    for candidate in (
        Candidate.objects.filter(election=election, village_id__in=codes, status=CandidateStatus.PROPOSED)
        .select_related("post_type", "candidacy__person")
        .prefetch_related("replies")
    ):
        candidates[candidate.village_id][candidate.person_id] = candidate
    return candidates


def _sitting_in(codes: list[str], committee: frozenset[str], seat_ids: set[int]) -> dict[str, list[Term]]:
    """The open terms of each village's committee (and of any seat elected now), with seat, post and person."""
    sitting: dict[str, list[Term]] = {code: [] for code in codes}
    for term in (
        Term.objects.filter(seat__village_id__in=codes, end__isnull=True)
        .filter(Q(seat__post_type__code__in=committee) | Q(seat_id__in=seat_ids))
        .select_related("seat__post_type", "person", "seat__village")
    ):
        sitting[term.seat.village_id].append(term)
    return sitting


@dataclass
class _Plan:
    """A village's results, checked: what to write."""

    village: Division
    on: date
    entries: list[Elected]  # secretary first, then by seat
    candidates: dict[int, Candidate]
    ended: list[Term]
    promoted: dict[int, Candidacy]  # seat → the reserve used for it through the pipeline
    handovers: list[Term]


def _check_village(reads: _Reads, village: Division, on: date | None, entries: Sequence[Elected]) -> _Plan:
    """Every check of one village's results, in the order `record_results` makes them (409 for a step out of
    order, 422 for the data; the posts' and the pipeline's own checks on the terms as the earlier steps
    leave them), without writing."""
    election = reads.election
    if election.state == ElectionState.DONE:
        raise Conflict("换届已完成，不能再修改")
    candidates = reads.candidates.get(village.code, {})
    errors = _result_errors(election, village, on, entries, reads.committee, candidates)
    if "elected_on" not in errors:
        _check_results_allowed(
            election,
            village,
            on,
            recorded=village.code in reads.recorded,
            notice=reads.notices.get(village.code),
        )
    raise_errors(errors)
    assert on is not None
    failed = _failed_review(candidates, entries, reads.departments)
    if failed:
        raise Conflict(f"{'、'.join(failed)}的资格联审未通过，不能当选")
    seat_ids = {entry.seat.pk for entry in entries}
    ended = [
        term
        for term in reads.sitting.get(village.code, [])
        if term.seat.post_type.code in reads.committee or term.seat_id in seat_ids
    ]
    book = reads.book.fork(village.code, seat_ids | {term.seat_id for term in ended})
    _check_ends(book, election, on, ended)
    ordered = sorted(entries, key=lambda e: (e.seat.post_type.code != SECRETARY, e.seat.pk))
    promoted = _check_openings(reads, book, village, on, ordered, candidates)
    again = {(entry.person.pk, entry.seat.post_type.code) for entry in entries}
    handovers = [
        term
        for term in ended
        if term.seat.post_type.code in HANDOVER_POSTS
        and (term.person_id, term.seat.post_type.code) not in again
        and term.pk not in reads.handed_over
    ]
    reads.recorded.add(village.code)
    return _Plan(village, on, ordered, candidates, ended, promoted, handovers)


def _check_ends(book: post_services.SeatBook, election: Election, on: date, ended: list[Term]) -> None:
    """Every sitting term of the committee (and of any seat elected now) ends with reason 换届 on the day the
    new terms start (a term's `end` is the first day it is no longer held)."""
    for term in ended:
        if term.start >= on:
            raise Conflict(f"{term.person.name}任{term.seat}的任期始于 {term.start:%Y-%m-%d}，不早于选举日期")
        raise_errors(post_services.end_term_errors(term, on, TermEndReason.ELECTION, _end_note(election)))
        book.end(term.seat, on)


def _check_openings(
    reads: _Reads,
    book: post_services.SeatBook,
    village: Division,
    on: date,
    entries: list[Elected],
    candidates: dict[int, Candidate],
) -> dict[int, Candidacy]:
    """The elected open their terms, a reserve from the pool through the pipeline's use (已使用): the checks of
    `workflow.promote` and `posts.services.appoint`, entry by entry. The reserves used, by seat."""
    promoted: dict[int, Candidacy] = {}
    for entry in entries:
        candidate = candidates.get(entry.person.pk)
        candidacy = candidate.candidacy if candidate is not None else None
        person = entry.person
        if (
            candidacy is not None
            and candidacy not in promoted.values()
            and candidacy.village_id == village.code
            and candidacy.state == CandidacyState.IN_POOL
        ):
            occupant = book.occupant(entry.seat.pk, on)
            raise_errors(
                workflow.promotion_errors(
                    candidacy, entry.seat, on, last_step=reads.steps.get(candidacy.pk), occupant=occupant
                )
            )
            promoted[entry.seat.pk], person = candidacy, candidacy.person
        raise_errors(book.appointment_errors(entry.seat, person, on))
        book.start(entry.seat, person, on)
    return promoted


def _end_note(election: Election) -> str:
    return f"第{election.number}届换届"


def _write_results(actor, election: Election, plans: list[_Plan]) -> list[Result]:
    """Write what the checks allowed: the ends of the sitting terms, the reserves used (their terms), the
    other terms, the results and the handovers, each in bulk with its history rows naming the actor."""
    ending: dict[date, list[Term]] = {}
    for plan in plans:
        ending.setdefault(plan.on, []).extend(plan.ended)
    for on, terms in ending.items():
        post_services.end_terms(
            actor=actor, terms=terms, end=on, reason=TermEndReason.ELECTION, note=_end_note(election)
        )
    used = workflow.promote_many(
        actor=actor,
        items=[
            (candidacy, seat_of(plan, pk), plan.on)
            for plan in plans
            for pk, candidacy in plan.promoted.items()
        ],
        note=f"第{election.number}届换届当选",
    )
    appointed = post_services.appoint_many(
        actor=actor,
        appointments=[
            (entry.seat, entry.person, plan.on)
            for plan in plans
            for entry in plan.entries
            if entry.seat.pk not in plan.promoted
        ],
    )
    opened = {term.seat_id: term for term in appointed} | {c.term.seat_id: c.term for c in used if c.term}
    results = [
        Result(
            election=election,
            village=plan.village,
            seat=entry.seat,
            person=entry.person,
            candidate=plan.candidates.get(entry.person.pk),
            elected_on=plan.on,
            votes=entry.votes,
            term=opened[entry.seat.pk],
            created_by=actor,
        )
        for plan in plans
        for entry in plan.entries
    ]
    handovers = [
        Handover(election=election, village=plan.village, term=term, person=term.person)
        for plan in plans
        for term in plan.handovers
    ]
    results = bulk_create_with_history(results, Result, default_user=actor)
    bulk_create_with_history(handovers, Handover, default_user=actor)
    return results


def seat_of(plan: _Plan, pk: int) -> Seat:
    return next(entry.seat for entry in plan.entries if entry.seat.pk == pk)


def _check_access(actor, election: Election, villages: Sequence[VillageResults]) -> Election:
    """The election re-read for the actor (404), each village inside the county and the actor's jurisdiction
    (404), an editor (403), in the order of the villages."""
    election = visible(actor, election)
    for village, _on, _entries in villages:
        if not village.code.startswith(election.county_id) or not code_in_jurisdiction(actor, village.code):
            raise Http404
        require_editor(actor)
    return election


def _record(actor, election: Election, villages: Sequence[VillageResults], *, keyed: bool) -> list[Result]:
    """The one path of the results, for one village or many: every village checked first (reads batched
    across villages), then everything written in bulk. `keyed`: the errors of every village are gathered,
    keyed by the village's name; else the first is raised as it is."""
    if not villages:
        return []
    election = _check_access(actor, election, villages)
    # One recording per village at a time.
    list(
        Division.objects.select_for_update().filter(pk__in={v.code for v, _on, _e in villages}).order_by("pk")
    )
    reads = _Reads.read(actor, election, villages)
    errors: dict[str, list[str]] = {}
    plans = []
    for village, elected_on, entries in villages:
        try:
            plans.append(_check_village(reads, village, elected_on, entries))
        except ValidationError as invalid:
            if not keyed:
                raise
            errors.setdefault(village.name, []).extend(invalid.messages)
        except Conflict as conflict:
            if not keyed:
                raise
            errors.setdefault(village.name, []).append(str(conflict))
    if errors:
        raise ValidationError(errors)
    return _write_results(actor, election, plans)


@transaction.atomic
def record_results(
    *, actor, election: Election, village: Division, elected_on: date, entries: Sequence[Elected]
) -> list[Result]:
    """Record a village's results: every sitting term of its committee ends (换届) the day the new terms start,
    the elected open their terms (a re-elected member gets a new one; a reserve from the pool is used through
    the pipeline), and the outgoing secretary and chair get a handover record. All or nothing."""
    return _record(actor, election, [(village, elected_on, entries)], keyed=False)


@transaction.atomic
def record_many_results(*, actor, election: Election, villages: Sequence[VillageResults]) -> list[Result]:
    """Results of many villages in one go (a township's form, an Excel sheet): all or nothing; each error is
    keyed by the village's name. The same checks and writes as `record_results`, every village checked
    before anything is written, the reads and writes batched across villages."""
    return _record(actor, election, villages, keyed=True)


# --- Handovers -----------------------------------------------------------------------------------------------


@transaction.atomic
def update_handover(
    *, actor, handover: Handover, audit_done: bool, handed_over_on: date | None, note: str = ""
) -> Handover:
    """离任交接: the economic responsibility audit done or not, and the handover date."""
    handover = visible_locked(actor, handover, "term")
    require_editor(actor)
    errors: dict[str, str] = {}
    if handed_over_on is not None:
        if handed_over_on > today():
            errors["handed_over_on"] = f"交接日期 {handed_over_on:%Y-%m-%d} 不能晚于今天"
        elif handover.term.end is not None and handed_over_on < handover.term.end:
            errors["handed_over_on"] = f"交接日期不能早于离任日期 {handover.term.end:%Y-%m-%d}"
    note = (note or "").strip()
    if len(note) > 200:
        errors["note"] = "说明不能超过 200 字"
    raise_errors(errors)
    handover.audit_done, handover.handed_over_on, handover.note = audit_done, handed_over_on, note
    _save(handover, actor)
    return handover
