"""The one list component (issue 13 §2) and every list on it: sortable headers (asc/desc, exact order, a stable
tiebreak), page sizes 20/50/100, jump to page, 共 N 条, the querystring kept in every link, bad values falling
back without a 500; the 乡镇 → 村 cascade endpoint (scoped); 导出所选 (exactly the ticked rows, never one
outside the jurisdiction) and 加入培训… (the URL contract of the enrolment page)."""

from __future__ import annotations

import dataclasses
import html
import itertools
import re
from datetime import date, timedelta
from io import BytesIO
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import RequestFactory
from openpyxl import load_workbook

from tests.assessment_helpers import assess, make_reserve
from tests.conftest import DASHUIKENG_VILLAGE, HUAMACHI, HUAMACHI_VILLAGE, shared_fixture
from tests.factories import make_person
from tests.matching_support import put_in_pool
from tests.test_incumbents_pages import analysed, clerk, county, items, reviews, term  # noqa: F401
from yanzhen.accounts.models import User
from yanzhen.assessments import lists as assessment_lists
from yanzhen.core import audit
from yanzhen.core.listing import ListSpec, selected_ids
from yanzhen.core.models import AuditAction, AuditEvent
from yanzhen.cultivation.models import Training
from yanzhen.divisions.models import Division
from yanzhen.people.idcard import make_id_number
from yanzhen.people.models import Person
from yanzhen.people.services import PersonInput, create_person

pytestmark = pytest.mark.django_db

GOUYAN = "640323100201"  # a second village of 花马池镇


def get(params: str = ""):
    request = RequestFactory().get(f"/x/?{params}")
    return request


# -- the component ------------------------------------------------------------------------------------------

VILLAGES = ListSpec(sorts={"code": ("code",), "name": ("name",)}, default_sort="code")


def villages():
    return Division.objects.filter(code__startswith="640323", level=5)


def test_queryset_sorts_ascending_then_descending_with_the_whitelist():
    codes = sorted(villages().values_list("code", flat=True))
    listing = VILLAGES.page(get("sort=code&page_size=20"), villages())
    assert [d.code for d in listing.rows] == codes[:20]
    assert listing.sort == "code" and not listing.descending
    listing = VILLAGES.page(get("sort=-code&page_size=20"), villages())
    assert [d.code for d in listing.rows] == sorted(codes, reverse=True)[:20]
    # The link of the current column turns it the other way and goes back to page 1; others start ascending.
    listing = VILLAGES.page(get("sort=code&page=3&page_size=50"), villages())
    assert parse_qs(listing.sort_url("code")[1:]) == {"sort": ["-code"], "page_size": ["50"]}
    assert parse_qs(listing.sort_url("name")[1:]) == {"sort": ["name"], "page_size": ["50"]}


def test_equal_values_keep_one_stable_order_across_pages():
    """Sorting by a column with ties (the level, the same for all) falls back to the primary key."""
    spec = ListSpec(sorts={"level": ("level",)}, default_sort="level")
    pks = list(villages().order_by("pk").values_list("pk", flat=True))
    first = spec.page(get("page_size=20"), villages())
    second = spec.page(get("page_size=20&page=2"), villages())
    assert [d.pk for d in first.rows] + [d.pk for d in second.rows] == pks[:40]


@pytest.mark.parametrize(
    "params, sort, descending, size, number",
    [
        ("sort=drop_table&page_size=7&page=abc", "code", False, 50, 1),  # not whitelisted, not allowed
        ("sort=--name&page_size=-20&page=-3", "code", False, 50, 1),
        ("sort=-name&page_size=100&page=99999", "name", True, 100, 2),  # past the end: the last page
        ("sort=name&page_size=20&page=0", "name", False, 20, 1),
        ("sort=&page_size=&page=", "code", False, 50, 1),
    ],
)
def test_bad_values_fall_back_safely(params, sort, descending, size, number):
    total = villages().count()
    assert 100 < total <= 200
    listing = VILLAGES.page(get(params), villages())
    assert (listing.sort, listing.descending, listing.page_size, listing.page.number) == (
        sort,
        descending,
        size,
        number,
    )


