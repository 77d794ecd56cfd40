"""Reads of the person archive, always through the user's jurisdiction (`Person.objects.restrict(user)`).

Age is never stored: an age band is a range of birth dates computed from the as-of date, so the database
answers it with the index on birth_date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from django.db import models
from django.db.models import Q
from django.db.models.functions import Right
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from yanzhen.core import crypto
from yanzhen.core.guards import get_for_view, today
from yanzhen.core.jurisdiction import jurisdiction_prefix
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.people.codes import Education, EducationBand
from yanzhen.people.idcard import IdNumberError, parse_id_number
from yanzhen.people.models import ID_TAIL_LENGTH, Person, PersonQuerySet


class AgeBand(models.TextChoices):
    """The three age bands of the structure statistics, in whole years on the as-of date."""

    UNDER_35 = "under_35", _("under 35")
    FROM_35_TO_50 = "35_to_50", _("35 to 50")
    OVER_50 = "over_50", _("over 50")


# 大专及以上 = GB/T 4658 codes 10–33; 中专及以下 = every other code. A person without any education record
# (highest_education empty) is in neither band: the band is unknown, not "low".
COLLEGE_OR_ABOVE_CODES = frozenset(code for code in Education.values if 10 <= int(code) <= 33)
SECONDARY_OR_BELOW_CODES = frozenset(Education.values) - COLLEGE_OR_ABOVE_CODES
COLLEGE_LOWEST, COLLEGE_HIGHEST = min(COLLEGE_OR_ABOVE_CODES), max(COLLEGE_OR_ABOVE_CODES)

# What the search box takes as the tail of an ID number: 1 to 4 characters, digits with an optional final X.
ID_TAIL = re.compile(r"^(\d{1,4}|\d{1,3}X)$")
PINYIN = re.compile(r"^[a-z]+$")
# Full pinyin matches anywhere in the name ("xinling" finds 祝心灵) from this length on; shorter input
# matches only at the start, or "an" would find half the county.
PINYIN_CONTAINS_FROM = 3

PERSON_LIST_RELATED = ("village", "village__parent", "source")


def years_before(on: date, years: int) -> date:
    """The same day `years` earlier; 29 February falls back to the 28th, as `age_on` counts it."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def born_for_age_at_least(years: int, on: date) -> date:
    """The latest birth date of a person who is at least `years` old on `on`."""
    return years_before(on, years)


def filter_age_band(queryset: PersonQuerySet, band: str, on: date) -> PersonQuerySet:
    if band == AgeBand.UNDER_35:
        return queryset.filter(birth_date__gt=born_for_age_at_least(35, on))
    if band == AgeBand.FROM_35_TO_50:
        return queryset.filter(
            birth_date__lte=born_for_age_at_least(35, on), birth_date__gt=born_for_age_at_least(51, on)
        )
    if band == AgeBand.OVER_50:
        return queryset.filter(birth_date__lte=born_for_age_at_least(51, on))
    raise ValueError(f"unknown age band {band!r}")


def filter_education_band(queryset: PersonQuerySet, band: str) -> PersonQuerySet:
    # Codes are two digits, so the bands are ranges of strings: "10"–"33" and above "33" ("" is below
    # both). A range lets the database read the list index instead of probing nineteen codes.
    if band == EducationBand.COLLEGE_OR_ABOVE:
        return queryset.filter(highest_education__gte=COLLEGE_LOWEST, highest_education__lte=COLLEGE_HIGHEST)
    if band == EducationBand.SECONDARY_OR_BELOW:
        return queryset.filter(highest_education__gt=COLLEGE_HIGHEST)
    raise ValueError(f"unknown education band {band!r}")


def code_range(prefix: str) -> tuple[str, str | None]:
    """[low, high) such that a digit code starts with `prefix` exactly when low <= code < high.

    "640323" → ("640323", "640324"); "6403239" → ("6403239", "640324"). Digits compare the same in every
    collation, so the range holds on PostgreSQL whatever the database locale."""
    digits = prefix.rstrip("9")
    if not digits:
        return prefix, None
    return prefix, digits[:-1] + str(int(digits[-1]) + 1)


def in_code_range(queryset: PersonQuerySet, prefix: str) -> PersonQuerySet:
    """People whose village code starts with `prefix`, as a range the list index can answer."""
    low, high = code_range(prefix)
    queryset = queryset.filter(village_id__gte=low)
    return queryset.filter(village_id__lt=high) if high else queryset


