"""The succession figures (issue 21 §5) of a division on a day, for `yanzhen stats`, /api/v1/stats and the
lists behind them: read in a constant number of queries however many seats.

- seats: the key seats (村党组织书记, 村委会主任 …) of the administrative villages inside the division;
- seats_with_ready_now: those with at least one successor ready now on the day (a reserve in the pool on the
  day, for the village, targeting the post, readiness 立即可用);
- seats_with_emergency_cover: those whose emergency cover on the day (the saved entries as their history says
  they were) is still a successor on the day;
- incumbents_at_high_risk_without_successor: the sitting secretaries and chairs on the day (each person once)
  at high risk (`risk.py`) holding a seat without a successor ready now.
The pool, the terms, the monthly scores and the discipline are read on the day by their business dates; the
readiness is the candidacy's current one, as for the other figures of readiness (`stats.figures`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from yanzhen.core.guards import operator_scope
from yanzhen.divisions.codes import UnitKind
from yanzhen.posts.models import Seat
from yanzhen.succession.risk import HIGH, RiskRow, risk_rows
from yanzhen.succession.selectors import Bench, successors_of

ADMINISTRATIVE_KINDS = [UnitKind.VILLAGE_COMMITTEE, UnitKind.VILLAGE_LIKE]
KEYS = (
    "seats",
    "seats_with_ready_now",
    "seats_with_emergency_cover",
    "incumbents_at_high_risk_without_successor",
)


@dataclass
class Succession:
    benches: list[Bench]
    at_risk: list[RiskRow]

    def numbers(self) -> dict[str, int]:
        return {
            "seats": len(self.benches),
            "seats_with_ready_now": sum(1 for bench in self.benches if bench.ready_now),
            "seats_with_emergency_cover": sum(1 for bench in self.benches if bench.emergency_cover),
            "incumbents_at_high_risk_without_successor": len({row.term.person_id for row in self.at_risk}),
        }


def succession(user, code: str, on: date) -> Succession:
    """The key seats' benches of the division on the day and the high-risk incumbents without a successor."""
    seats = list(
        operator_scope(Seat.objects.all(), user)
        .filter(post_type__is_key=True, village__code__startswith=code)
        .filter(village__kind__in=ADMINISTRATIVE_KINDS)
        .select_related("village", "post_type")
        .order_by("village__code", "post_type__order", "number")
    )
    benches = list(successors_of(seats, on).values())
    at_risk = [row for row in risk_rows(user, code, on) if row.level == HIGH and not row.ready_now]
    return Succession(benches, at_risk)


def figures(user, code: str, on: date) -> dict[str, int]:
    return succession(user, code, on).numbers()
