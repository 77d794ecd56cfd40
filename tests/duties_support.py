"""The three administrators of 三员分立, made per test (not session personas: the permission matrix's columns
stay as they are, tests/test_separation_of_duties.py walks its URLs for these three)."""

from __future__ import annotations

from tests.conftest import PASSWORD
from yanzhen.accounts.models import User
from yanzhen.accounts.roles import Role
from yanzhen.divisions.models import Division

DUTY_PERSONAS = {
    "xitong": Role.SYSTEM_ADMIN,  # 系统管理员 of 盐池县
    "anquan": Role.SECURITY_ADMIN,  # 安全管理员 of 盐池县
    "shenji": Role.AUDIT_ADMIN,  # 审计管理员 of 盐池县
}


def make_duty_user(username: str, role: Role, code: str = "640323") -> User:
    from yanzhen.accounts.services import create_or_update_user

    user, _ = create_or_update_user(
        username=username, password=PASSWORD, division=Division.objects.get(code=code), roles=[role]
    )
    return user
