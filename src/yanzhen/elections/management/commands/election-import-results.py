"""yanzhen election-import-results FILE.xlsx --election ID --user USERNAME

Imports the results of many villages (选举结果) from the app's template: all villages or none. Exit status 0
only when every village was recorded; each problem is printed with its row and column (a village the
services refuse, with the village's rows). The import runs as the user named (his jurisdiction and role
apply, as on the upload page).
"""

from yanzhen.elections.importer import import_results
from yanzhen.elections.management.console import ImportCommand


class Command(ImportCommand):
    help = "Import the election results of many villages (选举结果, .xlsx template): all villages or none."
    what = "选举结果"

    def importer(self, **arguments):
        return import_results(**arguments)

    def done(self, election, outcome, **arguments) -> str:
        return f"{election}：已导入选举结果 {outcome.saved} 个职位"
