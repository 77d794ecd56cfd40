"""/api/v1/matching: the ranked reserves for a village post, each score with its parts in Chinese.

A village outside the caller's jurisdiction, a code that is not a village, or an unknown post type answer
404 like a village that does not exist.
"""

from __future__ import annotations

from datetime import date

from ninja import Query, Router, Schema

from yanzhen.core.api_errors import Error
from yanzhen.matching import selectors
from yanzhen.matching.scoring import part_text

router = Router()


class PartOut(Schema):
    label: str
    points: int
    text: str


class RankedOut(Schema):
    rank: int
    person_id: int
    name: str
    candidacy_id: int
    village_code: str
    village_name: str
    readiness: str
    total: int
    parts: list[PartOut]


class ExcludedOut(Schema):
    person_id: int
    name: str
    reasons: list[str]


class DemandOut(Schema):
    saved: bool
    posts: list[str]
    skills: list[str]
    industries: list[str]
    minimum_age: int | None
    maximum_age: int | None
    education_band: str
    preferred_gender: str
    notes: str


class RankingOut(Schema):
    village_code: str
    village_name: str
    post: str
    post_name: str
    on: date
    demand: DemandOut
    count: int
    results: list[RankedOut]
    excluded_count: int
    excluded: list[ExcludedOut]


class RankingQuery(Schema):
    limit: int = 50


@router.get(
    "/villages/{code}/posts/{post}",
    response={200: RankingOut, 404: Error},
    url_name="rank_for_post",
    summary="Ranked reserves for a village post (hard filters, then weighted criteria with their parts)",
)
def rank_for_post(request, code: str, post: str, query: Query[RankingQuery]):
    village = selectors.get_village(request.user, code)
    post_type = selectors.get_post_type(post)
    ranking = selectors.rank_for_post(request.user, village, post_type)
    limit = min(max(query.limit, 1), 500)
    demand = ranking.demand
    return {
        "village_code": village.code,
        "village_name": village.name,
        "post": post_type.code,
        "post_name": post_type.name,
        "on": ranking.on,
        "demand": {
            "saved": demand.saved,
            "posts": list(demand.posts),
            "skills": list(demand.skills),
            "industries": list(demand.industries),
            "minimum_age": demand.minimum_age,
            "maximum_age": demand.maximum_age,
            "education_band": demand.education_band,
            "preferred_gender": demand.preferred_gender,
            "notes": demand.notes,
        },
        "count": len(ranking.rows),
        "results": [
            {
                "rank": row.rank,
                "person_id": row.reserve.person_id,
                "name": row.reserve.name,
                "candidacy_id": row.reserve.candidacy_id,
                "village_code": row.reserve.village_code,
                "village_name": row.home.name if row.home else "",
                "readiness": row.reserve.readiness,
                "total": row.score.total,
                "parts": [
                    {"label": label, "points": points, "text": part_text(label, points)}
                    for label, points in row.score.parts
                ],
            }
            for row in ranking.rows[:limit]
        ],
        "excluded_count": len(ranking.excluded),
        "excluded": [
            {"person_id": item.reserve.person_id, "name": item.reserve.name, "reasons": item.reasons}
            for item in ranking.excluded[:limit]
        ],
    }
