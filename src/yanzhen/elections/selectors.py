"""Reads of the election's pages, always through `restrict(user)`: the county's elections, the villages'
progress (a handful of queries whatever the number of villages), a village's slate with the joint review,
the suggestions from the pool, the results forms' seats and the handovers."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from yanzhen.candidacies.models import Candidacy, CandidacyState, Readiness
from yanzhen.core.guards import get_for_view, today
from yanzhen.divisions.codes import Level, UnitKind
from yanzhen.divisions.models import Division
from yanzhen.elections.models import (
    Candidate,
    CandidateStatus,
    Election,
    Handover,
    Result,
    ReviewDepartment,
    ReviewReply,
    SlateNotice,
)
from yanzhen.elections.rules import CHAIR, MEMBER, ReviewState, committee_post_codes, review_state
from yanzhen.posts.models import PostType, Seat

ADMINISTRATIVE_KINDS = (UnitKind.VILLAGE_COMMITTEE, UnitKind.VILLAGE_LIKE)


def elections(user):
    return Election.objects.restrict(user).select_related("county")


def get_election(user, pk: int) -> Election:
    return get_for_view(Election.objects.select_related("county"), user, pk=pk)


def villages(user, election: Election, *, township: str = ""):
    """The administrative villages of the election's county inside the user's jurisdiction."""
    rows = Division.objects.restrict(user).filter(
        code__startswith=township or election.county_id, level=Level.VILLAGE, kind__in=ADMINISTRATIVE_KINDS
    )
    return rows.select_related("parent").order_by("code")


def get_village(user, election: Election, code: str) -> Division:
    """A village of the election's county inside the user's jurisdiction, else 404."""
    if not code.startswith(election.county_id):
        raise Http404
    village = get_for_view(Division.objects.select_related("parent"), user, code=code)
    if village.level != Level.VILLAGE or not village.is_administrative_village:
        raise Http404
    return village


def get_township(user, election: Election, code: str) -> Division:
    if not code.startswith(election.county_id):
        raise Http404
    township = get_for_view(Division.objects.all(), user, code=code)
    if township.level != Level.TOWNSHIP:
        raise Http404
    return township


def departments() -> list[ReviewDepartment]:
    return list(ReviewDepartment.objects.all())


# --- The villages' progress ----------------------------------------------------------------------------------


class Stage:
    """Where a village stands, for the filter of the election's page (the first that applies, last first)."""

    NO_SLATE = "no_slate"
    REVIEWING = "reviewing"
    FAILED = "failed"
    READY = "ready"
    PUBLICISED = "publicised"
    ELECTED = "elected"


STAGE_LABELS = {
    Stage.NO_SLATE: _("No candidate yet"),
    Stage.REVIEWING: _("Under joint review"),
    Stage.FAILED: _("A review failed"),
    Stage.READY: _("Reviewed, not publicised"),
    Stage.PUBLICISED: _("Publicised, awaiting the vote"),
    Stage.ELECTED: _("Results recorded"),
}


@dataclass
class VillageRow:
    village: Division
    slate: int = 0  # candidates standing
    pending: int = 0
    passed: int = 0
    failed: int = 0
    notice: SlateNotice | None = None
    results: int = 0

    @property
    def stage(self) -> str:
        if self.results:
            return Stage.ELECTED
        if self.notice is not None:
            return Stage.PUBLICISED
        if not self.slate:
            return Stage.NO_SLATE
        if self.failed:
            return Stage.FAILED
        if self.pending:
            return Stage.REVIEWING
        return Stage.READY

    @property
    def stage_label(self) -> str:
        return str(STAGE_LABELS[self.stage])


def village_rows(user, election: Election, *, township: str = "", stage: str = "") -> list[VillageRow]:
    """Every village of the election inside the user's jurisdiction (under `township` when given) with its
    slate, review counts, notice and results: five queries whatever the number of villages."""
    rows = {village.code: VillageRow(village) for village in villages(user, election, township=township)}
    n_departments = ReviewDepartment.objects.count()
    standing = (
        Candidate.objects.restrict(user)
        .filter(election=election, status=CandidateStatus.PROPOSED, village_id__in=list(rows))
        .only("id", "village_id")
        .prefetch_related(
            Prefetch(
                "replies", queryset=ReviewReply.objects.only("id", "candidate_id", "department_id", "passed")
            )
        )
    )
    for candidate in standing:
        row = rows[candidate.village_id]
        row.slate += 1
        state = review_state(candidate, n_departments)
        if state == ReviewState.PASSED:
            row.passed += 1
        elif state == ReviewState.FAILED:
            row.failed += 1
        else:
            row.pending += 1
    for notice in SlateNotice.objects.restrict(user).filter(election=election, village_id__in=list(rows)):
        rows[notice.village_id].notice = notice
    counts = (
        Result.objects.restrict(user)
        .filter(election=election, village_id__in=list(rows))
        .values("village_id")
        .annotate(n=Count("id"))
    )
    for count in counts:
        rows[count["village_id"]].results = count["n"]
    found = list(rows.values())
    if stage:
        found = [row for row in found if row.stage == stage]
    return found


