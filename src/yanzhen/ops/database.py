"""The database side of a backup: which rows go into `data.json`, how they are written and how they go back.

Left out, and why:
- content types and permissions: `migrate` creates them, with ids that differ from one database to the
  next. The rows pointing at them (the roles' permissions) name them by natural key instead.
- sessions, and which user each belongs to (accounts.usersession): a restored system starts with everyone
  logged out.
- django-axes: login failures and lockouts are 30-minute state; the audit log keeps the events.

Every other row keeps its primary key, so history rows, audit rows and the references kept without a
database constraint (`db_constraint=False`) come back exactly as they were, and addresses like
/people/12/ still lead to the same person.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import connection, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.models.signals import post_save
from django.test.utils import override_settings

from yanzhen.core.progress import Progress, report
from yanzhen.ops.archive import BackupError

EXCLUDED_MODELS = frozenset(
    {
        "contenttypes.contenttype",
        "auth.permission",
        "sessions.session",
        "accounts.usersession",
        # Derived from the rest and moved by triggers as the rest is loaded (stats.rollup): a restore empties
        # them and they are computed again.
        "stats.countystamp",
        "stats.countyfigures",
    }
)
EXCLUDED_APPS = frozenset({"axes"})
NATURAL_KEY_MODELS = (ContentType, Permission)
# Rows a fresh `migrate` creates (data migrations: the roles, the vocabularies, the default post types, the
# holiday schedule).
# A database holding only these counts as empty: the restore replaces them with the archive's own.
SEEDED_BY_MIGRATIONS = frozenset(
    {
        "auth.group",
        "divisions.villagetag",
        "divisions.industry",
        "people.source",
        "people.skill",
        "posts.posttype",
        "candidacies.negativelistitem",
        "elections.reviewdepartment",
        # The holiday schedule seeded from chinesecalendar; a year an administrator entered leaves its
        # history row (holidays.historicalholidayyear), which counts as the operator's data.
        "holidays.holidayyear",
        "holidays.holidayday",
    }
)
CHUNK_ROWS = 2000
# The stages the console's progress bar names (core.progress).
DUMPING = "导出记录"
LOADING = "载入记录"


def archived_models() -> list[type[models.Model]]:
    """The models whose rows make up `data.json`, in a stable order (loading order does not matter: the
    foreign keys are checked once everything is in)."""
    chosen = [
        model
        for model in apps.get_models()
        if not model._meta.proxy
        and model._meta.managed
        and model._meta.app_label not in EXCLUDED_APPS
        and model._meta.label_lower not in EXCLUDED_MODELS
    ]
    return sorted(chosen, key=lambda model: model._meta.label_lower)


class _Encoder(DjangoJSONEncoder):
    """Times with all their microseconds: Django's encoder cuts them to milliseconds, and a restored
    history row would no longer equal the original."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class _Serializer(JSONSerializer):
    """Django's JSON with natural keys only for the rows the archive leaves out (see the module docstring)."""

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = issubclass(field.related_model, NATURAL_KEY_MODELS)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = issubclass(field.related_model, NATURAL_KEY_MODELS)
        prefetched = getattr(obj, "_prefetched_objects_cache", {}).get(field.name)
        if prefetched is None or not field.remote_field.through._meta.auto_created:
            super().handle_m2m_field(obj, field)
            return
        # What Django's serializer writes for prefetched links, without the queryset it builds (and never
        # runs) for every row and field first: half the time of a backup of the divisions' tags and industries.
        serializer: Any = (
            self  # django-stubs leave out the Python serializer's row state (_current, _value_from_field)
        )
        if self.use_natural_foreign_keys and hasattr(field.remote_field.model, "natural_key"):
            values = [related.natural_key() for related in prefetched]
        else:
            values = [serializer._value_from_field(related, related._meta.pk) for related in prefetched]
        serializer._current[field.name] = values


def _rows(counts: dict[str, int], total: int, progress: Progress | None) -> Iterator[models.Model]:
    done = 0
    for model in archived_models():
        label = model._meta.label_lower
        counts[label] = 0
        # The base manager: a default manager may hide rows, and a backup must not.
        queryset = model._base_manager.order_by(model._meta.pk.name)
        linked = [
            f.name
            for f in model._meta.many_to_many
            if f.remote_field.through is not None and f.remote_field.through._meta.auto_created
        ]
        if linked:
            queryset = queryset.prefetch_related(*linked)
        for row in queryset.iterator(chunk_size=CHUNK_ROWS):
            counts[label] += 1
            done += 1
            if done % CHUNK_ROWS == 0:
                # Rows written meanwhile by another server may pass the total counted at the start.
                report(progress, done, max(total, done), DUMPING)
            yield row
    report(progress, done, max(total, done), DUMPING)


