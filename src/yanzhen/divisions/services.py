"""Writes to divisions. Codes and names come only from the statistical import; people edit attributes."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.http import Http404

from yanzhen.core.guards import attribute_to, require_editor
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.divisions.models import Division, Industry, VillageTag

if TYPE_CHECKING:
    from yanzhen.accounts.models import User


@transaction.atomic
def update_village_attributes(
    *,
    actor: User,
    division: Division,
    tags: list[VillageTag],
    industries: list[Industry],
    latitude: Decimal | None,
    longitude: Decimal | None,
) -> Division:
    """Change a village unit's attributes; history records who changed what. Its collective income is a
    yearly series of its own (`divisions.income`)."""
    if not code_in_jurisdiction(actor, division.code):
        raise Http404
    require_editor(actor)
    division = Division.objects.select_for_update().get(pk=division.pk)
    division.latitude = latitude
    division.longitude = longitude
    attribute_to(division, actor)
    division.full_clean()
    division.save()
    division.tags.set(tags)
    division.industries.set(industries)
    return division
