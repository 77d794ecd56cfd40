"""The person list (issue 3 §6): search modes, filters with exact sets, age bands on today's date,
jurisdiction, the xlsx export, and a query count that does not grow with the page."""

import io
import zipfile
from datetime import date, timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from yanzhen.accounts.models import User
from yanzhen.core.models import AuditAction, AuditEvent
from yanzhen.divisions.models import Division
from yanzhen.people.idcard import make_id_number
from yanzhen.people.models import Skill, Source, age_on
from yanzhen.people.selectors import search_people, years_before
from yanzhen.people.services import EducationInput, PersonInput, create_person
from yanzhen.people.views.list import EXPORT_HEADER

from .conftest import DASHUIKENG_VILLAGE, HUAMACHI_VILLAGE, shared_fixture

pytestmark = pytest.mark.django_db

GOUYAN = "640323100201"  # 沟沿村委会, 花马池镇
BOUNDARY_VILLAGE = "640323100202"  # 佟记圈村委会: only the age-boundary people live there
CROWD_VILLAGE = "640323100203"  # 四墩子村委会: the query-count crowd

NUMBERS = {
    "祝心灵": make_id_number("640323", date(1990, 5, 12), 1),
    "张晓丽": make_id_number("640323", date(1980, 3, 3), 2),
    "王建国": make_id_number("640323", date(1965, 8, 8), 3),
    "马兰花": make_id_number("640323", date(2000, 1, 1), 4),
}


def add(name, village, political_status, *, number=None, education=None, source=None, skills=(), phone=""):
    return create_person(
        actor=User.objects.get(username="county"),
        data=PersonInput(
            name=name,
            id_number=number or NUMBERS[name],
            village=Division.objects.get(code=village),
            political_status=political_status,
            phone=phone,
            source=Source.objects.get(name=source) if source else None,
            skills=list(Skill.objects.filter(name__in=skills)),
            educations=[EducationInput(kind="full_time", education=education)] if education else [],
        ),
    )


def make_people() -> dict:
    return {
        person.name: person
        for person in [
            add(
                "祝心灵",
                HUAMACHI_VILLAGE,
                "01",
                education="31",
                source="致富带头人",
                skills=["种植", "电商"],
                phone="13812345678",
            ),
            add("张晓丽", GOUYAN, "13", education="61", source="退役军人", skills=["养殖"]),
            add("王建国", DASHUIKENG_VILLAGE, "01", skills=["种植"]),
            add("马兰花", HUAMACHI_VILLAGE, "03", education="21"),
        ]
    }


people = shared_fixture("people", make_people)  # built once for the tests that ask for it


def names(queryset) -> set[str]:
    return {person.name for person in queryset}


def listed(client, query="") -> set[str]:
    response = client.get(f"/people/?{query}")
    assert response.status_code == 200
    return {person.name for person in response.context["page"]}


@pytest.mark.parametrize(
    "q,expected",
    [
        ("zxl", {"祝心灵", "张晓丽"}),  # pinyin initials, 张晓丽 is zxl too
        ("ZXL", {"祝心灵", "张晓丽"}),
        ("zhuxinling", {"祝心灵"}),  # full pinyin
        ("zhu", {"祝心灵"}),  # full pinyin, prefix
        ("xinling", {"祝心灵"}),  # full pinyin, inside the name
        ("祝", {"祝心灵"}),  # the name
        ("长城", {"祝心灵", "马兰花"}),  # the village name
        ("大水坑", {"王建国"}),
        (NUMBERS["王建国"][-4:], {"王建国"}),  # the last four characters of the ID number
        (NUMBERS["张晓丽"][-2:], {"张晓丽"}),
        ("nobody", set()),
    ],
)
def test_search_modes(persona, people, q, expected):
    assert names(search_people(persona("county"), q=q)) == expected


