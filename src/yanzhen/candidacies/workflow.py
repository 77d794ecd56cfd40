"""The state machine of a candidacy: every transition lives here, and nowhere else changes `state`.

    nominated ─┬─ vet ────────────→ vetted ── inspect ─→ inspected ─┬─ decide ─→ decided ── start_notice ─→ in_notice
               └─ vet (failed) ───→ rejected                         └─ decide (未通过) ─→ rejected
    in_notice ─┬─ enter_pool (after the notice end, no open objection) ─→ in_pool ─┬─ promote ─→ promoted
               └─ resolve_objection (upheld) ─→ rejected                            └─ remove ──→ removed

Each transition is a service function taking the acting user. It checks, in this order: jurisdiction
(outside it: Http404, as if the candidacy did not exist), role (PermissionDenied for readers), the current
state (IllegalTransition, answered 409 by the API), then its data (ValidationError with Chinese messages
keyed by field). Only then does it write, in one transaction with the candidacy row locked: the state and
dates with field history naming the actor, the step's own record (Vetting, Inspection ...) and one
CandidacyEvent for the timeline. A refused transition writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone, translation

from yanzhen.accounts.roles import Role
from yanzhen.candidacies.models import (
    TERMINAL_STATES,
    Candidacy,
    CandidacyEvent,
    CandidacyState,
    CandidacyTarget,
    Decision,
    Inspection,
    NegativeListItem,
    NominationWay,
    Objection,
    Pairing,
    PublicNotice,
    Readiness,
    RemovalReason,
    Vetting,
    VettingItem,
)
from yanzhen.candidacies.rules import check_notice_period, check_secretary_rules, rules_for
from yanzhen.core.api_errors import Conflict
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.divisions.codes import CODE_LENGTH, Level
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person
from yanzhen.posts.models import PostType, Seat

State = CandidacyState

# The only allowed moves. Terminal states (promoted, removed, rejected) have none: a removed or rejected
# person is nominated again as a new candidacy.
TRANSITIONS: dict[str, frozenset[str]] = {
    State.NOMINATED: frozenset({State.VETTED, State.REJECTED}),
    State.VETTED: frozenset({State.INSPECTED}),
    State.INSPECTED: frozenset({State.DECIDED, State.REJECTED}),
    State.DECIDED: frozenset({State.IN_NOTICE}),
    State.IN_NOTICE: frozenset({State.IN_POOL, State.REJECTED}),
    State.IN_POOL: frozenset({State.PROMOTED, State.REMOVED}),
}

# Chinese names for messages, whatever the interface language (the labels are translated for pages).
STATE_NAMES = {
    State.NOMINATED: "推荐",
    State.VETTED: "资格审查",
    State.INSPECTED: "考察",
    State.DECIDED: "研究确定",
    State.IN_NOTICE: "公示",
    State.IN_POOL: "在库",
    State.PROMOTED: "已使用",
    State.REMOVED: "出库",
    State.REJECTED: "未通过",
}

SECRETARY = "secretary"  # the post type code of 村党组织书记


def chinese(label) -> str:
    """A code label in Chinese, whatever language is active: timeline summaries are stored, not rendered."""
    with translation.override("zh-hans"):
        return str(label)


class WorkflowConflict(Conflict):
    """The candidacy's state does not allow this action (HTTP 409). The message is Chinese."""


class IllegalTransition(WorkflowConflict):
    def __init__(self, from_state: str, to_state: str):
        self.from_state, self.to_state = from_state, to_state
        super().__init__(f"不能从“{state_name(from_state)}”直接转为“{state_name(to_state)}”")


def state_name(state: str) -> str:
    return STATE_NAMES.get(state, state)  # type: ignore[call-overload]


def allowed_next(state: str) -> list[str]:
    """The states a candidacy may move to, in the order of the procedure."""
    targets = TRANSITIONS.get(state, frozenset())
    return [s for s in State.values if s in targets]


def today() -> date:
    return timezone.localdate()


# ---------------------------------------------------------------------------------------------------------
# Access, locking and the timeline


def may_nominate(actor, village: Division) -> bool:
    """Administrators and township clerks nominate in their jurisdiction; a village secretary in his own
    village only."""
    if actor.can_edit:
        return True
    return actor.has_role(Role.VILLAGE_SECRETARY) and actor.division_id == village.code


