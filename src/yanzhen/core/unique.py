"""Saving a row that a unique constraint guards (one assessment of a person per period, one report per
half-year ...): when another clerk saved the same row a moment ago, the write is refused with a message on
the field, as the checks before it would have, not with a server error."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from yanzhen.core.guards import attribute_to


def save_unique(instance: models.Model, actor, *, field: str, message: str) -> None:
    """Save with the field history naming the actor; a unique constraint refusing the row is a
    ValidationError with `message` on `field`."""
    attribute_to(instance, actor)
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError({field: message}) from None
