"""The migrations, run from zero, build the database the models describe (`make test`'s gate).

Two fresh databases are made in child processes: one by `yanzhen migrate` (what a new server does), one by
`yanzhen.ops.schema.create_fresh_database` (what the tests and the restore drill use, in a second instead of
half a minute). Their tables, columns, constraints and indexes (names aside), triggers, and the rows the data
migrations seed, must be the same; any difference is printed and fails the run.

    python tools/migrations_from_zero.py          # SQLite files in a temporary directory
    YANZHEN_DATABASE_URL=postgres://... python tools/migrations_from_zero.py
                                                  # two throwaway databases on that server

`makemigrations --check` proves the models and the migrations' state agree; this proves the SQL the
migrations run (and their data migrations) arrives at the same place.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BUILDS = ("migrate", "models")
# Known and harmless: Django's migrations render auth's many-to-many table from the project's
# DEFAULT_AUTO_FIELD (bigint on PostgreSQL), the models from auth's own AutoField (integer).
KNOWN = {("auth_group_permissions", "columns")}


def _columns(connection, cursor, table: str) -> list[list]:
    if connection.vendor == "sqlite":
        # Django's SQLite introspection trips over some CHECK clauses; the pragma says the same directly.
        cursor.execute(f"PRAGMA table_info({connection.ops.quote_name(table)})")
        return [[name, kind, notnull, str(default), pk] for _, name, kind, notnull, default, pk in cursor]
    return [
        [info.name, str(info.type_code), info.null_ok, str(info.default)]
        for info in connection.introspection.get_table_description(cursor, table)
    ]


def _checks(sql: str) -> list[str]:
    """The CHECK clauses of a CREATE TABLE, each up to its closing parenthesis."""
    found = []
    start = sql.find("CHECK (")
    while start != -1:
        depth, end = 0, start + len("CHECK ")
        for end in range(start + len("CHECK "), len(sql)):
            depth += {"(": 1, ")": -1}.get(sql[end], 0)
            if depth == 0:
                break
        found.append(sql[start : end + 1])
        start = sql.find("CHECK (", end)
    return found


def _sqlite_constraints(cursor, table: str) -> list[str]:
    quoted = table.replace('"', '""')
    cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [table])
    found = [f"check {clause}" for clause in _checks(cursor.fetchone()[0] or "")]
    cursor.execute(f'PRAGMA foreign_key_list("{quoted}")')
    found += [f"foreign key {row[2:]}" for row in cursor.fetchall()]
    cursor.execute(f'PRAGMA index_list("{quoted}")')
    for _, name, unique, origin, partial in cursor.fetchall():
        quoted_index = name.replace('"', '""')
        cursor.execute(f'PRAGMA index_xinfo("{quoted_index}")')
        columns = [(row[2], row[3]) for row in cursor.fetchall() if row[5]]  # key columns: name, descending
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = %s", [name])
        sql = (cursor.fetchone() or [None])[0] or ""
        where = sql[sql.find(" WHERE ") :] if partial and " WHERE " in sql else ""
        found.append(f"index unique={unique} origin={origin} {columns}{where}")
    return sorted(found)


def _constraints(connection, cursor, table: str) -> list[str]:
    if connection.vendor == "sqlite":
        return _sqlite_constraints(cursor, table)
    return sorted(
        json.dumps({key: value for key, value in details.items() if key != "definition"}, default=str)
        for details in connection.introspection.get_constraints(cursor, table).values()
    )


def _triggers(connection, cursor, table: str) -> list[str]:
    """The table's own triggers as the database prints them (the migrations name them, so names count)."""
    if connection.vendor == "sqlite":
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
    else:
        cursor.execute(
            "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            [connection.ops.quote_name(table)],
        )
    return sorted(" ".join(row[0].split()) for row in cursor.fetchall())


# Derived rows whose content depends on the order the build wrote in, not on what it wrote: the change stamps
# count the writes made after their triggers exist (stats.triggers), and the kept figures are emptied by a
# `migrate` on SQLite. Their schema and triggers are compared; their rows are not.
DERIVED_ROWS = {"stats_countystamp", "stats_countyfigures"}


