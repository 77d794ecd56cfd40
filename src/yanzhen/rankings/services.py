"""Writes of 比学赶超: the county's measures, contests and their results. Jurisdiction (404) → role (403)
→ data (Chinese messages by field), history on every write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from yanzhen.accounts.roles import Role
from yanzhen.core.county_settings import county_errors, save_county_row
from yanzhen.core.guards import attribute_to, get_for_change, raise_errors, require_editor, today, visible
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person
from yanzhen.rankings.models import Contest, ContestKind, ContestResult, RankingSettings

if TYPE_CHECKING:
    from yanzhen.accounts.models import User

WEIGHT_FIELDS = ("weight_income_growth", "weight_coverage", "weight_monthly", "weight_satisfaction")


@transaction.atomic
def save_ranking_settings(*, actor: User, county: Division, **weights: int) -> RankingSettings:
    """The county's weights; the county administrator's, summing to 100."""
    errors = county_errors(actor, county, role=Role.ADMIN)
    if any(weights.get(name) is None or not 0 <= weights[name] <= 100 for name in WEIGHT_FIELDS):
        errors["__all__"] = "每项权重须在 0 至 100 之间"
    elif sum(weights[name] for name in WEIGHT_FIELDS) != 100:
        errors["__all__"] = f"各项权重之和须为 100，现为 {sum(weights[name] for name in WEIGHT_FIELDS)}"
    raise_errors(errors)
    return save_county_row(actor, RankingSettings, county, **{name: weights[name] for name in WEIGHT_FIELDS})


@dataclass
class ContestInput:
    organiser: Division
    name: str
    kind: str
    held_on: date
    subject: str = ""
    note: str = ""


def _contest_errors(data: ContestInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.organiser.level not in (Level.COUNTY, Level.TOWNSHIP):
        errors["organiser"] = "练兵比武由县或乡镇组织"
    if not data.name.strip():
        errors["name"] = "请填写比武名称"
    if data.kind not in ContestKind.values:
        errors["kind"] = "请选择比武类型"
    if data.held_on > today():
        errors["held_on"] = "比武日期不能晚于今天"
    return errors


@transaction.atomic
def create_contest(*, actor: User, data: ContestInput) -> Contest:
    if not code_in_jurisdiction(actor, data.organiser.code):
        raise Http404
    require_editor(actor)
    raise_errors(_contest_errors(data))
    contest = Contest(created_by=actor, **vars(data))
    attribute_to(contest, actor)
    contest.save()
    return contest


def _organised(actor: User, contest: Contest) -> Contest:
    """The contest locked for a write by its organiser's jurisdiction (others see it, 403; outside, 404)."""
    contest = get_for_change(Contest.objects.select_for_update(), actor, pk=contest.pk)
    if not code_in_jurisdiction(actor, contest.organiser_id):
        raise PermissionDenied
    return contest


@dataclass
class ResultInput:
    village: Division | None = None
    person: Person | None = None
    rank: int | None = None
    award: str = ""
    score: Decimal | None = None
    note: str = ""


def _result_errors(contest: Contest, data: ResultInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if contest.kind == ContestKind.PERSON and data.person is None:
        errors["person"] = "个人比武须选择参赛人员"
    if contest.kind == ContestKind.VILLAGE and data.village is None:
        errors["village"] = "村与村的比武须选择参赛村"
    village = data.person.village if data.person is not None else data.village
    if village is not None and not village.code.startswith(contest.organiser_id):
        errors["village" if data.person is None else "person"] = "参赛者须在组织单位的辖区内"
    if data.rank is None and not data.award.strip() and data.score is None:
        errors["rank"] = "名次、奖项、得分至少填写一项"
    if data.score is not None and not 0 <= data.score <= 1000:
        errors["score"] = "得分须在 0 至 1000 之间"
    return errors


@transaction.atomic
def record_result(*, actor: User, contest: Contest, data: ResultInput) -> ContestResult:
    contest = _organised(actor, contest)
    if data.person is not None:
        data.person = visible(actor, data.person)
    raise_errors(_result_errors(contest, data))
    village = data.person.village if data.person is not None else data.village
    person = data.person if contest.kind == ContestKind.PERSON else None
    existing = ContestResult.objects.filter(
        contest=contest, person=person, **({} if person else {"village": village})
    )
    if existing.exists():
        raise_errors({"person" if person else "village": "已登记该参赛者的成绩"})
    result = ContestResult(
        contest=contest,
        village=village,
        person=person,
        rank=data.rank,
        award=data.award,
        score=data.score,
        note=data.note,
        recorded_by=actor,
    )
    attribute_to(result, actor)
    result.save()
    return result


@transaction.atomic
def delete_result(*, actor: User, result: ContestResult) -> None:
    _organised(actor, result.contest)
    attribute_to(result, actor)
    result.delete()