def may_decide(actor) -> bool:
    return actor.can_edit


def _check_access(actor, code: str, *, nominating: bool = False, village: Division | None = None) -> None:
    if not code_in_jurisdiction(actor, code):
        raise Http404
    allowed = may_nominate(actor, village) if nominating and village is not None else may_decide(actor)
    if not allowed:
        raise PermissionDenied


def _fetch_locked(actor, candidacy: Candidacy) -> Candidacy:
    """Jurisdiction and role checks, then the candidacy locked for the rest of the transaction."""
    visible = (
        Candidacy.objects.restrict(actor).filter(pk=candidacy.pk).values_list("village_id", flat=True).first()
    )
    if visible is None:
        raise Http404
    _check_access(actor, visible)
    return (
        Candidacy.objects.select_for_update(of=("self",))
        .select_related("person", "village", "public_notice")
        .get(pk=candidacy.pk)
    )


def _lock(actor, candidacy: Candidacy, source: str, to: str) -> Candidacy:
    """The candidacy, locked, when it stands in `source`: each transition function starts from one state
    (reaching "rejected" from the vetting is not reaching it from the committee)."""
    locked = _fetch_locked(actor, candidacy)
    if locked.state != source or to not in TRANSITIONS.get(source, frozenset()):
        raise IllegalTransition(locked.state, to)
    return locked


def last_step_on(candidacy: Candidacy) -> date | None:
    return candidacy.events.order_by("-on").values_list("on", flat=True).first()


def _check_date(errors: dict[str, str], candidacy: Candidacy, on: date | None, field: str = "on") -> None:
    if on is None:
        errors[field] = "请填写日期"
        return
    if on > today():
        errors[field] = f"日期 {on:%Y-%m-%d} 不能晚于今天"
        return
    previous = last_step_on(candidacy)
    if previous is not None and on < previous:
        errors[field] = f"日期 {on:%Y-%m-%d} 不能早于上一步的日期 {previous:%Y-%m-%d}"


def _record(
    actor,
    candidacy: Candidacy,
    from_state: str,
    to_state: str,
    *,
    on: date,
    summary: str,
    data: dict[str, Any] | None = None,
    note: str = "",
) -> CandidacyEvent:
    return CandidacyEvent.objects.create(
        candidacy=candidacy,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        on=on,
        summary=summary[:200],
        data=data or {},
        note=note,
    )


def _move(actor, candidacy: Candidacy, to: str, *, on: date, summary: str, data=None, note: str = "") -> None:
    from_state = candidacy.state
    candidacy.state = to
    candidacy._history_user = actor  # type: ignore[attr-defined]
    candidacy.save()
    if to in TERMINAL_STATES:
        # The targets stop counting for "one active candidacy per person per post".
        CandidacyTarget.objects.filter(candidacy=candidacy).update(active=False)
    _record(actor, candidacy, from_state, to, on=on, summary=summary, data=data, note=note)


def _save(instance, actor) -> None:
    instance._history_user = actor
    instance.save()


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


# ---------------------------------------------------------------------------------------------------------
# 推荐 nominate


