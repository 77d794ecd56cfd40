"""The xlsx of the villages compared: each village's figures, scaled scores, composite and rank."""

from __future__ import annotations

from openpyxl import Workbook

from yanzhen.core import xlsx
from yanzhen.core.views_kit import export_response
from yanzhen.rankings.measures import LABELS, MEASURES


def _number(value):
    return float(value) if value is not None else ""


def comparison_export(request, area, year: int, rows, weights: dict[str, int]):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("比学赶超")
    xlsx.append(sheet, [f"{area.name} {year} 年村级比学赶超排名"])
    xlsx.append(sheet, ["权重：" + "，".join(f"{LABELS[m]} {weights[m]}" for m in MEASURES)])
    xlsx.append(
        sheet,
        [
            "名次",
            "乡镇",
            "村",
            *[LABELS[m] for m in MEASURES],
            *[f"{LABELS[m]}（折算分）" for m in MEASURES],
            "综合得分",
        ],
    )
    for row in rows:
        xlsx.append(
            sheet,
            [
                row.rank,
                row.village.parent.name if row.village.parent else "",
                row.village.name,
                *[_number(row.values[m]) for m in MEASURES],
                *[_number(row.scaled[m]) for m in MEASURES],
                _number(row.composite),
            ],
        )
    return export_response(
        request,
        workbook,
        title=f"比学赶超排名：{area.name} {year}",
        detail={"area": area.code, "year": year, "rows": len(rows)},
        filename=f"比学赶超_{area.name}_{year}.xlsx",
        fallback=f"villages_compared_{area.code}_{year}.xlsx",
    )
