"""The national statistical division code (统计用区划代码): levels by length, unit kinds by segment.

A code is a materialised path: province 2 digits, city 4, county 6, township 9, village unit 12.
Segment ranges follow GB/T 10114 and the NBS rules (../shared/data/divisions/README.md).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PROVINCE = 1, _("Province")
    CITY = 2, _("City")
    COUNTY = 3, _("County")
    TOWNSHIP = 4, _("Township")
    VILLAGE = 5, _("Village")


CODE_LENGTH = {Level.PROVINCE: 2, Level.CITY: 4, Level.COUNTY: 6, Level.TOWNSHIP: 9, Level.VILLAGE: 12}
LEVEL_OF_LENGTH = {length: level for level, length in CODE_LENGTH.items()}


class UnitKind(models.TextChoices):
    # Township-level units (digits 7-9).
    SUBDISTRICT = "subdistrict", _("Subdistrict")  # 街道 001-099
    TOWN = "town", _("Town")  # 镇 100-199
    XIANG = "xiang", _("Township (xiang)")  # 乡 200-399
    OTHER_TOWNSHIP = "other_township", _("Other township-level unit")  # 400-599 开发区、农场 ...
    # Village-level units (digits 10-12).
    COMMUNITY = "community", _("Residents' committee")  # 社区居委会 001-199
    VILLAGE_COMMITTEE = "village_committee", _("Villagers' committee")  # 村委会 200-399
    COMMUNITY_LIKE = "community_like", _("Unit like a residents' committee")  # 类似居委会 400-499
    VILLAGE_LIKE = "village_like", _("Unit like a villagers' committee")  # 类似村委会 500-599
    NONE = "", _("—")


class InvalidCode(ValueError):
    pass


def level_of(code: str) -> Level:
    if not code.isdigit() or len(code) not in LEVEL_OF_LENGTH:
        raise InvalidCode(code)
    return LEVEL_OF_LENGTH[len(code)]


def parent_code(code: str) -> str | None:
    level = level_of(code)
    if level == Level.PROVINCE:
        return None
    return code[: CODE_LENGTH[Level(level - 1)]]


def ancestor_codes(code: str) -> list[str]:
    """Codes of the ancestors, from the province down, without the code itself."""
    level = level_of(code)
    return [code[: CODE_LENGTH[Level(lv)]] for lv in range(Level.PROVINCE, level)]


def unit_kind(code: str) -> UnitKind:
    level = level_of(code)
    if level == Level.TOWNSHIP:
        segment = int(code[6:9])
        if segment < 100:
            return UnitKind.SUBDISTRICT
        if segment < 200:
            return UnitKind.TOWN
        if segment < 400:
            return UnitKind.XIANG
        return UnitKind.OTHER_TOWNSHIP
    if level == Level.VILLAGE:
        segment = int(code[9:12])
        if segment < 200:
            return UnitKind.COMMUNITY
        if segment < 400:
            return UnitKind.VILLAGE_COMMITTEE
        if segment < 500:
            return UnitKind.COMMUNITY_LIKE
        return UnitKind.VILLAGE_LIKE
    return UnitKind.NONE


def candidate_codes(code: str) -> list[str]:
    """A code as typed, or padded with zeros to 12 digits (640323100000), as the codes it may stand for,
    longest first. Callers keep the first that exists."""
    code = code.strip()
    if not code.isdigit():
        return []
    if len(code) in LEVEL_OF_LENGTH and len(code) != 12:
        return [code]
    if len(code) != 12:
        return []
    candidates = [code]
    for length in (9, 6, 4, 2):
        if set(code[length:]) == {"0"}:
            candidates.append(code[:length])
    return candidates