@transaction.atomic
def nominate(
    *,
    actor,
    person: Person,
    post_types: Sequence[PostType],
    nomination_way: str,
    on: date,
    village: Division | None = None,
    recommender: str = "",
    pairing: str = Pairing.NONE,
    pairing_members: str = "",
    readiness: str = Readiness.ONE_TO_TWO_YEARS,
    key_cultivation: bool = False,
    note: str = "",
) -> Candidacy:
    """Recommend a person as a reserve for posts of a village (his own village unless given)."""
    if not Person.objects.restrict(actor).filter(pk=person.pk).exists():
        raise Http404
    village = village or person.village
    _check_access(actor, village.code, nominating=True, village=village)
    errors: dict[str, str] = {}
    if village.level != Level.VILLAGE:
        errors["village"] = f"后备人选须针对村级单位的职位，{village.name} 不是村级单位"
    post_types = list(dict.fromkeys(post_types))
    if not post_types:
        errors["post_types"] = "请至少选择一个拟培养岗位"
    if nomination_way not in NominationWay.values:
        errors["nomination_way"] = "请选择推荐方式"
    if pairing not in Pairing.values:
        errors["pairing"] = "结对方式须为无、“1+1”或“1+N”"
    elif pairing != Pairing.NONE and not pairing_members.strip():
        errors["pairing_members"] = f"“{pairing}”结对须填写结对的驻村工作队员"
    if readiness not in Readiness.values:
        errors["readiness"] = "请选择成熟度"
    if on is None:
        errors["on"] = "请填写推荐日期"
    elif on > today():
        errors["on"] = f"推荐日期 {on:%Y-%m-%d} 不能晚于今天"
    elif "village" not in errors and any(post.code == SECRETARY for post in post_types):
        problems = check_secretary_rules(rules_for(village), person, on)
        if problems:
            errors["post_types"] = "；".join(problems)
    if "post_types" not in errors and post_types:
        taken = (
            CandidacyTarget.objects.filter(
                person=person, village=village, post_type__in=post_types, active=True
            )
            .select_related("post_type", "candidacy")
            .first()
        )
        if taken is not None:
            errors["post_types"] = (
                f"{person.name}已是{village.name}“{taken.post_type.name}”的后备人选（当前：{state_name(taken.candidacy.state)}），"
                "同一职位不能同时有两个在办的后备人选记录"
            )
    _raise(errors)
    candidacy = Candidacy(
        person=person,
        village=village,
        nomination_way=nomination_way,
        recommender=recommender.strip(),
        pairing=pairing,
        pairing_members=pairing_members.strip() if pairing != Pairing.NONE else "",
        readiness=readiness,
        key_cultivation=key_cultivation,
        nominated_on=on,
        created_by=actor,
    )
    _save(candidacy, actor)
    try:
        with transaction.atomic():
            CandidacyTarget.objects.bulk_create(
                CandidacyTarget(candidacy=candidacy, post_type=post, person=person, village=village)
                for post in post_types
            )
    except IntegrityError:
        # Another clerk nominated the same person for the same post a moment ago.
        raise ValidationError(
            {
                "post_types": f"{person.name}已是本村同一职位的后备人选，同一职位不能同时有两个在办的后备人选记录"
            }
        ) from None
    _record(
        actor,
        candidacy,
        "",
        State.NOMINATED,
        on=on,
        summary=f"{chinese(NominationWay(nomination_way).label)}：{'、'.join(post.name for post in post_types)}",
        data={
            "nomination_way": nomination_way,
            "recommender": candidacy.recommender,
            "targets": [post.code for post in post_types],
            "pairing": pairing,
            "pairing_members": candidacy.pairing_members,
        },
        note=note,
    )
    return candidacy


# ---------------------------------------------------------------------------------------------------------
# 资格审查 vet


@transaction.atomic
def vet(
    *,
    actor,
    candidacy: Candidacy,
    passed: bool,
    failed_items: Iterable[NegativeListItem] = (),
    on: date,
    note: str = "",
) -> Candidacy:
    """Check the nominee against the negative list item by item: clear of all → vetted; any item failed →
    rejected, naming the items."""
    to = State.VETTED if passed else State.REJECTED
    candidacy = _lock(actor, candidacy, State.NOMINATED, to)
    errors: dict[str, str] = {}
    _check_date(errors, candidacy, on)
    items = list(NegativeListItem.objects.all())
    failed_ids = {item.pk for item in failed_items}
    unknown = failed_ids - {item.pk for item in items}
    if unknown:
        errors["failed_items"] = "所选负面清单项目不存在"
    elif passed and failed_ids:
        errors["failed_items"] = "资格审查通过时不能有未通过的负面清单项目"
    elif not passed and not failed_ids:
        errors["failed_items"] = "资格审查不通过时须勾选未通过的负面清单项目"
    _raise(errors)
    vetting = Vetting(candidacy=candidacy, on=on, passed=passed, note=note)
    _save(vetting, actor)
    VettingItem.objects.bulk_create(
        VettingItem(vetting=vetting, item=item, passed=item.pk not in failed_ids) for item in items
    )
    failed = [item.name for item in items if item.pk in failed_ids]
    _move(
        actor,
        candidacy,
        to,
        on=on,
        summary="资格审查通过" if passed else "资格审查不通过：" + "；".join(failed),
        data={"checked": len(items), "failed_items": failed},
        note=note,
    )
    return candidacy


# ---------------------------------------------------------------------------------------------------------
# 考察 inspect


