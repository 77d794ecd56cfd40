"""村集体经济收入 as a yearly series (issue 19 §2): the only writer of `VillageIncome` and of its copy
`Division.collective_income` (the latest year's amount), so the two never disagree."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.http import Http404

from yanzhen.core.guards import attribute_to, raise_errors, require_editor
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.divisions.models import FIRST_INCOME_YEAR, LAST_INCOME_YEAR, Division, VillageIncome

if TYPE_CHECKING:
    from yanzhen.accounts.models import User


def _village_to_change(actor: User, code: str) -> Division:
    """The village locked for the write: 404 outside the jurisdiction, 403 for a reader, a refusal for a
    unit that is not a village."""
    if not code_in_jurisdiction(actor, code):
        raise Http404
    require_editor(actor)
    village = Division.objects.select_for_update().filter(code=code).first()
    if village is None:
        raise Http404
    if not village.is_village:
        raise_errors({"village": "集体经济收入只能按村记录"})
    return village


def _check(year: int, amount: Decimal | None) -> None:
    errors: dict[str, str] = {}
    if not FIRST_INCOME_YEAR <= year <= LAST_INCOME_YEAR:
        errors["year"] = f"年份须在 {FIRST_INCOME_YEAR} 至 {LAST_INCOME_YEAR} 之间"
    if amount is None:
        errors["amount"] = "请填写集体经济收入（万元）"
    elif amount < 0:
        errors["amount"] = "集体经济收入不能为负数"
    raise_errors(errors)


def _sync_latest(village: Division, actor: User) -> None:
    """Copy the latest year's amount to the village (None once the series is empty), with its history row
    only when it changes."""
    latest = village.incomes.order_by("-year").values_list("amount", flat=True).first()
    if village.collective_income != latest:
        village.collective_income = latest
        attribute_to(village, actor)
        village.save(update_fields=["collective_income"])


@transaction.atomic
def record_income(
    *, actor: User, village_code: str, year: int, amount: Decimal | None, note: str = ""
) -> VillageIncome:
    """Record (or correct) a village's income of one year; history keeps the value it replaced."""
    village = _village_to_change(actor, village_code)
    _check(year, amount)
    entry = VillageIncome.objects.filter(village=village, year=year).first() or VillageIncome(
        village=village, year=year, recorded_by=actor
    )
    entry.amount = amount  # type: ignore[assignment]  # _check refused None
    entry.note = note
    attribute_to(entry, actor)
    entry.full_clean()
    entry.save()
    _sync_latest(village, actor)
    return entry


@transaction.atomic
def delete_income(*, actor: User, village_code: str, year: int) -> None:
    """Remove a year recorded by mistake; its history row keeps what it said."""
    village = _village_to_change(actor, village_code)
    entry = VillageIncome.objects.filter(village=village, year=year).first()
    if entry is None:
        raise Http404
    attribute_to(entry, actor)
    entry.delete()
    _sync_latest(village, actor)
