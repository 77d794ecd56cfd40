"""The figures (stats.figures) against the hand-counted 花马池镇 world of tests/stats_world.py."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.http import Http404
from django.utils import timezone

from yanzhen.stats import figures
from yanzhen.stats.figures import StatsInputError, compute

from .conftest import shared_mark
from .stats_world import EXPECTED_RESERVES, TOWNSHIP, D, V, build_for_county

# The world is built once for the tests of the file, which share it (each in its own savepoint, rolled back;
# conftest `shared_mark`); `world` is a copy of it for each test.
pytestmark = [pytest.mark.django_db, shared_mark(build_for_county)]


@pytest.fixture
def world(shared):
    return copy.deepcopy(shared)


def test_reserve_figures_of_the_township_on_d(world, persona):
    result = compute(persona("huamachi"), TOWNSHIP, D)
    reserves = result["reserves"]
    for key, expected in EXPECTED_RESERVES.items():
        assert reserves[key] == expected, key
    assert result["division"] == TOWNSHIP
    assert result["as_of"] == "2021-04-19"


def test_attributes_are_those_of_d_not_today(world, persona):
    """I's education changed to 本科 and J joined the party after D: D's figures don't move."""
    reserves = compute(persona("county"), TOWNSHIP, D)["reserves"]
    status = reserves["political_status"]
    assert status["中共党员"] == {"count": 2, "pct": 28.57}  # A, C (not J)
    assert status["群众"] == {"count": 3, "pct": 42.86}  # B, D, J
    assert status["共青团员"] == {"count": 1, "pct": 14.29}
    assert status["中共预备党员"] == {"count": 1, "pct": 14.29}  # I
    assert reserves["party_members"] == {"count": 3, "pct": 42.86}
    assert reserves["source"]["致富带头人"] == {"count": 2, "pct": 28.57}
    # Today: I has left the pool (2021-04-20), H has entered it (2021-05-01), J is a party member.
    today = compute(persona("county"), TOWNSHIP)["reserves"]
    assert today["total"] == 7  # A, B, C, D, E, J, H
    assert today["political_status"]["中共党员"]["count"] == 4  # A, C, J, H


def test_coverage(world, persona):
    coverage = compute(persona("county"), TOWNSHIP, D)["coverage"]
    assert coverage == {
        "villages": 23,
        "villages_covered": 3,
        "pct": 13.04,
        "posts": {
            "村党组织书记": {"seats": 23, "covered": 4, "pct": 17.39},
            "村委会主任": {"seats": 23, "covered": 3, "pct": 13.04},
        },
    }


def test_removed_and_promoted_leave_the_pool_on_their_date(world, persona):
    county = persona("county")
    # F (removed 2021-03-01) and G (promoted 2021-04-19) were in the pool a day earlier.
    assert compute(county, V[5], date(2021, 2, 28))["reserves"]["total"] == 1
    assert compute(county, V[5], date(2021, 3, 1))["reserves"]["total"] == 0
    assert compute(county, V[6], D - timedelta(days=1))["reserves"]["total"] == 1
    assert compute(county, V[6], D)["reserves"]["total"] == 0
    # I leaves the day after D.
    assert compute(county, V[4], D)["reserves"]["total"] == 2
    assert compute(county, V[4], D + timedelta(days=1))["reserves"]["total"] == 1


def test_a_person_with_two_posts_counts_once(world, persona):
    result = compute(persona("county"), V[0], D)
    assert result["reserves"]["total"] == 1
    assert result["coverage"]["villages_covered"] == 1


def test_29_february_birthday_on_a_non_leap_as_of_date(world, persona):
    county = persona("county")
    # E, born 1988-02-29, is 34 on 2023-02-28 and 35 on 2023-03-01.
    age = compute(county, V[3], date(2023, 2, 28))["reserves"]["age"]
    assert age["under_35"]["count"] == 1 and age["35_to_50"]["count"] == 0
    age = compute(county, V[3], date(2023, 3, 1))["reserves"]["age"]
    assert age["under_35"]["count"] == 0 and age["35_to_50"]["count"] == 1


def test_flow_counts_the_year_ending_on_d(world, persona):
    assert compute(persona("county"), TOWNSHIP, D)["flow"] == {
        "entered": 4,
        "promoted": 1,
        "removed": 1,
        "destinations": {
            "township_leadership": 0,
            "public_institution": 0,
            "civil_service": 0,
            "professional_secretary": 0,
            "other": 0,
        },
    }


