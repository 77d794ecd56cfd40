"""Reports filed upward as locked snapshots (issue 20 §3): submit, roll up, return, travel between deployments."""

from __future__ import annotations

import base64
import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from yanzhen.accounts.models import User
from yanzhen.core.guards import today
from yanzhen.divisions.models import Division
from yanzhen.reports_up import exchange, selectors, services
from yanzhen.reports_up.exchange import TAMPERED
from yanzhen.reports_up.models import Kind, Snapshot, Status

from . import reports_up_support as world

pytestmark = pytest.mark.django_db
YEAR = today().year


@pytest.fixture
def users():
    return world.build()


def submit(username: str, code: str, kind: str = Kind.STRUCTURE, year: int = YEAR) -> Snapshot:
    return services.submit_snapshot(
        actor=User.objects.get(username=username),
        county=Division.objects.get(code=code),
        kind=kind,
        year=year,
    )


def footprint() -> list:
    return list(Snapshot.objects.order_by("pk").values_list("pk", "status", "return_note", "signature"))


def test_a_submitted_snapshot_freezes_the_figures_and_verifies(users):
    snapshot = submit("county", world.COUNTY_A)
    assert snapshot.status == Status.SUBMITTED
    assert snapshot.content["table"]["total"] == world.COUNTS_A
    assert snapshot.content["division"] == "640323"
    assert snapshot.content["as_of"] == today().isoformat()
    assert snapshot.submitted_by.username == "county"
    assert exchange.verifies(snapshot)
    huamachi = next(row for row in snapshot.content["table"]["rows"] if row["code"] == "640323100")
    assert huamachi["counts"]["total"] == 3
    # A later change in the data does not move the snapshot.
    world.reserve(
        "甲四",
        world.A_VILLAGES[0],
        ["chair"],
        born=date(1990, 1, 1),
        female=False,
        education="21",
        status="13",
        actor=User.objects.get(username="county"),
    )
    stored = Snapshot.objects.get(pk=snapshot.pk)
    assert stored.content["table"]["total"] == world.COUNTS_A
    assert exchange.verifies(stored)
    assert submit("county", world.COUNTY_A).content["table"]["total"]["total"] == 4


def test_the_content_holds_no_personal_data(users):
    text = json.dumps(submit("county", world.COUNTY_A).content, ensure_ascii=False)
    for name in ("甲一", "甲二", "甲三"):
        assert name not in text


def test_the_province_rolls_up_two_counties_exactly(users):
    submit("county", world.COUNTY_A)
    submit("county2", world.COUNTY_B)
    province = Division.objects.get(code="64")
    rollup = selectors.rollup(users["ningxia"], province, Kind.STRUCTURE, YEAR)
    assert [line.county.code for line in rollup.counted] == ["640323", "640381"]
    assert rollup.missing == []
    assert rollup.total == {
        "villages": 104,
        "total": 5,
        "under_35": 2,
        "35_to_50": 1,
        "over_50": 2,
        "college_or_above": 3,
        "secondary_or_below": 2,
        "male": 3,
        "female": 2,
        "party_members": 2,
        "villages_covered": 3,
    }
    # Shares from the sums (5 of 104, 3 of 104 ...), never the average of the counties' percentages.
    assert rollup.total_shares == {
        "per_village": 0.05,
        "under_35_pct": 40.0,
        "35_to_50_pct": 20.0,
        "over_50_pct": 40.0,
        "college_or_above_pct": 60.0,
        "secondary_or_below_pct": 40.0,
        "male_pct": 60.0,
        "female_pct": 40.0,
        "party_members_pct": 40.0,
        "coverage_pct": 2.88,
    }


def test_a_county_not_submitted_is_listed_apart(users):
    submit("county2", world.COUNTY_B)
    rollup = selectors.rollup(users["wuzhong"], Division.objects.get(code="6403"), Kind.STRUCTURE, YEAR)
    assert [line.county.code for line in rollup.missing] == ["640323"]
    assert rollup.total["total"] == 2
    assert rollup.total_shares["coverage_pct"] == 50.0


