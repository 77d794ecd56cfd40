"""Seed the schedule with every year the `chinesecalendar` package knows (2004 to the last year of its
release), read from its `holidays` and `workdays` dicts at migration time, so a fresh install counts the
working days as before without anyone entering them. A year already present (entered by an administrator)
is left as it is; a later year is entered on the page /system/holidays/."""

from datetime import date

from django.db import migrations

# The package names its holidays in English; the schedule shows them in Chinese.
NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def seed(apps, schema_editor):
    import chinese_calendar

    HolidayYear = apps.get_model("holidays", "HolidayYear")
    HolidayDay = apps.get_model("holidays", "HolidayDay")
    by_year: dict[int, list[tuple[date, str, str]]] = {}
    for kind, days in (("holiday", chinese_calendar.holidays), ("workday", chinese_calendar.workdays)):
        for day, name in days.items():
            by_year.setdefault(day.year, []).append((day, kind, NAMES.get(str(name), str(name))[:40]))
    present = set(HolidayYear.objects.values_list("year", flat=True))
    for year in sorted(set(by_year) - present):
        schedule = HolidayYear.objects.create(year=year, source="chinesecalendar")
        HolidayDay.objects.bulk_create(
            HolidayDay(schedule=schedule, date=day, kind=kind, name=name) for day, kind, name in by_year[year]
        )


class Migration(migrations.Migration):
    dependencies = [("holidays", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
