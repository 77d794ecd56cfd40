"""Append-only audit log of security events (登录、失败、锁定、导出、查看完整身份证号 ...), and the abstract
models other apps build on: an entry of a configurable vocabulary, the settings of one county."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yanzhen.core.jurisdiction import ScopedQuerySet
from yanzhen.core.text import NormalisedCharField


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Login")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOCKED_OUT = "locked_out", _("Locked out")
    LOGOUT = "logout", _("Logout")
    EXPORT = "export", _("Export")
    VIEW_FULL_ID_NUMBER = "view_full_id_number", _("Viewed full ID number")
    VIEW_FULL_PHONE = "view_full_phone", _("Viewed full phone number")
    IMPORT = "import", _("Import")
    TOKEN_CREATED = "token_created", _("API token created")
    RESERVE_LOGIN_CREATED = "reserve_login_created", _("Reserve's login created")
    RESERVE_PASSWORD_RESET = "reserve_password_reset", _("Reserve's password reset")
    RESERVE_LOGIN_DISABLED = "reserve_login_disabled", _("Reserve's login disabled")
    RESERVE_LOGIN_ENABLED = "reserve_login_enabled", _("Reserve's login enabled")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    SECURITY_POLICY_CHANGED = "security_policy_changed", _("Security policy changed")
    TWO_FACTOR_ENROLLED = "two_factor_enrolled", _("Two-factor login enrolled")
    TWO_FACTOR_VERIFIED = "two_factor_verified", _("Two-factor code accepted")
    TWO_FACTOR_FAILED = "two_factor_failed", _("Wrong two-factor code")
    TWO_FACTOR_RESET = "two_factor_reset", _("Two-factor login reset")
    RECOVERY_CODES_ISSUED = "recovery_codes_issued", _("Recovery codes issued")
    LOCKOUT_CLEARED = "lockout_cleared", _("Lockout cleared")
    USER_CHANGED = "user_changed", _("Account created or changed")
    SESSION_ENDED = "session_ended", _("Older session ended by a new login")
    REAUTHENTICATED = "reauthenticated", _("Password entered again")
    REAUTH_FAILED = "reauth_failed", _("Wrong password entered again")


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit event."""


class AuditEventQuerySet(ScopedQuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit events are append-only")

    def delete(self):
        raise AppendOnlyError("audit events are append-only")


class AuditEvent(models.Model):
    """One security event. Rows are only ever inserted: saving an existing row or deleting raises, and on
    PostgreSQL a trigger refuses UPDATE and DELETE in the database itself (migration 0004)."""

    jurisdiction_path = "division_code"

    # Set before the insert (not auto_now_add), so the row's hash can cover it.
    at = models.DateTimeField(_("time"), default=timezone.now, editable=False, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        # Deleting a user leaves the row as written (SET_NULL would UPDATE it, breaking the chain and the
        # database's append-only trigger); username and division_code keep naming the author.
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    division_code = models.CharField(_("division code"), max_length=12, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=AuditOutcome.choices)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    # The hash chain (core.audit_chain): the previous row's hash, and SHA-256 over it and this row's content.
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, editable=False)
    row_hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are append-only")


class VocabularyEntry(models.Model):
    """An entry of a configurable vocabulary (`core.vocabulary`): 村类型, 产业, 来源, 特长. A subclass adds only
    its verbose names, in a `Meta` inheriting this one's ordering."""

    name = NormalisedCharField(_("name"), max_length=30, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class CountySettings(models.Model):
    """What one county (县委组织部) sets: one row per county, keyed by it (`model_fields.county_key`). While a
    county has saved none, the app's defaults apply (an unsaved row)."""

    jurisdiction_path = "county__code"

    county_id: str

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(self.county_id)