def test_return_with_a_note_and_resubmit(users):
    first = submit("county2", world.COUNTY_B)
    with pytest.raises(ValidationError) as refused:
        services.return_snapshot(actor=users["ningxia"], snapshot=first, note=" ")
    assert refused.value.message_dict == {"note": ["请写明退回的理由和需要更正之处"]}
    returned = services.return_snapshot(actor=users["ningxia"], snapshot=first, note="林皋村的后备人数有误")
    assert returned.status == Status.RETURNED
    seen = selectors.snapshots(users["county2"]).get(pk=first.pk)
    assert seen.return_note == "林皋村的后备人数有误"
    assert seen.returned_by.username == "ningxia"
    rollup = selectors.rollup(users["ningxia"], Division.objects.get(code="64"), Kind.STRUCTURE, YEAR)
    assert [line.county.code for line in rollup.returned] == ["640381"]
    assert rollup.total["total"] == 0
    second = submit("county2", world.COUNTY_B)
    first.refresh_from_db()
    assert first.status == Status.SUPERSEDED
    assert second.supersedes == first
    assert second.status == Status.SUBMITTED
    assert [s.pk for s in selectors.history_of(second)] == [second.pk, first.pk]
    with pytest.raises(ValidationError) as again:
        services.return_snapshot(actor=users["ningxia"], snapshot=first, note="再退")
    assert "status" in again.value.message_dict


@pytest.mark.parametrize(
    ("username", "code", "refusal"),
    [
        ("huamachi", world.COUNTY_A, Http404),  # a township clerk: the county is outside his township
        ("auditor", world.COUNTY_A, PermissionDenied),  # a reader
        ("outsider", world.COUNTY_A, Http404),  # another province's county
        ("county2", world.COUNTY_A, Http404),  # another county
        ("wuzhong", world.COUNTY_A, PermissionDenied),  # the city reads, the county files
        ("ningxia", world.COUNTY_A, PermissionDenied),
    ],
)
def test_only_the_county_submits_its_own(users, username, code, refusal):
    with pytest.raises(refusal):
        submit(username, code)
    assert footprint() == []


def test_bad_kind_or_year_refused(users):
    with pytest.raises(ValidationError) as refused:
        submit("county", world.COUNTY_A, kind="roster", year=YEAR + 1)
    assert refused.value.message_dict == {
        "kind": ["请选择要上报的报表"],
        "year": [f"年度应在 2000 至 {YEAR} 之间"],
    }
    with pytest.raises(ValidationError) as no_election:
        submit("county", world.COUNTY_A, kind=Kind.ELECTION, year=2019)
    assert no_election.value.message_dict == {
        "kind": ["盐池县 2019 年没有换届选举，不能上报换届选举情况报告"]
    }
    assert footprint() == []


def test_only_an_administrator_above_the_county_returns(users):
    snapshot = submit("county", world.COUNTY_A)
    before = footprint()
    for username, refusal in (
        ("county", PermissionDenied),
        ("auditor", PermissionDenied),
        ("outsider", Http404),
    ):
        with pytest.raises(refusal):
            services.return_snapshot(actor=User.objects.get(username=username), snapshot=snapshot, note="错")
    assert footprint() == before


