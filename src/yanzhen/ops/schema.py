"""A fresh database of this version without replaying the migrations: the restore drill's and the tests'.

Migrating a database from zero costs about 32 s of CPU (Django re-renders the model state some 22,000 times
over the project's migrations, because every model is related to every other through the users and the
divisions). A database built here is the same: the tables straight from today's models (what `migrate
--run-syncdb` does for apps without migrations, and what pytest's `--nomigrations` does), every migration
recorded as applied (so `require_migrated`, a backup's migration heads and a later `migrate` see a migrated
database), and every RunPython of the project's migrations run again in the order of the migration plan: the
role groups, vocabularies, post types, the negative list, the holiday schedule and, on PostgreSQL, the audit
log's append-only trigger. It takes about a second.

That the migrations themselves build this very schema and these rows is proven by `make test`:
`tools/migrations_from_zero.py` migrates one database from zero, builds another here, and compares their
tables, columns, constraints, indexes and seeded rows.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.special import RunPython
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import override_settings


class _NoMigrations(dict):
    """MIGRATION_MODULES saying "no migrations" for every app, as pytest-django's --nomigrations does."""

    def __contains__(self, item) -> bool:
        return True

    def __getitem__(self, item):
        return None


def _graph():
    return MigrationLoader(None, ignore_no_migrations=True).graph


def create_tables_from_models() -> None:
    """Every table of every installed app, from the models (content types and permissions included)."""
    kept = settings.MIGRATION_MODULES
    settings.MIGRATION_MODULES = _NoMigrations()
    try:
        call_command("migrate", run_syncdb=True, interactive=False, verbosity=0)
    finally:
        settings.MIGRATION_MODULES = kept


def record_migrations_applied() -> None:
    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    recorder.migration_qs.bulk_create(
        [recorder.Migration(app=app, name=name) for app, name in sorted(_graph().nodes)]
    )


def run_data_migrations(*, ddl: bool) -> None:
    """Every RunPython of the project's migrations, on today's models (all use get_or_create), without the
    history rows a migration's historical models never write. `ddl=False` leaves out the schema ones."""
    from django.apps import apps

    graph = _graph()
    plan: list[tuple[str, str]] = []
    for leaf in graph.leaf_nodes():
        plan += [key for key in graph.forwards_plan(leaf) if key not in plan]
    with override_settings(SIMPLE_HISTORY_ENABLED=False), connection.schema_editor() as schema_editor:
        for key in plan:
            migration = graph.nodes[key]
            if not type(migration).__module__.startswith("yanzhen."):
                continue
            for operation in migration.operations:
                if isinstance(operation, RunPython) and (ddl or not operation.hints.get("ddl")):
                    operation.code(apps, schema_editor)  # type: ignore[arg-type]  # today's registry, on purpose


def create_fresh_database() -> None:
    """Make the empty database of the default connection what `yanzhen migrate` would make of it."""
    create_tables_from_models()
    record_migrations_applied()
    run_data_migrations(ddl=True)