def stage_summary(rows: list[VillageRow]) -> dict[str, int]:
    counted = Counter(row.stage for row in rows)
    return {key: counted.get(key, 0) for key in STAGE_LABELS}


# --- A village's slate ---------------------------------------------------------------------------------------


@dataclass
class SlateEntry:
    candidate: Candidate
    review: ReviewState
    replies: list[ReviewReply]
    reply_form: object = None  # the page's forms for this candidate (views)
    withdraw_form: object = None

    @property
    def standing(self) -> bool:
        return self.candidate.status == CandidateStatus.PROPOSED


@dataclass
class SlateGroup:
    post_type: PostType
    entries: list[SlateEntry] = field(default_factory=list)

    @property
    def standing(self) -> list[SlateEntry]:
        return [entry for entry in self.entries if entry.standing]


def committee_post_types() -> list[PostType]:
    return list(PostType.objects.filter(code__in=committee_post_codes()).order_by("order", "name"))


def slate(user, election: Election, village: Division) -> list[SlateGroup]:
    """The village's candidates per post (withdrawn ones last in their group), each with his review state
    and every department's reply."""
    n_departments = ReviewDepartment.objects.count()
    groups = {post.pk: SlateGroup(post) for post in committee_post_types()}
    candidates = (
        Candidate.objects.restrict(user)
        .filter(election=election, village=village)
        .select_related("person", "post_type", "candidacy")
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=ReviewReply.objects.select_related("department").prefetch_related("negative_items"),
            )
        )
        .order_by("post_type__order", "status", "id")
    )
    for candidate in candidates:
        group = groups.setdefault(candidate.post_type_id, SlateGroup(candidate.post_type))
        group.entries.append(
            SlateEntry(candidate, review_state(candidate, n_departments), list(candidate.replies.all()))
        )
    return list(groups.values())


def notice_of(user, election: Election, village: Division) -> SlateNotice | None:
    return SlateNotice.objects.restrict(user).filter(election=election, village=village).first()


def results_of(user, election: Election, village: Division) -> list[Result]:
    return list(
        Result.objects.restrict(user)
        .filter(election=election, village=village)
        .select_related("seat__post_type", "person")
    )


# --- Suggestions for the slate -------------------------------------------------------------------------------

READINESS_RANK: dict[str, int] = {Readiness.READY: 0, Readiness.ONE_TO_TWO_YEARS: 1, Readiness.THREE_YEARS: 2}


@dataclass
class Suggestion:
    person_id: int
    name: str
    origin: str  # pool | incumbent
    readiness: str = ""
    readiness_label: str = ""
    key_cultivation: bool = False
    score: int | None = None
    score_parts: list[str] = field(default_factory=list)
    posts: str = ""  # what he is a reserve for, or sits in
    post_code: str = ""  # the post offered first when he is proposed


def match_scores(user, village: Division, on: date | None = None) -> dict[int, tuple[int, list[str]]]:
    """The matching score (the matching app's own scoring) of each reserve of the village's pool for the
    village, for the best of the posts he is a reserve for: a few queries for one village."""
    from yanzhen.matching.demand import demands_for
    from yanzhen.matching.pool import load_pool
    from yanzhen.matching.pool import villages_of as places_of
    from yanzhen.matching.scoring import Target, score, weights_for

    on = on or today()
    reserves = load_pool(user, within=village.code, on=on)
    if not reserves:
        return {}
    place = places_of(village.code)[village.code]
    homes = places_of(village.code[:6], details=False)
    demand = demands_for(user, [place], on, prefix=village.code)[village.code]
    weights = weights_for(village.code)
    names = dict(PostType.objects.values_list("code", "name"))
    found: dict[int, tuple[int, list[str]]] = {}
    for reserve in reserves:
        codes = sorted(code for code_village, code in reserve.targets if code_village == village.code) or [""]
        best = max(
            (
                score(
                    reserve,
                    Target(village=place, demand=demand, post_code=code, post_name=names.get(code, "")),
                    homes.get(reserve.village_code),
                    weights,
                )
                for code in codes
            ),
            key=lambda s: s.total,
        )
        found[reserve.person_id] = (best.total, best.texts)
    return found


