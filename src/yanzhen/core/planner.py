"""Planner statistics after a bulk load (the demo builder, `yanzhen restore`).

PostgreSQL plans queries from the statistics ANALYZE gathers. Autovacuum gathers them on its own, but only a
while after a load: until then the planner takes a freshly filled table for an empty one and picks nested loops
that cost a hundred times more (the dashboard's coverage count: 117 ms instead of 10 ms on the demo county).
SQLite plans without such statistics unless ANALYZE was ever run, and is left alone.
"""

from django.db import connection


def refresh_after_bulk_load() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