def test_a_round_trip_between_two_databases(users):
    """Export from one deployment, empty the table (the other deployment's fresh state), import: the imported
    snapshot is the exported one and verifies."""
    snapshot = submit("county", world.COUNTY_A)
    data = exchange.envelope_bytes(snapshot)
    exported = json.loads(data)
    assert exported["signature"]["algorithm"] == "Ed25519"
    assert exported["signature"]["key_id"] == snapshot.key_id
    Snapshot.history.all().delete()
    Snapshot.objects.all().delete()
    imported = exchange.import_snapshot(actor=users["ningxia"], data=data)
    assert imported.imported
    assert imported.imported_by == users["ningxia"]
    assert imported.submitted_by is None
    assert imported.submitted_by_name == exported["content"]["submitted_by"]
    assert imported.content == exported["content"]
    assert (imported.key_id, imported.signature) == (snapshot.key_id, snapshot.signature)
    assert (imported.division_id, imported.kind, imported.year, imported.as_of) == (
        "640323",
        Kind.STRUCTURE,
        YEAR,
        snapshot.as_of,
    )
    assert exchange.verifies(imported)
    assert exchange.envelope(imported) == exported
    with pytest.raises(ValidationError) as twice:
        exchange.import_snapshot(actor=users["ningxia"], data=data)
    assert twice.value.message_dict == {"file": ["这份报表快照已经导入过了"]}


def test_a_tampered_copy_is_refused_and_nothing_written(users):
    snapshot = submit("county", world.COUNTY_A)
    exported = json.loads(exchange.envelope_bytes(snapshot))
    Snapshot.history.all().delete()
    Snapshot.objects.all().delete()
    exported["content"]["table"]["total"]["total"] = 30
    with pytest.raises(ValidationError) as refused:
        exchange.import_snapshot(actor=users["ningxia"], data=json.dumps(exported).encode())
    assert refused.value.message_dict == {"file": [TAMPERED]}
    exported["content"]["table"]["total"]["total"] = 3
    exported["signature"]["key_id"] = "0" * 16  # a key this deployment does not trust
    with pytest.raises(ValidationError):
        exchange.import_snapshot(actor=users["ningxia"], data=json.dumps(exported).encode())
    with pytest.raises(ValidationError) as garbage:
        exchange.import_snapshot(actor=users["ningxia"], data=b"\xff{not json")
    assert "file" in garbage.value.message_dict
    assert footprint() == []


def test_a_division_outside_the_jurisdiction_is_refused(users):
    data = exchange.envelope_bytes(submit("county", world.COUNTY_A))
    Snapshot.history.all().delete()
    Snapshot.objects.all().delete()
    outsider = User.objects.get(username="outsider")
    with pytest.raises(ValidationError) as refused:
        exchange.import_snapshot(actor=outsider, data=data)
    assert refused.value.message_dict == {
        "file": ["文件中的单位“盐池县”（640323）不在您的管辖范围内，未导入"]
    }
    with pytest.raises(ValidationError):
        exchange.import_snapshot(actor=users["county2"], data=data)
    for reader in ("auditor", "huamachi"):
        with pytest.raises(PermissionDenied):
            exchange.import_snapshot(actor=User.objects.get(username=reader), data=data)
    assert footprint() == []


def test_the_lists_follow_the_jurisdiction(users):
    submit("county", world.COUNTY_A)
    submit("county2", world.COUNTY_B)
    seen = {
        name: sorted(
            selectors.snapshots(User.objects.get(username=name)).values_list("division_id", flat=True)
        )
        for name in ("county", "county2", "wuzhong", "ningxia", "huamachi", "outsider", "auditor")
    }
    assert seen == {
        "county": ["640323"],
        "county2": ["640381"],
        "wuzhong": ["640323", "640381"],
        "ningxia": ["640323", "640381"],
        "huamachi": [],
        "outsider": [],
        "auditor": ["640323"],
    }


def test_the_year_figures_and_their_xlsx(users):
    snapshot = submit("county", world.COUNTY_A, kind=Kind.YEAR)
    total = snapshot.content["table"]["total"]
    assert {key: total[key] for key in world.COUNTS_A} == world.COUNTS_A
    assert total["entered"] == 0  # they entered on 2025-01-01, more than a year ago
    assert snapshot.content["report"]["reserves"]["total"] == 3
    sheet = exchange.snapshot_workbook(snapshot).active
    assert sheet.cell(1, 1).value == f"盐池县{YEAR}年年度统计数据（上报快照）"
    assert "上报人：county" in sheet.cell(3, 1).value
    last = sheet.max_row
    assert sheet.cell(last, 1).value == "合计"
    assert sheet.cell(last, 3).value == 3


