"""yanzhen apply-rules --division CODE: evaluate the rules on consecutive grades for every reserve of a
division (seed 000). Idempotent: a second run changes nothing and prints 0 changes."""

from django.core.management.base import BaseCommand, CommandError

from yanzhen.assessments.rules import apply_rules
from yanzhen.divisions.models import Division


class Command(BaseCommand):
    help = (
        "Apply the assessment rules (two consecutive excellent → key cultivation and the notice board; "
        "two consecutive incompetent → a removal proposal) to every reserve of a division."
    )

    def add_arguments(self, parser):
        parser.add_argument("--division", required=True, help="division code (county, township or village)")

    def handle(self, *args, division: str, **options):
        unit = Division.objects.filter(code=division.strip()).first()
        if unit is None:
            raise CommandError(f"区划代码 {division} 不存在")
        changes = apply_rules(unit)
        self.stdout.write(f"{unit.name}（{unit.code}）：{changes} changes（{changes} 处变更）")
