"""Two-factor login (TOTP, django-otp): who must use it, enrolment, recovery codes and checking a code.

A user logs in with his password (django-axes still counts those failures); when he has a confirmed
authenticator (a `TOTPDevice`), `accounts.middleware.TwoFactorMiddleware` keeps him on the code page until
the session is verified. The recovery codes are django-otp's `StaticDevice` (each code works once). API tokens
are not affected: they authenticate without a session (docs/security.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from yanzhen.accounts.models import SecurityPolicy, User
from yanzhen.accounts.roles import TWO_FACTOR_ROLES
from yanzhen.core import audit
from yanzhen.core.models import AuditAction, AuditOutcome

RECOVERY_CODE_COUNT = 10
TOTP_NAME = "身份验证器"
RECOVERY_NAME = "恢复码"
CODE_PATTERN = re.compile(r"^\d{6}$")


def is_required(user: User) -> bool:
    """His county's policy requires a second factor and he holds one of the roles it covers."""
    if not user.is_authenticated or not user.has_role(*TWO_FACTOR_ROLES) or user.is_superuser:
        return False
    return SecurityPolicy.for_user(user).two_factor_required


def confirmed_authenticator(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_enrolled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_authenticator(user: User) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled: the same secret on every visit until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


@dataclass(frozen=True)
class Enrolment:
    """What the enrolment page shows: the QR code as inline SVG and the secret to type by hand."""

    svg: str
    secret: str
    url: str


def enrolment_of(device: TOTPDevice) -> Enrolment:
    from base64 import b32encode

    url = device.config_url
    svg = segno.make(url, error="m").svg_inline(scale=5, dark="#000", light="#fff")
    secret = b32encode(device.bin_key).decode()
    return Enrolment(svg=svg, secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)), url=url)


def normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


@transaction.atomic
def confirm_enrolment(*, user: User, code: str, request: HttpRequest | None = None) -> list[str] | None:
    """Confirm the pending authenticator with one code from it. Returns the recovery codes (shown once) or
    None when the code is wrong (audited)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
    code = normalise(code)
    if device is None or not CODE_PATTERN.match(code) or not device.verify_token(code):
        _record_failure(user, request, "enrolment")
        return None
    # One authenticator per user: an earlier one (re-enrolment) and any other pending one are removed.
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(action=AuditAction.TWO_FACTOR_ENROLLED, user=user, request=request)
    if request is not None:
        otp_login(request, device)
    return _issue_recovery_codes(user=user, request=request)


@transaction.atomic
def regenerate_recovery_codes(*, user: User, request: HttpRequest | None = None) -> list[str]:
    """New recovery codes; the earlier ones stop working."""
    return _issue_recovery_codes(user=user, request=request)


def _issue_recovery_codes(*, user: User, request: HttpRequest | None) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": RECOVERY_NAME, "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    audit.record(
        action=AuditAction.RECOVERY_CODES_ISSUED, user=user, request=request, detail={"count": len(codes)}
    )
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify(*, user: User, code: str, request: HttpRequest) -> Device | None:
    """Check a code typed at login: six digits against the authenticator, anything else as a recovery code
    (each works once). On success the session is verified; a wrong code is audited."""
    code = normalise(code)
    if CODE_PATTERN.match(code):
        candidates: list[Device] = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    else:
        candidates = list(StaticDevice.objects.filter(user=user, confirmed=True))
    for candidate in candidates:
        with transaction.atomic():
            device = type(candidate).objects.select_for_update().get(pk=candidate.pk)
            if code and device.verify_token(code):
                otp_login(request, device)
                audit.record(
                    action=AuditAction.TWO_FACTOR_VERIFIED,
                    user=user,
                    request=request,
                    detail={"device": "recovery" if isinstance(device, StaticDevice) else "totp"},
                )
                return device
    _record_failure(user, request, "login")
    return None


def _record_failure(user: User, request: HttpRequest | None, stage: str) -> None:
    """A wrong code, audited with the stage it was typed at (enrolment or login)."""
    audit.record(
        action=AuditAction.TWO_FACTOR_FAILED,
        outcome=AuditOutcome.FAILURE,
        user=user,
        request=request,
        detail={"stage": stage},
    )


def max_failures() -> int:
    return int(getattr(settings, "TWO_FACTOR_MAX_FAILURES", 5))


@transaction.atomic
def reset(*, actor: User, user: User, request: HttpRequest | None = None) -> int:
    """The security administrator removes a user's authenticator and recovery codes (a lost phone): the user
    enrols again at his next login if his policy requires it. Returns the number of devices removed."""
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        count, _ = model.objects.filter(user=user).delete()
        removed += count
    audit.record(
        action=AuditAction.TWO_FACTOR_RESET,
        user=actor,
        request=request,
        object_repr=f"user {user.pk} {user.username}",
        detail={"user": user.username},
    )
    return removed
