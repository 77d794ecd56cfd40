"""Training programmes (培训班) and their participants: attendance, completion, score.

A person's training hours (学时) in a year are the attended hours recorded on his enrolments in the
trainings that end in that year; a training without recorded attendance credits nothing yet.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from yanzhen.core.model_fields import actor_field, end_after_start, person_field
from yanzhen.core.text import NOTE_MAX, NormalisedCharField, NormalisedTextField
from yanzhen.cultivation.models.common import OrganisedQuerySet, ParticipantQuerySet


class TrainingKind(models.TextChoices):
    PARTY_SCHOOL = "party_school", _("Party school")  # 党校
    UNIVERSITY = "university", _("University")  # 高校
    ENTERPRISE = "enterprise", _("Enterprise internship")  # 企业实习
    ROTATION = "rotation", _("Rotation class")  # 集中轮训
    TOWNSHIP_SCHOOL = "township_school", _("Township party school")  # 乡镇党校
    ONLINE = "online", _("Online")  # 线上
    OTHER = "other", _("Other")  # 其他


class TrainingQuerySet(OrganisedQuerySet):
    participant_path = "enrolments__person__village__code"

    def in_year(self, year: int) -> TrainingQuerySet:
        """Trainings credited to a year: those that end in it."""
        return self.filter(end__year=year)


class Training(models.Model):
    """One training programme organised by a county or a township (its `division`)."""

    jurisdiction_path = "division__code"

    name = NormalisedCharField(_("name"), max_length=100)
    organiser = NormalisedCharField(_("organiser"), max_length=100, help_text=_("e.g. 盐池县委组织部"))
    division = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("organising division"),
        on_delete=models.PROTECT,
        related_name="trainings",
    )
    kind = models.CharField(_("type"), max_length=20, choices=TrainingKind.choices)
    place = NormalisedCharField(_("place"), max_length=100, blank=True)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    notes = NormalisedTextField(_("notes"), blank=True, max_length=NOTE_MAX)
    created_by = actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = TrainingQuerySet.as_manager()

    class Meta:
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")
        ordering = ["-start", "-id"]
        constraints = [
            end_after_start("training_end_after_start"),
            models.CheckConstraint(condition=Q(hours__gte=0), name="training_hours_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class EnrolmentQuerySet(ParticipantQuerySet):
    organiser_path = "training__division__code"


class Enrolment(models.Model):
    """A person enrolled in a training. `attended_hours` is empty until attendance is recorded."""

    jurisdiction_path = "person__village__code"

    training = models.ForeignKey(
        Training, verbose_name=_("training programme"), on_delete=models.CASCADE, related_name="enrolments"
    )
    person = person_field("enrolments")
    attended_hours = models.DecimalField(
        _("attended hours"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    completed = models.BooleanField(_("completed"), default=False)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    note = NormalisedCharField(_("note"), max_length=200, blank=True)
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["training", "person__village_id", "person__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["training", "person"], name="enrolment_once_per_training"),
            models.CheckConstraint(
                condition=Q(attended_hours__isnull=True) | Q(attended_hours__gte=0),
                name="enrolment_hours_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.training}"

    @property
    def credited_hours(self):
        return self.attended_hours or 0
