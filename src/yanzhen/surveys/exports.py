"""The xlsx of a survey's results: per village (inside the exporter's jurisdiction) and question, the count of
each choice, the answers, the satisfaction; the responses per village."""

from __future__ import annotations

from openpyxl import Workbook

from yanzhen.core import xlsx
from yanzhen.core.views_kit import export_response
from yanzhen.surveys.models import Survey
from yanzhen.surveys.selectors import VillageResult, results


def _number(value):
    return float(value) if value is not None else ""


def _rows(label: str, result: VillageResult):
    for item in result.questions:
        yield [
            label,
            item.question.position,
            item.question.text,
            *[f"{choice}：{n}" for choice, n in item.counts],
            *[""] * (5 - len(item.counts)),
            item.answered,
            _number(item.satisfaction),
        ]


def results_workbook(user, survey: Survey) -> Workbook:
    villages, overall = results(user, survey)
    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet("各村满意度")
    xlsx.append(summary, [f"{survey.title}（{survey.start:%Y-%m-%d} 至 {survey.end:%Y-%m-%d}）"])
    xlsx.append(summary, ["乡镇", "村", "答卷份数", "满意度（%）"])
    for result in villages:
        village = result.member.village
        township = village.parent.name if village.parent else ""
        xlsx.append(summary, [township, village.name, result.responses, _number(result.satisfaction)])
    if overall is not None:
        xlsx.append(summary, ["合计", "", overall.responses, _number(overall.satisfaction)])
    xlsx.append(summary, [])
    xlsx.append(summary, ["满意度为五级题中“很满意、满意、基本满意”占全部作答的百分比。"])
    detail = workbook.create_sheet("逐题统计")
    xlsx.append(detail, ["村", "题号", "问题", "选项计数", "", "", "", "", "作答数", "满意度（%）"])
    for result in villages:
        for row in _rows(result.member.village.name, result):
            xlsx.append(detail, row)
    if overall is not None:
        for row in _rows("合计", overall):
            xlsx.append(detail, row)
    return workbook


def results_export(request, survey: Survey):
    return export_response(
        request,
        results_workbook(request.user, survey),
        title=f"满意度调查结果：{survey.title}",
        detail={"survey": survey.pk},
        filename=f"满意度调查_{survey.title}.xlsx",
        fallback=f"survey_{survey.pk}.xlsx",
    )
