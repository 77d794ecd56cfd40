"""Personas, built once per test session on top of the five seed counties (STYLE.md habit 7); the demo
county, built once for the tests that ask for `demo_county`; a fast password hasher.

county      admin of 盐池县 640323 (县委组织部)
huamachi    township clerk of 花马池镇 640323100
dashuikeng  township clerk of 大水坑镇 640323101
cunshuji    village secretary of the first 村委会 of 花马池镇
auditor     read-only auditor of 盐池县
outsider    admin of another county, 武都区 621202
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client, override_settings
from pytest_django.plugin import blocking_manager_key

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


# Tests hash with MD5: PBKDF2's million rounds cost a quarter of a second for every password set or checked
# (the personas, the demo's accounts, every login by password). PBKDF2 stays second, so its hashes still check.
FAST_PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        yield


@pytest.fixture(scope="session")
def django_db_setup(fast_password_hashing, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_world()


# --- the demo county, built once --------------------------------------------------------------------------
#
# `build_demo()` takes half a minute. The tests that read the demo as `build_demo()` leaves it ask for
# `demo_county` instead of building it themselves: it is built once, in a transaction that stays open while
# those tests run one after the other (each still in its own savepoint, rolled back), and is rolled back after
# the last of them. So that they do run one after the other, they are moved to the front of the run and, under
# pytest-xdist (`--dist loadfile`), the files that use it are sent to one worker together.

DEMO = "demo_county"


class SharedDemo:
    def __init__(self) -> None:
        self.atomic = None
        self.built = False  # once, so the test database exists

    def open(self, blocker) -> None:
        if self.atomic is not None:
            return
        from yanzhen.demo.builder import build_demo

        with blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            build_demo()
        self.built = True

    def close(self, blocker) -> None:
        if self.atomic is None:
            return
        with blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = None


shared_demo = SharedDemo()


@pytest.fixture(scope="session")
def demo_county(django_db_setup, django_db_blocker) -> None:
    """The demo county as `build_demo()` leaves it (shared: see above)."""
    shared_demo.open(django_db_blocker)


def _uses_demo(item: pytest.Item | None) -> bool:
    return item is not None and DEMO in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(config, items):
    items[:] = [item for item in items if _uses_demo(item)] + [item for item in items if not _uses_demo(item)]


def pytest_xdist_make_scheduler(config, log):
    """`--dist loadfile`, except that the files using the shared demo go to one worker together."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    mentions: dict[str, bool] = {}

    class DemoFilesTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            if path not in mentions:
                file = config.rootpath / path
                mentions[path] = file.is_file() and DEMO in file.read_text(encoding="utf-8")
            return "demo" if mentions[path] else path

    return DemoFilesTogether(config, log)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if _uses_demo(item) and shared_demo.built:  # again, should one come after the demo was rolled back
        shared_demo.open(item.config.stash[blocking_manager_key])


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        if not _uses_demo(nextitem):
            shared_demo.close(item.config.stash[blocking_manager_key])


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
