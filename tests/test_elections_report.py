"""The report of an election filed upward (issue 16 §4) and the warnings before it (§1), on a hand-counted
fixture: three villages with sitting committees, results recorded in two of them on different days.

Villages (盐池县 has 102 村委会; 花马池镇 23, 大水坑镇 15):
  A = 640323100200 长城村 (花马池镇)  elected on 2026-09-26
  B = 640323100201 沟沿村 (花马池镇)  no results; its slate: 书记乙 for secretary only
  C = 640323101200 大水坑村 (大水坑镇) elected on 2026-10-10
  D = 640323100202 佟记圈村 (花马池镇) no committee; its only candidate failed the joint review

The election starts 2026-09-01: `before` is 2026-08-31. Ages are whole years on the day.

Before (2026-08-31)           age  sex  大专+  posts
  A 老书记 1960-01-01           66   M    no    secretary + chair (一肩挑, 交叉)
  A 委员甲 1980-06-01           46   F    yes   member
  B 书记乙 1970-03-03           56   M    yes   secretary
  B 主任乙 1985-12-12           40   M    yes   chair
  B 委员乙 1992-01-01           34   F    none  member (since 2022-01-01)
  C 书记丙 1965-07-07           61   M    no    secretary
  C 主任丙 1975-02-02           51   M    no    chair + member (交叉)
After (A on 09-26, B on 08-31 as before, C on 10-10)
  A 后备甲 1990-05-12           36   M    yes   secretary + chair (from the pool)
  A 委员甲                      46   F    yes   member (re-elected)
  A 新委员 1992-10-01           33   M    no    member (his candidacy was removed in 2024: not a reserve)
  B (as before)                56, 40, 34
  C 书记丙                      61   M    no    secretary (re-elected)
  C 新主任 1991-10-10           35   M    no    chair (from the pool; 35 on his birthday: not under 35,
                                                     but "35 or under" for the village target)
"""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import Http404

from yanzhen.candidacies.models import CandidacyState
from yanzhen.elections import services
from yanzhen.elections.report import election_report
from yanzhen.elections.warnings import election_warnings
from yanzhen.stats import figures

from . import elections_support as es
from .candidacies_support import candidacy_in, user, village
from .conftest import DASHUIKENG_VILLAGE, HUAMACHI_VILLAGE
from .factories import make_person

pytestmark = pytest.mark.django_db

A, B, C, D = HUAMACHI_VILLAGE, "640323100201", DASHUIKENG_VILLAGE, "640323100202"
C_ELECTED_ON = date(2026, 10, 10)


