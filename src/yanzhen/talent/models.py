"""绩效与潜力 (issue 21 §3): the county's potential rating of a reserve or a sitting village cadre, and the
calibration sessions (校准会) where a township's ratings are reviewed together.

A rating is never edited: each rating (direct, or a change made in a calibration session) is a new row, so the
rows of a person are his rating history and the rating on a day is the latest row rated on or before it. A
calibration session belongs to one township; while open it records each change (before, after, reason, who)
with the rating row it made; once closed it refuses changes. Written only through `talent.services`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from yanzhen.core.jurisdiction import ScopedQuerySet
from yanzhen.core.model_fields import actor_field, optional_link, person_field
from yanzhen.core.text import NOTE_MAX, NormalisedCharField, NormalisedTextField

REASON_MAX = 500


class Potential(models.TextChoices):
    HIGH = "high", _("High potential")  # 高潜力
    MEDIUM = "medium", _("Medium potential")  # 中潜力
    LOW = "low", _("Low potential")  # 低潜力


POTENTIAL_NAMES = {Potential.HIGH: "高", Potential.MEDIUM: "中", Potential.LOW: "低"}


class CalibrationSession(models.Model):
    """校准会 of one township: when it was held, who took part, whether it is closed."""

    jurisdiction_path = "township__code"

    township = models.ForeignKey(
        "divisions.Division", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("held on"))
    participants = NormalisedTextField(_("session participants"), max_length=NOTE_MAX)
    note = NormalisedTextField(_("note"), max_length=NOTE_MAX, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = actor_field(_("closed by"), blank=True)
    created_by = actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("calibration session")
        verbose_name_plural = _("calibration sessions")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.township} {self.held_on:%Y-%m-%d}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class PotentialRating(models.Model):
    """One potential rating of a person, with its reason; `session` when a calibration session made it."""

    jurisdiction_path = "person__village__code"

    person = person_field("potential_ratings")
    rating = models.CharField(_("potential"), max_length=10, choices=Potential.choices)
    reason = NormalisedCharField(_("reason"), max_length=REASON_MAX)
    rated_on = models.DateField(_("rated on"))
    rated_by = actor_field(_("rated by"))
    session = optional_link(
        CalibrationSession, _("calibration session"), on_delete=models.PROTECT, related_name="ratings"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("potential rating")
        verbose_name_plural = _("potential ratings")
        ordering = ["person", "-rated_on", "-id"]
        indexes = [models.Index(fields=["person", "rated_on"], name="potential_rating_person_day")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__in=["high", "medium", "low"]), name="potential_rating_in_list"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.rated_on:%Y-%m-%d} {self.get_rating_display()}"


class CalibrationChange(models.Model):
    """A change of one person's rating made in a calibration session: before (empty: not rated), after, why."""

    jurisdiction_path = "session__township__code"

    session = models.ForeignKey(
        CalibrationSession,
        verbose_name=_("calibration session"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    person = person_field("calibration_changes")
    before = models.CharField(_("rating before"), max_length=10, choices=Potential.choices, blank=True)
    after = models.CharField(_("rating after"), max_length=10, choices=Potential.choices)
    reason = NormalisedCharField(_("reason"), max_length=REASON_MAX)
    rating = models.OneToOneField(
        PotentialRating, verbose_name=_("rating"), on_delete=models.PROTECT, related_name="calibration_change"
    )
    changed_by = actor_field(_("changed by"))
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("calibration change")
        verbose_name_plural = _("calibration changes")
        ordering = ["session", "id"]

    def __str__(self) -> str:
        return f"{self.session} {self.person} {self.before or '-'} → {self.after}"
