"""Users belong to one division (any level) and hold roles; their division code is their jurisdiction."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from yanzhen.accounts.roles import AUDIT_READER_ROLES, EDITOR_ROLES, Role
from yanzhen.core.jurisdiction import ScopedQuerySet
from yanzhen.core.text import NormalisedCharField


class UserQuerySet(ScopedQuerySet):
    pass


class ScopedUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """An account. `division` is the unit the user works for; he sees what lies under its code."""

    jurisdiction_path = "division__code"

    display_name = NormalisedCharField(_("display name"), max_length=50, blank=True)
    division = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("division"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("The user sees and changes only records inside this division."),
    )
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    # Set when someone else chose the password (a reserve's login issued by a clerk, a reset): the user must
    # choose his own before anything else (accounts.middleware).
    must_change_password = models.BooleanField(_("must change password"), default=False)

    objects = ScopedUserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def role_codes(self) -> set[str]:
        if not hasattr(self, "_role_codes"):
            self._role_codes = set(self.groups.values_list("name", flat=True))
        return self._role_codes

    def has_role(self, *roles: Role) -> bool:
        return self.is_superuser or bool(self.role_codes & {str(r) for r in roles})

    @property
    def can_edit(self) -> bool:
        return self.has_role(*EDITOR_ROLES)

    @property
    def can_read_audit(self) -> bool:
        return self.has_role(*AUDIT_READER_ROLES)

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = NormalisedCharField(_("name"), max_length=100, blank=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} {self.name}"

    @classmethod
    def issue(cls, user: User, name: str = "") -> tuple[ApiToken, str]:
        raw = "yz_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, key_hash=hash_token(raw)), raw