# --- Pages ------------------------------------------------------------------------------------------------


def test_the_county_submits_from_its_page_and_the_province_returns_it(users, client_for):
    county = client_for("county")
    page = county.get("/reports-up/")
    assert page.status_code == 200
    assert 'id="submit-form"' in page.content.decode()
    response = county.post("/reports-up/submit/", {"kind": "structure", "year": str(YEAR)})
    snapshot = Snapshot.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reports-up/{snapshot.pk}/"
    detail = county.get(f"/reports-up/{snapshot.pk}/").content.decode()
    assert 'id="signature-ok"' in detail
    assert 'id="return-form"' not in detail
    province = client_for("ningxia")
    assert 'id="submit-form"' not in province.get("/reports-up/").content.decode()
    refused = province.post(f"/reports-up/{snapshot.pk}/return/", {"note": ""})
    assert refused.status_code == 422
    assert Snapshot.objects.get().status == Status.SUBMITTED
    assert province.post(f"/reports-up/{snapshot.pk}/return/", {"note": "请核对花马池镇"}).status_code == 302
    assert "请核对花马池镇" in county.get(f"/reports-up/{snapshot.pk}/").content.decode()
    assert county.post(f"/reports-up/{snapshot.pk}/return/", {"note": "自己退"}).status_code == 403


def test_the_rollup_page_and_its_xlsx(users, client_for):
    submit("county", world.COUNTY_A)
    province = client_for("ningxia")
    page = province.get(f"/reports-up/rollup/?kind=structure&year={YEAR}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "盐池县" in text
    assert "青铜峡市" in text and 'id="rollup-missing"' in text
    export = province.get(f"/reports-up/rollup.xlsx?kind=structure&year={YEAR}&division=64")
    assert export.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(export.content)).active
    assert sheet.cell(sheet.max_row, 1).value == "合计"
    assert sheet.cell(sheet.max_row, 3).value == 3
    assert client_for("county").get("/reports-up/rollup/").status_code == 403
    assert province.get("/reports-up/rollup/?division=621202").status_code == 404
    assert province.get("/reports-up/rollup/?kind=roster").status_code == 400


def test_the_json_download_and_the_import_page(users, client_for):
    snapshot = submit("county", world.COUNTY_A)
    download = client_for("county").get(f"/reports-up/{snapshot.pk}/export/snapshot.json")
    assert download.status_code == 200
    assert json.loads(download.content) == exchange.envelope(snapshot)
    from yanzhen.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="export", detail={"snapshot": snapshot.pk}).count() == 1
    Snapshot.history.all().delete()
    Snapshot.objects.all().delete()
    from django.core.files.uploadedfile import SimpleUploadedFile

    province = client_for("ningxia")
    tampered = json.loads(download.content)
    tampered["content"]["division_name"] = "盐池"
    refused = province.post(
        "/reports-up/import/",
        {"file": SimpleUploadedFile("s.json", json.dumps(tampered).encode(), "application/json")},
    )
    assert refused.status_code == 422
    assert TAMPERED in refused.content.decode()
    assert footprint() == []
    accepted = province.post(
        "/reports-up/import/", {"file": SimpleUploadedFile("s.json", download.content, "application/json")}
    )
    imported = Snapshot.objects.get()
    assert accepted["Location"] == f"/reports-up/{imported.pk}/"
    assert imported.content == snapshot.content
    assert client_for("auditor").get("/reports-up/import/").status_code == 403


