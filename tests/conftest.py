"""Personas, built once per test session on top of the five seed counties (STYLE.md habit 7).

county      admin of 盐池县 640323 (县委组织部)
huamachi    township clerk of 花马池镇 640323100
dashuikeng  township clerk of 大水坑镇 640323101
cunshuji    village secretary of the first 村委会 of 花马池镇
auditor     read-only auditor of 盐池县
outsider    admin of another county, 武都区 621202
"""

from __future__ import annotations

import pytest
from django.test import Client

from yanzhen.accounts.models import User
from yanzhen.accounts.roles import Role

PASSWORD = "Persona#2026"
HUAMACHI = "640323100"
DASHUIKENG = "640323101"
HUAMACHI_VILLAGE = "640323100200"  # first 村委会 of 花马池镇
DASHUIKENG_VILLAGE = "640323101200"

PERSONAS = {
    "county": ("640323", Role.ADMIN),
    "huamachi": (HUAMACHI, Role.TOWNSHIP_CLERK),
    "dashuikeng": (DASHUIKENG, Role.TOWNSHIP_CLERK),
    "cunshuji": (HUAMACHI_VILLAGE, Role.VILLAGE_SECRETARY),
    "auditor": ("640323", Role.AUDITOR),
    "outsider": ("621202", Role.ADMIN),
}


def build_world() -> None:
    from yanzhen.accounts.services import create_or_update_user
    from yanzhen.demo.builder import SEED_COUNTIES, SEED_DIR
    from yanzhen.divisions.importer import import_divisions
    from yanzhen.divisions.models import Division

    for county in SEED_COUNTIES:
        import_divisions(SEED_DIR, under=county)
    for username, (code, role) in PERSONAS.items():
        create_or_update_user(
            username=username, password=PASSWORD, division=Division.objects.get(code=code), roles=[role]
        )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_world()


@pytest.fixture
def persona(db):
    def get(username: str) -> User:
        return User.objects.get(username=username)

    return get


@pytest.fixture
def client_for(db):
    """A logged-in test client for a persona."""

    def make(username: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(username=username))
        return client

    return make
