"""Roles a user may hold. Each role is a Django group of the same name, created by a data migration,
so permissions can be attached to it later (two-factor, exports ...)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Organisation department administrator")  # 组织部管理员 (县委组织部 in the demo)
    TOWNSHIP_CLERK = "township_clerk", _("Township clerk")  # 乡镇组织委员
    VILLAGE_SECRETARY = "village_secretary", _("Village party secretary")  # 村党组织书记
    RESERVE = "reserve", _("Reserve cadre")  # 后备力量 (self-service)
    AUDITOR = "auditor", _("Auditor")  # 只读审计


# Roles that may change domain records inside their jurisdiction.
EDITOR_ROLES = frozenset({Role.ADMIN, Role.TOWNSHIP_CLERK})
# Roles that may read the security audit log.
AUDIT_READER_ROLES = frozenset({Role.ADMIN, Role.AUDITOR})
# Roles that may export personal records (masked unless they also hold the full-data permission).
EXPORTER_ROLES = frozenset({Role.ADMIN, Role.TOWNSHIP_CLERK, Role.VILLAGE_SECRETARY})
