"""`make bench` (`python -m bench`): measure the figures the issues ask for and write them to docs/benchmarks.md.

Each benchmark runs in a fresh database (a temporary SQLite file, and a throwaway PostgreSQL database when
the local server answers), in a subprocess, so that one measurement cannot warm the next.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.utils import timezone

DEFAULT_DATA = Path("../shared/data/divisions")
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
STATS_RUNS = 7  # each figure is the median of this many warm runs, after one cold run


@dataclass(frozen=True)
class StatsDataset:
    """A province filled by bench.stats_data, a county inside it, and the budgets of its figures (seconds;
    `queries`: the most queries the dashboard page may make)."""

    province: str
    county: str
    budgets: dict
    max_ratio: float | None = None  # of the province's figures today to their floor
    queries: int | None = None
    cached: bool = False  # kept as a dump between runs (STATS_CACHE), restored instead of generated


STATS_DATASETS = [
    # 宁夏: about 2,300 村委会, filled in a minute; 盐池县 inside it.
    StatsDataset(
        "64",
        "640323",
        {
            "province": 1.0,
            "past": 1.0,
            "county": 0.1,
            "dashboard": 1.5,
            "province_write": 1.0,
            "county_write": 0.1,
            "refresh": 30.0,
        },
    ),
    # 河南, the largest province: 44,502 村委会 (issue 17); 濮阳县, its county with the most 村委会.
    StatsDataset(
        "41",
        "410928",
        {
            "province": 0.3,
            "past": 1.0,
            "county": 0.03,
            "dashboard": 1.0,
            # The same figures when a write has just moved one county's stamp (stats.rollup reads that county
            # again), and the nightly fill of every county's counts for today (`yanzhen stats --refresh`). A
            # county read again costs its direct computation, so the province's budget is its budget too.
            "province_write": 0.3,
            "county_write": 0.3,
            "refresh": 30.0,
        },
        max_ratio=5.0,
        queries=15,
        cached=True,
    ),
]
STATS_CACHE = Path(os.environ.get("YANZHEN_BENCH_CACHE", Path.home() / ".cache" / "yanzhen-bench"))


@dataclass
class Measurement:
    benchmark: str
    database: str
    seconds: float
    budget: float
    command: str
    note: str = ""
    failed: bool = False  # a run with errors fails whatever its time
    # The floor: the same work done the cheapest way known (one hand-written SQL, a raw copy, openpyxl reading
    # the file alone), measured in the same run; `max_ratio` fails a row that costs more times its floor.
    floor: float | None = None
    max_ratio: float | None = None

    @property
    def ratio(self) -> float | None:
        return self.seconds / self.floor if self.floor else None

    @property
    def verdict(self) -> str:
        over_floor = self.max_ratio is not None and self.ratio is not None and self.ratio > self.max_ratio
        return "pass" if self.seconds <= self.budget and not self.failed and not over_floor else "FAIL"


def _yanzhen(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "yanzhen", *args], env=env, check=True, capture_output=True, text=True
    )


def _databases() -> list[tuple[str, dict[str, str], callable]]:
    """(label, environment, cleanup) for SQLite and, when reachable, PostgreSQL."""
    base = {**os.environ, "YANZHEN_DEBUG": "1"}
    base.pop("YANZHEN_DATABASE_URL", None)
    sqlite_dir = tempfile.mkdtemp(prefix="yanzhen-bench-")
    found = [("SQLite", {**base, "YANZHEN_VAR_DIR": sqlite_dir}, lambda: shutil.rmtree(sqlite_dir, True))]
    if shutil.which("createdb") and subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode == 0:
        name = f"yanzhen_bench_{uuid.uuid4().hex[:8]}"
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)

        def drop(name=name):
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=False)

        found.append(("PostgreSQL", {**base, "YANZHEN_DATABASE_URL": f"{POSTGRES_SERVER}/{name}"}, drop))
    return found


NATIONAL_IMPORT_BUDGET = 30.0  # issue 17


def bench_national_import(data: Path) -> list[Measurement]:
    """The import in a fresh database, against its floor measured first in another fresh database."""
    floors = {}
    for label, env, cleanup in _databases():
        try:
            _yanzhen(env, "migrate", "--noinput", "-v0")
            worker = [sys.executable, "-m", "bench", "--data", str(data), "--national-floor-worker"]
            done = subprocess.run(worker, env=env, check=True, capture_output=True, text=True)
            floors[label] = json.loads(done.stdout.strip().splitlines()[-1])["seconds"]
        finally:
            cleanup()
    results = []
    for label, env, cleanup in _databases():
        try:
            _yanzhen(env, "migrate", "--noinput", "-v0")
            started = time.perf_counter()
            output = _yanzhen(env, "import-divisions", str(data)).stdout.strip()
            seconds = time.perf_counter() - started
            how = "COPY" if label == "PostgreSQL" else "executemany"
            results.append(
                Measurement(
                    "national division import (620,573 villages, all levels)",
                    label,
                    seconds,
                    NATIONAL_IMPORT_BUDGET,
                    f"yanzhen import-divisions {data}",
                    (output.splitlines()[0] if output else "")
                    + f"; floor: the same rows and history rows, prepared beforehand, written with {how} in one"
                    " transaction into the empty tables of a fresh migrated database",
                    floor=floors.get(label),
                )
            )
        finally:
            cleanup()
    return results


def national_floor(data: Path) -> float:
    """Seconds to write the national import's rows the cheapest way known, into this (fresh, migrated)
    database: every unit and its '+' history row, prepared in memory first (untimed), then COPY on PostgreSQL
    or executemany of tuples on SQLite, in one transaction, with the tables' indexes as migrated."""
    import csv
    import gzip
    import io

    _setup_django()
    from django.db import connection, transaction

    from yanzhen.divisions.codes import level_of, parent_code, unit_kind

    units = []
    for stem in ("provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv.gz"):
        raw = (data / stem).read_bytes()
        text = (gzip.decompress(raw) if stem.endswith(".gz") else raw).decode("utf-8-sig")
        for record in list(csv.reader(io.StringIO(text, newline="")))[1:]:
            code = record[0].strip()
            units.append(
                (code, record[1].strip(), int(level_of(code)), unit_kind(code).value, parent_code(code))
            )
    unit_columns = "code, name, level, kind, parent_id"
    history_columns = f"{unit_columns}, history_date, history_type, history_user_id"
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    if connection.vendor == "postgresql":
        escapes = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
        lines = [
            "\t".join((code, name.translate(escapes), str(level), kind, parent or "\\N"))
            for code, name, level, kind, parent in units
        ]
        unit_text = "".join(line + "\n" for line in lines)
        history_text = "".join(f"{line}\t{now}\t+\t\\N\n" for line in lines)
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            with cursor.copy(f"COPY divisions_division ({unit_columns}) FROM STDIN") as copy:
                copy.write(unit_text)
            with cursor.copy(f"COPY divisions_historicaldivision ({history_columns}) FROM STDIN") as copy:
                copy.write(history_text)
        return time.perf_counter() - started
    history = [(*unit, now, "+", None) for unit in units]
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO divisions_division ({unit_columns}) VALUES (%s, %s, %s, %s, %s)", units
        )
        cursor.executemany(
            f"INSERT INTO divisions_historicaldivision ({history_columns}) VALUES ({', '.join(['%s'] * 8)})",
            history,
        )
    return time.perf_counter() - started