def build():
    s_a = es.seats(A, member=2)
    old_secretary = make_person("老书记", A, born=date(1960, 1, 1), education="41")
    woman_a = make_person("委员甲", A, born=date(1980, 6, 1), female=True, education="31")
    es.sit(s_a["secretary"][0], old_secretary)
    es.sit(s_a["chair"][0], old_secretary)
    es.sit(s_a["member"][0], woman_a)
    s_b = es.seats(B, member=1)
    secretary_b = make_person("书记乙", B, born=date(1970, 3, 3), education="31")
    es.sit(s_b["secretary"][0], secretary_b)
    es.sit(s_b["chair"][0], make_person("主任乙", B, born=date(1985, 12, 12), education="21"))
    woman_b = make_person("委员乙", B, born=date(1992, 1, 1), female=True, education=None)
    es.sit(s_b["member"][0], woman_b, date(2022, 1, 1))
    s_c = es.seats(C, member=1)
    secretary_c = make_person("书记丙", C, born=date(1965, 7, 7), education="41")
    chair_c = make_person("主任丙", C, born=date(1975, 2, 2), education="41")
    es.sit(s_c["secretary"][0], secretary_c)
    es.sit(s_c["chair"][0], chair_c)
    es.sit(s_c["member"][0], chair_c)

    reserve_a = candidacy_in(
        CandidacyState.IN_POOL, make_person("后备甲", A, born=date(1990, 5, 12), education="31")
    ).person
    newcomer = make_person("新委员", A, born=date(1992, 10, 1), education="41")
    candidacy_in(CandidacyState.REMOVED, newcomer)
    reserve_c = candidacy_in(
        CandidacyState.IN_POOL, make_person("新主任", C, born=date(1991, 10, 10), education="41")
    ).person

    election = es.open_election()
    slate_a = [
        es.propose(election, reserve_a, also_chair=True),
        es.propose(election, woman_a, "member"),
        es.propose(election, newcomer, "member"),
    ]
    slate_c = [es.propose(election, secretary_c, code=C), es.propose(election, reserve_c, "chair", code=C)]
    for candidate in slate_a + slate_c:
        es.review(candidate)
    es.publicise(election, A)
    es.publicise(election, C)
    es.propose(election, secretary_b, code=B)  # standing, review pending
    failed = es.propose(election, make_person("落选人", D), code=D)
    es.review(failed, failed_by="公安")
    es.voting(election)
    services.record_results(
        actor=user("county"),
        election=election,
        village=village(A),
        elected_on=es.ELECTED_ON,
        entries=[
            services.Elected(s_a["secretary"][0], reserve_a, 310),
            services.Elected(s_a["chair"][0], reserve_a, 305),
            services.Elected(s_a["member"][0], woman_a, 290),
            services.Elected(s_a["member"][1], newcomer, 250),
        ],
    )
    services.record_results(
        actor=user("county"),
        election=election,
        village=village(C),
        elected_on=C_ELECTED_ON,
        entries=[
            services.Elected(s_c["secretary"][0], secretary_c),
            services.Elected(s_c["chair"][0], reserve_c),
        ],
    )
    return election


@pytest.fixture
def election():
    return build()


# The county's report, every number counted by hand from the table above.
COUNTY_REPORT = {
    "election": None,  # filled in
    "county": "640323",
    "villages": 102,
    "villages_elected": 2,  # A, C
    "before": {
        "members": 7,
        "average_age": 50.6,  # (66+46+56+40+34+61+51) / 7 = 354 / 7 = 50.57
        "college_or_above_pct": 42.86,  # 委员甲, 书记乙, 主任乙: 3 / 7
        "under_35_pct": 14.29,  # 委员乙 (34): 1 / 7
        "women_pct": 28.57,  # 委员甲, 委员乙: 2 / 7
        "one_shoulder_pct": 0.98,  # A: 1 / 102
        "cross_post_pct": 1.96,  # A (老书记), C (主任丙): 2 / 102
    },
    "after": {
        "members": 8,
        "average_age": 42.6,  # (36+46+33 + 56+40+34 + 61+35) / 8 = 341 / 8 = 42.625
        "college_or_above_pct": 50.0,  # 后备甲, 委员甲, 书记乙, 主任乙: 4 / 8
        "under_35_pct": 25.0,  # 新委员 (33), 委员乙 (34); 新主任 is 35: 2 / 8
        "women_pct": 25.0,  # 委员甲, 委员乙: 2 / 8
        "one_shoulder_pct": 0.98,  # A (后备甲): 1 / 102
        "cross_post_pct": 0.98,  # A: 1 / 102 (C's 主任丙 left)
    },
    # Elected: 后备甲, 委员甲, 新委员, 书记丙, 新主任 = 5; in the pool the day before: 后备甲, 新主任.
    "from_pool": {"count": 2, "pct": 40.0},
    "targets": {
        # A meets every village target (a woman; 新委员 33 ≤ 35; age 56.0 → 38.3; 大专 50% → 66.67%).
        "met": 1,
        "missed": [
            # C: no woman; 大专 0% before and after. 新主任 (35) is "35 or under"; age 56.0 → 48.0.
            {"village": C, "target": "women", "detail": "没有女性成员"},
            {"village": C, "target": "better_educated", "detail": "大专及以上占 0.0%，换届前 0.0%，未提升"},
            # County: 一肩挑 0.98% < 90%; 大专 50% meets 50%; 交叉任职 0.98% < 50%.
            {
                "village": "640323",
                "target": "one_shoulder",
                "detail": "书记、主任“一肩挑”的村占 0.98%，目标 90.00%",
            },
            {
                "village": "640323",
                "target": "cross_post",
                "detail": "“两委”交叉任职的村占 0.98%，目标 50.00%",
            },
        ],
    },
}


