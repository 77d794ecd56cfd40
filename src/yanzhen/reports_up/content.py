"""What a snapshot freezes (issue 20 §3): the content of each kind, computed once when the county submits.

Every kind's content carries a `table`: one row per township (`rows`: unit, code, counts) and the county's
`total`, counts only (people counted, villages counted), so a city or a province adds counties up by summing
counts and computes every share again from the sums (`derived`), never averaging percentages. The kind's own
report (the year's figures of `yanzhen stats`, the election report of `elections.report`) is kept beside it
(`report`) as it was. Nothing personal: figures, the names of divisions and of the submitting user.

The counts read the stats' definitions (`stats.figures`, `stats.reports.BANDS`) and the election report's
(`elections.report`), never written again here.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from yanzhen.divisions.models import Division
from yanzhen.elections import report as election_reports
from yanzhen.elections.models import Election
from yanzhen.reports_up.models import Kind
from yanzhen.stats import figures, selectors
from yanzhen.stats.figures import Scope, pct, ratio
from yanzhen.stats.reports import BANDS

FORMAT = "yanzhen-snapshot/1"

# The counts of the structure table, in its column order (stats/reports.py: 村数, 总数, the bands, 达标村数).
STRUCTURE_COUNTS = ["villages", "total", *(path[-1] for _group, _band, path in BANDS), "villages_covered"]
YEAR_COUNTS = [*STRUCTURE_COUNTS, "secretaries", "chairs", "committee", "entered", "promoted", "removed"]
ELECTION_COUNTS = ["villages", "villages_elected", "members_before", "members_after", "elected", "from_pool"]
COUNTS: dict[str, list[str]] = {
    Kind.STRUCTURE: STRUCTURE_COUNTS,
    Kind.YEAR: YEAR_COUNTS,
    Kind.ELECTION: ELECTION_COUNTS,
}

# Shares computed from the counts: (name, numerator, denominator, "pct" in percent | "ratio").
SHARE_BANDS = [(f"{path[-1]}_pct", path[-1], "total", "pct") for _group, _band, path in BANDS]
STRUCTURE_SHARES = [
    ("per_village", "total", "villages", "ratio"),
    *SHARE_BANDS,
    ("coverage_pct", "villages_covered", "villages", "pct"),
]
ELECTION_SHARES = [
    ("villages_elected_pct", "villages_elected", "villages", "pct"),
    ("from_pool_pct", "from_pool", "elected", "pct"),
]
SHARES: dict[str, list[tuple[str, str, str, str]]] = {
    Kind.STRUCTURE: STRUCTURE_SHARES,
    Kind.YEAR: STRUCTURE_SHARES,
    Kind.ELECTION: ELECTION_SHARES,
}

# The reports' titles in the files (Chinese documents whatever the interface language).
KIND_TITLES: dict[str, str] = {
    Kind.STRUCTURE: "村级后备力量结构统计表",
    Kind.ELECTION: "换届选举情况报告",
    Kind.YEAR: "年度统计数据",
}

# Column headings of the tables (Chinese documents whatever the interface language).
HEADINGS = {
    "villages": "村（村委会）数",
    "total": "后备力量总数",
    **{path[-1]: band for _group, band, path in BANDS},
    "villages_covered": "一村一职一备达标村数",
    "secretaries": "村党组织书记",
    "chairs": "村委会主任",
    "committee": "两委成员",
    "entered": "本年入库",
    "promoted": "本年使用",
    "removed": "本年出库",
    "villages_elected": "已完成选举村数",
    "members_before": "换届前两委成员",
    "members_after": "换届后两委成员",
    "elected": "新当选人数",
    "from_pool": "其中来自后备库",
    "per_village": "村均人数",
    **{f"{path[-1]}_pct": f"{band}占比" for _group, band, path in BANDS},
    "coverage_pct": "覆盖率",
    "villages_elected_pct": "完成率",
    "from_pool_pct": "来自后备库比例",
}


def as_of_for(year: int, on: date) -> date:
    """The day a year's report is taken on: 31 December, or today for the year still running."""
    return min(date(year, 12, 31), on)