def test_python_rows_sort_with_empty_values_last_both_ways():
    rows = [SimpleNamespace(pk=pk, score=score) for pk, score in [(1, 3), (2, None), (3, 1), (4, 3), (5, "")]]
    spec = ListSpec(sorts={"score": lambda row: row.score}, default_page_size=20)
    assert [r.pk for r in spec.page(get("sort=score"), rows).rows] == [3, 1, 4, 2, 5]
    assert [r.pk for r in spec.page(get("sort=-score"), rows).rows] == [1, 4, 3, 2, 5]
    assert [r.pk for r in spec.page(get(""), rows).rows] == [1, 2, 3, 4, 5]  # no default: the data's order


def test_querystring_is_kept_in_page_links_and_hidden_fields():
    listing = VILLAGES.page(
        get("q=沟&skills=1&skills=2&sort=-name&page_size=20&page=2&selected=9"), villages()
    )
    assert parse_qs(listing.page_url(3)[1:]) == {
        "q": ["沟"],
        "skills": ["1", "2"],
        "sort": ["-name"],
        "page_size": ["20"],
        "page": ["3"],
    }
    assert listing.hidden_fields("page") == [
        ("q", "沟"),
        ("skills", "1"),
        ("skills", "2"),
        ("sort", "-name"),
        ("page_size", "20"),
    ]
    assert parse_qs(listing.filter_query()) == {"q": ["沟"], "skills": ["1", "2"], "sort": ["-name"]}


def test_page_links_show_the_ends_and_the_neighbours():
    listing = VILLAGES.page(get("page_size=20&page=4"), villages())
    last = listing.num_pages
    assert last >= 6
    assert listing.page_links()[:7] == [1, 2, 3, 4, 5, 6, None][: 7 if last > 7 else last]
    assert listing.page_links()[-1] == last


def test_selected_ids_take_numbers_only():
    assert selected_ids(
        get("selected=3&selected=x&selected=-1&selected=12&selected=99999999999999999999")
    ) == [
        3,
        12,
    ]


def test_a_default_sort_outside_the_whitelist_is_refused():
    with pytest.raises(ValueError):
        ListSpec(sorts={"name": ("name",)}, default_sort="age")


# -- the people list ----------------------------------------------------------------------------------------


def county_user():
    return User.objects.get(username="county")


_numbers = itertools.count(1)


def crowd(count: int = 55, village: str = HUAMACHI_VILLAGE, prefix: str = "人员") -> list[Person]:
    """People born 40 days apart (the first oldest), so that age orders them exactly."""
    people = []
    for index in range(count):
        born = date(1960, 1, 1) + timedelta(days=index * 40)
        people.append(
            create_person(
                actor=county_user(),
                data=PersonInput(
                    name=f"{prefix}{index:02d}",
                    id_number=make_id_number("640323", born, next(_numbers) % 1000),
                    village=Division.objects.get(code=village),
                    political_status="13",
                ),
            )
        )
    return people


def shown(response) -> list[str]:
    return [person.name for person in response.context["page"]]


def links(page: str, css: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(rf'<a class="{css}[^"]*" href="([^"]+)"', page)]


def test_people_list_sorts_by_age_both_ways(client_for):
    people = crowd(5)
    http = client_for("huamachi")
    oldest_first = [p.name for p in people]
    assert shown(http.get("/people/?sort=-age")) == oldest_first
    assert shown(http.get("/people/?sort=age")) == oldest_first[::-1]
    page = http.get("/people/?sort=age").content.decode()
    assert 'aria-sort="ascending"><a class="sort-link active"' in page
    assert "▲" in page


