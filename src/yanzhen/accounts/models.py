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


class UserQuerySet(ScopedQuerySet):
    pass


class ScopedUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """An account. `division` is the unit the user works for; he sees what lies under its code."""

    jurisdiction_path = "division__code"

    display_name = models.CharField(_("display name"), max_length=50, blank=True)
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

    def save(self, *args, **kwargs):
        # set_password only hashes; the new hash is kept in the history once the user row is saved (a new
        # user has no primary key before). AbstractBaseUser.save clears `_password`, so look before.
        password_was_set = self._password is not None
        super().save(*args, **kwargs)
        if password_was_set:
            PasswordHistory.remember(self)


class PasswordHistory(models.Model):
    """The hash of a password a user had (his current one too), so that he cannot choose any of his last few
    again (accounts.validators.PasswordHistoryValidator). Only the newest `password_policy.reuse_count`
    entries of a user are kept."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="password_history"
    )
    password_hash = models.CharField(_("password hash"), max_length=128)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("previous password")
        verbose_name_plural = _("previous passwords")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"

    @classmethod
    def remember(cls, user: User) -> None:
        """Add the user's current hash and drop what is older than the last `reuse_count` passwords."""
        from yanzhen.accounts import password_policy

        if not user.has_usable_password():
            return
        cls.objects.create(user=user, password_hash=user.password)
        keep = max(password_policy.reuse_count(user), 1)
        kept = cls.objects.filter(user=user).order_by("-created_at", "-id").values_list("id", flat=True)
        cls.objects.filter(user=user).exclude(id__in=list(kept[:keep])).delete()


class UserSession(models.Model):
    """Which browser session belongs to which user, written at login (accounts.sessions). A new login ends
    the user's other sessions by these keys, on any app server, without decoding every session. A row whose
    session was ended by a newer login keeps `ended_at`, so that browser is told why at its next request."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(_("session key"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("login session")
        verbose_name_plural = _("login sessions")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
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
