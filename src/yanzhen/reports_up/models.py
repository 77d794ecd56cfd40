"""Reports filed upward as locked snapshots (issue 20 §3).

A county submits a report (the structure table, the election report, the year's figures) as a `Snapshot`:
the figures computed once and frozen as JSON (`content`, never recomputed), signed with the deployment's key
(`signing.py`) over the canonical JSON of that content. The city and the province read their counties'
snapshots, add them up (`selectors.rollup`) and can send one back for correction with a note; the county then
submits again, and the new snapshot supersedes the old one, which stays. At most one snapshot of a county, kind
and year is current (submitted or returned). Written only by `services.py`; a file from another deployment
enters by `exchange.import_snapshot`, which checks the signature first.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from yanzhen.core.jurisdiction import ScopedQuerySet
from yanzhen.core.model_fields import actor_field
from yanzhen.core.text import NormalisedCharField, NormalisedTextField


class Kind(models.TextChoices):
    STRUCTURE = "structure", _("Structure table")  # 结构统计表
    ELECTION = "election", _("Election report")  # 换届选举情况报告
    YEAR = "year", _("Figures of the year")  # 年度统计数据


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    SUPERSEDED = "superseded", _("Superseded")


CURRENT = (Status.SUBMITTED, Status.RETURNED)


class Snapshot(models.Model):
    jurisdiction_path = "division__code"

    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("county"), on_delete=models.PROTECT, related_name="snapshots"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    as_of = models.DateField(_("as of"))
    submitted_by = actor_field(_("submitted by"))
    # Who submitted, as the content names him (the user of another deployment for an imported snapshot).
    submitted_by_name = NormalisedCharField(_("submitted by"), max_length=150, blank=True)
    submitted_on = models.DateTimeField(_("submitted on"))
    content = models.JSONField(_("content"))
    # Written by the signature (signing.py), never typed.
    key_id = models.CharField(_("key id"), max_length=16, editable=False)
    signature = models.CharField(_("signature"), max_length=120, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    return_note = NormalisedTextField(_("note on return"), max_length=1000, blank=True)
    returned_by = actor_field(_("returned by"), blank=True)
    returned_on = models.DateTimeField(_("returned on"), null=True, blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    imported = models.BooleanField(_("imported from a file"), default=False)
    imported_by = actor_field(_("imported by"), blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("report snapshot")
        verbose_name_plural = _("report snapshots")
        ordering = ["-submitted_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["division", "kind", "year"],
                condition=~Q(status="superseded"),
                name="snapshot_one_current_per_county_kind_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.division_id} {self.get_kind_display()} {self.year}"
