"""Pieces the API's modules share: the page size and If-Match parameters, a schema filled from a record, one
page of a list, the records of ids.

An output schema names most of its fields as the model names its attributes; `out_of` fills those from the
record and takes the rest (a label, a related name, a computed value) as keywords, so that an `of` method
writes only what differs from the model. It copies whatever attribute a field names: a schema with a field
that must not simply be read from the record (a full ID number, shown only when revealed) gives its values
one by one instead (people/api.py's PersonDetailOut).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from ninja import Header, Query, Schema

from yanzhen.core import versioning

S = TypeVar("S", bound=Schema)

MAX_LIMIT = 500  # the most items one page of a list holds

# How many items a page of a list holds, as `limit: Limit = 100`.
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]

# The version a PUT was read at (the ETag of its GET), as `if_match: IfMatch = None` (core/versioning.py).
IfMatch = Annotated[str | None, Header(alias="If-Match", description=versioning.IF_MATCH_DESCRIPTION)]


def out_of(schema: type[S], record: Any, **values: Any) -> S:
    """`schema` filled from `record`: each field from the record's attribute of the same name, unless
    `values` gives it."""
    from_record = {name: getattr(record, name) for name in schema.model_fields if name not in values}
    return schema(**from_record, **values)


def page_of(queryset, offset: int, limit: int, out: Callable, *, whole_page: bool = False) -> dict:
    """One page of a list: the count of all the records and the page's items, each made by `out` from one
    record (or, `whole_page`, all at once from the page's list of records)."""
    count = queryset.count()
    records = queryset[offset : offset + limit]
    return {
        "count": count,
        "items": out(list(records)) if whole_page else [out(record) for record in records],
    }


def existing(model, ids: list[int], *, errors: dict[str, str], field: str, noun: str) -> list:
    """The records of `ids`; ids that name none are the error of `field` in `errors`: `noun` 3, 5 不存在."""
    records = list(model.objects.filter(pk__in=ids))
    missing = sorted(set(ids) - {record.pk for record in records})
    if missing:
        errors[field] = f"{noun} {', '.join(map(str, missing))} 不存在"
    return records
