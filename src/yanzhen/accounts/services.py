"""Writes to accounts: users, API tokens, the county security policy and lockouts."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest

from yanzhen.accounts.models import (
    PASSWORD_MAX_AGE_DAYS,
    PASSWORD_REUSE_COUNT,
    ApiToken,
    SecurityPolicy,
    User,
)
from yanzhen.accounts.roles import Role, check_role_combination
from yanzhen.core import audit
from yanzhen.core.county_settings import county_errors
from yanzhen.core.guards import attribute_to, raise_errors
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.core.models import AuditAction
from yanzhen.divisions.models import Division


@transaction.atomic
def create_or_update_user(
    *,
    username: str,
    password: str,
    division: Division | None,
    roles: list[Role],
    display_name: str = "",
    is_superuser: bool = False,
) -> tuple[User, bool]:
    """Create the user, or bring an existing one to the given division, roles and password. An existing user
    who already has that password keeps it as it is (its date too): building the demo again is no reuse of
    an old password, which the validators would refuse."""
    check_role_combination(roles)
    user = User.objects.filter(username=username).first()
    created = user is None
    if user is None:
        user = User(username=username)
    unchanged = not created and check_password(password, user.password)
    if not unchanged:
        validate_password(password, user)
    user.display_name = display_name
    user.division = division
    user.is_superuser = is_superuser
    user.is_staff = is_superuser
    if not unchanged:
        user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get_or_create(name=str(role))[0] for role in roles])
    return user, created


def issue_token(*, user: User, name: str = "") -> str:
    token, raw = ApiToken.issue(user, name)
    audit.record(action=AuditAction.TOKEN_CREATED, user=user, object_repr=f"token {token.pk}")
    return raw


POLICY_FIELDS = ("password_max_age_days", "password_reuse_count", "two_factor_required")


@transaction.atomic
def save_security_policy(
    *,
    actor: User,
    county: Division,
    password_max_age_days: int | None,
    password_reuse_count: int | None,
    two_factor_required: bool,
    request: HttpRequest | None = None,
) -> SecurityPolicy:
    """The county's security administrator sets its policy (field history and an audit row with old and new
    values). Values out of range are refused, naming the field, and nothing is written."""
    errors = county_errors(actor, county, role=Role.SECURITY_ADMIN)
    low, high = PASSWORD_MAX_AGE_DAYS
    if password_max_age_days is None or not low <= password_max_age_days <= high:
        errors["password_max_age_days"] = f"密码有效期须在 {low} 到 {high} 天之间"
    low, high = PASSWORD_REUSE_COUNT
    if password_reuse_count is None or not low <= password_reuse_count <= high:
        errors["password_reuse_count"] = f"不得重复使用的历史密码个数须在 {low} 到 {high} 之间"
    raise_errors(errors)
    policy = SecurityPolicy.objects.select_for_update().filter(county=county).first()
    before = {name: getattr(policy or SecurityPolicy(), name) for name in POLICY_FIELDS}
    if policy is None:
        policy = SecurityPolicy(county=county)
    assert password_max_age_days is not None and password_reuse_count is not None  # refused above
    policy.password_max_age_days = password_max_age_days
    policy.password_reuse_count = password_reuse_count
    policy.two_factor_required = bool(two_factor_required)
    after = {name: getattr(policy, name) for name in POLICY_FIELDS}
    if not policy._state.adding and before == after:
        return policy
    attribute_to(policy, actor)
    policy.save()
    audit.record(
        action=AuditAction.SECURITY_POLICY_CHANGED,
        user=actor,
        request=request,
        object_repr=f"security policy {county.code}",
        detail={"county": county.code, "before": before, "after": after},
    )
    return policy


def locked_usernames(usernames) -> set[str]:
    """Which of these usernames django-axes holds locked out now (its limit and cool-off, by username)."""
    from axes.conf import settings as axes_settings
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt
    from django.utils import timezone

    attempts = AccessAttempt.objects.filter(
        username__in=list(usernames), failures_since_start__gte=axes_settings.AXES_FAILURE_LIMIT
    )
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return set(attempts.values_list("username", flat=True))


@transaction.atomic
def clear_lockout(*, actor: User, user: User, request: HttpRequest | None = None) -> int:
    """The security administrator unlocks an account django-axes locked (forgets its failed attempts)."""
    from axes.utils import reset

    _check_security_admin(actor, user)
    removed = reset(username=user.username)
    audit.record(
        action=AuditAction.LOCKOUT_CLEARED,
        user=actor,
        request=request,
        object_repr=f"user {user.pk} {user.username}",
        detail={"user": user.username, "attempts": removed},
    )
    return removed


def reset_two_factor(*, actor: User, user: User, request: HttpRequest | None = None) -> None:
    """The security administrator removes a user's authenticator and recovery codes (a lost phone)."""
    from yanzhen.accounts import two_factor

    _check_security_admin(actor, user)
    two_factor.reset(actor=actor, user=user, request=request)


