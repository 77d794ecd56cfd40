"""Personas, built once per test session on top of the five seed counties (STYLE.md habit 7); the demo
county, built once for the tests that ask for `demo_county` (or `demo_cultivated`, `demo_on_day`); a fast
password hasher.

county      admin of 盐池县 640323 (县委组织部)
huamachi    township clerk of 花马池镇 640323100
dashuikeng  township clerk of 大水坑镇 640323101
cunshuji    village secretary of the first 村委会 of 花马池镇
auditor     read-only auditor of 盐池县
outsider    admin of another county, 武都区 621202
"""

from __future__ import annotations

import copy
import gc
import sys
import time

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from pytest_django.plugin import blocking_manager_key

from yanzhen.accounts.models import User
from yanzhen.accounts.roles import Role

PASSWORD = "Persona#2026"


# django-simple-history's `Model.history` descriptor builds a new manager class (`from_queryset`, which walks
# every method of the queryset class with `inspect.getmembers`) on every access, and each save of a model with
# history reaches it once: some 8,000 classes for the demo alone, a tenth of its CPU. The class is the same
# every time (same manager class, same queryset class); here it is built once per pair. Each access still gets
# a new manager instance for its model and instance, as before.
def _history_manager_classes_built_once() -> None:
    from simple_history.manager import HistoryDescriptor

    built: dict[tuple[type, type], type] = {}

    def __get__(self, instance, owner):
        key = (self.manager_class, self.queryset_class)
        if key not in built:
            built[key] = self.manager_class.from_queryset(self.queryset_class)
        return built[key](self.model, instance)

    HistoryDescriptor.__get__ = __get__


_history_manager_classes_built_once()

# The garbage collector's first generation is collected every 700 allocations by default; a test process holds
# Django, the test world and its ORM objects, so each collection of the older generations walks a large heap.
# Collected less often, the collector's own time halves (test_candidacies_demo: 1.2 s -> 0.5 s); nothing in the
# tests or in yanzhen waits on the collector (no weakref callbacks, no __del__).
gc.set_threshold(50_000, 50, 100)
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


# --- the test database: tables from the models, migrations recorded, data migrations run ----------------------
#
# The test databases are made as `--nomigrations` makes them (pytest's addopts): the tables straight from the
# models. Then `ops.schema` records every migration as applied and runs the project's data migrations again,
# as it does for the restore drill's database (its docstring says why and what proves it equal to `migrate`).
# `pytest --migrations` migrates for real.

_MIGRATION_MODULES = settings.MIGRATION_MODULES


@pytest.fixture(scope="session")
def django_db_setup(fast_password_hashing, django_db_setup, django_db_blocker, django_db_use_migrations):
    with django_db_blocker.unblock():
        if not django_db_use_migrations:
            settings.MIGRATION_MODULES = _MIGRATION_MODULES  # pytest-django switched them off for the set-up
            from yanzhen.ops.schema import record_migrations_applied, run_data_migrations

            record_migrations_applied()
            run_data_migrations(ddl=True)
        build_world()
        shared_records.ready = True
        if (
            shared_records.wanted
        ):  # the first test of the worker shares records: build them now, before its own
            shared_records.open(django_db_blocker, shared_records.wanted)


# --- records shared by consecutive tests ----------------------------------------------------------------------
#
# A test marked `shared_mark(build, *args)` runs on the records `build(*args)` makes (its value is the `shared`
# fixture), the way test_permission_matrix's tests share their module's records: built in a transaction that
# stays open while the tests that share them run one after the other (each still in its own savepoint, rolled
# back), and rolled back after the last of them. So each of those tests sees the world it would have built
# itself first thing, built once for all of them instead of once each. The tests of a file that share the same
# `build(*args)` are moved next to each other (at the place of the first of them), and no test runs beside
# records it did not ask for: the transaction is rolled back before any other test.


def shared_mark(build, *args) -> pytest.MarkDecorator:
    """The mark of a test that runs on what `build(*args)` made (a module-level function: the same records
    are shared by the tests marked with the same function and arguments)."""
    return pytest.mark.shared.with_args(build, *args)  # with_args: `build` alone would be decorated


class SharedRecords:
    def __init__(self) -> None:
        self.key: tuple | None = None  # (build, *args) of the records open
        self.atomic: transaction.Atomic | None = None
        self.value: object = None
        self.ready = False  # the test database exists
        self.wanted: tuple | None = None  # the key of the test being set up

    def open(self, blocker, key: tuple) -> None:
        if key == self.key:
            return
        self.close(blocker)
        build, *args = key
        with blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                value = build(*args)
            except BaseException:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
                raise
        self.key, self.atomic, self.value = key, atomic, value

    def close(self, blocker) -> None:
        if self.atomic is not None:
            with blocker.unblock():
                transaction.set_rollback(True)
                self.atomic.__exit__(None, None, None)
        self.key = self.atomic = self.value = None


shared_records = SharedRecords()


