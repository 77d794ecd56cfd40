"""Ids and offsets from the outside world, bounded before they reach the database.

A primary key is a 64-bit signed integer; a bigger number in `?skills=`, `?offset=` or a JSON body made
the driver fail (`OverflowError`, `datatype mismatch`) and the request answer 500. Here is the one bound:
in the API as schema types (422 with the field named), in forms as `IdsField` (the field's own error).
"""

from __future__ import annotations

from typing import Annotated

from django import forms
from django.core.exceptions import ValidationError
from pydantic import Field

MAX_ID = 2**63 - 1  # the largest BIGINT, on SQLite and PostgreSQL alike

# API parameters and body fields: an id is 1..MAX_ID, an offset or a count 0..MAX_ID.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Offset = Annotated[int, Field(ge=0, le=MAX_ID)]
Count = Offset


def parse_id(value) -> int | None:
    """An id from a query string or form, or None when it cannot be one (not a number, out of range)."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= MAX_ID else None


class IdsField(forms.ModelMultipleChoiceField):
    """ModelMultipleChoiceField that refuses an out-of-range id as an invalid choice instead of passing it
    to `pk__in` (where the driver overflows)."""

    def _check_values(self, value):
        for pk in value:
            if parse_id(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)  # type: ignore[misc]  # private in Django, not in its stubs
