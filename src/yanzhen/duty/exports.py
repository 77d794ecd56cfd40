"""The xlsx of a township's month of rota: one row per entry (village, day, weekday, who, check-in, leave), the
gaps as rows of their own. Readers of the township (404 outside it); every export goes to the audit log."""

from __future__ import annotations

from django.views.decorators.http import require_GET
from openpyxl import Workbook

from yanzhen.core import xlsx
from yanzhen.core.views_kit import export_response
from yanzhen.duty import selectors
from yanzhen.duty.views import month_of, require_reader, township_of

HEADER = ["村", "日期", "星期", "值班人员", "身份", "签到时间", "备注"]
WEEKDAYS = "一二三四五六日"


def _rows(user, township, month) -> list[list]:
    from django.utils import timezone

    rows = []
    for village_month in selectors.township_month(user, township, month):
        for row in selectors.rota(village_month.village.code, month):
            if not row.working and not row.assignments:
                continue
            for assignment in row.assignments:
                check = assignment.check_in if selectors.has_check_in(assignment) else None
                status = (
                    "请假"
                    if assignment.pk in row.on_leave
                    else ("未签到" if assignment.pk in row.missed else "")
                )
                rows.append(
                    [
                        village_month.village.name,
                        row.day,
                        f"星期{WEEKDAYS[row.day.weekday()]}",
                        assignment.holder_name,
                        "村“两委”干部" if assignment.person_id else "驻村工作队员",
                        f"{timezone.localtime(check.checked_in_at):%H:%M}" if check else status,
                        check.note if check else "",
                    ]
                )
            if row.gap:
                rows.append(
                    [
                        village_month.village.name,
                        row.day,
                        f"星期{WEEKDAYS[row.day.weekday()]}",
                        "（无人值班）",
                        "",
                        "",
                        "",
                    ]
                )
    return rows


@require_GET
def township_export(request):
    require_reader(request)
    month = month_of(request)
    township = township_of(request)
    if township is None:
        from django.http import Http404

        raise Http404
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("值班表")
    xlsx.append(sheet, HEADER)
    rows = _rows(request.user, township, month)
    for values in rows:
        xlsx.append(sheet, values)
    return export_response(
        request,
        workbook,
        title=f"坐班值班表 {township.name} {month:%Y年%m月}",
        detail={
            "export": "duty_rota",
            "division": township.code,
            "month": f"{month:%Y-%m}",
            "rows": len(rows),
        },
        filename=f"坐班值班表-{township.name}-{month:%Y-%m}.xlsx",
        fallback=f"duty-{township.code}-{month:%Y-%m}.xlsx",
    )
