"""The state machine of a candidacy: the transition functions, and the machinery every one of them shares.

    nominated ─┬─ vet ────────────→ vetted ── inspect ─→ inspected ─┬─ decide ─→ decided ── start_notice ─→ in_notice
               └─ vet (failed) ───→ rejected                         └─ decide (未通过) ─→ rejected
    in_notice ─┬─ enter_pool (after the notice end, no open objection) ─→ in_pool ─┬─ promote ─→ promoted
               └─ resolve_objection (upheld) ─→ rejected                            └─ remove ──→ removed

The table of allowed moves, each declared once with its function, form and label, is `transitions.py`; the
公示 and its objections are `notice.py`; the rosters' import straight into the pool is `pool_import.py`.
Nothing else changes `state`.

Each transition is a service function taking the acting user. It checks, in this order: jurisdiction
(outside it: Http404, as if the candidacy did not exist), role (PermissionDenied for readers), the current
state (IllegalTransition, answered 409 by the API), then its data (ValidationError with Chinese messages
keyed by field). Only then does it write, in one transaction with the candidacy row locked: the state and
dates with field history naming the actor, the step's own record (Vetting, Inspection ...) and one
CandidacyEvent for the timeline. A refused transition writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.utils import translation
from simple_history.utils import bulk_update_with_history

from yanzhen.accounts.roles import Role
from yanzhen.candidacies import vetting_checks
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
    Pairing,
    Readiness,
    RemovalReason,
    Vetting,
    VettingItem,
)
from yanzhen.candidacies.rules import check_secretary_rules, rules_for
from yanzhen.core.api_errors import Conflict
from yanzhen.core.guards import attribute_to, raise_errors, require_editor, today
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.core.locking import visible_locked
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person
from yanzhen.posts.models import Destination, PostType, Seat

State = CandidacyState

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


# ---------------------------------------------------------------------------------------------------------
# Access, locking and the timeline (shared with `notice`)


def may_nominate(actor, village: Division) -> bool:
    """Administrators and township clerks nominate in their jurisdiction; a village secretary in his own
    village only."""
    if actor.can_edit:
        return True
    return actor.has_role(Role.VILLAGE_SECRETARY) and actor.division_id == village.code


def may_decide(actor) -> bool:
    return actor.can_edit


def check_access(actor, code: str, *, nominating: bool = False, village: Division | None = None) -> None:
    if not code_in_jurisdiction(actor, code):
        raise Http404
    allowed = may_nominate(actor, village) if nominating and village is not None else may_decide(actor)
    if not allowed:
        raise PermissionDenied


def fetch_locked(actor, candidacy: Candidacy) -> Candidacy:
    """The candidacy re-read inside the actor's jurisdiction (404) and locked for the rest of the transaction
    in the same query, then the role (403): a service does not trust the object it was handed."""
    locked = visible_locked(actor, candidacy, "person", "village", "public_notice")
    require_editor(actor)
    return locked


def lock(actor, candidacy: Candidacy, source: str, to: str) -> Candidacy:
    """The candidacy, locked, when it stands in `source`: each transition function starts from one state
    (reaching "rejected" from the vetting is not reaching it from the committee)."""
    locked = fetch_locked(actor, candidacy)
    if locked.state != source:
        raise IllegalTransition(locked.state, to)
    return locked


def last_step_on(candidacy: Candidacy) -> date | None:
    return candidacy.events.order_by("-on").values_list("on", flat=True).first()


def past_date_error(on: date | None, label: str, *, dated: bool = True) -> str:
    """The message for a missing date or one after today ("" when good); `dated` repeats the date in it."""
    if on is None:
        return f"请填写{label}"
    if on > today():
        return f"{label} {on:%Y-%m-%d} 不能晚于今天" if dated else f"{label}不能晚于今天"
    return ""


def step_date_error(on: date | None, previous: date | None) -> str:
    """The message for a step's date ("" when good): given, not after today, not before the last step."""
    if on is None:
        return "请填写日期"
    if on > today():
        return f"日期 {on:%Y-%m-%d} 不能晚于今天"
    if previous is not None and on < previous:
        return f"日期 {on:%Y-%m-%d} 不能早于上一步的日期 {previous:%Y-%m-%d}"
    return ""


def check_date(errors: dict[str, str], candidacy: Candidacy, on: date | None, field: str = "on") -> None:
    previous = None if on is None or on > today() else last_step_on(candidacy)
    error = step_date_error(on, previous)
    if error:
        errors[field] = error


