"""Writing the security audit log. Services and views call `record`; nothing else writes AuditEvent.

Each row is chained to the one before it (core.audit_chain). On PostgreSQL several app servers write at
once: a transaction-level advisory lock is taken before the last row is read, so two writers never attach
to the same previous row (SQLite serialises writers itself: a second writer gets "database is locked"
rather than a stale read).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Min, QuerySet
from django.db.models.functions import Length
from django.http import HttpRequest

from yanzhen.core import audit_chain
from yanzhen.core.models import AuditAction, AuditEvent, AuditOutcome

if TYPE_CHECKING:
    from yanzhen.accounts.models import User

# Any fixed 64-bit number, the same in every process: "yanzhen" in ASCII.
CHAIN_LOCK = int.from_bytes(b"yanzhen", "big")


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # Behind a reverse proxy the operator sets it to overwrite REMOTE_ADDR; we never trust the header here.
    return request.META.get("REMOTE_ADDR") or None


def visible_events(user: User | None) -> QuerySet[AuditEvent]:
    """The audit rows a user may read: his jurisdiction, and for the auditors of the deployment's top
    divisions also the rows of no division, such as failed logins naming an unknown user, which belong to
    no account. The top is where the highest accounts sit (the shortest division code of an active
    account: the county), not the shortest code imported: the province and city above a county are
    imported as its ancestors, and nobody works there."""
    from yanzhen.accounts.models import User

    events = AuditEvent.objects.restrict(user)
    division = getattr(user, "division_id", None) or ""
    if division:
        accounts = User.objects.filter(is_active=True, division__isnull=False)
        shortest = accounts.aggregate(shortest=Min(Length("division_id")))["shortest"]
        if len(division) == shortest:
            events = events | AuditEvent.objects.filter(division_code="")
    return events


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
    event = AuditEvent(
        user=user,
        username=(user.get_username() if user is not None else username)[:150],
        division_code=(user.division_id or "") if user is not None else division_code,
        ip_address=client_ip(request),
        action=action,
        outcome=outcome,
        object_repr=object_repr[:200],
        detail=detail or {},
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        previous = AuditEvent.objects.order_by("-id").values_list("row_hash", flat=True).first()
        event.prev_hash = previous or audit_chain.GENESIS
        event.row_hash = audit_chain.link(event.prev_hash, event)
        event.save()
    return event


def verify() -> audit_chain.Verdict:
    return audit_chain.verify(AuditEvent.objects.order_by("id").iterator(chunk_size=2000))
