"""The audit log (core.audit): the hash chain and `yanzhen audit verify`, the append-only guard in the
database (PostgreSQL), authors kept after their account is deleted, and failed logins for unknown names
visible to the top division's auditors."""

from __future__ import annotations

import io
from contextlib import contextmanager

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import Client

from yanzhen.accounts.models import User
from yanzhen.core import audit
from yanzhen.core.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="the append-only trigger exists on PostgreSQL only"
)


def verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def broken() -> str:
    with pytest.raises(CommandError) as error:
        verify()
    return str(error.value)


@contextmanager
def as_database_owner():
    """What someone with direct access to the database could do (the table's owner on PostgreSQL may
    switch the trigger off; the chain must still tell)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only")


def raw(sql: str, parameters: list) -> None:
    with as_database_owner(), connection.cursor() as cursor:
        cursor.execute(sql, parameters)


@pytest.fixture
def events(persona) -> list[AuditEvent]:
    clerk = persona("huamachi")
    return [
        audit.record(action=AuditAction.LOGIN, user=clerk),
        audit.record(
            action=AuditAction.EXPORT, user=clerk, object_repr="名册", detail={"rows": 3, "名": "值"}
        ),
        audit.record(action=AuditAction.LOGOUT, user=clerk),
    ]


def test_each_row_is_chained_to_the_one_before(events):
    first, second, third = events
    assert (
        first.prev_hash == "0" * 64
        or first.prev_hash
        == AuditEvent.objects.filter(pk__lt=first.pk)
        .order_by("-pk")
        .values_list("row_hash", flat=True)
        .first()
    )
    assert second.prev_hash == first.row_hash and third.prev_hash == second.row_hash
    assert len({first.row_hash, second.row_hash, third.row_hash}) == 3
    assert verify() == f"审计日志完整：{AuditEvent.objects.count()} 条\n"


def test_an_altered_row_is_the_first_broken_link(events):
    _first, second, _third = events
    raw("UPDATE core_auditevent SET object_repr = %s WHERE id = %s", ["无", second.pk])
    assert broken() == (
        f"审计日志不完整：第 {second.pk} 条内容与其哈希不符：这一条在写入后被改动。"
        f"（此前 {AuditEvent.objects.filter(pk__lt=second.pk).count()} 条完好）"
    )


def test_a_removed_row_breaks_the_link_of_the_next(events):
    first, second, third = events
    raw("DELETE FROM core_auditevent WHERE id = %s", [second.pk])
    assert broken() == (
        f"审计日志不完整：第 {third.pk} 条与上一条（第 {first.pk} 条）的链接不符：两条之间有记录被删除，"
        f"或第 {first.pk} 条的哈希被改动。（此前 {AuditEvent.objects.filter(pk__lt=third.pk).count()} 条完好）"
    )


def test_removing_the_first_rows_is_found_too(events):
    first = AuditEvent.objects.order_by("pk").first()
    raw("DELETE FROM core_auditevent WHERE id = %s", [first.pk])
    second = AuditEvent.objects.order_by("pk").first()
    assert broken() == (
        f"审计日志不完整：第 {second.pk} 条链的起点不符：在它之前的记录被删除了，或它记录的上一条哈希被改动。"
        "（此前 0 条完好）"
    )


def test_the_command_exits_non_zero_on_a_broken_chain(events, capsys):
    raw("UPDATE core_auditevent SET username = %s WHERE id = %s", ["别人", events[0].pk])
    with pytest.raises(SystemExit) as exit_status:
        execute_from_command_line(["yanzhen", "audit", "verify"])
    assert exit_status.value.code == 1
    assert f"第 {events[0].pk} 条内容与其哈希不符" in capsys.readouterr().err


def test_deleting_a_user_leaves_his_rows_as_written(events):
    user = User.objects.create_user(username="temporary", password="x", division_id="640323100")
    written = audit.record(action=AuditAction.LOGIN, user=user)
    before = AuditEvent.objects.filter(pk=written.pk).values().get()

    user.delete()

    assert AuditEvent.objects.filter(pk=written.pk).values().get() == before
    assert (before["username"], before["division_code"]) == ("temporary", "640323100")
    assert verify() == f"审计日志完整：{AuditEvent.objects.count()} 条\n"


@postgresql_only
@pytest.mark.parametrize(
    "sql",
    ["UPDATE core_auditevent SET username = 'x' WHERE id = %s", "DELETE FROM core_auditevent WHERE id = %s"],
)
def test_the_database_refuses_to_change_or_delete_a_row(events, sql):
    before = list(AuditEvent.objects.order_by("pk").values())
    with pytest.raises(DatabaseError, match="审计日志只能追加"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, [events[1].pk])
    assert list(AuditEvent.objects.order_by("pk").values()) == before


def failed_login(username: str) -> None:
    Client().post("/accounts/login/", {"username": username, "password": "Wrong#pass1"})


def audit_page(client_for, username: str) -> str:
    return client_for(username).get("/audit/").content.decode()


def test_failed_logins_for_unknown_names_reach_the_county_auditor(client_for):
    failed_login("nobody-at-all")
    failed_login("huamachi")

    assert (
        AuditEvent.objects.filter(username="nobody-at-all").values_list("division_code", flat=True).get()
        == ""
    )
    assert "nobody-at-all" in audit_page(client_for, "auditor")
    # A township sees its own account's failures, never the guessing of names that are nobody's.
    own = audit_page(client_for, "huamachi")
    assert "nobody-at-all" not in own and ">huamachi<" in own


def test_a_forced_restore_empties_and_reloads_the_chained_rows(events, settings, tmp_path):
    """On PostgreSQL the restore empties the tables with TRUNCATE, which the row trigger allows; the rows
    come back with their hashes, and the restore's own event is chained after them."""
    settings.VAR_DIR, settings.MEDIA_ROOT = tmp_path, tmp_path / "media"
    before = list(AuditEvent.objects.order_by("pk").values())  # the backup's own event comes after the dump
    call_command("backup", "--output", str(tmp_path / "b.tar.gz"), stdout=io.StringIO())

    call_command("restore", str(tmp_path / "b.tar.gz"), "--force", stdout=io.StringIO())

    after = list(AuditEvent.objects.order_by("pk").values())
    assert after[:-1] == before and after[-1]["detail"]["operation"] == "restore"
    assert after[-1]["prev_hash"] == before[-1]["row_hash"]
    assert verify() == f"审计日志完整：{len(after)} 条\n"
