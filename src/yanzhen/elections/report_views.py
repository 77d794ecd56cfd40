"""The report pages of an election: the report filed upward (before and after side by side, from the pool,
the targets, the warnings) with its xlsx, and the printable slate and results of a village.

Every user of the county sees the election (an outsider: 404); the figures and lists are those of the
villages he sees (elections.report: a township clerk's report covers his township). A village outside the
election's county or the user's jurisdiction answers 404.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from yanzhen.core import audit, xlsx
from yanzhen.core.models import AuditAction
from yanzhen.divisions.models import Division
from yanzhen.elections import exports
from yanzhen.elections.models import (
    Candidate,
    CandidateStatus,
    Election,
    Result,
    ReviewDepartment,
    SlateNotice,
)
from yanzhen.elections.report import FIGURE_KEYS, get_election, report_data, summarise, township_rows
from yanzhen.elections.rules import CHAIR, TARGET_LABELS, ReviewState, review_state
from yanzhen.elections.warnings import election_warnings
from yanzhen.posts.models import PostType
from yanzhen.stats.reports import issued_by

FIGURE_LABELS = {
    "members": "成员人数",
    "average_age": "平均年龄（岁）",
    "college_or_above_pct": "大专及以上占比（%）",
    "under_35_pct": "35岁以下占比（%）",
    "women_pct": "女性占比（%）",
    "one_shoulder_pct": "书记、主任“一肩挑”村占比（%）",
    "cross_post_pct": "“两委”交叉任职村占比（%）",
}


def _change(before, after):
    if before is None or after is None:
        return None
    return round(after - before, 2)


@require_GET
def report(request, pk: int):
    election = get_election(request.user, pk)
    data = report_data(request.user, election)
    summary = summarise(data, data.villages)
    names = {village.code: village.name for village in data.villages}
    townships = data.townships
    comparison = [
        {
            "label": FIGURE_LABELS[key],
            "before": summary["before"][key],
            "after": summary["after"][key],
            "change": _change(summary["before"][key], summary["after"][key]),
        }
        for key in FIGURE_KEYS
    ]
    missed = [
        {
            **miss,
            "label": TARGET_LABELS.get(miss["target"], miss["target"]),
            "name": names.get(miss["village"])
            or (election.county.name if miss["village"] == election.county_id else miss["village"]),
            "township": townships.get(miss["village"][:9], "") if miss["village"] in names else "",
        }
        for miss in summary["targets"]["missed"]
    ]
    villages = [
        {
            "code": village.code,
            "name": village.name,
            "township": townships.get(village.township, ""),
            "elected_on": village.after_on,
            "elected": len(village.elected),
            "from_pool": len(village.from_pool),
        }
        for village in data.villages
    ]
    return render(
        request,
        "elections/report.html",
        {
            "election": election,
            "summary": summary,
            "comparison": comparison,
            "rows": township_rows(data),
            "missed": missed,
            "villages": villages,
            "before_on": data.before_on,
            "warnings": election_warnings(request.user, election),
        },
    )


@require_GET
def report_xlsx(request, pk: int):
    """The report as the xlsx filed upward: figures only, no personal data."""
    election = get_election(request.user, pk)
    data = report_data(request.user, election)
    content = exports.report_workbook(data, issued_by(request.user))
    audit.record(
        action=AuditAction.EXPORT,
        user=request.user,
        request=request,
        object_repr="村“两委”换届情况统计表",
        detail={"election": election.pk, "villages": len(data.villages)},
    )
    return xlsx.download(
        content,
        f"{election.county.name}第{election.number}届村“两委”换届情况统计表.xlsx",
        f"election_{election.pk}_report.xlsx",
    )


def _village(request, election: Election, code: str) -> Division:
    """An administrative village of the election's county inside the user's jurisdiction, else 404."""
    village = (
        Division.objects.restrict(request.user)
        .under(election.county_id)
        .administrative_villages()
        .select_related("parent")
        .filter(code=code)
        .first()
    )
    if village is None:
        raise Http404
    return village


def short_name(village: Division) -> str:
    """长城村委会 → 长城村, as the notices name a village's committee (长城村“两委”)."""
    return village.name.removesuffix("委会") if village.name.endswith("村委会") else village.name


def _seat_label(candidate: Candidate, chair: str) -> str:
    return (
        f"{candidate.post_type.name}、{chair}（一肩挑）" if candidate.also_chair else candidate.post_type.name
    )


@require_GET
def print_slate(request, pk: int, code: str):
    """The village's slate (候选人名单) as it goes up on the notice board: the candidates standing, with the
    notice's period once it was publicised (before that: a draft, marked on the screen only)."""
    election = get_election(request.user, pk)
    village = _village(request, election, code)
    departments = ReviewDepartment.objects.count()
    candidates = [
        candidate
        for candidate in Candidate.objects.restrict(request.user)
        .filter(election=election, village=village, status=CandidateStatus.PROPOSED)
        .select_related("person", "post_type")
        .prefetch_related("replies")
        .order_by("post_type__order", "id")
        if review_state(candidate, departments) != ReviewState.FAILED
    ]
    chair = PostType.objects.filter(code=CHAIR).values_list("name", flat=True).first() or "村委会主任"
    rows = [{"candidate": candidate, "seat": _seat_label(candidate, chair)} for candidate in candidates]
    notice = SlateNotice.objects.restrict(request.user).filter(election=election, village=village).first()
    return render(
        request,
        "elections/print_slate.html",
        {
            "election": election,
            "village": village,
            "village_short": short_name(village),
            "rows": rows,
            "notice": notice,
        },
    )


@require_GET
def print_results(request, pk: int, code: str):
    """The village's results (选举结果) as a printable list: who was elected to which seat, on which day."""
    election = get_election(request.user, pk)
    village = _village(request, election, code)
    results = list(
        Result.objects.restrict(request.user)
        .filter(election=election, village=village)
        .select_related("person", "seat__post_type")
        .order_by("seat__post_type__order", "seat__number")
    )
    return render(
        request,
        "elections/print_results.html",
        {
            "election": election,
            "village": village,
            "village_short": short_name(village),
            "results": results,
            "elected_on": results[0].elected_on if results else None,
        },
    )
