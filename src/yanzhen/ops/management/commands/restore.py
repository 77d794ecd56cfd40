"""yanzhen restore ARCHIVE [--force] [--no-progress] | yanzhen restore ARCHIVE --check

Restores an archive of `yanzhen backup`: the signature and every checksum first, the migrations next, then
all rows and uploads in one transaction. `--check` is the restore drill: the archive is restored into a
throwaway database in a temporary directory, and the live database is not touched.
"""

import argparse
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yanzhen.core.planner import refresh_after_bulk_load
from yanzhen.core.progress import add_progress_argument, command_progress
from yanzhen.ops import database
from yanzhen.ops.archive import BackupError
from yanzhen.ops.drill import is_drill_database, run_drill
from yanzhen.ops.schema import create_fresh_database
from yanzhen.ops.services import restore_backup


def _width(text: str) -> int:
    """Columns a text takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(1, width - _width(text))


class Command(BaseCommand):
    help = "Restore an archive of `yanzhen backup` (all or nothing), or with --check rehearse it elsewhere."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar.gz written by yanzhen backup")
        parser.add_argument(
            "--force", action="store_true", help="empty a database that already holds data first"
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="restore drill into a throwaway database; the live one is untouched",
        )
        add_progress_argument(parser)
        # The drill's own child process, restoring into its throwaway database: no audit event there, so
        # that database holds exactly the archive's rows.
        parser.add_argument("--drill-target", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, archive: str, force: bool, check: bool, drill_target: bool, **options):
        path = Path(archive)
        if check and force:
            raise CommandError("--check 不写入当前数据库，不能与 --force 同用。")
        if drill_target and not is_drill_database():
            raise CommandError("--drill-target 只供恢复演练内部使用。")
        try:
            with command_progress(options) as progress:
                if check:
                    self._drill(path, progress)
                else:
                    if drill_target:
                        create_fresh_database()
                    self._restore(path, force=force, audit_event=not drill_target, progress=progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from None

    def _restore(self, path: Path, *, force: bool, audit_event: bool, progress) -> None:
        result = restore_backup(archive=path, force=force, audit_event=audit_event, progress=progress)
        refresh_after_bulk_load()
        rows = [(label, str(count)) for label, count in sorted(result.counts.items()) if count]
        self._table(("模型", "记录数"), rows)
        empty = sum(1 for count in result.counts.values() if not count)
        self.stdout.write(f"（另有 {empty} 类没有记录）")
        self.stdout.write(
            f"恢复完成：{path.name}（备份于 {result.manifest['created_at']}），"
            f"记录 {sum(result.counts.values())} 条，上传文件 {result.media_files} 个。"
        )
        if result.kept_media_files:
            self.stdout.write(f"上传目录中另有 {result.kept_media_files} 个文件不在备份中，已保留未删除。")

    def _drill(self, path: Path, progress) -> None:
        self.stdout.write(f"恢复演练：把 {path.name} 载入临时目录中的新数据库……")
        result = run_drill(path, progress)
        rows = [
            (label, str(expected), str(found), "" if expected == found else "不一致")
            for label, expected, found in result.rows
            if expected or found
        ]
        expected_files, restored_files = result.media
        rows.append(
            (
                "上传文件",
                str(expected_files),
                str(restored_files),
                "" if expected_files == restored_files else "不一致",
            )
        )
        self._table(("模型", "备份中", "演练库中", ""), rows)
        if not result.passed:
            raise CommandError("恢复演练未通过：演练数据库中的数量与备份清单不一致（见上表）。")
        self.stdout.write("恢复演练通过")

    def _table(self, headers: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
        described = [(database.describe(row[0]) if "." in row[0] else row[0], *row[1:]) for row in rows]
        widths = [
            max(_width(row[column]) for row in [headers, *described]) + 2 for column in range(len(headers))
        ]
        for row in [headers, *described]:
            self.stdout.write(
                "  " + "".join(_pad(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip()
            )
