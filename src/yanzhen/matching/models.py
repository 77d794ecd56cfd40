"""人岗相适 (seed 002): what each village lacks (村级需求清单), the county's weights of the criteria that
match the pool (人才供给清单) to it, and placement plans that assign many reserves at once.

A village without a saved demand list has a default one proposed from its industries and its gaps
(`matching.demand.propose`); saving it (township or county) makes it the village's own, with history.
A placement plan is computed and stored for approval; only its approval writes secondments or mentorships,
through the cultivation app's services.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from yanzhen.core.jurisdiction import ScopedQuerySet
from yanzhen.core.model_fields import actor_field, county_key, optional_link, person_field
from yanzhen.core.models import CountySettings
from yanzhen.core.text import LONG_TEXT_MAX, NOTE_MAX, NormalisedCharField, NormalisedTextField
from yanzhen.people.codes import EducationBand, Gender


class VillageDemand(models.Model):
    """村级需求清单: the posts of a village that need reserves and the profile it wants."""

    jurisdiction_path = "village__code"

    village = models.OneToOneField(
        "divisions.Division",
        verbose_name=_("village"),
        primary_key=True,
        on_delete=models.PROTECT,
        related_name="demand",
    )
    posts = models.ManyToManyField(
        "posts.PostType", verbose_name=_("posts needing reserves"), blank=True, related_name="+"
    )
    skills = models.ManyToManyField(
        "people.Skill", verbose_name=_("skills wanted"), blank=True, related_name="+"
    )
    industries = models.ManyToManyField(
        "divisions.Industry", verbose_name=_("industries wanted"), blank=True, related_name="+"
    )
    minimum_age = models.PositiveSmallIntegerField(
        _("preferred minimum age"), null=True, blank=True, validators=[MinValueValidator(18)]
    )
    maximum_age = models.PositiveSmallIntegerField(
        _("preferred maximum age"), null=True, blank=True, validators=[MaxValueValidator(70)]
    )
    education_band = models.CharField(
        _("preferred education"), max_length=20, choices=EducationBand.choices, blank=True
    )
    preferred_gender = models.CharField(
        _("preferred sex (for balance)"), max_length=1, choices=Gender.choices, blank=True
    )
    notes = NormalisedTextField(_("notes"), blank=True, max_length=NOTE_MAX)
    updated_by = actor_field(_("updated by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[posts, skills, industries], excluded_fields=["updated_at"])

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("village demand list")
        verbose_name_plural = _("village demand lists")
        ordering = ["village_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True)
                | Q(maximum_age__isnull=True)
                | Q(maximum_age__gte=models.F("minimum_age")),
                name="demand_age_band_ordered",
            )
        ]

    def __str__(self) -> str:
        return str(self.village)


class MatchingWeights(CountySettings):
    """The points a county gives each criterion of the ranking; `scoring.weights_for` gives the defaults (an
    unsaved row) while the county has set none."""

    county = county_key("matching_weights")
    skill_points = models.PositiveSmallIntegerField(_("each wanted skill the reserve has"), default=20)
    industry_points = models.PositiveSmallIntegerField(
        _("each wanted industry the reserve knows"), default=15
    )
    experience_points = models.PositiveSmallIntegerField(_("industry experience"), default=5)
    ready_points = models.PositiveSmallIntegerField(_("ready now"), default=20)
    soon_points = models.PositiveSmallIntegerField(_("ready in 1–2 years"), default=10)
    target_post_points = models.PositiveSmallIntegerField(
        _("already a reserve for this post of this village"), default=10
    )
    two_excellent_points = models.PositiveSmallIntegerField(_("last two assessments excellent"), default=15)
    one_excellent_points = models.PositiveSmallIntegerField(_("last assessment excellent"), default=8)
    incompetent_points = models.PositiveSmallIntegerField(
        _("last assessment incompetent (subtracted)"), default=10
    )
    training_points = models.PositiveSmallIntegerField(_("each completed training"), default=5)
    training_limit = models.PositiveSmallIntegerField(
        _("completed trainings counted at most"), default=3, validators=[MaxValueValidator(20)]
    )
    age_points = models.PositiveSmallIntegerField(_("age in the preferred band"), default=5)
    education_points = models.PositiveSmallIntegerField(_("preferred education"), default=5)
    gender_points = models.PositiveSmallIntegerField(_("preferred sex"), default=5)
    same_village_points = models.PositiveSmallIntegerField(_("same village"), default=15)
    same_township_points = models.PositiveSmallIntegerField(_("same township"), default=10)
    neighbour_points = models.PositiveSmallIntegerField(_("neighbouring township"), default=5)
    neighbour_km = models.PositiveSmallIntegerField(
        _("neighbouring township: at most this many kilometres"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    host_capacity = models.PositiveSmallIntegerField(
        _("reserves one host village takes in a plan"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("matching weights of a county")
        verbose_name_plural = _("matching weights of counties")


class PlacementKind(models.TextChoices):
    SECONDMENT = "secondment", _("Secondment to a model village")  # 挂职锻炼
    CROSS_VILLAGE = "cross_village", _("Post in another village")  # 跨村任职
    MENTORING = "mentoring", _("Mentor pairing")  # 导师结对


class PlanState(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    DISCARDED = "discarded", _("Discarded")


class PlacementPlan(models.Model):
    """An optimal assignment of a township's or a county's reserves to hosts or mentors, kept for approval.
    `greedy_score` is what the best-pair-first rule would have reached on the same data, for comparison."""

    jurisdiction_path = "division__code"

    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("township or county"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PlacementKind.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=PlanState.choices, default=PlanState.PROPOSED, db_index=True
    )
    start = models.DateField(_("start date"))
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    mode = NormalisedCharField(_("mode"), max_length=20, blank=True)
    post_title = NormalisedCharField(_("post held at the host"), max_length=50, blank=True)
    goals = NormalisedTextField(_("goals"), max_length=LONG_TEXT_MAX)
    capacity = models.PositiveSmallIntegerField(_("capacity of each host or mentor"))
    total_score = models.IntegerField(_("total score"), default=0)
    greedy_score = models.IntegerField(_("total score of the greedy plan"), null=True, blank=True)
    greedy_unplaced = models.PositiveIntegerField(_("reserves the greedy plan left out"), default=0)
    skipped = models.PositiveIntegerField(_("reserves left out as already placed"), default=0)
    created_by = actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_by = actor_field(_("decided by"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("placement plan")
        verbose_name_plural = _("placement plans")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.division} {self.get_kind_display()} {self.created_at:%Y-%m-%d}"


class PlacementRow(models.Model):
    """One reserve of a plan with the host village or the mentor chosen for him, the score and its parts
    (a list of [label, points]). The record written on approval is linked back."""

    jurisdiction_path = "plan__division__code"

    plan = models.ForeignKey(
        PlacementPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="rows"
    )
    person = person_field("+", _("reserve"))
    host = optional_link("divisions.Division", _("host village"), on_delete=models.PROTECT)
    mentor = optional_link("cultivation.Mentor", _("mentor"), on_delete=models.PROTECT)
    score = models.IntegerField(_("match score"))
    parts = models.JSONField(_("parts of the score"), default=list)
    secondment = optional_link("cultivation.Secondment", _("secondment"))
    mentorship = optional_link("cultivation.Mentorship", _("mentorship"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("placement row")
        verbose_name_plural = _("placement rows")
        ordering = ["plan", "-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "person"], name="placement_row_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.host or self.mentor}"

    @property
    def part_texts(self) -> list[str]:
        return [f"{label} {points:+d}" for label, points in self.parts]