@transaction.atomic
def inspect(
    *,
    actor,
    candidacy: Candidacy,
    on: date,
    inspectors: str,
    people_talked_to: int,
    votes_for: int,
    votes_against: int,
    votes_abstaining: int,
    findings: str,
    note: str = "",
) -> Candidacy:
    """The township's inspection: interviews and the 民主测评 vote."""
    candidacy = _lock(actor, candidacy, State.VETTED, State.INSPECTED)
    errors: dict[str, str] = {}
    _check_date(errors, candidacy, on)
    inspectors = (inspectors or "").strip()
    findings = (findings or "").strip()
    if not inspectors:
        errors["inspectors"] = "请填写考察组成员"
    numbers = {
        "people_talked_to": ("谈话人数", people_talked_to),
        "votes_for": ("民主测评赞成票", votes_for),
        "votes_against": ("民主测评反对票", votes_against),
        "votes_abstaining": ("民主测评弃权票", votes_abstaining),
    }
    for field, (label, value) in numbers.items():
        if value is None or value < 0:
            errors[field] = f"{label}须为不小于 0 的整数"
    if not findings:
        errors["findings"] = "请填写考察意见"
    _raise(errors)
    inspection = Inspection(
        candidacy=candidacy,
        on=on,
        inspectors=inspectors,
        people_talked_to=people_talked_to,
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstaining=votes_abstaining,
        findings=findings,
    )
    _save(inspection, actor)
    _move(
        actor,
        candidacy,
        State.INSPECTED,
        on=on,
        summary=f"考察：谈话 {people_talked_to} 人，民主测评赞成 {votes_for}、反对 {votes_against}、弃权 {votes_abstaining}",
        data={
            "inspectors": inspectors,
            "people_talked_to": people_talked_to,
            "votes_for": votes_for,
            "votes_against": votes_against,
            "votes_abstaining": votes_abstaining,
        },
        note=note,
    )
    return candidacy


# ---------------------------------------------------------------------------------------------------------
# 研究确定 decide


@transaction.atomic
def decide(*, actor, candidacy: Candidacy, passed: bool, on: date, note: str = "") -> Candidacy:
    """The township party committee's meeting: decided, or 未通过 (rejected)."""
    to = State.DECIDED if passed else State.REJECTED
    candidacy = _lock(actor, candidacy, State.INSPECTED, to)
    errors: dict[str, str] = {}
    _check_date(errors, candidacy, on)
    if not passed and not (note or "").strip():
        errors["note"] = "未通过时请写明理由"
    _raise(errors)
    _save(Decision(candidacy=candidacy, meeting_on=on, passed=passed, note=note), actor)
    _move(
        actor,
        candidacy,
        to,
        on=on,
        summary="镇党委研究确定" if passed else "镇党委研究未通过",
        data={"meeting_on": on.isoformat(), "passed": passed},
        note=note,
    )
    return candidacy


# ---------------------------------------------------------------------------------------------------------
# 公示 start the public notice (one candidacy, or every decided candidacy of a township at once)


def _issuer(township: Division) -> str:
    return f"中共{township.name}委员会"


def _start_notices(
    actor,
    candidacies: list[Candidacy],
    township: Division,
    start,
    end,
    note: str,
    supervision_phone: str | None = None,
) -> PublicNotice:
    rules = rules_for(township)
    errors = check_notice_period(rules, start, end)
    # The notice prints the phone the clerk gave, else the county's: the API may leave it out.
    phone = rules.supervision_phone if supervision_phone is None else supervision_phone.strip()
    if len(phone) > 40:
        errors["supervision_phone"] = "监督电话不能超过 40 个字符"
    if "start" not in errors:
        for candidacy in candidacies:
            previous = last_step_on(candidacy)
            if previous is not None and start < previous:
                errors["start"] = (
                    f"公示开始日期不能早于{candidacy.person.name}的研究确定日期 {previous:%Y-%m-%d}"
                )
                break
    _raise(errors)
    notice = PublicNotice.objects.create(
        township=township,
        start=start,
        end=end,
        supervision_phone=phone,
        issuer=_issuer(township),
        created_by=actor,
    )
    for candidacy in candidacies:
        candidacy.public_notice = notice
        _move(
            actor,
            candidacy,
            State.IN_NOTICE,
            on=start,
            summary=f"公示 {start:%Y-%m-%d} 至 {end:%Y-%m-%d}",
            data={"notice": notice.pk, "start": start.isoformat(), "end": end.isoformat()},
            note=note,
        )
    return notice


