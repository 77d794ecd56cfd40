"""yanzhen audit verify

Walks the audit log's hash chain (core.audit_chain) and reports the first broken link: a row removed or
altered after it was written. Exits 0 when the chain is whole, 1 otherwise.
"""

from django.core.management.base import BaseCommand, CommandError

from yanzhen.core import audit


class Command(BaseCommand):
    help = "Check the audit log: `verify` walks the hash chain and reports the first broken link."

    def add_arguments(self, parser):
        parser.add_argument("operation", choices=["verify"], help="verify: check the hash chain")

    def handle(self, *args, operation: str, **options):
        verdict = audit.verify()
        if not verdict.intact:
            raise CommandError(
                f"审计日志不完整：第 {verdict.broken_id} 条{verdict.problem}。（此前 {verdict.rows} 条完好）"
            )
        self.stdout.write(f"审计日志完整：{verdict.rows} 条")