def county_report(election) -> dict:
    return {**COUNTY_REPORT, "election": election.pk}


def test_the_report_on_the_hand_counted_fixture(election):
    assert election_report(None, election) == county_report(election)
    assert election_report(user("county"), election) == county_report(election)
    assert election_report(user("auditor"), election) == county_report(election)


def test_before_uses_the_figures_of_yanzhen_stats(election):
    committee = figures.compute(None, "640323", "2026-08-31")["incumbents"]["committee"]
    before = election_report(None, election)["before"]
    assert (committee["count"], committee["average_age"], committee["college_or_above_pct"]) == (
        before["members"],
        before["average_age"],
        before["college_or_above_pct"],
    )


def test_a_township_clerk_gets_the_report_of_his_villages(election):
    # 花马池镇: A and B of its 23 villages.
    assert election_report(user("huamachi"), election) == {
        "election": election.pk,
        "county": "640323",
        "villages": 23,
        "villages_elected": 1,
        "before": {
            "members": 5,
            "average_age": 48.4,  # (66+46+56+40+34) / 5 = 242 / 5
            "college_or_above_pct": 60.0,  # 3 / 5
            "under_35_pct": 20.0,  # 1 / 5
            "women_pct": 40.0,  # 2 / 5
            "one_shoulder_pct": 4.35,  # 1 / 23
            "cross_post_pct": 4.35,
        },
        "after": {
            "members": 6,
            "average_age": 40.8,  # (36+46+33+56+40+34) / 6 = 245 / 6 = 40.83
            "college_or_above_pct": 66.67,  # 4 / 6
            "under_35_pct": 33.33,  # 2 / 6
            "women_pct": 33.33,  # 2 / 6
            "one_shoulder_pct": 4.35,
            "cross_post_pct": 4.35,
        },
        "from_pool": {"count": 1, "pct": 33.33},  # 后备甲 of 3
        "targets": {
            "met": 1,
            "missed": [
                {
                    "village": "640323",
                    "target": "one_shoulder",
                    "detail": "书记、主任“一肩挑”的村占 4.35%，目标 90.00%",
                },
                {
                    "village": "640323",
                    "target": "cross_post",
                    "detail": "“两委”交叉任职的村占 4.35%，目标 50.00%",
                },
            ],
        },
    }
    mine = election_report(user("dashuikeng"), election)
    assert (
        mine["villages"],
        mine["villages_elected"],
        mine["before"]["members"],
        mine["after"]["members"],
    ) == (
        15,
        1,
        2,
        2,
    )
    assert mine["from_pool"] == {"count": 1, "pct": 50.0}  # 新主任 of 书记丙 and 新主任
    village_secretary = election_report(user("cunshuji"), election)
    assert (village_secretary["villages"], village_secretary["after"]["members"]) == (1, 3)


def test_an_outsider_cannot_read_the_report(election):
    with pytest.raises(Http404):
        election_report(user("outsider"), election)


def test_the_report_reads_in_a_fixed_number_of_queries(election, django_assert_max_num_queries):
    # The election, villages, townships, results, the pool, per day (08-31, 09-26, 10-10) the terms and the
    # states; on PostgreSQL the tuning of stats.states.tuned and its savepoint.
    with django_assert_max_num_queries(14):
        election_report(None, election)


def test_the_console_prints_the_json_and_the_table(election):
    out = StringIO()
    call_command("election-report", "--election", str(election.pk), "--json", stdout=out)
    assert json.loads(out.getvalue()) == county_report(election)
    out = StringIO()
    call_command("election-report", "--election", str(election.pk), stdout=out)
    table = out.getvalue()
    assert "花马池镇" in table and "大水坑镇" in table and "合计" in table
    assert "大水坑村委会（640323101200）  每个村委会至少一名女性：没有女性成员" in table