def _township_of(village: Division) -> Division:
    return Division.objects.get(code=village.code[: CODE_LENGTH[Level.TOWNSHIP]])


@transaction.atomic
def start_notice(
    *,
    actor,
    candidacy: Candidacy,
    start: date,
    end: date,
    note: str = "",
    supervision_phone: str | None = None,
) -> Candidacy:
    """Start the 公示 of one decided candidacy; the period must hold the county's working days. Without a
    supervision phone the notice prints the county's."""
    candidacy = _lock(actor, candidacy, State.DECIDED, State.IN_NOTICE)
    _start_notices(actor, [candidacy], _township_of(candidacy.village), start, end, note, supervision_phone)
    return candidacy


@transaction.atomic
def start_notices_for_selected(
    *,
    actor,
    candidacies: Sequence[Candidacy],
    start: date,
    end: date,
    note: str = "",
    supervision_phone: str | None = None,
) -> list[PublicNotice]:
    """Start the 公示 of chosen decided candidacies (the list's bulk action): one notice per township, as
    on the village notice boards; all of them or none."""
    if not candidacies:
        raise ValidationError({"candidacies": "请至少勾选一名已研究确定、待公示的后备人选"})
    # Locked in one order, so two clerks' overlapping selections cannot deadlock.
    locked = [_fetch_locked(actor, candidacy) for candidacy in sorted(candidacies, key=lambda c: c.pk)]
    waiting = [candidacy for candidacy in locked if candidacy.state != State.DECIDED]
    if waiting:
        names = "、".join(
            f"{candidacy.person.name}（{state_name(candidacy.state)}）" for candidacy in waiting[:5]
        )
        raise ValidationError({"candidacies": f"只有“研究确定”的后备人选才能开始公示，所选人员中{names}不是"})
    by_township: dict[str, list[Candidacy]] = {}
    for candidacy in sorted(locked, key=lambda c: (c.village_id, c.person.name, c.pk)):
        by_township.setdefault(candidacy.village_id[: CODE_LENGTH[Level.TOWNSHIP]], []).append(candidacy)
    townships = Division.objects.in_bulk(list(by_township))
    return [
        _start_notices(actor, group, townships[code], start, end, note, supervision_phone)
        for code, group in sorted(by_township.items())
    ]


@transaction.atomic
def start_notices_for_township(
    *,
    actor,
    township: Division,
    start: date,
    end: date,
    note: str = "",
    supervision_phone: str | None = None,
) -> PublicNotice:
    """Start one 公示 for every decided candidacy of the township's villages: all of them or none."""
    _check_access(actor, township.code)
    if township.level != Level.TOWNSHIP:
        raise ValidationError({"township": f"{township.name} 不是乡镇级单位"})
    ids = list(
        Candidacy.objects.restrict(actor)
        .filter(village__code__startswith=township.code, state=State.DECIDED)
        .values_list("pk", flat=True)
    )
    locked = list(
        Candidacy.objects.select_for_update()
        .filter(pk__in=ids, state=State.DECIDED)
        .values_list("pk", flat=True)
    )
    candidacies = list(
        Candidacy.objects.filter(pk__in=locked)
        .select_related("person", "village")
        .order_by("village_id", "person__name")
    )
    if not candidacies:
        raise ValidationError({"township": f"{township.name}没有已研究确定、待公示的后备人选"})
    return _start_notices(actor, candidacies, township, start, end, note, supervision_phone)


# ---------------------------------------------------------------------------------------------------------
# Objections during the 公示


