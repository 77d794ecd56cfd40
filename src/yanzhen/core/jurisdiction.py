"""Jurisdiction (辖区): the one scoping method every page, API route, export and count goes through.

A user belongs to one division; his jurisdiction is every record whose division code starts with that
division's code. Division codes are materialised paths (64 → 6403 → 640323 → 640323100 → 640323100200),
so the test is a prefix test answered by the database, never a walk of the tree in Python.

Models take part by using `ScopedQuerySet` (or a manager built from it) and naming, in
`jurisdiction_path`, the lookup that reaches a division code, e.g. "code" on Division itself or
"village__code" on a record attached to a village.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Self

from django.db import models

if TYPE_CHECKING:
    from yanzhen.accounts.models import User


def jurisdiction_prefix(user: User | None) -> str | None:
    """The code prefix a user may see; "" means everything, None means nothing."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.division_id:
        return user.division_id
    # Only an operator's superuser account stands above every division (system administration).
    return "" if user.is_superuser else None


Action = Literal["view", "change"]


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to restrict itself to a user's jurisdiction.

    `restrict(user, "change")` is the records he may also write: none for a reader (NetBox's
    `restrict(user, action)`). The return type is the model's own queryset class, so a manager built from a
    subclass keeps its methods after `restrict` (`Candidacy.objects.restrict(user).in_pool_on(day)`)."""

    def restrict(self, user: User | None, action: Action = "view") -> Self:
        prefix = jurisdiction_prefix(user)
        if prefix is None:
            return self.none()
        if action == "change" and not (user is not None and user.can_edit):
            return self.none()
        if prefix == "":
            return self
        path = self.model.jurisdiction_path  # type: ignore[attr-defined]
        return self.filter(**{f"{path}__startswith": prefix})


def code_in_jurisdiction(user: User | None, code: str) -> bool:
    prefix = jurisdiction_prefix(user)
    return prefix is not None and code.startswith(prefix)
