"""What else a step of the pipeline set off, said to the clerk with a link: the notice that went up, the
term that started, a key post of the village that gained or lost its reserve (一村一职一备).

The candidacy page compares a snapshot taken before the step with the candidacy after it; nothing here
writes."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.urls import reverse
from django.utils.html import format_html

from yanzhen.candidacies import selectors
from yanzhen.candidacies.models import Candidacy, CandidacyState

State = CandidacyState


@dataclass(frozen=True)
class Snapshot:
    state: str
    covered: frozenset[str]


def _covered(user, candidacy: Candidacy) -> frozenset[str]:
    """The key posts of the candidacy's village that have a reserve in the pool today."""
    return frozenset(
        row.post_type.name for row in selectors.village_coverage(user, candidacy.village) if row.covered
    )


def snapshot(user, candidacy: Candidacy) -> Snapshot:
    """The state, and the village's covered key posts when the step may change them (entering or leaving
    the pool)."""
    changes_coverage = candidacy.state in (State.IN_NOTICE, State.IN_POOL)
    return Snapshot(candidacy.state, _covered(user, candidacy) if changes_coverage else frozenset())


def describe(user, before: Snapshot, after: Candidacy) -> list[tuple[int, str]]:
    """(level, safe HTML message) for each consequence of the step from `before` to `after`."""
    if before.state == after.state:
        return []
    found = [
        _notice_up(after),
        _coverage_gained(user, before, after),
        _term_started(after),
        _coverage_lost(user, before, after),
    ]
    return [message for message in found if message is not None]


Message = tuple[int, str] | None


def _notice_up(after: Candidacy) -> Message:
    if after.state != State.IN_NOTICE or not after.public_notice_id:
        return None
    notice = after.public_notice
    if notice is None:
        return None
    return (
        messages.INFO,
        format_html(
            '公示已开始，至 {} 结束，监督电话 {}。<a class="alert-link" href="{}">打印公示 →</a>',
            f"{notice.end:%Y-%m-%d}",
            notice.supervision_phone or "未填写",
            reverse("candidacies:notice-print", args=[notice.pk]),
        ),
    )


def _term_started(after: Candidacy) -> Message:
    if after.state != State.PROMOTED or not after.term_id:
        return None
    term = after.term
    if term is None:
        return None
    return (
        messages.INFO,
        format_html(
            '已任{}，任期自 {} 起。<a class="alert-link" href="{}">查看村班子 →</a>',
            term.seat,
            f"{term.start:%Y-%m-%d}",
            reverse("division-detail", args=[after.village_id]),
        ),
    )


def _key_targets(candidacy: Candidacy) -> set[str]:
    return {target.post_type.name for target in candidacy.targets.all() if target.post_type.is_key}


def _coverage_message(level: int, template: str, after: Candidacy, posts: list[str]) -> Message:
    """The village's key posts that gained or lost their reserve, with a link to the village's coverage."""
    if not posts:
        return None
    village = after.village
    place = f"{village.parent.name if village.parent else ''}{village.name}"
    url = reverse("division-detail", args=[after.village_id]) + "#village-coverage"
    return (level, format_html(template, place, "、".join(posts), url))


def _coverage_gained(user, before: Snapshot, after: Candidacy) -> Message:
    if after.state != State.IN_POOL:
        return None
    covered = sorted((_key_targets(after) & _covered(user, after)) - before.covered)
    return _coverage_message(
        messages.INFO,
        '{}的{}岗位已有在库后备人选（一村一职一备）。<a class="alert-link" href="{}">查看本村后备人选 →</a>',
        after,
        covered,
    )


def _coverage_lost(user, before: Snapshot, after: Candidacy) -> Message:
    if before.state != State.IN_POOL or after.state not in (State.PROMOTED, State.REMOVED):
        return None
    uncovered = sorted((_key_targets(after) & before.covered) - _covered(user, after))
    return _coverage_message(
        messages.WARNING,
        '{}的{}岗位已没有在库的后备人选，请及时推荐。<a class="alert-link" href="{}">查看本村后备人选 →</a>',
        after,
        uncovered,
    )
