"""Seed the schedule with every year the `chinesecalendar` package knows (2004 to the last year of its
release), read from its `holidays` and `workdays` dicts at migration time (`holidays.package`), so a fresh
install counts the working days as before without anyone entering them. A year already present is left as
it is; a later year is entered on the page /system/holidays/."""

from django.db import migrations


def seed(apps, schema_editor):
    from yanzhen.holidays.package import seed as seed_from_package

    seed_from_package(apps.get_model("holidays", "HolidayYear"), apps.get_model("holidays", "HolidayDay"))


class Migration(migrations.Migration):
    dependencies = [("holidays", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
