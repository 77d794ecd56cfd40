"""After a bulk load the demo and the restore refresh PostgreSQL's planner statistics (core/planner.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yanzhen.core.planner import refresh_after_bulk_load

pytestmark = pytest.mark.django_db


def test_analyze_runs_on_postgresql_and_nothing_on_sqlite():
    with CaptureQueriesContext(connection) as queries:
        refresh_after_bulk_load()
    expected = ["ANALYZE"] if connection.vendor == "postgresql" else []
    assert [query["sql"] for query in queries.captured_queries] == expected


def test_the_demo_and_the_restore_refresh_after_loading():
    from yanzhen.demo import builder
    from yanzhen.ops.management.commands import restore

    assert builder.refresh_after_bulk_load is refresh_after_bulk_load
    assert restore.refresh_after_bulk_load is refresh_after_bulk_load
