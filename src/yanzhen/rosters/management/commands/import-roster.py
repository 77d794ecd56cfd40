"""yanzhen import-roster FILE.xlsx --division CODE [--dry-run] [--report OUT.xlsx] [--user USERNAME] [--no-progress]

Imports a hand-made roster (花名册) of reserves: all rows or none. Exit status 0 only when the import (or
the dry run) found no error. Without --user the console operator imports, with no jurisdiction limit; with
it, the import runs as that user, inside his jurisdiction and with his role.
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from yanzhen.accounts.models import User
from yanzhen.core.progress import add_progress_argument, command_progress
from yanzhen.divisions.codes import candidate_codes
from yanzhen.divisions.models import Division
from yanzhen.rosters.importer import import_roster
from yanzhen.rosters.report import build_report


class Command(BaseCommand):
    help = "Import a roster (花名册, .xlsx) of reserve cadres into a division: all rows or none."
    # Django's system checks import every URL configuration, view and admin to look at them: 0.8 s of CPU
    # before the first row, a tenth of a 10,000-row dry run (issue 17). `yanzhen check` and `make test`
    # run them; a data command need not.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="the roster, an .xlsx file")
        parser.add_argument("--division", required=True, help="the division code the roster belongs to")
        parser.add_argument("--dry-run", action="store_true", help="validate only; write nothing")
        parser.add_argument("--report", help="write the row-by-row report to this .xlsx file")
        parser.add_argument("--user", help="import as this user (his jurisdiction and role apply)")
        add_progress_argument(parser)

    def handle(self, *args, file: str, division: str, dry_run: bool, report: str | None, user, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        actor = None
        if user:
            actor = User.objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"找不到有效用户：{user}")
        codes = candidate_codes(division)
        target = Division.objects.filter(code__in=codes).order_by("-code").first() if codes else None
        if target is None:
            raise CommandError(f"找不到区划代码 {division}")
        try:
            with command_progress(options) as progress:
                result = import_roster(
                    actor=actor,
                    content=path.read_bytes(),
                    file_name=path.name,
                    division=target,
                    dry_run=dry_run,
                    progress=progress,
                )
        except Http404:
            raise CommandError(f"{target.name}（{target.code}）不在用户 {user} 的辖区内，拒绝导入") from None
        except PermissionDenied:
            raise CommandError(f"用户 {user} 的角色不能导入花名册") from None
        if report:
            Path(report).write_bytes(build_report(result))
        lines = result.summary_lines()
        if report:
            lines.append(f"报告已写入 {report}")
        if not result.ok:
            raise CommandError("\n".join(lines))
        self.stdout.write("\n".join(lines))
