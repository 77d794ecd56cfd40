"""How a picked record reads, the same in the dropdown and in the chosen option rendered by the server:
enough to tell namesakes apart (township, village, the last four characters of the masked ID number)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from yanzhen.divisions.codes import Level


def id_tail(person) -> str:
    return (person.id_number_masked or "")[-4:]


def person_detail(person) -> str:
    village = person.village
    township = village.parent.name if village.parent_id and village.parent else ""
    place = f"{township} {village.name}".strip()
    return _("%(place)s · ID ending %(tail)s") % {"place": place, "tail": id_tail(person)}


def person_label(person) -> str:
    return f"{person.name}（{person_detail(person)}）"


def division_detail(division) -> str:
    if division.level == Level.VILLAGE and division.parent_id and division.parent:
        return division.parent.name
    return str(Level(division.level).label) if division.level in Level.values else ""


def division_label(division) -> str:
    detail = division_detail(division)
    return f"{division.name}（{detail}）" if detail else division.name


def mentor_detail(mentor) -> str:
    return " · ".join(part for part in (mentor.unit, mentor.division.name) if part)


def mentor_label(mentor) -> str:
    detail = mentor_detail(mentor)
    return f"{mentor.name}（{detail}）" if detail else mentor.name


def prospect_detail(prospect) -> str:
    """Where a prospect (雏雁计划) comes from and where he is now."""
    village = prospect.village
    township = village.parent.name if village.parent_id and village.parent else ""
    return " · ".join(part for part in (f"{township} {village.name}".strip(), prospect.city) if part)


def prospect_label(prospect) -> str:
    return f"{prospect.name}（{prospect_detail(prospect)}）"
