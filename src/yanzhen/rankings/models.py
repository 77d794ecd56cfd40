"""比学赶超 (issue 19 §3): the county's measures for comparing its villages, and contests (练兵比武, seed 001)
with their results per person or village. The ranking itself is computed on demand (`rankings.measures`)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from yanzhen.core.model_fields import actor_field, county_key, optional_link
from yanzhen.core.models import CountySettings
from yanzhen.core.text import NOTE_MAX, NormalisedCharField, NormalisedTextField
from yanzhen.cultivation.models import OrganisedQuerySet, ParticipantQuerySet


def _weight(verbose_name) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(verbose_name, default=25, validators=[MaxValueValidator(100)])


class RankingSettings(CountySettings):
    """The weight (points of 100) the county gives each measure; 0 leaves a measure out."""

    county = county_key("ranking_settings")
    weight_income_growth = _weight(_("growth of the collective income"))
    weight_coverage = _weight(_("key posts with a reserve"))
    weight_monthly = _weight(_("the committee's monthly scores"))
    weight_satisfaction = _weight(_("villagers' satisfaction"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("comparison measures")
        verbose_name_plural = _("comparison measures")

    def weights(self) -> dict[str, int]:
        return {
            "income_growth": self.weight_income_growth,
            "coverage": self.weight_coverage,
            "monthly": self.weight_monthly,
            "satisfaction": self.weight_satisfaction,
        }


class ContestKind(models.TextChoices):
    PERSON = "person", _("Between people")  # 个人赛
    VILLAGE = "village", _("Between villages")  # 村与村


class ContestQuerySet(OrganisedQuerySet):
    participant_path = "results__village__code"


class ResultQuerySet(ParticipantQuerySet):
    organiser_path = "contest__organiser__code"


class Contest(models.Model):
    """练兵比武: a contest a county or a township holds between cadres or villages. Seen by the organiser's
    jurisdiction and by the jurisdictions of its participants (each his own results)."""

    jurisdiction_path = "organiser__code"

    organiser = models.ForeignKey(
        "divisions.Division", verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="contests"
    )
    name = NormalisedCharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=ContestKind.choices)
    held_on = models.DateField(_("date"))
    subject = NormalisedCharField(_("subject"), max_length=200, blank=True)
    note = NormalisedTextField(_("note"), max_length=NOTE_MAX, blank=True)
    created_by = actor_field()
    history = HistoricalRecords()

    objects = ContestQuerySet.as_manager()

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.name


class ContestResult(models.Model):
    """One result of a contest: a village, or a person (whose village is kept with it)."""

    jurisdiction_path = "village__code"

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="results"
    )
    village = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="contest_results",
    )
    person = optional_link(
        "people.Person", _("person"), on_delete=models.PROTECT, related_name="contest_results"
    )
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    award = NormalisedCharField(_("award"), max_length=50, blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    note = NormalisedCharField(_("note"), max_length=200, blank=True)
    recorded_by = actor_field(_("recorded by"))
    history = HistoricalRecords()

    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("contest result")
        verbose_name_plural = _("contest results")
        ordering = ["contest", "rank", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "person"],
                condition=models.Q(person__isnull=False),
                name="contest_result_person_once",
            ),
            models.UniqueConstraint(
                fields=["contest", "village"],
                condition=models.Q(person__isnull=True),
                name="contest_result_village_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contest} {self.person or self.village}"