def test_last_digits_match_the_masked_number_only(persona, people):
    # The middle of the number is masked: digits of the birth date find nobody.
    assert names(search_people(persona("county"), q="1990")) == set()


def test_search_box_on_the_page(client_for, people):
    assert listed(client_for("county"), "q=zxl") == {"祝心灵", "张晓丽"}


@pytest.mark.parametrize(
    "filters,expected",
    [
        ({"gender": "2"}, {"张晓丽", "马兰花"}),
        ({"gender": "1"}, {"祝心灵", "王建国"}),
        ({"political_status": "01"}, {"祝心灵", "王建国"}),
        ({"political_status": "03"}, {"马兰花"}),
        ({"education_band": "college_or_above"}, {"祝心灵", "马兰花"}),
        # 王建国 has no education record: he is in neither band.
        ({"education_band": "secondary_or_below"}, {"张晓丽"}),
        ({"township": "640323100"}, {"祝心灵", "张晓丽", "马兰花"}),
        ({"township": "640323101"}, {"王建国"}),
        ({"village": GOUYAN}, {"张晓丽"}),
        ({"village": HUAMACHI_VILLAGE, "political_status": "03"}, {"马兰花"}),
        ({"gender": "1", "q": "zxl"}, {"祝心灵"}),
    ],
)
def test_filters(persona, people, filters, expected):
    assert names(search_people(persona("county"), **filters)) == expected


def test_source_and_skills_filters(persona, people):
    county = persona("county")
    skill = {s.name: s.pk for s in Skill.objects.all()}
    assert names(search_people(county, source=Source.objects.get(name="致富带头人").pk)) == {"祝心灵"}
    assert names(search_people(county, source=Source.objects.get(name="退役军人").pk)) == {"张晓丽"}
    assert names(search_people(county, skills=[skill["种植"]])) == {"祝心灵", "王建国"}
    # Any of the skills, each person once although 祝心灵 has both.
    both = search_people(county, skills=[skill["种植"], skill["电商"]])
    assert sorted(p.name for p in both) == sorted(["祝心灵", "王建国"])
    assert names(search_people(county, skills=[skill["养殖"], skill["电商"]])) == {"祝心灵", "张晓丽"}


def test_filters_on_the_page(client_for, people):
    client = client_for("county")
    skill = Skill.objects.get(name="种植").pk
    source = Source.objects.get(name="退役军人").pk
    assert listed(client, "gender=2&education_band=college_or_above") == {"马兰花"}
    assert listed(client, f"skills={skill}") == {"祝心灵", "王建国"}
    assert listed(client, f"source={source}") == {"张晓丽"}
    assert listed(client, "township=640323100&age_band=over_50") == set()


@pytest.mark.parametrize(
    ("query", "open_on_a_phone"),
    [
        ("", False),
        ("?sort=-age&page_size=50&page=2", False),  # sorting and paging are not filters
        ("?q=&gender=&township=", False),  # an empty submitted form neither
        ("?q=zxl", True),
        ("?sort=name&township=640323100", True),
    ],
)
def test_filters_fold_on_a_phone_unless_one_is_set(client_for, query, open_on_a_phone):
    """Below 768 px the filter card is a Bootstrap collapse behind 筛选 (d-md-block keeps it shown on a desk);
    it starts open when a filter is set, so the clerk sees what narrows the list."""
    html = client_for("county").get(f"/people/{query}").content.decode()
    classes = "card card-body mb-3 no-print collapse d-md-block" + (" show" if open_on_a_phone else "")
    assert f'<form class="{classes}" method="get" id="person-filters">' in html
    assert 'data-bs-target="#person-filters"' in html
    assert f'aria-expanded="{"true" if open_on_a_phone else "false"}">筛选</button>' in html


def test_wrong_filter_shows_an_error_and_applies_the_others(client_for, people):
    response = client_for("county").get("/people/?gender=2&township=6403")
    assert response.status_code == 200
    assert response.context["form"].errors["township"]
    assert {p.name for p in response.context["page"]} == {"张晓丽", "马兰花"}