def test_people_list_pages_jump_and_count(client_for):
    people = crowd(55)
    http = client_for("huamachi")
    first = http.get("/people/?sort=-age&page_size=50")
    assert shown(first) == [p.name for p in people[:50]]
    assert "共 55 条" in first.content.decode()
    second = http.get("/people/?sort=-age&page_size=50&page=2")
    assert shown(second) == [p.name for p in people[50:]]
    assert len(shown(http.get("/people/?page_size=20"))) == 20
    assert len(shown(http.get("/people/?page_size=100"))) == 55
    assert len(shown(http.get("/people/?page_size=7"))) == 50  # not offered: the default
    page = second.content.decode()
    # The jump form carries the filters and the sort as hidden fields; the page box is the only input.
    jump = page[page.index('class="d-flex align-items-center gap-1 list-jump-form"') :]
    jump = jump[: jump.index("</form>")]
    assert '<input type="hidden" name="sort" value="-age">' in jump
    assert '<input type="hidden" name="page_size" value="50">' in jump
    assert 'name="page" id="list-jump-page" min="1" max="2" value="2"' in jump


def test_people_list_links_keep_the_filters(client_for):
    crowd(25)
    page = (
        client_for("huamachi")
        .get("/people/?q=人员&political_status=13&page_size=20&sort=name")
        .content.decode()
    )
    for href in links(page, "sort-link") + links(page, "page-link"):
        query = parse_qs(urlsplit(href).query)
        assert (
            query["q"] == ["人员"] and query["political_status"] == ["13"] and query["page_size"] == ["20"]
        ), href
    export = re.search(r'href="(/people/export.xlsx\?[^"]*)"', page).group(1)
    assert parse_qs(urlsplit(html.unescape(export)).query) == {
        "q": ["人员"],
        "political_status": ["13"],
        "sort": ["name"],
    }


def test_people_list_bad_values_answer_200(client_for):
    crowd(3)
    for query in ("sort=<script>", "page_size=0", "page=-1", "page=x&sort=--age", "sort=id_number"):
        response = client_for("county").get(f"/people/?{query}")
        assert response.status_code == 200, query
        assert response.context["listing"].sort == "village"


def sheet(response) -> list[list]:
    return [list(row) for row in load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)]


def test_export_follows_the_list_order(client_for):
    people = crowd(4)
    rows = sheet(client_for("huamachi").get("/people/export.xlsx?sort=age"))
    assert [row[0] for row in rows[1:]] == [p.name for p in people[::-1]]


def test_export_selected_gives_exactly_the_ticked_rows_inside_the_jurisdiction(client_for):
    people = crowd(4)
    outside = crowd(1, DASHUIKENG_VILLAGE, "外人")[0]
    chosen = [people[2], people[0]]
    query = "&".join(f"selected={p.pk}" for p in [*chosen, outside]) + "&sort=-age"
    response = client_for("huamachi").get(f"/people/export.xlsx?{query}")
    assert [row[0] for row in sheet(response)[1:]] == [people[0].name, people[2].name]
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("pk")
    assert event.detail["rows"] == 2 and event.detail["selected"] == 3
    # Only the outsider ticked: nothing of his leaves.
    alone = client_for("huamachi").get(f"/people/export.xlsx?selected={outside.pk}")
    assert sheet(alone)[1:] == []


def test_people_list_bulk_bar_for_the_roles_that_export(client_for):
    crowd(2)
    page = client_for("huamachi").get("/people/").content.decode()
    assert (
        'formaction="/people/export.xlsx"' in page
        and 'formaction="/cultivation/trainings/enrol-selected/"' in page
    )
    assert "已选 0 项" in page and "data-list-select-all" in page
    assert page.count('name="selected"') == 2
    for username in ("auditor", "cunshuji"):
        read_only = client_for(username).get("/people/").content.decode()
        assert "data-list-bulk" not in read_only and 'name="selected"' not in read_only


# -- 加入培训… -------------------------------------------------------------------------------------------------


