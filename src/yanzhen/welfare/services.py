"""Writes of 待遇保障, each taking the acting user: jurisdiction (404) → role (403) → data (`ValidationError` with
Chinese messages keyed by field; nothing written); every write leaves a history row naming the actor.

The county's schemes and rules are dated rows: saving a scheme or a grade rule "from a month" adds a row for
that month (or corrects the row of that very month), so the sheets of earlier months keep their figures. The
allowance rule is one row per county (its history kept); the register follows it at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.http import Http404

from yanzhen.accounts.roles import Role
from yanzhen.assessments.guards import visible_person
from yanzhen.core.county_settings import county_errors, save_county_row
from yanzhen.core.guards import attribute_to, raise_errors, require_editor, today
from yanzhen.core.locking import visible_locked
from yanzhen.core.text import NOTE_MAX
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person
from yanzhen.posts.models import PostType, TermEndReason
from yanzhen.welfare import rules
from yanzhen.welfare.models import (
    MONEY_MAX,
    AllowanceRule,
    HealthCheck,
    InsuranceKind,
    InsurancePolicy,
    PayScheme,
    PerformanceRule,
    WelfareSettings,
)

EARLIEST = date(1949, 10, 1)


def _save(instance, actor) -> None:
    attribute_to(instance, actor)
    instance.save()


def _county_admin(actor, county: Division) -> dict[str, str]:
    return county_errors(actor, county, role=Role.ADMIN, visible=rules.county_visible)


def _money(errors: dict[str, str], field: str, label: str, value) -> Decimal:
    try:
        amount = Decimal(str(value)) if value is not None and value != "" else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        errors[field] = f"请填写{label}（元）"
        return Decimal("0")
    if amount < 0:
        errors[field] = f"{label}不能为负数"
    elif amount > MONEY_MAX:
        errors[field] = f"{label}不能超过 {MONEY_MAX} 元"
    elif amount != amount.quantize(Decimal("0.01")):
        errors[field] = f"{label}最多保留两位小数（到分）"
    return amount


def _month(errors: dict[str, str], value: date | None) -> date:
    if value is None:
        errors["effective_from"] = "请填写起始月份"
        return date(2000, 1, 1)
    if not EARLIEST <= value <= date(2100, 12, 31):
        errors["effective_from"] = "起始月份超出范围"
    return value.replace(day=1)


# -- the county's pay schemes and grade rule --------------------------------------------------------------------


@dataclass
class SchemeInput:
    post_type: PostType | None
    effective_from: date | None
    base: Decimal | None
    allowance: Decimal | None
    performance: Decimal | None


@transaction.atomic
def save_pay_scheme(*, actor, county: Division, data: SchemeInput) -> PayScheme:
    """The scheme of a post type from a month on (a correction when the county already has one for that
    month). The months before keep the scheme they had."""
    errors = _county_admin(actor, county)
    if data.post_type is None:
        errors["post_type"] = "请选择职务"
    month = _month(errors, data.effective_from)
    base = _money(errors, "base", "基本报酬", data.base)
    allowance = _money(errors, "allowance", "补贴", data.allowance)
    performance = _money(errors, "performance", "绩效基数", data.performance)
    raise_errors(errors)
    scheme = (
        PayScheme.objects.select_for_update()
        .filter(county=county, post_type=data.post_type, effective_from=month)
        .first()
    ) or PayScheme(county=county, post_type=data.post_type, effective_from=month, created_by=actor)
    scheme.base, scheme.allowance, scheme.performance = base, allowance, performance
    _save(scheme, actor)
    return scheme


@transaction.atomic
def delete_pay_scheme(*, actor, scheme: PayScheme) -> None:
    """Delete a scheme entered by mistake (its history keeps it); the months it covered fall back on the
    post's earlier scheme."""
    found = (
        PayScheme.objects.select_for_update(of=("self",))
        .select_related("county")
        .filter(pk=scheme.pk)
        .first()
    )
    if found is None:
        raise Http404
    scheme = found
    raise_errors(_county_admin(actor, scheme.county))
    attribute_to(scheme, actor)
    scheme.delete()


