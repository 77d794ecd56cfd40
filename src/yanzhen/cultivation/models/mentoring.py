"""Mentoring (传帮带): mentors, the pairing of a reserve with one mentor ("1+1") or several ("1+N",
多对一 as 恩阳 practises it), and the log of guidance sessions.

A mentor is either a person of the archive (an old secretary, a village cadre) or a named outsider (a
township leader, a member of the village work team) who has no archive. Each county caps how many
reserves one mentor guides at the same time (default 3).
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
from yanzhen.core.text import LONG_TEXT_MAX, NOTE_MAX, NormalisedCharField, NormalisedTextField


class MentorKind(models.TextChoices):
    TOWNSHIP_LEADER = "township_leader", _("Member of the township leadership")  # 乡镇班子成员
    FORMER_SECRETARY = "former_secretary", _("Former village secretary")  # 老支书
    WORK_TEAM = "work_team", _("Member of the village work team")  # 驻村工作队员
    VILLAGE_CADRE = "village_cadre", _("Village cadre")  # 村干部


class Pairing(models.TextChoices):
    ONE_TO_ONE = "1+1", _("1+1 (one mentor)")
    MANY_TO_ONE = "1+N", _("1+N (several mentors)")


class Mentor(models.Model):
    """Someone who guides reserves. `division` is where he serves (a township or a village): its
    jurisdiction sees and pairs him."""

    jurisdiction_path = "division__code"

    kind = models.CharField(_("kind"), max_length=20, choices=MentorKind.choices)
    person = optional_link(
        "people.Person", _("person in the archive"), on_delete=models.PROTECT, related_name="mentor", one=True
    )
    name = NormalisedCharField(pgettext_lazy("person", "name"), max_length=50)
    unit = NormalisedCharField(_("work unit and post"), max_length=100, blank=True)
    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("serves in"), on_delete=models.PROTECT, related_name="mentors"
    )
    skills = models.ManyToManyField("people.Skill", verbose_name=_("skills"), blank=True, related_name="+")
    industries = models.ManyToManyField(
        "divisions.Industry", verbose_name=_("industries"), blank=True, related_name="+"
    )
    active = models.BooleanField(_("active"), default=True)
    notes = NormalisedTextField(_("notes"), blank=True, max_length=NOTE_MAX)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[skills, industries])

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        ordering = ["division_id", "name", "id"]

    def __str__(self) -> str:
        return self.name


class MentorshipQuerySet(ScopedQuerySet):
    def active_on(self, on: date) -> MentorshipQuerySet:
        return self.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))

    def overlapping(self, start: date, end: date | None) -> MentorshipQuerySet:
        """Mentorships sharing at least one day with [start, end] (end None: open)."""
        queryset = self.filter(Q(end__isnull=True) | Q(end__gte=start))
        return queryset if end is None else queryset.filter(start__lte=end)


class Mentorship(models.Model):
    """A reserve (the mentee) guided by one or more mentors from `start` to `end` (the last day; empty while
    it goes on)."""

    jurisdiction_path = "mentee__village__code"

    mentee = person_field("mentorships", _("mentee"))
    mentors = models.ManyToManyField(Mentor, verbose_name=_("mentors"), related_name="mentorships")
    pairing = models.CharField(_("pairing style"), max_length=4, choices=Pairing.choices, editable=False)
    start = models.DateField(pgettext_lazy("mentorship", "start"))
    end = models.DateField(
        pgettext_lazy("mentorship", "end"),
        null=True,
        blank=True,
        help_text=_("The last day; empty while it goes on."),
    )
    goals = NormalisedTextField(_("goals"), blank=True, max_length=LONG_TEXT_MAX)
    end_note = NormalisedCharField(_("note on the end"), max_length=200, blank=True)
    created_by = actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[mentors])

    objects = MentorshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")
        ordering = ["-start", "-id"]
        constraints = [end_after_start("mentorship_end_after_start", open_ended=True)]

    def __str__(self) -> str:
        return f"{self.mentee} ({self.pairing})"

    def is_active(self, on: date) -> bool:
        return self.start <= on and (self.end is None or self.end >= on)


class GuidanceForm(models.TextChoices):
    TALK = "talk", _("Heart-to-heart talk")  # 谈心谈话
    ON_SITE = "on_site", _("On-site guidance")  # 现场指导
    JOINT_WORK = "joint_work", _("Working side by side")  # 带岗实践
    MEETING = "meeting", _("Attending a meeting")  # 列席会议
    OTHER = "other", _("Other")


class GuidanceSession(models.Model):
    """One entry of the guidance log: which mentor, when, how, about what."""

    jurisdiction_path = "mentorship__mentee__village__code"

    mentorship = models.ForeignKey(
        Mentorship, verbose_name=_("mentorship"), on_delete=models.CASCADE, related_name="sessions"
    )
    mentor = models.ForeignKey(Mentor, verbose_name=_("mentor"), on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("date"))
    form = models.CharField(_("form"), max_length=20, choices=GuidanceForm.choices)
    topic = NormalisedCharField(_("topic"), max_length=100)
    content = NormalisedTextField(_("content"), blank=True, max_length=LONG_TEXT_MAX)
    recorded_by = actor_field(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("guidance session")
        verbose_name_plural = _("guidance sessions")
        ordering = ["mentorship", "-on", "-id"]

    def __str__(self) -> str:
        return f"{self.on} {self.topic}"
