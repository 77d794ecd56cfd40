"""村"两委"换届: a county's five-yearly election of its village committees, from plan to results.

An election belongs to a county (at most one open at a time) and moves 筹备 → 选举中 → 已完成. Per village it
holds the slate (候选人: who stands for which seat; 一肩挑 is one candidate standing for the secretary's and the
chair's seat), the joint qualification review (资格联审: each department's reply per candidate), the slate's
public notice (公示, the pipeline's working-day rule), the results (who was elected to which seat, the new
term they opened) and the handovers the outgoing secretaries and chairs owe (离任交接).

Rows of a village are scoped by the village's code (a township clerk works on his own villages); the
election itself by its county's code, widened so that every user inside the county sees it
(`ElectionQuerySet.restrict`).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from yanzhen.core.jurisdiction import Action, ScopedQuerySet, jurisdiction_prefix
from yanzhen.core.model_fields import (
    actor_field,
    county_field,
    end_after_start,
    optional_link,
    person_field,
    village_field,
)
from yanzhen.core.models import VocabularyEntry
from yanzhen.core.text import NormalisedCharField

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def percent_target(verbose_name, default: str) -> models.DecimalField:
    """A structure target of an election, a share in per cent (0 to 100)."""
    return models.DecimalField(
        verbose_name, max_digits=5, decimal_places=2, default=Decimal(default), validators=PERCENT
    )


class ElectionState(models.TextChoices):
    PREPARING = "preparing", _("Preparing")  # 筹备
    VOTING = "voting", _("Voting")  # 选举中
    DONE = "done", pgettext_lazy("election", "Done")  # 已完成


# The one place the order of an election's states is written.
NEXT_STATE: dict[str, str] = {
    ElectionState.PREPARING: ElectionState.VOTING,
    ElectionState.VOTING: ElectionState.DONE,
}


class ReviewDepartment(VocabularyEntry):
    """A department of the joint qualification review (资格联审): 纪委监委, 组织部, 公安 ... (configurable)."""

    history = HistoricalRecords()

    class Meta(VocabularyEntry.Meta):
        verbose_name = _("review department")
        verbose_name_plural = _("review departments")


class ElectionQuerySet(ScopedQuerySet):
    def restrict(self, user, action: Action = "view"):
        """The elections of the user's county: a county's whole staff sees it (a township clerk works on his
        own villages' slates inside it); an election is changed only from the county (or above)."""
        prefix = jurisdiction_prefix(user)
        if prefix is None:
            return self.none()
        if action == "change" and not (user is not None and user.can_edit and len(prefix) <= 6):
            return self.none()
        if prefix == "":
            return self
        return self.filter(Q(county__code__startswith=prefix) | Q(county__code=prefix[:6]))

    def open(self):
        return self.exclude(state=ElectionState.DONE)


class Election(models.Model):
    """One 换届 of a county's village committees."""

    jurisdiction_path = "county__code"

    county = county_field("elections")
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])  # 第几届
    starts_on = models.DateField(_("election period start"))
    ends_on = models.DateField(_("election period end"))
    term_years = models.PositiveSmallIntegerField(
        _("term length in years"), default=5, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    state = models.CharField(
        _("state"), max_length=12, choices=ElectionState.choices, default=ElectionState.PREPARING
    )
    # The structure targets (national guidance by default; each election sets its own).
    one_shoulder_pct = percent_target(_("一肩挑 share target (%)"), "90")
    woman_each_committee = models.BooleanField(_("at least one woman on each committee"), default=True)
    young_each_village = models.BooleanField(
        _("at least one member aged 35 or under per village"), default=True
    )
    college_pct = percent_target(_("大专 or above share target (%)"), "50")
    younger_and_better = models.BooleanField(
        _("average age lower and education higher (一降一升)"), default=True
    )
    cross_post_pct = percent_target(_("交叉任职 share target (%)"), "50")
    warning_months = models.PositiveSmallIntegerField(
        _("warn of terms ending within (months)"), default=6, validators=[MaxValueValidator(60)]
    )
    note = NormalisedCharField(_("note"), max_length=200, blank=True)
    created_by = actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ElectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["county"], condition=~Q(state="done"), name="election_one_open_per_county"
            ),
            models.UniqueConstraint(fields=["county", "number"], name="election_number_per_county"),
            end_after_start("election_ends_after_start", end="ends_on", start="starts_on"),
        ]

    def __str__(self) -> str:
        return f"{self.county} 第{self.number}届村“两委”换届"


def election_field(related_name: str) -> models.ForeignKey:
    """The election a record belongs to; deleted with it."""
    return models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name=related_name
    )


class CandidateOrigin(models.TextChoices):
    POOL = "pool", _("From the reserve pool")  # 后备力量
    INCUMBENT = "incumbent", _("Sitting member standing again")  # 现任连选
    ARCHIVE = "archive", _("Other person in the archive")  # 其他人选


class CandidateStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("election", "Proposed")  # 初步人选
    WITHDRAWN = "withdrawn", pgettext_lazy("election", "Withdrawn")  # 退出


class Candidate(models.Model):
    """One person standing for one seat of a village's new committee (初步人选). `also_chair`: the secretary's
    candidate stands for the chair's seat too (一肩挑)."""

    jurisdiction_path = "village__code"

    election = election_field("candidates")
    village = village_field()
    person = person_field("election_candidacies")
    post_type = models.ForeignKey(
        "posts.PostType", verbose_name=_("post"), on_delete=models.PROTECT, related_name="+"
    )
    also_chair = models.BooleanField(_("also stands for chair (一肩挑)"), default=False)
    origin = models.CharField(_("origin"), max_length=12, choices=CandidateOrigin.choices)
    candidacy = optional_link("candidacies.Candidacy", _("reserve candidacy"))
    match_score = models.DecimalField(
        _("matching score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=CandidateStatus.choices, default=CandidateStatus.PROPOSED
    )
    proposed_on = models.DateField(_("proposed on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = NormalisedCharField(_("reason for withdrawal"), max_length=200, blank=True)
    created_by = actor_field()
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("election candidate")
        verbose_name_plural = _("election candidates")
        ordering = ["village_id", "post_type__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "person", "post_type"],
                condition=Q(status="proposed"),
                name="candidate_once_per_post",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.post_type}"


class ReviewReply(models.Model):
    """One department's reply on one candidate in the joint review: 通过, or 不通过 with the reason (and the
    items of the negative list it found)."""

    jurisdiction_path = "candidate__village__code"

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="replies"
    )
    department = models.ForeignKey(
        ReviewDepartment, verbose_name=_("department"), on_delete=models.PROTECT, related_name="replies"
    )
    passed = models.BooleanField(_("passed"))
    reason = NormalisedCharField(_("reason"), max_length=200, blank=True)
    negative_items = models.ManyToManyField(
        "candidacies.NegativeListItem", verbose_name=_("negative list items"), blank=True, related_name="+"
    )
    replied_on = models.DateField(_("replied on"))
    created_by = actor_field()
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("review reply")
        verbose_name_plural = _("review replies")
        ordering = ["candidate_id", "department__order", "department__name"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "department"], name="review_reply_once"),
            models.CheckConstraint(condition=Q(passed=True) | ~Q(reason=""), name="review_failed_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} {self.department}"


class SlateNotice(models.Model):
    """The 公示 of a village's slate before the vote (the pipeline's working-day rule)."""

    jurisdiction_path = "village__code"

    election = election_field("notices")
    village = village_field()
    start = models.DateField(_("notice start"))
    end = models.DateField(_("notice end"))
    supervision_phone = NormalisedCharField(_("supervision phone"), max_length=40, blank=True)
    created_by = actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("slate notice")
        verbose_name_plural = _("slate notices")
        ordering = ["village_id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "village"], name="slate_notice_once"),
            end_after_start("slate_notice_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}"


class Result(models.Model):
    """Who was elected to which seat of a village, on which day; the new term it opened."""

    jurisdiction_path = "village__code"

    election = election_field("results")
    village = village_field()
    seat = models.ForeignKey("posts.Seat", verbose_name=_("seat"), on_delete=models.PROTECT, related_name="+")
    person = person_field("election_results")
    candidate = optional_link(Candidate, _("candidate"))
    elected_on = models.DateField(_("elected on"))
    votes = models.PositiveIntegerField(_("votes"), null=True, blank=True)
    term = optional_link("posts.Term", _("term"), on_delete=models.PROTECT)
    created_by = actor_field()
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("election result")
        verbose_name_plural = _("election results")
        ordering = ["village_id", "seat__post_type__order", "seat__number"]
        constraints = [models.UniqueConstraint(fields=["election", "seat"], name="result_once_per_seat")]

    def __str__(self) -> str:
        return f"{self.person} {self.seat}"


class Handover(models.Model):
    """离任交接 an outgoing secretary or chair owes after the results: the economic responsibility audit
    (经济责任审计) and the handover date."""

    jurisdiction_path = "village__code"

    election = election_field("handovers")
    village = village_field()
    term = models.OneToOneField(
        "posts.Term", verbose_name=_("outgoing term"), on_delete=models.PROTECT, related_name="handover"
    )
    person = person_field("handovers")
    audit_done = models.BooleanField(_("economic responsibility audit done"), default=False)
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    note = NormalisedCharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["village_id", "id"]

    def __str__(self) -> str:
        return f"{self.person} {self.term.seat}"

    @property
    def owed(self) -> bool:
        return not (self.audit_done and self.handed_over_on)
