"""Divisions (区划): the tree province → city → county → township → village unit, keyed by the code."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from yanzhen.core.jurisdiction import ScopedQuerySet
from yanzhen.core.model_fields import actor_field
from yanzhen.core.models import VocabularyEntry
from yanzhen.core.text import NormalisedCharField
from yanzhen.divisions.codes import CODE_LENGTH, Level, UnitKind


class VillageTag(VocabularyEntry):
    """A configurable village type tag: 示范村, 明星村, 脱贫村, 软弱涣散村 ..."""

    class Meta(VocabularyEntry.Meta):
        verbose_name = _("village tag")
        verbose_name_plural = _("village tags")


class Industry(VocabularyEntry):
    """The configurable vocabulary of industries (葡萄、黄精、滩羊、电商 ...), shared by villages and people."""

    class Meta(VocabularyEntry.Meta):
        verbose_name = _("industry")
        verbose_name_plural = _("industries")


# 行政村: the 村委会 (and units like one, where farms count).
ADMINISTRATIVE_VILLAGE = models.Q(kind__in=[UnitKind.VILLAGE_COMMITTEE, UnitKind.VILLAGE_LIKE])


class DivisionQuerySet(ScopedQuerySet):
    def villages(self) -> DivisionQuerySet:
        return self.filter(level=Level.VILLAGE)

    def administrative_villages(self) -> DivisionQuerySet:
        """行政村: the 村委会 (and units like one, where farms count)."""
        return self.filter(ADMINISTRATIVE_VILLAGE)

    def under(self, code: str) -> DivisionQuerySet:
        return self.filter(code__startswith=code)


def _degrees(verbose_name, bound: int) -> models.DecimalField:
    """A latitude or a longitude, in degrees to the millionth, between -bound and bound; may be empty."""
    return models.DecimalField(
        verbose_name,
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-bound), MaxValueValidator(bound)],
    )


class Division(models.Model):
    """One unit of the statistical division tree. The code is a materialised path of its ancestors."""

    jurisdiction_path = "code"

    code = models.CharField(_("division code"), max_length=12, primary_key=True)
    name = NormalisedCharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices, blank=True, default="")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        db_constraint=False,  # the tree is checked by the importer; rows arrive in any batch order
    )
    tags = models.ManyToManyField(
        VillageTag, verbose_name=_("type tags"), blank=True, related_name="divisions"
    )
    industries = models.ManyToManyField(
        Industry, verbose_name=_("main industries"), blank=True, related_name="divisions"
    )
    collective_income = models.DecimalField(
        _("collective income (10,000 yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("村集体经济收入, in 10,000 yuan per year."),
    )
    latitude = _degrees(_("latitude"), 90)
    longitude = _degrees(_("longitude"), 180)

    objects = DivisionQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[tags, industries])
    # The number of children, where divisions.selectors.children_of annotated it (and tree() set it).
    child_count: int

    class Meta:
        verbose_name = _("division")
        verbose_name_plural = _("divisions")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "code"], name="division_parent_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def full_code(self) -> str:
        """The 12-digit form used in statistics tables (640323 → 640323000000)."""
        return self.code.ljust(CODE_LENGTH[Level.VILLAGE], "0")

    @property
    def is_village(self) -> bool:
        return self.level == Level.VILLAGE

    @property
    def is_administrative_village(self) -> bool:
        return self.kind in (UnitKind.VILLAGE_COMMITTEE, UnitKind.VILLAGE_LIKE)

    def ancestors(self) -> list[Division]:
        from yanzhen.divisions.codes import ancestor_codes

        by_code = Division.objects.in_bulk(ancestor_codes(self.code))
        return [by_code[c] for c in ancestor_codes(self.code) if c in by_code]


# The years a village's income may be recorded for.
FIRST_INCOME_YEAR = 1949
LAST_INCOME_YEAR = 2100


class VillageIncome(models.Model):
    """村集体经济收入 of one village for one year (issue 19 §2), in 10,000 yuan. The series is the record;
    `Division.collective_income` is a copy of its latest year, kept by `divisions.income` (the only writer),
    so the matching, the statistics and the API read one value as before."""

    jurisdiction_path = "village__code"

    village = models.ForeignKey(
        Division, verbose_name=_("village"), on_delete=models.PROTECT, related_name="incomes"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_INCOME_YEAR), MaxValueValidator(LAST_INCOME_YEAR)]
    )
    amount = models.DecimalField(
        _("collective income (10,000 yuan)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    note = NormalisedCharField(_("note"), max_length=200, blank=True)
    recorded_by = actor_field(_("recorded by"))
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("yearly collective income")
        verbose_name_plural = _("yearly collective incomes")
        ordering = ["village", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="village_income_one_per_year"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="village_income_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.year}"
