"""雏雁计划 (issue 19 §1, seed 002): capable people of a county's villages who work or study elsewhere
(外出务工经商人员, 在外大学生, 退役军人, 返乡创业青年), kept in touch with, handed the county's policy list
(《返乡创业优惠政策清单》) and invited home to hometown meetings (乡贤座谈会) and point-to-point visits (点对点拜访).

A prospect is a thin record of his own (a person of the archive needs an ID number, which nobody asks a man at
a hometown meeting): name, home village, where he is now and what he does there, a phone kept as the archive
keeps one (ciphertext, keyed hash, masked form), who keeps in touch, what he might come back for. His contact
log (`Contact`) and his invitations (`Invitation` to an `OutreachEvent`) stay on him; "推荐为后备人选" links him to
an archive (`person`, `converted_on`), from where the normal nomination goes on: nothing is copied.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from yanzhen.core import crypto
from yanzhen.core.guards import today
from yanzhen.core.jurisdiction import ScopedQuerySet, jurisdiction_prefix
from yanzhen.core.model_fields import actor_field, optional_link
from yanzhen.core.text import NOTE_MAX, NormalisedCharField, NormalisedTextField
from yanzhen.cultivation.models.common import OrganisedQuerySet, ParticipantQuerySet
from yanzhen.people.codes import Gender


class Category(models.TextChoices):
    MIGRANT = "migrant", pgettext_lazy("prospect", "Working or in business away")  # 外出务工经商人员
    STUDENT = "student", pgettext_lazy("prospect", "University student away")  # 在外大学生
    VETERAN = "veteran", pgettext_lazy("prospect", "Veteran")  # 退役军人
    ENTREPRENEUR = "entrepreneur", pgettext_lazy("prospect", "Young returning entrepreneur")  # 返乡创业青年
    OTHER = "other", pgettext_lazy("prospect", "Other")


# The archive's 来源 (people.Source, seeded by people's migration 0002) a category becomes on conversion.
SOURCE_OF_CATEGORY = {
    Category.MIGRANT: "外出务工经商返乡人员",
    Category.STUDENT: "本土大学毕业生",
    Category.VETERAN: "退役军人",
    Category.ENTREPRENEUR: "返乡创业青年",
}

# The interests a prospect may have (several at once), as the boolean fields that hold them.
INTERESTS = {
    "returning": pgettext_lazy("prospect", "Returning home"),  # 返乡发展
    "standing": pgettext_lazy("prospect", "Standing for a post"),  # 参选村干部
    "investing": pgettext_lazy("prospect", "Investing"),  # 回乡投资
}


class ProspectQuerySet(ScopedQuerySet):
    pass


class Prospect(models.Model):
    """One capable person of a village living elsewhere, followed by the township (雏雁计划)."""

    jurisdiction_path = "village__code"

    name = NormalisedCharField(pgettext_lazy("person", "name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    village = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("home village"),
        on_delete=models.PROTECT,
        related_name="prospects",
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    city = NormalisedCharField(_("where he is now"), max_length=50, blank=True)
    occupation = NormalisedCharField(_("what he does"), max_length=100, blank=True)
    phone_encrypted = models.TextField(
        _("mobile phone (encrypted)"), max_length=500, blank=True, editable=False
    )
    phone_hash = models.CharField(
        _("mobile phone (keyed hash)"), max_length=64, blank=True, db_index=True, editable=False
    )
    phone_masked = models.CharField(_("mobile phone"), max_length=11, blank=True, editable=False)
    keeper = NormalisedCharField(_("keeps in touch"), max_length=50, blank=True)
    returning = models.BooleanField(INTERESTS["returning"], default=False)
    standing = models.BooleanField(INTERESTS["standing"], default=False)
    investing = models.BooleanField(INTERESTS["investing"], default=False)
    note = NormalisedTextField(_("notes"), blank=True, max_length=NOTE_MAX)
    registered_on = models.DateField(_("registered on"), default=today)
    person = optional_link(
        "people.Person", _("archive"), on_delete=models.PROTECT, related_name="prospect_records"
    )
    converted_on = models.DateField(_("recommended as a reserve on"), null=True, blank=True)
    created_by = actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ProspectQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["phone_encrypted"])

    class Meta:
        verbose_name = _("prospect")
        verbose_name_plural = _("prospects")
        ordering = ["village_id", "name", "id"]
        indexes = [models.Index(fields=["registered_on"], name="prospect_registered")]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=True, converted_on__isnull=True)
                | Q(person__isnull=False, converted_on__isnull=False),
                name="prospect_converted_with_person",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def reveal_phone(self) -> str:
        """The full number. Callers go through services.reveal_phone, which checks and audits."""
        return crypto.decrypt(self.phone_encrypted)

    @property
    def interests(self) -> list[str]:
        return [str(label) for key, label in INTERESTS.items() if getattr(self, key)]

    @property
    def converted(self) -> bool:
        return self.person_id is not None


class PolicyDocumentQuerySet(ScopedQuerySet):
    def restrict(self, user, action="view"):
        """A county's documents are handed over by every township of it: a user sees his county's (and, above
        a county, those of the counties under him); only a user at the county or above manages them."""
        prefix = jurisdiction_prefix(user)
        if prefix is None or (action == "change" and not (user is not None and user.can_edit)):
            return self.none()
        if action == "change" and len(prefix) > 6:
            return self.none()
        if len(prefix) > 6:
            return self.filter(county__code=prefix[:6])
        return self.filter(county__code__startswith=prefix)


class PolicyDocument(models.Model):
    """A county's document handed to prospects (《返乡创业优惠政策清单》), with its file when uploaded."""

    jurisdiction_path = "county__code"

    county = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="policy_documents",
    )
    title = NormalisedCharField(_("title"), max_length=100)
    file = models.FileField(_("file"), upload_to="policy/%Y/", blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True, editable=False)
    created_by = actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PolicyDocumentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")
        ordering = ["county_id", "title", "id"]

    def __str__(self) -> str:
        return self.title


