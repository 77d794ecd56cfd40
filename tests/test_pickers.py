"""Type-ahead pickers: the scoped endpoints (who sees whom, what a search finds, the cut at 20), the widgets
(only the chosen options rendered, kept after an error), and enrolling a whole village or township."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client

from yanzhen.accounts.roles import Role
from yanzhen.accounts.services import create_or_update_user
from yanzhen.cultivation import services
from yanzhen.cultivation.models import Enrolment, Mentor
from yanzhen.cultivation.services import SecondmentInput
from yanzhen.divisions.models import Division
from yanzhen.pickers import selectors

from .conftest import DASHUIKENG, PASSWORD, shared_fixture
from .cultivation_support import (
    DASHUIKENG_VILLAGE,
    HUAMACHI,
    HUAMACHI_OTHER_VILLAGE,
    HUAMACHI_VILLAGE,
    actor,
    put_in_pool,
    training_input,
)
from .factories import make_person

pytestmark = pytest.mark.django_db


def offered(client: Client, path: str = "/pick/people/", **params) -> list:
    response = client.get(path, params)
    assert response.status_code == 200
    return [row["id"] for row in response.json()["results"]]


def make_people() -> dict:
    """Three people of 花马池镇 (two villages) and one of 大水坑镇, with names sharing initials."""
    return {
        "zxl": make_person("祝心灵", HUAMACHI_VILLAGE),
        "zxl2": make_person("张小丽", HUAMACHI_OTHER_VILLAGE),
        "pyg": make_person("彭友国", HUAMACHI_VILLAGE),
        "far": make_person("祝晓龙", DASHUIKENG_VILLAGE),
    }


people = shared_fixture("people", make_people)  # built once for the tests that ask for it


# -- the people endpoint -----------------------------------------------------------------------------------


def test_a_township_clerk_never_gets_another_townships_people(client_for, people):
    huamachi = client_for("huamachi")
    assert offered(huamachi, q="zxl") == [people["zxl"].pk, people["zxl2"].pk]
    # Even typed exactly, the name of someone of 大水坑镇 finds nobody for the clerk of 花马池镇.
    assert offered(huamachi, q="祝晓龙") == []
    assert offered(huamachi, q=people["far"].id_number_masked[-4:]) == []
    assert offered(client_for("dashuikeng"), q="zxl") == [people["far"].pk]
    assert offered(client_for("outsider"), q="zxl") == []


def test_readers_get_their_jurisdiction(client_for, people):
    # The auditor reads the whole county; the village secretary only his village.
    assert offered(client_for("auditor"), q="zxl") == [people["zxl"].pk, people["zxl2"].pk, people["far"].pk]
    assert offered(client_for("cunshuji"), q="zxl") == [people["zxl"].pk]


def test_a_reserves_own_login_is_refused(client, people):
    user, _ = create_or_update_user(
        username="reserve-picker",
        password=PASSWORD,
        division=Division.objects.get(code=HUAMACHI_VILLAGE),
        roles=[Role.RESERVE],
    )
    client.force_login(user)
    for path in ("/pick/people/?q=zxl", "/pick/divisions/?q=村", "/pick/mentors/?q=a"):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, "/assessment/me/"), path


def test_anonymous_is_sent_to_the_login(client):
    response = client.get("/pick/people/?q=zxl")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_search_by_name_pinyin_initials_full_pinyin_and_id_tail(client_for, people):
    county = client_for("county")
    assert offered(county, q="心灵") == [people["zxl"].pk]
    assert offered(county, q="pyg") == [people["pyg"].pk]
    assert offered(county, q="pengyou") == [people["pyg"].pk]
    tail = people["zxl2"].id_number_masked[-4:]
    assert offered(county, q=tail) == [
        someone.pk for someone in people.values() if someone.id_number_masked.endswith(tail)
    ]
    assert offered(county, q="没有这个人") == []


def test_a_result_names_the_village_and_the_masked_id_tail(client_for, people):
    row = client_for("county").get("/pick/people/", {"q": "彭友国"}).json()["results"][0]
    tail = people["pyg"].id_number_masked[-4:]
    assert row["text"] == f"彭友国（花马池镇 长城村委会 · 身份证尾号 {tail}）"
    assert (row["name"], row["tail"], row["initials"]) == ("彭友国", tail, "pyg")


def test_results_are_cut_and_the_cut_is_said(persona, people):
    county = persona("county")
    cut = selectors.people(county, "z", limit=2)
    assert ([row["id"] for row in cut.results], cut.more) == ([people["zxl"].pk, people["zxl2"].pk], True)
    whole = selectors.people(county, "z", limit=3)
    assert (len(whole.results), whole.more) == (3, False)
    assert selectors.LIMIT == 20


def test_kind_pool_offers_only_reserves_in_the_pool(client_for, people):
    put_in_pool(people["zxl"])
    assert offered(client_for("huamachi"), q="zxl", kind="pool") == [people["zxl"].pk]
    assert offered(client_for("huamachi"), q="zxl", kind="nonsense") == [people["zxl"].pk, people["zxl2"].pk]


def test_within_narrows_to_a_division(client_for, people):
    assert offered(client_for("county"), q="zxl", within=HUAMACHI_OTHER_VILLAGE) == [people["zxl2"].pk]


# -- divisions and mentors ---------------------------------------------------------------------------------


def test_divisions_are_scoped_and_host_divisions_are_the_county(client_for):
    huamachi = client_for("huamachi")
    codes = offered(huamachi, "/pick/divisions/", q="村委会")
    assert codes and all(code.startswith(HUAMACHI) for code in codes)
    assert offered(huamachi, "/pick/divisions/", q="大水坑") == []
    # Hosts of a secondment: any township or village of the county (village names are not personal data).
    hosts = offered(huamachi, "/pick/divisions/", q="大水坑", kind="host")
    assert DASHUIKENG in hosts and all(code.startswith(DASHUIKENG) for code in hosts)
    assert offered(client_for("outsider"), "/pick/divisions/", q="大水坑", kind="host") == []


def test_mentors_are_scoped(client_for, people):
    services.create_mentor(actor=actor("county"), kind="village_cadre", person=people["pyg"])
    services.create_mentor(actor=actor("county"), kind="village_cadre", person=people["far"])
    mine = Mentor.objects.get(person=people["pyg"])
    assert offered(client_for("huamachi"), "/pick/mentors/", q="pyg") == [mine.pk]
    assert offered(client_for("huamachi"), "/pick/mentors/", q="祝晓龙") == []


# -- the widgets on the forms ------------------------------------------------------------------------------


def selected(page: str) -> list[str]:
    return re.findall(r'<option value="(\d+)"[^>]*selected>', page)


def test_the_nomination_form_renders_only_the_preselected_nominee(client_for, people):
    page = client_for("county").get(f"/reserves/nominate/?person={people['pyg'].pk}").content.decode()
    assert 'data-picker="/pick/people/"' in page
    assert selected(page) == [str(people["pyg"].pk)]
    assert "祝心灵" not in page  # the other people are not rendered: they are searched for


def test_a_person_outside_the_jurisdiction_is_not_preselected(client_for, people):
    page = client_for("huamachi").get(f"/reserves/nominate/?person={people['far'].pk}").content.decode()
    assert selected(page) == [] and "祝晓龙" not in page


# -- enrolment ---------------------------------------------------------------------------------------------


@pytest.fixture
def training():
    return services.create_training(actor=actor("huamachi"), data=training_input())


def enrolled(training) -> set[int]:
    return set(Enrolment.objects.filter(training=training).values_list("person_id", flat=True))


def test_the_enrolment_form_keeps_the_chosen_people_after_an_error(client_for, people, training):
    # 彭友国 is on a full-time secondment during the training: the service refuses, nothing is written.
    services.create_secondment(
        actor=actor("huamachi"),
        data=SecondmentInput(
            person=people["pyg"],
            kind="secondment",
            mode="full_time",
            host=Division.objects.get(code="640323100203"),
            start=date(2024, 3, 1),
            planned_end=date(2024, 8, 31),
            goals="学习合作社经营",
        ),
    )
    response = client_for("huamachi").post(
        f"/cultivation/trainings/{training.pk}/enrol/", {"people": [people["zxl"].pk, people["pyg"].pk]}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "彭友国在 2024-03-01 至 2024-08-31 全脱产挂职" in page
    assert selected(page) == [str(people["zxl"].pk), str(people["pyg"].pk)]
    assert enrolled(training) == set()


def test_people_handed_over_in_the_query_are_preselected(client_for, people, training):
    services.enrol(actor=actor("huamachi"), training=training, people=[people["zxl2"]])
    ids = [people["zxl"].pk, people["zxl2"].pk, people["far"].pk, people["pyg"].pk, 999999]
    query = "&".join(f"person={pk}" for pk in ids)
    page = client_for("huamachi").get(f"/cultivation/trainings/{training.pk}/enrol/?{query}").content.decode()
    assert selected(page) == [str(people["zxl"].pk), str(people["pyg"].pk)]
    assert "以下人员已报名，已略去：张小丽。" in page
    assert "祝晓龙" not in page  # outside 花马池镇: dropped without a word


def test_enrolling_several_is_one_call_with_history(client_for, people, training):
    response = client_for("huamachi").post(
        f"/cultivation/trainings/{training.pk}/enrol/", {"people": [people["zxl"].pk, people["pyg"].pk]}
    )
    assert response.status_code == 302
    assert enrolled(training) == {people["zxl"].pk, people["pyg"].pk}
    assert Enrolment.history.filter(history_type="+", history_user=actor("huamachi")).count() == 2


@pytest.fixture
def village_reserves(people):
    """In the pool: 祝心灵 and 彭友国 (长城村委会), 张小丽 (沟沿村委会), 祝晓龙 (大水坑镇). 赵某 of 长城村委会 has an
    archive but is not a reserve, 钱某 left the pool."""
    for key in ("zxl", "pyg", "zxl2", "far"):
        put_in_pool(people[key])
    left = put_in_pool(make_person("钱某", HUAMACHI_VILLAGE))
    left.removed_on = date(2024, 2, 1)
    left.save()
    make_person("赵某", HUAMACHI_VILLAGE)
    return people


def test_enrolling_a_whole_village_enrols_its_reserves_and_skips_the_enrolled(
    client_for, village_reserves, training
):
    people = village_reserves
    services.enrol(actor=actor("huamachi"), training=training, people=[people["pyg"]])
    clerk = client_for("huamachi")
    preview = clerk.get(
        f"/cultivation/trainings/{training.pk}/enrol/?unit={HUAMACHI_VILLAGE}"
    ).content.decode()
    assert "长城村委会：在库后备力量 2 人，将报名 1 人。" in preview
    assert "确认报名 1 人" in preview
    assert enrolled(training) == {people["pyg"].pk}  # the preview writes nothing
    response = clerk.post(
        f"/cultivation/trainings/{training.pk}/enrol/",
        {"action": "unit", "unit": HUAMACHI_VILLAGE},
        follow=True,
    )
    assert enrolled(training) == {people["pyg"].pk, people["zxl"].pk}
    assert "长城村委会：已报名 1 人。 已报名，跳过：彭友国。" in response.content.decode()
    assert Enrolment.history.filter(person=people["zxl"], history_user=actor("huamachi")).count() == 1


def test_enrolling_a_township_enrols_the_reserves_of_all_its_villages(persona, village_reserves, training):
    people = village_reserves
    result = services.enrol_unit(
        actor=persona("huamachi"), training=training, unit=Division.objects.get(code=HUAMACHI)
    )
    assert enrolled(training) == {people["zxl"].pk, people["zxl2"].pk, people["pyg"].pk}
    assert (len(result.to_enrol), result.already, result.seconded) == (3, [], [])


def test_a_village_outside_the_jurisdiction_answers_404_and_changes_nothing(
    client_for, village_reserves, training
):
    clerk = client_for("huamachi")
    url = f"/cultivation/trainings/{training.pk}/enrol/"
    assert clerk.post(url, {"action": "unit", "unit": DASHUIKENG_VILLAGE}).status_code == 404
    assert clerk.get(url, {"unit": DASHUIKENG_VILLAGE}).status_code == 404
    assert clerk.post(url, {"action": "unit", "unit": "640323999999"}).status_code == 404
    assert enrolled(training) == set()
    assert Enrolment.history.count() == 0


def test_a_reader_or_another_township_cannot_enrol_a_village(client_for, village_reserves, training):
    url = f"/cultivation/trainings/{training.pk}/enrol/"
    assert client_for("auditor").post(url, {"action": "unit", "unit": HUAMACHI_VILLAGE}).status_code == 403
    assert client_for("dashuikeng").post(url, {"action": "unit", "unit": HUAMACHI_VILLAGE}).status_code == 404
    assert client_for("cunshuji").post(url, {"action": "unit", "unit": HUAMACHI_VILLAGE}).status_code == 404
    assert enrolled(training) == set()
    assert Enrolment.history.count() == 0


def test_a_village_without_reserves_says_so_and_writes_nothing(client_for, people, training):
    response = client_for("huamachi").post(
        f"/cultivation/trainings/{training.pk}/enrol/",
        {"action": "unit", "unit": HUAMACHI_VILLAGE},
        follow=True,
    )
    assert "长城村委会目前没有在库的后备力量" in response.content.decode()
    assert enrolled(training) == set()


def test_the_people_endpoint_reads_people_in_one_query(client_for, people):
    """Village and township come in the same query: no query per result."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clerk = client_for("county")
    for number in range(5):
        make_person(f"祝{number}号")
    with CaptureQueriesContext(connection) as queries:
        assert len(offered(clerk, q="z")) == 8
    reads = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("SELECT")]
    assert sum("people_person" in sql for sql in reads) == 1
    assert len(reads) == 4  # the session, the user, his roles, the people


def test_odd_input_answers_an_empty_or_plain_list(client_for, people):
    county = client_for("county")
    assert offered(county, q="z" * 500) == []
    assert offered(county, q="zxl", within="not-a-code") == [
        people["zxl"].pk,
        people["zxl2"].pk,
        people["far"].pk,
    ]
    assert offered(county, "/pick/divisions/", q="<script>") == []
    assert client_for("county").post("/pick/people/", {"q": "zxl"}).status_code == 405


def test_the_appointment_form_searches_the_seats_township(client_for, people):
    from yanzhen.posts.models import PostType
    from yanzhen.posts.services import ensure_seats

    [seat] = ensure_seats(
        actor=actor("county"),
        village=Division.objects.get(code=HUAMACHI_VILLAGE),
        post_type=PostType.objects.get(code="secretary"),
        count=1,
    )
    page = client_for("huamachi").get(f"/posts/seats/{seat.pk}/appoint/").content.decode()
    assert f'data-picker="/pick/people/?within={HUAMACHI}"' in page
    assert selected(page) == [] and "祝心灵" not in page
