"""On PostgreSQL the database itself refuses UPDATE and DELETE of audit rows, whatever the client (a raw
SQL delete, a shell, another program). TRUNCATE is not a row event: `yanzhen restore --force` empties the
tables that way, and so does Django's flush. On SQLite the model's guard stays the only one: its flush and
the restore's emptying are DELETE statements, which a trigger there would stop."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '审计日志只能追加，不能修改或删除（%）', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER core_auditevent_append_only BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS core_auditevent_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_audit_authors_and_chain")]

    # hints: DDL, not data: the browser tests' re-run of the data migrations (tests/browser/conftest.py) skips it.
    operations = [migrations.RunPython(create, drop, hints={"ddl": True})]
