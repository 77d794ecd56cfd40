"""管 Manage: semiannual reports (思想工作汇报), assessments (考核), the proposals and listings the rules of
seed 000 produce from them, check-up campaigns (回头看) and commendations (表彰奖励).

Writes go through `assessments.services`; the rules live in `assessments.rules`. A report or an assessment
belongs to a person and a period (`periods.Period`: a year and a half, half 0 for the whole year).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from yanzhen.assessments.periods import Half, Period, PeriodKind
from yanzhen.core.jurisdiction import ScopedQuerySet, jurisdiction_prefix
from yanzhen.core.model_fields import (
    actor_field,
    county_field,
    county_key,
    end_after_start,
    optional_link,
    person_field,
)
from yanzhen.core.models import CountySettings
from yanzhen.core.text import LONG_TEXT_MAX, NOTE_MAX, NormalisedCharField, NormalisedTextField

SCORE_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")  # 优秀
    COMPETENT = "competent", _("Competent")  # 称职
    BASICALLY_COMPETENT = "basically_competent", _("Basically competent")  # 基本称职
    INCOMPETENT = "incompetent", _("Incompetent")  # 不称职


GRADE_NAMES = {
    Grade.EXCELLENT: "优秀",
    Grade.COMPETENT: "称职",
    Grade.BASICALLY_COMPETENT: "基本称职",
    Grade.INCOMPETENT: "不称职",
}

# The four dimensions of the check-up (seed 002), scored 0–100 in assessments and check-ups alike.
DIMENSIONS = {
    "political_score": "思想政治",
    "ability_score": "履职能力",
    "conduct_score": "工作作风",
    "reputation_score": "群众口碑",
}


# The 五强 set of seed 003 (…选拔政治意识强、担当作为强、发展本领强、治理能力强、作风纪律强的“五强”型…): the preset a county
# may switch to on its settings page, each weighing 20. Keys are fixed so that the preset can be applied again.
WUQIANG = {
    "wq_political": "政治意识强",
    "wq_responsibility": "担当作为强",
    "wq_development": "发展本领强",
    "wq_governance": "治理能力强",
    "wq_discipline": "作风纪律强",
}


def _score(label):
    return models.PositiveSmallIntegerField(label, null=True, blank=True, validators=SCORE_VALIDATORS)


def _score_constraints(prefix: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__lte": 100}),
            name=f"{prefix}_{name}_at_most_100",
        )
        for name in DIMENSIONS
    ]


class AssessmentSettings(CountySettings):
    """What a county (县委组织部) sets for reports and assessments; `rules.settings_for` gives the defaults
    when the county has set nothing."""

    county = county_key("assessment_settings")
    report_due_days = models.PositiveSmallIntegerField(
        _("days after the half-year a report is due"),
        default=15,
        validators=[MaxValueValidator(180)],
    )
    period_kind = models.CharField(
        _("assessment period"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.HALF_YEAR
    )
    weight_political = models.PositiveSmallIntegerField(_("weight of political quality"), default=25)
    weight_ability = models.PositiveSmallIntegerField(_("weight of ability to perform duties"), default=25)
    weight_conduct = models.PositiveSmallIntegerField(_("weight of work style"), default=25)
    weight_reputation = models.PositiveSmallIntegerField(
        _("weight of reputation among villagers"), default=25
    )
    # 月考评 bands: a monthly total at or above a floor earns that grade; below the lowest floor is 不称职.
    monthly_excellent_min = models.PositiveSmallIntegerField(
        _("lowest monthly total graded excellent"), default=90, validators=[MaxValueValidator(100)]
    )
    monthly_competent_min = models.PositiveSmallIntegerField(
        _("lowest monthly total graded competent"), default=70, validators=[MaxValueValidator(100)]
    )
    monthly_basic_min = models.PositiveSmallIntegerField(
        _("lowest monthly total graded basically competent"), default=60, validators=[MaxValueValidator(100)]
    )
    excellent_cap_percent = models.PositiveSmallIntegerField(
        _("cap on the share of excellent grades per township (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Empty: no cap."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment settings of a county")
        verbose_name_plural = _("assessment settings of counties")

    def monthly_grade(self, total: int) -> str:
        """The grade of a monthly total (月考评) under the county's bands."""
        if total >= self.monthly_excellent_min:
            return Grade.EXCELLENT
        if total >= self.monthly_competent_min:
            return Grade.COMPETENT
        if total >= self.monthly_basic_min:
            return Grade.BASICALLY_COMPETENT
        return Grade.INCOMPETENT

    @property
    def weights(self) -> dict[str, int]:
        return {
            "political_score": self.weight_political,
            "ability_score": self.weight_ability,
            "conduct_score": self.weight_conduct,
            "reputation_score": self.weight_reputation,
        }


