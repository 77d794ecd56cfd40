"""yanzhen election-import-replies FILE.xlsx --election ID --department NAME --user USERNAME

Imports a department's joint-review replies (资格联审意见) from the app's template: all rows or none. Exit
status 0 only when every row was written; each problem is printed with its row and column. The import runs
as the user named (his jurisdiction and role apply, as on the upload page).
"""

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from yanzhen.core.guards import require_editor, visible
from yanzhen.elections.importer import import_replies
from yanzhen.elections.management.console import actor_of, content_of, election_of, run
from yanzhen.elections.models import ReviewDepartment


class Command(BaseCommand):
    help = "Import a department's joint review replies (资格联审意见, .xlsx template) into an election: all or none."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the filled template, an .xlsx file")
        parser.add_argument("--election", type=int, required=True, help="the election's id")
        parser.add_argument("--department", required=True, help="the review department's name (e.g. 公安)")
        parser.add_argument(
            "--user", required=True, help="import as this user (his jurisdiction and role apply)"
        )

    def handle(self, *args, file: str, election: int, department: str, user: str, **options):
        actor = actor_of(user)
        target = election_of(election)
        unit = ReviewDepartment.objects.filter(name=department.strip()).first()
        if unit is None:
            names = "、".join(ReviewDepartment.objects.values_list("name", flat=True))
            raise CommandError(f"找不到联审部门“{department}”（可选：{names}）")
        content, name = content_of(file)
        try:
            target = visible(actor, target)
            require_editor(actor)
        except Http404:
            raise CommandError(f"{target}不在用户 {user} 的辖区内，拒绝导入") from None
        except PermissionDenied:
            raise CommandError(f"用户 {user} 的角色不能导入资格联审意见") from None
        outcome = run(
            import_replies,
            username=user,
            election=target,
            what="资格联审意见",
            actor=actor,
            department=unit,
            content=content,
            file_name=name,
        )
        self.stdout.write(f"{target}：已导入{unit.name}的联审意见 {outcome.saved} 条")