def derived(kind: str, counts: dict) -> dict:
    """The shares of a row, computed from its counts (the same rounding as the figures: half up)."""
    found: dict = {}
    for name, numerator, denominator, how in SHARES[kind]:
        top, bottom = counts.get(numerator, 0), counts.get(denominator, 0)
        found[name] = pct(top, bottom) if how == "pct" else (ratio(top, bottom) or 0.0)
    return found


def summed(kind: str, rows: list[dict]) -> dict:
    return {name: sum(int(row.get(name, 0)) for row in rows) for name in COUNTS[kind]}


def _figure_counts(kind: str, result: dict) -> dict:
    reserves = result["reserves"]
    counts = {"villages": reserves["villages"], "total": reserves["total"]}
    for _group, _band, path in BANDS:
        entry = reserves
        for key in path:
            entry = entry[key]
        counts[path[-1]] = entry["count"]
    counts["villages_covered"] = result["coverage"]["villages_covered"]
    if kind == Kind.YEAR:
        for name in ("secretaries", "chairs", "committee"):
            counts[name] = result["incumbents"][name]["count"]
        for name in ("entered", "promoted", "removed"):
            counts[name] = result["flow"][name]
    return counts


def _row(unit: str, code: str, counts: dict) -> dict:
    return {"unit": unit, "code": code, "counts": counts}


def figures_table(kind: str, scope: Scope) -> tuple[dict, dict]:
    """The structure table (or the year's table) of a county: a row per township, the total; and the
    county's figures as `yanzhen stats` gives them."""
    rows = [
        _row(
            child.division.name,
            child.division.code,
            _figure_counts(kind, figures.figures_for(scope.with_division(child.division))),
        )
        for child in selectors.children(scope)
    ]
    report = figures.figures_for(scope, destinations=kind == Kind.YEAR)
    return {"rows": rows, "total": _figure_counts(kind, report)}, report


def _election_counts(data: election_reports.ReportData, villages: list) -> dict:
    elected = set().union(*(v.elected for v in villages)) if villages else set()
    pooled = set().union(*(v.from_pool for v in villages)) if villages else set()
    return {
        "villages": len(villages),
        "villages_elected": sum(1 for v in villages if v.has_results),
        "members_before": election_reports.committee_figures(data, villages, "before")["members"],
        "members_after": election_reports.committee_figures(data, villages, "after")["members"],
        "elected": len(elected),
        "from_pool": len(pooled),
    }


def election_table(actor, election: Election) -> tuple[dict, dict]:
    data = election_reports.report_data(actor, election)
    rows = []
    for code, name in sorted(data.townships.items()):
        villages = [v for v in data.villages if v.township == code]
        if villages:
            rows.append(_row(name, code, _election_counts(data, villages)))
    report = election_reports.summarise(data, data.villages)
    return {"rows": rows, "total": _election_counts(data, data.villages)}, report


def build(*, actor, county: Division, kind: str, year: int, as_of: date, election: Election | None) -> dict:
    """The content a snapshot freezes (what is signed)."""
    if kind == Kind.ELECTION and election is not None:
        table, report = election_table(actor, election)
    else:
        table, report = figures_table(kind, figures.Scope(actor, county, as_of))
    if kind == Kind.STRUCTURE:
        report = {}  # the table is the report
    return {
        "format": FORMAT,
        "division": county.code,
        "division_name": county.name,
        "kind": kind,
        "year": year,
        "as_of": as_of.isoformat(),
        "election": election.pk if election is not None else None,
        "submitted_by": str(actor),  # the display name, else the username
        "submitted_on": timezone.now().isoformat(timespec="seconds"),
        "table": table,
        "report": report,
    }
