"""The county's settings of 管 (report due date, period, weights, the cap on 优秀) and its assessment
dimensions (the default four, its own list, the 五强 preset)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction

from yanzhen.assessments import dimensions, rules
from yanzhen.assessments.models import (
    DIMENSIONS,
    WUQIANG,
    AssessmentDimension,
    AssessmentSettings,
)
from yanzhen.assessments.periods import PeriodKind
from yanzhen.core.county_settings import county_errors, save_county_row
from yanzhen.core.guards import attribute_to, raise_errors
from yanzhen.core.text import normalise
from yanzhen.divisions.models import Division

NAME_MAX = 50


@transaction.atomic
def save_settings(
    *,
    actor,
    county: Division,
    report_due_days: int,
    period_kind: str,
    weight_political: int | None = None,
    weight_ability: int | None = None,
    weight_conduct: int | None = None,
    weight_reputation: int | None = None,
    excellent_cap_percent: int | None,
) -> AssessmentSettings:
    """The county organisation department sets the due date of reports, the assessment period, the weights
    of the four dimensions (summing to 100) and the optional cap on 优秀. A county that saved its own
    dimensions weighs them there: the four weights are then left as they are."""
    errors = county_errors(actor, county, may=rules.may_change_settings, visible=rules.county_visible)
    if report_due_days is None or not 0 <= report_due_days <= 180:
        errors["report_due_days"] = "汇报截止天数须在 0 到 180 之间"
    if period_kind not in PeriodKind.values:
        errors["period_kind"] = "考核周期须为半年或一年"
    weights = {
        "weight_political": weight_political,
        "weight_ability": weight_ability,
        "weight_conduct": weight_conduct,
        "weight_reputation": weight_reputation,
    }
    if dimensions.has_own(county.code):
        weights = {}
    elif any(w is None or w < 0 for w in weights.values()):
        errors["weight_political"] = "四个维度的权重须为不小于 0 的整数"
    elif sum(weights.values()) != 100:  # type: ignore[arg-type]
        errors["weight_political"] = f"四个维度的权重之和须为 100，现为 {sum(weights.values())}"  # type: ignore[arg-type]
    if excellent_cap_percent is not None and not 1 <= excellent_cap_percent <= 100:
        errors["excellent_cap_percent"] = "优秀比例上限须在 1% 到 100% 之间，不设上限请留空"
    raise_errors(errors)
    return save_county_row(
        actor,
        AssessmentSettings,
        county,
        report_due_days=report_due_days,
        period_kind=period_kind,
        excellent_cap_percent=excellent_cap_percent,
        **weights,
    )


@dataclass(frozen=True)
class DimensionRow:
    """One line of the county's list as the settings page (or the preset) gives it: `key` "" for a new one."""

    key: str
    name: str
    weight: int | None
    active: bool = True


def _line_errors(index: int, row: DimensionRow, known: set[str], seen: set[str]) -> dict[str, str]:
    """One line: a known key, a name (unique, at most 50 characters), a weight 0–100 (not 0 when in use)."""
    errors: dict[str, str] = {}
    if row.key and row.key not in known:
        errors[f"key_{index}"] = f"第 {index} 项：考核维度不存在"
    if not row.name:
        errors[f"name_{index}"] = f"第 {index} 项：请填写维度名称"
    elif len(row.name) > NAME_MAX:
        errors[f"name_{index}"] = f"第 {index} 项：维度名称不能超过 {NAME_MAX} 字"
    elif row.name in seen:
        errors[f"name_{index}"] = f"第 {index} 项：维度“{row.name}”重复"
    seen.add(row.name)
    if row.weight is None or isinstance(row.weight, bool) or not 0 <= row.weight <= 100:
        errors[f"weight_{index}"] = f"第 {index} 项：权重须为 0 到 100 的整数"
    elif row.active and row.weight == 0:
        errors[f"weight_{index}"] = f"第 {index} 项：启用的维度权重不能为 0"
    return errors


