"""坐班值班 (seed 001: 每天至少有1名村"两委"干部在岗值班): who of a village is on duty on which working day,
his check-in, his leave (请假) and the county's choice of the monthly scoring item attendance feeds.

A day on the rota is held either by a sitting cadre (a person with an open `posts.Term` in the village that day)
or by a member of the village's work team (驻村工作队). Working days are those of `holidays.calendar`.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from yanzhen.core.jurisdiction import ScopedQuerySet
from yanzhen.core.model_fields import (
    actor_field,
    county_key,
    end_after_start,
    optional_link,
    person_field,
    village_field,
)
from yanzhen.core.models import CountySettings
from yanzhen.core.text import NormalisedCharField


class WorkTeamMember(models.Model):
    """驻村工作队员: sent to a village by a unit above it; may be on the village's rota. No phone is stored
    (it would need the archive's encryption and masking, and the rota does not need it)."""

    jurisdiction_path = "village__code"

    village = village_field("work_team_members")
    name = NormalisedCharField(_("name"), max_length=50)
    unit = NormalisedCharField(_("dispatching unit"), max_length=100)
    active = models.BooleanField(_("active"), default=True)
    created_by = actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("work-team member")
        verbose_name_plural = _("work-team members")
        ordering = ["village", "-active", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"


class DutyAssignment(models.Model):
    """One holder on duty in one village on one day: a sitting cadre (`person`) or a work-team member
    (`member`), exactly one of the two."""

    jurisdiction_path = "village__code"

    village = village_field("duty_assignments")
    day = models.DateField(_("day"))
    person = optional_link(
        "people.Person", _("cadre on duty"), on_delete=models.PROTECT, related_name="duties"
    )
    member = optional_link(
        WorkTeamMember, _("work-team member on duty"), on_delete=models.PROTECT, related_name="duties"
    )
    created_by = actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("duty assignment")
        verbose_name_plural = _("duty assignments")
        ordering = ["village", "day", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, member__isnull=True)
                | Q(person__isnull=True, member__isnull=False),
                name="duty_one_holder",
            ),
            models.UniqueConstraint(
                fields=["village", "day", "person"],
                condition=Q(person__isnull=False),
                name="duty_person_once_a_day",
            ),
            models.UniqueConstraint(
                fields=["village", "day", "member"],
                condition=Q(member__isnull=False),
                name="duty_member_once_a_day",
            ),
        ]
        indexes = [models.Index(fields=["village", "day"], name="duty_village_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.holder_name}"

    @property
    def holder_name(self) -> str:
        if self.person_id is not None:
            return self.person.name
        return self.member.name if self.member is not None else ""


class CheckIn(models.Model):
    """签到: the holder of an assignment was there; at most one per assignment."""

    jurisdiction_path = "assignment__village__code"

    assignment = models.OneToOneField(
        DutyAssignment, verbose_name=_("duty assignment"), on_delete=models.PROTECT, related_name="check_in"
    )
    checked_in_at = models.DateTimeField(_("checked in at"))
    note = NormalisedCharField(_("note"), max_length=200, blank=True)
    recorded_by = actor_field(_("recorded by"))
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-checked_in_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.assignment} {self.checked_in_at:%H:%M}"


class LeaveState(models.TextChoices):
    PENDING = "pending", _("Pending")  # 待审批
    APPROVED = "approved", _("Approved")  # 已批准
    REFUSED = "refused", _("Refused")  # 未批准


class LeaveQuerySet(ScopedQuerySet):
    def approved_on(self, day: date) -> LeaveQuerySet:
        return self.filter(state=LeaveState.APPROVED, start__lte=day, end__gte=day)


class Leave(models.Model):
    """请假: a sitting cadre away from his village from `start` to `end` (both included), approved or refused
    by the township (or the county)."""

    jurisdiction_path = "village__code"

    person = person_field("duty_leaves")
    village = village_field("duty_leaves")
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    reason = NormalisedCharField(_("reason"), max_length=200)
    state = models.CharField(
        _("state"), max_length=10, choices=LeaveState.choices, default=LeaveState.PENDING
    )
    requested_by = actor_field(_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = actor_field(_("decided by"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = LeaveQuerySet.as_manager()

    class Meta:
        verbose_name = _("leave")
        verbose_name_plural = _("leaves")
        ordering = ["-start", "-pk"]
        constraints = [end_after_start("duty_leave_end_after_start")]

    def __str__(self) -> str:
        return f"{self.person} {self.start}–{self.end}"


class DutySettings(CountySettings):
    """What a county chooses for the rota: the monthly scoring item (月考评) attendance feeds, if any."""

    county = county_key("duty_settings")
    attendance_item = optional_link(
        "assessments.IncumbentScoreItem", _("scoring item fed by attendance"), related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("duty settings")
        verbose_name_plural = _("duty settings")
