"""The load test of `make bench` (`python -m bench --only load`): the demo county served by gunicorn
with 2 workers, 50 signed-in clerks (bench/load/locustfile.py) for 60 s against the dashboard, the person list, a
person's page and one API route, measured by Locust from the same machine. Each database (SQLite, PostgreSQL when it answers)
gets a fresh copy of the demo.

The server runs as in production (DEBUG off, the demo's keys: YANZHEN_DEMO=1). A route passes when none of
its requests failed (anything but a 200 is a failure, a redirect to the sign-in page included) and its 95th
percentile is under the budget.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

USERS = 50
SECONDS = 60
WORKERS = 2
SPAWN_RATE = 10  # users started per second: 50 clerks arrive over 5 s, not in one instant
BUDGET_P95 = 0.5  # issue 17: p95 under 500 ms
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
COUNTY = "640323"


def prepare_accounts(path: Path, users: int = USERS) -> None:
    """In the server's database: `users` administrators of the demo county, each signed in (a session made
    by Django's own login) and holding an API token. Runs inside a Django process (`--load-worker`)."""
    from django.test import Client

    from yanzhen.accounts.roles import Role
    from yanzhen.accounts.services import create_or_update_user, issue_token
    from yanzhen.divisions.models import Division
    from yanzhen.people.models import Person

    county = Division.objects.get(code=COUNTY)
    # The person pages the clerks open: every person of the county's archive, each clerk in his own order.
    people = list(Person.objects.filter(village__code__startswith=COUNTY).values_list("pk", flat=True))
    accounts = []
    for number in range(1, users + 1):
        user, _created = create_or_update_user(
            username=f"load{number:02d}",
            password="Load-test-2026",
            division=county,
            roles=[Role.ADMIN],
            display_name=f"压测{number:02d}",
        )
        client = Client()
        client.force_login(user)
        accounts.append(
            {
                "session": client.cookies["sessionid"].value,
                "token": issue_token(user=user, name="load"),
                "people": people[number:] + people[:number],
            }
        )
    path.write_text(json.dumps(accounts), encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def measure(label: str, env: dict[str, str], yanzhen) -> list:
    """Serve the demo from the database of `env` and load it; one Measurement per route and one in all."""
    from bench.runner import Measurement

    env = {**env, "YANZHEN_DEMO": "1"}
    env.pop("YANZHEN_DEBUG", None)
    folder = Path(tempfile.mkdtemp(prefix="yanzhen-load-"))
    accounts = folder / "accounts.json"
    try:
        yanzhen(env, "migrate", "--noinput", "-v0")
        yanzhen(env, "demo")
        subprocess.run([sys.executable, "-m", "bench", "--load-worker", str(accounts)], env=env, check=True)
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "yanzhen.wsgi:application", "-w", str(WORKERS)]
            + ["-b", f"127.0.0.1:{port}", "--log-level", "warning"],
            env=env,
        )
        try:
            _wait_for(f"http://127.0.0.1:{port}/favicon.ico")
            prefix = folder / "locust"
            subprocess.run(
                [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary"]
                + ["-u", str(USERS), "-r", str(SPAWN_RATE), "-t", f"{SECONDS}s"]
                + ["--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--loglevel", "WARNING"],
                env={**env, "YANZHEN_LOAD_ACCOUNTS": str(accounts)},
                check=False,  # Locust exits 1 when a request failed; the table says so
                capture_output=True,
            )
            load = os.getloadavg()[0]
        finally:
            server.terminate()
            server.wait(timeout=30)
        with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
            rows = list(csv.DictReader(stats))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    results = []
    for row in rows:
        name = "all routes" if row["Name"] == "Aggregated" else row["Name"]
        failures = int(row["Failure Count"])
        p95 = float(row["95%"]) / 1000
        results.append(
            Measurement(
                f"load: {USERS} clerks, {SECONDS} s, gunicorn {WORKERS} workers: {name}, 95th percentile",
                label,
                p95,
                BUDGET_P95,
                "python -m bench --only load",
                f"{int(row['Request Count']):,} requests, {failures} failed; median {float(row['50%']):.0f} ms, "
                f"99% {float(row['99%']):.0f} ms, max {float(row['Max Response Time']):.0f} ms, "
                f"{float(row['Requests/s']):.1f} requests/s; think time 1–3 s; load average {load:.1f} on "
                f"{os.cpu_count()} cores (Locust on the same machine)",
                failed=failures > 0,
            )
        )
    return results
