"""Inserting many rows fast, with their field history: `insert` and `insert_with_history`.

Django's `bulk_create` builds each value's SQL through the insert compiler (a placeholder and a parameter list
per field per row), which costs more than the database itself when 10,000 people of 27 columns, their
history and their candidacies go in at once (the roster import, issue 17). `insert` writes the same rows:
each field's own `pre_save` (so `auto_now` and the normalised text fields do what a save does) and
`get_db_prep_save` (skipped where it would return the value unchanged: `_as_is`). On SQLite it sends the
statement `bulk_create` sends per batch (rows of placeholders) returning the primary keys; on PostgreSQL it
draws the keys from the table's sequence and sends every row in one COPY. The keys are set on the objects.
It takes plain models only: no expressions as values, no multi-table inheritance, no custom placeholders;
anything else goes to `bulk_create` unchanged.

`insert_with_history` adds the simple-history rows as `HistoryManager.bulk_history_create` builds them (the
history type, user, change reason and date of each, every tracked field), inserted the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import connections, models, router, transaction
from django.db.models import Field, Model
from django.utils import timezone
from simple_history.utils import get_change_reason_from_object

# Rows per statement at most on SQLite (which also stops at its bound-parameter limit).
BATCH = 500


def _plain(model: type[Model], fields: list[Field], connection) -> bool:
    """The model and fields `insert` writes itself: one table, no placeholders of their own."""
    return (
        not model._meta.parents
        and connection.features.can_return_rows_from_bulk_insert
        and not any(hasattr(field, "get_placeholder") for field in fields)
    )


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
    if not own_keys and not isinstance(pk, models.AutoField | models.BigAutoField | models.SmallAutoField):
        return None  # COPY draws the keys from the column's sequence: an automatic key only
    return (fields, own_keys) if _plain(model, fields, connection) else None


# Values of these field classes (exactly these: a subclass may prepare its values its own way) that are
# already of the type the column stores go to the database as they are: `get_db_prep_save` would return
# them unchanged, and calling it for each of a million values is the import's largest cost. Any other
# value, or field, is prepared by the field. Dates only on PostgreSQL (SQLite stores them as text).
_STORED_AS_IS: dict[str, tuple[type, ...]] = {
    "CharField": (str,),
    "TextField": (str,),
    "IntegerField": (int,),
    "SmallIntegerField": (int,),
    "BigIntegerField": (int,),
    "PositiveIntegerField": (int,),
    "PositiveSmallIntegerField": (int,),
    "PositiveBigIntegerField": (int,),
    "AutoField": (int,),
    "BigAutoField": (int,),
    "BooleanField": (bool,),
}
_PLAIN_CLASSES = {
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.SmallIntegerField,
    models.BigIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
    models.AutoField,
    models.BigAutoField,
    models.BooleanField,
    models.DateField,
    models.ForeignKey,
}


def _as_is(field: Field, connection) -> tuple[type, ...] | None:
    """The value types `field` stores unchanged on `connection`, or None when each value must be prepared."""
    if (
        type(field) not in _PLAIN_CLASSES
        or getattr(field, "auto_now", False)
        or getattr(field, "auto_now_add", False)
    ):
        return None
    stored = field.target_field if isinstance(field, models.ForeignKey) else field
    if type(stored) not in _PLAIN_CLASSES or isinstance(stored, models.ForeignKey):
        return None
    kind = stored.get_internal_type()
    if kind == "DateField":
        return (date,) if connection.vendor == "postgresql" else None
    return _STORED_AS_IS.get(kind)


def _rows(batch: Sequence[Model], fields: list[Field], connection) -> list[list[Any]]:
    """The values of a batch, a row per object, as the insert compiler prepares them: each field's
    `pre_save` (adding) and `get_db_prep_save`, skipped for a value the field would store unchanged."""
    plan = [
        (field.attname, _as_is(field, connection), field.pre_save, field.get_db_prep_save) for field in fields
    ]
    rows = []
    for obj in batch:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")  # type: ignore[attr-defined]
        row = []
        for attname, as_is, pre_save, prepare in plan:
            if as_is is not None:
                value = getattr(obj, attname)
                if value is None or type(value) in as_is:
                    row.append(value)
                    continue
            row.append(prepare(pre_save(obj, True), connection))
        rows.append(row)
    if any(hasattr(value, "resolve_expression") for row in rows for value in row):
        raise TypeError("insert() takes values, not expressions: use bulk_create")
    return rows


def _values(fields: list[Field], rows: list[list[Any]], ops) -> tuple[str, list[Any]]:
    """The VALUES part of a batch's statement, and its parameters."""
    placeholders = ["%s"] * len(fields)
    return ops.bulk_insert_sql(fields, [placeholders] * len(rows)), [value for row in rows for value in row]