def _check_account_visible(actor: User, user: User) -> None:
    """An account outside the actor's jurisdiction (or of no division) answers 404."""
    if not user.division_id or not code_in_jurisdiction(actor, user.division_id):
        raise Http404


def _check_security_admin(actor: User, user: User) -> None:
    _check_account_visible(actor, user)
    if not actor.has_role(Role.SECURITY_ADMIN):
        raise PermissionDenied


def _account_fields(account: User, roles) -> dict:
    """What the audit row of an account's change compares."""
    return {
        "division": account.division_id,
        "roles": sorted(roles),
        "is_active": account.is_active,
        "display_name": account.display_name,
    }


def _division_errors(actor: User, division: Division | None) -> list[str]:
    if division is None or not code_in_jurisdiction(actor, division.code):
        return ["单位：请填写本辖区内的区划代码"]
    return []


def _role_errors(actor: User, user: User | None, roles: list[str], is_active: bool) -> list[str]:
    """Unknown roles, a combination 三员分立 forbids, and a change of one's own roles or activity."""
    problems = []
    known = {str(role) for role in Role}
    unknown = [role for role in roles if role not in known]
    if unknown:
        problems.append(f"角色：未知的角色 {'、'.join(unknown)}")
    try:
        check_role_combination(roles)
    except ValidationError as conflict:
        problems.extend(conflict.message_dict["roles"])
    if user is not None and user.pk == actor.pk and (set(roles) != set(user.role_codes) or not is_active):
        problems.append("角色：不能修改本人的角色或停用本人账号")
    return problems


def _password_errors(candidate: User, password: str, *, created: bool) -> list[str]:
    if created and not password:
        return ["初始密码：请填写"]
    if not password:
        return []
    try:
        validate_password(password, candidate)
    except ValidationError as weak:
        return [f"初始密码：{message}" for message in weak.messages]
    return []


def _username_errors(user: User | None, username: str) -> list[str]:
    if user is not None:
        return []
    if not username:
        return ["用户名：请填写"]
    if User.objects.filter(username=username).exists():
        return [f"用户名：{username} 已被使用"]
    return []


@transaction.atomic
def save_account(
    *,
    actor: User,
    user: User | None,
    username: str,
    display_name: str,
    division_code: str,
    roles: list[str],
    is_active: bool,
    password: str = "",
    request: HttpRequest | None = None,
) -> User:
    """The system administrator (系统管理员) creates or changes an account of his jurisdiction: division, roles
    (三员分立 checked), active, and an initial password the user must change at his first login. Every problem
    is named by its field and nothing is written."""
    if not actor.has_role(Role.SYSTEM_ADMIN):
        raise PermissionDenied
    if user is not None:
        _check_account_visible(actor, user)
    created = user is None
    username = (username or "").strip()
    division = Division.objects.filter(code=(division_code or "").strip()).first()
    candidate = user or User(username=username)
    errors = {
        "username": _username_errors(user, username),
        "division_code": _division_errors(actor, division),
        "roles": _role_errors(actor, user, roles, is_active),
        "password": _password_errors(candidate, password, created=created),
    }
    raise_errors({field: problems for field, problems in errors.items() if problems})
    before = {} if user is None else _account_fields(user, user.role_codes)
    account = candidate
    account.display_name = (display_name or "").strip()
    account.division = division
    account.is_active = bool(is_active)
    if password:
        account.set_password(password)
        account.must_change_password = True
    attribute_to(account, actor)
    account.save()
    account.groups.set([Group.objects.get_or_create(name=role)[0] for role in roles])
    after = _account_fields(account, roles)
    audit.record(
        action=AuditAction.USER_CHANGED,
        user=actor,
        request=request,
        object_repr=f"user {account.pk} {account.username}",
        detail={
            "user": account.username,
            "created": created,
            "before": before,
            "after": after,
            "password_set": bool(password),
        },
    )
    return account
