"""Degree upgrading (学历提升) and the personal growth plan (成长计划, seed 002's 成长套餐).

A growth plan lists what a reserve is to do, each item with a planned start and a due date, optionally
linked to the record that fulfils it (a training, a mentorship ...): the item is done when that record is
complete, or when a clerk marks it done.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from yanzhen.core.jurisdiction import ScopedQuerySet
from yanzhen.core.model_fields import actor_field, end_after_start, optional_link, person_field
from yanzhen.core.text import LONG_TEXT_MAX, NormalisedCharField, NormalisedTextField
from yanzhen.people.codes import Degree, Education


class Funding(models.TextChoices):
    PUBLIC = "public", _("Public funds")  # 财政
    SELF = "self", _("Self-funded")  # 自筹
    MIXED = "mixed", _("Mixed")  # 混合


class StudyState(models.TextChoices):
    STUDYING = "studying", _("Studying")
    GRADUATED = "graduated", _("Graduated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DegreeStudy(models.Model):
    """A reserve studying for a higher education while he works (在职). Graduation adds an education record
    to his archive."""

    jurisdiction_path = "person__village__code"

    person = person_field("degree_studies")
    programme = NormalisedCharField(_("programme"), max_length=100, help_text=_("e.g. 村干部学历提升行动"))
    school = NormalisedCharField(_("school"), max_length=100)
    major = NormalisedCharField(_("major"), max_length=100, blank=True)
    education = models.CharField(_("education aimed at"), max_length=2, choices=Education.choices)
    degree = models.CharField(_("degree"), max_length=1, choices=Degree.choices, default=Degree.NONE)
    start = models.DateField(pgettext_lazy("degree study", "start"))
    expected_end = models.DateField(_("expected end"))
    funding = models.CharField(_("funding"), max_length=10, choices=Funding.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=StudyState.choices, default=StudyState.STUDYING
    )
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    education_record = optional_link(
        "people.EducationRecord", _("education record"), related_name="degree_study", one=True
    )
    note = NormalisedCharField(_("note"), max_length=200, blank=True)
    created_by = actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("degree study")
        verbose_name_plural = _("degree studies")
        ordering = ["-start", "-id"]
        constraints = [end_after_start("degree_study_end_after_start", end="expected_end", strictly=True)]

    def __str__(self) -> str:
        return f"{self.person} · {self.school}"


class GrowthPlan(models.Model):
    """One reserve's growth plan."""

    jurisdiction_path = "person__village__code"

    person = models.OneToOneField(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="growth_plan"
    )
    drawn_up_on = models.DateField(_("drawn up on"))
    goals = NormalisedTextField(_("goals"), blank=True, max_length=LONG_TEXT_MAX)
    created_by = actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("growth plan")
        verbose_name_plural = _("growth plans")
        ordering = ["person"]

    def __str__(self) -> str:
        return str(self.person)


class ItemKind(models.TextChoices):
    TRAINING = "training", _("Training")
    CYCLIC = "cyclic", _("Cyclic training")
    MENTORING = "mentoring", _("Mentoring")
    PRACTICE_POST = "practice_post", _("Practice post")
    SECONDMENT = "secondment", _("Secondment")
    DEGREE = "degree", _("Degree upgrading")
    OTHER = "other", _("Other")


# The kind of item → the field of GrowthPlanItem that links the record fulfilling it.
LINK_FIELDS = {
    ItemKind.TRAINING: "training",
    ItemKind.CYCLIC: "cyclic_programme",
    ItemKind.MENTORING: "mentorship",
    ItemKind.PRACTICE_POST: "practice_post",
    ItemKind.SECONDMENT: "secondment",
    ItemKind.DEGREE: "degree_study",
}


class GrowthPlanItem(models.Model):
    """One planned step. At most one link is set, the one its kind names (LINK_FIELDS)."""

    jurisdiction_path = "plan__person__village__code"

    plan = models.ForeignKey(
        GrowthPlan, verbose_name=_("growth plan"), on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    title = NormalisedCharField(_("title"), max_length=100)
    planned_start = models.DateField(_("planned start"))
    due = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = NormalisedCharField(_("note"), max_length=200, blank=True)
    training = optional_link("cultivation.Training", _("training programme"))
    cyclic_programme = optional_link("cultivation.CyclicProgramme", _("cyclic training programme"))
    mentorship = optional_link("cultivation.Mentorship", _("mentorship"))
    practice_post = optional_link("cultivation.PracticePost", _("practice post assignment"))
    secondment = optional_link("cultivation.Secondment", _("secondment"))
    degree_study = optional_link("cultivation.DegreeStudy", _("degree study"))
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("growth plan item")
        verbose_name_plural = _("growth plan items")
        ordering = ["plan", "planned_start", "due", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due__gte=models.F("planned_start")), name="plan_item_due_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def linked(self):
        field = LINK_FIELDS.get(self.kind)
        return getattr(self, field) if field else None