@transaction.atomic
def record_objection(*, actor, candidacy: Candidacy, received_on: date, content: str) -> Objection:
    """An objection received during the notice period. It must be resolved before the candidacy enters the
    pool; upheld, it rejects the candidacy."""
    candidacy = _lock_for_notice(actor, candidacy)
    notice = candidacy.public_notice
    errors: dict[str, str] = {}
    content = (content or "").strip()
    if not content:
        errors["content"] = "请填写异议内容"
    if received_on is None:
        errors["received_on"] = "请填写收到异议的日期"
    elif received_on > today():
        errors["received_on"] = "收到异议的日期不能晚于今天"
    elif notice is not None and not notice.start <= received_on <= notice.end:
        errors["received_on"] = f"异议须在公示期内（{notice.start:%Y-%m-%d} 至 {notice.end:%Y-%m-%d}）收到"
    _raise(errors)
    objection = Objection(candidacy=candidacy, received_on=received_on, content=content)
    _save(objection, actor)
    _record(
        actor,
        candidacy,
        State.IN_NOTICE,
        State.IN_NOTICE,
        on=received_on,
        summary="收到异议",
        data={"objection": objection.pk},
        note=content,
    )
    return objection


def _lock_for_notice(actor, candidacy: Candidacy) -> Candidacy:
    candidacy = _fetch_locked(actor, candidacy)
    if candidacy.state != State.IN_NOTICE:
        raise WorkflowConflict(
            f"只有处于“公示”的后备人选才能登记或处理异议，当前为“{state_name(candidacy.state)}”"
        )
    return candidacy


@transaction.atomic
def resolve_objection(*, actor, objection: Objection, upheld: bool, on: date, resolution: str) -> Objection:
    """Resolve an objection after looking into it. Upheld (异议成立): the candidacy is rejected."""
    candidacy = _lock_for_notice(actor, objection.candidacy)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    errors: dict[str, str] = {}
    if objection.resolved_on is not None:
        errors["objection"] = f"该异议已于 {objection.resolved_on:%Y-%m-%d} 处理"
    resolution = (resolution or "").strip()
    if not resolution:
        errors["resolution"] = "请填写核查处理意见"
    if on is None:
        errors["on"] = "请填写处理日期"
    elif on > today():
        errors["on"] = "处理日期不能晚于今天"
    elif on < objection.received_on:
        errors["on"] = f"处理日期不能早于收到异议的日期 {objection.received_on:%Y-%m-%d}"
    _raise(errors)
    objection.resolved_on, objection.upheld, objection.resolution = on, upheld, resolution
    _save(objection, actor)
    if upheld:
        _move(
            actor,
            candidacy,
            State.REJECTED,
            on=on,
            summary="公示异议经核查属实，取消后备人选资格",
            data={"objection": objection.pk, "upheld": True},
            note=resolution,
        )
    else:
        _record(
            actor,
            candidacy,
            State.IN_NOTICE,
            State.IN_NOTICE,
            on=on,
            summary="异议经核查不属实",
            data={"objection": objection.pk, "upheld": False},
            note=resolution,
        )
    return objection


# ---------------------------------------------------------------------------------------------------------
# 在库 enter the pool


@transaction.atomic
def enter_pool(*, actor, candidacy: Candidacy, on: date, note: str = "") -> Candidacy:
    """公示结束, 无异议, 入库: only after the notice end and when every objection is resolved."""
    candidacy = _lock(actor, candidacy, State.IN_NOTICE, State.IN_POOL)
    errors: dict[str, str] = {}
    _check_date(errors, candidacy, on)
    notice = candidacy.public_notice
    if "on" not in errors and notice is not None and on <= notice.end:
        errors["on"] = (
            f"公示期至 {notice.end:%Y-%m-%d} 结束，{notice.end + timedelta(days=1):%Y-%m-%d} 起方可入库"
        )
    open_objections = candidacy.objections.filter(resolved_on__isnull=True).count()
    if open_objections:
        errors["objections"] = f"尚有 {open_objections} 条异议未处理，处理后方可入库"
    _raise(errors)
    candidacy.entered_pool_on = on
    _move(actor, candidacy, State.IN_POOL, on=on, summary="公示期满无异议，纳入后备力量人才库", note=note)
    return candidacy


# ---------------------------------------------------------------------------------------------------------
# 使用 promote, 出库 remove


