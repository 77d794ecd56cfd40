"""yanzhen apply-rules --division CODE: evaluate the rules on consecutive grades for every reserve of a
division (seed 000) and the county's rules on incumbents' monthly grades for every term of it. Idempotent:
a second run changes nothing and prints 0 changes."""

from django.core.management.base import BaseCommand, CommandError

from yanzhen.assessments.incumbents.rules import apply_incumbent_rules
from yanzhen.assessments.rules import apply_rules
from yanzhen.divisions.models import Division


class Command(BaseCommand):
    help = (
        "Apply the assessment rules (two consecutive excellent → key cultivation and the notice board; "
        "two consecutive incompetent → a removal proposal) to every reserve of a division, and the county's "
        "rules on incumbents' monthly grades (→ adjustment proposals) to every term of it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--division", required=True, help="division code (county, township or village)")

    def handle(self, *args, division: str, **options):
        unit = Division.objects.filter(code=division.strip()).first()
        if unit is None:
            raise CommandError(f"区划代码 {division} 不存在")
        reserves = apply_rules(unit)
        incumbents = apply_incumbent_rules(unit)
        changes = reserves + incumbents
        self.stdout.write(
            f"{unit.name}（{unit.code}）：{changes} changes（{changes} 处变更：后备力量 {reserves} 处，"
            f"在职村干部 {incumbents} 处）"
        )
