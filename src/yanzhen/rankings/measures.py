"""比学赶超: the villages of a township or a county compared on the county's measures for one year.

Each measure is a figure of the village for the year:

    income_growth   集体经济收入增长率: (this year − last year) ÷ last year, in % (divisions' yearly series)
    coverage        关键岗位有后备: the share of key posts with a reserve in the pool on 31 December (or today)
    monthly         “两委”月考评: the mean monthly total of the village's incumbents over the year
    satisfaction    群众满意率: the village's share of satisfied answers in the county's satisfaction surveys of
                    the year that count for the comparison (surveys app), else the mean satisfaction of its
                    incumbents' 双述双评 of the year

Each is scaled among the compared villages to 0–100 (the lowest 0, the highest 100; all equal: 100; a village
without the figure: 0, shown as —), and the composite is the weighted mean with the county's weights
(`RankingSettings`, 25 each by default; 0 leaves a measure out). Villages with the same composite share a rank
(1, 2, 2, 4). Four queries whatever the number of villages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg

from yanzhen.assessments.models import AnnualReview, MonthlyScore
from yanzhen.candidacies.selectors import key_posts_with_reserves
from yanzhen.divisions.models import Division, VillageIncome
from yanzhen.posts.models import PostType
from yanzhen.rankings.models import RankingSettings
from yanzhen.surveys.selectors import village_satisfaction

MEASURES = ("income_growth", "coverage", "monthly", "satisfaction")
LABELS = {
    "income_growth": "集体经济收入增长率（%）",
    "coverage": "关键岗位有后备（%）",
    "monthly": "“两委”月考评平均分",
    "satisfaction": "群众满意率（%）",
}
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def settings_for(county_code: str) -> RankingSettings:
    return RankingSettings.objects.filter(county_id=county_code).first() or RankingSettings(
        county_id=county_code
    )


@dataclass
class VillageRow:
    village: Division
    values: dict[str, Decimal | None]
    scaled: dict[str, Decimal]
    composite: Decimal = Decimal(0)
    rank: int = 0


def _round(value: Decimal, step: Decimal = Decimal("0.1")) -> Decimal:
    return value.quantize(step, rounding=ROUND_HALF_UP)


def _income_growth(codes: list[str], year: int) -> dict[str, Decimal]:
    amounts: dict[tuple[str, int], Decimal] = {
        (code, y): amount
        for code, y, amount in VillageIncome.objects.filter(
            village_id__in=codes, year__in=(year - 1, year)
        ).values_list("village_id", "year", "amount")
    }
    growth = {}
    for code in codes:
        before, now = amounts.get((code, year - 1)), amounts.get((code, year))
        if before and now is not None:
            growth[code] = _round((now - before) * HUNDRED / before)
    return growth


def _coverage(user, area: str, codes: list[str], day: date) -> dict[str, Decimal]:
    key_posts = set(PostType.objects.filter(is_key=True).values_list("pk", flat=True))
    if not key_posts:
        return {}
    held = key_posts_with_reserves(user, area, day, key_posts)
    return {code: _round(Decimal(len(held.get(code, set()))) * HUNDRED / len(key_posts)) for code in codes}


def _mean_by_village(queryset, field: str) -> dict[str, Decimal]:
    rows = queryset.values("term__seat__village_id").annotate(mean=Avg(field))
    return {
        row["term__seat__village_id"]: _round(Decimal(str(row["mean"])))
        for row in rows
        if row["mean"] is not None
    }


def _scale(values: dict[str, Decimal | None]) -> dict[str, Decimal]:
    present = [v for v in values.values() if v is not None]
    if not present:
        return dict.fromkeys(values, Decimal(0))
    low, high = min(present), max(present)
    return {
        code: Decimal(0)
        if v is None
        else HUNDRED
        if high == low
        else _round((v - low) * HUNDRED / (high - low), CENT)
        for code, v in values.items()
    }


def _rank(rows: list[VillageRow]) -> None:
    rows.sort(key=lambda row: (-row.composite, row.village.code))
    for index, row in enumerate(rows):
        same = index and rows[index - 1].composite == row.composite
        row.rank = rows[index - 1].rank if same else index + 1


def compare(user, area: Division, year: int, today: date) -> tuple[list[VillageRow], dict[str, int]]:
    """The villages (村委会) under `area` (a township or county inside the user's jurisdiction), ranked."""
    villages = list(
        Division.objects.restrict(user).under(area.code).administrative_villages().order_by("code")
    )
    codes = [v.code for v in villages]
    weights = settings_for(area.code[:6]).weights()
    day = min(date(year, 12, 31), today)
    terms = {"term__seat__village__code__startswith": area.code}
    figures = {
        "income_growth": _income_growth(codes, year),
        "coverage": _coverage(user, area.code, codes, day),
        "monthly": _mean_by_village(
            MonthlyScore.objects.restrict(user).filter(month__year=year, **terms), "total"
        ),
        # The villagers' own answers (a survey the county lets count) where there are any, else 双述双评's.
        "satisfaction": {
            **_mean_by_village(
                AnnualReview.objects.restrict(user).filter(year=year, **terms), "satisfaction"
            ),
            **{code: _round(value) for code, value in village_satisfaction(user, area.code, year).items()},
        },
    }
    scaled = {name: _scale({code: figures[name].get(code) for code in codes}) for name in MEASURES}
    total_weight = sum(weights.values()) or 1
    rows = []
    for village in villages:
        row = VillageRow(
            village,
            {name: figures[name].get(village.code) for name in MEASURES},
            {name: scaled[name][village.code] for name in MEASURES},
        )
        weighted = sum((weights[n] * row.scaled[n] for n in MEASURES), Decimal(0))
        row.composite = _round(weighted / total_weight, CENT)
        rows.append(row)
    _rank(rows)
    return rows, weights
