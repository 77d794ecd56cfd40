"""Inserting many rows fast, with their field history: `insert` and `insert_with_history`.

Django's `bulk_create` builds each value's SQL through the insert compiler (a placeholder and a parameter list
per field per row), which costs more than the database itself when 10,000 people of 27 columns, their
history and their candidacies go in at once (the roster import, issue 17). `insert` writes the same rows:
each field's own `pre_save` (so `auto_now` and the normalised text fields do what a save does) and
`get_db_prep_save`, the same statement per batch as `bulk_create` (rows of placeholders, or on PostgreSQL
one array per column through UNNEST) returning the primary keys, which are set on the objects. It takes
plain models only: no expressions as values, no multi-table inheritance, no custom placeholders; anything
else goes to `bulk_create` unchanged.

`insert_with_history` adds the simple-history rows as `HistoryManager.bulk_history_create` builds them (the
history type, user, change reason and date of each, every tracked field), inserted the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Field, Model
from django.utils import timezone
from simple_history.utils import get_change_reason_from_object

# Rows per statement at most (SQLite also stops at its bound-parameter limit: see `_batch_size`).
BATCH = 500


def _plain(model: type[Model], fields: list[Field], connection) -> bool:
    """The model and fields `insert` writes itself: one table, no placeholders of their own."""
    return (
        not model._meta.parents
        and connection.features.can_return_rows_from_bulk_insert
        and not any(hasattr(field, "get_placeholder") for field in fields)
    )


def _batch_size(fields: list[Field], objects: Sequence[Model], connection) -> int:
    return max(1, min(BATCH, connection.ops.bulk_batch_size(fields, objects)))


def _fields(model: type[Model], objects: Sequence[Model], connection) -> tuple[list[Field], bool] | None:
    """The columns to write and whether the objects carry their own primary key; None when `insert` leaves
    them to `bulk_create` (some with a key and some without, or a model it does not take)."""
    pk = model._meta.pk
    assert pk is not None
    for obj in objects:
        if obj.pk is None:
            obj.pk = pk.get_pk_value_on_save(obj)  # a default of the field's (a UUID), as bulk_create does
    with_pk = {obj.pk is not None for obj in objects}
    if len(with_pk) > 1:
        return None
    own_keys = with_pk == {True}
    fields: list[Field] = [
        field
        for field in model._meta.concrete_fields
        if not getattr(field, "generated", False) and (field is not pk or own_keys)
    ]
    return (fields, own_keys) if _plain(model, fields, connection) else None


def _rows(batch: Sequence[Model], fields: list[Field], connection) -> list[list[Any]]:
    """The values of a batch, a row per object, as the insert compiler prepares them: each field's
    `pre_save` (adding) and `get_db_prep_save`."""
    converters = [(field.pre_save, field.get_db_prep_save) for field in fields]
    rows = []
    for obj in batch:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")  # type: ignore[attr-defined]
        rows.append([prepare(pre_save(obj, True), connection) for pre_save, prepare in converters])
    if any(hasattr(value, "resolve_expression") for row in rows for value in row):
        raise TypeError("insert() takes values, not expressions: use bulk_create")
    return rows


def _unnest(fields: list[Field], connection) -> list[str] | None:
    """On PostgreSQL, the typed arrays that carry a batch one column each (`INSERT ... SELECT * FROM
    UNNEST(...)`), as Django's own compiler does for bulk_create: the server plans one short statement
    instead of one with a placeholder per value. None elsewhere, or for a type that is not unnested."""
    if connection.vendor != "postgresql":
        return None
    stored = [getattr(field, "target_field", field) if field.is_relation else field for field in fields]
    types = [field.db_type(connection) for field in fields]
    if None in types or any(field.get_internal_type() not in connection.data_types for field in stored):
        return None
    from django.db.backends.postgresql.compiler import InsertUnnest

    # Without the length or precision, as Django does: varchar[], not varchar(50)[] (no truncation).
    return InsertUnnest([f"(%s)::{str(db_type).split('(')[0]}[]" for db_type in types])


def _values(
    fields: list[Field], rows: list[list[Any]], unnest: list[str] | None, ops
) -> tuple[str, list[Any]]:
    """The VALUES (or UNNEST) part of a batch's statement, and its parameters."""
    if unnest is not None and len(rows) > 1:
        return ops.bulk_insert_sql(fields, unnest), [list(column) for column in zip(*rows, strict=True)]
    placeholders = ["%s"] * len(fields)
    return ops.bulk_insert_sql(fields, [placeholders] * len(rows)), [value for row in rows for value in row]