def test_age_band_boundaries_on_todays_date(client_for, persona):
    today = timezone.localdate()
    born = {
        "三十四": years_before(today, 35) + timedelta(days=1),
        "三十五": years_before(today, 35),
        "五十": years_before(today, 51) + timedelta(days=1),
        "五十一": years_before(today, 51),
    }
    for sequence, (name, birth_date) in enumerate(born.items(), start=11):
        add(name, BOUNDARY_VILLAGE, "13", number=make_id_number("640323", birth_date, sequence))
    assert {name: age_on(d, today) for name, d in born.items()} == {
        "三十四": 34,
        "三十五": 35,
        "五十": 50,
        "五十一": 51,
    }
    client = client_for("huamachi")
    assert listed(client, f"village={BOUNDARY_VILLAGE}&age_band=under_35") == {"三十四"}
    assert listed(client, f"village={BOUNDARY_VILLAGE}&age_band=35_to_50") == {"三十五", "五十"}
    assert listed(client, f"village={BOUNDARY_VILLAGE}&age_band=over_50") == {"五十一"}
    # Ages shown on the page are on today's date as well.
    page = client.get(f"/people/?village={BOUNDARY_VILLAGE}").content.decode()
    for age in ("<td>34</td>", "<td>35</td>", "<td>50</td>", "<td>51</td>"):
        assert age in page


def test_age_band_on_a_leap_day():
    from yanzhen.people.models import age_on

    on = date(2028, 2, 29)
    assert years_before(on, 35) == date(1993, 2, 28)
    assert age_on(date(1993, 2, 28), on) == 35 and age_on(date(1993, 3, 1), on) == 34


def test_jurisdiction_in_the_list(client_for, persona, people):
    assert names(search_people(persona("huamachi"))) == {"祝心灵", "张晓丽", "马兰花"}
    assert names(search_people(persona("dashuikeng"))) == {"王建国"}
    assert names(search_people(persona("cunshuji"))) == {"祝心灵", "马兰花"}
    assert names(search_people(persona("outsider"))) == set()
    # Asking for the other township by filter answers 404 (as a foreign id), by search finds nothing.
    assert client_for("huamachi").get("/people/?township=640323101").status_code == 404
    assert listed(client_for("huamachi"), "q=大水坑") == set()
    assert listed(client_for("huamachi"), f"q={NUMBERS['王建国'][-4:]}") == set()
    assert listed(client_for("auditor")) == {"祝心灵", "张晓丽", "王建国", "马兰花"}


def test_list_shows_masked_numbers_and_links_to_the_archive(client_for, people):
    response = client_for("huamachi").get("/people/?q=祝心灵")
    page = response.content.decode()
    person = people["祝心灵"]
    assert person.id_number_masked in page and "138****5678" in page
    assert NUMBERS["祝心灵"] not in page and "13812345678" not in page
    assert f'href="/people/{person.pk}/"' in page
    for header in ("姓名", "性别", "年龄", "民族", "政治面貌", "最高学历", "来源", "居住村"):
        assert f'>{header}<span class="sort-arrow"' in page  # a sortable column header
    assert "中共党员" in page and "大学专科毕业" in page and "致富带头人" in page and "长城村委会" in page


def test_navigation_links_the_list(client_for):
    page = client_for("huamachi").get("/").content.decode()
    assert 'href="/people/"' in page


def crowd(count: int) -> None:
    skills = list(Skill.objects.all()[:3])
    source = Source.objects.first()
    actor = User.objects.get(username="county")
    village = Division.objects.get(code=CROWD_VILLAGE)
    for sequence in range(count):
        create_person(
            actor=actor,
            data=PersonInput(
                name=f"群众{sequence:03d}",
                id_number=make_id_number(
                    "640323", date(1985, 1, 1) + timedelta(days=sequence), 100 + sequence
                ),
                village=village,
                political_status="13",
                phone=f"139{sequence:08d}",
                source=source,
                skills=skills,
                educations=[EducationInput(kind="full_time", education="31")],
            ),
        )