PERSON_LIST_PEOPLE = 75_000
PERSON_LIST_COUNTY = "640323"  # 盐池县, from the seed data
PERSON_LIST_RUNS = 15
# (what is timed, the query string of /people/)
PERSON_LIST_CASES = [
    ("filters: 35–50, college or above, women", "age_band=35_to_50&education_band=college_or_above&gender=2"),
    ("search q=wang (name, pinyin, village)", "q=wang"),
    ("search q=<last 4 ID digits> in a township", "q={tail}&township=640323100"),
]


def _duration(seconds: float, budget: float) -> str:
    return f"{seconds * 1000:.0f} ms" if budget < 1 else f"{seconds:.1f} s"


def _generate_people(count: int, county: str) -> None:
    """`count` people spread over the villages of the county, written with bulk_create (no history: bench
    data). Numbers are encrypted, hashed and masked exactly as the services store them."""
    import random
    from functools import lru_cache

    from yanzhen.core import crypto
    from yanzhen.divisions.codes import Level
    from yanzhen.divisions.models import Division
    from yanzhen.people.codes import Education
    from yanzhen.people.idcard import make_id_number
    from yanzhen.people.models import Person, Skill, Source
    from yanzhen.people.services import mask_phone, pinyin_of

    rng = random.Random(75_000)
    pinyin = lru_cache(maxsize=None)(pinyin_of)
    villages = list(
        Division.objects.filter(level=Level.VILLAGE, code__startswith=county).values_list("code", flat=True)
    )
    sources = list(Source.objects.values_list("pk", flat=True))
    skills = list(Skill.objects.values_list("pk", flat=True))
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    given = "建国军平文华明玉兰芳秀英志强伟磊静丽心灵海燕红霞春梅晓东小龙云飞学成德宝新民生福林俊杰慧敏"
    educations = [*Education.values, "", "", "", "61", "71", "31", "21"]
    statuses = ["01"] * 3 + ["02", "03", "03", "12"] + ["13"] * 5
    first_day = date(1960, 1, 1)
    used: set[tuple[date, int]] = set()
    batch: list[Person] = []
    skill_rows: list[tuple[int, int]] = []  # (index in creation order, skill)
    for index in range(count):
        name = rng.choice(surnames) + "".join(rng.choices(given, k=rng.choice((1, 2, 2))))
        born = first_day + timedelta(days=rng.randrange(45 * 365))
        sequence = rng.randrange(1000)
        while (born, sequence) in used:
            sequence = (sequence + 1) % 1000
        used.add((born, sequence))
        number = make_id_number("640323", born, sequence)
        phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
        full, initials = pinyin(name)
        batch.append(
            Person(
                name=name,
                name_pinyin=full,
                name_initials=initials,
                gender="1" if sequence % 2 else "2",
                birth_date=born,
                political_status=rng.choice(statuses),
                highest_education=rng.choice(educations),
                id_number_encrypted=crypto.encrypt(number),
                id_number_hash=crypto.keyed_hash(number),
                id_number_masked=number[:6] + "********" + number[-4:],
                phone_encrypted=crypto.encrypt(phone),
                phone_hash=crypto.keyed_hash(phone),
                phone_masked=mask_phone(phone),
                village_id=rng.choice(villages),
                source_id=rng.choice(sources) if rng.random() < 0.7 else None,
            )
        )
        skill_rows.extend((index, skill) for skill in rng.sample(skills, rng.choice((0, 1, 1, 2))))
        if len(batch) == 5000:
            Person.objects.bulk_create(batch, batch_size=1000)
            batch = []
    Person.objects.bulk_create(batch, batch_size=1000)
    ids = list(Person.objects.order_by("id").values_list("id", flat=True))
    Through = Person.skills.through
    Through.objects.bulk_create(
        [Through(person_id=ids[index], skill_id=skill) for index, skill in skill_rows], batch_size=5000
    )


