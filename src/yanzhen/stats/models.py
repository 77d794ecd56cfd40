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
