"""待遇保障 pay and welfare of sitting village cadres (seed 001: 报酬与绩效挂钩、养老医疗保险、离任生活补贴).

Per county: the pay scheme of each post type (`PayScheme`: monthly base, allowance and the base of the
performance share, effective from a month) and the rule turning a month's grade into a share of that base
(`PerformanceRule`, effective from a month; 100/80/50/0 % until the county saves its own), so a change never
rewrites a past month's sheet; the insurance kinds every incumbent must hold (`WelfareSettings`); the rule of
the 离任生活补贴 (`AllowanceRule`, one row per county, its history kept by simple-history). Per person: insurance
policies and yearly health checks. Nothing is paid here: `pay.py` computes a township's monthly sheet and
`allowance.py` the register of former cadres, both on demand from the rules as they stand.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from yanzhen.core.jurisdiction import ScopedQuerySet
from yanzhen.core.model_fields import actor_field, county_field, county_key, person_field
from yanzhen.core.models import CountySettings
from yanzhen.core.text import NOTE_MAX, NormalisedCharField

MONEY_MAX = Decimal("100000")  # yuan a month: far above any village cadre's pay, a typo guard


def _money(verbose_name) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MONEY_MAX)],
    )


def _percent(verbose_name, default: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name, default=default, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )


def _first_of_month(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(effective_from__day=1), name=name)


class PayScheme(models.Model):
    """报酬标准: what one post type of a county is paid a month from `effective_from` (the first day of a
    month) until the county's next scheme for the post type. 绩效基数 is the amount a month graded at 100 %
    earns on top of the base and the allowance."""

    jurisdiction_path = "county__code"

    county = county_field("pay_schemes")
    post_type = models.ForeignKey(
        "posts.PostType", verbose_name=_("post"), on_delete=models.PROTECT, related_name="pay_schemes"
    )
    effective_from = models.DateField(_("effective from (month)"))
    base = _money(_("base pay"))
    allowance = _money(_("allowance"))
    performance = _money(_("performance base"))
    created_by = actor_field()
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("pay scheme")
        verbose_name_plural = _("pay schemes")
        ordering = ["county", "post_type__order", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "post_type", "effective_from"], name="pay_scheme_one_per_post_month"
            ),
            _first_of_month("pay_scheme_from_first_of_month"),
            models.CheckConstraint(
                condition=Q(base__gte=0) & Q(allowance__gte=0) & Q(performance__gte=0),
                name="pay_scheme_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post_type} {self.effective_from:%Y-%m}"


class PerformanceRule(models.Model):
    """绩效比例: the share (%) of the performance base a month's grade earns, from `effective_from` on. A county
    without a rule for a month uses the defaults (an unsaved row)."""

    jurisdiction_path = "county__code"

    county = county_field("performance_rules")
    effective_from = models.DateField(_("effective from (month)"))
    excellent = _percent(_("excellent (%)"), 100)
    competent = _percent(_("competent (%)"), 80)
    basically_competent = _percent(_("basically competent (%)"), 50)
    incompetent = _percent(_("incompetent (%)"), 0)
    created_by = actor_field(blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("performance pay rule")
        verbose_name_plural = _("performance pay rules")
        ordering = ["county", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "effective_from"], name="performance_rule_one_per_month"
            ),
            _first_of_month("performance_rule_from_first_of_month"),
            models.CheckConstraint(
                condition=Q(excellent__lte=100)
                & Q(competent__lte=100)
                & Q(basically_competent__lte=100)
                & Q(incompetent__lte=100),
                name="performance_rule_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.county_id} {self.effective_from:%Y-%m}"

    def percent(self, grade: str) -> int:
        """The share of a grade (`assessments.models.Grade` value)."""
        return int(getattr(self, grade))


class InsuranceKind(models.TextChoices):
    PENSION = "pension", _("Pension insurance")  # 养老保险
    MEDICAL = "medical", _("Medical insurance")  # 医疗保险
    ACCIDENT = "accident", _("Personal accident insurance")  # 人身意外伤害保险


INSURANCE_NAMES = {
    InsuranceKind.PENSION: "养老保险",
    InsuranceKind.MEDICAL: "医疗保险",
    InsuranceKind.ACCIDENT: "人身意外伤害保险",
}


class WelfareSettings(CountySettings):
    """What a county requires of every sitting cadre: the insurance kinds he must hold (养老 and 医疗 by
    default; the warning `uninsured-incumbents` reads them)."""

    county = county_key("welfare_settings")
    require_pension = models.BooleanField(_("pension insurance required"), default=True)
    require_medical = models.BooleanField(_("medical insurance required"), default=True)
    require_accident = models.BooleanField(_("personal accident insurance required"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("welfare settings of a county")
        verbose_name_plural = _("welfare settings of counties")

    @property
    def required_kinds(self) -> list[str]:
        flags = {
            InsuranceKind.PENSION: self.require_pension,
            InsuranceKind.MEDICAL: self.require_medical,
            InsuranceKind.ACCIDENT: self.require_accident,
        }
        return [str(kind) for kind, required in flags.items() if required]


def default_disqualifying() -> list[str]:
    return ["dismissed"]


def default_bands() -> list[list]:
    return [[10, "300.00"], [15, "500.00"]]


class AllowanceRule(CountySettings):
    """离任生活补贴: who among the county's former cadres receives a monthly living allowance. Years served in
    the qualifying posts (the key posts, 村党组织书记 and 村委会主任, when `post_types` is empty) decide the
    band; the lowest band's years are the minimum; he receives it from the later of leaving and reaching
    `min_age`, unless a qualifying term ended for a disqualifying reason (`disqualifying`: term end
    reasons; 免职/罢免 by default). One row per county, its history kept; the register is computed from it
    on demand (`allowance.register`), so a change of rule recomputes the register."""

    county = county_key("allowance_rule")
    min_age = models.PositiveSmallIntegerField(
        _("age reached"), default=60, validators=[MinValueValidator(18), MaxValueValidator(100)]
    )
    post_types = models.JSONField(_("qualifying posts"), default=list, blank=True)
    disqualifying = models.JSONField(
        _("disqualifying end reasons"), default=default_disqualifying, blank=True
    )
    bands = models.JSONField(_("monthly amount by years served"), default=default_bands)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("living allowance rule")
        verbose_name_plural = _("living allowance rules")

    @property
    def band_list(self) -> list[tuple[int, Decimal]]:
        """The bands as (years from, monthly amount), ascending."""
        return sorted((int(years), Decimal(str(amount))) for years, amount in self.bands)

    @property
    def min_years(self) -> int | None:
        bands = self.band_list
        return bands[0][0] if bands else None

    def amount_for(self, years: int) -> Decimal | None:
        """The monthly amount for completed years served, None below the lowest band."""
        found = None
        for start, amount in self.band_list:
            if years >= start:
                found = amount
        return found


class PolicyQuerySet(ScopedQuerySet):
    def running(self, on: date) -> PolicyQuerySet:
        """Policies covering the day: started on or before it, and not ended before it."""
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on), starts_on__lte=on)


class InsurancePolicy(models.Model):
    """One insurance a person holds (养老, 医疗 or 人身意外), from `starts_on` to `ends_on` (the last day
    covered; empty while it runs on)."""

    jurisdiction_path = "person__village__code"

    person = person_field("insurance_policies")
    kind = models.CharField(_("kind of insurance"), max_length=12, choices=InsuranceKind.choices)
    insurer = NormalisedCharField(_("insurer or scheme"), max_length=100)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("last day covered"), null=True, blank=True)
    note = NormalisedCharField(_("note"), max_length=NOTE_MAX, blank=True)
    created_by = actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = PolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("insurance policy")
        verbose_name_plural = _("insurance policies")
        ordering = ["person", "kind", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="insurance_policy_end_after_start",
            )
        ]
        indexes = [models.Index(fields=["person", "kind"], name="insurance_policy_person_kind")]

    def __str__(self) -> str:
        return f"{self.person} {INSURANCE_NAMES[InsuranceKind(self.kind)]}"

    @property
    def kind_name(self) -> str:
        return INSURANCE_NAMES[InsuranceKind(self.kind)]

    def runs_on(self, on: date) -> bool:
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)


class HealthCheck(models.Model):
    """One yearly health check of a person: the day and the institution. The findings are health data, a
    sensitive kind of personal information (PIPL art. 28); the organisation department needs to know that the
    check took place, not what it found, so they are not stored."""

    jurisdiction_path = "person__village__code"

    person = person_field("health_checks")
    checked_on = models.DateField(_("date of the check"))
    institution = NormalisedCharField(_("institution"), max_length=100)
    created_by = actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("health check")
        verbose_name_plural = _("health checks")
        ordering = ["person", "-checked_on"]
        indexes = [models.Index(fields=["person", "checked_on"], name="health_check_person_day")]

    def __str__(self) -> str:
        return f"{self.person} {self.checked_on}"
