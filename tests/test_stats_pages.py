"""The statistics pages: dashboard, the lists behind the numbers, warnings, exports, thresholds."""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from yanzhen.core.models import AuditAction, AuditEvent
from yanzhen.divisions.models import Division
from yanzhen.stats import warnings
from yanzhen.stats.models import WarningThresholds

from .conftest import shared_mark
from .stats_world import TOWNSHIP, V, build_for_county

# The world is built once for the tests of the file, which share it (each in its own savepoint, rolled back;
# conftest `shared_mark`); `world` is a copy of it for each test.
pytestmark = [pytest.mark.django_db, shared_mark(build_for_county)]
Q = f"division={TOWNSHIP}&as_of=2021-04-19"


def chart_data(page: str) -> dict:
    return json.loads(page.split('id="stats-data" type="application/json">')[1].split("</script>")[0])


@pytest.fixture
def world(shared):
    return copy.deepcopy(shared)


def test_home_is_the_dashboard_of_the_users_division(world, client_for):
    page = client_for("huamachi").get("/").content.decode()
    assert 'id="stats-data"' in page and "yanzhen/dashboard.js" in page and "echarts.min.js" in page
    # No inline handler and nothing fetched from elsewhere (the attributes: a CSRF token may spell "cdn").
    assert not re.search(r"\son[a-z]+\s*=", page)
    assert not re.search(r'(?:src|href)="(?:https?:)?//|(?:src|href)="[^"]*cdn', page, re.IGNORECASE)
    assert 'data-count="administrative_villages"' in page  # the counts stay
    data = chart_data(page)
    assert set(data) == {"pyramid", "education", "sources", "coverage", "trends"}
    assert len(data["coverage"]["labels"]) > 20  # the villages of 花马池镇


def test_dashboard_numbers_link_to_the_lists_behind_them(world, client_for):
    client = client_for("county")
    page = client.get(f"/statistics/?{Q}").content.decode()
    assert f'href="/statistics/people/?{Q.replace("&", "&amp;")}&amp;group=age&amp;key=under_35"' in page
    assert f'href="/statistics/villages/?{Q.replace("&", "&amp;")}&amp;covered=1"' in page
    data = chart_data(page)
    assert sum(data["pyramid"]["male"]) == 4 and sum(data["pyramid"]["female"]) == 3
    assert data["trends"]["labels"][-1] == "2021-04-19" and data["trends"]["pool"][-1] == 7
    # The list behind "under 35" holds exactly B and E, as they stood on D.
    listed = client.get(f"/statistics/people/?{Q}&group=age&key=under_35").content.decode()
    assert listed.count("<tr>") - 1 == 2
    assert world.people["B"].name in listed and world.people["E"].name in listed
    # I's education on D (高中), not today's 本科.
    secondary = client.get(f"/statistics/people/?{Q}&group=education&key=secondary_or_below").content.decode()
    assert world.people["I"].name in secondary and "普通高中毕业" in secondary
    uncovered = client.get(f"/statistics/villages/?{Q}&covered=0").content.decode()
    assert uncovered.count("<tr>") - 1 == 20
    covered = client.get(f"/statistics/villages/?{Q}&covered=1").content.decode()
    assert covered.count("<tr>") - 1 == 3
    secretaries = client.get(f"/statistics/people/?{Q}&group=incumbents&key=secretaries").content.decode()
    assert world.people["S1"].name in secretaries and world.people["S4"].name in secretaries
    assert client.get(f"/statistics/people/?{Q}&group=age&key=nonsense").status_code == 404


def test_drill_down_and_jurisdiction(world, client_for):
    assert client_for("huamachi").get("/statistics/?division=640323").status_code == 404
    assert client_for("outsider").get(f"/statistics/?division={TOWNSHIP}").status_code == 404
    assert client_for("huamachi").get(f"/statistics/?division={V[0]}&as_of=2021-04-19").status_code == 200
    bad = client_for("county").get(f"/statistics/?division={TOWNSHIP}&as_of=2021-02-30")
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.content.decode()


def test_warnings(world, client_for, persona):
    county = persona("county")
    township = world.people["S1"].village.parent
    found = {w.slug: w for w in warnings.summary(county, township)}
    # Today: A (V0) and B/C (V1) are ready; S1 (born 1965) is 55 or more, but V0 has A ready for secretary.
    assert found["ageing-secretaries"].count == 0
    # Covered today: V0 (A), V1 (B, C) and V7 (H entered on 2021-05-01); V4 lost I on 2021-04-20.
    assert found["uncovered-villages"].count == 20
    # S1 alone sits on V0's committee, aged 55+ today: over 50 on average.
    assert found["old-committees"].count == 1
    # Make A not ready: S1's village has no ready secretary reserve any more.
    world.candidacies["A"].readiness = "1-2y"
    world.candidacies["A"].save()
    detail = warnings.detail(county, township, "ageing-secretaries")
    assert detail.count == 1 and detail.rows[0].person_id == world.people["S1"].pk
    # A county sets its own threshold: a secretary is old from 70 on.
    WarningThresholds.objects.create(county_id="640323", secretary_age=70, committee_average_age=70)
    assert warnings.detail(county, township, "ageing-secretaries").count == 0
    assert warnings.detail(county, township, "old-committees").count == 0
    client = client_for("county")
    page = client.get(f"/statistics/warnings/?division={TOWNSHIP}").content.decode()
    assert "ageing-secretaries" in page
    detail_page = client.get(f"/statistics/warnings/uncovered-villages/?division={TOWNSHIP}")
    assert detail_page.status_code == 200 and "缺：" in detail_page.content.decode()
    assert client.get("/statistics/warnings/nonsense/").status_code == 404