def _write(
    model: type[Model], fields: list[Field], rows: list[list[Any]], own_keys: bool, connection
) -> list:
    """Write prepared `rows` (values in the order of `fields`) into `model`'s table; the primary keys, in
    order (those given, or those the database chose). All the batches or none, as bulk_create (inside a
    caller's transaction this adds nothing)."""
    ops: Any = connection.ops  # the stubs know not every backend operation used here
    pk = model._meta.pk
    assert pk is not None
    table = ops.quote_name(model._meta.db_table)
    keys: list = []
    with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The keys drawn from the table's sequence in one query, then every row in one COPY, formatted
            # by psycopg's C code: an INSERT of arrays spends more building them in Python than the server
            # spends writing the rows.
            if own_keys:
                keys = [row[fields.index(pk)] for row in rows]
            else:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [table, pk.column, len(rows)],
                )
                keys = [key for (key,) in cursor.fetchall()]
                fields = [pk, *fields]
            columns = ", ".join(ops.quote_name(field.column) for field in fields)
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for index, row in enumerate(rows):
                    copy.write_row(row if own_keys else (keys[index], *row))
            return keys
        columns = ", ".join(ops.quote_name(field.column) for field in fields)
        head = f"INSERT INTO {table} ({columns}) "
        returning, returning_params = ops.return_insert_columns([pk])
        size = max(1, min(BATCH, ops.bulk_batch_size(fields, rows)))
        for start in range(0, len(rows), size):
            values, params = _values(fields, rows[start : start + size], ops)
            cursor.execute(f"{head}{values} {returning}", (*params, *returning_params))
            keys += [row[0] for row in ops.fetch_returned_insert_rows(cursor)]
    return keys


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
    keys = _write(model, fields, _rows(objects, fields, connection), own_keys, connection)
    for obj, key in zip(objects, keys, strict=True):
        obj.pk = key
        obj._state.adding = False
        obj._state.db = database


def _history_own(instance: Model, history, how: dict[str, Any]) -> dict[str, Any]:
    """The history columns of one row, as `bulk_history_create` fills them: date, user, change reason,
    type ("~" for an update, else "+") and the object's key."""
    user = getattr(instance, "_history_user", how.get("user") or history.get_default_history_user(instance))
    return {
        "history_date": getattr(instance, "_history_date", how.get("date") or timezone.now()),
        "history_user_id": user.pk if user is not None else None,
        "history_change_reason": get_change_reason_from_object(instance) or how.get("change_reason", ""),
        "history_type": "~" if how.get("update") else "+",
        "history_relation_id": instance.pk,
    }


def _history_rows(
    model: type[Model], objects: Sequence[Model], connection, **how: Any
) -> tuple[list[Field], list[list[Any]]]:
    """The columns of `model`'s history table (its key aside) and, for each of `objects`, the row
    simple-history's `bulk_history_create` would write (`how`: user, change_reason, date, update) with every
    tracked field, prepared as `_rows` prepares them, without building a model instance per row."""
    history = model.history.model  # type: ignore[attr-defined]
    tracked = {field.attname for field in history.tracked_fields}
    fields = [field for field in history._meta.concrete_fields if not field.primary_key]
    plan = [(field, field.attname in tracked, _as_is(field, connection)) for field in fields]
    rows = []
    for instance in objects:
        own = _history_own(instance, history, how)
        row = []
        for field, is_tracked, as_is in plan:
            attname = field.attname
            if is_tracked:
                value = getattr(instance, attname)
            else:
                value = own[attname] if attname in own else field.get_default()
            if as_is is None or not (value is None or type(value) in as_is):
                value = field.get_db_prep_save(value, connection)
            row.append(value)
        rows.append(row)
    return fields, rows


def insert_history(model: type[Model], objects: Sequence[Model], **how: Any) -> list[int]:
    """Write the history rows of `objects` (already written) and return their ids (`history_id`), in the
    order of `objects`; `how` is the user, change_reason, date and update (a "~" row, else "+"). Nothing
    when the history is switched off (SIMPLE_HISTORY_ENABLED)."""
    if not objects or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return []
    history = model.history.model  # type: ignore[attr-defined]
    connection = connections[router.db_for_write(history)]
    fields, rows = _history_rows(model, objects, connection, **how)
    return _write(history, fields, rows, False, connection)


def insert_with_history(
    objects: Sequence[Model], *, user=None, change_reason: str = "", date: datetime | None = None
) -> list[int]:
    """Insert new `objects` and their "+" history rows; the history rows' ids."""
    if not objects:
        return []
    insert(objects)
    return insert_history(type(objects[0]), objects, user=user, change_reason=change_reason, date=date)
