"""The per-county figures kept per day (`stats.rollup`) and the change stamps that tell when they are stale.

The stamps are moved by triggers on every table the figures read, in the writing transaction, so a stamp
moves exactly when the rows it covers become visible, whatever wrote them. PostgreSQL: statement triggers
over the transition tables (one upsert per statement, however many rows a bulk load writes). SQLite: row
triggers (one writer at a time; a bulk load of 10,000 people costs a few tenths of a second more).
"""

from django.db import migrations, models

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


def create(apps, schema_editor):
    build = _postgresql if schema_editor.connection.vendor == "postgresql" else _sqlite
    for table in COUNTIES:
        for statement in build(table):
            schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    for table in COUNTIES:
        for event in EVENTS:
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS {table}_stamp_{event.lower()}"
                + (f" ON {table}" if schema_editor.connection.vendor == "postgresql" else ""),
                params=None,
            )
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_stamp()", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="CountyStamp",
            fields=[
                (
                    "county",
                    models.CharField(editable=False, max_length=6, primary_key=True, serialize=False, verbose_name="county"),
                ),
                ("changes", models.BigIntegerField(default=0, verbose_name="changes")),
            ],
            options={
                "verbose_name": "county change stamp",
                "verbose_name_plural": "county change stamps",
            },
        ),
        migrations.CreateModel(
            name="CountyFigures",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("county", models.CharField(editable=False, max_length=6, verbose_name="county")),
                ("as_of", models.DateField(verbose_name="as of")),
                ("stamp", models.BigIntegerField(verbose_name="county stamp")),
                ("global_stamp", models.BigIntegerField(verbose_name="global stamp")),
                ("payload", models.JSONField(verbose_name="counts")),
                ("computed_at", models.DateTimeField(auto_now=True, verbose_name="computed at")),
            ],
            options={
                "verbose_name": "county figures",
                "verbose_name_plural": "county figures",
                "constraints": [
                    models.UniqueConstraint(fields=("county", "as_of"), name="county_figures_once_a_day")
                ],
            },
        ),
        # hints: DDL (see core 0005).
        migrations.RunPython(create, drop, hints={"ddl": True}),
    ]