def queries_for(client, path: str, page_size: int) -> int:
    with override_settings(PAGE_SIZE=page_size), CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_the_page(client_for):
    crowd(60)
    client = client_for("county")
    client.get("/people/")  # first request warms the session and the caches
    for path in ("/people/", "/people/?q=qun&education_band=college_or_above&age_band=35_to_50"):
        small, large = queries_for(client, path, 10), queries_for(client, path, 50)
        assert small == large, path
        assert large <= 15, path
    assert len(client.get("/people/").context["page"]) == 50


# --- the export -------------------------------------------------------------------------------------------


def export(client, query=""):
    response = client.get(f"/people/export.xlsx?{query}")
    assert response.status_code == 200, response.content[:200]
    return response


def rows_of(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_export_content_header_and_masked_row(client_for, people):
    response = export(client_for("huamachi"), "gender=1")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    today = timezone.localdate()
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="people_{today:%Y-%m-%d}.xlsx"' in disposition
    assert f"filename*=UTF-8''{quote(f'人员名单_{today:%Y-%m-%d}.xlsx')}" in disposition
    rows = rows_of(response)
    assert (
        rows[0]
        == EXPORT_HEADER
        == [
            "姓名",
            "性别",
            "年龄",
            "民族",
            "政治面貌",
            "最高学历",
            "来源",
            "乡镇（街道）",
            "居住村",
            "身份证号（脱敏）",
            "手机号码（脱敏）",
            "特长",
        ]
    )
    number = NUMBERS["祝心灵"]
    assert rows[1:] == [
        [
            "祝心灵",
            "男",
            age_on(date(1990, 5, 12), today),
            "汉族",
            "中共党员",
            "大学专科毕业",
            "致富带头人",
            "花马池镇",
            "长城村委会",
            number[:6] + "********" + number[-4:],
            "138****5678",
            "种植、电商",
        ]
    ]


def test_export_never_holds_a_full_number(client_for, people):
    response = export(client_for("county"))
    assert len(rows_of(response)) == 1 + 4
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        content = b"".join(archive.read(name) for name in archive.namelist())
    for number in NUMBERS.values():
        assert number.encode() not in content and number.encode() not in response.content
    assert b"13812345678" not in content


def test_export_is_audited_with_rows_and_filters(client_for, persona, people):
    export(client_for("huamachi"), "gender=2&q=")
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.user == persona("huamachi")
    assert event.detail == {"rows": 2, "filters": {"gender": "2"}}
    skill = Skill.objects.get(name="种植").pk
    export(client_for("county"), f"skills={skill}")
    latest = AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("-pk").first()
    assert latest.detail == {"rows": 2, "filters": {"skills": ["种植"]}}


def test_export_is_scoped(client_for, people):
    assert sorted(row[0] for row in rows_of(export(client_for("huamachi")))[1:]) == sorted(
        ["祝心灵", "马兰花", "张晓丽"]
    )
    assert [row[0] for row in rows_of(export(client_for("dashuikeng")))[1:]] == ["王建国"]
    # A foreign township answers 404 and audits no export (issue 14).
    before = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()
    assert client_for("huamachi").get("/people/export.xlsx?township=640323101").status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == before


@pytest.mark.parametrize("username", ["auditor", "cunshuji"])
def test_export_refused_to_roles_that_only_look(client_for, people, username):
    assert client_for(username).get("/people/export.xlsx").status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
    assert "export.xlsx" not in client_for(username).get("/people/").content.decode()


def test_export_with_a_wrong_filter_is_refused(client_for, people):
    assert client_for("county").get("/people/export.xlsx?age_band=young").status_code == 400
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
