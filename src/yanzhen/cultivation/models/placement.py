"""Learning by doing: secondments (挂职锻炼, 跨村任职, 跟岗锻炼) and practice posts (实岗) for reserves
without a post.

Both belong to the reserve's home jurisdiction (his village of residence): the township that cultivates
him records them, even when the host village lies in another township.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from yanzhen.core.jurisdiction import ScopedQuerySet
from yanzhen.core.model_fields import actor_field, end_after_start, optional_link, person_field
from yanzhen.core.text import LONG_TEXT_MAX, NormalisedCharField, NormalisedTextField


class SecondmentKind(models.TextChoices):
    SECONDMENT = "secondment", _("Secondment to a model village")  # 挂职锻炼
    CROSS_VILLAGE = "cross_village", _("Post in another village")  # 跨村任职
    SHADOWING = "shadowing", _("Shadowing at the township")  # 跟岗锻炼


class SecondmentMode(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")  # 全脱产
    PART_TIME = "part_time", _("Part-time")  # 半脱产


class HostGrade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")  # 优秀
    GOOD = "good", _("Good")  # 良好
    FAIR = "fair", _("Fair")  # 一般
    POOR = "poor", _("Poor")  # 较差


class SecondmentQuerySet(ScopedQuerySet):
    def overdue(self, on: date) -> SecondmentQuerySet:
        """Past the planned end without a report: the planned end is before `on` (the day after the last
        planned day is the first overdue day)."""
        return self.filter(planned_end__lt=on, reported_on__isnull=True)

    def full_time(self) -> SecondmentQuerySet:
        return self.filter(mode=SecondmentMode.FULL_TIME)


class Secondment(models.Model):
    """A reserve sent to learn elsewhere for a planned period, with goals set before and a report after."""

    jurisdiction_path = "person__village__code"

    person = person_field("secondments")
    kind = models.CharField(_("kind"), max_length=20, choices=SecondmentKind.choices)
    mode = models.CharField(_("mode"), max_length=20, choices=SecondmentMode.choices)
    host = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("host"),
        on_delete=models.PROTECT,
        related_name="hosted_secondments",
        help_text=_("The host village; the township for shadowing."),
    )
    post_title = NormalisedCharField(
        _("post held at the host"), max_length=50, blank=True, help_text=_("e.g. 党支部副书记")
    )
    start = models.DateField(pgettext_lazy("secondment", "start"))
    planned_end = models.DateField(_("planned end"), help_text=_("The last planned day."))
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    goals = NormalisedTextField(_("goals"), max_length=LONG_TEXT_MAX)
    override_reason = NormalisedCharField(
        _("reason for departing from the length rule"), max_length=200, blank=True
    )
    report = NormalisedTextField(_("secondment report"), blank=True, max_length=LONG_TEXT_MAX)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    host_grade = models.CharField(_("host's grade"), max_length=20, choices=HostGrade.choices, blank=True)
    host_evaluation = NormalisedTextField(_("host's evaluation"), blank=True, max_length=LONG_TEXT_MAX)
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)
    created_by = actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = SecondmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("secondment")
        verbose_name_plural = _("secondments")
        ordering = ["-start", "-id"]
        constraints = [end_after_start("secondment_end_after_start", end="planned_end")]

    def __str__(self) -> str:
        return f"{self.person} → {self.host}"

    @property
    def last_day(self) -> date:
        """The last day actually spent (or planned) at the host."""
        return self.actual_end or self.planned_end

    def is_overdue(self, on: date) -> bool:
        return self.reported_on is None and self.planned_end < on


class PracticePostQuerySet(ScopedQuerySet):
    def active_on(self, on: date) -> PracticePostQuerySet:
        return self.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))


class PracticePost(models.Model):
    """实岗: a reserve without a post given a practice post (书记助理, 专职网格员, 村民小组长) with written
    duties. The seat and the term live in the posts app (`term`); this record adds the duties and the plan."""

    jurisdiction_path = "person__village__code"

    person = person_field("practice_posts")
    post_type = models.ForeignKey(
        "posts.PostType", verbose_name=_("post"), on_delete=models.PROTECT, related_name="practice_posts"
    )
    village = models.ForeignKey(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    duties = NormalisedTextField(_("duties"), max_length=LONG_TEXT_MAX)
    start = models.DateField(pgettext_lazy("practice post", "start"))
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    end = models.DateField(
        pgettext_lazy("practice post", "end"), null=True, blank=True, help_text=_("The last day held.")
    )
    end_note = NormalisedCharField(_("note on the end"), max_length=200, blank=True)
    term = optional_link(
        "posts.Term", _("term"), on_delete=models.PROTECT, related_name="practice_post", one=True
    )
    created_by = actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = PracticePostQuerySet.as_manager()

    class Meta:
        verbose_name = _("practice post assignment")
        verbose_name_plural = _("practice post assignments")
        ordering = ["-start", "-id"]

    def __str__(self) -> str:
        return f"{self.person} {self.post_type}"