def search_condition(q: str) -> Q | None:
    """What the search box matches: the name, pinyin initials and full pinyin, the village name, or the
    last 1–4 characters of the ID number (against the masked form: nothing is decrypted)."""
    q = "".join(q.split())
    if not q:
        return None
    upper = q.upper()
    if ID_TAIL.match(upper):
        if len(upper) == ID_TAIL_LENGTH:  # the indexed expression (people.models, person_id_tail)
            return Q(Exact(Right("id_number_masked", ID_TAIL_LENGTH), upper))
        return Q(id_number_masked__endswith=upper)
    condition = Q(name__contains=q) | Q(
        village_id__in=Division.objects.filter(level=Level.VILLAGE, name__contains=q).values("code")
    )
    lower = q.lower()
    if PINYIN.match(lower):
        condition |= Q(name_initials__startswith=lower) | Q(name_pinyin__startswith=lower)
        if len(lower) >= PINYIN_CONTAINS_FROM:
            condition |= Q(name_pinyin__contains=lower)
    return condition


def search_people(
    user,
    *,
    q: str = "",
    age_band: str = "",
    education_band: str = "",
    gender: str = "",
    political_status: str = "",
    source: int | None = None,
    skills: Iterable[int] = (),
    township: str = "",
    village: str = "",
    on: date | None = None,
) -> PersonQuerySet:
    """The people inside the user's jurisdiction that match the search and every given filter.

    Empty values mean "no filter". `skills` matches a person who has any of them. `township` is a 9-digit
    code (a prefix of the village code), `village` a 12-digit code. Ordered by village, then name.
    """
    queryset = Person.objects.restrict(user)
    prefix = jurisdiction_prefix(user)
    if prefix:
        # Access is decided by restrict() above; the same prefix as a range only lets SQLite and
        # PostgreSQL walk the list index (person_list) instead of the whole table.
        queryset = in_code_range(queryset, prefix)
    condition = search_condition(q or "")
    if condition is not None:
        queryset = queryset.filter(condition)
    if age_band:
        queryset = filter_age_band(queryset, age_band, on or today())
    if education_band:
        queryset = filter_education_band(queryset, education_band)
    if gender:
        queryset = queryset.filter(gender=gender)
    if political_status:
        queryset = queryset.filter(political_status=political_status)
    if source:
        queryset = queryset.filter(source_id=getattr(source, "pk", source))
    skill_ids = [getattr(skill, "pk", skill) for skill in skills or ()]
    if skill_ids:
        # A subquery rather than a join: a person with two of the skills must come back once.
        queryset = queryset.filter(
            pk__in=Person.skills.through.objects.filter(skill_id__in=skill_ids).values("person_id")
        )
    if township:
        queryset = in_code_range(queryset, township)
    if village:
        queryset = queryset.filter(village_id=village)
    return queryset.order_by("village_id", "name", "id")


def person_list(user, **filters) -> PersonQuerySet:
    """`search_people` with what a list row shows fetched in the same query (no query per row)."""
    return search_people(user, **filters).select_related(*PERSON_LIST_RELATED)


def people_in_order(ids) -> list[Person]:
    """The people of a page of ids (already restricted and ordered), with what a list row shows, in the
    ids' order: one query whatever the page size."""
    ids = list(ids)
    by_id = Person.objects.select_related(*PERSON_LIST_RELATED).in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def get_person(user, pk) -> Person:
    """One person inside the user's jurisdiction, else 404."""
    return get_for_view(
        Person.objects.select_related(*PERSON_LIST_RELATED).prefetch_related("skills", "industries"),
        user,
        pk=pk,
    )


def holder_of_id_number(user, id_number: str, *, exclude: Person | None = None) -> Person | None:
    """The person inside the user's jurisdiction registered with this ID number (15 or 18 digits, looked up by
    its keyed hash), else None: also when he exists outside it, which the caller must not reveal."""
    try:
        number = parse_id_number(id_number).number
    except IdNumberError:
        return None
    holders = Person.objects.restrict(user).filter(id_number_hash=crypto.keyed_hash(number))
    if exclude is not None:
        holders = holders.exclude(pk=exclude.pk)
    return holders.select_related("village").first()


def filter_townships(user, limit: int = 200) -> list[Division]:
    """The townships a user may filter by: those under his division, when there are few enough to list."""
    root = user.division_id or ""
    if len(root) >= 9:
        return []
    townships = list(
        Division.objects.restrict(user).filter(level=Level.TOWNSHIP, code__startswith=root)[: limit + 1]
    )
    return townships if len(townships) <= limit else []