def test_the_console_refuses_an_unknown_election_in_chinese():
    with pytest.raises(CommandError, match="换届“999”不存在"):
        call_command("election-report", "--election", "999")


def test_the_console_exits_non_zero_for_an_unknown_election(monkeypatch, capsys):
    from yanzhen.__main__ import main

    monkeypatch.setattr("sys.argv", ["yanzhen", "election-report", "--election", "abc"])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code != 0
    assert "换届“abc”不存在" in capsys.readouterr().err


# --- The warnings -------------------------------------------------------------------------------------------


def test_the_warnings_before_the_election(election):
    found = election_warnings(user("huamachi"), election, on=date(2026, 8, 31))
    # Terms of 5 years ending by 2027-02-28 (6 months): B's 2021 terms (overdue) and 委员乙's (2027-01-01);
    # A and C have results.
    assert [(t["person"], t["expected_end"], t["overdue"]) for t in found["terms_ending"]] == [
        ("书记乙", "2026-04-01", True),
        ("主任乙", "2026-04-01", True),
        ("委员乙", "2027-01-01", False),
    ]
    # 花马池镇's 23 villages: A has results, B has 书记乙 standing; D's only candidate failed the review.
    no_secretary = [row["village"] for row in found["no_secretary_candidate"]]
    assert len(no_secretary) == 21 and B not in no_secretary and A not in no_secretary and D in no_secretary
    # B's slate (书记乙 56, 大专) against its committee (56, 40, 34; average 43.3; 大专 2 of 3).
    assert [(row["village"], row["target"], row["detail"]) for row in found["slate_misses"]] == [
        (B, "women", "没有女性成员"),
        (B, "young", "没有35岁以下成员"),
        (B, "younger", "平均年龄 56.0 岁，换届前 43.3 岁，未下降"),
    ]
    earlier = election_warnings(None, election, on=date(2026, 1, 1))
    # By 2026-07-01 only B's 2021 terms end, not yet overdue.
    assert [(t["person"], t["overdue"]) for t in earlier["terms_ending"]] == [
        ("书记乙", False),
        ("主任乙", False),
    ]
    assert len(earlier["no_secretary_candidate"]) == 99  # 102 − A, C (results) − B
    assert election_warnings(user("dashuikeng"), election, on=date(2026, 8, 31)) == {
        "election": election.pk,
        "on": "2026-08-31",
        "warning_months": 6,
        "terms_ending": [],
        "no_secretary_candidate": [
            {"village": code, "village_name": name}
            for code, name in village(C)
            .parent.children.filter(kind__in=["village_committee", "village_like"])
            .exclude(code=C)
            .order_by("code")
            .values_list("code", "name")
        ],
        "slate_misses": [],
    }
    with pytest.raises(Http404):
        election_warnings(user("outsider"), election)


# --- The pages, the xlsx, the printable lists ----------------------------------------------------------------


def _client(username: str | None):
    from django.test import Client

    client = Client()
    if username:
        client.force_login(user(username))
    return client


def _rows(content: bytes, title: str) -> list[tuple]:
    from io import BytesIO

    from openpyxl import load_workbook

    return list(load_workbook(BytesIO(content))[title].iter_rows(values_only=True))