GRADE_LABELS = {
    "excellent": "优秀",
    "competent": "称职",
    "basically_competent": "基本称职",
    "incompetent": "不称职",
}


@transaction.atomic
def save_performance_rule(
    *, actor, county: Division, effective_from: date | None, percents: dict[str, int | None]
) -> PerformanceRule:
    """The share (%) of the performance base each grade earns, from a month on; each 0–100, a better grade
    never earning less than a worse one."""
    errors = _county_admin(actor, county)
    month = _month(errors, effective_from)
    values: dict[str, int] = {}
    for field, label in GRADE_LABELS.items():
        value = percents.get(field)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            errors[field] = f"“{label}”的绩效比例须为 0 到 100 的整数"
        else:
            values[field] = value
    if len(values) == 4 and not (
        values["excellent"] >= values["competent"] >= values["basically_competent"] >= values["incompetent"]
    ):
        errors["percents"] = "绩效比例须从高到低：优秀 ≥ 称职 ≥ 基本称职 ≥ 不称职"
    raise_errors(errors)
    rule = PerformanceRule.objects.select_for_update().filter(county=county, effective_from=month).first()
    rule = rule or PerformanceRule(county=county, effective_from=month, created_by=actor)
    for field, value in values.items():
        setattr(rule, field, value)
    _save(rule, actor)
    return rule


@transaction.atomic
def save_required_kinds(*, actor, county: Division, kinds: list[str]) -> WelfareSettings:
    errors = _county_admin(actor, county)
    unknown = [kind for kind in kinds if kind not in InsuranceKind.values]
    if unknown:
        errors["kinds"] = "请选择养老、医疗或人身意外伤害保险"
    raise_errors(errors)
    return save_county_row(
        actor,
        WelfareSettings,
        county,
        require_pension=InsuranceKind.PENSION in kinds,
        require_medical=InsuranceKind.MEDICAL in kinds,
        require_accident=InsuranceKind.ACCIDENT in kinds,
    )


# -- 离任生活补贴 ------------------------------------------------------------------------------------------------


@dataclass
class AllowanceInput:
    min_age: int | None
    post_types: list[str]  # PostType codes; empty: the key posts
    disqualifying: list[str]  # TermEndReason values
    bands: list[tuple[int, Decimal]]  # (years from, monthly amount)


def _band_errors(errors: dict[str, str], bands: list[tuple[int, Decimal]]) -> list[list]:
    if not bands:
        errors["bands"] = "请至少填写一档补贴标准（任职满几年，每月多少元）"
        return []
    cleaned: list[list] = []
    for years, amount in bands:
        if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= 60:
            errors["bands"] = "任职年限须为 1 到 60 的整数"
            return []
        band_errors: dict[str, str] = {}
        value = _money(band_errors, "bands", "补贴金额", amount)
        if band_errors or value <= 0:
            errors["bands"] = band_errors.get("bands", "补贴金额须大于 0")
            return []
        cleaned.append([years, str(value.quantize(Decimal("0.01")))])
    cleaned.sort()
    if len({years for years, _amount in cleaned}) != len(cleaned):
        errors["bands"] = "同一任职年限只能有一档"
    return cleaned


@transaction.atomic
def save_allowance_rule(*, actor, county: Division, data: AllowanceInput) -> AllowanceRule:
    errors = _county_admin(actor, county)
    if isinstance(data.min_age, bool) or not isinstance(data.min_age, int) or not 18 <= data.min_age <= 100:
        errors["min_age"] = "年龄须为 18 到 100 的整数"
    known = set(PostType.objects.filter(code__in=data.post_types).values_list("code", flat=True))
    if set(data.post_types) - known:
        errors["post_types"] = "请从列表中选择职务"
    if set(data.disqualifying) - set(TermEndReason.values):
        errors["disqualifying"] = "请从列表中选择离任原因"
    bands = _band_errors(errors, data.bands)
    raise_errors(errors)
    return save_county_row(
        actor,
        AllowanceRule,
        county,
        min_age=data.min_age,
        post_types=sorted(data.post_types),
        disqualifying=sorted(data.disqualifying),
        bands=bands,
    )


