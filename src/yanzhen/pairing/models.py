"""强强联合、强弱联合 (seed 004, issue 19 §2): villages paired or grouped, one strong helping one weak or strong
working with strong, with their period, goals and joint activities. Writes go through `pairing.services`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from yanzhen.core.jurisdiction import ScopedQuerySet, VillageSharedQuerySet
from yanzhen.core.model_fields import actor_field, county_field, end_after_start
from yanzhen.core.text import LONG_TEXT_MAX, NOTE_MAX, NormalisedCharField, NormalisedTextField


class PairKind(models.TextChoices):
    STRONG_WEAK = "strong_weak", _("Strong helps weak")  # 强弱联合
    STRONG_STRONG = "strong_strong", _("Strong with strong")  # 强强联合


class MemberRole(models.TextChoices):
    HELPER = "helper", _("Helping village")  # 帮扶村
    HELPED = "helped", _("Helped village")  # 受帮扶村
    PARTNER = "partner", _("Partner village")  # 强强联合的一方


class PairQuerySet(VillageSharedQuerySet):
    """A pair is seen by every jurisdiction holding one of its villages; writing it needs every village
    inside (`services.may_change`)."""

    members = "pairing.PairMember"
    member_key = "pair_id"


class ActivityQuerySet(PairQuerySet):
    shared_path = "pair_id"


class VillagePair(models.Model):
    """A pair (or group) of villages of one county working together for a period."""

    jurisdiction_path = "members__village__code"

    county = county_field("village_pairs")
    name = NormalisedCharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=PairKind.choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True, help_text=_("The last day; empty while it runs."))
    goals = NormalisedTextField(_("goals"), max_length=LONG_TEXT_MAX)
    created_by = actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = PairQuerySet.as_manager()

    class Meta:
        verbose_name = _("village pair")
        verbose_name_plural = _("village pairs")
        ordering = ["-start", "-id"]
        constraints = [end_after_start("village_pair_end_after_start", open_ended=True)]

    def __str__(self) -> str:
        return self.name


class PairMember(models.Model):
    """A village of a pair and its part in it."""

    jurisdiction_path = "village__code"

    pair = models.ForeignKey(
        VillagePair, verbose_name=_("village pair"), on_delete=models.CASCADE, related_name="members"
    )
    village = models.ForeignKey(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="pairings"
    )
    role = models.CharField(_("part"), max_length=20, choices=MemberRole.choices)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("village of a pair")
        verbose_name_plural = _("villages of a pair")
        ordering = ["pair", "role", "village"]
        constraints = [models.UniqueConstraint(fields=["pair", "village"], name="pair_member_once")]

    def __str__(self) -> str:
        return f"{self.pair} {self.village}"


class PairActivity(models.Model):
    """A joint activity of a pair (a visit, a shared project, a training together)."""

    jurisdiction_path = "pair__members__village__code"

    pair = models.ForeignKey(
        VillagePair, verbose_name=_("village pair"), on_delete=models.CASCADE, related_name="activities"
    )
    held_on = models.DateField(_("date"))
    title = NormalisedCharField(_("activity"), max_length=200)
    participants = NormalisedCharField(_("who took part"), max_length=500, blank=True)
    note = NormalisedTextField(_("note"), max_length=NOTE_MAX, blank=True)
    recorded_by = actor_field(_("recorded by"))
    history = HistoricalRecords()

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("joint activity")
        verbose_name_plural = _("joint activities")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["pair", "held_on"], name="pair_activity_day")]

    def __str__(self) -> str:
        return f"{self.pair} {self.held_on} {self.title}"
