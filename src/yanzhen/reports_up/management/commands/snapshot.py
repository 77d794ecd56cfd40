"""yanzhen snapshot export PK [--output FILE] | import FILE --as USERNAME | public-key | generate-key

The console side of the reports filed upward (issue 20 §3): write a snapshot's signed JSON (to standard output
without --output), import one as the named administrator (the signature and his jurisdiction are checked as on
the page; nothing is written on a refusal), print this deployment's public key (what a province adds to
YANZHEN_TRUSTED_SIGNING_KEYS) or make a new private key (for YANZHEN_SIGNING_KEY).
"""

import base64
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from yanzhen.accounts.models import User
from yanzhen.reports_up import exchange, signing
from yanzhen.reports_up.models import Snapshot

OPERATIONS = {
    "export": "export",
    "import": "import_",
    "public-key": "public_key",
    "generate-key": "generate_key",
}


class Command(BaseCommand):
    help = "Reports filed upward: export or import a signed snapshot file; show or make the signing key."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="operation", required=True)
        export = sub.add_parser("export", help="write a snapshot's signed JSON")
        export.add_argument("pk", type=int)
        export.add_argument("--output", help="file to write (standard output when absent)")
        load = sub.add_parser("import", help="import a signed JSON file")
        load.add_argument("file")
        load.add_argument("--as", dest="username", required=True, help="the administrator who imports")
        sub.add_parser("public-key", help="print this deployment's public key")
        sub.add_parser("generate-key", help="print a new private key for YANZHEN_SIGNING_KEY")

    def handle(self, *args, operation: str, **options):
        try:
            getattr(self, OPERATIONS[operation])(**options)
        except ValidationError as refused:
            raise CommandError("；".join(refused.messages)) from None

    def export(self, *, pk: int, output: str | None, **_options):
        snapshot = Snapshot.objects.filter(pk=pk).first()
        if snapshot is None:
            raise CommandError(f"报表快照 {pk} 不存在")
        data = exchange.envelope_bytes(snapshot)
        if output:
            Path(output).write_bytes(data)
            self.stdout.write(f"已导出：{output}")
        else:
            self.stdout.write(data.decode())

    def import_(self, *, file: str, username: str, **_options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"用户“{username}”不存在或已停用")
        try:
            data = Path(file).read_bytes()
        except OSError as unreadable:
            raise CommandError(f"无法读取文件 {file}：{unreadable.strerror}") from None
        try:
            snapshot = exchange.import_snapshot(actor=user, data=data)
        except PermissionDenied:
            raise CommandError(f"用户“{username}”不是管理员，不能导入报表快照") from None
        self.stdout.write(
            f"已导入：{snapshot.content['division_name']} {snapshot.year} 年 {snapshot.pk} 号快照，签名有效"
        )

    def public_key(self, **_options):
        key = signing.own_public_key()
        self.stdout.write(f"{key}\n（密钥编号 {signing.key_id_of(base64.b64decode(key))}）")

    def generate_key(self, **_options):
        self.stdout.write(signing.generate_key())