def _shared_key(item: pytest.Item | None) -> tuple | None:
    mark = item.get_closest_marker("shared") if item is not None else None
    return tuple(mark.args) if mark else None


@pytest.fixture
def shared(request):
    """What `build(*args)` of the test's `shared` mark returned."""
    assert shared_records.key == _shared_key(request.node), (
        f"{request.node.nodeid} has no shared records open"
    )
    return shared_records.value


_shared_fixtures: dict[tuple[str, str], tuple] = {}  # (module, fixture name): (build, *args)


def shared_fixture(name: str, build, *args):
    """A fixture `name` of the calling module whose value is a copy of what `build(*args)` made: the tests of the
    module that ask for it (directly or through another fixture) are marked `shared_mark(build, *args)` at
    collection, so they share the records. Assign it to the same name: `people = shared_fixture("people", ...)`."""
    module = sys._getframe(1).f_globals["__name__"]
    _shared_fixtures[module, name] = (build, *args)

    @pytest.fixture(name=name)
    def fixture(shared):
        return copy.deepcopy(shared)  # each test may change its instances: the next one gets them unchanged

    return fixture


def _mark_shared_fixtures(items: list[pytest.Item]) -> None:
    for item in items:
        module = getattr(getattr(item, "module", None), "__name__", None)
        keys = {
            _shared_fixtures[module, name]
            for name in getattr(item, "fixturenames", ())
            if (module, name) in _shared_fixtures
        }
        if keys:
            assert len(keys) == 1 and not _shared_key(item), (
                f"{item.nodeid} asks for two kinds of shared records"
            )
            item.add_marker(shared_mark(*keys.pop()))


def _group_shared(items: list[pytest.Item]) -> list[pytest.Item]:
    """The tests of a file that share records next to each other, at the place of the first of them."""
    groups: dict[tuple, list[pytest.Item]] = {}
    ordered: list[list[pytest.Item]] = []
    for item in items:
        key = _shared_key(item)
        if key is None:
            ordered.append([item])
        elif (item.path, key) in groups:
            groups[item.path, key].append(item)
        else:
            groups[item.path, key] = [item]
            ordered.append(groups[item.path, key])
    return [item for group in ordered for item in group]


def pytest_configure(config):
    config.addinivalue_line("markers", "shared(build, *args): the test runs on records shared (see conftest)")


# --- the demo county, built once --------------------------------------------------------------------------
#
# `build_demo()` takes half a minute. The tests that read the demo ask for one of three states of it instead
# of building it themselves: `demo_county` (as `build_demo()` leaves it), `demo_cultivated` (without the
# present: test_demo_cultivation) and `demo_on_day` (carried forward to a fixed day: test_demo_present). The
# states are stacks of layers (tests/demo_support.py) with the same base, each layer built in a savepoint of a
# transaction that stays open while those tests run one after the other (each still in its own savepoint,
# rolled back): a test that needs another state rolls back to the layers the two have in common and builds the
# rest, and the whole transaction is rolled back after the last of them. So the base and the cultivation are
# built once, and the present twice (for today and for the fixed day). So that the tests do run one after
# the other, they are moved to the front of the run, ordered by state, and, under pytest-xdist
# (`--dist loadfile`), the files that use the demo are sent to one worker together.

DEMO = "demo_county"
DEMO_STATES = {  # fixture name: its layers, in the order the tests run
    "demo_cultivated": ("base", "cultivated"),
    "demo_on_day": ("base", "cultivated", "on-day"),
    DEMO: ("base", "cultivated", "present"),
}


class SharedDemo:
    def __init__(self) -> None:
        self.layers: list[tuple[str, transaction.Atomic, object]] = []  # (name, its savepoint, its value)
        self.built = False  # once, so the test database exists
        self.check_cultivation = False  # build cultivation a first time too: test_demo_cultivation runs

    def open(self, blocker, state: str) -> object:
        """The layers of `state`, built on those already open that it shares; the value of the top one."""
        from . import demo_support

        wanted = DEMO_STATES[state]
        with blocker.unblock():
            while [name for name, _, _ in self.layers] != list(wanted[: len(self.layers)]):
                self._pop()
            values = {name: value for name, _, value in self.layers}
            for name in wanted[len(self.layers) :]:
                atomic = transaction.atomic()
                atomic.__enter__()
                try:
                    if name == "base":
                        value = demo_support.build_base()
                    elif name == "cultivated":
                        value = demo_support.build_cultivated(values["base"], check=self.check_cultivation)
                    elif name == "present":
                        value = demo_support.build_present_today(values["base"])
                    else:
                        value = demo_support.build_present_on_day()
                except BaseException:
                    transaction.set_rollback(True)
                    atomic.__exit__(None, None, None)
                    raise
                self.layers.append((name, atomic, value))
                values[name] = value
        self.built = True
        return values[wanted[-1]]

    def _pop(self) -> None:
        _, atomic, _ = self.layers.pop()
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)

    def close(self, blocker) -> None:
        if self.layers:
            with blocker.unblock():
                while self.layers:
                    self._pop()


