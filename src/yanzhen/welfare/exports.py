"""The xlsx of 待遇保障 for the finance office and the county: a township's monthly pay sheet (title, township,
month, generated on and by, one row per term, the total row, the sheet's rules) and the register of 离任生活补贴.
Every cell through `core.xlsx`; each export written to the audit log (`core.views_kit.export_response`)."""

from __future__ import annotations

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from yanzhen.core import xlsx
from yanzhen.core.views_kit import export_response
from yanzhen.divisions.models import Division
from yanzhen.welfare.allowance import RegisterRow
from yanzhen.welfare.pay import PaySheet

PAY_HEADER = [
    "村",
    "姓名",
    "职务",
    "任职天数",
    "基本报酬",
    "补贴",
    "绩效基数",
    "考评等次",
    "绩效比例",
    "绩效报酬",
    "应发合计",
]
MONEY = "#,##0.00"
BOLD = Font(bold=True)


def _line(sheet, values: list, *, money_from: int | None = None, bold: bool = False) -> None:
    cells = []
    for index, value in enumerate(values):
        styles: dict = {"font": BOLD} if bold else {}
        made = xlsx.cell(sheet, value, **styles)
        if (
            money_from is not None
            and index >= money_from
            and value is not None
            and not isinstance(value, str)
        ):
            made.number_format = MONEY
        cells.append(made)
    sheet.append(cells)


def _stamp(request) -> str:
    return f"生成时间：{timezone.localtime():%Y-%m-%d %H:%M}　生成人：{request.user.get_username()}"


def send_pay_sheet(request, paysheet: PaySheet):
    township, month = paysheet.township, paysheet.month
    title = f"{township.name}{month:%Y年%-m月}村干部报酬发放表"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("报酬发放表")
    _line(sheet, [title], bold=True)
    _line(sheet, [f"乡镇：{township.name}　月份：{month:%Y年%-m月}"])
    _line(sheet, [_stamp(request)])
    _line(sheet, PAY_HEADER, bold=True)
    for row in paysheet.rows:
        _line(
            sheet,
            [
                row.village,
                row.name,
                row.post,
                f"{row.days}/{row.month_days}",
                row.base,
                row.allowance,
                row.performance_base,
                row.grade,
                f"{row.percent}%" if row.percent is not None else "—",
                row.performance,
                row.total,
            ],
            money_from=4,
        )
    totals = paysheet.totals
    _line(
        sheet,
        [
            "合计",
            f"{len(paysheet.rows)} 行",
            "",
            "",
            totals["base"],
            totals["allowance"],
            totals["performance_base"],
            "",
            "",
            totals["performance"],
            totals["total"],
        ],
        money_from=4,
        bold=True,
    )
    _line(sheet, [])
    _line(
        sheet,
        [
            "说明：本表由系统根据县委组织部设定的报酬标准、绩效比例和月考评结果计算，仅供财务核发，系统不发放任何款项。"
        ],
    )
    percents = "、".join(f"{name} {value}%" for name, value in paysheet.percents.items())
    _line(sheet, [f"绩效比例：{percents}。"])
    for text in _rules_lines(paysheet):
        _line(sheet, [text])
    return export_response(
        request,
        workbook,
        title=f"报酬发放表 {township.name} {month:%Y-%m}",
        detail={
            "export": "pay_sheet",
            "division": township.code,
            "month": f"{month:%Y-%m}",
            "rows": len(paysheet.rows),
            "total": str(totals["total"]),
        },
        filename=f"报酬发放表_{township.name}_{month:%Y-%m}.xlsx",
        fallback=f"pay_sheet_{township.code}_{month:%Y-%m}.xlsx",
    )


def _rules_lines(paysheet: PaySheet) -> list[str]:
    from yanzhen.welfare.pay import RULES_TEXT

    lines = list(RULES_TEXT)
    if paysheet.unscored:
        lines.append(f"本月有 {paysheet.unscored} 行未考评，未发绩效报酬。")
    if paysheet.unpaid:
        names = "、".join(f"{term.person.name}（{term.seat.post_type.name}）" for term in paysheet.unpaid)
        lines.append(f"以下职务本县未设报酬标准，未列入本表：{names}")
    return lines


REGISTER_HEADER = [
    "乡镇",
    "村",
    "姓名",
    "曾任职务",
    "任职年限",
    "离任日期",
    "达到年龄日期",
    "状态",
    "享受起始日期",
    "每月补贴（元）",
    "不符合原因",
]


def send_register(request, county: Division, under: str, rows: list[RegisterRow]):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("离任生活补贴")
    _line(sheet, [f"{county.name}离任村干部生活补贴名册"], bold=True)
    _line(sheet, [_stamp(request)])
    _line(sheet, REGISTER_HEADER, bold=True)
    for row in rows:
        _line(
            sheet,
            [
                row.township,
                row.village.name,
                row.person.name,
                row.posts,
                row.served,
                row.left_on,
                row.age_on,
                row.status_name,
                row.eligible_from,
                row.amount,
                row.reason,
            ],
            money_from=9,
        )
    code = under or county.code
    return export_response(
        request,
        workbook,
        title=f"离任生活补贴名册 {county.name}",
        detail={"export": "living_allowances", "division": code, "rows": len(rows)},
        filename=f"离任生活补贴名册_{county.name}.xlsx",
        fallback=f"living_allowances_{code}.xlsx",
    )
