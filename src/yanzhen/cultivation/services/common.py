"""What the cultivation services share: the checks of actor and scope, the county's rules, month
arithmetic and the rule that a full-time secondment and a training never overlap.

Every service takes the acting user first and checks, in this order: jurisdiction (outside it: Http404, as
if the record did not exist), role (PermissionDenied for readers), then its data (ValidationError with
Chinese messages keyed by field). Only then does it write, in one transaction, with field history naming
the actor. A refused call writes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404

from yanzhen.accounts.roles import Role
from yanzhen.core.county_settings import county_errors, save_county_row
from yanzhen.core.dates import add_months
from yanzhen.core.guards import attribute_to, raise_errors, require_editor, today
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.cultivation.models import CultivationRules, Enrolment, Secondment, SecondmentMode
from yanzhen.divisions.codes import CODE_LENGTH, Level
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person

HOURS_PER_DAY = 24
M = TypeVar("M", bound=models.Model)


def check_scope(actor, code: str, *, role: Role | None = None) -> None:
    """Outside the actor's jurisdiction: 404; inside but a reader (or, with `role`, not holding it): 403."""
    if not code_in_jurisdiction(actor, code):
        raise Http404
    if role is None:
        require_editor(actor)
    elif not actor.has_role(role):
        raise PermissionDenied


def check_person(actor, person: Person) -> None:
    check_scope(actor, person.village_id)


def locked(actor, instance: M, code: str) -> M:
    """The instance re-read and locked for the write, once the actor may write under `code` (see
    `check_scope`: a person's records go by his village)."""
    check_scope(actor, code)
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def save(instance, actor) -> None:
    attribute_to(instance, actor)
    instance.save()


def county_code(division: Division | str) -> str:
    code = division if isinstance(division, str) else division.code
    return code[: CODE_LENGTH[Level.COUNTY]]


def rules_for(division: Division | str) -> CultivationRules:
    """The county's cultivation rules, or the defaults (an unsaved row) when the county has set none."""
    code = county_code(division)
    return CultivationRules.objects.filter(county_id=code).first() or CultivationRules(county_id=code)


def last_day_of_months(start: date, months: int) -> date:
    """The last day of a period of whole months beginning on `start` (3 months from 2024-03-01 end on
    2024-05-31)."""
    return add_months(start, months) - timedelta(days=1)


def to_decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal("NaN")


def check_text(
    errors: dict[str, str],
    field: str,
    value,
    *,
    label: str = "",
    limit: int | None = None,
    missing: str = "",
    unit: str = "个字",
) -> str:
    """The text stripped; refused when `missing` is given and it is empty, or when it is over `limit`
    ("<label>不能超过 <limit> 个字")."""
    text = (value or "").strip()
    if missing and not text:
        errors[field] = missing
    elif limit is not None and len(text) > limit:
        errors[field] = f"{label}不能超过 {limit} {unit}"
    return text


def check_period(
    errors: dict[str, str],
    start: date | None,
    end: date | None,
    *,
    fields: tuple[str, str] = ("start", "end"),
    missing: tuple[str, str] = ("请填写开始日期", "请填写结束日期"),
    backwards: str = "结束日期不能早于开始日期",
    strictly_after: bool = False,
) -> None:
    """A period's two days: each required when its `missing` message is not empty, the end not before the
    start (`strictly_after`: after it)."""
    start_field, end_field = fields
    if start is None and missing[0]:
        errors[start_field] = missing[0]
    if end is None:
        if missing[1]:
            errors[end_field] = missing[1]
    elif start is not None and (end <= start if strictly_after else end < start):
        errors[end_field] = backwards


def past_day_error(day: date | None, label: str, *, missing: str = "") -> str | None:
    """A day that must be given and not be in the future (a report's, a judgement's ...)."""
    if day is None:
        return missing or f"请填写{label}"
    if day > today():
        return f"{label}不能晚于今天"
    return None


def check_hours(value, *, days: int, field_label: str = "学时") -> tuple[Decimal | None, str | None]:
    """Hours must be a number, not negative, and at most 24 a day over `days` days."""
    hours = to_decimal(value)
    if hours is None:
        return None, None
    if hours.is_nan():
        return None, f"{field_label}须为数字"
    if hours < 0:
        return None, f"{field_label}不能为负数"
    if hours > HOURS_PER_DAY * days:
        return None, (
            f"{field_label} {hours.normalize():f} 不合理：{days} 天最多 {HOURS_PER_DAY * days} 学时"
            f"（每天不超过 {HOURS_PER_DAY} 学时）"
        )
    return hours, None


