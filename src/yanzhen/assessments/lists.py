"""The sortable columns of the lists of 管 (`core.listing`), shared by each page and its export so that both
hold the same rows in the same order."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from yanzhen.assessments.models import Grade
from yanzhen.core.listing import ListSpec


def export_selected(allowed: bool, url_name: str) -> list[dict]:
    """The bulk action of a list with an export: 导出所选 (for the roles that may export only)."""
    if not allowed:
        return []
    return [{"url": reverse(url_name), "label": _("Export selected"), "css": "btn-outline-success"}]


GRADE_RANK = {grade: rank for rank, grade in enumerate(Grade.values)}  # 优秀 first


def _assessment(attribute):
    return lambda row: getattr(row.assessment, attribute) if row.assessment is not None else None


# Rows of `selectors.assessment_rows` (a reserve with his assessment or None); the not-assessed stay last.
ASSESSMENTS = ListSpec(
    sorts={
        "village": lambda row: (row.person.village_id, row.person.name_pinyin),
        "name": lambda row: row.person.name_pinyin,
        "grade": lambda row: GRADE_RANK[row.assessment.grade] if row.assessment is not None else None,
        "weighted_total": _assessment("weighted_total"),
        "assessed_on": _assessment("assessed_on"),
        "assessor": _assessment("assessor"),
    },
    default_sort="village",
)

# `selectors.reports`, a queryset of semiannual reports.
REPORTS = ListSpec(
    sorts={
        "village": ("person__village_id", "person__name_pinyin"),
        "name": ("person__name_pinyin",),
        "submitted_at": ("submitted_at",),
        "channel": ("channel",),
        "reviewed_at": ("reviewed_at",),
    },
    default_sort="village",
)

# Rows of `selectors.overdue_reports` (a reserve and his due date).
OVERDUE = ListSpec(
    sorts={
        "village": lambda row: (row.person.village_id, row.person.name_pinyin),
        "name": lambda row: row.person.name_pinyin,
        "due_on": lambda row: row.due_on,
    },
    default_sort="village",
)


# `incumbents.selectors.annual_reviews` (双述双评), by default the latest year first.
ANNUAL_REVIEWS = ListSpec(
    sorts={
        "village": ("term__seat__village_id", "term__seat__post_type__order"),
        "name": ("term__person__name_pinyin",),
        "post": ("term__seat__post_type__order",),
        "year": ("year",),
        "satisfaction": ("satisfaction",),
        "reviewed_on": ("reviewed_on",),
    },
)

# Rows of `incumbents.selectors.half_year_analysis`, by default worst first (the selector's order).
ANALYSIS = ListSpec(
    sorts={
        "village": lambda row: (row.term.seat.village_id, row.term.seat.post_type.order),
        "name": lambda row: row.term.person.name_pinyin,
        "average": lambda row: row.average,
        "low_months": lambda row: row.low_months,
    },
)


# `selectors.proposals` (出库建议) and `incumbents.selectors.adjustment_proposals` (调整建议).
REMOVAL_PROPOSALS = ListSpec(
    sorts={
        "village": ("candidacy__village_id", "person__name_pinyin"),
        "name": ("person__name_pinyin",),
        "state": ("state",),
        "created_at": ("created_at",),
    },
    default_sort="village",
)
ADJUSTMENT_PROPOSALS = ListSpec(
    sorts={
        "village": ("term__seat__village_id", "person__name_pinyin"),
        "name": ("person__name_pinyin",),
        "post": ("term__seat__post_type__order",),
        "state": ("state",),
        "created_at": ("created_at",),
    },
    default_sort="village",
)
