"""Rotation of the backup directory: `yanzhen backup --keep-daily N --keep-weekly N --keep-monthly N`
(ops.rotation). The daily systemd timer of deploy/systemd/yanzhen-backup.service relies on it."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yanzhen.core.models import AuditAction, AuditEvent
from yanzhen.ops.rotation import Retention, archive_time, to_delete


def name(written: datetime) -> str:
    return f"yanzhen-{written:%Y%m%d-%H%M%S}.tar.gz"


def nightly(last: datetime, days: int) -> list[str]:
    """One archive a night at 02:30 for `days` nights up to `last`."""
    return [name(last - timedelta(days=back)) for back in range(days)]


def test_only_names_written_by_backup_have_a_time():
    assert archive_time("yanzhen-20261207-023000.tar.gz") == datetime(2026, 12, 7, 2, 30)
    assert archive_time("yanzhen-20261207-023000.tar.gz.partial") is None
    assert archive_time("yanzhen-20261399-023000.tar.gz") is None
    assert archive_time("before-upgrade.tar.gz") is None


def test_without_a_period_nothing_is_deleted():
    assert to_delete(nightly(datetime(2026, 12, 7, 2, 30), 90), Retention()) == []


def test_seven_days_four_weeks_six_months_keep_the_newest_of_each():
    last = datetime(2026, 12, 7, 2, 30)  # a Monday
    names = nightly(last, 400) + ["before-upgrade.tar.gz", "yanzhen-20261207-120000.tar.gz.partial"]

    deleted = to_delete(names, Retention(daily=7, weekly=4, monthly=6))

    kept = sorted(set(names) - set(deleted))
    assert kept == [
        "before-upgrade.tar.gz",
        # the newest of each of the last 6 months, July to December (December's is today's)
        "yanzhen-20260731-023000.tar.gz",
        "yanzhen-20260831-023000.tar.gz",
        "yanzhen-20260930-023000.tar.gz",
        "yanzhen-20261031-023000.tar.gz",
        # the newest of each of the last 4 ISO weeks: this Monday, and the Sundays before it (Dec 6 is a day)
        "yanzhen-20261122-023000.tar.gz",
        "yanzhen-20261129-023000.tar.gz",
        "yanzhen-20261130-023000.tar.gz",  # November's newest
        # the last 7 days
        "yanzhen-20261201-023000.tar.gz",
        "yanzhen-20261202-023000.tar.gz",
        "yanzhen-20261203-023000.tar.gz",
        "yanzhen-20261204-023000.tar.gz",
        "yanzhen-20261205-023000.tar.gz",
        "yanzhen-20261206-023000.tar.gz",
        "yanzhen-20261207-023000.tar.gz",
        "yanzhen-20261207-120000.tar.gz.partial",
    ]
    assert len(deleted) == 400 - 14
    assert deleted[0] == "yanzhen-20251103-023000.tar.gz"  # oldest first


def test_two_archives_of_one_day_keep_the_later_and_the_protected_one():
    names = [
        "yanzhen-20261207-023000.tar.gz",
        "yanzhen-20261207-120000.tar.gz",
        "yanzhen-20261206-023000.tar.gz",
    ]
    assert to_delete(names, Retention(daily=1)) == [
        "yanzhen-20261206-023000.tar.gz",
        "yanzhen-20261207-023000.tar.gz",
    ]
    assert to_delete(names, Retention(daily=1), keep=["yanzhen-20261206-023000.tar.gz"]) == [
        "yanzhen-20261207-023000.tar.gz"
    ]


@pytest.fixture
def var(settings, tmp_path) -> Path:
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "var" / "media"
    return settings.VAR_DIR


def run(*arguments: str) -> str:
    out = io.StringIO()
    call_command(*arguments, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_backup_with_keep_options_deletes_the_old_archives_and_audits_them(var):
    backups = var / "backups"
    backups.mkdir(parents=True)
    old = [name(datetime(2020, 1, day, 2, 30)) for day in (1, 2, 3)]
    for each in [*old, "before-upgrade.tar.gz"]:
        (backups / each).write_bytes(b"old")

    out = run("backup", "--keep-daily", "2", "--no-progress")

    left = sorted(path.name for path in backups.iterdir())
    [new] = [each for each in left if each not in old and each != "before-upgrade.tar.gz"]
    assert re.fullmatch(r"yanzhen-\d{8}-\d{6}\.tar\.gz", new)
    assert left == sorted(["before-upgrade.tar.gz", old[2], new])
    assert f"轮换（保留最近 2 天、0 周、0 个月各最新的一份）：删除旧备份 2 份：{old[0]}、{old[1]}" in out
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).get()
    assert event.detail["file"] == new and event.detail["removed"] == old[:2]


@pytest.mark.django_db
def test_backup_without_keep_options_deletes_nothing(var):
    backups = var / "backups"
    backups.mkdir(parents=True)
    (backups / name(datetime(2020, 1, 1, 2, 30))).write_bytes(b"old")

    out = run("backup", "--no-progress")

    assert len(list(backups.iterdir())) == 2 and "轮换" not in out


def test_a_negative_count_is_refused():
    with pytest.raises(CommandError, match="应为非负整数，现在是“-1”"):
        run("backup", "--keep-daily", "-1")
