"""yanzhen backup [--output PATH] [--keep-daily N] [--keep-weekly N] [--keep-monthly N] [--no-progress]: one
archive of the whole database and the uploaded files.

Writes var/backups/yanzhen-YYYYmmdd-HHMMSS.tar.gz unless told otherwise. The field keys are not in it. With a
--keep-* option, the older archives of that directory beyond what it keeps are deleted (ops.rotation).
"""

import argparse
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yanzhen.core.progress import add_progress_argument, command_progress
from yanzhen.ops.archive import BackupError
from yanzhen.ops.rotation import Retention
from yanzhen.ops.services import create_backup


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"应为非负整数，现在是“{text}”")
    return value


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one signed .tar.gz (the field keys stay out)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", help="the archive to write (default: var/backups/yanzhen-YYYYmmdd-HHMMSS.tar.gz)"
        )
        for period, what in (("daily", "days"), ("weekly", "ISO weeks"), ("monthly", "months")):
            parser.add_argument(
                f"--keep-{period}",
                type=_count,
                default=0,
                metavar="N",
                help=f"rotation: keep the newest archive of each of the last N {what} that have one, "
                "delete the older yanzhen-*.tar.gz of the same directory (none deleted without a --keep option)",
            )
        add_progress_argument(parser)

    def handle(
        self, *args, output: str | None, keep_daily: int, keep_weekly: int, keep_monthly: int, **options
    ):
        retention = Retention(daily=keep_daily, weekly=keep_weekly, monthly=keep_monthly)
        try:
            with command_progress(options) as progress:
                result = create_backup(
                    output=Path(output) if output else None,
                    progress=progress,
                    retention=retention if retention.prunes else None,
                )
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(result.counts.values())
        models = sum(1 for count in result.counts.values() if count)
        self.stdout.write(f"备份已写入 {result.path}")
        self.stdout.write(
            f"  记录 {rows} 条（{models} 类），上传文件 {result.media_files} 个，共 {result.size:,} 字节"
        )
        self.stdout.write(f"  SHA-256 {result.sha256}")
        if retention.prunes:
            self.stdout.write(
                f"轮换（保留最近 {keep_daily} 天、{keep_weekly} 周、{keep_monthly} 个月各最新的一份）："
                f"删除旧备份 {len(result.removed)} 份"
                + ("：" + "、".join(result.removed) if result.removed else "")
            )
        self.stdout.write(
            "提醒：备份中的身份证号、手机号仍是密文，解密所需的密钥 YANZHEN_FIELD_KEYS 不在备份文件中。"
            "请把密钥与备份分开妥善保管：没有这组密钥，备份无法恢复。"
        )
        self.stdout.write("建议定期运行 yanzhen restore 备份文件 --check 做恢复演练。")
