"""Village posts (职位): post types, each village's seats, and the incumbents' terms.

A seat is one place on a village's committee (the village has one 村党组织书记 seat, perhaps three 两委委员
seats ...). A term is one person holding one seat from a start date to an end date; one person may hold
the secretary and the chair seats at once (一肩挑). A seat without an open term is vacant.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from yanzhen.core.guards import today
from yanzhen.core.jurisdiction import ScopedQuerySet
from yanzhen.core.model_fields import end_after_start, person_field
from yanzhen.core.text import NormalisedCharField


class PostType(models.Model):
    """A kind of village post (configurable). Key posts (村党组织书记, 村委会主任 by default) need a reserve
    each: 一村一职一备."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = NormalisedCharField(_("name"), max_length=30, unique=True)
    is_key = models.BooleanField(_("key post"), default=False)
    is_practice = models.BooleanField(
        _("practice post"), default=False, help_text=_("A post given to reserves for practice (实岗).")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("post type")
        verbose_name_plural = _("post types")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Seat(models.Model):
    jurisdiction_path = "village__code"

    village = models.ForeignKey(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="seats"
    )
    post_type = models.ForeignKey(
        PostType, verbose_name=_("post"), on_delete=models.PROTECT, related_name="seats"
    )
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        ordering = ["village_id", "post_type__order", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "post_type", "number"], name="seat_unique_per_village_post"
            )
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.post_type}" + (f" {self.number}" if self.number > 1 else "")


class TermEndReason(models.TextChoices):
    ELECTION = "election", _("General election")  # 换届
    RESIGNED = "resigned", _("Resigned")  # 辞职
    TRANSFERRED = "transferred", _("Transferred")  # 调整
    DISMISSED = "dismissed", _("Dismissed")  # 免职/罢免
    DIED = "died", _("Died")  # 去世
    OTHER = "other", _("Other")


class Destination(models.TextChoices):
    """Where a village cadre or a reserve goes next (seeds 000, 001, 003): recorded when his term ends or he
    leaves the pool, counted per year by the statistics (`flow.destinations`)."""

    TOWNSHIP_LEADERSHIP = "township_leadership", _("Township leadership")  # 进入乡镇领导班子
    PUBLIC_INSTITUTION = "public_institution", _("Public institution post (selected)")  # 选聘事业编制
    CIVIL_SERVICE = "civil_service", _("Civil service (examination)")  # 考录公务员
    PROFESSIONAL_SECRETARY = (
        "professional_secretary",
        _("Professionally managed village secretary"),
    )  # 专业化管理的村党组织书记
    OTHER = "other", _("Other destination")  # 其他去向


class TermKind(models.TextChoices):
    """How a secretary's term is held (seed 001: 公开选聘专业化管理的村党组织书记183名): ordinarily, or as a secretary
    managed as a professional (paid and assessed by the county). Only a 村党组织书记 term may be professional."""

    ORDINARY = "ordinary", _("Ordinary")  # 一般
    PROFESSIONAL = "professional", _("Professionally managed")  # 专业化管理


KIND_NAMES = {TermKind.ORDINARY: "一般", TermKind.PROFESSIONAL: "专业化管理"}


class TermQuerySet(ScopedQuerySet):
    def current(self, on: date | None = None) -> TermQuerySet:
        on = on or today()
        return self.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gt=on))


class Term(models.Model):
    """One person holding one seat. `end` is the first day he no longer holds it."""

    jurisdiction_path = "seat__village__code"

    seat = models.ForeignKey(Seat, verbose_name=_("seat"), on_delete=models.PROTECT, related_name="terms")
    person = person_field("terms")
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    end_reason = models.CharField(_("how it ended"), max_length=20, choices=TermEndReason.choices, blank=True)
    end_note = NormalisedCharField(_("note on the end"), max_length=200, blank=True)
    destination = models.CharField(_("destination"), max_length=24, choices=Destination.choices, blank=True)
    kind = models.CharField(
        _("kind of term"), max_length=20, choices=TermKind.choices, default=TermKind.ORDINARY
    )
    history = HistoricalRecords()

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["seat", "-start"]
        constraints = [
            # A seat has at most one open term at a time.
            models.UniqueConstraint(
                fields=["seat"], condition=Q(end__isnull=True), name="term_one_open_per_seat"
            ),
            end_after_start("term_end_after_start", strictly=True, open_ended=True),
            models.CheckConstraint(
                condition=Q(kind__in=["ordinary", "professional"]), name="term_kind_in_list"
            ),
        ]
        indexes = [
            # The terms of a county's seats with who and when, read from the index alone (PostgreSQL): the
            # planner then walks the county's few thousand seats instead of hashing every term of the
            # province (stats: a county's incumbents 85 → 40 ms on province 41). SQLite ignores INCLUDE.
            models.Index(fields=["seat"], include=["person", "start", "end"], name="term_seat_covering"),
            # The few terms that ended with a destination (the statistics' flow.destinations).
            models.Index(fields=["end"], condition=~Q(destination=""), name="term_destination_end"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.seat}"
