"""The dimensions a county scores its reserves on (assessments and 回头看 check-ups), and the snapshot each
record keeps of them. One place for: which dimensions a county uses today (`for_county`), what a record was
scored on (`of_record`), the snapshot and its checks (`score`), the weighted total (`weighted_total`), and the
columns a list of records shows (`columns`).

A county that saved no `AssessmentDimension` uses the default four (`DIMENSIONS`) with the weights of its
`AssessmentSettings`, so nothing moves for it. The default four keep their own columns on `Assessment` and
`Checkup` (filled from the snapshot), which the exports and the API read as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from yanzhen.assessments import rules
from yanzhen.assessments.models import DIMENSIONS, AssessmentDimension, AssessmentSettings

DEFAULT_KEYS = tuple(DIMENSIONS)


@dataclass(frozen=True)
class Dimension:
    key: str
    name: str
    weight: int


def defaults(settings: AssessmentSettings) -> list[Dimension]:
    """The default four with the county's weights (25 each while unsaved)."""
    return [Dimension(key, DIMENSIONS[key], settings.weights[key]) for key in DEFAULT_KEYS]


def has_own(county_code: str) -> bool:
    """Whether the county saved its own list (then its settings' four weights no longer apply)."""
    return AssessmentDimension.objects.filter(county_id=county_code[:6]).exists()


def for_county(county_code: str) -> list[Dimension]:
    """The dimensions the county scores today: its active rows in order, or the default four."""
    rows = list(AssessmentDimension.objects.filter(county_id=county_code[:6]))
    if not rows:
        return defaults(rules.settings_for(county_code))
    return [Dimension(row.key, row.name, row.weight) for row in rows if row.active]


def for_division(code: str) -> list[Dimension]:
    """The dimensions of the county a division lies in; above a county (a city, a province, everything) the
    default four, as the columns of a list with nothing scored yet."""
    if len(code) >= 6:
        return for_county(code)
    return defaults(AssessmentSettings())


def is_default(dimensions: Iterable[Dimension]) -> bool:
    """The default set: the four keys and their own names (weights may differ), in any order."""
    return sorted((d.key, d.name) for d in dimensions) == sorted(DIMENSIONS.items())


def snapshot_of(record: Any) -> list[dict]:
    """A record's snapshot, or for a row written before snapshots (or by a path that set only the four
    columns) the default four read from its columns, weights unknown."""
    if record.scores:
        return list(record.scores)
    return [
        {"key": key, "name": name, "weight": None, "score": getattr(record, key)}
        for key, name in DIMENSIONS.items()
    ]


def of_record(record: Any, county_code: str) -> list[Dimension]:
    """What a saved record was scored on (its snapshot), else the county's dimensions today."""
    if record is not None and getattr(record, "pk", None) and record.scores:
        return [Dimension(item["key"], item["name"], item["weight"]) for item in record.scores]
    return for_county(county_code)


def score(
    dimensions: list[Dimension], values: Mapping[str, Any], *, required: bool
) -> tuple[list[dict], dict[str, str]]:
    """The snapshot of `values` (scores by key) on `dimensions`, and the errors keyed by each dimension's key
    (a score outside 0–100, a missing one when `required`, a key the dimensions do not have)."""
    errors: dict[str, str] = {}
    known = {d.key for d in dimensions}
    for key, value in values.items():
        if key not in known and value is not None:
            name = DIMENSIONS.get(key, key)
            errors[key] = f"本次考核的维度中没有“{name}”，不能为它打分"
    snapshot = []
    for dimension in dimensions:
        value = values.get(dimension.key)
        if value is None:
            if required:
                errors[dimension.key] = f"请填写{dimension.name}得分"
        elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            errors[dimension.key] = f"{dimension.name}得分须为 0 到 100 之间的整数"
        snapshot.append(
            {"key": dimension.key, "name": dimension.name, "weight": dimension.weight, "score": value}
        )
    return snapshot, errors


def weighted_total(snapshot: list[dict]) -> Decimal | None:
    """Σ score × weight / Σ weight, two decimals rounded half up; None unless every dimension is scored."""
    if not snapshot or any(item["score"] is None or item["weight"] is None for item in snapshot):
        return None
    total_weight = sum(item["weight"] for item in snapshot) or 1
    total = sum(Decimal(item["score"]) * item["weight"] for item in snapshot) / Decimal(total_weight)
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def fill_columns(record: Any, snapshot: list[dict]) -> None:
    """The snapshot on the record, and the default four's own columns from it (None for a dimension the
    record was not scored on)."""
    record.scores = snapshot
    by_key = {item["key"]: item["score"] for item in snapshot}
    for key in DEFAULT_KEYS:
        setattr(record, key, by_key.get(key))


def columns(records: Iterable[Any], fallback: list[Dimension]) -> list[tuple[str, str]]:
    """The (key, name) columns a list or an export of `records` shows: every dimension any of them was scored
    on, in the order first met (a county that switched sets mid-way shows both); `fallback` (the county's
    today) when none was."""
    seen: dict[str, str] = {}
    for record in records:
        if record is None:
            continue
        for item in snapshot_of(record):
            seen.setdefault(item["key"], item["name"])
    if not seen:
        return [(d.key, d.name) for d in fallback]
    return list(seen.items())


def score_in(record: Any, key: str) -> int | None:
    for item in snapshot_of(record):
        if item["key"] == key:
            return item["score"]
    return None
