"""`make bench`: measure the figures the issues ask for and write them to docs/benchmarks.md.

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

DEFAULT_DATA = Path("../shared/data/divisions")
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"


@dataclass
class Measurement:
    benchmark: str
    database: str
    seconds: float
    budget: float
    command: str
    note: str = ""

    @property
    def verdict(self) -> str:
        return "pass" if self.seconds <= self.budget else "FAIL"


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


def bench_national_import(data: Path) -> list[Measurement]:
    results = []
    for label, env, cleanup in _databases():
        try:
            _yanzhen(env, "migrate", "--noinput", "-v0")
            started = time.perf_counter()
            output = _yanzhen(env, "import-divisions", str(data)).stdout.strip()
            seconds = time.perf_counter() - started
            results.append(
                Measurement(
                    "national division import (620,573 villages, all levels)",
                    label,
                    seconds,
                    120.0,
                    f"yanzhen import-divisions {data}",
                    output.splitlines()[0] if output else "",
                )
            )
        finally:
            cleanup()
    return results


PERSON_LIST_PEOPLE = 75_000
PERSON_LIST_COUNTY = "640323"  # 盐池县, from the seed data
PERSON_LIST_RUNS = 15
# (what is timed, the query string of /people/)
PERSON_LIST_CASES = [
    ("filters: 35–50, college or above, women", "age_band=35_to_50&education_band=college_or_above&gender=2"),
    ("search q=wang (name, pinyin, village)", "q=wang"),
    ("search q=<last 4 ID digits> in a township", "q=0371&township=640323100"),
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
    from yanzhen.people.views.list import PersonFilterForm

    import_divisions(SEED_DIR, under=PERSON_LIST_COUNTY)
    started = time.perf_counter()
    _generate_people(count, PERSON_LIST_COUNTY)
    generated = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
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
                f"(max {max(times) * 1000:.0f} ms); data generated in {generated:.0f} s",
            }
        )
    return results


def bench_person_list(count: int = PERSON_LIST_PEOPLE) -> list[Measurement]:
    results = []
    for label, env, cleanup in _databases():
        try:
            _yanzhen(env, "migrate", "--noinput", "-v0")
            worker = subprocess.run(
                [sys.executable, "-m", "yanzhen.bench", "--person-list-worker", str(count)],
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


def render(measurements: list[Measurement]) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m yanzhen.bench --write docs/benchmarks.md`); do not edit by hand.",
        f"Measured {date.today().isoformat()} on {platform.node()} ({os.cpu_count()} cores, Python {platform.python_version()}).",
        "Each row ran in a fresh database in its own process.",
        "",
        "| benchmark | database | measured | budget | verdict | command | output |",
        "|---|---|---|---|---|---|---|",
    ]
    for m in measurements:
        lines.append(
            f"| {m.benchmark} | {m.database} | {_duration(m.seconds, m.budget)} | {_duration(m.budget, m.budget)} "
            f"| {m.verdict} | `{m.command}` | {m.note} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the national division files")
    parser.add_argument("--write", type=Path, help="write the table to this markdown file")
    parser.add_argument(
        "--only", choices=["national-import", "person-list"], help="run one benchmark instead of all"
    )
    parser.add_argument("--person-list-worker", type=int, metavar="PEOPLE", help=argparse.SUPPRESS)
    args = parser.parse_args()
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
    table = render(measurements)
    print(table)
    if args.write:
        args.write.write_text(table, encoding="utf-8")
    return 0 if all(m.verdict == "pass" for m in measurements) else 1


if __name__ == "__main__":
    sys.exit(main())
