"""Writing the security audit log. Services and views call `record`; nothing else writes AuditEvent."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from yanzhen.core.models import AuditAction, AuditEvent, AuditOutcome


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # Behind a reverse proxy the operator sets it to overwrite REMOTE_ADDR; we never trust the header here.
    return request.META.get("REMOTE_ADDR") or None


def record(
    *,
    action: AuditAction,
    outcome: AuditOutcome = AuditOutcome.SUCCESS,
    user=None,
    username: str = "",
    request: HttpRequest | None = None,
    object_repr: str = "",
    division_code: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return AuditEvent.objects.create(
        user=user,
        username=(user.get_username() if user is not None else username)[:150],
        division_code=(user.division_id or "") if user is not None else division_code,
        ip_address=client_ip(request),
        action=action,
        outcome=outcome,
        object_repr=object_repr[:200],
        detail=detail or {},
    )
