"""梯队 succession (issue 21 §1): the county's order of successors for a key seat and its emergency cover.

An entry names one candidacy (a reserve in the pool targeting the seat's post of the seat's village) in the
order of one seat; at most one entry per seat is the emergency cover (who acts if the seat falls empty
tomorrow). A seat without entries has the default order (`selectors.successors`). Written only through
`services.set_order` and `services.set_emergency_cover`; the history of the entries rebuilds the order on a past
date for the figures (`figures.py`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from yanzhen.core.jurisdiction import ScopedQuerySet
from yanzhen.core.model_fields import actor_field
from yanzhen.core.text import NormalisedCharField


class SuccessionEntry(models.Model):
    jurisdiction_path = "seat__village__code"

    seat = models.ForeignKey(
        "posts.Seat", verbose_name=_("seat"), on_delete=models.CASCADE, related_name="succession_entries"
    )
    candidacy = models.ForeignKey(
        "candidacies.Candidacy",
        verbose_name=_("candidacy"),
        on_delete=models.CASCADE,
        related_name="succession_entries",
    )
    position = models.PositiveSmallIntegerField(_("position"))
    is_emergency_cover = models.BooleanField(_("emergency cover"), default=False)
    note = NormalisedCharField(_("note"), max_length=200, blank=True)
    created_by = actor_field()
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("successor")
        verbose_name_plural = _("successors")
        ordering = ["seat", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["seat", "candidacy"], name="succession_entry_once_per_seat"),
            models.UniqueConstraint(
                fields=["seat"], condition=Q(is_emergency_cover=True), name="succession_one_emergency_cover"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seat} {self.position}. {self.candidacy}"