@transaction.atomic
def promote(*, actor, candidacy: Candidacy, seat: Seat, on: date, note: str = "") -> Candidacy:
    """Use the reserve: his candidacy ends and his term in the seat starts on the same day."""
    from yanzhen.posts import services as post_services

    candidacy = _lock(actor, candidacy, State.IN_POOL, State.PROMOTED)
    errors: dict[str, str] = {}
    _check_date(errors, candidacy, on)
    seat = Seat.objects.select_related("village", "post_type").get(pk=seat.pk)
    if seat.village_id != candidacy.village_id:
        errors["seat"] = f"只能使用到{candidacy.village.name}的职位"
    else:
        occupied = (
            seat.terms.filter(Q(end__isnull=True) | Q(end__gt=on or today())).select_related("person").first()
        )
        if occupied is not None:
            errors["seat"] = f"该职位现任{occupied.person.name}的任期尚未结束，请先结束任期或办理交接"
    _raise(errors)
    term = post_services.appoint(actor=actor, seat=seat, person=candidacy.person, start=on)
    candidacy.promoted_on = on
    candidacy.term = term
    _move(
        actor,
        candidacy,
        State.PROMOTED,
        on=on,
        summary=f"使用：任{seat}",
        data={"seat": seat.pk, "post_type": seat.post_type.code, "term": term.pk},
        note=note,
    )
    return candidacy


@transaction.atomic
def remove(*, actor, candidacy: Candidacy, reason: str, on: date, note: str = "") -> Candidacy:
    """出库 with a reason (清理出库); the person may be nominated again later as a new candidacy."""
    candidacy = _lock(actor, candidacy, State.IN_POOL, State.REMOVED)
    errors: dict[str, str] = {}
    _check_date(errors, candidacy, on)
    note = (note or "").strip()
    if not reason:
        errors["reason"] = "出库须选择原因"
    elif reason not in RemovalReason.values:
        errors["reason"] = f"出库原因 {reason} 不在规定的原因中"
    elif reason == RemovalReason.OTHER and not note:
        errors["note"] = "出库原因为“其他”时须写明具体情况"
    if len(note) > 300:
        errors["note"] = "说明不能超过 300 字"
    _raise(errors)
    candidacy.removed_on, candidacy.removal_reason, candidacy.removal_note = on, reason, note
    _move(
        actor,
        candidacy,
        State.REMOVED,
        on=on,
        summary=f"出库：{chinese(RemovalReason(reason).label)}",
        data={"reason": reason},
        note=note,
    )
    return candidacy


# ---------------------------------------------------------------------------------------------------------
# 花名册导入入库 import into the pool: a roster (花名册) lists people who are ALREADY in the pool, so the
# rosters app creates their candidacies directly in the pool with the roster's entry date, without the
# steps before it. The timeline says so ("花名册导入入库") and names the import; the field history carries
# the import's change reason.

IMPORT_SUMMARY = "花名册导入入库"


@dataclass
class PoolEntry:
    """One in-pool candidacy to create from an import (validated by the caller)."""

    person: Person
    village: Division
    post_types: Sequence[PostType]
    entered_pool_on: date


@dataclass
class PoolAmendment:
    """What a re-import changes on an in-pool candidacy: posts to add, a corrected entry date (or None)."""

    candidacy: Candidacy
    add_post_types: Sequence[PostType] = ()
    entered_pool_on: date | None = None


def _import_data(import_run) -> dict[str, Any]:
    return {"import_run": import_run.pk, "sha256": import_run.sha256, "file_name": import_run.file_name}


def import_many_into_pool(
    *, actor, entries: Sequence[PoolEntry], import_run, change_reason: str
) -> list[Candidacy]:
    """Create in-pool candidacies in bulk (the rosters importer, inside its transaction). The caller has
    checked the jurisdiction, the role and every entry: nothing is checked again here."""
    candidacies = [
        Candidacy(
            person=entry.person,
            village=entry.village,
            state=State.IN_POOL,
            nomination_way="",  # unknown: the roster does not say how the person was once recommended
            nominated_on=entry.entered_pool_on,
            entered_pool_on=entry.entered_pool_on,
            created_by=actor,
        )
        for entry in entries
    ]
    Candidacy.objects.bulk_create(candidacies, batch_size=500)
    Candidacy.history.bulk_history_create(
        candidacies, batch_size=500, default_user=actor, default_change_reason=change_reason
    )
    CandidacyTarget.objects.bulk_create(
        (
            CandidacyTarget(candidacy=candidacy, post_type=post, person=entry.person, village=entry.village)
            for candidacy, entry in zip(candidacies, entries, strict=True)
            for post in entry.post_types
        ),
        batch_size=1000,
    )
    data = _import_data(import_run)
    CandidacyEvent.objects.bulk_create(
        (
            CandidacyEvent(
                candidacy=candidacy,
                from_state="",
                to_state=State.IN_POOL,
                actor=actor,
                on=entry.entered_pool_on,
                summary=f"{IMPORT_SUMMARY}：{'、'.join(post.name for post in entry.post_types)}"[:200],
                data={**data, "targets": [post.code for post in entry.post_types]},
            )
            for candidacy, entry in zip(candidacies, entries, strict=True)
        ),
        batch_size=1000,
    )
    return candidacies


