"""What the pickers offer, always inside the user's jurisdiction (`restrict(user)`), at most `LIMIT` rows
and whether there were more.

People are searched as the person list searches them (`people.selectors.search_people`: name, pinyin
initials or full pinyin, village name, the tail of the ID number). Hosts of a secondment are the one
exception to the jurisdiction: village names and tags are not personal data, and a township clerk may send
someone to a model village of another township of his county (`cultivation.selectors.host_choices`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Q

from yanzhen.candidacies.models import Candidacy
from yanzhen.core.guards import today
from yanzhen.cultivation import selectors as cultivation_selectors
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.people.selectors import search_people
from yanzhen.pickers import labels

LIMIT = 20
QUERY_MAX_LENGTH = 50


@dataclass
class Options:
    """One answer of a picker: `results` as Tom Select reads them, `more` when the list was cut."""

    results: list[dict] = field(default_factory=list)
    more: bool = False

    def as_json(self) -> dict:
        return {"results": self.results, "more": self.more}


def _cut(rows: list, limit: int, option) -> Options:
    return Options([option(row) for row in rows[:limit]], more=len(rows) > limit)


def person_option(person) -> dict:
    # initials, pinyin and tail let Tom Select keep exactly the server's matches when the text changes.
    return {
        "id": person.pk,
        "text": labels.person_label(person),
        "name": person.name,
        "detail": labels.person_detail(person),
        "initials": person.name_initials,
        "pinyin": person.name_pinyin,
        "tail": labels.id_tail(person),
        "place": person.village.name,
    }


def reserves_in_pool(user, on: date | None = None):
    """Ids of the people with a candidacy inside the user's jurisdiction in the pool on `on` (today)."""
    return Candidacy.objects.restrict(user).in_pool_on(on or today()).values("person_id")


PEOPLE_KINDS = ("", "pool")


def people(user, q: str = "", *, kind: str = "", within: str = "", limit: int = LIMIT) -> Options:
    """People matching `q`; kind "pool" keeps the reserves in the pool today, `within` (a division code)
    those living under that division."""
    within = within if within.isdigit() else ""
    queryset = search_people(user, q=(q or "")[:QUERY_MAX_LENGTH], township=within).select_related(
        "village", "village__parent"
    )
    if kind == "pool":
        queryset = queryset.filter(pk__in=reserves_in_pool(user))
    return _cut(list(queryset[: limit + 1]), limit, person_option)


def division_option(division) -> dict:
    return {
        "id": division.code,
        "text": labels.division_label(division),
        "name": division.name,
        "detail": labels.division_detail(division),
        "place": division.parent.name if division.parent_id and division.parent else "",
    }


DIVISION_KINDS = ("", "host", "village")


def divisions(user, q: str = "", *, kind: str = "", limit: int = LIMIT) -> Options:
    """Townships and villages whose name (or whose township's name) contains `q`, a township before its
    villages. Kind "host": the townships and villages of the user's county, model villages first; kind
    "village": villages only."""
    q = "".join((q or "").split())[:QUERY_MAX_LENGTH]
    levels = [Level.VILLAGE] if kind == "village" else [Level.TOWNSHIP, Level.VILLAGE]
    if kind == "host":
        county = cultivation_selectors.user_county(user)
        if not county:
            return Options()
        queryset = Division.objects.filter(code__startswith=county, level__in=levels)
        model = Division.tags.through.objects.filter(
            division_id=OuterRef("pk"), villagetag__name__in=cultivation_selectors.MODEL_VILLAGE_TAGS
        )
        queryset = queryset.annotate(is_model=Exists(model)).order_by("-is_model", "code")
    else:
        queryset = Division.objects.restrict(user).filter(level__in=levels).order_by("code")
    if q:
        queryset = queryset.filter(Q(name__contains=q) | Q(parent__name__contains=q))
    return _cut(list(queryset.select_related("parent")[: limit + 1]), limit, division_option)


def mentor_option(mentor) -> dict:
    return {
        "id": mentor.pk,
        "text": labels.mentor_label(mentor),
        "name": mentor.name,
        "detail": labels.mentor_detail(mentor),
        "initials": mentor.person.name_initials if mentor.person_id else "",
        "pinyin": mentor.person.name_pinyin if mentor.person_id else "",
        "place": mentor.division.name,
    }


def mentors(user, q: str = "", *, limit: int = LIMIT) -> Options:
    """Active mentors the user may pair, by name, unit, the place they serve or (archived) pinyin."""
    q = "".join((q or "").split())[:QUERY_MAX_LENGTH]
    queryset = cultivation_selectors.mentors(user).filter(active=True).order_by("division_id", "name", "pk")
    if q:
        lower = q.lower()
        queryset = queryset.filter(
            Q(name__contains=q)
            | Q(unit__contains=q)
            | Q(division__name__contains=q)
            | Q(person__name_initials__startswith=lower)
            | Q(person__name_pinyin__startswith=lower)
        )
    return _cut(list(queryset[: limit + 1]), limit, mentor_option)


def prospect_option(prospect) -> dict:
    return {
        "id": prospect.pk,
        "text": labels.prospect_label(prospect),
        "name": prospect.name,
        "detail": labels.prospect_detail(prospect),
        "place": prospect.village.name,
    }


def prospects(user, q: str = "", *, limit: int = LIMIT) -> Options:
    """Prospects of 雏雁计划 the user may invite, by name, home village, township or city."""
    from yanzhen.prospects.models import Prospect  # the pickers read every app; prospects is optional

    q = "".join((q or "").split())[:QUERY_MAX_LENGTH]
    queryset = Prospect.objects.restrict(user).order_by("village_id", "name", "pk")
    if q:
        queryset = queryset.filter(
            Q(name__contains=q)
            | Q(village__name__contains=q)
            | Q(village__parent__name__contains=q)
            | Q(city__contains=q)
        )
    return _cut(list(queryset.select_related("village__parent")[: limit + 1]), limit, prospect_option)
