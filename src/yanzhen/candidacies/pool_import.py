"""花名册导入入库, the import into the pool: a roster (花名册) lists people who are ALREADY in the pool, so the
rosters app creates their candidacies directly in the pool with the roster's entry date, skipping on purpose
the steps before it (推荐 … 公示) and their checks. The timeline says so ("花名册导入入库") and names the
import; the field history carries the import's change reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.http import Http404

from yanzhen.candidacies.models import Candidacy, CandidacyEvent, CandidacyState, CandidacyTarget
from yanzhen.candidacies.workflow import check_access, past_date_error, place_errors, taken_post
from yanzhen.core import bulk
from yanzhen.core.guards import raise_errors, today
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person
from yanzhen.posts.models import PostType

State = CandidacyState

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
    # The keys rather than the objects (all written already): assigning an object costs a descriptor's
    # checks per field, thousands of times over in a roster import.
    actor_id = actor.pk if actor is not None else None
    candidacies = [
        Candidacy(
            person_id=entry.person.pk,
            village_id=entry.village.pk,
            state=State.IN_POOL,
            nomination_way="",  # unknown: the roster does not say how the person was once recommended
            nominated_on=entry.entered_pool_on,
            entered_pool_on=entry.entered_pool_on,
            created_by_id=actor_id,
        )
        for entry in entries
    ]
    bulk.insert_with_history(candidacies, user=actor, change_reason=change_reason)
    bulk.insert(
        [
            CandidacyTarget(
                candidacy_id=candidacy.pk,
                post_type_id=post.pk,
                person_id=candidacy.person_id,
                village_id=candidacy.village_id,
            )
            for candidacy, entry in zip(candidacies, entries, strict=True)
            for post in entry.post_types
        ]
    )
    data = _import_data(import_run)
    bulk.insert(
        [
            CandidacyEvent(
                candidacy_id=candidacy.pk,
                from_state="",
                to_state=State.IN_POOL,
                actor_id=actor_id,
                on=entry.entered_pool_on,
                summary=f"{IMPORT_SUMMARY}：{'、'.join(post.name for post in entry.post_types)}"[:200],
                data={**data, "targets": [post.code for post in entry.post_types]},
            )
            for candidacy, entry in zip(candidacies, entries, strict=True)
        ]
    )
    return candidacies


def amend_imported_pool(
    *, actor, amendments: Sequence[PoolAmendment], import_run, change_reason: str
) -> None:
    """Apply a re-import to candidacies already in the pool: add the posts the roster adds, correct the entry
    date it gives. Checked by the caller, like `import_many_into_pool`."""
    dated = [amendment for amendment in amendments if amendment.entered_pool_on is not None]
    for amendment in dated:
        candidacy, entered = amendment.candidacy, amendment.entered_pool_on
        assert entered is not None  # only the dated ones
        candidacy.entered_pool_on = entered
        if candidacy.nominated_on > entered:
            candidacy.nominated_on = entered
    if dated:
        changed = [amendment.candidacy for amendment in dated]
        Candidacy.objects.bulk_update(changed, ["entered_pool_on", "nominated_on"], batch_size=500)
        bulk.insert_history(Candidacy, changed, update=True, user=actor, change_reason=change_reason)
    bulk.insert(
        [
            CandidacyTarget(
                candidacy=amendment.candidacy,
                post_type=post,
                person_id=amendment.candidacy.person_id,
                village_id=amendment.candidacy.village_id,
            )
            for amendment in amendments
            for post in amendment.add_post_types
        ]
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
    bulk.insert(events)


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
        check_access(actor, village.code)
    errors, post_types = place_errors(village, post_types)
    date_error = past_date_error(entered_pool_on, "入库时间")
    if date_error:
        errors["entered_pool_on"] = date_error
    taken = taken_post(person, village, post_types)
    if taken is not None:
        errors["post_types"] = f"{person.name}已是{village.name}“{taken.post_type.name}”的后备人选"
    raise_errors(errors)
    [candidacy] = import_many_into_pool(
        actor=actor,
        entries=[PoolEntry(person, village, post_types, entered_pool_on)],
        import_run=import_run,
        change_reason=import_run.change_reason,
    )
    candidacy.person, candidacy.village = person, village  # the objects at hand, not read again
    return candidacy
