"""yanzhen election-report --election ID [--json]: the report of an election filed upward (issue 16 §4).

The command line is the operator's: it sees every village. The JSON is the same dict as
GET /api/v1/elections/{id}/report (elections.report.election_report); without --json a readable Chinese
table: a row per township and the total, then the targets missed.
"""

import json
import unicodedata

from django.core.management.base import BaseCommand, CommandError

from yanzhen.elections.report import (
    ReportInputError,
    get_election,
    report_data,
    summarise,
    township_rows,
    village_names,
)
from yanzhen.elections.rules import TARGET_LABELS


def _width(text: str) -> int:
    """Columns a text takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _cell(text, width: int, *, left: bool = False) -> str:
    text = "—" if text is None else str(text)
    pad = " " * max(0, width - _width(text))
    return text + pad if left else pad + text


COLUMNS = [
    ("村数", "villages", 5),
    ("已换届", "villages_elected", 6),
    ("来自后备", "from_pool", 9),
    ("达标村", "met", 6),
]
SIDE_COLUMNS = [
    ("成员", "members", 5),
    ("平均年龄", "average_age", 8),
    ("大专%", "college_or_above_pct", 7),
    ("35岁下%", "under_35_pct", 8),
    ("女性%", "women_pct", 7),
    ("一肩挑%", "one_shoulder_pct", 8),
    ("交叉%", "cross_post_pct", 7),
]
NAME_WIDTH = 16


def _row_cells(name: str, summary: dict) -> list[str]:
    values = {
        "villages": summary["villages"],
        "villages_elected": summary["villages_elected"],
        "from_pool": f"{summary['from_pool']['count']}/{summary['from_pool']['pct']:.2f}%",
        "met": summary["targets"]["met"],
    }
    cells = [_cell(name, NAME_WIDTH, left=True)]
    cells += [_cell(values[key], width) for _label, key, width in COLUMNS]
    for side in ("before", "after"):
        figures = summary[side]
        cells += [
            _cell(f"{figures[key]:.2f}" if key.endswith("_pct") else figures[key], width)
            for _label, key, width in SIDE_COLUMNS
        ]
    return cells


def render_table(election, rows: list[tuple[str, str, dict]], names: dict[str, str]) -> str:
    """The report as a readable Chinese table."""
    total = rows[-1][2]
    header = [_cell("单位", NAME_WIDTH, left=True)]
    header += [_cell(label, width) for label, _key, width in COLUMNS]
    header += [_cell(label, width) for _side in ("before", "after") for label, _key, width in SIDE_COLUMNS]
    lead = NAME_WIDTH + 1 + sum(width + 1 for _label, _key, width in COLUMNS)
    side_width = sum(width + 1 for _label, _key, width in SIDE_COLUMNS)
    lines = [
        f"{election}（编号 {election.pk}）",
        f"换届前：{election.starts_on:%Y-%m-%d} 前一日的村“两委”；换届后：各村选举日的新一届村“两委”"
        "（未换届的村按换届前计）",
        "",
        " " * lead + _cell("【换届前】", side_width, left=True) + _cell("【换届后】", side_width, left=True),
        " ".join(header),
    ]
    lines += [" ".join(_row_cells(name, summary)) for _code, name, summary in rows]
    lines += [
        "",
        f"达标村数（已换届且无村级未达标项）：{total['targets']['met']} / {total['villages_elected']}",
    ]
    missed = total["targets"]["missed"]
    if missed:
        lines.append("未达标项：")
        for miss in missed:
            label = TARGET_LABELS.get(miss["target"], miss["target"])
            place = names.get(miss["village"], miss["village"])
            lines.append(f"  {place}（{miss['village']}）  {label}：{miss['detail']}")
    else:
        lines.append("未达标项：无")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Print the report of an election (a readable table, or the API's JSON with --json)."

    def add_arguments(self, parser):
        parser.add_argument("--election", required=True, help="the election's id")
        parser.add_argument(
            "--json",
            dest="as_json",
            action="store_true",
            help="print the JSON of GET /api/v1/elections/{id}/report",
        )

    def handle(self, *args, election: str, as_json: bool, **options):
        try:
            found = get_election(None, election)
        except ReportInputError as wrong:
            raise CommandError(str(wrong)) from None
        data = report_data(None, found)
        if as_json:
            self.stdout.write(json.dumps(summarise(data, data.villages), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_table(found, township_rows(data), village_names(data)))
