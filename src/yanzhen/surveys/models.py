"""群众满意度 (seed 003, issue 20 §2): a county's survey of the villagers' satisfaction, answered anonymously
from a QR code on each village's 村务公开栏.

The answers are anonymous by construction: a `Response` holds its village of the survey and the DATE it was
given (a time to the second could be joined with the web server's log), its `Answer` rows the question and the
choice, nothing else — no user, no address, no browser, no cookie value — and neither has a history table
(simple-history would stamp each row with the second it was written). The abuse limits (`surveys.limits`) keep
their own rows, `DeviceMark` and `AddressCount`, which hold keyed HMACs only and no link to any response.
`tests/test_surveys.py` asserts the field lists exactly, so a field added later fails there."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from yanzhen.core.jurisdiction import ScopedQuerySet, VillageSharedQuerySet
from yanzhen.core.model_fields import actor_field, county_field, county_key, end_after_start, optional_link
from yanzhen.core.models import CountySettings
from yanzhen.core.text import LONG_TEXT_MAX, NormalisedCharField, NormalisedTextField


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # 草稿：可改题目
    PUBLISHED = "published", _("Published")  # 已发布：在起止日期内可答
    CLOSED = "closed", _("Closed")  # 已提前结束


class QuestionKind(models.TextChoices):
    SATISFACTION = "satisfaction", _("Satisfaction (five levels)")
    YES_NO = "yes_no", _("Yes or no")


# The five levels, best first; the first three count as satisfied (as 双述双评 counts 满意 and 基本满意).
SATISFACTION_CHOICES = [
    ("5", "很满意"),
    ("4", "满意"),
    ("3", "基本满意"),
    ("2", "不满意"),
    ("1", "很不满意"),
]
SATISFIED = {"5", "4", "3"}
YES_NO_CHOICES = [("yes", "是"), ("no", "否")]
CHOICES = {QuestionKind.SATISFACTION: SATISFACTION_CHOICES, QuestionKind.YES_NO: YES_NO_CHOICES}


class SurveyQuerySet(VillageSharedQuerySet):
    """A survey is seen by every jurisdiction holding one of its villages (a township sees the county's survey
    for its own villages; the county and above, every survey of its counties); the county writes it."""

    members = "surveys.SurveyVillage"
    member_key = "survey_id"
    county_path = "county__code"


class Survey(models.Model):
    """A county's survey for a period: its questions and the villages asked."""

    jurisdiction_path = "county__code"

    county = county_field("surveys")
    title = NormalisedCharField(_("title"), max_length=100)
    intro = NormalisedTextField(_("introduction"), max_length=LONG_TEXT_MAX, blank=True)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    status = models.CharField(_("status"), max_length=20, choices=SurveyStatus.choices, default="draft")
    feeds_rankings = models.BooleanField(
        _("counts in the villages compared"),
        default=False,
        help_text=_("The villages' satisfaction in this survey is used for the villages compared."),
    )
    created_by = actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        ordering = ["-start", "-id"]
        constraints = [end_after_start("survey_end_after_start")]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    jurisdiction_path = "survey__county__code"

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = NormalisedCharField(_("question"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    required = models.BooleanField(_("required"), default=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="survey_question_position")
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def choices(self) -> list[tuple[str, str]]:
        return CHOICES[QuestionKind(self.kind)]


class SurveyVillage(models.Model):
    """A village asked, with the random token of its short link (/s/<token>/) and QR code."""

    jurisdiction_path = "village__code"

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="villages"
    )
    village = models.ForeignKey(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="survey_links"
    )
    token = models.CharField(_("link code"), max_length=16, unique=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("village of a survey")
        verbose_name_plural = _("villages of a survey")
        ordering = ["survey", "village"]
        constraints = [models.UniqueConstraint(fields=["survey", "village"], name="survey_village_once")]

    def __str__(self) -> str:
        return f"{self.survey} {self.village}"


class Response(models.Model):
    """One anonymous answer sheet: its village of the survey and the day. NOTHING else (see the module)."""

    jurisdiction_path = "survey_village__village__code"

    survey_village = models.ForeignKey(
        SurveyVillage,
        verbose_name=_("village of a survey"),
        on_delete=models.CASCADE,
        related_name="responses",
    )
    submitted_on = models.DateField(_("day"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.survey_village} {self.submitted_on}"


class Answer(models.Model):
    jurisdiction_path = "response__survey_village__village__code"

    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    choice = models.CharField(_("choice"), max_length=20)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="survey_answer_once")]

    def __str__(self) -> str:
        return f"{self.question_id} {self.choice}"


class DeviceMark(models.Model):
    """A phone has answered this survey: the keyed HMAC of its random cookie (never the cookie itself), the
    day; no link to its response."""

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="+")
    mark = models.CharField(_("mark"), max_length=64)
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("device mark")
        verbose_name_plural = _("device marks")
        constraints = [models.UniqueConstraint(fields=["survey", "mark"], name="survey_device_once")]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.day}"


class AddressCount(models.Model):
    """How many answers came in one hour from one network address: the address's keyed HMAC (the key changes
    every day), the hour, the count. Pruned after a day; no link to any response."""

    key = models.CharField(_("key"), max_length=64)
    hour = models.DateTimeField(_("hour"))
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("answers from one address")
        verbose_name_plural = _("answers from one address")
        constraints = [models.UniqueConstraint(fields=["key", "hour"], name="survey_address_hour")]
        indexes = [models.Index(fields=["hour"], name="survey_address_hour_idx")]

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H}: {self.count}"


class SurveySettings(CountySettings):
    """What a county chooses for its surveys: the monthly scoring item (月考评) the villages' satisfaction
    feeds, if any (`selectors.satisfaction_suggestions`). Never the item attendance feeds (duty)."""

    county = county_key("survey_settings")
    score_item = optional_link(
        "assessments.IncumbentScoreItem", _("scoring item fed by satisfaction"), related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("survey settings")
        verbose_name_plural = _("survey settings")
