"""Suggested partners for a village (强弱联合: who could help it; 强强联合: who could work with it), ranked
with every reason shown.

The parts come from the matching app where they fit, with the county's matching weights, so a county that
values nearness or shared industries more says so once: the distance (`matching.scoring.distance_part`:
同乡镇 > 邻近乡镇 by coordinates or by the division tree) and each shared industry (`industry_points`). Two
parts are the pairing's own, worth fixed points a county cannot change yet:

    the partner's collective income at least twice the village's   集体经济收入是本村的 2.5 倍 +15
    the partner's collective income higher than the village's       集体经济收入高于本村 +8
    a model village (示范村, 明星村)                                  示范村 +10

A partner is left out, with the reason, when it is weak itself (软弱涣散村) for 强弱联合, or already in a
running pair with the village.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from yanzhen.divisions.codes import CODE_LENGTH, Level
from yanzhen.divisions.models import Division
from yanzhen.matching.pool import Place, villages_of
from yanzhen.matching.scoring import Part, distance_part, part_text, weights_for
from yanzhen.pairing.models import PairKind, PairMember

WEAK_TAG = "软弱涣散村"
DOUBLE_INCOME_POINTS = 15
HIGHER_INCOME_POINTS = 8
MODEL_VILLAGE_POINTS = 10


@dataclass
class Suggestion:
    place: Place
    income: Decimal | None
    parts: list[Part] = field(default_factory=list)
    left_out: str = ""

    @property
    def total(self) -> int:
        return sum(points for _label, points in self.parts)

    @property
    def texts(self) -> list[str]:
        return [part_text(label, points) for label, points in self.parts]


def _income_part(mine: Decimal | None, theirs: Decimal | None) -> Part | None:
    if theirs is None or mine is None or theirs <= mine:
        return None
    if mine > 0 and theirs >= 2 * mine:
        return (f"集体经济收入是本村的 {theirs / mine:.1f} 倍", DOUBLE_INCOME_POINTS)
    return ("集体经济收入高于本村", HIGHER_INCOME_POINTS)


def _parts(home: Place, place: Place, mine: Decimal | None, theirs: Decimal | None, weights) -> list[Part]:
    parts: list[Part] = []
    near = distance_part(home, place, weights)
    if near is not None and near[1]:
        parts.append(near)
    for industry in sorted(home.industries & place.industries):
        if weights.industry_points:
            parts.append((f"共同产业：{industry}", weights.industry_points))
    income = _income_part(mine, theirs)
    if income is not None:
        parts.append(income)
    if place.is_model_village:
        model = "示范村" if "示范村" in place.tags else "明星村"
        parts.append((model, MODEL_VILLAGE_POINTS))
    return parts


def _running_partners(code: str, on: date) -> set[str]:
    pairs = PairMember.objects.filter(village_id=code).values("pair_id")
    running = PairMember.objects.filter(pair_id__in=pairs, pair__start__lte=on).exclude(pair__end__lt=on)
    return set(running.values_list("village_id", flat=True)) - {code}


def suggest(
    user, village: Division, kind: str, on: date, limit: int = 20
) -> tuple[list[Suggestion], list[Suggestion]]:
    """The ranked partners inside the user's jurisdiction and the county (best first, ties by code), and
    those left out with their reason."""
    county = village.code[: CODE_LENGTH[Level.COUNTY]]
    places = villages_of(county)
    home = places[village.code]
    visible = set(
        Division.objects.restrict(user)
        .administrative_villages()
        .filter(code__startswith=county, level=Level.VILLAGE)
        .values_list("code", flat=True)
    )
    incomes = dict(Division.objects.filter(code__in=visible).values_list("code", "collective_income"))
    weights = weights_for(county)
    paired = _running_partners(village.code, on)
    ranked: list[Suggestion] = []
    left_out: list[Suggestion] = []
    for code in sorted(visible - {village.code}):
        place = places[code]
        suggestion = Suggestion(place, incomes.get(code))
        if kind == PairKind.STRONG_WEAK and WEAK_TAG in place.tags:
            suggestion.left_out = "本身是软弱涣散村"
        elif code in paired:
            suggestion.left_out = "已与本村结对"
        else:
            suggestion.parts = _parts(home, place, incomes.get(village.code), suggestion.income, weights)
        (left_out if suggestion.left_out else ranked).append(suggestion)
    ranked.sort(key=lambda s: (-s.total, s.place.code))
    return ranked[:limit], left_out
