"""xlsx exports of 管: the assessments of a division for a period and the overdue semiannual reports.

Administrators and township clerks only (`user.can_edit`); everyone else gets 403, a division outside the
jurisdiction 404. Personal data leave masked (ID number and phone as stored masked); every export is
written to the audit log with its division, period and row count.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from yanzhen.assessments import dimensions, lists, selectors
from yanzhen.assessments.views.common import (
    division_code,
    division_from_query,
    period_from_query,
)
from yanzhen.core import audit, guards, xlsx
from yanzhen.core.exports_xlsx import table_workbook
from yanzhen.core.listing import only_selected, selected_ids
from yanzhen.core.models import AuditAction

ASSESSMENT_HEADER = [
    "乡镇",
    "村",
    "姓名",
    "公民身份号码",
    "手机号码",
    "考核期",
    "考核等次",
    "思想政治",
    "履职能力",
    "工作作风",
    "群众口碑",
    "加权总分",
    "考核人",
    "考核日期",
]
OVERDUE_HEADER = ["乡镇", "村", "姓名", "公民身份号码", "手机号码", "汇报期", "应交日期", "逾期天数"]


def _place(person) -> list[str]:
    village = person.village
    township = village.parent.name if village.parent_id else ""
    return [township, village.name, person.name, person.id_number_masked, person.phone_masked]


@dataclass(frozen=True)
class Export:
    """One xlsx export: its kind (the audit log's `export`, the start of the ASCII file name), its Chinese name
    (the title in the log, the start of the file name) and the name of its sheet."""

    kind: str
    name: str
    sheet: str

    def send(
        self,
        request,
        *,
        division,
        when: str,
        when_in_filename: str,
        when_in_fallback: str,
        scope: dict,
        chosen,
        header: list[str],
        rows: list[list],
    ) -> HttpResponse:
        """Write the export to the audit log (its kind, division, period or year, row count and how many
        rows were ticked) and answer the workbook. The title and file names say the division (全部 without
        one) and the period or year, as `when` words it for each."""
        code = division_code(division)
        place = division.name if division is not None else "全部"
        audit.record(
            action=AuditAction.EXPORT,
            user=request.user,
            request=request,
            object_repr=f"{self.name} {place} {when}",
            division_code=code,
            detail={
                "export": self.kind,
                "division": code,
                **scope,
                "rows": len(rows),
                **({"selected": len(chosen)} if chosen else {}),
            },
        )
        return xlsx.download(
            table_workbook(self.sheet, header, rows),
            f"{self.name}_{place}_{when_in_filename}.xlsx",
            f"{self.kind}_{code or 'all'}_{when_in_fallback}.xlsx",
        )

    def send_for_period(self, request, period, **rows) -> HttpResponse:
        """`send` of a period's rows: its name in the title, its key in the file names and the log."""
        return self.send(
            request,
            when=period.name,
            when_in_filename=period.key,
            when_in_fallback=period.key,
            scope={"period": period.key},
            **rows,
        )


ASSESSMENTS = Export("assessments", "考核结果", sheet="考核结果")
OVERDUE_REPORTS = Export("overdue_reports", "逾期未交思想工作汇报", sheet="逾期未交汇报")


@require_GET
def assessments_export(request):
    guards.require_editor(request.user)
    division = division_from_query(request)
    period = period_from_query(request, division)
    rows = []
    chosen = selected_ids(request)
    listed = list(
        lists.ASSESSMENTS.order(
            request,
            only_selected(
                selectors.assessment_rows(request.user, period, division_code(division)),
                chosen,
                lambda row: row.person.pk,
            ),
        )
    )
    # The columns of the dimensions the rows were scored on: the default four's as always for a county on them.
    columns = dimensions.columns(
        (row.assessment for row in listed), dimensions.for_division(division_code(division))
    )
    header = ASSESSMENT_HEADER[:7] + [name for _key, name in columns] + ASSESSMENT_HEADER[11:]
    for row in listed:
        assessment = row.assessment
        values: list = _place(row.person) + [period.name]
        if assessment is None:
            values += ["未考核"] + [None] * (len(columns) + 3)
        else:
            values += [
                str(assessment.get_grade_display()),
                *(dimensions.score_in(assessment, key) for key, _name in columns),
                float(assessment.weighted_total) if assessment.weighted_total is not None else None,
                assessment.assessor,
                assessment.assessed_on.isoformat(),
            ]
        rows.append(values)
    return ASSESSMENTS.send_for_period(
        request, period, division=division, chosen=chosen, header=header, rows=rows
    )


@require_GET
def overdue_export(request):
    guards.require_editor(request.user)
    division = division_from_query(request)
    period = period_from_query(request, division, halves_only=True, finished=True)
    today = guards.today()
    chosen = selected_ids(request)
    overdue = selectors.overdue_reports(request.user, period, today, division_code(division))
    rows = [
        _place(row.person) + [period.name, row.due_on.isoformat(), (today - row.due_on).days]
        for row in lists.OVERDUE.order(request, only_selected(overdue, chosen, lambda row: row.person.pk))
    ]
    return OVERDUE_REPORTS.send_for_period(
        request, period, division=division, chosen=chosen, header=OVERDUE_HEADER, rows=rows
    )