def test_incumbents(world, persona):
    incumbents = compute(persona("county"), TOWNSHIP, D)["incumbents"]
    assert incumbents["secretaries"] == {
        "count": 2,
        "average_age": 49.0,
        "college_or_above_pct": 100.0,
        "under_40_pct": 0.0,
        "under_45_pct": 50.0,
    }
    assert incumbents["chairs"]["count"] == 1
    assert incumbents["committee"]["count"] == 2  # S1 holds two seats, counted once


def test_the_county_adds_the_other_township(world, persona):
    result = compute(persona("county"), "640323", D)
    assert result["reserves"]["total"] == 8


def test_jurisdiction(world, persona):
    with pytest.raises(Http404):
        compute(persona("huamachi"), "640323", D)
    with pytest.raises(Http404):
        compute(persona("outsider"), TOWNSHIP, D)
    with pytest.raises(Http404):
        compute(persona("dashuikeng"), V[0], D)
    assert compute(persona("cunshuji"), V[0], D)["reserves"]["total"] == 1


def test_bad_dates():
    with pytest.raises(StatsInputError, match="YYYY-MM-DD"):
        figures.parse_as_of("2021-02-30")
    with pytest.raises(StatsInputError, match="晚于今天"):
        figures.parse_as_of((timezone.localdate() + timedelta(days=1)).isoformat())
    assert figures.parse_as_of("") == timezone.localdate()


def test_rounding_is_half_up():
    assert figures.pct(1, 8) == 12.5
    assert figures.pct(1, 3) == 33.33
    assert figures.pct(2, 3) == 66.67
    assert figures.pct(165, 353) == 46.74
    assert figures.pct(13, 353) == 3.68
    assert figures.ratio(1, 8, "0.01") == 0.13  # 0.125 half up (not banker's 0.12)
    assert figures.pct(0, 0) == 0.0


def test_cli_and_api_give_the_same_dict(world, persona, client_for):
    out = StringIO()
    call_command("stats", "--division", TOWNSHIP, "--as-of", "2021-04-19", "--json", stdout=out)
    from_cli = json.loads(out.getvalue())
    response = client_for("county").get(f"/api/v1/stats?division={TOWNSHIP}&as_of=2021-04-19")
    assert response.status_code == 200
    assert response.json() == from_cli
    assert from_cli == json.loads(json.dumps(compute(None, TOWNSHIP, D)))
    assert from_cli["reserves"]["total"] == 7


def test_cli_table_and_errors(world):
    out = StringIO()
    call_command("stats", "--division", TOWNSHIP, "--as-of", "2021-04-19", stdout=out)
    text = out.getvalue()
    assert "花马池镇" in text and "35岁以下" in text and "28.57%" in text
    with pytest.raises(CommandError, match="不存在"):
        call_command("stats", "--division", "999999")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("stats", "--division", TOWNSHIP, "--as-of", "19.04.2021")


def test_api_errors(world, client_for):
    county = client_for("county")
    bad = county.get(f"/api/v1/stats?division={TOWNSHIP}&as_of=2021-13-01")
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.json()["detail"]
    assert county.get("/api/v1/stats?division=640323999").status_code == 404
    assert client_for("huamachi").get("/api/v1/stats?division=640323").status_code == 404
    assert client_for("outsider").get(f"/api/v1/stats?division={TOWNSHIP}").status_code == 404
    assert client_for("huamachi").get(f"/api/v1/stats?division={TOWNSHIP}").status_code == 200


def test_a_person_without_any_history_counts_as_he_is(world, persona):
    """Rows loaded outside the services (no history at all) still count, with today's attributes."""
    from yanzhen.people.models import EducationRecord, Person

    person = world.people["E"]
    Person.history.filter(id=person.pk).delete()
    EducationRecord.history.filter(person_id=person.pk).delete()
    reserves = compute(persona("county"), V[3], D)["reserves"]
    assert reserves["total"] == 1
    assert reserves["education"]["college_or_above"]["count"] == 1  # 33, from the person row itself
    assert reserves["gender"]["female"]["count"] == 1


def test_the_statistics_set_nothing_per_request_when_the_connection_starts_tuned():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yanzhen.stats.states import tuned

    with CaptureQueriesContext(connection) as queries, tuned():
        pass
    assert len(queries) == 0
    if (
        connection.vendor == "postgresql"
    ):  # the settings arrived with the connection (settings.PG_SESSION_OPTIONS)
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('jit'), current_setting('random_page_cost')")
            assert cursor.fetchone() == ("off", "1.1")
