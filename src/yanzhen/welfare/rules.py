"""Who may do what in 待遇保障, and the county's rules as they stand for a month (the defaults where a county
has saved none). Jurisdiction is checked first, elsewhere (outside it: 404).

- Read (pay sheets, coverage, the allowance register, a person's insurance and checks): the county
  administrator, the township clerk and the auditor. A village secretary does not see his colleagues' pay.
- Write a person's insurance and health checks, export a sheet or the register: administrators and clerks.
- The county's schemes and rules: the county administrator.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied

from yanzhen.accounts.roles import Role
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.welfare.models import AllowanceRule, PayScheme, PerformanceRule, WelfareSettings


def may_read(user) -> bool:
    return bool(
        user and user.is_authenticated and user.has_role(Role.ADMIN, Role.TOWNSHIP_CLERK, Role.AUDITOR)
    )


def require_reader(user) -> None:
    if not may_read(user):
        raise PermissionDenied


def county_visible(user, code: str) -> bool:
    """A county's settings concern everyone inside it (a township clerk is told "not allowed", not "not
    found"); another county is outside the jurisdiction."""
    return code_in_jurisdiction(user, code) or (user.division_id or "").startswith(code)


def county_code(code: str) -> str:
    return code[:6]


def month_of(day: date) -> date:
    return day.replace(day=1)


def performance_rule(county: str, month: date) -> PerformanceRule:
    """The county's grade → percentage rule for the month: its latest rule effective on or before the month,
    else the defaults 100/80/50/0 (an unsaved row)."""
    return PerformanceRule.objects.filter(county_id=county, effective_from__lte=month).order_by(
        "-effective_from"
    ).first() or PerformanceRule(county_id=county, effective_from=month)


def pay_schemes(county: str, month: date) -> dict[int, PayScheme]:
    """Each post type's scheme for the month (its latest effective on or before the month), by post type id."""
    found: dict[int, PayScheme] = {}
    for scheme in PayScheme.objects.filter(county_id=county, effective_from__lte=month).order_by(
        "post_type_id", "-effective_from"
    ):
        found.setdefault(scheme.post_type_id, scheme)
    return found


def welfare_settings(county: str) -> WelfareSettings:
    return WelfareSettings.objects.filter(county_id=county).first() or WelfareSettings(county_id=county)


def allowance_rule(county: str) -> AllowanceRule:
    return AllowanceRule.objects.filter(county_id=county).first() or AllowanceRule(county_id=county)
