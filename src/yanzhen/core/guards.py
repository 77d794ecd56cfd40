"""The checks every page, API route and service makes, written once: jurisdiction, role, data, time, author.

The order is always the same: jurisdiction first (outside it a record answers 404, as if it did not exist, so
a probe learns nothing), then the role (a reader inside the jurisdiction gets 403), then the data (Django's
`ValidationError`, Chinese messages keyed by field). Views and API operations call `get_for_view` or
`get_for_change`; services that receive an object re-read it with `visible` before writing.

`operator_scope` is the one place where "no user" means the operator at the console (`yanzhen stats`, the
management commands), who sees everything.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone

if TYPE_CHECKING:
    from yanzhen.accounts.models import User
    from yanzhen.core.jurisdiction import ScopedQuerySet

M = TypeVar("M", bound=models.Model)


def today() -> date:
    """The local date (Asia/Shanghai): the one "today" of every rule, deadline and default."""
    return timezone.localdate()


def require_editor(user: User | None) -> None:
    """A reader (or an anonymous request) may not write: 403."""
    if user is None or not user.is_authenticated or not user.can_edit:
        raise PermissionDenied


def get_for_view(queryset: ScopedQuerySet, user: User | None, **lookup: Any) -> Any:
    """One record inside the user's jurisdiction; outside it, like a missing or malformed key, 404."""
    try:
        return queryset.restrict(user).get(**lookup)
    except queryset.model.DoesNotExist as missing:
        raise Http404 from missing
    except (ValueError, TypeError) as malformed:
        raise Http404 from malformed


def get_for_change(queryset: ScopedQuerySet, user: User | None, **lookup: Any) -> Any:
    """One record the user may write: 404 outside the jurisdiction (checked first), 403 for a reader."""
    found = get_for_view(queryset, user, **lookup)
    require_editor(user)
    return found


def visible(actor: User | None, instance: M) -> M:
    """The instance re-read inside the actor's jurisdiction (a service must not trust the object it was
    handed), else 404."""
    manager = type(instance)._default_manager
    found = manager.restrict(actor).filter(pk=instance.pk).first()  # type: ignore[attr-defined]
    if found is None:
        raise Http404
    return found


def operator_scope(queryset: ScopedQuerySet, user: User | None) -> ScopedQuerySet:
    """The records a figure counts: the user's jurisdiction, or everything for the operator (no user)."""
    return queryset if user is None else queryset.restrict(user)


def raise_errors(errors: dict[str, str] | dict[str, list[str]]) -> None:
    """Refuse with every message found at once (keyed by field), or do nothing when there is none."""
    if errors:
        raise ValidationError(errors)


def attribute_to(instance: models.Model, actor: User | None) -> None:
    """Name the author of the history row the next save writes (django-simple-history reads
    `_history_user`; None records an import or the system)."""
    instance._history_user = actor  # type: ignore[attr-defined]
