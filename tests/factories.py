"""Test data built through the real services, so every row carries its history and audit like a clerk's.

`make_person` is the one way the tests create a person for their scenario (the candidacy, assessment,
cultivation, matching and posts tests all use it). The ID number is valid and unique: the county of the
village, the birth date, and a sequence from 100 up (odd for a man, even for a woman), so it never meets
the small sequences some tests write by hand."""

from __future__ import annotations

import itertools
from datetime import date

from yanzhen.accounts.models import User
from yanzhen.divisions.models import Division, Industry
from yanzhen.people.idcard import make_id_number
from yanzhen.people.models import Person, Skill
from yanzhen.people.services import EducationInput, PersonInput, create_person

from .conftest import HUAMACHI_VILLAGE

_counter = itertools.count()


def next_sequence(*, female: bool = False) -> int:
    """100-999, odd for a man and even for a woman (the 17th digit of a Chinese ID number)."""
    return 100 + (next(_counter) % 450) * 2 + (0 if female else 1)


def make_person(
    name: str = "祝心灵",
    village: str = HUAMACHI_VILLAGE,
    *,
    born: date = date(1990, 5, 12),
    actor: User | str = "county",
    status: str = "01",
    education: str | None = "31",
    female: bool = False,
    sequence: int | None = None,
    source=None,
    skills=(),
    industries=(),
    experience: bool = False,
) -> Person:
    """A person of `village` (a 村 code) created by `actor` (a user or a username; the county administrator
    by default, who reaches every persona's village). `education` is the full-time education code (None:
    no education record); `sequence` fixes the ID number's sequence (else the next free one)."""
    if isinstance(actor, str):
        actor = User.objects.get(username=actor)
    if sequence is None:
        sequence = next_sequence(female=female)
    return create_person(
        actor=actor,
        data=PersonInput(
            name=name,
            id_number=make_id_number(village[:6], born, sequence),
            village=Division.objects.get(code=village),
            political_status=status,
            source=source,
            skills=[Skill.objects.get(name=skill) for skill in skills],
            industries=[Industry.objects.get_or_create(name=industry)[0] for industry in industries],
            has_industry_experience=experience,
            educations=[EducationInput(kind="full_time", education=education)] if education else [],
        ),
    )
