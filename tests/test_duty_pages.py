"""坐班值班 pages and API (issue 18 §1): the village's month, the form of a month from a weekly pattern, the
township's month with leave to decide, the cadre's own page on a phone (签到, leave), the xlsx, the API; a
refusal answers 400/403/404 and writes nothing."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from yanzhen.assessments.incumbents import services as incumbent_services
from yanzhen.assessments.models import IncumbentScoreItem
from yanzhen.divisions.models import Division
from yanzhen.duty import selectors, services
from yanzhen.duty.models import CheckIn, DutyAssignment, DutySettings, Leave, LeaveState

from .candidacies_support import user
from .duty_support import (
    HUAMACHI_VILLAGE,
    MAKE_UP,
    MONTH,
    client_of,
    member,
    own_login,
    set_today,
    sitting,
    written,
)

pytestmark = pytest.mark.django_db

VILLAGE_URL = f"/duty/village/{HUAMACHI_VILLAGE}/"


def add(day, person=None, holder=None):
    return services.add_assignment(
        actor=user("huamachi"), village=HUAMACHI_VILLAGE, day=day, person=person, member=holder
    )


def test_the_village_month_lists_each_day_and_the_gaps(client_for, monkeypatch):
    set_today(monkeypatch, date(2026, 9, 8))
    secretary = sitting("韩值班")
    for day in selectors.working_days(MONTH):
        if day != MAKE_UP:
            add(day, secretary)
    page = client_for("cunshuji").get(VILLAGE_URL, {"month": "2026-09"})
    html = page.content.decode()
    assert page.status_code == 200
    assert (
        'id="gaps"' in html and "9月20日" in html and html.count("badge text-bg-danger") == 5
    )  # 1, 2, 3, 4, 7
    assert 'id="generate"' not in html  # a reader has no buttons
    clerk = client_for("huamachi").get(VILLAGE_URL, {"month": "2026-09"}).content.decode()
    assert f"/duty/village/{HUAMACHI_VILLAGE}/add/?month=2026-09&amp;day=2026-09-20" in clerk


def test_a_bad_month_is_400_and_a_village_elsewhere_404(client_for):
    assert client_for("huamachi").get(VILLAGE_URL, {"month": "2026-13"}).status_code == 400
    assert client_for("huamachi").get(VILLAGE_URL, {"month": "abc"}).status_code == 400
    assert client_for("dashuikeng").get(VILLAGE_URL).status_code == 404
    assert client_for("huamachi").get("/duty/village/640323100/").status_code == 404  # a township


def test_the_generate_form_makes_the_month(client_for, monkeypatch):
    set_today(monkeypatch, date(2026, 8, 20))
    secretary = sitting("韩值班")
    team = member()
    clerk = client_for("huamachi")
    url = f"{VILLAGE_URL}generate/?month=2026-09"
    page = clerk.get(url)
    assert page.status_code == 200 and "韩值班" in page.content.decode() and "马驻村" in page.content.decode()
    before = written()
    assert clerk.post(url, {"weekday_0": [f"p{secretary.pk + 10000}"]}).status_code == 400  # not a choice
    assert clerk.post(url, {}).status_code == 400  # nobody picked
    assert written() == before
    response = clerk.post(url, {"weekday_0": [f"p{secretary.pk}"], "weekday_6": [f"m{team.pk}"]})
    assert response.status_code == 302
    # Mondays 7 14 21 28; the make-up Sunday the 20th.
    assert list(DutyAssignment.objects.order_by("day").values_list("day", flat=True)) == [
        date(2026, 9, day) for day in (7, 14, 20, 21, 28)
    ]
    assert client_for("cunshuji").post(url, {"weekday_0": [f"p{secretary.pk}"]}).status_code == 403


def test_the_clerk_adds_and_removes_an_entry(client_for):
    secretary = sitting("韩值班")
    clerk = client_for("huamachi")
    url = f"{VILLAGE_URL}add/?month=2026-09"
    assert clerk.post(url, {"day": "2026-09-25", "holder": f"p{secretary.pk}"}).status_code == 400  # 中秋
    assert clerk.post(url, {"day": "2026-09-24", "holder": f"p{secretary.pk}"}).status_code == 302
    duty = DutyAssignment.objects.get()
    assert client_for("cunshuji").post(f"/duty/assignments/{duty.pk}/delete/").status_code == 403
    assert client_for("dashuikeng").post(f"/duty/assignments/{duty.pk}/delete/").status_code == 404
    assert clerk.post(f"/duty/assignments/{duty.pk}/delete/").status_code == 302
    assert not DutyAssignment.objects.exists()


def test_the_township_page_shows_missed_days_and_decides_leave(client_for, monkeypatch):
    set_today(monkeypatch, date(2026, 9, 8))
    secretary = sitting("韩值班")
    add(date(2026, 9, 2), secretary)
    pending = services.request_leave(
        actor=user("huamachi"),
        person=secretary,
        village=HUAMACHI_VILLAGE,
        data=services.LeaveInput(date(2026, 9, 10), date(2026, 9, 11), "参加培训"),
    )
    page = client_for("huamachi").get("/duty/", {"month": "2026-09"})
    html = page.content.decode()
    assert page.status_code == 200 and "2日 韩值班" in html and "参加培训" in html
    url = f"/duty/leaves/{pending.pk}/decide/"
    before = written()
    assert client_for("dashuikeng").post(url, {"decision": "approve"}).status_code == 404
    assert client_for("auditor").post(url, {"decision": "approve"}).status_code == 403
    assert client_for("huamachi").post(url, {"decision": "maybe"}).status_code == 400
    assert written() == before
    assert client_for("huamachi").post(url, {"decision": "approve"}).status_code == 302
    assert Leave.objects.get(pk=pending.pk).state == LeaveState.APPROVED
    assert client_for("cunshuji").get("/duty/").status_code == 302


def test_the_township_export(client_for, monkeypatch):
    set_today(monkeypatch, date(2026, 9, 8))
    secretary = sitting("韩值班")
    add(date(2026, 9, 1), secretary)
    add(date(2026, 9, 1), holder=member("=cmd"))
    response = client_for("huamachi").get("/duty/export.xlsx", {"township": "640323100", "month": "2026-09"})
    assert response.status_code == 200
    sheet = load_workbook(
        io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("村", "日期", "星期", "值班人员", "身份", "签到时间", "备注")
    village = Division.objects.get(code=HUAMACHI_VILLAGE).name
    mine = [row for row in rows[1:] if row[0] == village]
    # The 1st: two entries (the cadre missed it); then a gap row for each other working day up to the 30th.
    assert [row[3] for row in mine[:2]] == ["=cmd", "韩值班"] or [row[3] for row in mine[:2]] == [
        "韩值班",
        "=cmd",
    ]
    assert len(mine) == 2 + 21


def test_the_county_chooses_the_attendance_item(client_for):
    county = Division.objects.get(code="640323")
    incumbent_services.save_score_items(
        actor=user("county"), county=county, items=[("坐班值班", 20), ("实绩", 80)]
    )
    item = IncumbentScoreItem.objects.get(name="坐班值班")
    assert (
        client_for("huamachi").post("/duty/settings/", {"attendance_item": str(item.pk)}).status_code == 403
    )
    assert client_for("county").post("/duty/settings/", {"attendance_item": "999999"}).status_code == 400
    assert client_for("county").post("/duty/settings/", {"attendance_item": str(item.pk)}).status_code == 302
    assert DutySettings.objects.get(county=county).attendance_item == item


def test_the_monthly_score_forms_suggest_the_attendance_score(client_for, monkeypatch):
    set_today(monkeypatch, date(2026, 9, 2))
    secretary = sitting("韩值班")
    county = Division.objects.get(code="640323")
    incumbent_services.save_score_items(
        actor=user("county"), county=county, items=[("坐班值班", 20), ("实绩", 80)]
    )
    item = IncumbentScoreItem.objects.get(name="坐班值班")
    services.set_attendance_item(actor=user("county"), county=county, item_id=item.pk)
    login = own_login(secretary)
    first, _second, _third = (add(date(2026, 9, day), secretary) for day in (1, 2, 3))
    set_today(monkeypatch, date(2026, 9, 1))
    services.check_in(actor=login, assignment=first)
    set_today(monkeypatch, date(2026, 9, 30))
    # One of three duty days attended: 20 × 1 / 3 = 6.67 → 7.
    batch = client_for("huamachi").get(
        f"/assessment/incumbents/{HUAMACHI_VILLAGE}/batch/", {"month": "2026-09"}
    )
    assert f'name="score_{secretary.terms.get().pk}_{item.pk}" value="7"' in batch.content.decode()
    page = client_for("huamachi").get(f"/assessment/incumbents/{HUAMACHI_VILLAGE}/", {"month": "2026-09"})
    assert f'name="score_{item.pk}" value="7"' in page.content.decode()


# -- the cadre's own login ------------------------------------------------------------------------------------------


def test_the_archive_creates_a_login_for_a_sitting_cadre(client_for):
    secretary = sitting("韩值班")
    clerk = client_for("huamachi")
    archive = clerk.get(f"/people/{secretary.pk}/").content.decode()
    assert 'id="login-create"' in archive
    assert clerk.post(f"/assessment/people/{secretary.pk}/login/create/").status_code == 200
    login = user("hanzhiban")
    assert login.role_codes == {"cadre"} and login.division_id == HUAMACHI_VILLAGE


def test_the_cadre_checks_in_on_his_own_page(monkeypatch):
    set_today(monkeypatch, date(2026, 9, 8))
    secretary, deputy = sitting("韩值班"), sitting("刘副职", post="deputy_secretary")
    login = own_login(secretary)
    mine = add(date(2026, 9, 8), secretary)
    others = add(date(2026, 9, 8), deputy)
    phone = client_of(login)
    assert phone.get("/people/").status_code == 302  # kept on his own pages
    assert phone.get("/people/")["Location"] == "/duty/me/"
    page = phone.get("/duty/me/").content.decode()
    assert 'id="check-in"' in page and f'value="{mine.pk}"' in page and f'value="{others.pk}"' not in page
    before = written()
    response = phone.post("/duty/me/check-in/", {"assignment": others.pk}, follow=True)
    assert "这不是您本人的值班安排，不能替他人签到" in response.content.decode()
    assert written() == before
    phone.post("/duty/me/check-in/", {"assignment": mine.pk, "note": "村部"})
    assert CheckIn.objects.get().assignment == mine
    assert 'id="checked-in"' in phone.get("/duty/me/").content.decode()


def test_the_cadre_asks_for_leave_on_his_page(monkeypatch):
    set_today(monkeypatch, date(2026, 9, 8))
    secretary = sitting("韩值班")
    phone = client_of(own_login(secretary))
    before = written()
    assert (
        phone.post(
            "/duty/me/leave/", {"start": "2026-09-10", "end": "2026-09-09", "reason": "看病"}
        ).status_code
        == 400
    )
    assert written() == before
    assert (
        phone.post(
            "/duty/me/leave/", {"start": "2026-09-10", "end": "2026-09-10", "reason": "看病"}
        ).status_code
        == 302
    )
    assert Leave.objects.get().state == LeaveState.PENDING


def test_the_api_lists_and_adds_entries_and_the_cadre_checks_in(client_for, monkeypatch):
    set_today(monkeypatch, date(2026, 9, 8))
    secretary = sitting("韩值班")
    clerk = client_for("huamachi")
    body = {"village_code": HUAMACHI_VILLAGE, "day": "2026-09-08", "person_id": secretary.pk}
    created = clerk.post("/api/v1/duty/assignments", json.dumps(body), content_type="application/json")
    assert created.status_code == 201 and created.json()["holder_name"] == "韩值班"
    again = clerk.post("/api/v1/duty/assignments", json.dumps(body), content_type="application/json")
    assert again.status_code == 422 and again.json()["errors"] == {"holder": "韩值班在 2026-09-08 已排班"}
    outside = client_for("dashuikeng").post(
        "/api/v1/duty/assignments", json.dumps(body), content_type="application/json"
    )
    assert outside.status_code == 404
    assert client_for("dashuikeng").get("/api/v1/duty/assignments").json()["count"] == 0
    assert clerk.get("/api/v1/duty/assignments").json()["count"] == 1
    phone = client_of(own_login(secretary))
    check = {"assignment_id": created.json()["id"], "note": "到岗"}
    refused = clerk.post("/api/v1/duty/checkins", json.dumps(check), content_type="application/json")
    assert refused.status_code == 422 and refused.json()["errors"] == {
        "assignment": "只有值班人员本人的账号才能签到"
    }
    done = phone.post("/api/v1/duty/checkins", json.dumps(check), content_type="application/json")
    assert done.status_code == 201 and done.json()["note"] == "到岗"
    assert phone.get("/api/v1/duty/checkins").status_code == 403  # his login reaches no other operation
    assert clerk.get("/api/v1/duty/checkins").json()["count"] == 1