def training(name: str, division: str, start: date, **extra) -> Training:
    return Training.objects.create(
        name=name,
        organiser="组织部",
        division_id=division,
        kind=extra.pop("kind", "centralised"),
        start=start,
        end=start + timedelta(days=2),
        hours=extra.pop("hours", 16),
        **extra,
    )


def test_enrol_selected_sends_the_people_to_the_enrolment_page(client_for):
    people = crowd(3)
    outside = crowd(1, DASHUIKENG_VILLAGE, "外人")[0]
    this_year = date.today().year
    mine = training("花马池镇培训", HUAMACHI, date(this_year, 3, 1))
    county_run = training("全县培训", "640323", date(this_year, 4, 1))
    http = client_for("huamachi")
    query = f"selected={people[1].pk}&selected={people[0].pk}&selected={outside.pk}"
    page = http.get(f"/cultivation/trainings/enrol-selected/?{query}")
    assert page.status_code == 200
    assert [t.pk for t in page.context["trainings"]] == [mine.pk]  # he runs only his township's
    assert [p.pk for p in page.context["people"]] == sorted([people[0].pk, people[1].pk], key=lambda pk: pk)
    response = http.get(f"/cultivation/trainings/enrol-selected/?{query}&training={mine.pk}")
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.path == f"/cultivation/trainings/{mine.pk}/enrol/"
    assert sorted(parse_qs(target.query)["person"]) == sorted([str(people[0].pk), str(people[1].pk)])
    assert (
        http.get(f"/cultivation/trainings/enrol-selected/?{query}&training={county_run.pk}").status_code
        == 404  # not his: the county's training without his people, like another township's
    )
    other = training("大水坑镇培训", "640323101", date(this_year, 5, 1))
    assert http.get(f"/cultivation/trainings/enrol-selected/?{query}&training={other.pk}").status_code == 404
    assert http.get("/cultivation/trainings/enrol-selected/").status_code == 400
    assert client_for("auditor").get(f"/cultivation/trainings/enrol-selected/?{query}").status_code == 403


# -- 乡镇 → 村 ----------------------------------------------------------------------------------------------------


def options(response) -> list[str]:
    return re.findall(r'<option value="(\d*)"', response.content.decode())


def test_cascade_endpoint_returns_the_villages_of_the_township(client_for):
    expected = list(
        Division.objects.filter(level=5, code__startswith=HUAMACHI)
        .order_by("code")
        .values_list("code", flat=True)
    )
    response = client_for("county").get(f"/divisions/filter/villages/?township={HUAMACHI}")
    assert response.status_code == 200
    assert options(response) == ["", *expected]
    assert options(client_for("huamachi").get(f"/divisions/filter/villages/?township={HUAMACHI}")) == [
        "",
        *expected,
    ]
    every = options(client_for("county").get("/divisions/filter/villages/"))
    assert len(every) - 1 == Division.objects.filter(level=5, code__startswith="640323").count()


@pytest.mark.parametrize(
    "username, township",
    [
        ("huamachi", "640323101"),
        ("outsider", HUAMACHI),
        ("county", "621202001"),
        ("county", "6403231"),
        ("county", HUAMACHI_VILLAGE),
    ],
)
def test_cascade_endpoint_is_scoped(client_for, username, township):
    response = client_for(username).get(f"/divisions/filter/villages/?township={township}")
    assert response.status_code == 404


def test_people_filter_offers_the_villages_of_the_chosen_township(client_for):
    page = client_for("county").get(f"/people/?township={HUAMACHI}").content.decode()
    select = page[page.index('name="village" id="id_village"') :]
    select = select[: select.index("</select>")]
    villages_shown = re.findall(r'<option value="(\d+)"', select)
    assert villages_shown and all(code.startswith(HUAMACHI) for code in villages_shown)
    assert 'hx-get="/divisions/filter/villages/"' in page and 'hx-target="#id_village"' in page


# -- trainings, audit log -------------------------------------------------------------------------------------


