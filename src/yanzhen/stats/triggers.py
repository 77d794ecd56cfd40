"""The change stamps' triggers (`stats.rollup`): the DDL that installs and removes them, used by the migration that
introduced them (stats 0002) and around every `migrate` on SQLite.

The stamps are moved by triggers on every table the figures read, in the writing transaction, so a stamp
moves exactly when the rows it covers become visible, whatever wrote them. PostgreSQL: statement triggers
over the transition tables (one upsert per statement, however many rows a bulk load writes). SQLite: row
triggers (one writer at a time; a bulk load of 10,000 people costs a few tenths of a second more).

SQLite cannot add most columns in place: Django copies the table into a new one and renames it, and a trigger of
another table that names the renamed one (people_person's names candidacies_candidacy) makes the rename fail.
So on SQLite `migrate` removes the triggers first and installs them again when it is done (`StatsConfig`), and
empties the kept figures, which rows written meanwhile may have made stale. PostgreSQL adds columns in place.
"""

from __future__ import annotations

# The counties whose figures a written row can move, as SQL over the written rows `{rows}` (alias r): the
# transition tables of a PostgreSQL statement trigger, or NEW/OLD of a SQLite row trigger. '' is the stamp of
# what every county's figures read.
COUNTIES = {
    "candidacies_candidacy": (["village_id"], "SELECT substr(r.village_id, 1, 6) AS county FROM {rows} r"),
    "candidacies_candidacytarget": (
        ["village_id"],
        "SELECT substr(r.village_id, 1, 6) AS county FROM {rows} r",
    ),
    "posts_seat": (["village_id"], "SELECT substr(r.village_id, 1, 6) AS county FROM {rows} r"),
    "posts_term": (
        ["seat_id"],
        "SELECT substr(s.village_id, 1, 6) AS county FROM {rows} r JOIN posts_seat s ON s.id = r.seat_id",
    ),
    # A person's archive and education move the figures of every county where he is a reserve or holds a
    # post (on any date: the past figures read the same rows' history).
    "people_person": (
        ["id"],
        "SELECT substr(c.village_id, 1, 6) AS county FROM {rows} r JOIN candidacies_candidacy c ON c.person_id = r.id "
        "UNION SELECT substr(s.village_id, 1, 6) AS county FROM {rows} r JOIN posts_term t ON t.person_id = r.id "
        "JOIN posts_seat s ON s.id = t.seat_id",
    ),
    "people_educationrecord": (
        ["person_id"],
        "SELECT substr(c.village_id, 1, 6) AS county FROM {rows} r JOIN candidacies_candidacy c ON c.person_id = r.person_id "
        "UNION SELECT substr(s.village_id, 1, 6) AS county FROM {rows} r JOIN posts_term t ON t.person_id = r.person_id "
        "JOIN posts_seat s ON s.id = t.seat_id",
    ),
    "divisions_division": (
        ["code"],
        "SELECT substr(r.code, 1, 6) AS county FROM {rows} r WHERE length(r.code) >= 6",
    ),
    "posts_posttype": (["id"], "SELECT '' AS county FROM {rows} r"),
    "people_source": (["id"], "SELECT '' AS county FROM {rows} r"),
}
EVENTS = {"INSERT": ["new"], "UPDATE": ["new", "old"], "DELETE": ["old"]}


def _upsert(counties: str) -> str:
    return (
        "INSERT INTO stats_countystamp (county, changes) "
        f"SELECT county, 1 FROM ({counties}) AS touched WHERE county IS NOT NULL "
        "GROUP BY county ORDER BY county "
        "ON CONFLICT (county) DO UPDATE SET changes = stats_countystamp.changes + 1;"
    )


def _postgresql(table: str) -> list[str]:
    """One function per table, three statement triggers (PostgreSQL allows transition tables on one event
    per trigger); the function's branches are planned only when they run."""
    _columns, counties = COUNTIES[table]
    branches = []
    for event, images in EVENTS.items():
        union = " UNION ".join(counties.format(rows=f"{image}_rows") for image in images)
        branches.append(f"IF TG_OP = '{event}' THEN {_upsert(union)} END IF;")
    body = "\n    ".join(branches)
    statements = [
        f"CREATE OR REPLACE FUNCTION {table}_stamp() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n    {body}\n    RETURN NULL;\nEND\n$$;"
    ]
    for event, images in EVENTS.items():
        referencing = " ".join(f"{image.upper()} TABLE AS {image}_rows" for image in images)
        statements.append(
            f"CREATE TRIGGER {table}_stamp_{event.lower()} AFTER {event} ON {table} "
            f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {table}_stamp();"
        )
    return statements


def _sqlite(table: str) -> list[str]:
    columns, counties = COUNTIES[table]
    statements = []
    for event, images in EVENTS.items():
        union = " UNION ".join(
            counties.format(
                rows="(SELECT "
                + ", ".join(f"{image.upper()}.{column} AS {column}" for column in columns)
                + ")"
            )
            for image in images
        )
        statements.append(
            f"CREATE TRIGGER {table}_stamp_{event.lower()} AFTER {event} ON {table} "
            f"BEGIN {_upsert(union)} END;"
        )
    return statements


def create(connection) -> None:
    """Install the triggers (again: any already there are replaced)."""
    drop(connection)
    build = _postgresql if connection.vendor == "postgresql" else _sqlite
    with connection.cursor() as cursor:
        for table in COUNTIES:
            for statement in build(table):
                cursor.execute(statement)


def drop(connection) -> None:
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for table in COUNTIES:
            for event in EVENTS:
                cursor.execute(
                    f"DROP TRIGGER IF EXISTS {table}_stamp_{event.lower()}"
                    + (f" ON {table}" if postgresql else "")
                )
            if postgresql:
                cursor.execute(f"DROP FUNCTION IF EXISTS {table}_stamp()")


def names() -> set[str]:
    """The triggers' names, as the database lists them."""
    return {f"{table}_stamp_{event.lower()}" for table in COUNTIES for event in EVENTS}
