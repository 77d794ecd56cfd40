"""The xlsx of a pair: its villages' collective income before and since it began, and its activities."""

from __future__ import annotations

from openpyxl import Workbook

from yanzhen.core import xlsx
from yanzhen.core.guards import today
from yanzhen.core.views_kit import export_response
from yanzhen.pairing.models import VillagePair
from yanzhen.pairing.selectors import income_effect


def _number(value):
    return float(value) if value is not None else ""


def income_workbook(pair: VillagePair) -> Workbook:
    members = list(pair.members.all())
    effects = income_effect(pair, members, today())
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("集体经济收入")
    xlsx.append(sheet, [f"{pair.name}（{pair.get_kind_display()}，{pair.start:%Y-%m-%d} 起）"])
    years = [year for year, _amount in effects[0].years] if effects else []
    before_year = pair.start.year - 1
    xlsx.append(
        sheet,
        [
            "村",
            "结对中的角色",
            f"{before_year} 年（结对前）",
            *[f"{year} 年" for year in years],
            "变化（万元）",
            "变化率（%）",
        ],
    )
    for effect in effects:
        xlsx.append(
            sheet,
            [
                effect.village_name,
                effect.role,
                _number(effect.before),
                *[_number(amount) for _year, amount in effect.years],
                _number(effect.change),
                _number(effect.change_percent),
            ],
        )
    xlsx.append(sheet, [])
    xlsx.append(sheet, ["单位：万元。变化为结对后最近一个有记录的年份与结对前一年之差。"])
    activities = workbook.create_sheet("联建活动")
    xlsx.append(activities, ["日期", "活动", "参加人员", "备注"])
    for activity in pair.activities.order_by("held_on", "pk"):
        xlsx.append(activities, [activity.held_on, activity.title, activity.participants, activity.note])
    return workbook


def income_export(request, pair: VillagePair):
    return export_response(
        request,
        income_workbook(pair),
        title=f"结对成效：{pair.name}",
        detail={"pair": pair.pk},
        filename=f"结对成效_{pair.name}.xlsx",
        fallback=f"village_pair_{pair.pk}.xlsx",
    )
