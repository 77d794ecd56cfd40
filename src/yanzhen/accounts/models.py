"""Users belong to one division (any level) and hold roles; their division code is their jurisdiction."""

from __future__ import annotations

import hashlib
import secrets
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from yanzhen.accounts.roles import AUDIT_READER_ROLES, EDITOR_ROLES, Role
from yanzhen.core.jurisdiction import ScopedQuerySet
from yanzhen.core.model_fields import county_key
from yanzhen.core.models import CountySettings
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

    objects: ClassVar[ScopedUserManager] = ScopedUserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    # The raw password set_password was given, until the next save (AbstractBaseUser's own attribute).
    _password: str | None

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


# The bounds of the county security policy (SecurityPolicy): the form, the service and the model agree.
PASSWORD_MAX_AGE_DAYS = (30, 365)
PASSWORD_REUSE_COUNT = (1, 24)
DEFAULT_PASSWORD_MAX_AGE_DAYS = 90
DEFAULT_PASSWORD_REUSE_COUNT = 5


class SecurityPolicy(CountySettings):
    """One county's security policy, set by its security administrator (安全管理员). While a county has saved
    none, the defaults below apply (`for_user` returns an unsaved instance)."""

    county = county_key("security_policy")
    password_max_age_days = models.PositiveSmallIntegerField(
        _("password maximum age (days)"),
        default=DEFAULT_PASSWORD_MAX_AGE_DAYS,
        validators=[MinValueValidator(PASSWORD_MAX_AGE_DAYS[0]), MaxValueValidator(PASSWORD_MAX_AGE_DAYS[1])],
        help_text=_("A password older than this must be changed at the next login."),
    )
    password_reuse_count = models.PositiveSmallIntegerField(
        _("passwords remembered"),
        default=DEFAULT_PASSWORD_REUSE_COUNT,
        validators=[MinValueValidator(PASSWORD_REUSE_COUNT[0]), MaxValueValidator(PASSWORD_REUSE_COUNT[1])],
        help_text=_("A new password may not be one of this many previous passwords."),
    )
    two_factor_required = models.BooleanField(
        _("two-factor login required"),
        default=False,
        help_text=_(
            "Administrators, township clerks and the three system administrators log in with a one-time code."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("security policy")
        verbose_name_plural = _("security policies")

    @classmethod
    def for_county_code(cls, code: str | None) -> SecurityPolicy:
        """The policy of the county whose code begins `code` (a county, township or village); defaults when
        that county has saved none or the code lies above any county."""
        if code and len(code) >= 6:
            saved = cls.objects.filter(county_id=code[:6]).first()
            if saved is not None:
                return saved
        return cls()

    @classmethod
    def for_user(cls, user) -> SecurityPolicy:
        """The policy of the county at or above the user's division (an unsaved default instance if none)."""
        return cls.for_county_code(getattr(user, "division_id", None))

    @staticmethod
    def lockout_failures() -> int:
        """django-axes' limit, global to the deployment (settings.AXES_FAILURE_LIMIT): shown, not set here."""
        return int(settings.AXES_FAILURE_LIMIT)

    @staticmethod
    def lockout_minutes() -> int:
        return round(float(settings.AXES_COOLOFF_TIME) * 60)