def amend_imported_pool(
    *, actor, amendments: Sequence[PoolAmendment], import_run, change_reason: str
) -> None:
    """Apply a re-import to candidacies already in the pool: add the posts the roster adds, correct the entry
    date it gives. Checked by the caller, like `import_many_into_pool`."""
    dated = [amendment for amendment in amendments if amendment.entered_pool_on is not None]
    for amendment in dated:
        candidacy = amendment.candidacy
        candidacy.entered_pool_on = amendment.entered_pool_on
        if candidacy.nominated_on > amendment.entered_pool_on:
            candidacy.nominated_on = amendment.entered_pool_on
    if dated:
        changed = [amendment.candidacy for amendment in dated]
        Candidacy.objects.bulk_update(changed, ["entered_pool_on", "nominated_on"], batch_size=500)
        Candidacy.history.bulk_history_create(
            changed, batch_size=500, update=True, default_user=actor, default_change_reason=change_reason
        )
    CandidacyTarget.objects.bulk_create(
        (
            CandidacyTarget(
                candidacy=amendment.candidacy,
                post_type=post,
                person_id=amendment.candidacy.person_id,
                village_id=amendment.candidacy.village_id,
            )
            for amendment in amendments
            for post in amendment.add_post_types
        ),
        batch_size=1000,
    )
    data = _import_data(import_run)
    on = today()
    events = []
    for amendment in amendments:
        parts = []
        if amendment.entered_pool_on is not None:
            parts.append(f"入库时间改为 {amendment.entered_pool_on:%Y-%m-%d}")
        if amendment.add_post_types:
            parts.append("增加拟培养岗位" + "、".join(post.name for post in amendment.add_post_types))
        events.append(
            CandidacyEvent(
                candidacy=amendment.candidacy,
                from_state=State.IN_POOL,
                to_state=State.IN_POOL,
                actor=actor,
                on=on,
                summary=f"花名册导入：{'；'.join(parts)}"[:200],
                data={**data, "targets_added": [post.code for post in amendment.add_post_types]},
            )
        )
    CandidacyEvent.objects.bulk_create(events, batch_size=1000)


@transaction.atomic
def import_into_pool(
    *,
    actor,
    person: Person,
    village: Division,
    post_types: Sequence[PostType],
    entered_pool_on: date,
    import_run,
) -> Candidacy:
    """One person a roster (or a cadre form) lists as already in the pool: an in-pool candidacy with its entry
    date, recorded in the timeline as "花名册导入入库". `actor` None is the console operator."""
    if actor is not None:
        if not Person.objects.restrict(actor).filter(pk=person.pk).exists():
            raise Http404
        _check_access(actor, village.code)
    errors: dict[str, str] = {}
    if village.level != Level.VILLAGE:
        errors["village"] = f"后备人选须针对村级单位的职位，{village.name} 不是村级单位"
    post_types = list(dict.fromkeys(post_types))
    if not post_types:
        errors["post_types"] = "请至少选择一个拟培养岗位"
    if entered_pool_on is None:
        errors["entered_pool_on"] = "请填写入库时间"
    elif entered_pool_on > today():
        errors["entered_pool_on"] = f"入库时间 {entered_pool_on:%Y-%m-%d} 不能晚于今天"
    taken = CandidacyTarget.objects.filter(
        person=person, village=village, post_type__in=post_types, active=True
    ).first()
    if taken is not None:
        errors["post_types"] = f"{person.name}已是{village.name}“{taken.post_type.name}”的后备人选"
    _raise(errors)
    [candidacy] = import_many_into_pool(
        actor=actor,
        entries=[PoolEntry(person, village, post_types, entered_pool_on)],
        import_run=import_run,
        change_reason=import_run.change_reason,
    )
    return candidacy
