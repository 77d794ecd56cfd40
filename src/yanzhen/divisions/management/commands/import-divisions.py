"""yanzhen import-divisions PATH [--under CODE] [--no-progress]: load the statistical division codes."""

from django.core.management.base import BaseCommand, CommandError

from yanzhen.core.progress import add_progress_argument, command_progress
from yanzhen.divisions.importer import DivisionImportError, import_divisions


class Command(BaseCommand):
    help = "Import division codes from the CSV layout of the NBS data (a directory or one .csv/.csv.gz file)."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help="directory with provinces.csv ... villages.csv.gz, or one of those files"
        )
        parser.add_argument(
            "--under", default="", help="only this division and what lies below it (a code prefix)"
        )
        add_progress_argument(parser)

    def handle(self, *args, path: str, under: str, **options):
        try:
            with command_progress(options) as progress:
                result = import_divisions(path, under=under, progress=progress)
        except DivisionImportError as failed:
            raise CommandError("导入失败，未写入任何数据：\n" + "\n".join(failed.errors)) from None
        self.stdout.write(result.summary())
