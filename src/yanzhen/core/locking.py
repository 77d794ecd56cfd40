"""The first step of a service that changes a record it was handed: the record re-read inside the actor's
jurisdiction (outside it: 404, as if it did not exist) and locked for the rest of the transaction in the
same query. The role is checked after it, by each service's own rule."""

from __future__ import annotations

from typing import TypeVar

from django.db import models
from django.http import Http404

M = TypeVar("M", bound=models.Model)


def visible_locked(actor, instance: M, *related: str) -> M:
    """The instance re-read inside the actor's jurisdiction and locked (its own row only, not those of
    `related`, which are fetched with it), else 404."""
    found = (
        type(instance)
        ._default_manager.restrict(actor)  # type: ignore[attr-defined]
        .select_for_update(of=("self",))
        .select_related(*related)
        .filter(pk=instance.pk)
        .first()
    )
    if found is None:
        raise Http404
    return found