class EventKind(models.TextChoices):
    MEETING = "meeting", pgettext_lazy("prospect", "Hometown meeting")  # 乡贤座谈会 / 乡友恳谈会
    DRIVE = "drive", pgettext_lazy("prospect", "Recruitment drive")  # 招引活动
    VISITS = "visits", pgettext_lazy("prospect", "Round of point-to-point visits")  # 点对点拜访


class OutreachEventQuerySet(OrganisedQuerySet):
    participant_path = "invitations__prospect__village__code"


class OutreachEvent(models.Model):
    """A hometown meeting, a recruitment drive or a round of visits organised by a county or a township.
    Seen by the organiser's jurisdiction (which manages it) and by those whose prospects are invited (their
    own invitees only: `Invitation`'s scoping), as cultivation's organised trainings."""

    jurisdiction_path = "organiser__code"

    organiser = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="outreach_events",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=EventKind.choices)
    title = NormalisedCharField(_("title"), max_length=100)
    held_on = models.DateField(_("date"))
    place = NormalisedCharField(_("place"), max_length=100, blank=True)
    note = NormalisedTextField(_("notes"), blank=True, max_length=NOTE_MAX)
    created_by = actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OutreachEventQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("outreach event")
        verbose_name_plural = _("outreach events")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class ContactKind(models.TextChoices):
    VISIT = "visit", pgettext_lazy("prospect", "Visit")  # 走访
    CALL = "call", pgettext_lazy("prospect", "Phone call")  # 电话
    MEETING = "meeting", pgettext_lazy("prospect", "Meeting")  # 座谈
    MESSAGE = "message", pgettext_lazy("prospect", "Message")  # 微信、短信


class ContactQuerySet(ScopedQuerySet):
    def in_year_until(self, on: date) -> ContactQuerySet:
        return self.filter(on__gte=date(on.year, 1, 1), on__lte=on)


class Contact(models.Model):
    """One entry of a prospect's contact log: a visit, a call, a meeting (recorded by the attendance of an
    event) or a message, who made it, what was said and the policy documents handed over."""

    jurisdiction_path = "prospect__village__code"

    prospect = models.ForeignKey(
        Prospect, verbose_name=_("prospect"), on_delete=models.CASCADE, related_name="contacts"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ContactKind.choices)
    on = models.DateField(_("date"))
    by = NormalisedCharField(_("by whom"), max_length=50)
    summary = NormalisedTextField(_("what was said"), blank=True, max_length=NOTE_MAX)
    documents = models.ManyToManyField(
        PolicyDocument, verbose_name=_("documents handed over"), blank=True, related_name="contacts"
    )
    event = optional_link(OutreachEvent, _("event"), related_name="contacts")
    created_by = actor_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ContactQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[documents])

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["prospect", "-on", "-id"]
        indexes = [models.Index(fields=["on"], name="prospect_contact_on")]

    def __str__(self) -> str:
        return f"{self.prospect} {self.on} {self.get_kind_display()}"


class Attendance(models.TextChoices):
    UNKNOWN = "unknown", pgettext_lazy("attendance", "Not yet known")
    YES = "yes", pgettext_lazy("attendance", "Came")
    NO = "no", pgettext_lazy("attendance", "Did not come")


class InvitationQuerySet(ParticipantQuerySet):
    organiser_path = "event__organiser__code"


class Invitation(models.Model):
    """A prospect invited to an event, and whether he came; his coming is a meeting in his contact log
    (`contact`, added and removed with the attendance)."""

    jurisdiction_path = "prospect__village__code"

    event = models.ForeignKey(
        OutreachEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="invitations"
    )
    prospect = models.ForeignKey(
        Prospect, verbose_name=_("prospect"), on_delete=models.CASCADE, related_name="invitations"
    )
    attended = models.CharField(
        _("attended"), max_length=8, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    contact = optional_link(Contact, _("contact"), one=True, related_name="invitation")
    created_by = actor_field()
    history = HistoricalRecords()

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["event", "prospect__village_id", "prospect__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "prospect"], name="invitation_once_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.prospect}"
