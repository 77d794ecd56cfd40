"""Cyclic training (循环培养, seed 004): a programme of rounds; each round is a concentrated training of
3–5 days (a `Training`, so its hours count) followed by 1–2 months of practice in the village with a
practice assignment (实践作业) per trainee, judged and shown at the next round (评比展示).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from yanzhen.core.jurisdiction import ScopedQuerySet
from yanzhen.core.model_fields import actor_field, optional_link, person_field
from yanzhen.core.text import LONG_TEXT_MAX, NormalisedCharField, NormalisedTextField
from yanzhen.cultivation.models.common import OrganisedQuerySet


class CyclicProgrammeQuerySet(OrganisedQuerySet):
    participant_path = "trainees__village__code"


class CyclicProgramme(models.Model):
    """A programme of rounds organised by a county or township; its trainees take every round."""

    jurisdiction_path = "division__code"

    name = NormalisedCharField(_("name"), max_length=100)
    organiser = NormalisedCharField(_("organiser"), max_length=100)
    division = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("organising division"),
        on_delete=models.PROTECT,
        related_name="cyclic_programmes",
    )
    start = models.DateField(pgettext_lazy("programme", "start"))
    description = NormalisedTextField(_("description"), blank=True, max_length=LONG_TEXT_MAX)
    trainees = models.ManyToManyField(
        "people.Person", verbose_name=_("trainees"), blank=True, related_name="cyclic_programmes"
    )
    created_by = actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[trainees])

    objects = CyclicProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("cyclic training programme")
        verbose_name_plural = _("cyclic training programmes")
        ordering = ["-start", "-id"]

    def __str__(self) -> str:
        return self.name


class CyclicRound(models.Model):
    """Round `number` of a programme: its concentrated training, then practice until `practice_end`."""

    programme = models.ForeignKey(
        CyclicProgramme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField(_("round"))
    training = models.OneToOneField(
        "cultivation.Training",
        verbose_name=_("concentrated training"),
        on_delete=models.PROTECT,
        related_name="cyclic_round",
    )
    practice_end = models.DateField(_("last day of practice in the village"))
    assignment_brief = NormalisedTextField(_("practice assignment"), max_length=LONG_TEXT_MAX)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="cyclic_round_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.number}"


class PracticeAssignment(models.Model):
    """One trainee's practice assignment of a round: the task, the result he hands in, and the judgement
    at the next round (`judged_at`; empty for the last round, judged at the end of the programme)."""

    jurisdiction_path = "trainee__village__code"

    round = models.ForeignKey(
        CyclicRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="assignments"
    )
    trainee = person_field("practice_assignments", _("trainee"))
    task = NormalisedTextField(_("task"), max_length=LONG_TEXT_MAX)
    result = NormalisedTextField(_("result"), blank=True, max_length=LONG_TEXT_MAX)
    submitted_on = models.DateField(_("handed in on"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    comment = NormalisedCharField(_("comment"), max_length=200, blank=True)
    showcased = models.BooleanField(_("shown at the review"), default=False)
    judged_on = models.DateField(_("judged on"), null=True, blank=True)
    judged_at = optional_link(
        CyclicRound, _("judged at round"), on_delete=models.PROTECT, related_name="judged_assignments"
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("practice assignment")
        verbose_name_plural = _("practice assignments")
        ordering = ["round", "trainee__name", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "trainee"], name="assignment_once_per_round")]

    def __str__(self) -> str:
        return f"{self.trainee} · {self.round}"
