"""Stub of the election's report (issue 16 §4), so that the API's route can be wired; the report helper's
module replaces this one when the branches are merged."""

from __future__ import annotations

from typing import Any

from yanzhen.elections.models import Election


def election_report(user, election: Election) -> dict[str, Any]:
    """The report filed upward (shape only: every figure empty)."""
    empty = {
        "members": 0,
        "average_age": None,
        "college_or_above_pct": None,
        "under_35_pct": None,
        "women_pct": None,
        "one_shoulder_pct": None,
        "cross_post_pct": None,
    }
    return {
        "election": election.pk,
        "county": election.county_id,
        "villages": 0,
        "villages_elected": 0,
        "before": dict(empty),
        "after": dict(empty),
        "from_pool": {"count": 0, "pct": None},
        "targets": {"met": 0, "missed": []},
    }
