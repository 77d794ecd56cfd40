"""The statutory holiday schedule, nationwide (the State Council's notice, one per year), not per county.

A year is known when it has a `HolidayYear`: its days off (放假) and make-up working days (调休上班) are its
`HolidayDay` rows; every other day of a known year is a working day from Monday to Friday. The years the
`chinesecalendar` package knows are seeded by the migration `0002_seed_from_chinesecalendar`; a later year
is entered on the page `/system/holidays/` by the top administrator. The lines as entered are kept on the
year, so its history (simple-history) holds every version of the schedule with who entered it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from yanzhen.core.model_fields import actor_field
from yanzhen.core.text import LONG_TEXT_MAX, NormalisedCharField, NormalisedTextField


class ScheduleSource(models.TextChoices):
    PACKAGE = "chinesecalendar", _("chinesecalendar package")
    MANUAL = "manual", _("entered by an administrator")


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("day off")  # 放假
    WORKDAY = "workday", _("make-up working day")  # 调休上班


class HolidayYear(models.Model):
    """The schedule of one year, as published by the State Council (国务院办公厅关于…部分节假日安排的通知)."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    source = models.CharField(_("source"), max_length=20, choices=ScheduleSource.choices)
    published_at = models.DateField(_("published on"), null=True, blank=True)
    lines = NormalisedTextField(_("schedule lines"), max_length=LONG_TEXT_MAX, blank=True)
    entered_by = actor_field(_("entered by"), blank=True)
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("holiday schedule of a year")
        verbose_name_plural = _("holiday schedules")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class HolidayDay(models.Model):
    """One day off or one make-up working day of a year's schedule."""

    schedule = models.ForeignKey(
        HolidayYear, verbose_name=_("year"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = NormalisedCharField(_("holiday"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("holiday or make-up working day")
        verbose_name_plural = _("holidays and make-up working days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name} {self.get_kind_display()}"
