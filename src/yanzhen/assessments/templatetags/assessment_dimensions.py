"""`{{ assessment|dimension_scores }}`: the scores of an assessment or a check-up on its county's own dimensions,
"政治意识强 90、担当作为强 80 …" (empty for the default four, whose lists show the weighted total as before)."""

from __future__ import annotations

from django import template

from yanzhen.assessments import dimensions

register = template.Library()


@register.filter
def dimension_scores(record) -> str:
    if record is None:
        return ""
    snapshot = dimensions.snapshot_of(record)
    scored = [dimensions.Dimension(item["key"], item["name"], item["weight"]) for item in snapshot]
    if dimensions.is_default(scored):
        return ""
    return "、".join(f"{item['name']} {'—' if item['score'] is None else item['score']}" for item in snapshot)