def test_training_list_sorts_pages_and_counts(client_for):
    year = date.today().year
    made = [
        training(f"培训{index:02d}", HUAMACHI, date(year, 1, 1) + timedelta(days=index), hours=index + 1)
        for index in range(55)
    ]
    http = client_for("huamachi")

    def names(response):
        return [t.name for t in response.context["trainings"]]

    assert names(http.get(f"/cultivation/trainings/?year={year}&sort=hours&page_size=20")) == [
        t.name for t in made[:20]
    ]
    assert names(http.get(f"/cultivation/trainings/?year={year}&sort=-hours&page_size=20")) == [
        t.name for t in made[::-1][:20]
    ]
    default = http.get(f"/cultivation/trainings/?year={year}")
    assert names(default) == [t.name for t in made[::-1][:50]]  # the latest first, 50 a page
    assert "共 55 条" in default.content.decode()
    assert names(http.get(f"/cultivation/trainings/?year={year}&page=2")) == [t.name for t in made[::-1][50:]]
    page = default.content.decode()
    assert all(f"year={year}" in href for href in links(page, "sort-link") + links(page, "page-link"))
    assert http.get(f"/cultivation/trainings/?year={year}&sort=nonsense&page=zz").status_code == 200


def test_audit_log_sorts_pages_and_counts(client_for, persona):
    auditor = persona("auditor")
    before = AuditEvent.objects.count()
    for index in range(55):
        audit.record(action=AuditAction.EXPORT, user=auditor, object_repr=f"对象{index:02d}")
    http = client_for("county")
    response = http.get("/audit/?action=export&sort=object&page_size=20")
    assert [e.object_repr for e in response.context["listing"].rows] == [f"对象{i:02d}" for i in range(20)]
    response = http.get("/audit/?action=export&sort=-object&page_size=20&page=3")
    assert [e.object_repr for e in response.context["listing"].rows] == [
        f"对象{i:02d}" for i in range(14, -1, -1)
    ]
    page = response.content.decode()
    assert f"共 {55} 条" in page and before >= 0
    assert all("action=export" in href for href in links(page, "sort-link") + links(page, "page-link"))
    assert http.get("/audit/?sort=detail&page_size=1000").status_code == 200


# -- assessments, reports, overdue --------------------------------------------------------------------------


def make_graded() -> dict:
    """Three reserves of the first village of 花马池镇: 甲 competent and 乙 excellent in 2024H1, 丙 not assessed."""
    actor = User.objects.get(username="huamachi")
    rows = {}
    for name, grade in [("甲", "competent"), ("乙", "excellent"), ("丙", None)]:
        person, _candidacy = make_reserve(actor, f"考核{name}", HUAMACHI_VILLAGE, entered=date(2022, 1, 10))
        if grade:
            assess(actor, person, 2024, 1, grade)
        rows[name] = person
    return rows


graded = shared_fixture("graded", make_graded)  # built once for the tests that ask for it


def names_of(listing) -> list[str]:
    return [row.person.name for row in listing.rows]


def test_assessment_list_sorts_by_grade_both_ways_not_assessed_last(client_for, graded):
    http = client_for("huamachi")
    base = f"/assessment/assessments/?division={HUAMACHI}&period=2024H1"
    assert names_of(http.get(f"{base}&sort=grade").context["listing"]) == ["考核乙", "考核甲", "考核丙"]
    assert names_of(http.get(f"{base}&sort=-grade").context["listing"]) == ["考核甲", "考核乙", "考核丙"]
    page = http.get(f"{base}&sort=grade&page_size=20").content.decode()
    assert "共 3 条" in page
    assert all("period=2024H1" in href for href in links(page, "sort-link"))


