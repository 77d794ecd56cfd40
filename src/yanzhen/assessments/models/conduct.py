"""处分 discipline records (seed 003: 防错、审错、容错、纠错; the negative list's "受到党纪政务处分、影响期未满的").

A record names the measure (a 党纪处分 under the Party's disciplinary regulations, or a 政务处分 under the law on
sanctions of public servants), the day it was decided, the body that decided it and the day its 影响期 (the period
during which it bars promotion and recommendation) is over. While it runs, the person is on the negative list:
a reserve in the pool gets a removal proposal (assessments.rules), a candidacy cannot pass 资格审查 (a check the
candidacies app calls through `candidacies.vetting_checks`), and an incumbent is flagged for the township
(stats.warnings "disciplined-incumbents").
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from yanzhen.core.dates import add_months
from yanzhen.core.guards import today
from yanzhen.core.jurisdiction import ScopedQuerySet
from yanzhen.core.model_fields import actor_field, optional_link, person_field
from yanzhen.core.text import NOTE_MAX, NormalisedCharField, NormalisedTextField


class DisciplineKind(models.TextChoices):
    PARTY = "party", _("Party discipline")  # 党纪处分
    GOVERNMENT = "government", _("Administrative sanction")  # 政务处分


class DisciplineMeasure(models.TextChoices):
    PARTY_WARNING = "party_warning", _("Warning (Party)")  # 警告
    PARTY_SERIOUS_WARNING = "party_serious_warning", _("Serious warning")  # 严重警告
    PARTY_POST_REVOKED = "party_post_revoked", _("Removal from Party posts")  # 撤销党内职务
    PARTY_PROBATION = "party_probation", _("Probation within the Party")  # 留党察看
    PARTY_EXPELLED = "party_expelled", _("Expulsion from the Party")  # 开除党籍
    WARNING = "warning", pgettext_lazy("discipline", "Warning")  # 警告
    DEMERIT = "demerit", _("Demerit")  # 记过
    MAJOR_DEMERIT = "major_demerit", _("Major demerit")  # 记大过
    DEMOTION = "demotion", _("Demotion")  # 降级
    DISMISSAL_FROM_POST = "dismissal_from_post", _("Dismissal from post")  # 撤职
    EXPELLED = "expelled", _("Expulsion")  # 开除


MEASURE_KIND = {
    **{measure: DisciplineKind.PARTY for measure in DisciplineMeasure if measure.startswith("party_")},
    **{
        measure: DisciplineKind.GOVERNMENT
        for measure in DisciplineMeasure
        if not measure.startswith("party_")
    },
}
# The months a measure bars promotion and recommendation, used when the clerk gives no end of the 影响期:
# the Party's disciplinary regulations (警告 1 year, 严重警告 1½ years, 撤销党内职务 2 years, 留党察看 its year of
# probation and 2 years after, 开除党籍 5 years before readmission) and the law on sanctions of public servants,
# art. 8 (警告 6 months, 记过 12, 记大过 18, 降级 and 撤职 24; 开除 has no end). A clerk may give the decision's own
# date instead (a longer probation, a decision that says otherwise).
EFFECT_MONTHS: dict[str, int | None] = {
    DisciplineMeasure.PARTY_WARNING: 12,
    DisciplineMeasure.PARTY_SERIOUS_WARNING: 18,
    DisciplineMeasure.PARTY_POST_REVOKED: 24,
    DisciplineMeasure.PARTY_PROBATION: 36,
    DisciplineMeasure.PARTY_EXPELLED: 60,
    DisciplineMeasure.WARNING: 6,
    DisciplineMeasure.DEMERIT: 12,
    DisciplineMeasure.MAJOR_DEMERIT: 18,
    DisciplineMeasure.DEMOTION: 24,
    DisciplineMeasure.DISMISSAL_FROM_POST: 24,
    DisciplineMeasure.EXPELLED: None,
}
MEASURE_NAMES = {
    DisciplineMeasure.PARTY_WARNING: "党内警告",
    DisciplineMeasure.PARTY_SERIOUS_WARNING: "党内严重警告",
    DisciplineMeasure.PARTY_POST_REVOKED: "撤销党内职务",
    DisciplineMeasure.PARTY_PROBATION: "留党察看",
    DisciplineMeasure.PARTY_EXPELLED: "开除党籍",
    DisciplineMeasure.WARNING: "政务警告",
    DisciplineMeasure.DEMERIT: "记过",
    DisciplineMeasure.MAJOR_DEMERIT: "记大过",
    DisciplineMeasure.DEMOTION: "降级",
    DisciplineMeasure.DISMISSAL_FROM_POST: "撤职",
    DisciplineMeasure.EXPELLED: "开除",
}


def default_effect_end(measure: str, decided_on: date) -> date | None:
    months = EFFECT_MONTHS.get(measure)
    return None if months is None else add_months(decided_on, months)


class DisciplineQuerySet(ScopedQuerySet):
    def running(self, on: date) -> DisciplineQuerySet:
        """Records whose 影响期 runs on the day: decided on or before it, over after it (or never), and not
        exempted by a 容错免责 determination (the one place every effect of a record reads)."""
        return self.filter(
            Q(effect_ends_on__isnull=True) | Q(effect_ends_on__gt=on), decided_on__lte=on
        ).exclude(tolerance_cases__determination=ToleranceDetermination.EXEMPTED)


class DisciplineRecord(models.Model):
    """处分记录: one measure against one person, with the day its 影响期 is over (the first day it no longer
    bars him; empty for a measure without end such as 开除)."""

    jurisdiction_path = "person__village__code"

    person = person_field("discipline_records")
    kind = models.CharField(_("kind of measure"), max_length=12, choices=DisciplineKind.choices)
    measure = models.CharField(_("measure"), max_length=24, choices=DisciplineMeasure.choices)
    decided_on = models.DateField(_("date of the measure"))
    issuer = NormalisedCharField(_("issuing body"), max_length=100)
    document_number = NormalisedCharField(_("document number"), max_length=100, blank=True)
    matter = NormalisedTextField(_("facts of the violation"), blank=True, max_length=NOTE_MAX)
    effect_ends_on = models.DateField(_("influence period over on"), null=True, blank=True)
    created_by = actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = DisciplineQuerySet.as_manager()

    class Meta:
        verbose_name = _("discipline record")
        verbose_name_plural = _("discipline records")
        ordering = ["person", "-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effect_ends_on__isnull=True) | Q(effect_ends_on__gt=models.F("decided_on")),
                name="discipline_effect_ends_after_decision",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.measure_name}"

    @property
    def measure_name(self) -> str:
        return MEASURE_NAMES[DisciplineMeasure(self.measure)]

    def runs_on(self, day: date) -> bool:
        in_period = self.decided_on <= day and (self.effect_ends_on is None or day < self.effect_ends_on)
        return in_period and not self.exempted

    @property
    def exempted(self) -> bool:
        return any(
            case.determination == ToleranceDetermination.EXEMPTED for case in self.tolerance_cases.all()
        )

    @property
    def runs_today(self) -> bool:
        return self.runs_on(today())

    def describe(self) -> str:
        """受到党内严重警告处分（2025-03-01，中共盐池县纪委），影响期至 2026-09-01"""
        end = f"，影响期至 {self.effect_ends_on:%Y-%m-%d}" if self.effect_ends_on else "，无影响期届满日"
        return f"受到{self.measure_name}处分（{self.decided_on:%Y-%m-%d}，{self.issuer}）{end}"


# -- 容错免责 (seed 003: 防错、审错、容错、纠错) ---------------------------------------------------------------------


class ToleranceDetermination(models.TextChoices):
    PENDING = "pending", _("Awaiting the county's determination")  # 待认定
    EXEMPTED = "exempted", _("Exempted")  # 予以免责
    REFUSED = "refused", _("Not exempted")  # 不予免责


class ToleranceCase(models.Model):
    """容错免责: a cadre (or someone for him) applies for a matter to be tolerated; the county determines it. A
    determination of 免责 takes the grade or the 处分 the case concerns out of the rules: the assessment no
    longer counts in a chain of consecutive grades, the record no longer puts him on the negative list."""

    jurisdiction_path = "person__village__code"

    person = person_field("tolerance_cases")
    matter = NormalisedTextField(_("matter"), max_length=NOTE_MAX)
    applied_on = models.DateField(_("applied on"))
    application = NormalisedTextField(_("grounds of the application"), blank=True, max_length=NOTE_MAX)
    assessment = optional_link(
        "assessments.Assessment",
        _("assessment concerned"),
        related_name="tolerance_cases",
    )
    discipline = optional_link(
        DisciplineRecord,
        _("discipline record concerned"),
        related_name="tolerance_cases",
    )
    determination = models.CharField(
        _("determination"),
        max_length=10,
        choices=ToleranceDetermination.choices,
        default=ToleranceDetermination.PENDING,
    )
    determined_on = models.DateField(_("determined on"), null=True, blank=True)
    reasoning = NormalisedTextField(_("reasoning of the determination"), blank=True, max_length=NOTE_MAX)
    determined_by = actor_field(_("determined by"), blank=True)
    created_by = actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("tolerance case")
        verbose_name_plural = _("tolerance cases")
        ordering = ["person", "-applied_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(determination="pending") | Q(determined_on__isnull=False),
                name="tolerance_determined_on_its_day",
            ),
            # One case open or granted per record: a refused one may be followed by a new application.
            models.UniqueConstraint(
                fields=["assessment"],
                condition=Q(assessment__isnull=False) & ~Q(determination="refused"),
                name="tolerance_one_live_case_per_assessment",
            ),
            models.UniqueConstraint(
                fields=["discipline"],
                condition=Q(discipline__isnull=False) & ~Q(determination="refused"),
                name="tolerance_one_live_case_per_discipline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.matter[:20]}"

    def concerns(self) -> str:
        """What the case would take out of the rules, in words."""
        record = self.assessment if self.assessment_id is not None else self.discipline
        return concern_label(record) if record is not None else ""


def concern_label(record) -> str:
    """A grade or a 处分 a 容错免责 case may concern, in words: "2024年上半年考核“不称职”", "2026-06-01 党内警告处分"."""
    if isinstance(record, DisciplineRecord):
        return f"{record.decided_on:%Y-%m-%d} {record.measure_name}处分"
    return f"{record.period.name}考核“{record.get_grade_display()}”"