def dump(target: Path, progress: Progress | None = None) -> dict[str, int]:
    """Writes every archived row to `target` and returns the rows per model.

    All reads happen in one transaction, a consistent snapshot while other app servers keep writing: SQLite
    in WAL mode gives one to a read transaction; PostgreSQL needs REPEATABLE READ, set before the first
    query (not possible inside an outer transaction, as in the tests, which write nothing meanwhile).
    """
    counts: dict[str, int] = {}
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        total = sum(model._base_manager.count() for model in archived_models()) if progress else 0
        with target.open("w", encoding="utf-8") as out:
            _Serializer().serialize(_rows(counts, total, progress), stream=out, cls=_Encoder)
    return counts


def code_heads() -> dict[str, list[str]]:
    """The last migration of each app in the installed code (a list: two leaves would be a conflict)."""
    heads: dict[str, list[str]] = {}
    for app_label, name in MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes():
        heads.setdefault(app_label, []).append(name)
    return {app_label: sorted(names) for app_label, names in sorted(heads.items())}


def check_heads(manifest: dict) -> None:
    """Refuses an archive made by code with other migrations: its rows would not fit these tables."""
    archived, current = manifest["migrations"], code_heads()
    differences = [
        f"{app_label}：备份为 {'、'.join(archived.get(app_label) or ['无'])}，"
        f"当前程序为 {'、'.join(current.get(app_label) or ['无'])}"
        for app_label in sorted(archived.keys() | current.keys())
        if archived.get(app_label) != current.get(app_label)
    ]
    if differences:
        raise BackupError(
            "备份的数据库结构与当前程序不一致，拒绝恢复，未写入任何数据：\n  "
            + "\n  ".join(differences)
            + f"\n请安装与备份相同的版本（yanzhen {manifest.get('yanzhen_version')}）恢复，再升级并运行 yanzhen migrate。"
        )


def require_migrated() -> None:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise BackupError(
            f"数据库尚未迁移到当前程序的版本（还有 {len(plan)} 个迁移未执行），请先运行 yanzhen migrate。"
        )


def operator_data() -> dict[str, int]:
    """Rows a freshly migrated database does not have: what a restore would wipe out."""
    found = {}
    for model in archived_models():
        label = model._meta.label_lower
        if label not in SEEDED_BY_MIGRATIONS and (count := model._base_manager.count()):
            found[label] = count
    return found


def empty_tables() -> None:
    """Deletes every row the archive replaces, as `flush` does, but keeps the content types and permissions
    (the rows to load name them by natural key) and sends no post_migrate signal. Call inside a transaction."""
    kept = {ContentType._meta.db_table, Permission._meta.db_table}
    tables = [
        table
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False)
        if table not in kept
    ]
    if connection.vendor == "postgresql":
        # PostgreSQL refuses to TRUNCATE a table with deferred constraint checks pending in the transaction.
        connection.check_constraints()
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=False)
    connection.ops.execute_sql_flush(statements)


def load(data: Path, total: int = 0, progress: Progress | None = None) -> None:
    """Loads `data.json` with loaddata: its own savepoint, foreign keys checked at the end, sequences reset on
    PostgreSQL. History is paused: loaddata saves raw rows, which simple-history ignores, but then fills the
    many-to-many fields, and each of those changes would add a history row the archive already holds."""
    loaded = 0

    def count(sender, raw=False, **kwargs):
        # loaddata saves each deserialised row raw, sending post_save: one signal per row of data.json.
        nonlocal loaded
        if raw:
            loaded += 1
            if loaded % CHUNK_ROWS == 0 or loaded == total:
                report(progress, loaded, max(total, loaded), LOADING)

    if progress is not None:
        post_save.connect(count, dispatch_uid="yanzhen-restore-progress")
    try:
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("loaddata", str(data), verbosity=0)
    finally:
        post_save.disconnect(dispatch_uid="yanzhen-restore-progress")


def count_rows(labels) -> dict[str, int]:
    return {label: apps.get_model(label)._base_manager.count() for label in labels}


def describe(label: str) -> str:
    """A model as the operator reads it: its Chinese name and its label."""
    try:
        return f"{apps.get_model(label)._meta.verbose_name}（{label}）"
    except LookupError:
        return label
