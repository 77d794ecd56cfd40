"""Roster imports (花名册导入): the record of each import, and the uploads waiting for a clerk's confirmation.

An `ImportRun` is written once per successful import, in the same transaction as the records it created or
updated: who, when, which file (name and SHA-256), into which division, and how many persons and
candidacies it created and updated. The change history of each record names the import by the first 12
characters of the SHA-256 ("花名册导入 1a2b3c4d5e6f").

A `RosterUpload` keeps an uploaded file between the preview and the confirmation. The file holds full ID
numbers, so it is stored encrypted (core.crypto), belongs to the user who uploaded it, and is deleted on
confirmation or after a day.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yanzhen.core.jurisdiction import ScopedQuerySet
from yanzhen.core.model_fields import actor_field
from yanzhen.core.text import NormalisedCharField


class ImportKind(models.TextChoices):
    ROSTER = "roster", _("Roster (xlsx)")
    LRMX = "lrmx", _("Cadre form (lrmx)")


class ImportRun(models.Model):
    """One successful import: one audited event."""

    jurisdiction_path = "division__code"

    kind = models.CharField(_("kind"), max_length=10, choices=ImportKind.choices, default=ImportKind.ROSTER)
    user = actor_field(_("imported by"), blank=True)
    username = models.CharField(_("username"), max_length=150, blank=True)
    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("division"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    file_name = NormalisedCharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    rows = models.PositiveIntegerField(_("data rows"), default=0)
    persons_created = models.PositiveIntegerField(_("persons created"), default=0)
    persons_updated = models.PositiveIntegerField(_("persons updated"), default=0)
    candidacies_created = models.PositiveIntegerField(_("candidacies created"), default=0)
    candidacies_updated = models.PositiveIntegerField(_("candidacies updated"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} {self.sha256[:12]}"

    @property
    def change_reason(self) -> str:
        return change_reason(self.kind, self.sha256)


def change_reason(kind: str, sha256: str) -> str:
    """The history_change_reason of every record an import writes."""
    prefix = "花名册导入" if kind == ImportKind.ROSTER else "任免审批表导入"
    return f"{prefix} {sha256[:12]}"


class RosterUpload(models.Model):
    """An uploaded roster between preview and confirmation (only its uploader sees it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.CASCADE, related_name="+"
    )
    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("division"), on_delete=models.CASCADE, related_name="+"
    )
    file_name = NormalisedCharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    # The Fernet token of the upload's base64: about 1.8 times the file (ROSTER_MAX_UPLOAD_BYTES, 10 MB by
    # default). Not text anyone types; the cap is stated so that no text column is without one.
    content_encrypted = models.TextField(_("content (encrypted)"), max_length=64 * 1024 * 1024)
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("roster upload")
        verbose_name_plural = _("roster uploads")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name
