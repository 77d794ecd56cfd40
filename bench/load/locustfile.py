"""The clerks of the load test (`python -m bench --only load`), for Locust.

Each simulated user is an administrator of the demo county already signed in (the bench prepares one account,
session and API token per user and hands them over in YANZHEN_LOAD_ACCOUNTS, a JSON file), so that password
hashing at sign-in, which is slow on purpose, does not stand in for the pages' own cost. Between two requests
a user reads for 1 to 3 seconds, as a clerk at a screen does.
"""

import json
import os
from itertools import count

from locust import HttpUser, between, task

ACCOUNTS = json.loads(open(os.environ["YANZHEN_LOAD_ACCOUNTS"], encoding="utf-8").read())  # noqa: SIM115
_next = count()


class Clerk(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        account = ACCOUNTS[next(_next) % len(ACCOUNTS)]
        self.client.cookies.set("sessionid", account["session"])
        self.token = account["token"]
        self.people = account["people"]
        self.opened = count()

    def _get(self, path: str, name: str, **kwargs):
        # Only a 200 counts: a redirect to the sign-in page would otherwise pass for a fast page.
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True, **kwargs
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif not response.content:
                response.failure("empty body")

    @task
    def dashboard(self):
        self._get("/", "dashboard /")

    @task
    def people(self):
        self._get("/people/", "person list /people/")

    @task
    def person(self):
        person = self.people[next(self.opened) % len(self.people)]
        self._get(f"/people/{person}/", "a person's page /people/<id>/")

    @task
    def api_persons(self):
        self._get(
            "/api/v1/persons?limit=20",
            "API GET /api/v1/persons",
            headers={"Authorization": f"Bearer {self.token}"},
        )
