"""Builders shared by the cultivation tests: trainings and reserves (people come from tests.factories)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from yanzhen.accounts.models import User
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person

from .conftest import DASHUIKENG_VILLAGE, HUAMACHI, HUAMACHI_VILLAGE

HUAMACHI_OTHER_VILLAGE = "640323100201"  # a second 村委会 of 花马池镇
COUNTY = "640323"


def actor(name: str) -> User:
    return User.objects.get(username=name)


def training_input(**overrides):
    from yanzhen.cultivation.services import TrainingInput

    values = {
        "name": "村级后备力量培训班",
        "organiser": "花马池镇党委",
        "division": Division.objects.get(code=HUAMACHI),
        "kind": "township_school",
        "start": date(2024, 5, 6),
        "end": date(2024, 5, 10),
        "hours": Decimal("40"),
        "place": "花马池镇党校",
    }
    values.update(overrides)
    return TrainingInput(**values)


def put_in_pool(someone: Person, entered: date = date(2024, 1, 1)):
    """A reserve in the pool (the pipeline's own services are another issue's; the row is enough here)."""
    from yanzhen.candidacies.models import Candidacy, CandidacyState

    return Candidacy.objects.create(
        person=someone,
        village=someone.village,
        state=CandidacyState.IN_POOL,
        nomination_way="self",
        nominated_on=date(2023, 10, 1),
        entered_pool_on=entered,
    )


__all__ = [
    "COUNTY",
    "DASHUIKENG_VILLAGE",
    "HUAMACHI",
    "HUAMACHI_OTHER_VILLAGE",
    "HUAMACHI_VILLAGE",
    "actor",
    "put_in_pool",
    "training_input",
]
