"""Progress of long console work (core.progress): the services call one hook with exact totals and counts that
only grow; the commands draw a bar on a terminal and print nothing extra anywhere else (cron, CI, a pipe)."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from yanzhen.core.progress import command_progress, console_progress
from yanzhen.divisions.importer import import_divisions
from yanzhen.divisions.models import Division
from yanzhen.ops.services import create_backup, restore_backup

from .rosters_support import row, run, xlsx

pytestmark = pytest.mark.django_db

NEW_TOWNSHIP = "640323190"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Calls:
    """A progress callback that remembers every call, by stage."""

    def __init__(self):
        self.by_stage: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.stages: list[str] = []

    def __call__(self, done: int, total: int, stage: str) -> None:
        if not self.stages or self.stages[-1] != stage:
            self.stages.append(stage)
        self.by_stage[stage].append((done, total))

    def assert_grows_to(self, stage: str, total: int) -> None:
        calls = self.by_stage[stage]
        done = [d for d, _t in calls]
        assert done == sorted(done), f"{stage}: {calls}"
        assert {t for _d, t in calls} == {total}, f"{stage}: {calls}"
        assert calls[-1] == (total, total)


@pytest.fixture
def division_files(tmp_path) -> Path:
    """A new township of 盐池县 with three villages, in the CSV layout of the NBS data."""
    folder = tmp_path / "divisions"
    folder.mkdir()
    (folder / "streets.csv").write_text(f"code,name\n{NEW_TOWNSHIP},新设镇\n", encoding="utf-8")
    villages = "".join(f"{NEW_TOWNSHIP}{number:03d},新设{number}村\n" for number in (201, 202, 203))
    (folder / "villages.csv").write_text("code,name\n" + villages, encoding="utf-8")
    return folder


# -- the hook ----------------------------------------------------------------------------------------------


def test_no_bar_off_a_terminal_or_when_refused():
    with console_progress(io.StringIO()) as progress:
        assert progress is None
    with console_progress(Terminal(), disabled=True) as progress:
        assert progress is None
    with command_progress({"stderr": Terminal(), "no_progress": True}) as progress:
        assert progress is None


def test_a_bar_per_stage_on_a_terminal():
    terminal = Terminal()
    with console_progress(terminal) as progress:
        assert progress is not None
        for done in range(1, 11):
            progress(done, 10, "导出记录")
        progress(3, 3, "打包文件")
    drawn = terminal.getvalue()
    assert "导出记录" in drawn and "10/10" in drawn
    assert "打包文件" in drawn and "3/3" in drawn
    assert "100%" in drawn


# -- the services ------------------------------------------------------------------------------------------


def test_import_divisions_reports_the_units_written(division_files):
    calls = Calls()
    result = import_divisions(division_files, under=NEW_TOWNSHIP, progress=calls)
    assert (result.created, calls.stages) == (4, ["写入区划"])
    calls.assert_grows_to("写入区划", 4)


def test_roster_import_reports_rows_checked_then_the_write():
    rows = [row(f"进度{i}", date(1990, 1, 1 + i), 101 + 2 * i) for i in range(3)]  # odd: men
    calls = Calls()
    result = run(xlsx(rows), progress=calls)
    assert result.ok, result.summary_lines()
    assert calls.stages == ["读取行", "检查行", "写入"]
    calls.assert_grows_to("读取行", 3)
    calls.assert_grows_to("检查行", 3)
    calls.assert_grows_to("写入", 4)


def test_backup_and_restore_report_rows_and_bytes(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "var" / "media"
    calls = Calls()
    backup = create_backup(output=tmp_path / "b.tar.gz", progress=calls)
    rows = sum(backup.counts.values())
    assert calls.stages == ["导出记录", "打包文件"]
    calls.assert_grows_to("导出记录", rows)
    calls.assert_grows_to("打包文件", 1)  # data.json; no uploads in this world

    calls = Calls()
    restored = restore_backup(archive=backup.path, force=True, progress=calls)
    assert calls.stages == ["校验备份", "载入记录"]
    calls.assert_grows_to("校验备份", backup.size)
    calls.assert_grows_to("载入记录", sum(restored.manifest["counts"].values()))


# -- the commands ------------------------------------------------------------------------------------------


def test_commands_print_nothing_extra_off_a_terminal(division_files):
    out, err = io.StringIO(), io.StringIO()
    call_command("import-divisions", str(division_files), "--under", NEW_TOWNSHIP, stdout=out, stderr=err)
    assert err.getvalue() == ""
    assert Division.objects.filter(code__startswith=NEW_TOWNSHIP).count() == 4


def test_commands_draw_on_a_terminal(division_files):
    terminal = Terminal()
    call_command(
        "import-divisions",
        str(division_files),
        "--under",
        NEW_TOWNSHIP,
        stdout=io.StringIO(),
        stderr=terminal,
    )
    assert "写入区划" in terminal.getvalue() and "4/4" in terminal.getvalue()


def test_no_progress_keeps_a_terminal_quiet(division_files):
    quiet = Terminal()
    call_command(
        "import-divisions",
        str(division_files),
        "--under",
        NEW_TOWNSHIP,
        "--no-progress",
        stdout=io.StringIO(),
        stderr=quiet,
    )
    assert quiet.getvalue() == ""
    assert Division.objects.filter(code__startswith=NEW_TOWNSHIP).count() == 4
