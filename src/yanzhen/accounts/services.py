"""Writes to accounts: users and API tokens."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from yanzhen.accounts.models import ApiToken, User
from yanzhen.accounts.roles import Role
from yanzhen.core import audit
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