def insert(objects: Sequence[Model]) -> None:
    """Insert `objects` (all of one model, none saved yet) as `bulk_create` does, faster; their primary
    keys are set."""
    if not objects:
        return
    model = type(objects[0])
    database = router.db_for_write(model)
    connection = connections[database]
    found = _fields(model, objects, connection)
    if found is None:
        model._default_manager.db_manager(database).bulk_create(objects, batch_size=BATCH)
        return
    fields, own_keys = found
    ops: Any = connection.ops  # the stubs know not every backend operation used here
    columns = ", ".join(ops.quote_name(field.column) for field in fields)
    head = f"INSERT INTO {ops.quote_name(model._meta.db_table)} ({columns}) "
    returning, returning_params = ops.return_insert_columns([model._meta.pk])
    size = _batch_size(fields, objects, connection)
    unnest = _unnest(fields, connection)
    # All the batches or none, as bulk_create (inside a caller's transaction this adds nothing).
    with transaction.atomic(using=database, savepoint=False), connection.cursor() as cursor:
        for start in range(0, len(objects), size):
            batch = objects[start : start + size]
            values, params = _values(fields, _rows(batch, fields, connection), unnest, ops)
            cursor.execute(f"{head}{values} {returning}", (*params, *returning_params))
            for obj, row in zip(batch, ops.fetch_returned_insert_rows(cursor), strict=True):
                if not own_keys:
                    obj.pk = row[0]
                obj._state.adding = False
                obj._state.db = database


def history_rows(
    model: type[Model],
    objects: Sequence[Model],
    *,
    user=None,
    change_reason: str = "",
    date: datetime | None = None,
    update: bool = False,
) -> list[Model]:
    """The simple-history rows of `objects`, as `bulk_history_create` builds them (not saved); none when
    the history is switched off (SIMPLE_HISTORY_ENABLED)."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return []
    history = model.history.model  # type: ignore[attr-defined]
    tracked = {field.attname for field in history.tracked_fields}
    history_type = "~" if update else "+"
    rows = []
    for instance in objects:
        history_user = getattr(instance, "_history_user", user or history.get_default_history_user(instance))
        own = {
            "history_id": None,
            "history_date": getattr(instance, "_history_date", date or timezone.now()),
            "history_user_id": history_user.pk if history_user is not None else None,
            "history_change_reason": get_change_reason_from_object(instance) or change_reason,
            "history_type": history_type,
            "history_relation_id": instance.pk,
        }
        # Positional values in the order of the columns: Django's fast way to make an instance (as from_db),
        # the same row as the keywords bulk_history_create passes.
        values = [
            getattr(instance, field.attname)
            if field.attname in tracked
            else own[field.attname]
            if field.attname in own
            else field.get_default()
            for field in history._meta.concrete_fields
        ]
        rows.append(history(*values))
    return rows


def insert_history(model: type[Model], objects: Sequence[Model], **how: Any) -> list[Model]:
    """Write the history rows of `objects` (already written) and return them, with their ids; `how` is
    `history_rows`' (user, change_reason, date, update)."""
    rows = history_rows(model, objects, **how)
    insert(rows)
    return rows


def insert_with_history(
    objects: Sequence[Model], *, user=None, change_reason: str = "", date: datetime | None = None
) -> list[Model]:
    """Insert new `objects` and their "+" history rows; the history rows, with their ids."""
    if not objects:
        return []
    insert(objects)
    return insert_history(type(objects[0]), objects, user=user, change_reason=change_reason, date=date)