def test_assessment_list_pages_with_the_page_size(client_for, graded, monkeypatch):
    """The view honours the page size and the page: with sizes of 2 the three rows take two pages."""
    monkeypatch.setattr(
        assessment_lists, "ASSESSMENTS", dataclasses.replace(assessment_lists.ASSESSMENTS, page_sizes=(2, 50))
    )
    http = client_for("huamachi")
    base = f"/assessment/assessments/?division={HUAMACHI}&period=2024H1&sort=grade&page_size=2"
    assert names_of(http.get(base).context["listing"]) == ["考核乙", "考核甲"]
    assert names_of(http.get(f"{base}&page=2").context["listing"]) == ["考核丙"]
    assert len(http.get(f"{base.replace('page_size=2', 'page_size=50')}").context["listing"].rows) == 3


def test_assessment_export_selected_and_in_order(client_for, graded):
    http = client_for("huamachi")
    base = f"/assessment/assessments/export.xlsx?division={HUAMACHI}&period=2024H1"
    assert [row[2] for row in sheet(http.get(f"{base}&sort=-grade"))[1:]] == ["考核甲", "考核乙", "考核丙"]
    outsider, _ = make_reserve(User.objects.get(username="county"), "外人", DASHUIKENG_VILLAGE)
    chosen = f"&selected={graded['丙'].pk}&selected={graded['乙'].pk}&selected={outsider.pk}"
    assert [row[2] for row in sheet(http.get(f"{base}&sort=name{chosen}"))[1:]] == ["考核丙", "考核乙"]


def test_the_township_and_village_filters_narrow_the_assessment_list(client_for, graded, persona):
    make_reserve(persona("huamachi"), "别村", GOUYAN)
    http = client_for("huamachi")
    everyone = http.get("/assessment/assessments/?period=2024H1").context["listing"]
    assert sorted(names_of(everyone)) == sorted(["考核甲", "考核乙", "考核丙", "别村"])
    one_village = http.get(f"/assessment/assessments/?period=2024H1&township={HUAMACHI}&village={GOUYAN}")
    assert names_of(one_village.context["listing"]) == ["别村"]
    assert http.get("/assessment/assessments/?period=2024H1&township=640323101").status_code == 404


def test_overdue_reports_sort_and_export_selected(client_for, graded):
    http = client_for("huamachi")
    base = f"/assessment/reports/overdue/?division={HUAMACHI}&period=2024H1"
    ascending = names_of(http.get(f"{base}&sort=name").context["listing"])
    assert ascending == sorted(ascending, key=lambda n: graded[n[-1]].name_pinyin) and len(ascending) == 3
    assert names_of(http.get(f"{base}&sort=-name").context["listing"]) == ascending[::-1]
    chosen = graded["甲"].pk
    rows = sheet(
        http.get(
            f"/assessment/reports/overdue/export.xlsx?division={HUAMACHI}&period=2024H1&selected={chosen}"
        )
    )
    assert [row[2] for row in rows[1:]] == ["考核甲"]


def test_report_list_sorts_and_counts(client_for, graded, persona):
    from yanzhen.assessments import services

    actor = persona("huamachi")
    for key in ("丙", "甲"):
        services.submit_report(
            actor=actor, person=graded[key], year=2024, half=1, text="汇报", attachment=None
        )
    http = client_for("huamachi")
    base = f"/assessment/reports/?division={HUAMACHI}&period=2024H1"
    by_name = [r.person.name for r in http.get(f"{base}&sort=name").context["listing"].rows]
    assert by_name == sorted(["考核丙", "考核甲"], key=lambda n: graded[n[-1]].name_pinyin)
    assert [r.person.name for r in http.get(f"{base}&sort=-name").context["listing"].rows] == by_name[::-1]
    assert "共 2 条" in http.get(base).content.decode()


# -- incumbents: annual reviews and the half-year analysis ----------------------------------------------------