def check_score(value) -> tuple[Decimal | None, str | None]:
    score = to_decimal(value)
    if score is None:
        return None, None
    if score.is_nan() or not Decimal(0) <= score <= Decimal(100):
        return None, "成绩须在 0 到 100 之间"
    return score, None


def _required_number(errors: dict[str, str], field: str, value, check, missing: str) -> Decimal | None:
    if value is None or value == "":
        errors[field] = missing
        return None
    number, message = check(value)
    if message:
        errors[field] = message
    return number


def required_hours(errors: dict[str, str], value, *, days: int, field: str = "hours") -> Decimal | None:
    """Hours that must be given (see `check_hours`)."""
    return _required_number(errors, field, value, lambda v: check_hours(v, days=days), "请填写学时")


def required_score(errors: dict[str, str], value, *, field: str, missing: str) -> Decimal | None:
    """A score that must be given (see `check_score`)."""
    return _required_number(errors, field, value, check_score, missing)


def overlaps(start_a: date, end_a: date, start_b: date, end_b: date) -> bool:
    """Two inclusive periods share at least one day."""
    return start_a <= end_b and start_b <= end_a


def full_time_secondment_during(
    person: Person, start: date, end: date, *, exclude_pk: int | None = None
) -> Secondment | None:
    """A full-time secondment of the person sharing a day with [start, end]. Its last day is the actual
    end when he came back early, else the planned end."""
    candidates = (
        Secondment.objects.filter(person=person, mode=SecondmentMode.FULL_TIME, start__lte=end)
        .exclude(pk=exclude_pk)
        .select_related("host")
    )
    for secondment in candidates:
        if overlaps(start, end, secondment.start, secondment.last_day):
            return secondment
    return None


def first_secondment_clash(people, start: date, end: date) -> tuple[Person, Secondment] | None:
    """The first of `people` away on a full-time secondment during [start, end], with that secondment."""
    for person in people:
        clash = full_time_secondment_during(person, start, end)
        if clash is not None:
            return person, clash
    return None


def training_during(person: Person, start: date, end: date) -> Enrolment | None:
    return (
        Enrolment.objects.filter(person=person, training__start__lte=end, training__end__gte=start)
        .select_related("training")
        .first()
    )


@transaction.atomic
def save_rules(
    *,
    actor,
    county: Division,
    yearly_minimum_hours,
    mentee_cap: int,
    secondment_minimum_months: int,
    secondment_maximum_months: int,
    concentrated_minimum_days: int = 3,
    concentrated_maximum_days: int = 5,
    practice_minimum_months: int = 1,
    practice_maximum_months: int = 2,
) -> CultivationRules:
    """The county organisation department sets its cultivation rules; the defaults apply until it does."""
    errors = county_errors(actor, county, role=Role.ADMIN)
    minimum = to_decimal(yearly_minimum_hours)
    if minimum is None or minimum.is_nan() or not Decimal(0) <= minimum <= Decimal(1000):
        errors["yearly_minimum_hours"] = "每年最低学时须在 0 到 1000 之间"
    if not mentee_cap or not 1 <= mentee_cap <= 20:
        errors["mentee_cap"] = "每名导师同时帮带的人数上限须在 1 到 20 之间"
    for field, low, high, top, message in (
        (
            "secondment_maximum_months",
            secondment_minimum_months,
            secondment_maximum_months,
            36,
            "挂职期限须在 1 到 36 个月之间",
        ),
        (
            "concentrated_maximum_days",
            concentrated_minimum_days,
            concentrated_maximum_days,
            30,
            "集中培训天数须在 1 到 30 天之间",
        ),
        (
            "practice_maximum_months",
            practice_minimum_months,
            practice_maximum_months,
            12,
            "回村实践期限须在 1 到 12 个月之间",
        ),
    ):
        if not 1 <= (low or 0) <= (high or 0) <= top:
            errors[field] = f"{message}，且下限不大于上限"
    raise_errors(errors)
    return save_county_row(
        actor,
        CultivationRules,
        county,
        yearly_minimum_hours=minimum,
        mentee_cap=mentee_cap,
        secondment_minimum_months=secondment_minimum_months,
        secondment_maximum_months=secondment_maximum_months,
        concentrated_minimum_days=concentrated_minimum_days,
        concentrated_maximum_days=concentrated_maximum_days,
        practice_minimum_months=practice_minimum_months,
        practice_maximum_months=practice_maximum_months,
    )