def describe() -> dict:
    """The schema and the seeded rows of the default database, without names a build chooses itself."""
    from django.db import connection

    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            columns = _columns(connection, cursor, table)
            constraints = _constraints(connection, cursor, table)
            triggers = _triggers(connection, cursor, table)
            cursor.execute(
                f"SELECT * FROM {connection.ops.quote_name(table)}"
                + (" WHERE 1 = 0" if table in DERIVED_ROWS else "")
            )
            names = [column[0] for column in cursor.description]
            rows = sorted(
                json.dumps(
                    {
                        name: value
                        for name, value in zip(names, row, strict=True)
                        # Ids and timestamps are the build's own; the rows' content is what must match.
                        if name != "id"
                        and not name.endswith("_id")
                        and not isinstance(value, datetime.datetime)
                        and name not in ("applied", "history_date")
                    },
                    default=str,
                    sort_keys=True,
                )
                for row in cursor.fetchall()
            )
            tables[table] = {
                "columns": sorted(columns),
                "constraints": constraints,
                "triggers": triggers,
                "rows": rows,
            }
    return tables


def build(kind: str) -> None:
    import django

    os.environ.setdefault("YANZHEN_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yanzhen.settings")
    django.setup()
    if kind == "migrate":
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
    else:
        from yanzhen.ops.schema import create_fresh_database

        create_fresh_database()
    json.dump(describe(), sys.stdout)


def _postgres_urls(url: str) -> list[str]:
    import psycopg

    parts = urlsplit(url)
    base = parts.path.lstrip("/") or "postgres"
    names = [f"{base}_from_zero_{kind}"[:63] for kind in BUILDS]
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        for name in names:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    return [urlunsplit(parts._replace(path=f"/{name}")) for name in names]


def _drop_postgres(urls: list[str]) -> None:
    import psycopg

    admin = urlunsplit(urlsplit(urls[0])._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        for url in urls:
            connection.execute(f'DROP DATABASE IF EXISTS "{urlsplit(url).path.lstrip("/")}"')


def _compare(first: dict, second: dict) -> list[str]:
    differences = []
    for table in sorted(set(first) | set(second)):
        if table not in first or table not in second:
            differences.append(f"{table}: only after {'migrate' if table in first else 'models'}")
            continue
        for part in ("columns", "constraints", "triggers", "rows"):
            a, b = first[table].get(part, []), second[table].get(part, [])
            if (table, part) in KNOWN:
                a, b = ([item for item in items if item[0] != "id"] for items in (a, b))
            if a != b:
                only_migrate = [item for item in a if item not in b]
                only_models = [item for item in b if item not in a]
                differences.append(
                    f"{table} {part}:\n  only after migrate: {only_migrate[:5]}\n"
                    f"  only from the models: {only_models[:5]}"
                )
    return differences


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--build":
        build(sys.argv[2])
        return 0
    url = os.environ.get("YANZHEN_DATABASE_URL", "")
    with tempfile.TemporaryDirectory(prefix="yanzhen-from-zero-") as directory:
        work = Path(directory)
        urls = (
            _postgres_urls(url)
            if url.startswith(("postgres://", "postgresql://"))
            else [f"sqlite:///{work / kind}.sqlite3" for kind in BUILDS]
        )
        try:
            children = [
                subprocess.Popen(
                    [sys.executable, __file__, "--build", kind],
                    env={**os.environ, "YANZHEN_DATABASE_URL": url_, "YANZHEN_VAR_DIR": str(work / kind)},
                    stdout=subprocess.PIPE,
                    text=True,
                )
                for kind, url_ in zip(BUILDS, urls, strict=True)
            ]
            outputs = [child.communicate()[0] for child in children]
            if any(child.returncode for child in children):
                print("migrations_from_zero: a build failed (its error is above)")
                return 1
        finally:
            if url.startswith(("postgres://", "postgresql://")):
                _drop_postgres(urls)
    described = [json.loads(output) for output in outputs]
    differences = _compare(*described)
    for difference in differences:
        print(difference)
    if differences:
        print(f"migrations_from_zero: {len(differences)} differences between `migrate` and the models")
        return 1
    print(f"migrations_from_zero: `migrate` from zero and the models agree on {len(described[0])} tables")
    return 0


if __name__ == "__main__":
    sys.exit(main())
