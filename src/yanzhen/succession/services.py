"""Writing the succession (issue 21 §1): the county's order of a seat's successors and its emergency cover.

Each service re-reads the seat inside the actor's jurisdiction and locks it (404 outside), then checks the
role (403 for a reader), then the data (`ValidationError` naming the field, nothing written). A successor must
be a reserve in the pool today whose candidacy is for the seat's village and targets the seat's post. Every
write leaves a history row attributed to the actor; the figures rebuild past orders from it."""

from __future__ import annotations

from django.db import transaction

from yanzhen.core.guards import attribute_to, raise_errors, require_editor
from yanzhen.core.locking import visible_locked
from yanzhen.posts.models import Seat
from yanzhen.succession.models import SuccessionEntry
from yanzhen.succession.selectors import pool_candidacies_for

ORDER_MAX = 30


def _locked_seat(actor, seat: Seat) -> Seat:
    seat = visible_locked(actor, seat, "village", "post_type")
    require_editor(actor)
    return seat


def _refused(seat: Seat, candidacy_ids: list[int]) -> list[int]:
    allowed = set(pool_candidacies_for(seat).values_list("pk", flat=True))
    return [pk for pk in candidacy_ids if pk not in allowed]


def _save(entry: SuccessionEntry, actor) -> None:
    attribute_to(entry, actor)
    entry.save()


@transaction.atomic
def set_order(*, actor, seat: Seat, candidacy_ids: list[int]) -> list[SuccessionEntry]:
    """Save the county's order of the seat's successors: `candidacy_ids` first to last. A successor left out
    leaves the order (and is no longer the emergency cover); an empty list clears the saved order, so the
    default order applies again."""
    seat = _locked_seat(actor, seat)
    errors: dict[str, str] = {}
    if len(set(candidacy_ids)) != len(candidacy_ids):
        errors["candidacies"] = "同一后备人选在排序中只能出现一次"
    elif len(candidacy_ids) > ORDER_MAX:
        errors["candidacies"] = f"一个职位的接替人选排序最多 {ORDER_MAX} 人"
    elif _refused(seat, candidacy_ids):
        errors["candidacies"] = "只能排列在库、且以本村本职位为目标的后备人选"
    raise_errors(errors)
    existing = {entry.candidacy_id: entry for entry in SuccessionEntry.objects.filter(seat=seat)}
    for candidacy_id, entry in existing.items():
        if candidacy_id not in candidacy_ids:
            attribute_to(entry, actor)
            entry.delete()
    saved = []
    for position, candidacy_id in enumerate(candidacy_ids, start=1):
        entry = existing.get(candidacy_id) or SuccessionEntry(
            seat=seat, candidacy_id=candidacy_id, position=position, created_by=actor
        )
        if entry.pk is None or entry.position != position:
            entry.position = position
            _save(entry, actor)
        saved.append(entry)
    return saved


@transaction.atomic
def set_emergency_cover(*, actor, seat: Seat, candidacy_id: int | None) -> SuccessionEntry | None:
    """Name the seat's emergency cover (who acts if the seat falls empty tomorrow), or none with None. A
    cover not yet in the saved order joins it last."""
    seat = _locked_seat(actor, seat)
    if candidacy_id is not None and _refused(seat, [candidacy_id]):
        raise_errors({"candidacy": "应急接替人选须是在库、且以本村本职位为目标的后备人选"})
    entries = list(SuccessionEntry.objects.filter(seat=seat).order_by("position", "pk"))
    for entry in entries:
        if entry.is_emergency_cover and entry.candidacy_id != candidacy_id:
            entry.is_emergency_cover = False
            _save(entry, actor)
    if candidacy_id is None:
        return None
    cover = next((entry for entry in entries if entry.candidacy_id == candidacy_id), None)
    if cover is None:
        last = max((entry.position for entry in entries), default=0)
        cover = SuccessionEntry(seat=seat, candidacy_id=candidacy_id, position=last + 1, created_by=actor)
    if cover.pk is None or not cover.is_emergency_cover:
        cover.is_emergency_cover = True
        _save(cover, actor)
    return cover