def test_annual_reviews_sort_by_satisfaction_and_export_selected(client_for, reviews):  # noqa: F811
    http = client_for("huamachi")

    def order(response):
        return [r.term.person.name + str(r.year) for r in response.context["reviews"]]

    assert order(http.get("/assessment/incumbents/reviews/?sort=satisfaction")) == [
        "王秀英2023",
        "杨建国2022",
        "杨建国2023",
    ]
    assert order(http.get("/assessment/incumbents/reviews/?sort=-satisfaction")) == [
        "杨建国2023",
        "杨建国2022",
        "王秀英2023",
    ]
    chosen = f"selected={reviews['member_2023'].pk}&selected={reviews['outside_2023'].pk}"
    rows = sheet(http.get(f"/assessment/incumbents/reviews/export.xlsx?{chosen}"))
    assert [row[2] for row in rows[1:]] == ["王秀英"]


def test_analysis_sorts_by_average_both_ways(client_for, analysed):  # noqa: F811
    http = client_for("huamachi")
    base = "/assessment/incumbents/analysis/?division=640323100&period=2024H1"

    def order(response):
        return [row.term.person.name for row in response.context["rows"]]

    assert order(http.get(f"{base}&sort=average")) == ["杨建国", "王秀英", "张主任"]
    assert order(http.get(f"{base}&sort=-average")) == [
        "王秀英",
        "杨建国",
        "张主任",
    ]  # no score: last both ways
    assert order(http.get(f"{base}&sort=bogus")) == ["杨建国", "王秀英", "张主任"]  # worst first by default
    member = analysed["member"].pk
    rows = sheet(
        http.get(
            f"/assessment/incumbents/analysis/export.xlsx?division=640323100&period=2024H1&selected={member}"
        )
    )
    assert [row[2] for row in rows[1:]] == ["王秀英"]


# -- matching supply -----------------------------------------------------------------------------------------


def test_supply_list_sorts_by_age_filters_by_village_and_exports_selected(client_for):
    old = make_person("老人", HUAMACHI_VILLAGE, born=date(1970, 1, 1))
    young = make_person("少年", GOUYAN, born=date(1999, 1, 1))
    middle = make_person("中年", HUAMACHI_VILLAGE, born=date(1985, 1, 1))
    outside = make_person("外人", DASHUIKENG_VILLAGE, born=date(1980, 1, 1))
    for person in (old, young, middle, outside):
        put_in_pool(person)
    http = client_for("huamachi")

    def order(response):
        return [row.reserve.name for row in response.context["listing"].rows]

    assert order(http.get("/matching/supply/?sort=age")) == ["少年", "中年", "老人"]
    assert order(http.get("/matching/supply/?sort=-age")) == ["老人", "中年", "少年"]
    assert order(http.get(f"/matching/supply/?sort=age&township={HUAMACHI}&village={GOUYAN}")) == ["少年"]
    page = http.get("/matching/supply/?sort=age&page_size=20").content.decode()
    assert "共 3 条" in page
    rows = sheet(
        http.get(
            f"/matching/supply.xlsx?sort=-age&selected={young.pk}&selected={old.pk}&selected={outside.pk}"
        )
    )
    assert [row[0] for row in rows[1:]] == ["老人", "少年"]
    assert http.get("/matching/supply/?village=12").status_code == 200  # a wrong code: its error, no 500


def test_removal_proposals_sort_by_name_both_ways(client_for, persona):
    actor = persona("huamachi")
    made = []
    for name in ("甲乙", "丙丁"):
        person, _candidacy = make_reserve(actor, name, HUAMACHI_VILLAGE)
        assess(actor, person, 2022, 1, "incompetent")
        assess(actor, person, 2022, 2, "incompetent")
        made.append(person)
    by_pinyin = [p.name for p in sorted(made, key=lambda p: p.name_pinyin)]
    http = client_for("huamachi")

    def order(query):
        return [p.person.name for p in http.get(f"/assessment/proposals/?{query}").context["proposals"]]

    assert order("sort=name") == by_pinyin
    assert order("sort=-name") == by_pinyin[::-1]
    page = http.get("/assessment/proposals/?state=all&sort=name").content.decode()
    assert "共 2 条" in page and all("state=all" in href for href in links(page, "sort-link"))