def person_list_worker(count: int) -> list[dict]:
    """Run inside a fresh, migrated database: load the county, generate the people, time the list page."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yanzhen.settings")
    import django

    django.setup()
    from django.db import connection
    from django.http import QueryDict
    from django.test import Client

    from yanzhen.accounts.roles import Role
    from yanzhen.accounts.services import create_or_update_user
    from yanzhen.demo.builder import SEED_DIR
    from yanzhen.divisions.importer import import_divisions
    from yanzhen.divisions.models import Division
    from yanzhen.people import selectors
    from yanzhen.people.models import Person
    from yanzhen.people.views.list import PersonFilterForm

    import_divisions(SEED_DIR, under=PERSON_LIST_COUNTY)
    started = time.perf_counter()
    _generate_people(count, PERSON_LIST_COUNTY)
    generated = time.perf_counter() - started
    if connection.vendor == "postgresql":
        # What autovacuum does after a bulk load: statistics, and the visibility map index-only scans need.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    tail = (
        Person.objects.filter(village__code__startswith="640323100")
        .order_by("id")
        .values_list("id_number_masked", flat=True)
        .first()[-4:]
    )
    user, _ = create_or_update_user(
        username="bench-county",
        password="Bench#List2026",
        division=Division.objects.get(code=PERSON_LIST_COUNTY),
        roles=[Role.ADMIN],
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    results = []
    for label, query in PERSON_LIST_CASES:
        query = query.format(tail=tail)
        path = f"/people/?{query}"
        for _ in range(3):  # warm the caches a server has warm after its first requests
            client.get(path)
        times = []
        for _ in range(PERSON_LIST_RUNS):
            began = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - began)
            assert response.status_code == 200, response.status_code
        form = PersonFilterForm(user, QueryDict(query))
        form.is_valid()
        found = selectors.search_people(user, **form.filters()).count()
        results.append(
            {
                "label": label,
                "path": path,
                "seconds": statistics.median(times),
                "note": f"{found:,} of {count:,} match; median of {PERSON_LIST_RUNS} requests "
                f"(max {max(times) * 1000:.0f} ms, load average {os.getloadavg()[0]:.1f}); "
                f"data generated in {generated:.0f} s",
            }
        )
    return results


def bench_person_list(count: int = PERSON_LIST_PEOPLE) -> list[Measurement]:
    results = []
    for label, env, cleanup in _databases():
        try:
            _yanzhen(env, "migrate", "--noinput", "-v0")
            worker = subprocess.run(
                [sys.executable, "-m", "bench", "--person-list-worker", str(count)],
                env=env,
                capture_output=True,
                text=True,
            )
            if worker.returncode:
                print(worker.stderr, file=sys.stderr)
                worker.check_returncode()
            output = worker.stdout
            for case in json.loads(output.strip().splitlines()[-1]):
                results.append(
                    Measurement(
                        f"person list, first page, {count:,} people: {case['label']}",
                        label,
                        case["seconds"],
                        0.150,
                        f"GET {case['path']}",
                        case["note"],
                    )
                )
        finally:
            cleanup()
    return results


# Statistics (issue 7 §5): a province-size dataset on PostgreSQL ------------------------------------------------


def _postgres() -> tuple[dict[str, str], callable] | None:
    for label, env, cleanup in _databases():
        if label == "PostgreSQL":
            return env, cleanup
        cleanup()
    return None


def _dataset_key(dataset: StatsDataset) -> str:
    """What a cached dump was made from: the generator, the migrations and the province."""
    import hashlib

    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(dataset.province.encode())
    for path in [
        Path(__file__).parent / "stats_data.py",
        *sorted(root.glob("src/yanzhen/*/migrations/*.py")),
    ]:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _restore_or_generate(dataset: StatsDataset, env: dict, data: Path) -> tuple[dict, str]:
    """Fill the database of `env`: from the cached dump when there is one for this code, else generated
    (and dumped for the next run when the dataset is cached). Returns what was written and how."""
    name = env["YANZHEN_DATABASE_URL"].rsplit("/", 1)[1]
    dump = STATS_CACHE / f"stats-{dataset.province}-{_dataset_key(dataset)}.dump"
    counts = dump.with_suffix(".json")
    if dataset.cached and dump.exists() and counts.exists():
        subprocess.run(
            [
                "pg_restore",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-d",
                name,
                "-j",
                "2",
                "--no-owner",
                str(dump),
            ],
            check=True,
            capture_output=True,
        )
        # A dump holds no planner statistics nor visibility map: made as after the generation.
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", name, "-qc", "VACUUM ANALYZE"], check=True
        )
        return json.loads(counts.read_text()), f"restored from {dump}"
    _yanzhen(env, "migrate", "--noinput", "-v0")
    worker = [sys.executable, "-m", "bench", "--data", str(data), "--stats-province", dataset.province]
    generated = subprocess.run(
        [*worker, "--stats-worker", "generate"], env=env, capture_output=True, text=True
    )
    if generated.returncode:
        print(generated.stderr, file=sys.stderr)
        generated.check_returncode()
    written = json.loads(generated.stdout.strip().splitlines()[-1])
    if dataset.cached:
        STATS_CACHE.mkdir(parents=True, exist_ok=True)
        with dump.open("wb") as out:
            subprocess.run(
                ["pg_dump", "-h", "127.0.0.1", "-U", "postgres", "-Fc", name], stdout=out, check=True
            )
        counts.write_text(json.dumps(written))
    return written, "generated"


def bench_stats(data: Path) -> list[Measurement]:
    """Fill each province of STATS_DATASETS in a fresh PostgreSQL database, then measure, in a fresh
    process, the figures of the province (today and a year ago) and of a county and the province's dashboard
    page, each against the hand-written SQL aggregation that is its floor (bench.stats_data.FLOOR_SQL)."""
    results = []
    for dataset in STATS_DATASETS:
        found = _postgres()
        if found is None:
            print(
                "PostgreSQL is not reachable: the statistics benchmark runs on PostgreSQL only",
                file=sys.stderr,
            )
            return results
        env, cleanup = found
        try:
            started = time.perf_counter()
            written, how = _restore_or_generate(dataset, env, data)
            filling = time.perf_counter() - started
            worker = [
                sys.executable,
                "-m",
                "bench",
                "--data",
                str(data),
                "--stats-province",
                dataset.province,
            ]
            measured = subprocess.run(
                [*worker, "--stats-county", dataset.county, "--stats-worker", "measure"],
                env=env,
                capture_output=True,
                text=True,
            )
            if measured.returncode:
                print(measured.stderr, file=sys.stderr)
                measured.check_returncode()
            figures = json.loads(measured.stdout.strip().splitlines()[-1])
        finally:
            cleanup()
        results += _stats_rows(dataset, written, how, filling, figures)
    return results


def _stats_rows(dataset: StatsDataset, written: dict, how: str, filling: float, figures: dict) -> list:
    command = "python -m bench --only stats"
    province, county = dataset.province, dataset.county
    rows = [
        Measurement(
            f"statistics dataset: every 村委会 of province {province} with people, history, posts, pipeline",
            "PostgreSQL",
            filling,
            900.0,
            command,
            f"{how}; " + ", ".join(f"{key} {value:,}" for key, value in written.items()),
        )
    ]
    labels = {
        "refresh": f"stats: every county's counts of province {province} for today (the nightly `--refresh`)",
        "province": f"stats for the province {province}, today",
        "past": f"stats for the province {province}, a year ago",
        "county": f"stats for the county {county}",
        "dashboard": f"dashboard page (首页) of the province {province}",
        "province_write": f"stats for the province {province}, today, just after a write in the county {county}",
        "county_write": f"stats for the county {county}, just after a write in it",
    }
    page_labels = {
        "list_filter": (
            f"person list of province {province}, first page: filters 35–50, college, women",
            0.15,
        ),
        "list_name": (f"person list of province {province}, first page: search a name", 0.15),
        "list_pinyin": (f"person list of province {province}, first page: search pinyin", 0.15),
        "list_id_tail": (
            f"person list of province {province}, first page: search the last 4 ID digits",
            0.15,
        ),
        "warnings": (f"warnings of province {province}: every count (the dashboard's cards)", 1.0),
    }
    if dataset.cached:  # the province-size dataset only
        for key, (label, budget) in page_labels.items():
            entry = figures["pages"][key]
            rows.append(
                Measurement(
                    label,
                    "PostgreSQL",
                    entry["seconds"],
                    budget,
                    f"GET {entry['url']}",
                    f"province administrator; median of {STATS_RUNS} warm requests (cold {entry['cold'] * 1000:.0f} ms); "
                    f"{entry['queries']} queries",
                )
            )
    for key, label in labels.items():
        entry = figures[key]
        too_many = key == "dashboard" and dataset.queries is not None and entry["queries"] > dataset.queries
        limit = f" (at most {dataset.queries})" if key == "dashboard" and dataset.queries is not None else ""
        rows.append(
            Measurement(
                label,
                "PostgreSQL",
                entry["seconds"],
                dataset.budgets[key],
                command,
                f"median of {STATS_RUNS} warm runs (cold {entry['cold'] * 1000:.0f} ms); floor: one hand-written SQL "
                f"over today's rows; {entry['queries']} queries{limit}; {entry['reserves']:,} reserves; "
                f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
                failed=too_many,
                floor=entry["floor"],
                max_ratio=dataset.max_ratio if key == "province" else None,
            )
        )
    return rows


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yanzhen.settings")
    if not os.environ.get("YANZHEN_DEMO"):
        os.environ.setdefault("YANZHEN_DEBUG", "1")  # the bench's own process: development keys
    import django

    django.setup()


def _stats_generate(data: Path, province: str) -> dict:
    from django.db import connection

    from bench.stats_data import generate_province
    from yanzhen.accounts.roles import Role
    from yanzhen.accounts.services import create_or_update_user
    from yanzhen.divisions.importer import import_divisions
    from yanzhen.divisions.models import Division

    import_divisions(data, under=province)
    written = generate_province(province, timezone.localdate())
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM ANALYZE"
        )  # what autovacuum does within a minute of such a load: statistics, visibility map
    create_or_update_user(
        username="bench-province",
        password=uuid.uuid4().hex + "Aa1!",
        division=Division.objects.get(code=province),
        roles=[Role.ADMIN],
    )
    return written


def _timed(function, runs: int = STATS_RUNS) -> tuple[float, float]:
    """(cold seconds, median of the warm runs)."""
    started = time.perf_counter()
    function()
    cold = time.perf_counter() - started
    warm = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        warm.append(time.perf_counter() - started)
    return cold, statistics.median(warm)


def _stats_measure(province: str, county: str) -> dict:
    from django.db import connection
    from django.db.models import F
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.stats_data import floor
    from yanzhen.accounts.models import User
    from yanzhen.candidacies.models import Candidacy
    from yanzhen.people.selectors import years_before
    from yanzhen.stats import rollup
    from yanzhen.stats.figures import compute, make_scope

    on = timezone.localdate()
    year_ago = years_before(on, 1)
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="bench-province"))

    def page():
        response = client.get("/")
        assert response.status_code == 200, response.status_code

    one = Candidacy.objects.filter(village__code__startswith=county).values_list("pk", flat=True)[0]

    def written(code: str):
        """A write in the county (it changes nothing but moves the county's stamp), then the figures."""
        Candidacy.objects.filter(pk=one).update(recommender=F("recommender"))
        return compute(None, code, on)

    results = {}
    for key, code, day, function in (
        ("refresh", province, on, lambda: rollup.refresh_all(make_scope(None, province, on))),
        ("province", province, on, lambda: compute(None, province, on)),
        ("past", province, year_ago, lambda: compute(None, province, year_ago)),
        ("county", county, on, lambda: compute(None, county, on)),
        ("dashboard", province, on, page),
        ("province_write", province, on, lambda: written(province)),
        ("county_write", county, on, lambda: written(county)),
    ):
        cold, warm = _timed(function)
        _floor_cold, floor_warm = _timed(lambda code=code, day=day: floor(code, day))
        with CaptureQueriesContext(connection) as captured:
            function()
        results[key] = {
            "seconds": warm,
            "cold": cold,
            "floor": floor_warm,
            "queries": len(captured.captured_queries),
            "reserves": compute(None, code, day)["reserves"]["total"],
        }
    results["pages"] = _province_pages(client, province)
    return results


def _province_pages(client, province: str) -> dict:
    """The province administrator's person list (first page: a filter, a name, a pinyin and an ID-tail
    search) and the warning cards of the province, each the median of STATS_RUNS warm requests."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yanzhen.people.models import Person

    tail = Person.objects.filter(village__code__startswith=province).values_list(
        "id_number_masked", flat=True
    )[0][-4:]
    pages = {
        "list_filter": "/people/?age_band=35_to_50&education_band=college_or_above&gender=2",
        "list_name": "/people/?q=王建",
        "list_pinyin": "/people/?q=wang",
        "list_id_tail": f"/people/?q={tail}",
        "warnings": f"/statistics/warning-cards/?division={province}",
    }
    found = {}
    for key, url in pages.items():

        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        cold, warm = _timed(get)
        with CaptureQueriesContext(connection) as captured:
            get()
        found[key] = {"url": url, "seconds": warm, "cold": cold, "queries": len(captured.captured_queries)}
    return found


def stats_worker(step: str, data: Path, province: str, county: str) -> int:
    _setup_django()
    print(
        json.dumps(
            _stats_generate(data, province) if step == "generate" else _stats_measure(province, county)
        )
    )
    return 0


MATCHING_BUDGETS = {"ranking": 0.200, "cross_village": 5.0, "mentoring": 5.0}


def matching_label(case: dict) -> str:
    if case["key"] == "ranking":
        return "matching: ranking for one village post (county of 600 villages, 1,500 reserves)"
    what = "跨村任职 cross-village posts" if case["key"] == "cross_village" else "mentors"
    return (
        f"matching: county-wide optimal placement, {what} ({case['reserves']:,} reserves, "
        f"{case['options']:,} options, {case['places']:,} places)"
    )


def bench_matching() -> list[Measurement]:
    """Ranking for one post and county-wide placements on a synthetic county (bench.matching_data)."""
    results = []
    for label, env, cleanup in _databases():
        try:
            _yanzhen(env, "migrate", "--noinput", "-v0")
            worker = subprocess.run(
                [sys.executable, "-m", "bench", "--matching-worker"],
                env=env,
                capture_output=True,
                text=True,
            )
            if worker.returncode:
                print(worker.stderr, file=sys.stderr)
                worker.check_returncode()
            for case in json.loads(worker.stdout.strip().splitlines()[-1]):
                results.append(
                    Measurement(
                        matching_label(case),
                        label,
                        case["seconds"],
                        MATCHING_BUDGETS[case["key"]],
                        "python -m bench --only matching",
                        case["note"],
                    )
                )
        finally:
            cleanup()
    return results


# Elections (issue 16): results for a county of 600 villages in one go, and the report ------------------------

ELECTION_BUDGETS = {"results": 10.0, "report": 1.0}
ELECTION_COMMAND = "python -m bench --only elections"


def election_label(key: str) -> str:
    from bench.election_data import TOWNSHIPS, VILLAGES_PER_TOWNSHIP

    villages = TOWNSHIPS * VILLAGES_PER_TOWNSHIP
    if key == "results":
        return f"election results for a county of {villages} villages in one go"
    return "election report for that county"


def bench_elections() -> list[Measurement]:
    """The results of every village of a synthetic county of 600 村委会 recorded in one call
    (`elections.services.record_many_results`), then the election's report, on PostgreSQL
    (bench.election_data). The report's row is left out, with a message, while its module is missing."""
    found = _postgres()
    if found is None:
        print("PostgreSQL is not reachable: the election benchmark runs on PostgreSQL only", file=sys.stderr)
        return []
    env, cleanup = found
    results = []
    try:
        _yanzhen(env, "migrate", "--noinput", "-v0")
        worker = subprocess.run(
            [sys.executable, "-m", "bench", "--elections-worker"], env=env, capture_output=True, text=True
        )
        if worker.returncode:
            print(worker.stderr, file=sys.stderr)
            worker.check_returncode()
        for case in json.loads(worker.stdout.strip().splitlines()[-1]):
            if "skipped" in case:
                print(f"{election_label(case['key'])}: skipped: {case['skipped']}", file=sys.stderr)
                continue
            results.append(
                Measurement(
                    election_label(case["key"]),
                    "PostgreSQL",
                    case["seconds"],
                    ELECTION_BUDGETS[case["key"]],
                    ELECTION_COMMAND,
                    case["note"],
                )
            )
    finally:
        cleanup()
    return results


# Roster import (issue 8 §6): 10,000 rows validated and imported ------------------------------------------------

ROSTER_ROWS = 10_000
ROSTER_COUNTY = "640323"  # 盐池县, from the seed data


ROSTER_MAX_RATIO = 3.0  # issue 17: the import at most 3x openpyxl reading the same file


def _roster_floor(env: dict[str, str], roster: Path) -> float:
    """The floor of a roster row: a fresh Python process that opens the file with openpyxl in read-only mode
    and walks every row's values (bench.roster_floor), timed from outside like the import."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bench.roster_floor", str(roster)], env=env, check=True, capture_output=True
    )
    return time.perf_counter() - started


def bench_roster(rows: int = ROSTER_ROWS) -> list[Measurement]:
    """A clerk-style roster of `rows` people over the county's 村委会 (bench.roster_data), validated only
    (--dry-run) and then imported, each by the console command in its own process, in a fresh database."""
    import resource

    from bench.roster_data import SEED_DIR, write_roster

    folder = Path(tempfile.mkdtemp(prefix="yanzhen-roster-"))
    roster = folder / "roster.xlsx"
    write_roster(roster, rows, ROSTER_COUNTY)
    results = []
    try:
        for label, env, cleanup in _databases():
            try:
                _yanzhen(env, "migrate", "--noinput", "-v0")
                _yanzhen(env, "import-divisions", str(SEED_DIR), "--under", ROSTER_COUNTY)
                # The import as it runs in production: without Django's DEBUG, which keeps every query and
                # (on SQLite) asks the database to quote each one's parameters: 2,000 statements for
                # 10,000 rows. The demo mode is DEBUG off with the development keys.
                production = {**env, "YANZHEN_DEBUG": "0", "YANZHEN_DEMO": "1"}
                for extra, what in ((["--dry-run"], "validated (--dry-run)"), ([], "validated and imported")):
                    floor = _roster_floor(production, roster)
                    arguments = ["import-roster", str(roster), "--division", ROSTER_COUNTY, *extra]
                    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
                    started = time.perf_counter()
                    output = _yanzhen(production, *arguments).stdout.strip().splitlines()
                    seconds = time.perf_counter() - started
                    after = resource.getrusage(resource.RUSAGE_CHILDREN)
                    used = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
                    results.append(
                        Measurement(
                            f"roster import: {rows:,} rows {what}",
                            label,
                            seconds,
                            20.0,
                            f"yanzhen import-roster roster.xlsx --division {ROSTER_COUNTY} {' '.join(extra)}".strip(),
                            f"{output[-1] if output else ''} (CPU {used:.1f} s, load average {os.getloadavg()[0]:.1f})",
                            floor=floor,
                            max_ratio=ROSTER_MAX_RATIO,
                        )
                    )
            finally:
                cleanup()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return results


def bench_load() -> list[Measurement]:
    """50 clerks against gunicorn for 60 s on each database (bench.load.run)."""
    import importlib.util

    from bench.load.run import measure

    missing = [name for name in ("locust", "gunicorn") if importlib.util.find_spec(name) is None]
    if missing:
        raise SystemExit(
            f"the load test needs {', '.join(missing)}: pip install -e '.[dev,load]' (make bench does)"
        )

    results = []
    for label, env, cleanup in _databases():
        try:
            results += measure(label, env, _yanzhen)
        finally:
            cleanup()
    return results


SUITE_BUDGET = 100.0  # issue 15: the non-browser suite on an idle machine of 2 cores, nothing skipped
SUITE_COMMAND = 'pytest -m "not browser" -n auto --dist loadfile'


def bench_suite() -> list[Measurement]:
    """The non-browser test suite as `make test` runs it (SQLite), wall time of the whole run."""
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "YANZHEN_DEBUG": "1"}
    env.pop("YANZHEN_DATABASE_URL", None)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-m",
            "not browser",
            "-n",
            "auto",
            "--dist",
            "loadfile",
            "-p",
            "no:cacheprovider",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    summary = next(
        (line.strip("= ") for line in reversed(run.stdout.splitlines()) if " in " in line), "no summary"
    )
    return [
        Measurement(
            "non-browser test suite (make test's first pytest run)",
            "SQLite",
            seconds,
            SUITE_BUDGET,
            SUITE_COMMAND,
            f"{summary}; {os.cpu_count()} workers; load average {load:.1f} before the run",
            failed=run.returncode != 0,
        )
    ]


HEADER = "| benchmark | database | measured | budget | floor | ratio | verdict | command | output |"
SEPARATOR = "|---|---|---|---|---|---|---|---|---|"
OLD_COLUMNS = 9  # cells of a row of the table before the floor and ratio columns (with the two empty ends)


def merge(existing: str, table: str, measurements: list[Measurement]) -> str:
    """The new table with the rows of the benchmarks that did not run this time (`--only`) kept."""
    ran = {(m.benchmark, m.database) for m in measurements}
    kept = []
    notes = existing.find(NOTES)
    for line in (existing[:notes] if notes >= 0 else existing).splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        if line.startswith("| ") and not line.startswith("| benchmark") and len(cells) > 3:
            if (cells[1], cells[2]) not in ran:
                if len(cells) == OLD_COLUMNS:  # written before the floor column: no floor was measured
                    parts = line.split(" | ")
                    line = " | ".join(parts[:4] + ["—", "—"] + parts[4:])
                kept.append(line)
    head, separator, rows = table.partition(SEPARATOR + "\n")
    return head + separator + "\n".join(kept + rows.splitlines()) + "\n"


NOTES = "\n## "  # the sections written by hand after the table (profiles, findings): kept by every run


def notes_of(existing: str) -> str:
    """The hand-written sections after the table of an existing file ("" when there are none)."""
    start = existing.find(NOTES)
    return existing[start:] if start >= 0 else ""


def _floor_cells(m: Measurement) -> str:
    if m.floor is None:
        return "— | —"
    limit = f" (at most {m.max_ratio:g}×)" if m.max_ratio is not None else ""
    return f"{_duration(m.floor, m.floor)} | {m.ratio:.1f}×{limit}"


def render(measurements: list[Measurement]) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m bench --write docs/benchmarks.md`); do not edit by hand.",
        f"Measured {timezone.localdate().isoformat()} on {platform.node()} ({os.cpu_count()} cores, Python {platform.python_version()}).",
        "Each benchmark ran in a fresh database in its own process.",
        "",
        "A row over its budget, or more times its floor than it may be, is a failure of `make bench`.",
        "",
        HEADER,
        SEPARATOR,
    ]
    for m in measurements:
        lines.append(
            f"| {m.benchmark} | {m.database} | {_duration(m.seconds, m.budget)} | {_duration(m.budget, m.budget)} "
            f"| {_floor_cells(m)} | {m.verdict} | `{m.command}` | {m.note} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the national division files")
    parser.add_argument("--write", type=Path, help="write the table to this markdown file")
    parser.add_argument(
        "--only",
        choices=[
            "national-import",
            "person-list",
            "stats",
            "matching",
            "elections",
            "roster",
            "load",
            "suite",
        ],
        help="run one benchmark instead of all; with --write its rows replace their old ones, the others stay",
    )
    parser.add_argument("--person-list-worker", type=int, metavar="PEOPLE", help=argparse.SUPPRESS)
    parser.add_argument("--stats-worker", choices=["generate", "measure"], help=argparse.SUPPRESS)
    parser.add_argument("--stats-province", default="64", help=argparse.SUPPRESS)
    parser.add_argument("--stats-county", default="640323", help=argparse.SUPPRESS)
    parser.add_argument("--matching-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--elections-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--load-worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--national-floor-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.national_floor_worker:
        print(json.dumps({"seconds": national_floor(args.data.resolve())}))
        return 0
    if args.load_worker:
        _setup_django()
        from bench.load.run import prepare_accounts

        prepare_accounts(args.load_worker)
        return 0
    if args.matching_worker:
        _setup_django()
        from bench.matching_data import worker

        print(json.dumps(worker()))
        return 0
    if args.elections_worker:
        _setup_django()
        from bench.election_data import worker as elections_worker

        print(json.dumps(elections_worker()))
        return 0
    if args.stats_worker:
        return stats_worker(args.stats_worker, args.data.resolve(), args.stats_province, args.stats_county)
    if args.person_list_worker:
        print(json.dumps(person_list_worker(args.person_list_worker)))
        return 0
    measurements = []
    if args.only in (None, "national-import"):
        if not (args.data / "villages.csv.gz").exists():
            print(f"{args.data}/villages.csv.gz not found: give --data", file=sys.stderr)
            return 2
        measurements += bench_national_import(args.data.resolve())
    if args.only in (None, "person-list"):
        measurements += bench_person_list()
    if args.only in (None, "stats"):
        measurements += bench_stats(args.data.resolve())
    if args.only in (None, "matching"):
        measurements += bench_matching()
    if args.only in (None, "elections"):
        measurements += bench_elections()
    if args.only in (None, "roster"):
        measurements += bench_roster()
    if args.only in (None, "load"):
        measurements += bench_load()
    if args.only in (None, "suite"):
        measurements += bench_suite()
    _setup_django()  # the table's date is the local date of the settings' time zone, whichever ran
    table = render(measurements)
    print(table)
    if args.write:
        existing = args.write.read_text(encoding="utf-8") if args.write.exists() else ""
        if args.only and existing:
            table = merge(existing, table, measurements)
        args.write.write_text(table + notes_of(existing), encoding="utf-8")
    return 0 if all(m.verdict == "pass" for m in measurements) else 1