def test_the_console_exports_and_imports(users, tmp_path):
    from django.core.management import CommandError, call_command

    snapshot = submit("county", world.COUNTY_A)
    target = tmp_path / "s.json"
    call_command("snapshot", "export", str(snapshot.pk), "--output", str(target))
    assert json.loads(target.read_text()) == exchange.envelope(snapshot)
    Snapshot.history.all().delete()
    Snapshot.objects.all().delete()
    bad = json.loads(target.read_text())
    bad["content"]["year"] = 2020
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    with pytest.raises(CommandError, match="签名校验失败"):
        call_command("snapshot", "import", str(tmp_path / "bad.json"), "--as", "ningxia")
    assert footprint() == []
    call_command("snapshot", "import", str(target), "--as", "ningxia")
    assert Snapshot.objects.get().content == snapshot.content


def test_the_demo_county_has_filed_this_years_figures(demo_county):
    from yanzhen.demo.reports_up import build_reports_up

    snapshot = Snapshot.objects.get(division_id="640323", kind=Kind.YEAR, year=YEAR)
    assert snapshot.status == Status.SUBMITTED
    assert snapshot.submitted_by.username == "county"
    assert snapshot.content["table"]["total"]["villages"] == 102
    assert snapshot.content["table"]["total"]["total"] > 300
    assert exchange.verifies(snapshot)
    assert build_reports_up("640323") == 0  # idempotent


# --- The election report and the keys ---------------------------------------------------------------------


def test_the_election_report_is_frozen_with_its_counts(users):
    from . import elections_support as es
    from .factories import make_person

    election = es.open_election()
    [seat] = es.seats(world.A_VILLAGES[0], chair=0)["secretary"]
    es.sit(seat, make_person("老书记", world.A_VILLAGES[0], born=date(1966, 1, 1)))
    snapshot = submit("county", world.COUNTY_A, kind=Kind.ELECTION, year=election.starts_on.year)
    report = snapshot.content["report"]
    assert snapshot.content["election"] == election.pk
    assert snapshot.content["table"]["total"] == {
        "villages": report["villages"],
        "villages_elected": 0,
        "members_before": 1,
        "members_after": 1,
        "elected": 0,
        "from_pool": 0,
    }
    assert report["before"]["members"] == 1
    assert "老书记" not in json.dumps(snapshot.content, ensure_ascii=False)
    assert exchange.verifies(snapshot)


def test_production_without_a_signing_key_cannot_submit(users, settings):
    from yanzhen.reports_up.signing import NO_KEY_MESSAGE

    settings.DEVELOPMENT_DEFAULTS = False
    settings.SIGNING_KEY = ""
    with pytest.raises(ValidationError) as refused:
        submit("county", world.COUNTY_A)
    assert refused.value.message_dict == {"signature": [NO_KEY_MESSAGE]}
    assert footprint() == []


def test_a_province_trusts_the_keys_of_its_counties_deployments(users, settings):
    """The county's deployment signs with its key; the province's, with a key of its own, imports the file only
    once the county's public key is among its trusted keys."""
    from yanzhen.reports_up import signing

    settings.DEVELOPMENT_DEFAULTS = False
    settings.SIGNING_KEY = county_key = signing.generate_key()
    county_public = signing.own_public_key()
    data = exchange.envelope_bytes(submit("county", world.COUNTY_A))
    Snapshot.history.all().delete()
    Snapshot.objects.all().delete()
    settings.SIGNING_KEY = signing.generate_key()  # the province's deployment
    assert settings.SIGNING_KEY != county_key
    with pytest.raises(ValidationError) as refused:
        exchange.import_snapshot(actor=users["ningxia"], data=data)
    assert refused.value.message_dict == {"file": [TAMPERED]}
    settings.TRUSTED_SIGNING_KEYS = [county_public]
    imported = exchange.import_snapshot(actor=users["ningxia"], data=data)
    assert imported.key_id == signing.key_id_of(base64.b64decode(county_public))
