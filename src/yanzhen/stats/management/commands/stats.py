"""yanzhen stats --division CODE [--as-of YYYY-MM-DD] [--json | --verify | --refresh]: the figures of a
division on a date.

The command line is the operator's: it sees every division. The JSON is the same dict as
GET /api/v1/stats (stats.figures.compute). `--verify` compares the figures added up from the per-county
counts kept per day (stats.rollup) with the figures computed directly, and fails naming every number that
differs; `--refresh` computes the division's counties' counts for the date again (a nightly job runs it for
today, so the first request of the day does not wait for them).
"""

import json
import unicodedata

from django.core.management.base import BaseCommand, CommandError

from yanzhen.stats import rollup
from yanzhen.stats.figures import StatsInputError, compute, make_scope


def _width(text: str) -> int:
    """Columns a text takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _line(label: str, value) -> str:
    return f"  {label}{' ' * max(1, 22 - _width(label))}{value}"


def _share(entry: dict) -> str:
    return f"{entry['count']:>6}  {entry['pct']:.2f}%"


def render_table(result: dict) -> str:
    """The figures as a readable Chinese table."""
    reserves = result["reserves"]
    coverage = result["coverage"]
    lines = [
        f"{result['division_name']}（{result['division']}）  统计日期 {result['as_of']}",
        "",
        "后备力量",
        _line("总数", reserves["total"]),
        _line("村（村委会）数", reserves["villages"]),
        _line("村均", f"{reserves['per_village']:.2f}"),
        _line("35岁以下", _share(reserves["age"]["under_35"])),
        _line("35至50岁", _share(reserves["age"]["35_to_50"])),
        _line("50岁以上", _share(reserves["age"]["over_50"])),
        _line("平均年龄", reserves["age"]["average"] if reserves["age"]["average"] is not None else "—"),
        _line("大专及以上", _share(reserves["education"]["college_or_above"])),
        _line("中专及以下", _share(reserves["education"]["secondary_or_below"])),
        _line("男", _share(reserves["gender"]["male"])),
        _line("女", _share(reserves["gender"]["female"])),
        _line("中共党员(含预备)", _share(reserves["party_members"])),
        _line("有产业经历", _share(reserves["with_industry_experience"])),
    ]
    if reserves["education"]["unknown"]["count"]:
        lines.append(_line("学历未记录", _share(reserves["education"]["unknown"])))
    lines += ["", "来源"]
    lines += [_line(name, _share(entry)) for name, entry in reserves["source"].items() if entry["count"]]
    lines += [
        "",
        "一村一职一备",
        _line("达标村数", f"{coverage['villages_covered']} / {coverage['villages']}  {coverage['pct']:.2f}%"),
    ]
    for name, post in coverage["posts"].items():
        lines.append(_line(name, f"{post['covered']} / {post['seats']}  {post['pct']:.2f}%"))
    names = {"secretaries": "村党组织书记", "chairs": "村委会主任", "committee": "村“两委”成员"}
    lines += ["", "现任干部"]
    groups: dict[str, dict] = dict(result["incumbents"])
    professional = groups.pop("professional_secretaries", None)
    for key, group in groups.items():
        average = group["average_age"] if group["average_age"] is not None else "—"
        lines.append(
            _line(
                names.get(key, key),
                f"{group['count']} 人，平均 {average} 岁，大专及以上 {group['college_or_above_pct']:.2f}%，"
                f"45岁以下 {group['under_45_pct']:.2f}%",
            )
        )
    if professional is not None:
        lines.append(_line("专业化管理的村党组织书记", f"{professional['count']} 人"))
    flow = result["flow"]
    lines += [
        "",
        "近一年进出",
        _line("入库", flow["entered"]),
        _line("使用", flow["promoted"]),
        _line("出库", flow["removed"]),
    ]
    prospects = result.get("prospects")
    if prospects is not None:  # 雏雁计划, when the prospects app is installed
        lines += [
            "",
            "雏雁计划",
            _line("在册人选", prospects["total"]),
            _line("本年已联系", prospects["contacted_this_year"]),
            _line("本年推荐为后备人选", prospects["converted_this_year"]),
        ]
    return "\n".join(lines)


def differences(summed, direct, path: str = "") -> list[str]:
    """Every leaf of two figure dicts that differs, as "reserves.total：汇总 9，直接计算 8"."""
    if isinstance(summed, dict) and isinstance(direct, dict):
        found = []
        for key in sorted(set(summed) | set(direct), key=str):
            found += differences(summed.get(key), direct.get(key), f"{path}.{key}" if path else str(key))
        return found
    return [] if summed == direct else [f"{path}：汇总 {summed}，直接计算 {direct}"]


class Command(BaseCommand):
    help = "Print the figures of a division on a date (a readable table, or the API's JSON with --json)."

    def add_arguments(self, parser):
        parser.add_argument("--division", required=True, help="division code, e.g. 640323")
        parser.add_argument("--as-of", dest="as_of", default="", help="YYYY-MM-DD; today when omitted")
        parser.add_argument(
            "--succession",
            action="store_true",
            help="add the succession figures (梯队: seats, ready now, emergency cover, high risk); slow for a province",
        )
        what = parser.add_mutually_exclusive_group()
        what.add_argument(
            "--json", dest="as_json", action="store_true", help="print the JSON of GET /api/v1/stats"
        )
        what.add_argument(
            "--verify",
            action="store_true",
            help="compare the figures added up from the per-county counts with the direct computation",
        )
        what.add_argument(
            "--refresh", action="store_true", help="compute the per-county counts of the date again"
        )

    def handle(
        self,
        *args,
        division: str,
        as_of: str,
        as_json: bool,
        verify: bool,
        refresh: bool,
        succession: bool,
        **options,
    ):
        try:
            if verify:
                return self.verify(division, as_of)
            if refresh:
                return self.refresh(division, as_of)
            result = compute(None, division, as_of or None, succession=succession)
        except StatsInputError as wrong:
            raise CommandError(str(wrong)) from None
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_table(result))

    def verify(self, division: str, as_of: str) -> None:
        scope = make_scope(None, division, as_of or None)
        summed, direct = rollup.verify(scope.division.code, scope.as_of)
        counties = len(rollup.county_codes(scope.division))
        found = differences(summed, direct)
        where = f"{scope.division.code}，{scope.as_of.isoformat()}，{counties} 个县"
        if found:
            raise CommandError(f"按县汇总的数字与直接计算不一致（{where}）：\n" + "\n".join(found))
        self.stdout.write(f"按县汇总的数字与直接计算一致：{where}")

    def refresh(self, division: str, as_of: str) -> None:
        scope = make_scope(None, division, as_of or None)
        counties = rollup.refresh_all(scope)
        self.stdout.write(
            f"已重新计算 {scope.division.code} 的 {counties} 个县在 {scope.as_of.isoformat()} 的数字"
        )
