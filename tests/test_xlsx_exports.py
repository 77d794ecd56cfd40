"""Every xlsx the app writes keeps hostile text as text (issue 14, "live formula in an export").

The demo (conftest.demo_county) has, for this module, every person renamed to one of four formula-looking
names; each export URL of the app (grep `.xlsx` in the urls.py files) is fetched and opened with zipfile: no
sheet holds an `<f>` element, each hostile name is a quote-prefixed string cell, and the names are in the file.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from xml.sax.saxutils import escape

import pytest
from django.db import transaction
from django.test import Client

from yanzhen.accounts.models import User
from yanzhen.core import xlsx
from yanzhen.cultivation.models import Enrolment
from yanzhen.people.models import Person

pytestmark = pytest.mark.django_db

HOSTILE = ["=cmd|' /C calc'!A0", "+1", "-1+1", "@SUM(A1)"]


@pytest.fixture(scope="module")
def world(demo_county, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        people = list(Person.objects.order_by("pk"))
        for index, person in enumerate(people):
            person.name = HOSTILE[index % len(HOSTILE)]
        Person.objects.bulk_update(people, ["name"], batch_size=2000)
        for index, hostile in enumerate(HOSTILE):
            # The statistics read people as they stood on a date, from their history rows.
            ids = [person.pk for person in people[index :: len(HOSTILE)]]
            Person.history.model.objects.filter(id__in=ids).update(name=hostile)
        yield {"training": Enrolment.objects.order_by("pk").first().training_id}
        transaction.set_rollback(True)


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def sheets(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(BytesIO(content)) as package:
        return {
            name: package.read(name).decode()
            for name in package.namelist()
            if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml"
        }


def assert_no_formula(content: bytes, *, names_expected: bool = True) -> str:
    parts = sheets(content)
    for name, xml in parts.items():
        assert not re.search(r"<f[ >]", xml), f"a formula in {name}"
    text = "".join(parts.values())
    if names_expected:
        # Every export holds hostile names (a short one, like the four overdue reports, not all four).
        assert any(f">{escape(hostile)}<" in text for hostile in HOSTILE)
    return text


# Every export URL of the app, with the params it needs (all for the county administrator).
EXPORTS = [
    "/people/export.xlsx",
    "/matching/supply.xlsx",
    "/assessment/assessments/export.xlsx?division=640323",
    "/assessment/reports/overdue/export.xlsx?division=640323",
    "/assessment/incumbents/reviews/export.xlsx?division=640323",
    "/assessment/incumbents/analysis/export.xlsx?division=640323",
    "/statistics/roster.xlsx?division=640323",
    "/rosters/export.xlsx",
    "/reserves/export/",
    "/cultivation/trainings/{training}/roster.xlsx",
    "/welfare/pay/export.xlsx?township=640323100",
    "/welfare/allowances/export.xlsx",
]


@pytest.mark.parametrize("url", EXPORTS)
def test_every_export_keeps_hostile_names_as_text(world, url):
    response = _client("county").get(url.format(**world))
    assert response.status_code == 200, response.content[:300]
    assert_no_formula(response.content)


def test_the_person_export_holds_all_four_names_as_written(world):
    text = assert_no_formula(_client("county").get("/people/export.xlsx").content)
    for hostile in HOSTILE:
        assert f">{escape(hostile)}<" in text, hostile


@pytest.mark.parametrize(
    "url",
    ["/rosters/template.xlsx", "/statistics/structure.xlsx?division=640323"],
)
def test_the_exports_without_names_hold_no_formula(world, url):
    response = _client("county").get(url)
    assert response.status_code == 200
    assert_no_formula(response.content, names_expected=False)


def test_the_monthly_score_template_keeps_names_as_text(world):
    response = _client("county").get("/assessment/incumbents/scores/template.xlsx?division=640323100200")
    assert response.status_code == 200, response.content[:300]
    parts = sheets(response.content)
    assert not any(re.search(r"<f[ >]", xml) for xml in parts.values())
    assert any(f">{escape(hostile)}<" in "".join(parts.values()) for hostile in HOSTILE)


def test_the_roster_import_report_keeps_its_file_name_as_text(world):
    from yanzhen.core import crypto
    from yanzhen.divisions.models import Division
    from yanzhen.rosters.models import RosterUpload
    from yanzhen.rosters.results import ImportResult
    from yanzhen.rosters.views import to_json

    upload = RosterUpload.objects.create(
        user=User.objects.get(username="huamachi"),
        division=Division.objects.get(code="640323100"),
        file_name=HOSTILE[0],
        sha256="0" * 64,
        size=0,
        content_encrypted=crypto.encrypt("AA=="),
        preview=to_json(ImportResult(HOSTILE[0], "0" * 64, "640323100", "花马池镇", True)),
    )
    response = _client("huamachi").get(f"/rosters/uploads/{upload.pk}/report.xlsx")
    assert response.status_code == 200
    parts = sheets(response.content)
    assert not any(re.search(r"<f[ >]", xml) for xml in parts.values())
    assert f">{escape(HOSTILE[0])}<" in "".join(parts.values())


def test_the_writer_marks_hostile_text_quote_prefixed_and_leaves_numbers():
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("t")
    cells = [xlsx.cell(sheet, value) for value in [*HOSTILE, "\tx", "普通", 1, -1]]
    assert [c.data_type for c in cells] == ["s"] * 6 + ["n", "n"]
    assert [bool(c.quotePrefix) for c in cells] == [True] * 5 + [False] * 3
