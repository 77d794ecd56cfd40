"""The fields many models declare alike: the user who did something to a row, the county a per-county row
belongs to, the village or the person a record is about, a link that may be empty; and the check that a period ends after
it starts.

Each factory returns a new field, so a model still declares every field in its own place and order: its
`_meta.fields`, its forms and its migrations are what they were with the field written out.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def actor_field(verbose_name=None, *, blank: bool = False) -> models.ForeignKey:
    """The user who created (entered, decided, uploaded ...) a row; the row stays when the account goes.
    `blank` where the row is saved before anyone has acted (a decision still to be taken)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name or _("created by"),
        null=True,
        blank=blank,
        on_delete=models.SET_NULL,
        related_name="+",
    )


def optional_link(
    to, verbose_name, *, on_delete=models.SET_NULL, related_name="+", one: bool = False
) -> models.ForeignKey:
    """A link that may be empty (a step's fulfilling record, the round an assignment was judged at ...);
    `one`: a one-to-one link (the term a practice post holds)."""
    field = models.OneToOneField if one else models.ForeignKey
    return field(
        to, verbose_name=verbose_name, null=True, blank=True, on_delete=on_delete, related_name=related_name
    )


def county_key(related_name: str) -> models.OneToOneField:
    """The county whose settings a row holds, as the row's primary key: at most one row per county."""
    return models.OneToOneField(
        "divisions.Division",
        verbose_name=_("county"),
        primary_key=True,
        on_delete=models.PROTECT,
        related_name=related_name,
    )


def county_field(related_name: str) -> models.ForeignKey:
    """The county a row belongs to (a scoring item, a rule, a campaign)."""
    return models.ForeignKey(
        "divisions.Division", verbose_name=_("county"), on_delete=models.PROTECT, related_name=related_name
    )


def village_field(related_name: str = "+") -> models.ForeignKey:
    """The village a record is about (a candidate, a notice, a result ...); the record keeps it from deletion."""
    return models.ForeignKey(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name=related_name
    )


def person_field(related_name: str, verbose_name=None, *, on_delete=models.PROTECT) -> models.ForeignKey:
    """The person of the archive a record is about; by default the record keeps the person from deletion."""
    return models.ForeignKey(
        "people.Person",
        verbose_name=verbose_name or _("person"),
        on_delete=on_delete,
        related_name=related_name,
    )


def end_after_start(
    name: str, *, end: str = "end", start: str = "start", strictly: bool = False, open_ended: bool = False
) -> models.CheckConstraint:
    """The check that a period does not end before it starts: its `end` field on or after its `start` field
    (`strictly`: after it); `open_ended`: an empty end (still going on) passes."""
    condition = Q(**{f"{end}__{'gt' if strictly else 'gte'}": models.F(start)})
    if open_ended:
        condition = Q(**{f"{end}__isnull": True}) | condition
    return models.CheckConstraint(condition=condition, name=name)
