"""yanzhen seed-holidays: copy into the holiday schedule the years the installed `chinesecalendar` package
knows and the schedule lacks (after upgrading the package to a release that knows a new year). Years
already present, seeded or entered by an administrator, are left alone; a second run adds nothing."""

from django.core.management.base import BaseCommand
from django.db import transaction

from yanzhen.holidays.models import HolidayDay, HolidayYear
from yanzhen.holidays.package import seed


class Command(BaseCommand):
    help = "Add the years the chinesecalendar package knows and the holiday schedule lacks."

    def handle(self, *args, **options):
        with transaction.atomic():
            added = seed(HolidayYear, HolidayDay)
        if added:
            self.stdout.write(f"已从 chinesecalendar 补充 {len(added)} 个年度：{'、'.join(map(str, added))}")
        else:
            self.stdout.write("法定节假日安排已包含 chinesecalendar 收录的全部年度，无需补充")
