"""Roles a user may hold. Each role is a Django group of the same name, created by a data migration,
so permissions can be attached to it later (two-factor, exports ...)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Organisation department administrator")  # 组织部管理员 (县委组织部 in the demo)
    TOWNSHIP_CLERK = "township_clerk", _("Township clerk")  # 乡镇组织委员
    VILLAGE_SECRETARY = "village_secretary", _("Village party secretary")  # 村党组织书记
    RESERVE = "reserve", _("Reserve cadre")  # 后备力量 (self-service)
    CADRE = "cadre", _("Village cadre (self-service)")  # 村干部本人: his duty days and check-in (duty app)
    AUDITOR = "auditor", _("Auditor")  # 只读审计
    # 县委分管领导 (issue 20 §3): read-only, the county's figures and to-dos, no personal data beyond names
    # (accounts.leader keeps him on those pages).
    LEADER = "leader", _("County leader in charge (read-only)")
    # 三员分立 (GB/T 22239-2019 level 3): three administrators of the system itself, none of whom reads the
    # archive by that role (accounts.duties keeps them on their own pages).
    SYSTEM_ADMIN = "system_admin", _("System administrator")  # 系统管理员: accounts and vocabularies
    SECURITY_ADMIN = "security_admin", _("Security administrator")  # 安全管理员: policy, lockouts, 2FA
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")  # 审计管理员: reads the audit log


# Roles of a person's own login (a self-service link ties it to his archive): his own pages only.
SELF_SERVICE_ROLES = frozenset({Role.RESERVE, Role.CADRE})
# Roles that may change domain records inside their jurisdiction.
EDITOR_ROLES = frozenset({Role.ADMIN, Role.TOWNSHIP_CLERK})
# Roles that may read the security audit log.
AUDIT_READER_ROLES = frozenset({Role.ADMIN, Role.AUDITOR, Role.AUDIT_ADMIN})
# Roles that may export personal records (masked unless they also hold the full-data permission).
EXPORTER_ROLES = frozenset({Role.ADMIN, Role.TOWNSHIP_CLERK, Role.VILLAGE_SECRETARY})
# The three administrators of 三员分立: each must be the only role of its holder.
DUTY_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
# Roles that must log in with a second factor when their county's security policy says so.
TWO_FACTOR_ROLES = frozenset({Role.ADMIN, Role.TOWNSHIP_CLERK}) | DUTY_ROLES

DUTY_CONFLICT_MESSAGE = (
    "角色：系统管理员、安全管理员、审计管理员须由不同的人担任（三员分立），且不得兼任其他角色"
)


def check_role_combination(roles) -> None:
    """三员分立: a duty role is its holder's only role. Raises ValidationError on the field `roles`."""
    codes = {str(role) for role in roles}
    duties = codes & {str(role) for role in DUTY_ROLES}
    if duties and len(codes) > 1:
        raise ValidationError({"roles": DUTY_CONFLICT_MESSAGE})