# -- a person's insurance and health checks ---------------------------------------------------------------------


@dataclass
class PolicyInput:
    kind: str
    insurer: str
    starts_on: date | None
    ends_on: date | None = None
    note: str = ""


def _checked_policy(data: PolicyInput) -> PolicyInput:
    errors: dict[str, str] = {}
    insurer, note = (data.insurer or "").strip(), (data.note or "").strip()
    if data.kind not in InsuranceKind.values:
        errors["kind"] = "请选择险种：养老、医疗或人身意外伤害保险"
    if not insurer:
        errors["insurer"] = "请填写承保机构或参保险种名称"
    elif len(insurer) > 100:
        errors["insurer"] = "承保机构不能超过 100 个字"
    if data.starts_on is None:
        errors["starts_on"] = "请填写参保起始日期"
    elif not EARLIEST <= data.starts_on <= today():
        errors["starts_on"] = "参保起始日期不能晚于今天"
    if data.ends_on is not None and data.starts_on is not None and data.ends_on < data.starts_on:
        errors["ends_on"] = "终止日期不能早于起始日期"
    if len(note) > NOTE_MAX:
        errors["note"] = f"备注不能超过 {NOTE_MAX} 个字"
    raise_errors(errors)
    return PolicyInput(data.kind, insurer, data.starts_on, data.ends_on, note)


def _fill_policy(policy: InsurancePolicy, data: PolicyInput) -> None:
    policy.kind, policy.insurer, policy.note = data.kind, data.insurer, data.note
    policy.starts_on = data.starts_on  # type: ignore[assignment]  # checked: not None
    policy.ends_on = data.ends_on


@transaction.atomic
def record_policy(*, actor, person: Person, data: PolicyInput) -> InsurancePolicy:
    person = visible_person(actor, person)
    require_editor(actor)
    data = _checked_policy(data)
    policy = InsurancePolicy(person=person, created_by=actor)
    _fill_policy(policy, data)
    _save(policy, actor)
    return policy


@transaction.atomic
def update_policy(*, actor, policy: InsurancePolicy, data: PolicyInput) -> InsurancePolicy:
    policy = visible_locked(actor, policy, "person")
    require_editor(actor)
    data = _checked_policy(data)
    _fill_policy(policy, data)
    _save(policy, actor)
    return policy


@transaction.atomic
def delete_policy(*, actor, policy: InsurancePolicy) -> None:
    policy = visible_locked(actor, policy, "person")
    require_editor(actor)
    attribute_to(policy, actor)
    policy.delete()


@transaction.atomic
def record_check(*, actor, person: Person, checked_on: date | None, institution: str) -> HealthCheck:
    person = visible_person(actor, person)
    require_editor(actor)
    errors: dict[str, str] = {}
    institution = (institution or "").strip()
    if checked_on is None:
        errors["checked_on"] = "请填写体检日期"
    elif not EARLIEST <= checked_on <= today():
        errors["checked_on"] = "体检日期不能晚于今天"
    if not institution:
        errors["institution"] = "请填写体检机构"
    elif len(institution) > 100:
        errors["institution"] = "体检机构不能超过 100 个字"
    raise_errors(errors)
    assert checked_on is not None
    check = HealthCheck(person=person, checked_on=checked_on, institution=institution, created_by=actor)
    _save(check, actor)
    return check


@transaction.atomic
def delete_check(*, actor, check: HealthCheck) -> None:
    check = visible_locked(actor, check, "person")
    require_editor(actor)
    attribute_to(check, actor)
    check.delete()
