from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


def _stamped(connection) -> bool:
    """SQLite with the stamps' table (stats 0002 applied): the case `migrate` must protect."""
    return connection.vendor == "sqlite" and "stats_countystamp" in connection.introspection.table_names()


def _before_migrate(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from yanzhen.stats import triggers

    connection = connections[using]
    if _stamped(connection):
        triggers.drop(connection)


def _after_migrate(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from yanzhen.stats import triggers

    connection = connections[using]
    if _stamped(connection):
        triggers.create(connection)  # replaces those stats 0002 installed if it ran in this `migrate`
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM stats_countyfigures"
            )  # derived: rows written meanwhile moved no stamp


class StatsConfig(AppConfig):
    name = "yanzhen.stats"
    label = "stats"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        # SQLite rebuilds a table to add a column, and the stamps' triggers on the other tables break the
        # rebuild: `migrate` takes them off first and puts them back after (stats.triggers).
        pre_migrate.connect(_before_migrate, sender=self, dispatch_uid="stats-triggers-off")
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="stats-triggers-on")
