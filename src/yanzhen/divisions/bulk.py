"""Writing many new divisions and their history rows without model instances (the division import).

The rows are those `bulk_create_with_history` writes, column for column: the unit (code, name, level, kind,
parent; every other column its field's default) and one '+' history row (the same values; the actor, or
django-simple-history's default user, as the history's user; the time its batch is written as its date; no
change reason). Names are normalised and checked as `NormalisedCharField.pre_save` does, with the same error.

On PostgreSQL the rows go in with COPY; a table that is empty before a large write (the first national load)
has its plain indexes dropped before the copy and built once after it, in the same transaction, instead of
being updated row by row. On SQLite (the project's other database) the units go in with executemany and their
history rows are copied from them in SQL, batch by batch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone

from yanzhen.core.text import empty_message, normalise_all, too_long_message
from yanzhen.divisions.codes import CODE_LENGTH, Level, unit_kind
from yanzhen.divisions.models import Division

BATCH = 5000  # rows per batch (and progress report) on SQLite, and per write to a COPY stream
COPY_BATCH = 50_000  # rows per COPY statement (and per progress report) on PostgreSQL
# An empty table that receives at least this many rows gets its plain indexes built after the copy.
DEFER_INDEXES_FROM = 50_000

# The fields a new unit is written with, in the order of the tuples below; the others take their default.
UNIT_FIELDS = ("code", "name", "level", "kind", "parent_id")
HISTORY_FIELDS = (*UNIT_FIELDS, "history_date", "history_type", "history_user_id")
# (code, name, level, kind, parent code or None)
UnitRow = tuple[str, str, int, str, str | None]

_LEVEL_OF_LENGTH = {length: int(level) for level, length in CODE_LENGTH.items()}
_PARENT_LENGTH = {
    CODE_LENGTH[level]: CODE_LENGTH[Level(level - 1)] for level in Level if level > Level.PROVINCE
}


@cache
def _kind_of_segment() -> dict[int, dict[str, str]]:
    """The kind of a township (9 digits) or village unit (12) by its last three digits, for every ASCII
    segment; divisions.codes.unit_kind is the rule (other digits that str.isdigit accepts go to it)."""
    return {
        length: {f"{n:03d}": unit_kind("1" * (length - 3) + f"{n:03d}").value for n in range(1000)}
        for length in (CODE_LENGTH[Level.TOWNSHIP], CODE_LENGTH[Level.VILLAGE])
    }


def unit_rows(units: Sequence[tuple[str, str]]) -> list[UnitRow]:
    """The rows of new units from (code, name) pairs of valid codes, names normalised and checked."""
    kinds = _kind_of_segment()
    rows = []
    for (code, _name), name in zip(units, _checked_names(units), strict=True):
        length = len(code)
        segments = kinds.get(length)
        kind = (segments.get(code[-3:]) or unit_kind(code).value) if segments else ""
        parent = code[: _PARENT_LENGTH[length]] if length in _PARENT_LENGTH else None
        rows.append((code, name, _LEVEL_OF_LENGTH[length], kind, parent))
    return rows


def _checked_names(units: Sequence[tuple[str, str]]) -> list[str]:
    """The names as the name field stores them; the error its pre_save raises for the first that fails."""
    field = Division._meta.get_field("name")
    names = normalise_all([name for _code, name in units])
    limit = field.max_length or 0
    if all(names) and (not names or max(map(len, names)) <= limit):
        return names
    for name in names:
        if not name:
            raise ValidationError({field.name: empty_message(field.verbose_name)}, code="invisible")
        if len(name) > limit:
            raise ValidationError(
                {field.name: too_long_message(field.verbose_name, limit, len(name))}, code="max_length"
            )
    return names  # pragma: no cover - one of the names failed above


def _history_user_id(actor) -> int | None:
    """Whom simple-history's bulk path records: the actor, else its default user (the request's, if any)."""
    user = actor or Division.history.model.get_default_history_user(Division())
    return user.pk if user is not None else None


def _columns(model: type[models.Model], given: Sequence[str]) -> tuple[list[str], tuple]:
    """The columns of `model` to write: those of the `given` fields (by attribute name), then every other
    concrete field but an automatic primary key, with the value a new instance gets from its default (ready
    for the database)."""
    fields = {field.attname: field for field in model._meta.concrete_fields}
    names = [str(fields[name].column) for name in given]
    defaults = []
    for attname, field in fields.items():
        if attname in given or isinstance(field, models.AutoField):
            continue
        names.append(str(field.column))
        defaults.append(field.get_db_prep_save(field.get_default(), connection))
    return names, tuple(defaults)


def write_units(
    rows: list[UnitRow], *, actor=None, on_written: Callable[[int], None] = lambda done: None
) -> None:
    """Insert the units and their '+' history rows (inside the caller's transaction); `on_written(done)` hears
    how many are written after each batch."""
    if not rows:
        return
    history_model = Division.history.model if getattr(settings, "SIMPLE_HISTORY_ENABLED", True) else None
    user_id = _history_user_id(actor) if history_model else None
    if connection.vendor == "postgresql":
        _copy(rows, history_model, user_id, on_written)
    else:
        _insert(rows, history_model, user_id, on_written)


def _history_date(history_model: type[models.Model]):
    field = next(f for f in history_model._meta.concrete_fields if f.attname == "history_date")
    return field.get_db_prep_save(timezone.now(), connection)


def _insert(rows: list[UnitRow], history_model, user_id: int | None, on_written) -> None:
    """SQLite: the units with executemany; their history rows copied from them by one INSERT ... SELECT per
    batch (the batch's units are the rows after the table's largest rowid before it, in the order written)."""
    quote = connection.ops.quote_name
    table = quote(Division._meta.db_table)
    unit_columns, unit_defaults = _columns(Division, UNIT_FIELDS)
    unit_sql = (
        f"INSERT INTO {table} ({', '.join(map(quote, unit_columns))})"
        f" VALUES ({', '.join(['%s'] * len(unit_columns))})"
    )
    if history_model:
        tracked = [field.attname for field in history_model.tracked_fields]
        units = {field.attname: str(field.column) for field in Division._meta.concrete_fields}
        history_columns, history_defaults = _columns(
            history_model, [*tracked, "history_date", "history_type", "history_user_id"]
        )
        values = [quote(units[attname]) for attname in tracked] + ["%s"] * (3 + len(history_defaults))
        history_sql = (
            f"INSERT INTO {quote(history_model._meta.db_table)} ({', '.join(map(quote, history_columns))})"
            f" SELECT {', '.join(values)} FROM {table} WHERE rowid > %s ORDER BY rowid"
        )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            cursor.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}")
            (last,) = cursor.fetchone()
            cursor.executemany(unit_sql, [row + unit_defaults for row in batch])
            if history_model:
                cursor.execute(
                    history_sql, [_history_date(history_model), "+", user_id, *history_defaults, last]
                )
                if cursor.rowcount != len(batch):  # pragma: no cover - SQLite numbers new rows after the last
                    raise RuntimeError(f"{cursor.rowcount} history rows for {len(batch)} new units")
            on_written(start + len(batch))


# COPY's text format: a backslash, tab, newline or carriage return in a value is escaped; NULL is \N.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NULL = "\\N"


def _copy_value(value) -> str:
    return _NULL if value is None else str(value).translate(_COPY_ESCAPES)


def _copy_lines(rows: list[UnitRow], tail: tuple) -> list[str]:
    """COPY text lines for rows of (code, name, level, kind, parent) followed by the constant `tail` values.
    Codes are digits and kinds and levels the codes' own values: only names need escaping."""
    end = "".join("\t" + _copy_value(value) for value in tail) + "\n"
    return [
        f"{code}\t{name.translate(_COPY_ESCAPES)}\t{level}\t{kind}\t{_NULL if parent is None else parent}{end}"
        for code, name, level, kind, parent in rows
    ]


def _copy(rows: list[UnitRow], history_model, user_id: int | None, on_written) -> None:
    unit_columns, unit_defaults = _columns(Division, UNIT_FIELDS)
    targets = [Division]
    if history_model:
        history_columns, history_defaults = _columns(history_model, HISTORY_FIELDS)
        targets.append(history_model)
    with connection.cursor() as cursor:
        deferred = [
            (model, _drop_plain_indexes(cursor, model))
            for model in targets
            if len(rows) >= DEFER_INDEXES_FROM and _is_empty(cursor, model)
        ]
        for start in range(0, len(rows), COPY_BATCH):
            batch = rows[start : start + COPY_BATCH]
            _copy_batch(cursor, Division, unit_columns, batch, unit_defaults)
            if history_model:
                tail = (_history_date(history_model), "+", user_id, *history_defaults)
                _copy_batch(cursor, history_model, history_columns, batch, tail)
            on_written(start + len(batch))
        for model, indexes in deferred:
            _build_indexes(cursor, model, indexes)


def _copy_batch(cursor, model, columns: list[str], rows: list[UnitRow], tail: tuple) -> None:
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({quoted}) FROM STDIN"
    with cursor.copy(sql) as copy:
        # In parts: PostgreSQL parses one part while the next is formatted.
        for start in range(0, len(rows), BATCH):
            copy.write("".join(_copy_lines(rows[start : start + BATCH], tail)))


def _is_empty(cursor, model) -> bool:
    """Empty, and ours to drop indexes of (a database user that does not own the tables writes row by row)."""
    table = connection.ops.quote_name(model._meta.db_table)
    cursor.execute(
        f"SELECT NOT EXISTS (SELECT 1 FROM {table}) AND pg_has_role(relowner, 'USAGE')"
        " FROM pg_class WHERE oid = %s::regclass",
        [table],
    )
    return cursor.fetchone()[0]


def _drop_plain_indexes(cursor, model) -> list[str]:
    """Drop the table's indexes that enforce nothing (not unique, no constraint's); their definitions."""
    cursor.execute(
        "SELECT quote_ident(n.nspname) || '.' || quote_ident(i.relname), pg_get_indexdef(i.oid)"
        " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = i.relnamespace"
        " WHERE x.indrelid = %s::regclass AND NOT x.indisunique"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"
        " ORDER BY i.relname",
        [connection.ops.quote_name(model._meta.db_table)],
    )
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in indexes]


def _build_indexes(cursor, model, definitions: list[str]) -> None:
    """Build the dropped indexes again. PostgreSQL refuses to while the table has deferred foreign key checks
    pending (the history's user): those are run now, then deferred again as Django declares them."""
    cursor.execute(
        "SELECT quote_ident(conname) FROM pg_constraint WHERE conrelid = %s::regclass AND condeferrable"
        " AND condeferred",
        [connection.ops.quote_name(model._meta.db_table)],
    )
    constraints = ", ".join(name for (name,) in cursor.fetchall())
    if constraints:
        cursor.execute(f"SET CONSTRAINTS {constraints} IMMEDIATE")
    for definition in definitions:
        cursor.execute(definition)
    if constraints:
        cursor.execute(f"SET CONSTRAINTS {constraints} DEFERRED")
