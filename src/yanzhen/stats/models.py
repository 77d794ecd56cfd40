"""The thresholds of the warnings (预警), set per county by its organisation department.

A county without a row uses the defaults below (`thresholds_for` in warnings.py), so nothing has to be set up
before the dashboard shows its warnings.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from yanzhen.core.model_fields import county_key
from yanzhen.core.models import CountySettings

DEFAULT_SECRETARY_AGE = 55
DEFAULT_COMMITTEE_AVERAGE_AGE = 50


class WarningThresholds(CountySettings):
    """The thresholds of one county's warnings."""

    county = county_key("warning_thresholds")
    secretary_age = models.PositiveSmallIntegerField(
        _("age of a secretary who needs a ready-now reserve"),
        default=DEFAULT_SECRETARY_AGE,
        validators=[MinValueValidator(30), MaxValueValidator(80)],
        help_text=_("A secretary of this age or older without a reserve ready now is a warning."),
    )
    committee_average_age = models.PositiveSmallIntegerField(
        _("highest average age of a village committee"),
        default=DEFAULT_COMMITTEE_AVERAGE_AGE,
        validators=[MinValueValidator(30), MaxValueValidator(80)],
        help_text=_("A committee whose average age is over this is a warning."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("warning thresholds")
        verbose_name_plural = _("warning thresholds")


class CountyStamp(models.Model):
    """How often the data one county's figures are made of has changed: moved by database triggers in the
    writing transaction (migration 0002), whatever wrote (a service, a bulk load, `QuerySet.update()`, a
    shell). The row with the empty code is the stamp of what every county's figures read (the post types,
    the sources). Derived data: no history, emptied and refilled freely."""

    # Written by the triggers and the code, never typed: the county's six digits ("" for the global stamp).
    county = models.CharField(_("county"), max_length=6, primary_key=True, editable=False)
    changes = models.BigIntegerField(_("changes"), default=0)

    class Meta:
        verbose_name = _("county change stamp")
        verbose_name_plural = _("county change stamps")

    def __str__(self) -> str:
        return f"{self.county or '*'} #{self.changes}"


class CountyFigures(models.Model):
    """One county's counts on one date (`stats.rollup`), valid while the county's stamp and the global
    stamp are those it was computed at. Derived data, rebuilt from the archive and its history whenever it
    is missing or stale: no history of its own."""

    county = models.CharField(_("county"), max_length=6, editable=False)
    as_of = models.DateField(_("as of"))
    stamp = models.BigIntegerField(_("county stamp"))
    global_stamp = models.BigIntegerField(_("global stamp"))
    payload = models.JSONField(_("counts"))
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("county figures")
        verbose_name_plural = _("county figures")
        constraints = [models.UniqueConstraint(fields=["county", "as_of"], name="county_figures_once_a_day")]

    def __str__(self) -> str:
        return f"{self.county} {self.as_of} #{self.stamp}"
