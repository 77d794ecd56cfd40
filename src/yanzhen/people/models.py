"""The person archive (一人一档): one record per person, reserves and village cadres alike.

The ID number and the phone are personal data: only their ciphertext, a keyed hash (for uniqueness and
lookup) and the masked form are stored. Age is never stored: it depends on the as-of date.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models.functions import Right
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from yanzhen.core import crypto
from yanzhen.core.guards import today
from yanzhen.core.jurisdiction import ScopedQuerySet
from yanzhen.core.model_fields import actor_field, optional_link, person_field
from yanzhen.core.models import VocabularyEntry
from yanzhen.core.text import NOTE_MAX, NormalisedCharField, NormalisedTextField
from yanzhen.people.codes import (
    Degree,
    Education,
    EducationKind,
    Ethnicity,
    Gender,
    PoliticalStatus,
    education_band,
)


def age_on(born: date | None, on: date) -> int | None:
    """Whole years on a date: the birthday itself counts."""
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class Source(VocabularyEntry):
    """来源: 致富带头人, 返乡创业青年, 退役军人 ... (configurable)."""

    class Meta(VocabularyEntry.Meta):
        verbose_name = _("source")
        verbose_name_plural = _("sources")


class Skill(VocabularyEntry):
    """特长 from a configurable vocabulary: 种植, 养殖, 电商, 财会, 法律, 群众工作, 矛盾调解 ..."""

    class Meta(VocabularyEntry.Meta):
        verbose_name = _("skill")
        verbose_name_plural = _("skills")


class PersonQuerySet(ScopedQuerySet):
    pass


# How many trailing characters of an ID number the search box matches through an index.
ID_TAIL_LENGTH = 4


class Person(models.Model):
    jurisdiction_path = "village__code"

    name = NormalisedCharField(pgettext_lazy("person", "name"), max_length=50)
    name_pinyin = models.CharField(
        _("name in pinyin"), max_length=200, blank=True, db_index=True, editable=False
    )
    name_initials = models.CharField(
        _("pinyin initials"), max_length=50, blank=True, db_index=True, editable=False
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=Ethnicity.choices, default="01")
    birth_date = models.DateField(_("date of birth"))
    native_place = NormalisedCharField(_("native place"), max_length=100, blank=True)
    political_status = models.CharField(_("political status"), max_length=2, choices=PoliticalStatus.choices)
    party_join_date = models.DateField(_("date of joining the party"), null=True, blank=True)
    degree = models.CharField(_("degree"), max_length=1, choices=Degree.choices, default=Degree.NONE)
    # The highest education over the person's records; kept by the service for the statistics.
    highest_education = models.CharField(
        _("highest education"),
        max_length=2,
        choices=Education.choices,
        blank=True,
        db_index=True,
        editable=False,
    )

    id_number_encrypted = models.TextField(_("ID number (encrypted)"), max_length=500, editable=False)
    id_number_hash = models.CharField(_("ID number (keyed hash)"), max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, editable=False, db_index=True)
    phone_encrypted = models.TextField(
        _("mobile phone (encrypted)"), max_length=500, blank=True, editable=False
    )
    phone_hash = models.CharField(
        _("mobile phone (keyed hash)"), max_length=64, blank=True, db_index=True, editable=False
    )
    phone_masked = models.CharField(_("mobile phone"), max_length=11, blank=True, editable=False)

    village = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("village of residence"),
        on_delete=models.PROTECT,
        related_name="residents",
    )
    source = optional_link(Source, _("source"), on_delete=models.PROTECT, related_name="people")
    skills = models.ManyToManyField(Skill, verbose_name=_("skills"), blank=True, related_name="people")
    industries = models.ManyToManyField(
        "divisions.Industry", verbose_name=_("industries"), blank=True, related_name="people"
    )
    skills_text = NormalisedCharField(_("other skills"), max_length=200, blank=True)
    has_industry_experience = models.BooleanField(_("industry experience"), default=False)
    rewards_and_punishments = NormalisedTextField(
        _("rewards and punishments"), blank=True, max_length=NOTE_MAX
    )
    photo = models.ImageField(_("photo"), upload_to="photos/%Y/", blank=True)
    notes = NormalisedTextField(_("notes"), blank=True, max_length=NOTE_MAX)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["id_number_encrypted", "phone_encrypted", "updated_at"],
        m2m_fields=[skills, industries],
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        permissions = [("view_full_personal_data", _("Can view full ID numbers and phones"))]
        ordering = ["village_id", "name", "id"]
        indexes = [
            models.Index(fields=["birth_date"], name="person_birth_date"),
            # The person list: in its order (village, name), with every column its filters and search
            # read, so that the count and the ids of a page come from the index alone (people.selectors).
            models.Index(
                fields=[
                    "village",
                    "name",
                    "id",
                    "birth_date",
                    "gender",
                    "highest_education",
                    "political_status",
                    "source",
                    "name_initials",
                    "name_pinyin",
                    "id_number_masked",
                ],
                name="person_list",
            ),
            # The search by the last four characters of an ID number (people.selectors.search_condition):
            # an index on them, so a province's hundreds of thousands are not read to find a few.
            models.Index(Right("id_number_masked", ID_TAIL_LENGTH), name="person_id_tail"),
        ]

    def __str__(self) -> str:
        return self.name

    def age(self, on: date | None = None) -> int | None:
        return age_on(self.birth_date, on or today())

    def party_years(self, on: date | None = None) -> int | None:
        """党龄 in whole years."""
        return age_on(self.party_join_date, on or today())

    @property
    def education_band(self):
        return education_band(self.highest_education)

    def reveal_id_number(self) -> str:
        """The full number. Callers go through services.reveal_id_number, which checks and audits."""
        return crypto.decrypt(self.id_number_encrypted)

    def reveal_phone(self) -> str:
        return crypto.decrypt(self.phone_encrypted)


class EducationRecord(models.Model):
    """One education: 全日制 and 在职 are separate records, as in the cadre form."""

    person = person_field("educations", on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=12, choices=EducationKind.choices)
    education = models.CharField(_("education"), max_length=2, choices=Education.choices)
    degree = models.CharField(_("degree"), max_length=1, choices=Degree.choices, default=Degree.NONE)
    school = NormalisedCharField(_("school"), max_length=100, blank=True)
    major = NormalisedCharField(_("major"), max_length=100, blank=True)
    graduation_date = models.DateField(_("graduation date"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("education record")
        verbose_name_plural = _("education records")
        ordering = ["person", "education", "graduation_date"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_education_display()}"


class ResumeLine(models.Model):
    """简历: one line per period, "2015.09--2019.06 某某大学学习"."""

    person = person_field("resume_lines", on_delete=models.CASCADE)
    start = NormalisedCharField(_("from"), max_length=7, help_text=_("yyyy.mm"))
    end = NormalisedCharField(_("to"), max_length=7, blank=True, help_text=_("yyyy.mm, empty for today"))
    text = NormalisedCharField(_("description"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("resume line")
        verbose_name_plural = _("resume lines")
        ordering = ["person", "order", "start"]

    def __str__(self) -> str:
        return f"{self.start}--{self.end} {self.text}"


class FamilyMember(models.Model):
    """家庭主要成员及重要社会关系."""

    person = person_field("family", on_delete=models.CASCADE)
    relation = NormalisedCharField(_("relation"), max_length=20)
    name = NormalisedCharField(pgettext_lazy("person", "name"), max_length=50)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    political_status = models.CharField(
        _("political status"), max_length=2, choices=PoliticalStatus.choices, blank=True
    )
    work_unit_and_post = NormalisedCharField(_("work unit and post"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("family member")
        verbose_name_plural = _("family members")
        ordering = ["person", "order", "id"]

    def __str__(self) -> str:
        return f"{self.relation} {self.name}"


class Attachment(models.Model):
    """A scanned document of the archive: type and size limited by core.uploads."""

    person = person_field("attachments", on_delete=models.CASCADE)
    title = NormalisedCharField(_("title"), max_length=100)
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/")
    content_type = NormalisedCharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = actor_field(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["person", "-uploaded_at"]

    def __str__(self) -> str:
        return self.title