class AssessmentDimension(models.Model):
    """One dimension a county scores its reserves on (assessments and check-ups alike). A county with no row
    uses the default four (`DIMENSIONS`) with the weights of its `AssessmentSettings`; once it saves its list
    (`services.save_dimensions`), its active rows are what it scores, their weights summing to 100. Rows are
    switched off, never deleted; what was scored keeps its own copy (`Assessment.scores`)."""

    jurisdiction_path = "county__code"

    county = county_field("assessment_dimensions")
    key = models.SlugField(_("dimension key"), max_length=40)
    name = NormalisedCharField(_("dimension"), max_length=50)
    weight = models.PositiveSmallIntegerField(_("weight"), validators=[MaxValueValidator(100)])
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment dimension")
        verbose_name_plural = _("assessment dimensions")
        ordering = ["county", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["county", "key"], name="assessment_dimension_unique_key"),
            models.UniqueConstraint(fields=["county", "name"], name="assessment_dimension_unique_name"),
            models.CheckConstraint(
                condition=Q(weight__lte=100), name="assessment_dimension_weight_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.weight}）"


def _scores_field() -> models.JSONField:
    """What was scored as it was then: [{"key", "name", "weight", "score"}] per dimension, so that renaming or
    reweighting a county's dimensions later leaves the past intact (as `MonthlyScore.items`)."""
    return models.JSONField(_("dimension scores"), default=list, blank=True)


class SelfServiceLink(models.Model):
    """Ties a reserve's login (role "reserve", division = his village) to his own archive, so that he can
    submit his reports himself. Kept here rather than on the user: accounts knows nothing of people."""

    jurisdiction_path = "person__village__code"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="self_service_link",
    )
    person = models.OneToOneField(
        "people.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="self_service_link"
    )
    created_by = actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("self-service link")
        verbose_name_plural = _("self-service links")

    def __str__(self) -> str:
        return f"{self.user} → {self.person}"


class ReportChannel(models.TextChoices):
    SELF = "self", _("Submitted by the reserve")  # 本人提交
    CLERK = "clerk", _("Entered by a clerk")  # 代为录入


