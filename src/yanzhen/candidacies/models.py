"""The reserve pipeline (选与用): a candidacy (后备人选) ties a person to one or more target posts of a village
and follows the procedure of seed 000: 推荐 → 资格审查 → 考察 → 研究确定 → 公示 → 在库 → 使用 or 出库.

The state changes only through the transitions declared in `candidacies.transitions` (their services in
`workflow` and `notice`) and the rosters' import (`pool_import`); every change leaves a `CandidacyEvent` (the
timeline) and a row of field history. The business dates (入库时间, 使用时间, 出库时间) decide whether a
candidacy was in the pool on a date, not the moment it was typed in.
"""

from __future__ import annotations

from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from yanzhen.core.jurisdiction import ScopedQuerySet
from yanzhen.core.model_fields import actor_field, county_key, end_after_start, optional_link, person_field
from yanzhen.core.models import CountySettings
from yanzhen.core.text import LONG_TEXT_MAX, NOTE_MAX, NormalisedCharField, NormalisedTextField
from yanzhen.posts.models import Destination


class CandidacyState(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")  # 推荐
    VETTED = "vetted", _("Vetted")  # 资格审查
    INSPECTED = "inspected", _("Inspected")  # 考察
    DECIDED = "decided", _("Decided")  # 研究确定
    IN_NOTICE = "in_notice", _("In public notice")  # 公示
    IN_POOL = "in_pool", _("In the pool")  # 在库
    PROMOTED = "promoted", _("Promoted")  # 已使用
    REMOVED = "removed", _("Removed")  # 出库
    REJECTED = "rejected", _("Rejected")  # 未通过


TERMINAL_STATES = frozenset({CandidacyState.PROMOTED, CandidacyState.REMOVED, CandidacyState.REJECTED})
ACTIVE_STATES = frozenset(set(CandidacyState) - TERMINAL_STATES)


class NominationWay(models.TextChoices):
    SELF = "self", _("Self-recommendation")  # 个人自荐
    MASSES = "masses", _("Recommended by villagers")  # 群众推荐
    PARTY_MEMBERS = "party_members", _("Recommended by party members")  # 党员推荐
    VILLAGE_PARTY = "village_party", _("Recommended by the village party organisation")  # 村党组织推荐
    TOWNSHIP_PARTY = "township_party", _("Recommended by the township party committee")  # 乡镇党委推荐
    WORK_TEAM = "work_team", _("Recommended by the village work team")  # 驻村工作队推荐


class Pairing(models.TextChoices):
    NONE = "none", _("No pairing")
    ONE_TO_ONE = "1+1", _("1+1")
    ONE_TO_MANY = "1+N", _("1+N")


class Readiness(models.TextChoices):
    READY = "ready", _("Ready now")  # 可随时使用
    ONE_TO_TWO_YEARS = "1-2y", _("In 1–2 years")  # 1–2 年
    THREE_YEARS = "3y+", _("In 3 years or more")  # 3 年以上


class RemovalReason(models.TextChoices):
    INCOMPETENT = "incompetent", _("Assessed as incompetent")  # 考核不称职
    INSUFFICIENT_ABILITY = "ability", _("Insufficient ability")  # 能力不足
    LACK_OF_INITIATIVE = "initiative", _("Lack of initiative")  # 主动性不强
    LONG_ABSENT = "absent", _("Long absent from the village")  # 长期外出
    VIOLATION = "violation", _("Breach of discipline or law")  # 违纪违法
    OWN_REQUEST = "request", _("At own request")  # 本人申请
    OTHER = "other", _("Other")  # 其他


class NegativeListItem(models.Model):
    """One item of the negative list (负面清单) a nominee is vetted against (configurable)."""

    name = NormalisedCharField(_("name"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("negative list item")
        verbose_name_plural = _("negative list items")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class CountyRules(CountySettings):
    """The rules of the pipeline a county (县委组织部) sets; `workflow.rules_for` gives the defaults when a
    county has set none."""

    county = county_key("candidacy_rules")
    notice_working_days = models.PositiveSmallIntegerField(
        _("minimum working days of the public notice"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    secretary_minimum_age = models.PositiveSmallIntegerField(
        _("minimum age of a secretary reserve"), default=18
    )
    secretary_maximum_age = models.PositiveSmallIntegerField(
        _("maximum age of a secretary reserve"), default=45
    )
    secretary_party_member_required = models.BooleanField(
        _("a secretary reserve must be a party member"), default=True
    )
    supervision_phone = NormalisedCharField(_("supervision phone"), max_length=40, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("county rules of the pipeline")
        verbose_name_plural = _("county rules of the pipeline")


class PublicNotice(models.Model):
    """One 公示 of a township: the candidacies it lists, its period and the signature of the notice."""

    jurisdiction_path = "township__code"

    township = models.ForeignKey(
        "divisions.Division", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateField(_("notice start"))
    end = models.DateField(_("notice end"))
    supervision_phone = NormalisedCharField(_("supervision phone"), max_length=40, blank=True)
    issuer = NormalisedCharField(_("issued by"), max_length=100)
    created_by = actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-start", "-id"]
        constraints = [end_after_start("notice_end_after_start")]

    def __str__(self) -> str:
        return f"{self.township_id} {self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}"


class CandidacyQuerySet(ScopedQuerySet):
    def active(self) -> CandidacyQuerySet:
        return self.filter(state__in=ACTIVE_STATES)

    def in_pool_on(self, on: date) -> CandidacyQuerySet:
        """In the pool on a date by the business dates: entered on or before it, not yet used or removed."""
        return self.filter(entered_pool_on__lte=on).filter(
            Q(promoted_on__isnull=True) | Q(promoted_on__gt=on),
            Q(removed_on__isnull=True) | Q(removed_on__gt=on),
        )


class Candidacy(models.Model):
    """A person as a reserve for posts of one village, from recommendation to use or removal."""

    jurisdiction_path = "village__code"

    person = person_field("candidacies")
    village = models.ForeignKey(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="candidacies"
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=CandidacyState.choices,
        default=CandidacyState.NOMINATED,
        db_index=True,
    )
    nomination_way = models.CharField(_("nomination way"), max_length=20, choices=NominationWay.choices)
    recommender = NormalisedCharField(_("recommender"), max_length=100, blank=True)
    pairing = models.CharField(_("pairing"), max_length=4, choices=Pairing.choices, default=Pairing.NONE)
    pairing_members = NormalisedCharField(
        _("paired work-team members"), max_length=200, blank=True, help_text=_("Names, separated by 、")
    )
    readiness = models.CharField(
        _("readiness"), max_length=10, choices=Readiness.choices, default=Readiness.ONE_TO_TWO_YEARS
    )
    key_cultivation = models.BooleanField(_("key cultivation"), default=False)
    nominated_on = models.DateField(_("nominated on"))
    entered_pool_on = models.DateField(_("entered the pool on"), null=True, blank=True)  # 入库时间
    promoted_on = models.DateField(_("promoted on"), null=True, blank=True)  # 使用时间
    removed_on = models.DateField(_("removed on"), null=True, blank=True)  # 出库时间
    removal_reason = models.CharField(
        _("removal reason"), max_length=20, choices=RemovalReason.choices, blank=True
    )
    removal_note = NormalisedCharField(_("note on the removal"), max_length=300, blank=True)
    # Where he went when he left the pool for a post elsewhere (考录公务员, 选聘事业编制 …): posts.Destination.
    destination = models.CharField(_("destination"), max_length=24, choices=Destination.choices, blank=True)
    public_notice = optional_link(
        PublicNotice, _("public notice"), on_delete=models.PROTECT, related_name="candidacies"
    )
    term = optional_link(
        "posts.Term", _("term it led to"), on_delete=models.PROTECT, related_name="candidacies"
    )
    created_by = actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = CandidacyQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidacy")
        verbose_name_plural = _("candidacies")
        ordering = ["village_id", "person__name", "id"]
        indexes = [
            models.Index(fields=["entered_pool_on"], name="candidacy_entered_pool_on"),
            # The few reserves who left the pool for a destination (the statistics' flow.destinations).
            models.Index(
                fields=["removed_on"], condition=~Q(destination=""), name="candidacy_destination_removed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.village})"

    @property
    def is_terminal(self) -> bool:
        return self.state in TERMINAL_STATES

    def target_names(self) -> str:
        return "、".join(target.post_type.name for target in self.targets.all())


def _candidacy_record(related_name: str, *, one: bool = False) -> models.ForeignKey:
    """The candidacy a record of its procedure belongs to (its vetting, its events, its papers ...); the
    record goes with the candidacy. `one`: the candidacy has at most one such record."""
    field = models.OneToOneField if one else models.ForeignKey
    return field(Candidacy, verbose_name=_("candidacy"), on_delete=models.CASCADE, related_name=related_name)


class CandidacyTarget(models.Model):
    """A post the candidacy prepares the person for. `person`, `village` and `active` repeat the candidacy's
    so the database itself can refuse a second active candidacy of a person for the same post."""

    candidacy = _candidacy_record("targets")
    post_type = models.ForeignKey(
        "posts.PostType", verbose_name=_("post"), on_delete=models.PROTECT, related_name="candidacy_targets"
    )
    person = person_field("+")
    village = models.ForeignKey(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("target post")
        verbose_name_plural = _("target posts")
        ordering = ["candidacy", "post_type__order"]
        constraints = [
            models.UniqueConstraint(fields=["candidacy", "post_type"], name="candidacy_target_once"),
            # One active candidacy per person per post of a village.
            models.UniqueConstraint(
                fields=["person", "village", "post_type"],
                condition=Q(active=True),
                name="candidacy_one_active_per_person_post",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidacy} → {self.post_type}"


class CandidacyEvent(models.Model):
    """One line of a candidacy's timeline: a transition (or an objection) with who, when and its data."""

    candidacy = _candidacy_record("events")
    from_state = models.CharField(_("from state"), max_length=20, choices=CandidacyState.choices, blank=True)
    to_state = models.CharField(_("to state"), max_length=20, choices=CandidacyState.choices)
    actor = actor_field(_("by"))
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    on = models.DateField(_("date"))
    summary = NormalisedCharField(_("summary"), max_length=200, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    note = NormalisedTextField(_("note"), blank=True, max_length=NOTE_MAX)

    class Meta:
        verbose_name = _("candidacy event")
        verbose_name_plural = _("candidacy events")
        ordering = ["candidacy", "at", "id"]

    def __str__(self) -> str:
        return f"{self.candidacy_id}: {self.from_state} → {self.to_state}"


class Vetting(models.Model):
    """资格审查: the negative list checked item by item."""

    candidacy = _candidacy_record("vetting", one=True)
    on = models.DateField(_("date"))
    passed = models.BooleanField(_("passed"))
    note = NormalisedTextField(_("note"), blank=True, max_length=NOTE_MAX)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vetting")
        verbose_name_plural = _("vettings")

    def __str__(self) -> str:
        return f"{self.candidacy} {self.on}"


class VettingItem(models.Model):
    vetting = models.ForeignKey(
        Vetting, verbose_name=_("vetting"), on_delete=models.CASCADE, related_name="items"
    )
    item = models.ForeignKey(
        NegativeListItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="vetting_results"
    )
    passed = models.BooleanField(_("passed"), help_text=_("The person is clear of this item."))

    class Meta:
        verbose_name = _("vetting item")
        verbose_name_plural = _("vetting items")
        ordering = ["vetting", "item__order", "item_id"]
        constraints = [models.UniqueConstraint(fields=["vetting", "item"], name="vetting_item_once")]

    def __str__(self) -> str:
        return f"{self.item}：{'无此情形' if self.passed else '存在此情形'}"


class Inspection(models.Model):
    """考察 by the township: interviews and the 民主测评 vote."""

    candidacy = _candidacy_record("inspection", one=True)
    on = models.DateField(_("date"))
    inspectors = NormalisedCharField(_("inspectors"), max_length=200)
    people_talked_to = models.PositiveIntegerField(_("people talked to"))
    votes_for = models.PositiveIntegerField(_("votes for"))
    votes_against = models.PositiveIntegerField(_("votes against"))
    votes_abstaining = models.PositiveIntegerField(_("abstentions"))
    findings = NormalisedTextField(_("findings"), max_length=LONG_TEXT_MAX)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self) -> str:
        return f"{self.candidacy} {self.on}"


class Decision(models.Model):
    """研究确定: the township party committee's meeting."""

    candidacy = _candidacy_record("decision", one=True)
    meeting_on = models.DateField(_("meeting date"))
    passed = models.BooleanField(_("passed"))
    note = NormalisedTextField(_("note"), blank=True, max_length=NOTE_MAX)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.candidacy} {self.meeting_on}"


class Objection(models.Model):
    """An objection received during the 公示; upheld, it rejects the candidacy."""

    candidacy = _candidacy_record("objections")
    received_on = models.DateField(_("received on"))
    content = NormalisedTextField(_("content"), max_length=LONG_TEXT_MAX)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    upheld = models.BooleanField(_("upheld"), null=True, blank=True)
    resolution = NormalisedTextField(_("resolution"), blank=True, max_length=NOTE_MAX)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["candidacy", "received_on", "id"]

    def __str__(self) -> str:
        return f"{self.candidacy} {self.received_on}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_on is not None


class Document(models.Model):
    """A scanned paper of the candidacy (推荐表, 考察材料 ...); type and size limited by core.uploads.DOCUMENT_RULES."""

    candidacy = _candidacy_record("documents")
    title = NormalisedCharField(_("title"), max_length=100)
    file = models.FileField(_("file"), upload_to="candidacies/%Y/%m/")
    content_type = NormalisedCharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = actor_field(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    jurisdiction_path = "candidacy__village__code"

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["candidacy", "-uploaded_at"]

    def __str__(self) -> str:
        return self.title


# --- 备案/审批: the county's filing of a township's decisions (issue 20 §3) -----------------------------------


class FilingMode(models.TextChoices):
    """What a county requires of a township's step: nothing (today's pipeline), 备案 (the step happens and the
    county acknowledges it) or 审批 (the step waits for the county's yes)."""

    NONE = "none", _("Neither filed nor approved")
    FILING = "filing", _("Filed with the county")  # 备案
    APPROVAL = "approval", _("Approved by the county")  # 审批


class FilingStep(models.TextChoices):
    """The township's decisions a county may want filed or approved: 入库 and 出库."""

    ENTRY = "entry", _("Entry into the pool")
    REMOVAL = "removal", _("Removal from the pool")


class FilingState(models.TextChoices):
    PENDING = "pending", _("Awaiting the county")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class FilingSettings(CountySettings):
    """Which of a township's decisions a county (县委组织部) wants filed with it or approved by it; a county
    without a row wants neither (`filing.mode_for`)."""

    county = county_key("filing_settings")
    entry = models.CharField(
        _("entry into the pool"), max_length=10, choices=FilingMode.choices, default=FilingMode.NONE
    )
    removal = models.CharField(
        _("removal from the pool"), max_length=10, choices=FilingMode.choices, default=FilingMode.NONE
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("filing settings")
        verbose_name_plural = _("filing settings")


class Filing(models.Model):
    """A township's step filed with its county (备案: done, awaiting acknowledgement) or a request for the
    county's approval (审批: the step declared in `transitions` from `source_state` to `target_state`, with the
    service's `inputs` as the township gave them, performed when the county approves). Written only by
    `candidacies/filing.py`."""

    jurisdiction_path = "candidacy__village__code"

    candidacy = _candidacy_record("filings")
    kind = models.CharField(_("kind"), max_length=10, choices=FilingMode.choices)
    step = models.CharField(_("step"), max_length=10, choices=FilingStep.choices)
    source_state = models.CharField(_("from state"), max_length=20, choices=CandidacyState.choices)
    target_state = models.CharField(_("to state"), max_length=20, choices=CandidacyState.choices)
    inputs = models.JSONField(_("inputs"), default=dict, blank=True)
    on = models.DateField(_("date of the step"))
    state = models.CharField(
        _("state"), max_length=15, choices=FilingState.choices, default=FilingState.PENDING
    )
    proposed_by = actor_field(_("proposed by"))
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = actor_field(_("decided by"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = NormalisedTextField(_("reason"), blank=True, max_length=NOTE_MAX)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("filing")
        verbose_name_plural = _("filings")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            # One request awaiting the county per candidacy: a second would decide the same step twice.
            models.UniqueConstraint(
                fields=["candidacy"],
                condition=Q(state="pending", kind="approval"),
                name="one_pending_approval_per_candidacy",
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidacy_id}: {self.kind} {self.step} ({self.state})"

    @property
    def is_pending(self) -> bool:
        return self.state == FilingState.PENDING
