"""公示 (the public notice) and the objections received during it.

A decided candidacy goes into a notice (`start_notice`, or every decided candidacy of a township at once,
or those ticked on the list: one notice per township, all or none); an objection received during the
notice must be resolved before the candidacy enters the pool, and an upheld one rejects it. The checks and
the writes follow `workflow` (jurisdiction → role → state → data, one transaction, one event each).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from yanzhen.candidacies.models import Candidacy, CandidacyState, Objection, PublicNotice
from yanzhen.candidacies.rules import check_notice_period, rules_for
from yanzhen.candidacies.workflow import (
    WorkflowConflict,
    check_access,
    fetch_locked,
    last_step_on,
    lock,
    move,
    past_date_error,
    record_event,
    save_by,
    state_name,
)
from yanzhen.core.guards import raise_errors
from yanzhen.divisions.codes import CODE_LENGTH, Level
from yanzhen.divisions.models import Division

State = CandidacyState


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
    raise_errors(errors)
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
        move(
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
    candidacy = lock(actor, candidacy, State.DECIDED, State.IN_NOTICE)
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
    locked = [fetch_locked(actor, candidacy) for candidacy in sorted(candidacies, key=lambda c: c.pk)]
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
    check_access(actor, township.code)
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
    date_error = past_date_error(received_on, "收到异议的日期", dated=False)
    if date_error:
        errors["received_on"] = date_error
    elif notice is not None and not notice.start <= received_on <= notice.end:
        errors["received_on"] = f"异议须在公示期内（{notice.start:%Y-%m-%d} 至 {notice.end:%Y-%m-%d}）收到"
    raise_errors(errors)
    objection = Objection(candidacy=candidacy, received_on=received_on, content=content)
    save_by(actor, objection)
    record_event(
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
    candidacy = fetch_locked(actor, candidacy)
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
    date_error = past_date_error(on, "处理日期", dated=False)
    if date_error:
        errors["on"] = date_error
    elif on < objection.received_on:
        errors["on"] = f"处理日期不能早于收到异议的日期 {objection.received_on:%Y-%m-%d}"
    raise_errors(errors)
    objection.resolved_on, objection.upheld, objection.resolution = on, upheld, resolution
    save_by(actor, objection)
    if upheld:
        move(
            actor,
            candidacy,
            State.REJECTED,
            on=on,
            summary="公示异议经核查属实，取消后备人选资格",
            data={"objection": objection.pk, "upheld": True},
            note=resolution,
        )
    else:
        record_event(
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


def reject_by_objection(
    *, actor, candidacy: Candidacy, objection: Objection | None, on: date, resolution: str
):
    """公示 → 未通过: the objection named is upheld (the only way out of the notice but the pool)."""
    if objection is None:
        raise ValidationError({"objection": "请选择成立的异议"})
    return resolve_objection(actor=actor, objection=objection, upheld=True, on=on, resolution=resolution)