def record_event(
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


def move(actor, candidacy: Candidacy, to: str, *, on: date, summary: str, data=None, note: str = "") -> None:
    from_state = candidacy.state
    candidacy.state = to
    save_by(actor, candidacy)
    if to in TERMINAL_STATES:
        # The targets stop counting for "one active candidacy per person per post".
        CandidacyTarget.objects.filter(candidacy=candidacy).update(active=False)
    record_event(actor, candidacy, from_state, to, on=on, summary=summary, data=data, note=note)


def save_by(actor, instance: models.Model) -> None:
    """Save with the field history naming the actor."""
    attribute_to(instance, actor)
    instance.save()


def place_errors(village: Division, post_types: Sequence[PostType]) -> tuple[dict[str, str], list[PostType]]:
    """What a candidacy's village and posts must be (a nomination, an import into the pool): the errors so
    far, and the posts without repetition."""
    errors: dict[str, str] = {}
    if village.level != Level.VILLAGE:
        errors["village"] = f"后备人选须针对村级单位的职位，{village.name} 不是村级单位"
    post_types = list(dict.fromkeys(post_types))
    if not post_types:
        errors["post_types"] = "请至少选择一个拟培养岗位"
    return errors, post_types


# ---------------------------------------------------------------------------------------------------------
# 推荐 nominate


def _nomination_errors(
    person: Person,
    village: Division,
    post_types: Sequence[PostType],
    *,
    nomination_way: str,
    on: date,
    pairing: str,
    pairing_members: str,
    readiness: str,
) -> tuple[dict[str, str], list[PostType]]:
    errors, post_types = place_errors(village, post_types)
    if nomination_way not in NominationWay.values:
        errors["nomination_way"] = "请选择推荐方式"
    if pairing not in Pairing.values:
        errors["pairing"] = "结对方式须为无、“1+1”或“1+N”"
    elif pairing != Pairing.NONE and not pairing_members.strip():
        errors["pairing_members"] = f"“{pairing}”结对须填写结对的驻村工作队员"
    if readiness not in Readiness.values:
        errors["readiness"] = "请选择成熟度"
    date_error = past_date_error(on, "推荐日期")
    if date_error:
        errors["on"] = date_error
    elif "village" not in errors and any(post.code == SECRETARY for post in post_types):
        problems = check_secretary_rules(rules_for(village), person, on)
        if problems:
            errors["post_types"] = "；".join(problems)
    if "post_types" not in errors:
        taken = taken_post(person, village, post_types)
        if taken is not None:
            errors["post_types"] = (
                f"{person.name}已是{village.name}“{taken.post_type.name}”的后备人选（当前：{state_name(taken.candidacy.state)}），"
                "同一职位不能同时有两个在办的后备人选记录"
            )
    return errors, post_types


def taken_post(person: Person, village: Division, post_types: Sequence[PostType]) -> CandidacyTarget | None:
    """An active candidacy of the person for one of these posts of the village, if any."""
    return (
        CandidacyTarget.objects.filter(person=person, village=village, post_type__in=post_types, active=True)
        .select_related("post_type", "candidacy")
        .first()
    )


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
    check_access(actor, village.code, nominating=True, village=village)
    errors, post_types = _nomination_errors(
        person,
        village,
        post_types,
        nomination_way=nomination_way,
        on=on,
        pairing=pairing,
        pairing_members=pairing_members,
        readiness=readiness,
    )
    raise_errors(errors)
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
    save_by(actor, candidacy)
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
    record_event(
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
    rejected, naming the items. A pass is refused while another app's record puts him on the list
    (`vetting_checks`: a 处分 in its 影响期)."""
    to = State.VETTED if passed else State.REJECTED
    candidacy = lock(actor, candidacy, State.NOMINATED, to)
    errors: dict[str, str] = {}
    check_date(errors, candidacy, on)
    items = list(NegativeListItem.objects.all())
    failed_ids = {item.pk for item in failed_items}
    unknown = failed_ids - {item.pk for item in items}
    if unknown:
        errors["failed_items"] = "所选负面清单项目不存在"
    elif passed and failed_ids:
        errors["failed_items"] = "资格审查通过时不能有未通过的负面清单项目"
    elif not passed and not failed_ids:
        errors["failed_items"] = "资格审查不通过时须勾选未通过的负面清单项目"
    elif passed and (against := vetting_checks.reasons(candidacy, on)):
        errors["failed_items"] = f"{candidacy.person.name}{'；'.join(against)}，不能通过资格审查"
    raise_errors(errors)
    vetting = Vetting(candidacy=candidacy, on=on, passed=passed, note=note)
    save_by(actor, vetting)
    VettingItem.objects.bulk_create(
        VettingItem(vetting=vetting, item=item, passed=item.pk not in failed_ids) for item in items
    )
    failed = [item.name for item in items if item.pk in failed_ids]
    move(
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
    candidacy = lock(actor, candidacy, State.VETTED, State.INSPECTED)
    errors: dict[str, str] = {}
    check_date(errors, candidacy, on)
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
    raise_errors(errors)
    counts = {field: value for field, (_label, value) in numbers.items()}
    inspection = Inspection(candidacy=candidacy, on=on, inspectors=inspectors, **counts, findings=findings)
    save_by(actor, inspection)
    move(
        actor,
        candidacy,
        State.INSPECTED,
        on=on,
        summary=f"考察：谈话 {people_talked_to} 人，民主测评赞成 {votes_for}、反对 {votes_against}、弃权 {votes_abstaining}",
        data={"inspectors": inspectors, **counts},
        note=note,
    )
    return candidacy


# ---------------------------------------------------------------------------------------------------------
# 研究确定 decide


@transaction.atomic
def decide(*, actor, candidacy: Candidacy, passed: bool, on: date, note: str = "") -> Candidacy:
    """The township party committee's meeting: decided, or 未通过 (rejected)."""
    to = State.DECIDED if passed else State.REJECTED
    candidacy = lock(actor, candidacy, State.INSPECTED, to)
    errors: dict[str, str] = {}
    check_date(errors, candidacy, on)
    if not passed and not (note or "").strip():
        errors["note"] = "未通过时请写明理由"
    raise_errors(errors)
    save_by(actor, Decision(candidacy=candidacy, meeting_on=on, passed=passed, note=note))
    move(
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
# 在库 enter the pool


@transaction.atomic
def enter_pool(*, actor, candidacy: Candidacy, on: date, note: str = "") -> Candidacy:
    """公示结束, 无异议, 入库: only after the notice end and when every objection is resolved."""
    candidacy = lock(actor, candidacy, State.IN_NOTICE, State.IN_POOL)
    errors: dict[str, str] = {}
    check_date(errors, candidacy, on)
    notice = candidacy.public_notice
    if "on" not in errors and notice is not None and on <= notice.end:
        errors["on"] = (
            f"公示期至 {notice.end:%Y-%m-%d} 结束，{notice.end + timedelta(days=1):%Y-%m-%d} 起方可入库"
        )
    open_objections = candidacy.objections.filter(resolved_on__isnull=True).count()
    if open_objections:
        errors["objections"] = f"尚有 {open_objections} 条异议未处理，处理后方可入库"
    raise_errors(errors)
    candidacy.entered_pool_on = on
    move(actor, candidacy, State.IN_POOL, on=on, summary="公示期满无异议，纳入后备力量人才库", note=note)
    return candidacy


# ---------------------------------------------------------------------------------------------------------
# 使用 promote, 出库 remove


def promotion_errors(
    candidacy: Candidacy, seat: Seat, on: date | None, *, last_step: date | None, occupant: Person | None
) -> dict[str, str]:
    """The checks of a reserve's use on what was read beforehand: the date (after the candidacy's last step),
    the seat in the candidacy's village, and free on that day (`occupant`: the person of its latest term
    still held on `on`)."""
    errors: dict[str, str] = {}
    error = step_date_error(on, last_step)
    if error:
        errors["on"] = error
    if seat.village_id != candidacy.village_id:
        errors["seat"] = f"只能使用到{candidacy.village.name}的职位"
    elif occupant is not None:
        errors["seat"] = f"该职位现任{occupant.name}的任期尚未结束，请先结束任期或办理交接"
    return errors


def last_steps(candidacy_ids: Iterable[int]) -> dict[int, date]:
    """The date of each candidacy's last step (its latest event), in one query."""
    return dict(
        CandidacyEvent.objects.filter(candidacy_id__in=set(candidacy_ids))
        .values("candidacy_id")
        .annotate(last=models.Max("on"))
        .values_list("candidacy_id", "last")
    )


def _checked_promotions(
    actor, items: Sequence[tuple[Candidacy, Seat | None, date]]
) -> list[tuple[Candidacy, Seat]]:
    """Each item checked as `promote` checks it, in order, as if the items before it were already written:
    the candidacy in the actor's jurisdiction (404, all locked in one query), the role (403), in the pool
    (409), then the seat and the date (422). The candidacies as locked, with their seats as read."""
    from yanzhen.posts import services as post_services

    locked = (
        Candidacy.objects.restrict(actor)
        .select_for_update(of=("self",))
        .select_related("person", "village", "public_notice")
        .in_bulk([candidacy.pk for candidacy, _seat, _on in items])
    )
    seats = Seat.objects.select_related("village", "post_type").in_bulk(
        [seat.pk for _candidacy, seat, _on in items if seat is not None]
    )
    since = min((on or today() for _candidacy, _seat, on in items), default=None)
    book = post_services.SeatBook.read(actor, seats, [row.person for row in locked.values()], since=since)
    steps = last_steps(locked)
    checked: list[tuple[Candidacy, Seat]] = []
    used: set[int] = set()
    for given, given_seat, on in items:
        candidacy = locked.get(given.pk)
        if candidacy is None:
            raise Http404
        require_editor(actor)
        if candidacy.state != State.IN_POOL or candidacy.pk in used:  # used: by an item before it
            raise IllegalTransition(
                State.PROMOTED if candidacy.pk in used else candidacy.state, State.PROMOTED
            )
        if given_seat is None:
            raise ValidationError({"seat": "请选择要使用到的职位"})
        if given_seat.pk not in seats:
            raise Seat.DoesNotExist("Seat matching query does not exist.")
        seat = seats[given_seat.pk]
        occupant = book.occupant(seat.pk, on or today())
        raise_errors(
            promotion_errors(candidacy, seat, on, last_step=steps.get(candidacy.pk), occupant=occupant)
        )
        raise_errors(book.appointment_errors(seat, candidacy.person, on))
        book.start(seat, candidacy.person, on)
        used.add(candidacy.pk)
        checked.append((candidacy, seat))
    return checked


@transaction.atomic
def promote_many(*, actor, items: Sequence[tuple[Candidacy, Seat, date]], note: str = "") -> list[Candidacy]:
    """`promote` for many reserves at once: the same checks, item by item as if the items before it were
    already written (the first refused refuses all), then the terms (`appoint_many`), one update of the
    candidacies with their history, their timeline events and their targets made inactive."""
    from yanzhen.posts import services as post_services

    if not items:
        return []
    checked = _checked_promotions(actor, items)
    terms = post_services.appoint_many(
        actor=actor,
        appointments=[
            (seat, candidacy.person, on)
            for (candidacy, seat), (_c, _s, on) in zip(checked, items, strict=True)
        ],
    )
    events = []
    for (candidacy, seat), term in zip(checked, terms, strict=True):
        from_state = candidacy.state
        candidacy.promoted_on, candidacy.term, candidacy.state = term.start, term, State.PROMOTED
        events.append(
            CandidacyEvent(
                candidacy=candidacy,
                from_state=from_state,
                to_state=State.PROMOTED,
                actor=actor,
                on=term.start,
                summary=f"使用：任{seat}"[:200],
                data={"seat": seat.pk, "post_type": seat.post_type.code, "term": term.pk},
                note=note,
            )
        )
    candidacies = [candidacy for candidacy, _seat in checked]
    bulk_update_with_history(candidacies, Candidacy, ["state", "promoted_on", "term"], default_user=actor)
    # The targets stop counting for "one active candidacy per person per post".
    CandidacyTarget.objects.filter(candidacy__in=candidacies).update(active=False)
    CandidacyEvent.objects.bulk_create(events)
    return candidacies


@transaction.atomic
def promote(*, actor, candidacy: Candidacy, seat: Seat | None, on: date, note: str = "") -> Candidacy:
    """Use the reserve: his candidacy ends and his term in the seat starts on the same day."""
    return promote_many(actor=actor, items=[(candidacy, seat, on)], note=note)[0]  # type: ignore[list-item]


@transaction.atomic
def remove(
    *, actor, candidacy: Candidacy, reason: str, on: date, note: str = "", destination: str = ""
) -> Candidacy:
    """出库 with a reason (清理出库) and, when he leaves for a post elsewhere, his destination (考录公务员 …);
    the person may be nominated again later as a new candidacy."""
    candidacy = lock(actor, candidacy, State.IN_POOL, State.REMOVED)
    errors: dict[str, str] = {}
    check_date(errors, candidacy, on)
    note = (note or "").strip()
    if not reason:
        errors["reason"] = "出库须选择原因"
    elif reason not in RemovalReason.values:
        errors["reason"] = f"出库原因 {reason} 不在规定的原因中"
    elif reason == RemovalReason.OTHER and not note:
        errors["note"] = "出库原因为“其他”时须写明具体情况"
    if len(note) > 300:
        errors["note"] = "说明不能超过 300 字"
    if destination and destination not in Destination.values:
        errors["destination"] = "去向须为乡镇领导班子、事业编制、公务员、专业化管理的村党组织书记或其他"
    raise_errors(errors)
    candidacy.removed_on, candidacy.removal_reason, candidacy.removal_note = on, reason, note
    candidacy.destination = destination
    move(
        actor,
        candidacy,
        State.REMOVED,
        on=on,
        summary=f"出库：{chinese(RemovalReason(reason).label)}",
        data={"reason": reason},
        note=note,
    )
    return candidacy
