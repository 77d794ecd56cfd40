"""yanzhen demo: build the demo county 盐池县 and its accounts (idempotent)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from yanzhen.demo.builder import DEMO_PASSWORD, build_demo


class Command(BaseCommand):
    help = "Load the demo county 盐池县 (640323) with demo accounts. Development only."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="also outside the demo mode and DEBUG (a test server); never on production data",
        )

    def handle(self, *args, force: bool, **options):
        if not (settings.DEMO or settings.DEBUG) and not force:
            raise CommandError(
                "演示数据带有公开的演示密码，只能在演示模式 (YANZHEN_DEMO=1) 或开发环境 (YANZHEN_DEBUG=1) "
                "下加载，或加 --force。"
            )
        accounts = build_demo()
        self.stdout.write("演示县 盐池县 (640323) 已就绪。演示账号 (demo accounts)：")
        for account in accounts:
            self.stdout.write(
                f"  {account.username:<12} {DEMO_PASSWORD}  {account.display_name}（{account.note}）"
            )