def test_the_report_page_shows_before_after_the_pool_the_targets_and_the_warnings(election):
    response = _client("county").get(f"/elections/{election.pk}/report/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="election-report-comparison"' in html and 'id="election-warnings"' in html
    assert "2（40.0%）" in html  # from the pool
    assert "没有女性成员" in html and "大水坑村委会" in html
    assert f"/elections/{election.pk}/report.xlsx" in html
    assert f"/elections/{election.pk}/villages/{A}/print/results/" in html
    assert f"/elections/{election.pk}/villages/{B}/print/results/" not in html  # no results there


def test_the_report_xlsx_has_a_row_per_township_and_the_total(election):
    response = _client("county").get(f"/elections/{election.pk}/report.xlsx")
    assert response.status_code == 200
    rows = _rows(response.content, "换届情况统计表")
    assert rows[0][0] == "盐池县第12届村“两委”换届情况统计表"
    first_column = [row[0] for row in rows]
    body = rows[5 : first_column.index("合计") + 1]
    names = [row[0] for row in body]
    assert names[-1] == "合计" and "花马池镇" in names and "大水坑镇" in names
    total = body[-1]
    # 单位, 村数, 已换届; before: members, age, 大专, <35, 女, 一肩挑, 交叉; after: the same; pool 人数, 占比;
    # 达标村数, 村级未达标项.
    assert total == (
        "合计", 102, 2,
        7, 50.6, 0.4286, 0.1429, 0.2857, 0.0098, 0.0196,
        8, 42.6, 0.5, 0.25, 0.25, 0.0098, 0.0098,
        2, 0.4, 1, 2,
    )  # fmt: skip
    huamachi = body[names.index("花马池镇")]
    assert huamachi[:4] == ("花马池镇", 23, 1, 5) and huamachi[10] == 6 and huamachi[17:] == (1, 0.3333, 1, 0)
    misses = _rows(response.content, "未达标情况")
    assert [row[1:5] for row in misses[2:]] == [
        ("大水坑镇", "大水坑村委会", C, "每个村委会至少一名女性"),
        ("大水坑镇", "大水坑村委会", C, "学历层次提升（一升）"),
        (None, "（全县）", "640323", "书记、主任“一肩挑”比例"),
        (None, "（全县）", "640323", "“两委”交叉任职比例"),
    ]
    clerk = _rows(_client("huamachi").get(f"/elections/{election.pk}/report.xlsx").content, "换届情况统计表")
    assert [row[0] for row in clerk[5:7]] == ["花马池镇", "合计"]


def test_the_printable_slate_and_results(election):
    county = _client("county")
    slate = county.get(f"/elections/{election.pk}/villages/{A}/print/slate/").content.decode()
    assert "后备甲" in slate and "委员甲" in slate and "新委员" in slate and "2026年9月14日" in slate
    assert "一肩挑" in slate and 'id="slate-draft"' not in slate and "关于长城村“两委”换届候选人" in slate
    draft = county.get(f"/elections/{election.pk}/villages/{B}/print/slate/").content.decode()
    assert 'id="slate-draft"' in draft and "书记乙" in draft
    failed = county.get(f"/elections/{election.pk}/villages/{D}/print/slate/").content.decode()
    assert "落选人" not in failed and "暂无候选人" in failed
    results = county.get(f"/elections/{election.pk}/villages/{A}/print/results/").content.decode()
    assert results.count("后备甲") == 2 and "310" in results and "2026年9月26日" in results
    none = county.get(f"/elections/{election.pk}/villages/{B}/print/results/").content.decode()
    assert 'id="results-none"' in none
    assert county.get(f"/elections/{election.pk}/villages/640323/print/slate/").status_code == 404
    assert county.get(f"/elections/{election.pk}/villages/621202100200/print/slate/").status_code == 404


# name: path, then the status for anonymous, county, huamachi, dashuikeng, cunshuji, auditor, outsider.
STATUSES = {
    "report": ("/elections/{pk}/report/", 302, 200, 200, 200, 200, 200, 404),
    "report-xlsx": ("/elections/{pk}/report.xlsx", 302, 200, 200, 200, 200, 200, 404),
    "print-slate": (f"/elections/{{pk}}/villages/{A}/print/slate/", 302, 200, 200, 404, 200, 200, 404),
    "print-results": (f"/elections/{{pk}}/villages/{A}/print/results/", 302, 200, 200, 404, 200, 200, 404),
}
PERSONAS = [None, "county", "huamachi", "dashuikeng", "cunshuji", "auditor", "outsider"]


def test_who_may_open_the_report_pages(election):
    for name, (path, *statuses) in STATUSES.items():
        for persona, status in zip(PERSONAS, statuses, strict=True):
            response = _client(persona).get(path.format(pk=election.pk))
            assert response.status_code == status, (name, persona, response.status_code)
    assert _client("county").get("/elections/999999/report/").status_code == 404