def test_the_dashboard_loads_its_warning_cards_after_its_figures(world, client_for):
    client = client_for("county")
    page = client.get(f"/statistics/?division={TOWNSHIP}").content.decode()
    assert f'hx-get="/statistics/warning-cards/?division={TOWNSHIP}" hx-trigger="load"' in page
    assert "data-warning=" not in page  # no warning is counted before the figures are sent
    cards = client.get(f"/statistics/warning-cards/?division={TOWNSHIP}").content.decode()
    counts = dict(re.findall(r'data-warning="([a-z-]+)" href="[^"]+">(\d+)<', cards))
    assert counts["uncovered-villages"] == "20" and counts["old-committees"] == "1"
    assert counts["ageing-secretaries"] == "0"
    home = client_for("huamachi").get("/").content.decode()
    assert f'hx-get="/statistics/warning-cards/?division={TOWNSHIP}"' in home
    # Another township's clerk, and another county, cannot count this township's warnings.
    assert client_for("dashuikeng").get(f"/statistics/warning-cards/?division={TOWNSHIP}").status_code == 404
    assert client_for("outsider").get(f"/statistics/warning-cards/?division={TOWNSHIP}").status_code == 404


def test_thresholds_are_per_county_and_for_administrators(world, client_for):
    client = client_for("county")
    assert client.get("/statistics/thresholds/").status_code == 200
    response = client.post("/statistics/thresholds/", {"secretary_age": "58", "committee_average_age": "48"})
    assert response.status_code == 302
    saved = WarningThresholds.objects.get(county_id="640323")
    assert (saved.secretary_age, saved.committee_average_age) == (58, 48)
    assert saved.history.first().history_user.username == "county"
    refused = client.post("/statistics/thresholds/", {"secretary_age": "5", "committee_average_age": "48"})
    assert (
        refused.status_code == 200 and WarningThresholds.objects.get(county_id="640323").secretary_age == 58
    )
    assert client_for("huamachi").get("/statistics/thresholds/").status_code == 403


def test_structure_table_export(world, client_for):
    response = client_for("huamachi").get(f"/statistics/structure.xlsx?{Q}")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    assert "花马池镇" in sheet["A1"].value
    rows = [row for row in sheet.iter_rows(min_row=6, values_only=True) if row[0]]
    total = next(row for row in rows if row[0] == "合计")
    # 村数, 总数, 村均, then 35岁以下 count and share ...
    assert total[1:7] == (23, 7, 0.3, 2, pytest.approx(0.2857), 4)
    units = Division.objects.filter(parent_id=TOWNSHIP).count()
    assert len([row for row in rows if row[0] != "合计" and not str(row[0]).startswith("说明")]) == units
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("at")
    assert event.object_repr == "后备力量结构统计表" and event.detail["as_of"] == "2021-04-19"


def test_roster_export_is_masked_audited_and_for_editors(world, client_for):
    response = client_for("county").get(f"/statistics/roster.xlsx?{Q}")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    assert "花名册" in sheet["A1"].value
    body = [row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]]
    assert len(body) == 7
    a = next(row for row in body if row[3] == world.people["A"].name)
    assert a[7] == 35 and "村党组织书记" in a[11] and "村委会主任" in a[11]
    assert "********" in a[14]
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("at")
    assert event.object_repr == "后备力量花名册" and event.detail["rows"] == 7
    assert client_for("auditor").get(f"/statistics/roster.xlsx?{Q}").status_code == 403
    assert client_for("dashuikeng").get(f"/statistics/roster.xlsx?{Q}").status_code == 404


def test_the_home_page_reads_in_thirteen_queries(world, client_for, django_assert_num_queries):
    # The session, the user with his division, his roles; the division counts of the navigation; the county's
    # kept counts with their stamps (stats.rollup), the sources, the key posts; the children, their villages,
    # their reserves; the holiday schedule's three. The first request computed and kept the counts.
    # Was 25 (the statistics' planner settings in a transaction of their own on PostgreSQL, the session
    # written on every request, the division read apart from the user, flow and trends apart, the villages
    # counted twice, the breadcrumb's ancestors read for the top of the jurisdiction), then 16 (the pool's
    # and the incumbents' states, the candidacies and the coverage read on every request).
    client = client_for("county")
    client.get("/")
    with django_assert_num_queries(13):
        assert client.get("/").status_code == 200


def test_dashboard_query_count_does_not_grow_with_the_data(world, client_for, django_assert_max_num_queries):
    client = client_for("county")
    with django_assert_max_num_queries(80):
        assert client.get("/statistics/?division=640323").status_code == 200


def test_seats_and_terms_are_read_on_the_date(world, persona):
    # S3's term ended 2021-01-10: on 2021-01-09 he was a secretary of 花马池镇 as well.
    from yanzhen.stats.figures import compute

    before = compute(persona("county"), TOWNSHIP, date(2021, 1, 9))["incumbents"]["secretaries"]["count"]
    assert before == 2  # S1 and S3 (S4 starts on 2021-01-10)


def test_the_breadcrumb_links_the_ancestors_inside_the_jurisdiction_only(world, client_for):
    county_link = '<li class="breadcrumb-item"><a href="/statistics/?division=640323&amp;'
    client = client_for("county")
    assert county_link in client.get("/statistics/?division=640323100").content.decode()
    # At the top of his jurisdiction nothing above is his to open: no link, not even to the county itself.
    assert county_link not in client.get("/statistics/?division=640323").content.decode()
    assert county_link not in client_for("huamachi").get("/statistics/?division=640323100").content.decode()