def _row_errors(rows: list[DimensionRow], known: set[str]) -> dict[str, str]:
    """Each line (`_line_errors`), then at least one in use and the weights in use summing to 100."""
    errors: dict[str, str] = {}
    seen: set[str] = set()
    for index, row in enumerate(rows, start=1):
        errors.update(_line_errors(index, row, known, seen))
    in_use = [row for row in rows if row.active]
    if not in_use:
        errors["dimensions"] = "考核维度：请至少启用一个维度"
    elif not errors and sum(row.weight or 0 for row in in_use) != 100:
        errors["dimensions"] = (
            f"权重：启用的考核维度权重之和须为 100，现为 {sum(row.weight or 0 for row in in_use)}"
        )
    return errors


def _new_key(taken: set[str]) -> str:
    numbers = [int(m.group(1)) for key in taken if (m := re.fullmatch(r"dim_(\d+)", key))]
    key = f"dim_{max(numbers, default=0) + 1}"
    taken.add(key)
    return key


@transaction.atomic
def save_dimensions(*, actor, county: Division, rows: list[DimensionRow]) -> list[AssessmentDimension]:
    """Replace the county's list of dimensions by `rows`, in their order: rename, reweight, reorder, switch
    on or off, add (key ""). A row of the county the list leaves out is switched off, never deleted. The
    first save writes the default four too (the list starts from them). Records already scored keep their
    own copy (`Assessment.scores`)."""
    errors = county_errors(actor, county, may=rules.may_change_settings, visible=rules.county_visible)
    existing = {row.key: row for row in AssessmentDimension.objects.select_for_update().filter(county=county)}
    rows = [DimensionRow(row.key, normalise(row.name or "").strip(), row.weight, row.active) for row in rows]
    errors.update(_row_errors(rows, set(existing) | set(DIMENSIONS) | set(WUQIANG)))
    raise_errors(errors)
    if not existing:  # the list started from the default four: those left out are kept, switched off
        rows += _defaults_left_out(county, rows)
    taken = set(existing)
    saved = []
    for position, row in enumerate(rows, start=1):
        key = row.key or _new_key(taken)
        taken.add(key)
        record = existing.pop(key, None) or AssessmentDimension(county=county, key=key)
        _save_row(actor, record, name=row.name, weight=row.weight, position=position, active=row.active)
        saved.append(record)
    for record in existing.values():  # the rows the list left out
        _save_row(actor, record, active=False)
    return saved


def _defaults_left_out(county: Division, rows: list[DimensionRow]) -> list[DimensionRow]:
    keys, names = {row.key for row in rows}, {row.name for row in rows}
    return [
        DimensionRow(d.key, d.name, d.weight, active=False)
        for d in dimensions.for_county(county.code)
        if d.key not in keys and d.name not in names
    ]


def _save_row(actor, record: AssessmentDimension, **values) -> None:
    """Save the row with `values` when it is new or they change it (history only for a real change)."""
    if record.pk is not None and all(getattr(record, name) == value for name, value in values.items()):
        return
    for name, value in values.items():
        setattr(record, name, value)
    attribute_to(record, actor)
    record.save()


def current_rows(county: Division) -> list[DimensionRow]:
    """The county's list as the settings page shows it: every row in order (those switched off too), or the
    default four with the county's weights while it saved none."""
    rows = list(AssessmentDimension.objects.filter(county=county))
    if rows:
        return [DimensionRow(row.key, row.name, row.weight, row.active) for row in rows]
    return [DimensionRow(d.key, d.name, d.weight) for d in dimensions.for_county(county.code)]


@transaction.atomic
def use_wuqiang(*, actor, county: Division) -> list[AssessmentDimension]:
    """One click: the 五强 of seed 003 in use, 20 each, first; every other dimension switched off (kept)."""
    county_errors(actor, county, may=rules.may_change_settings, visible=rules.county_visible)
    by_key = {row.key: row for row in current_rows(county)}
    rows = [
        DimensionRow(key, by_key[key].name if key in by_key else name, 20) for key, name in WUQIANG.items()
    ]
    rows += [
        DimensionRow(row.key, row.name, row.weight, active=False)
        for row in by_key.values()
        if row.key not in WUQIANG
    ]
    return save_dimensions(actor=actor, county=county, rows=rows)
