"""The gate `tools/migrations_from_zero.py` (run by `make test`): how it reads and compares two databases.

The gate itself migrates a database from zero, which takes half a minute, so it runs once in `make test`
rather than here; these tests prove that what it compares would catch a difference."""

import importlib.util
from pathlib import Path

_PATH = Path(__file__).resolve().parent.parent / "tools" / "migrations_from_zero.py"
_spec = importlib.util.spec_from_file_location("migrations_from_zero", _PATH)
gate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gate)


def table(columns=(), constraints=(), rows=()):
    return {"columns": list(columns), "constraints": list(constraints), "rows": list(rows)}


def test_check_clauses_are_read_to_their_closing_parenthesis():
    sql = 'CREATE TABLE "t" ("a" integer NOT NULL CHECK ("a" >= 0), "b" text, CONSTRAINT "c" CHECK ((("a" > 1) OR ("b" IS NULL))))'
    assert gate._checks(sql) == ['CHECK ("a" >= 0)', 'CHECK ((("a" > 1) OR ("b" IS NULL)))']
    assert gate._checks('CREATE TABLE "t" ("a" integer)') == []


def test_the_same_databases_have_no_differences():
    described = {
        "people_skill": table([["name", "varchar(100)", 1, "None", 0]], ["index"], ['{"name": "电商"}'])
    }
    assert gate._compare(described, described) == []


def test_a_missing_table_index_or_seeded_row_is_a_difference():
    migrated = {
        "people_skill": table([["name", "varchar(100)", 1, "None", 0]], [], ['{"name": "电商"}']),
        "only_migrated": table(),
    }
    from_models = {
        "people_skill": table(
            [["name", "varchar(100)", 1, "None", 0]], ["index unique=0 origin=c [('name', 0)]"], []
        ),
    }
    differences = gate._compare(migrated, from_models)
    assert differences == [
        "only_migrated: only after migrate",
        "people_skill constraints:\n  only after migrate: []\n"
        "  only from the models: [\"index unique=0 origin=c [('name', 0)]\"]",
        'people_skill rows:\n  only after migrate: [\'{"name": "电商"}\']\n  only from the models: []',
    ]


def test_a_missing_trigger_is_a_difference():
    stamp = "CREATE TRIGGER posts_seat_stamp_insert AFTER INSERT ON posts_seat BEGIN ... END"
    migrated = {"posts_seat": {**table(), "triggers": [stamp]}}
    from_models = {"posts_seat": {**table(), "triggers": []}}
    assert gate._compare(migrated, from_models) == [
        f"posts_seat triggers:\n  only after migrate: ['{stamp}']\n  only from the models: []"
    ]


def test_only_the_known_id_type_of_auths_many_to_many_table_is_forgiven():
    migrated = {
        "auth_group_permissions": table([["id", "20", False, "None"], ["group_id", "23", False, "None"]])
    }
    from_models = {
        "auth_group_permissions": table([["id", "23", False, "None"], ["group_id", "23", False, "None"]])
    }
    assert gate._compare(migrated, from_models) == []
    from_models["auth_group_permissions"]["columns"][1] = ["group_id", "20", False, "None"]
    assert len(gate._compare(migrated, from_models)) == 1
