"""Writes of the village pairs: create, change, end, and their joint activities. Each checks the
jurisdiction (every village of the pair inside the actor's, else 404), the role (403), then the data
(`ValidationError`, Chinese messages by field), and leaves history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.http import Http404

from yanzhen.core.guards import attribute_to, raise_errors, require_editor
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.divisions.codes import CODE_LENGTH, Level
from yanzhen.divisions.models import Division
from yanzhen.pairing.models import MemberRole, PairActivity, PairKind, PairMember, VillagePair

if TYPE_CHECKING:
    from yanzhen.accounts.models import User


@dataclass
class PairInput:
    name: str
    kind: str
    start: date
    end: date | None
    goals: str
    helpers: list[str] = field(default_factory=list)  # village codes: the helping villages, or the partners
    helped: list[str] = field(default_factory=list)  # the helped villages (强弱联合 only)


def _villages(actor: User, codes: list[str]) -> list[Division]:
    """The villages named, every one inside the actor's jurisdiction (else 404, as for any record outside)."""
    if any(not code_in_jurisdiction(actor, code) for code in codes):
        raise Http404
    found = {v.code: v for v in Division.objects.filter(code__in=codes, level=Level.VILLAGE)}
    if len(found) != len(set(codes)):
        raise Http404
    return [found[code] for code in dict.fromkeys(codes)]


def _membership_errors(data: PairInput, helpers: list[Division], helped: list[Division]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.kind == PairKind.STRONG_WEAK:
        if not helpers:
            errors["helpers"] = "强弱联合须至少有一个帮扶村"
        if not helped:
            errors["helped"] = "强弱联合须至少有一个受帮扶村"
    elif len(helpers) < 2:
        errors["helpers"] = "强强联合须至少有两个村"
    if set(v.code for v in helpers) & set(v.code for v in helped):
        errors["helped"] = "同一个村不能既帮扶又受帮扶"
    counties = {v.code[: CODE_LENGTH[Level.COUNTY]] for v in helpers + helped}
    if len(counties) > 1:
        errors["helpers"] = "结对的村须属于同一个县"
    return errors


def _period_errors(data: PairInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = "请填写结对名称"
    if not data.goals.strip():
        errors["goals"] = "请填写结对目标"
    if data.end is not None and data.end < data.start:
        errors["end"] = "结束日期不能早于开始日期"
    return errors


def _helped_elsewhere(helped: list[Division], data: PairInput, pair: VillagePair | None) -> dict[str, str]:
    """A weak village is helped by one pair at a time: the periods of its 强弱联合 pairs may not overlap."""
    others = PairMember.objects.filter(
        village__in=helped, role=MemberRole.HELPED, pair__kind=PairKind.STRONG_WEAK
    ).select_related("pair", "village")
    if pair is not None:
        others = others.exclude(pair=pair)
    for member in others:
        other = member.pair
        if (other.end is None or other.end >= data.start) and (data.end is None or data.end >= other.start):
            return {"helped": f"{member.village.name}已在结对“{other.name}”中受帮扶，期间重叠"}
    return {}


def _check(actor: User, data: PairInput, pair: VillagePair | None = None) -> tuple[list, list]:
    helpers = _villages(actor, data.helpers)
    helped = _villages(actor, data.helped) if data.kind == PairKind.STRONG_WEAK else []
    require_editor(actor)
    errors = _period_errors(data) | _membership_errors(data, helpers, helped)
    if data.kind not in PairKind.values:
        errors["kind"] = "请选择结对类型"
    if not errors:
        errors = _helped_elsewhere(helped, data, pair)
    raise_errors(errors)
    return helpers, helped


def _write_members(pair: VillagePair, actor: User, helpers: list[Division], helped: list[Division]) -> None:
    helper_role = MemberRole.HELPER if pair.kind == PairKind.STRONG_WEAK else MemberRole.PARTNER
    wanted = {v.code: helper_role for v in helpers} | {v.code: MemberRole.HELPED for v in helped}
    for member in pair.members.all():
        if member.village_id not in wanted:
            attribute_to(member, actor)
            member.delete()
        elif member.role != wanted[member.village_id]:
            member.role = wanted.pop(member.village_id)
            attribute_to(member, actor)
            member.save()
        else:
            wanted.pop(member.village_id)
    for code, role in wanted.items():
        member = PairMember(pair=pair, village_id=code, role=role)
        attribute_to(member, actor)
        member.save()


@transaction.atomic
def create_pair(*, actor: User, data: PairInput) -> VillagePair:
    helpers, helped = _check(actor, data)
    pair = VillagePair(
        county_id=helpers[0].code[: CODE_LENGTH[Level.COUNTY]],
        name=data.name,
        kind=data.kind,
        start=data.start,
        end=data.end,
        goals=data.goals,
        created_by=actor,
    )
    attribute_to(pair, actor)
    pair.save()
    _write_members(pair, actor, helpers, helped)
    return pair


def may_change(actor: User | None, pair: VillagePair) -> bool:
    """Whether the actor may write the pair: an editor whose jurisdiction holds every one of its villages
    (a township sees a pair with a neighbour township's village; only the county changes it)."""
    return bool(actor and actor.can_edit) and all(
        code_in_jurisdiction(actor, code) for code in member_codes(pair)
    )


def check_may_change(actor: User, pair: VillagePair) -> None:
    """404 unless every village of the pair is inside the jurisdiction, then 403 for a reader."""
    if any(not code_in_jurisdiction(actor, code) for code in member_codes(pair)):
        raise Http404
    require_editor(actor)


def pair_to_change(actor: User, pair_id: int) -> VillagePair:
    """The pair re-read in the jurisdiction and locked for a write (inside the caller's transaction)."""
    pair = VillagePair.objects.restrict(actor).select_for_update().filter(pk=pair_id).first()
    if pair is None:
        raise Http404
    check_may_change(actor, pair)
    return pair


def member_codes(pair: VillagePair) -> list[str]:
    return list(pair.members.values_list("village_id", flat=True))


@transaction.atomic
def update_pair(*, actor: User, pair: VillagePair, data: PairInput) -> VillagePair:
    pair = pair_to_change(actor, pair.pk)
    if data.kind != pair.kind:
        raise_errors({"kind": "结对类型建立后不能更改；请结束本结对并另建"})
    helpers, helped = _check(actor, data, pair)
    for name in ("name", "start", "end", "goals"):
        setattr(pair, name, getattr(data, name))
    attribute_to(pair, actor)
    pair.save()
    _write_members(pair, actor, helpers, helped)
    return pair


@dataclass
class ActivityInput:
    held_on: date
    title: str
    participants: str = ""
    note: str = ""


@transaction.atomic
def record_activity(*, actor: User, pair: VillagePair, data: ActivityInput) -> PairActivity:
    pair = pair_to_change(actor, pair.pk)
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = "请填写活动内容"
    if data.held_on < pair.start or (pair.end is not None and data.held_on > pair.end):
        errors["held_on"] = "活动日期须在结对期间内"
    raise_errors(errors)
    activity = PairActivity(pair=pair, recorded_by=actor, **vars(data))
    attribute_to(activity, actor)
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def delete_activity(*, actor: User, activity: PairActivity) -> None:
    pair_to_change(actor, activity.pair_id)
    attribute_to(activity, actor)
    activity.delete()
