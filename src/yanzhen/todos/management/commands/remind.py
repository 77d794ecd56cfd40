"""yanzhen remind [--dry-run] [--date YYYY-MM-DD]: the daily reminders (cron). Every user's to-dos of the day,
one reminder per rule through each channel the deployment turned on (YANZHEN_REMIND_CHANNELS) and the user
chose; idempotent: the same items are not reminded twice on the same day (a second run sends nothing)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from yanzhen.core.guards import today
from yanzhen.todos import services


class Command(BaseCommand):
    help = (
        "Send today's to-do reminders (in the app, and by SMS and e-mail where turned on); a second run on "
        "the same day sends nothing twice. --dry-run prints what would be sent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="print what would be sent, send nothing")
        parser.add_argument("--date", dest="day", default="", help="the day (YYYY-MM-DD), today by default")

    def handle(self, *args, dry_run: bool, day: str, **options):
        on = _day(day)

        def report(planned: services.Planned) -> None:
            if planned.delivered is None:
                outcome = "would send"
            elif planned.delivered:
                outcome = "sent"
            else:
                outcome = f"failed: {planned.error}"
            self.stdout.write(
                f"{planned.user.username}\t{planned.channel}\t{planned.rule}\t{outcome}\t{planned.text}"
            )

        done = services.remind(on, dry_run=dry_run, report=report)
        failed = sum(1 for planned in done if planned.delivered is False)
        verb = "would be sent（将发送）" if dry_run else "sent（已发送）"
        self.stdout.write(f"{on:%Y-%m-%d}: {len(done)} reminders {verb}, {failed} failed（失败）")


def _day(value: str) -> date:
    if not value:
        return today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期“{value[:20]}”有误，应为 YYYY-MM-DD") from None