def suggestions(
    user, election: Election, village: Division, committee, on: date | None = None
) -> list[Suggestion]:
    """Who might stand: the village's reserves in the pool (ready now and key cultivation first, then by
    matching score), then the sitting members of the committee; those already standing are left out."""
    on = on or today()
    standing = set(
        Candidate.objects.restrict(user)
        .filter(election=election, village=village, status=CandidateStatus.PROPOSED)
        .values_list("person_id", flat=True)
    )
    candidacies = (
        Candidacy.objects.restrict(user)
        .in_pool_on(on)
        .filter(village=village, state=CandidacyState.IN_POOL)
        .select_related("person")
        .prefetch_related("targets__post_type")
    )
    scores = match_scores(user, village, on)
    by_person: dict[int, Suggestion] = {}
    for candidacy in candidacies:
        if candidacy.person_id in standing:
            continue
        known = by_person.get(candidacy.person_id)
        posts = candidacy.target_names()
        if known is not None:
            if READINESS_RANK.get(candidacy.readiness, 9) < READINESS_RANK.get(known.readiness, 9):
                known.readiness, known.readiness_label = (
                    candidacy.readiness,
                    candidacy.get_readiness_display(),
                )
            known.key_cultivation |= candidacy.key_cultivation
            continue
        total, parts = scores.get(candidacy.person_id, (None, []))
        by_person[candidacy.person_id] = Suggestion(
            person_id=candidacy.person_id,
            name=candidacy.person.name,
            origin="pool",
            readiness=candidacy.readiness,
            readiness_label=candidacy.get_readiness_display(),
            key_cultivation=candidacy.key_cultivation,
            score=total,
            score_parts=parts,
            posts=posts,
            post_code=next((target.post_type.code for target in candidacy.targets.all()), ""),
        )
    pool = sorted(
        by_person.values(),
        key=lambda s: (
            READINESS_RANK.get(s.readiness, 9) != 0,
            not s.key_cultivation,
            -(s.score or 0),
            READINESS_RANK.get(s.readiness, 9),
            s.name,
        ),
    )
    sitting: dict[int, Suggestion] = {}
    for row in committee.committee_seats:
        if (
            row.incumbent is None
            or row.incumbent.person_id in standing
            or row.incumbent.person_id in by_person
        ):
            continue
        if row.post_type.code not in committee_post_codes():
            continue
        known = sitting.get(row.incumbent.person_id)
        if known is not None:
            known.posts += f"、{row.post_type.name}"
            continue
        sitting[row.incumbent.person_id] = Suggestion(
            person_id=row.incumbent.person_id,
            name=row.incumbent.name,
            origin="incumbent",
            posts=row.post_type.name,
            post_code=row.post_type.code,
        )
    return pool + list(sitting.values())


# --- Results -------------------------------------------------------------------------------------------------


@dataclass
class SeatChoice:
    seat: Seat
    candidates: list[
        Candidate
    ]  # those who may be elected to it (his post, the chair for 一肩挑, any as member)


def result_seats(user, election: Election, village_codes: list[str]) -> dict[str, list[SeatChoice]]:
    """The committee seats of each village with the standing candidates who may take each: two queries for
    a whole township."""
    codes = committee_post_codes()
    seats = (
        Seat.objects.restrict(user)
        .filter(village_id__in=village_codes, post_type__code__in=codes)
        .select_related("post_type")
        .order_by("village_id", "post_type__order", "number")
    )
    standing = defaultdict(list)
    for candidate in (
        Candidate.objects.restrict(user)
        .filter(election=election, village_id__in=village_codes, status=CandidateStatus.PROPOSED)
        .select_related("person", "post_type")
        .order_by("post_type__order", "id")
    ):
        standing[candidate.village_id].append(candidate)
    found: dict[str, list[SeatChoice]] = defaultdict(list)
    for seat in seats:
        post = seat.post_type.code
        allowed = []
        for candidate in standing[seat.village_id]:
            posts = {candidate.post_type.code} | ({CHAIR} if candidate.also_chair else set())
            if post in posts | {MEMBER}:
                allowed.append(candidate)
        found[seat.village_id].append(SeatChoice(seat, allowed))
    return found


# --- Handovers -----------------------------------------------------------------------------------------------


def handovers(user, election: Election, *, owed_only: bool = False):
    rows = (
        Handover.objects.restrict(user)
        .filter(election=election)
        .select_related("village__parent", "person", "term__seat__post_type")
        .order_by("village_id", "id")
    )
    if owed_only:
        rows = rows.filter(Q(audit_done=False) | Q(handed_over_on__isnull=True))
    return rows


def get_handover(user, election: Election, pk: int) -> Handover:
    return get_for_view(
        Handover.objects.filter(election=election).select_related(
            "village", "person", "term__seat__post_type"
        ),
        user,
        pk=pk,
    )
