"""The cultivation pages, the roster export and the API: bad input shows the Chinese message and writes
nothing, readers are refused, other townships get 404, the export is masked and audited."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook

from yanzhen.core.guards import today
from yanzhen.core.models import AuditAction, AuditEvent
from yanzhen.cultivation import services
from yanzhen.cultivation.models import (
    CultivationRules,
    Enrolment,
    GrowthPlanItem,
    Mentorship,
    Secondment,
    Training,
)
from yanzhen.divisions.models import Division

from .cultivation_support import COUNTY, DASHUIKENG_VILLAGE, HUAMACHI, actor, training_input
from .factories import make_person

pytestmark = pytest.mark.django_db


def training_post(**overrides):
    values = {
        "name": "乡镇党校春季班",
        "organiser": "花马池镇党委",
        "division": HUAMACHI,
        "kind": "township_school",
        "place": "花马池镇党校",
        "start": "2024-05-06",
        "end": "2024-05-10",
        "hours": "40",
        "notes": "",
    }
    values.update(overrides)
    return values


def test_create_training_page_and_bad_hours(client_for):
    clerk = client_for("huamachi")
    response = clerk.post("/cultivation/trainings/new/", training_post(hours="121"))
    assert response.status_code == 400
    assert "学时 121 不合理：5 天最多 120 学时（每天不超过 24 学时）" in response.content.decode()
    assert not Training.objects.exists()
    response = clerk.post("/cultivation/trainings/new/", training_post())
    training = Training.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cultivation/trainings/{training.pk}/"
    assert client_for("auditor").post("/cultivation/trainings/new/", training_post()).status_code == 403
    assert Training.objects.count() == 1


def test_roster_attendance_page_all_or_nothing(client_for):
    clerk = actor("huamachi")
    training = services.create_training(actor=clerk, data=training_input())
    first, second = make_person("祝心灵"), make_person("彭友国")
    services.enrol(actor=clerk, training=training, people=[first, second])
    page = client_for("huamachi")
    response = page.post(
        f"/cultivation/trainings/{training.pk}/roster/",
        {f"hours_{first.pk}": "40", f"completed_{first.pk}": "on", f"hours_{second.pk}": "-3"},
    )
    assert response.status_code == 400
    assert "出勤学时不能为负数" in response.content.decode()
    assert not Enrolment.objects.exclude(attended_hours=None).exists()
    response = page.post(
        f"/cultivation/trainings/{training.pk}/roster/",
        {
            f"hours_{first.pk}": "40",
            f"completed_{first.pk}": "on",
            f"score_{first.pk}": "95",
            f"hours_{second.pk}": "36",
        },
    )
    assert response.status_code == 302
    assert (
        Enrolment.objects.get(person=first).completed
        and Enrolment.objects.get(person=second).attended_hours == 36
    )
    assert client_for("auditor").post(f"/cultivation/trainings/{training.pk}/roster/", {}).status_code == 403
    assert (
        client_for("dashuikeng").post(f"/cultivation/trainings/{training.pk}/roster/", {}).status_code == 404
    )


def test_roster_export_is_masked_and_audited(client_for):
    clerk = actor("huamachi")
    training = services.create_training(actor=clerk, data=training_input())
    someone = make_person("祝心灵")
    services.enrol(actor=clerk, training=training, people=[someone])
    services.record_attendance(
        actor=clerk, training=training, rows=[services.AttendanceInput(someone, 40, True, 90)]
    )
    response = client_for("huamachi").get(f"/cultivation/trainings/{training.pk}/roster.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("序号", "姓名", "性别")
    assert rows[2][1] == "祝心灵" and rows[2][5] == someone.id_number_masked and "*" in rows[2][5]
    assert rows[2][7:11] == (40, "是", 90, 40)
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.user == clerk and event.detail == {"training": training.pk, "rows": 1}
    assert client_for("auditor").get(f"/cultivation/trainings/{training.pk}/roster.xlsx").status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 1


def test_hours_page_lists_those_under_the_minimum(client_for):
    from .cultivation_support import put_in_pool

    someone = make_person("祝心灵")
    put_in_pool(someone)
    response = client_for("huamachi").get(f"/cultivation/hours/?year={services.today().year}")
    assert response.status_code == 200
    assert "祝心灵" in response.content.decode()
    assert "祝心灵" not in client_for("dashuikeng").get("/cultivation/hours/").content.decode()


def test_mentorship_page_shows_the_cap_message(client_for):
    clerk = actor("huamachi")
    CultivationRules.objects.create(county_id=COUNTY, mentee_cap=1)
    mentor = services.create_mentor(
        actor=clerk, kind="former_secretary", name="唐老汉", division=Division.objects.get(code=HUAMACHI)
    )
    services.create_mentorship(
        actor=clerk, mentee=make_person("甲"), mentors=[mentor], start=date(2024, 1, 1)
    )
    second = make_person("乙")
    page = client_for("huamachi")
    assert (
        "唐老汉"
        not in page.get(f"/cultivation/mentorships/new/?mentee={second.pk}")
        .content.decode()
        .split('id="mentor-suggestions"')[1]
        .split("</div>")[0]
    )
    response = page.post(
        "/cultivation/mentorships/new/", {"mentee": second.pk, "mentors": [mentor.pk], "start": "2024-02-01"}
    )
    assert response.status_code == 400
    assert (
        "导师唐老汉在该期间已帮带 1 名后备力量，达到每名导师 1 名的上限，不能再结对"
        in response.content.decode()
    )
    assert Mentorship.objects.count() == 1
    other = make_person("丙", village=DASHUIKENG_VILLAGE)
    assert page.get(f"/cultivation/mentorships/new/?mentee={other.pk}").status_code == 404


def test_mentorship_end_page_asks_then_ends_on_the_day_given(client_for):
    clerk = actor("huamachi")
    mentor = services.create_mentor(
        actor=clerk, kind="former_secretary", name="唐老汉", division=Division.objects.get(code=HUAMACHI)
    )
    mentorship = services.create_mentorship(
        actor=clerk, mentee=make_person("甲"), mentors=[mentor], start=date(2024, 1, 1)
    )
    page = client_for("huamachi")
    url = f"/cultivation/mentorships/{mentorship.pk}/end/"
    response = page.get(url)
    assert response.status_code == 200
    assert response.context["form"].initial == {"end": today()}
    assert response.context["confirm"] == "结束甲的结对帮带？此操作不可撤销。"
    response = page.post(url, {"end": "2023-12-31", "note": ""})
    assert response.status_code == 400
    assert "结束日期不能早于开始日期 2024-01-01" in response.content.decode()
    assert Mentorship.objects.get(pk=mentorship.pk).end is None
    response = page.post(url, {"end": "2024-06-30", "note": "外出务工"})
    assert response.status_code == 302
    assert response["Location"] == f"/cultivation/mentorships/{mentorship.pk}/"
    mentorship.refresh_from_db()
    assert (mentorship.end, mentorship.end_note) == (date(2024, 6, 30), "外出务工")


def test_growth_plan_page_and_archive_include(client_for):
    someone = make_person("祝心灵")
    page = client_for("huamachi")
    response = page.post(
        f"/cultivation/people/{someone.pk}/items/",
        {"kind": "other", "title": "列席村民议事会", "planned_start": "2024-03-01", "due": "2024-02-01"},
    )
    assert response.status_code == 400 and "计划完成日期不能早于计划开始日期" in response.content.decode()
    assert not GrowthPlanItem.objects.exists()
    response = page.post(
        f"/cultivation/people/{someone.pk}/items/",
        {"kind": "other", "title": "列席村民议事会", "planned_start": "2024-03-01", "due": "2024-06-30"},
    )
    assert response.status_code == 302
    content = page.get(f"/cultivation/people/{someone.pk}/").content.decode()
    assert "列席村民议事会" in content and 'data-state="overdue"' in content
    archive = page.get(f"/people/{someone.pk}/").content.decode()
    assert 'id="person-growth"' in archive and "列席村民议事会" in archive
    item = GrowthPlanItem.objects.get()
    response = page.post(f"/cultivation/plan-items/{item.pk}/done/", {"done_on": "2024-07-02"})
    assert response.status_code == 302
    assert GrowthPlanItem.objects.get().done_on == date(2024, 7, 2)
    assert client_for("auditor").post(f"/cultivation/people/{someone.pk}/items/", {}).status_code == 403
    assert client_for("dashuikeng").get(f"/cultivation/people/{someone.pk}/").status_code == 404


def test_secondment_page_refuses_an_overlap(client_for):
    clerk = actor("huamachi")
    someone = make_person("祝心灵")
    host = "640323100201"
    values = {
        "person": someone.pk,
        "kind": "secondment",
        "mode": "full_time",
        "host": host,
        "start": "2024-03-01",
        "planned_end": "2024-08-31",
        "goals": "学习合作社",
    }
    page = client_for("huamachi")
    assert page.post("/cultivation/secondments/new/", values).status_code == 302
    response = page.post(
        "/cultivation/secondments/new/", dict(values, start="2024-06-01", planned_end="2024-09-30")
    )
    assert response.status_code == 400
    assert "全脱产挂职不能重叠" in response.content.decode()
    assert Secondment.objects.count() == 1
    overdue = page.get("/cultivation/secondments/?overdue=1").content.decode()
    assert ("祝心灵" in overdue) == (date(2024, 8, 31) < services.today())
    assert clerk.can_edit


# -- the API -----------------------------------------------------------------------------------------------


def test_api_trainings_list_and_create(client_for):
    api = client_for("huamachi")
    payload = dict(training_post(), hours=40)
    response = api.post("/api/v1/trainings", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["participants"] == 0
    response = api.post("/api/v1/trainings", dict(payload, hours=-1), content_type="application/json")
    assert response.status_code == 422 and response.json()["errors"] == {"hours": "学时不能为负数"}
    assert api.get("/api/v1/trainings?year=2024").json()["count"] == 1
    assert client_for("dashuikeng").get("/api/v1/trainings").json()["count"] == 0
    assert (
        client_for("dashuikeng")
        .post("/api/v1/trainings", payload, content_type="application/json")
        .status_code
        == 404
    )
    assert (
        client_for("auditor")
        .post("/api/v1/trainings", dict(payload, division=COUNTY), content_type="application/json")
        .status_code
        == 403
    )
    assert Training.objects.count() == 1


def test_api_mentorships_cap_and_jurisdiction(client_for):
    clerk = actor("huamachi")
    CultivationRules.objects.create(county_id=COUNTY, mentee_cap=1)
    mentor = services.create_mentor(
        actor=clerk, kind="work_team", name="张队员", division=Division.objects.get(code=HUAMACHI)
    )
    api = client_for("huamachi")
    first, second = make_person("甲"), make_person("乙")
    body = {"mentee": first.pk, "mentors": [mentor.pk], "start": "2024-01-01"}
    response = api.post("/api/v1/mentorships", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["pairing"] == "1+1"
    response = api.post("/api/v1/mentorships", dict(body, mentee=second.pk), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"]["mentors"].startswith("导师张队员在该期间已帮带 1 名后备力量")
    response = api.post("/api/v1/mentorships", dict(body, mentors=[999999]), content_type="application/json")
    assert response.status_code == 422 and response.json()["errors"] == {"mentors": "导师 999999 不存在"}
    theirs = make_person("丙", village=DASHUIKENG_VILLAGE)
    assert (
        api.post(
            "/api/v1/mentorships", dict(body, mentee=theirs.pk), content_type="application/json"
        ).status_code
        == 404
    )
    assert Mentorship.objects.count() == 1
    assert [m["mentee_name"] for m in api.get("/api/v1/mentorships").json()["items"]] == ["甲"]
    assert client_for("dashuikeng").get("/api/v1/mentorships").json()["count"] == 0


def test_api_secondments_length_rule_and_overdue(client_for):
    api = client_for("huamachi")
    someone = make_person("祝心灵")
    start = services.today() - timedelta(days=200)
    body = {
        "person": someone.pk,
        "kind": "secondment",
        "mode": "part_time",
        "host": "640323100201",
        "start": start.isoformat(),
        "planned_end": (services.add_months(start, 7)).isoformat(),
        "goals": "学习",
    }
    response = api.post("/api/v1/secondments", body, content_type="application/json")
    assert response.status_code == 422 and "计划期限超过 6 个月" in response.json()["errors"]["planned_end"]
    planned_end = services.last_day_of_months(start, 4)
    response = api.post(
        "/api/v1/secondments",
        dict(body, planned_end=planned_end.isoformat()),
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["overdue"] is True
    assert api.get("/api/v1/secondments?overdue=true").json()["count"] == 1
    assert (
        client_for("auditor").post("/api/v1/secondments", body, content_type="application/json").status_code
        == 403
    )
    assert client_for("dashuikeng").get("/api/v1/secondments").json()["count"] == 0
    assert Secondment.objects.count() == 1


def _queries(client, path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "path",
    ["/cultivation/trainings/?year=2024", "/cultivation/mentors/", "/cultivation/mentorships/?show=all"],
)
def test_list_pages_do_not_grow_queries_with_rows(client_for, path):
    clerk = actor("huamachi")
    township = Division.objects.get(code=HUAMACHI)

    def add(count):
        for index in range(count):
            training = services.create_training(actor=clerk, data=training_input(name=f"培训班{index}"))
            someone = make_person(f"学员{index}")
            services.enrol(actor=clerk, training=training, people=[someone])
            mentor = services.create_mentor(
                actor=clerk, kind="work_team", name=f"导师{index}", division=township
            )
            services.create_mentorship(actor=clerk, mentee=someone, mentors=[mentor], start=date(2024, 1, 1))

    page = client_for("huamachi")
    add(2)
    few = _queries(page, path)
    add(4)
    assert _queries(page, path) == few


def test_the_training_list_opens_on_the_latest_year_with_trainings(client_for):
    clerk = actor("huamachi")
    this_year = services.today().year
    services.create_training(actor=clerk, data=training_input(start=date(2019, 5, 6), end=date(2019, 5, 10)))
    page = client_for("huamachi").get("/cultivation/trainings/")
    assert page.context["year"] == 2019  # nothing yet this year: last year with trainings, not an empty table
    assert page.context["years"][0] == this_year + 1 and 2019 in page.context["years"]
    assert client_for("dashuikeng").get("/cultivation/trainings/").context["year"] == this_year  # none seen
    services.create_training(
        actor=clerk,
        data=training_input(start=date(this_year, 1, 2), end=date(this_year, 1, 3), name="新年轮训"),
    )
    assert client_for("huamachi").get("/cultivation/trainings/").context["year"] == this_year
    assert client_for("huamachi").get("/cultivation/trainings/?year=2020").context["year"] == 2020