class SemiannualReport(models.Model):
    """思想工作汇报: every reserve reports to the village party branch every half year (seed 000)."""

    jurisdiction_path = "person__village__code"

    person = person_field("semiannual_reports")
    year = models.PositiveSmallIntegerField(_("year"))
    half = models.PositiveSmallIntegerField(_("half-year"), choices=Half.choices)
    text = NormalisedTextField(_("report"), max_length=LONG_TEXT_MAX)
    attachment = models.FileField(_("attachment"), upload_to="reports/%Y/", blank=True)
    attachment_content_type = NormalisedCharField(_("attachment content type"), max_length=100, blank=True)
    channel = models.CharField(_("submitted how"), max_length=10, choices=ReportChannel.choices)
    submitted_by = actor_field(_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"))
    reviewed_by = actor_field(_("reviewed by"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = NormalisedTextField(_("review comment"), blank=True, max_length=LONG_TEXT_MAX)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("semiannual report")
        verbose_name_plural = _("semiannual reports")
        ordering = ["-year", "-half", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year", "half"], name="report_one_per_person_half"),
            models.CheckConstraint(condition=Q(half__in=[1, 2]), name="report_half_is_a_half"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.period}"

    @property
    def period(self) -> Period:
        return Period(self.year, self.half)

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None


class Assessment(models.Model):
    """考核 of one reserve for one period: the grade decides the rules; scores on the county's dimensions
    (`scores`, the default four also in their own columns) give a weighted total by the weights of the time."""

    jurisdiction_path = "person__village__code"

    person = person_field("assessments")
    year = models.PositiveSmallIntegerField(_("year"))
    half = models.PositiveSmallIntegerField(_("period"), choices=Half.choices)
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices)
    political_score = _score(_("political quality"))  # 思想政治
    ability_score = _score(_("ability to perform duties"))  # 履职能力
    conduct_score = _score(_("work style"))  # 工作作风
    reputation_score = _score(_("reputation among villagers"))  # 群众口碑
    scores = _scores_field()
    weighted_total = models.DecimalField(
        _("weighted total"), max_digits=5, decimal_places=2, null=True, blank=True, editable=False
    )
    industry_evidence = NormalisedTextField(
        _("industrial development cases"), blank=True, max_length=LONG_TEXT_MAX
    )  # 产业发展
    mediation_evidence = NormalisedTextField(
        _("dispute mediation cases"), blank=True, max_length=LONG_TEXT_MAX
    )  # 矛盾调解
    emergency_evidence = NormalisedTextField(
        _("emergency response cases"), blank=True, max_length=LONG_TEXT_MAX
    )  # 应急处突
    votes_excellent = models.PositiveIntegerField(
        _("democratic evaluation: excellent votes"), null=True, blank=True
    )
    votes_competent = models.PositiveIntegerField(
        _("democratic evaluation: competent votes"), null=True, blank=True
    )
    votes_basically_competent = models.PositiveIntegerField(
        _("democratic evaluation: basically competent votes"), null=True, blank=True
    )
    votes_incompetent = models.PositiveIntegerField(
        _("democratic evaluation: incompetent votes"), null=True, blank=True
    )
    assessor = NormalisedCharField(_("assessor"), max_length=100)
    assessed_on = models.DateField(_("assessed on"))
    entered_by = actor_field(_("entered by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-year", "-half", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year", "half"], name="assessment_one_per_person_period"
            ),
            models.CheckConstraint(
                condition=Q(grade__in=["excellent", "competent", "basically_competent", "incompetent"]),
                name="assessment_grade_in_list",
            ),
            *_score_constraints("assessment"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.period} {self.get_grade_display()}"

    @property
    def period(self) -> Period:
        return Period(self.year, self.half)


class ProposalBasis(models.TextChoices):
    ASSESSMENTS = "assessments", _("Two consecutive incompetent grades")  # 连续两次考核不称职
    CHECKUP = "checkup", _("Check-up concluded: adjust out of the pool")  # 回头看：调整出库
    DISCIPLINE = "discipline", _("Disciplined, influence period running")  # 受到处分，影响期未满


class ProposalState(models.TextChoices):
    PENDING = "pending", _("Awaiting a decision")
    CONFIRMED = "confirmed", _("Confirmed: removed from the pool")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn: its basis no longer holds")


PROPOSAL_STATE_NAMES = {
    ProposalState.PENDING: "待处理",
    ProposalState.CONFIRMED: "已确认出库",
    ProposalState.REJECTED: "已驳回",
    ProposalState.WITHDRAWN: "已撤回",
}


class Proposal(models.Model):
    """What a rule proposes and a clerk decides (removal from the pool, adjustment of an incumbent): the
    basis in words, the state, the decision and, when its basis no longer holds, the withdrawal."""

    basis_text = NormalisedCharField(_("basis in words"), max_length=200)
    state = models.CharField(
        _("state"), max_length=20, choices=ProposalState.choices, default=ProposalState.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_by = actor_field(_("decided by"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = NormalisedTextField(_("reason or note of the decision"), blank=True, max_length=NOTE_MAX)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_reason = NormalisedCharField(_("why withdrawn"), max_length=200, blank=True)
    person: Any  # each kind of proposal names the person it is about

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.person} {self.basis_text}"


def one_pending(fields: list[str], name: str) -> models.UniqueConstraint:
    """At most one pending proposal for the same `fields` (a candidacy and a basis, a term and a rule)."""
    return models.UniqueConstraint(fields=fields, condition=Q(state="pending"), name=name)


class RemovalProposal(Proposal):
    """出库建议: the system proposes, a clerk decides. Confirming removes the candidacy through the pipeline's
    `remove` transition; the system never removes anyone by itself."""

    jurisdiction_path = "candidacy__village__code"

    candidacy = models.ForeignKey(
        "candidacies.Candidacy",
        verbose_name=_("candidacy"),
        on_delete=models.PROTECT,
        related_name="removal_proposals",
    )
    person = person_field("removal_proposals")
    basis = models.CharField(_("basis"), max_length=20, choices=ProposalBasis.choices)
    first_assessment = optional_link(Assessment, _("first assessment"))
    second_assessment = optional_link(Assessment, _("second assessment"))
    checkup = optional_link("Checkup", _("check-up"), related_name="removal_proposals")
    discipline = optional_link("DisciplineRecord", _("discipline record"), related_name="removal_proposals")
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta(Proposal.Meta):
        verbose_name = _("removal proposal")
        verbose_name_plural = _("removal proposals")
        constraints = [one_pending(["candidacy", "basis"], "removal_proposal_one_pending_per_basis")]


class NoticeBoardEntry(models.Model):
    """Two consecutive 优秀: the reserve is a key-cultivation object and is introduced on the village notice
    board (村务公开栏) before the election. `flag_set_by_rule` remembers whether the rule, not a clerk,
    turned key cultivation on, so that only then does the rule turn it off when its basis disappears."""

    jurisdiction_path = "candidacy__village__code"

    candidacy = models.ForeignKey(
        "candidacies.Candidacy",
        verbose_name=_("candidacy"),
        on_delete=models.PROTECT,
        related_name="notice_board_entries",
    )
    person = person_field("notice_board_entries")
    first_assessment = optional_link(Assessment, _("first assessment"))
    second_assessment = optional_link(Assessment, _("second assessment"))
    basis_text = NormalisedCharField(_("basis in words"), max_length=200)
    active = models.BooleanField(_("active"), default=True)
    flag_set_by_rule = models.BooleanField(_("key cultivation set by the rule"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice board entry")
        verbose_name_plural = _("notice board entries")
        ordering = ["candidacy__village_id", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidacy"], condition=Q(active=True), name="notice_board_one_active_per_candidacy"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.basis_text}"


class CampaignQuerySet(ScopedQuerySet):
    def restrict(self, user) -> CampaignQuerySet:  # type: ignore[override]
        """A campaign belongs to a county and is seen by everyone inside the county (its township clerks and
        village secretaries included), and by anyone above it."""
        prefix = jurisdiction_prefix(user)
        if prefix is None:
            return self.none()
        if prefix == "":
            return self
        return self.filter(Q(county__code__startswith=prefix) | Q(county__code=prefix[:6]))


class CheckupCampaign(models.Model):
    """回头看: the county opens a campaign for a date range; each township fills a check-up per reserve."""

    jurisdiction_path = "county__code"

    county = county_field("+")
    title = NormalisedCharField(_("title"), max_length=100)
    start = models.DateField(pgettext_lazy("campaign", "start"))
    end = models.DateField(pgettext_lazy("campaign", "end"))
    opened_by = actor_field(_("opened by"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-up campaign")
        verbose_name_plural = _("check-up campaigns")
        ordering = ["-start", "-id"]
        constraints = [end_after_start("campaign_end_after_start")]

    def __str__(self) -> str:
        return self.title


class Conclusion(models.TextChoices):
    CONTINUE = "continue", _("Continue cultivation")  # 继续培养
    KEY = "key", _("Key cultivation")  # 重点培养
    REMOVE = "remove", _("Adjust out of the pool")  # 调整出库


CONCLUSION_NAMES = {
    Conclusion.CONTINUE: "继续培养",
    Conclusion.KEY: "重点培养",
    Conclusion.REMOVE: "调整出库",
}


class Checkup(models.Model):
    """One reserve's check-up in a campaign, on the four dimensions, with a conclusion."""

    jurisdiction_path = "person__village__code"

    campaign = models.ForeignKey(
        CheckupCampaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="checkups"
    )
    person = person_field("checkups")
    political_score = _score(_("political quality"))
    ability_score = _score(_("ability to perform duties"))
    conduct_score = _score(_("work style"))
    reputation_score = _score(_("reputation among villagers"))
    scores = _scores_field()
    conclusion = models.CharField(_("conclusion"), max_length=10, choices=Conclusion.choices)
    note = NormalisedTextField(_("note"), blank=True, max_length=LONG_TEXT_MAX)
    filled_on = models.DateField(_("date"))
    filled_by = actor_field(_("filled by"))
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-up")
        verbose_name_plural = _("check-ups")
        ordering = ["campaign", "person__village_id", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="checkup_one_per_person_campaign"),
            *_score_constraints("checkup"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} {self.person}"


class CommendationLevel(models.TextChoices):
    NATIONAL = "national", _("National level")  # 国家级
    PROVINCE = "province", _("Provincial level")  # 省级
    CITY = "city", _("City level")  # 市级
    COUNTY = "county", _("County level")  # 县级
    TOWNSHIP = "township", _("Township level")  # 乡级
    VILLAGE = "village", _("Village level")  # 村级


LEVEL_NAMES = {
    CommendationLevel.NATIONAL: "国家级",
    CommendationLevel.PROVINCE: "省级",
    CommendationLevel.CITY: "市级",
    CommendationLevel.COUNTY: "县级",
    CommendationLevel.TOWNSHIP: "乡级",
    CommendationLevel.VILLAGE: "村级",
}


class HonourKind(models.TextChoices):
    """What a 表彰奖励 row records: a commendation, or an honour of 两代表一委员 (seeds 000, 001, 003)."""

    COMMENDATION = "commendation", _("Commendation")  # 表彰奖励
    PARTY_CONGRESS = "party_congress", _("Party congress delegate")  # 党代表
    PEOPLES_CONGRESS = "peoples_congress", _("People's congress deputy")  # 人大代表
    CPPCC = "cppcc", _("CPPCC member")  # 政协委员


HONOUR_NAMES = {
    HonourKind.COMMENDATION: "表彰奖励",
    HonourKind.PARTY_CONGRESS: "党代表",
    HonourKind.PEOPLES_CONGRESS: "人大代表",
    HonourKind.CPPCC: "政协委员",
}


class Commendation(models.Model):
    """表彰奖励: a title such as 担当作为好支书, from the village up to the national level; or an honour of 两代表一委员
    (党代表, 人大代表, 政协委员: the title names the congress, e.g. 盐池县第十七届人民代表大会代表)."""

    jurisdiction_path = "person__village__code"

    person = person_field("commendations")
    kind = models.CharField(
        _("kind of honour"), max_length=20, choices=HonourKind.choices, default=HonourKind.COMMENDATION
    )
    title = NormalisedCharField(_("title"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=CommendationLevel.choices)
    awarded_on = models.DateField(_("awarded on"))
    issuer = NormalisedCharField(_("awarded by"), max_length=100, blank=True)
    document_number = NormalisedCharField(_("document number"), max_length=100, blank=True)
    document = models.FileField(_("document"), upload_to="commendations/%Y/", blank=True)
    document_content_type = NormalisedCharField(_("document content type"), max_length=100, blank=True)
    created_by = actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        ordering = ["person", "-awarded_on", "-id"]

    def __str__(self) -> str:
        return self.title
