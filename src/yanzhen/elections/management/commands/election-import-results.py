"""yanzhen election-import-results FILE.xlsx --election ID --user USERNAME

Imports the results of many villages (选举结果) from the app's template: all villages or none. Exit status 0
only when every village was recorded; each problem is printed with its row and column (a village the
services refuse, with the village's rows). The import runs as the user named (his jurisdiction and role
apply, as on the upload page).
"""

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from yanzhen.core.guards import require_editor, visible
from yanzhen.elections.importer import import_results
from yanzhen.elections.management.console import actor_of, content_of, election_of, run


class Command(BaseCommand):
    help = "Import the election results of many villages (选举结果, .xlsx template): all villages or none."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the filled template, an .xlsx file")
        parser.add_argument("--election", type=int, required=True, help="the election's id")
        parser.add_argument(
            "--user", required=True, help="import as this user (his jurisdiction and role apply)"
        )

    def handle(self, *args, file: str, election: int, user: str, **options):
        actor = actor_of(user)
        target = election_of(election)
        content, name = content_of(file)
        try:
            target = visible(actor, target)
            require_editor(actor)
        except Http404:
            raise CommandError(f"{target}不在用户 {user} 的辖区内，拒绝导入") from None
        except PermissionDenied:
            raise CommandError(f"用户 {user} 的角色不能导入选举结果") from None
        outcome = run(
            import_results,
            username=user,
            election=target,
            what="选举结果",
            actor=actor,
            content=content,
            file_name=name,
        )
        self.stdout.write(f"{target}：已导入选举结果 {outcome.saved} 个职位")