shared_demo = SharedDemo()


@pytest.fixture(scope="session")
def demo_county(django_db_setup, django_db_blocker) -> None:
    """The demo county as `build_demo()` leaves it (shared: see above)."""
    shared_demo.open(django_db_blocker, DEMO)


@pytest.fixture(scope="session")
def demo_cultivated(django_db_setup, django_db_blocker):
    """The demo county up to cultivation and the incumbents (shared): a `demo_support.Cultivated`."""
    return shared_demo.open(django_db_blocker, "demo_cultivated")


@pytest.fixture(scope="session")
def demo_on_day(django_db_setup, django_db_blocker) -> dict[str, int]:
    """The demo county carried forward to `demo_support.DEMO_DAY` (shared): what the present created."""
    return shared_demo.open(django_db_blocker, "demo_on_day")


def _demo_state(item: pytest.Item | None) -> str | None:
    names = [name for name in DEMO_STATES if name in getattr(item, "fixturenames", ())]
    assert len(names) <= 1, f"{item.nodeid} asks for two states of the demo: {names}"
    return names[0] if names else None


def pytest_collection_modifyitems(config, items):
    _mark_shared_fixtures(items)
    order = list(DEMO_STATES)
    demo = sorted(
        (item for item in items if _demo_state(item)), key=lambda item: order.index(_demo_state(item))
    )
    shared_demo.check_cultivation = any(_demo_state(item) == "demo_cultivated" for item in demo)
    items[:] = demo + _group_shared([item for item in items if not _demo_state(item)])


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
                text = file.read_text(encoding="utf-8") if file.is_file() else ""
                mentions[path] = any(state in text for state in DEMO_STATES)
            return "demo" if mentions[path] else path

    return DemoFilesTogether(config, log)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    state = _demo_state(item)
    if state and shared_demo.built:  # the state it needs, should the one before have needed another or none
        shared_demo.open(item.config.stash[blocking_manager_key], state)
    key = shared_records.wanted = _shared_key(item)
    assert not (key and state), f"{item.nodeid} asks for the demo and for shared records"
    if key and shared_records.ready:
        shared_records.open(item.config.stash[blocking_manager_key], key)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        blocker = item.config.stash[blocking_manager_key]
        if _shared_key(nextitem) != shared_records.key:
            shared_records.close(blocker)
        if not _demo_state(nextitem):
            shared_demo.close(blocker)


@pytest.fixture
def persona(db):
    def get(username: str) -> User:
        return User.objects.get(username=username)

    return get


@pytest.fixture
def client_for(db):
    """A logged-in test client for a persona (see `session_login`)."""

    def make(username: str) -> Client:
        client = Client()
        session_login(client, User.objects.get(username=username))
        return client

    return make


def session_login(client: Client, user: User) -> None:
    """The session a login leaves, without the login's bookkeeping: what `auth.login` and
    `accounts.signals.on_login` put in the session (the user, his password hash, the time the password was
    entered, the second factor still owed), but no audit row, no django-axes access log, no `last_login` (and
    its history row) and no single-session registration. A test client logs in some 2,500 times in the suite,
    and that bookkeeping was most of the cost of each; the tests of the login itself (test_sessions,
    test_auth, test_audit_log, test_two_factor ...) log in with `client.login` or `client.force_login`."""
    start_session(client, login_session_data(client, user))


def login_session_data(client: Client, user: User) -> dict:
    """What a login of `user` puts in the session (see `session_login`), but the time the password was entered.
    Tests that share records may read it once per user and start each test's session with it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from yanzhen.accounts import two_factor_state

    data = {
        SESSION_KEY: user._meta.pk.value_to_string(user),
        BACKEND_SESSION_KEY: client._get_backend(),
        HASH_SESSION_KEY: user.get_session_auth_hash(),
    }
    state = two_factor_state.decide(user)
    if state is not None:
        data[two_factor_state.SESSION_KEY] = state
    return data


def start_session(client: Client, data: dict) -> None:
    """A new session holding `data` and the password entered now, its cookie set on `client`."""
    from importlib import import_module

    from django.contrib.sessions.backends.base import VALID_KEY_CHARS
    from django.utils.crypto import get_random_string

    from yanzhen.accounts import reauth
    from yanzhen.accounts.middleware import REFRESH_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session.update(data)
    session[reauth.ENTERED_AT] = time.time()
    session[REFRESH_KEY] = int(time.time())  # as a login's own save stamps it (accounts.middleware)
    if hasattr(session, "create_model_instance"):
        # The database's sessions: the row inserted at once, as `create()` does after looking the new random key
        # up (32 characters: it is not there) and opening a savepoint for the insert.
        session._session_key = get_random_string(32, VALID_KEY_CHARS)
        session.create_model_instance(session._session).save(force_insert=True)
    else:
        session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME].update(
        {
            "path": "/",
            "domain": settings.SESSION_COOKIE_DOMAIN,
            "secure": settings.SESSION_COOKIE_SECURE or "",
        }
    )
