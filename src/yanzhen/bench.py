"""`make bench`: measure the figures the issues ask for and write them to docs/benchmarks.md.

Each benchmark runs in a fresh database (a temporary SQLite file, and a throwaway PostgreSQL database when
the local server answers), in a subprocess, so that one measurement cannot warm the next.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import date
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
            f"| {m.benchmark} | {m.database} | {m.seconds:.1f} s | {m.budget:.0f} s | {m.verdict} | `{m.command}` | {m.note} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the national division files")
    parser.add_argument("--write", type=Path, help="write the table to this markdown file")
    args = parser.parse_args()
    if not (args.data / "villages.csv.gz").exists():
        print(f"{args.data}/villages.csv.gz not found: give --data", file=sys.stderr)
        return 2
    measurements = bench_national_import(args.data.resolve())
    table = render(measurements)
    print(table)
    if args.write:
        args.write.write_text(table, encoding="utf-8")
    return 0 if all(m.verdict == "pass" for m in measurements) else 1


if __name__ == "__main__":
    sys.exit(main())
