"""yanzhen election-import-replies FILE.xlsx --election ID --department NAME --user USERNAME

Imports a department's joint-review replies (资格联审意见) from the app's template: all rows or none. Exit
status 0 only when every row was written; each problem is printed with its row and column. The import runs
as the user named (his jurisdiction and role apply, as on the upload page).
"""

from django.core.management.base import CommandError

from yanzhen.elections.importer import import_replies
from yanzhen.elections.management.console import ImportCommand
from yanzhen.elections.models import ReviewDepartment


class Command(ImportCommand):
    help = "Import a department's joint review replies (资格联审意见, .xlsx template) into an election: all or none."
    what = "资格联审意见"

    def add_own_arguments(self, parser):
        parser.add_argument("--department", required=True, help="the review department's name (e.g. 公安)")

    def own_arguments(self, options: dict) -> dict:
        department = options["department"]
        unit = ReviewDepartment.objects.filter(name=department.strip()).first()
        if unit is None:
            names = "、".join(ReviewDepartment.objects.values_list("name", flat=True))
            raise CommandError(f"找不到联审部门“{department}”（可选：{names}）")
        return {"department": unit}

    def importer(self, **arguments):
        return import_replies(**arguments)

    def done(self, election, outcome, **arguments) -> str:
        return f"{election}：已导入{arguments['department'].name}的联审意见 {outcome.saved} 条"
