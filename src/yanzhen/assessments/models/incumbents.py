"""Incumbents (在职村干部, seed 001): the county's monthly scoring items (月考评), the monthly scores of each
term, the yearly 双述双评, the county's rules on consecutive monthly grades and the adjustment proposals they
make. Writes go through `assessments.incumbents.services` and `assessments.incumbents.rules`."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from yanzhen.assessments.models.reserves import GRADE_NAMES, Grade, Proposal, ProposalState, one_pending
from yanzhen.core.jurisdiction import ScopedQuerySet
from yanzhen.core.model_fields import actor_field, county_field, person_field
from yanzhen.core.text import LONG_TEXT_MAX, NormalisedCharField, NormalisedTextField

# -- incumbents (在职村干部): monthly scoring (月考评) and the yearly 双述双评 -----------------------------------


def _term_field(related_name: str) -> models.ForeignKey:
    """The incumbent's term a record (a monthly score, a review, a proposal) is about."""
    return models.ForeignKey(
        "posts.Term", verbose_name=_("term"), on_delete=models.PROTECT, related_name=related_name
    )


class IncumbentScoreItem(models.Model):
    """One item of the monthly scoring of incumbents, set per county; a county's items sum to 100
    (enforced by `incumbents.save_score_items`)."""

    jurisdiction_path = "county__code"

    county = county_field("incumbent_score_items")
    name = NormalisedCharField(_("item"), max_length=50)
    points = models.PositiveSmallIntegerField(
        _("points"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly scoring item")
        verbose_name_plural = _("monthly scoring items")
        ordering = ["county", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="score_item_unique_name"),
            models.CheckConstraint(
                condition=Q(points__gte=1) & Q(points__lte=100), name="score_item_points_1_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.points}）"


class MonthlyScore(models.Model):
    """月考评: the score of one incumbent's term for one month. `items` keeps what was scored as it was then
    (item name, its points and the score), so changing the county's items later leaves the past intact."""

    jurisdiction_path = "term__seat__village__code"

    term = _term_field("monthly_scores")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    items = models.JSONField(_("item scores"), default=list)
    total = models.PositiveSmallIntegerField(_("total"))
    note = NormalisedCharField(_("note"), max_length=500, blank=True)
    scored_by = actor_field(_("scored by"))
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly score")
        verbose_name_plural = _("monthly scores")
        ordering = ["-month", "term"]
        constraints = [
            models.UniqueConstraint(fields=["term", "month"], name="monthly_score_one_per_term_month"),
            models.CheckConstraint(condition=Q(total__lte=100), name="monthly_score_total_le_100"),
        ]

    def __str__(self) -> str:
        return f"{self.term} {self.month:%Y-%m} {self.total}"


class AnnualReview(models.Model):
    """双述双评: once a year the incumbent reports to the villagers (述职) and they rate him (评议):
    满意 / 基本满意 / 不满意. `satisfaction` is the share (%) of 满意 and 基本满意 among all ratings."""

    jurisdiction_path = "term__seat__village__code"

    term = _term_field("annual_reviews")
    year = models.PositiveSmallIntegerField(_("year"))
    report_text = NormalisedTextField(_("report to the villagers"), max_length=LONG_TEXT_MAX)
    satisfied = models.PositiveIntegerField(_("satisfied"))
    basically_satisfied = models.PositiveIntegerField(_("basically satisfied"))
    dissatisfied = models.PositiveIntegerField(_("dissatisfied"))
    satisfaction = models.DecimalField(_("satisfaction (%)"), max_digits=5, decimal_places=2)
    reviewed_on = models.DateField(_("reviewed on"))
    recorded_by = actor_field(_("recorded by"))
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual review")
        verbose_name_plural = _("annual reviews")
        ordering = ["-year", "term"]
        constraints = [
            models.UniqueConstraint(fields=["term", "year"], name="annual_review_one_per_term_year"),
        ]

    def __str__(self) -> str:
        return f"{self.term} {self.year}"


# Grades from best to worst: a rule on "基本称职" also counts the months graded 不称职.
GRADE_ORDER = [Grade.EXCELLENT, Grade.COMPETENT, Grade.BASICALLY_COMPETENT, Grade.INCOMPETENT]


def grade_at_or_below(grade: str, floor: str) -> bool:
    return GRADE_ORDER.index(Grade(grade)) >= GRADE_ORDER.index(Grade(floor))


class IncumbentRule(models.Model):
    """A county's rule on incumbents' monthly grades (seed 001: 及时调整不胜任、不称职村干部), e.g. "two
    consecutive months graded 不称职 → an adjustment proposal". Evaluated by `incumbent_rules` with the same
    chain machinery (`chains`) as the reserves' rules of seed 000. Never deleted, only switched off, so the
    proposals it made keep their basis."""

    jurisdiction_path = "county__code"

    county = county_field("incumbent_rules")
    grade = models.CharField(
        _("grade at or below"), max_length=20, choices=Grade.choices, default=Grade.INCOMPETENT
    )
    months = models.PositiveSmallIntegerField(
        _("consecutive months"), default=2, validators=[MinValueValidator(2), MaxValueValidator(12)]
    )
    active = models.BooleanField(_("active"), default=True)
    created_by = actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("rule on incumbents' monthly grades")
        verbose_name_plural = _("rules on incumbents' monthly grades")
        ordering = ["county", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "grade", "months"], name="incumbent_rule_unique_per_county"
            ),
            models.CheckConstraint(
                condition=Q(months__gte=2) & Q(months__lte=12), name="incumbent_rule_months_2_12"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        grade = GRADE_NAMES[Grade(self.grade)]
        floor = grade if self.grade == Grade.INCOMPETENT else f"{grade}及以下"
        return f"连续 {self.months} 个月月考评为“{floor}”→ 提出调整建议"


ADJUSTMENT_STATE_NAMES = {
    ProposalState.PENDING: "待处理",
    ProposalState.CONFIRMED: "已确认调整",
    ProposalState.REJECTED: "已驳回",
    ProposalState.WITHDRAWN: "已撤回",
}


class AdjustmentProposal(Proposal):
    """调整建议: an incumbent's monthly grades met a county rule. The system proposes, a clerk decides:
    confirming ends the term through `posts.services.end_term` (reason 调整); rejecting needs a reason."""

    jurisdiction_path = "term__seat__village__code"

    term = _term_field("adjustment_proposals")
    person = person_field("adjustment_proposals")
    rule = models.ForeignKey(
        IncumbentRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="proposals"
    )
    first_month = models.DateField(_("first month of the streak"))
    last_month = models.DateField(_("last month of the streak"))
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta(Proposal.Meta):
        verbose_name = _("adjustment proposal")
        verbose_name_plural = _("adjustment proposals")
        constraints = [one_pending(["term", "rule"], "adjustment_proposal_one_pending_per_rule")]

    @property
    def state_name(self) -> str:
        return ADJUSTMENT_STATE_NAMES[ProposalState(self.state)]
