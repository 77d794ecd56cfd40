"""The years the `chinesecalendar` package knows, copied into the schedule: by the migration
`0002_seed_from_chinesecalendar` on a fresh install, and by `yanzhen seed-holidays` after the pinned package
is upgraded to a release that knows a later year. A year already present (seeded, or entered by an
administrator) is never touched."""

from __future__ import annotations

from datetime import date

# The package names its holidays in English; the schedule shows them in Chinese.
NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
SOURCE = "chinesecalendar"


def package_days() -> dict[int, list[tuple[date, str, str]]]:
    """(date, kind, name) of every day off and make-up working day the package holds, by year."""
    import chinese_calendar

    by_year: dict[int, list[tuple[date, str, str]]] = {}
    for kind, days in (("holiday", chinese_calendar.holidays), ("workday", chinese_calendar.workdays)):
        for day, name in days.items():
            by_year.setdefault(day.year, []).append((day, kind, NAMES.get(str(name), str(name))[:40]))
    return by_year


def seed(year_model, day_model) -> list[int]:
    """Copy the package's years missing from the schedule (models passed in: the migration gives its
    historical ones); the years added."""
    by_year = package_days()
    present = set(year_model.objects.values_list("year", flat=True))
    added = sorted(set(by_year) - present)
    for year in added:
        schedule = year_model.objects.create(year=year, source=SOURCE)
        day_model.objects.bulk_create(
            day_model(schedule=schedule, date=day, kind=kind, name=name) for day, kind, name in by_year[year]
        )
    return added
