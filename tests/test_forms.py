"""Forms that keep what was typed and suggest what is legal (issue 13 §4), and the server side of long work
(§6): invalid fields marked, the ID number and the attendance hours kept after an error, the defaults
(course hours, the current period, no grade), the messages when a rule fires, discarding failed roster
uploads, and the cookie that unlocks a download button."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.assessment_helpers import assess, make_reserve
from tests.conftest import HUAMACHI_VILLAGE
from tests.cultivation_support import actor, training_input
from tests.factories import make_person
from tests.rosters_support import row, xlsx
from yanzhen.assessments.models import (
    AdjustmentProposal,
    Assessment,
    NoticeBoardEntry,
    ProposalState,
    RemovalProposal,
)
from yanzhen.assessments.periods import half_containing, last_finished_period
from yanzhen.core.models import AuditAction, AuditEvent, AuditOutcome
from yanzhen.cultivation import services as cultivation
from yanzhen.cultivation.models import Enrolment
from yanzhen.people.idcard import make_id_number
from yanzhen.people.models import Person
from yanzhen.rosters.models import ImportRun, RosterUpload

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
CURRENT = half_containing(TODAY)


def input_tag(page: str, name: str) -> str:
    """The <input> or <select> opening tag of the field `name`."""
    found = re.search(rf'<(?:input|select|textarea)[^>]*name="{re.escape(name)}"[^>]*>', page)
    assert found, f"no field {name}"
    return found.group(0)


# -- the wrong field is marked, what was typed is kept --------------------------------------------------------


def test_person_form_keeps_the_typed_id_number_and_marks_the_wrong_field(client_for):
    number = make_id_number("640323", date(1990, 5, 12), 11)
    response = client_for("huamachi").post(
        "/people/new/",
        {
            "name": "祝心灵",
            "ethnicity": "01",
            "birth_date": "1990-05-13",  # the ID number says the 12th
            "id_number": number,
            "political_status": "01",
            "degree": "0",
            "phone": "13912345678",
            "village": HUAMACHI_VILLAGE,
            "educations-TOTAL_FORMS": "0",
            "educations-INITIAL_FORMS": "0",
            "family-TOTAL_FORMS": "0",
            "family-INITIAL_FORMS": "0",
            "resume-TOTAL_FORMS": "0",
            "resume-INITIAL_FORMS": "0",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert f'value="{number}"' in input_tag(page, "id_number")
    assert 'value="13912345678"' in input_tag(page, "phone")
    birth = input_tag(page, "birth_date")
    assert 'class="form-control is-invalid"' in birth and 'aria-invalid="true"' in birth
    assert "is-invalid" not in input_tag(page, "id_number")
    assert "出生日期 1990-05-13 与身份证号中的 1990-05-12 不一致" in page
    assert "出生日期：出生日期" not in page  # the field is named once
    assert "no-store" in response["Cache-Control"]
    assert not Person.objects.exists()


def test_every_form_marks_its_invalid_fields(client_for):
    """The renderer, not each template: a cultivation form and an assessments form alike."""
    response = client_for("huamachi").post("/cultivation/trainings/new/", {"name": "", "hours": "x"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "is-invalid" in input_tag(page, "name") and "is-invalid" in input_tag(page, "hours")
    assert "is-invalid" not in input_tag(page, "place")


# -- attendance ---------------------------------------------------------------------------------------------


@pytest.fixture
def training_of_three():
    clerk = actor("huamachi")
    training = cultivation.create_training(
        actor=clerk, data=training_input(hours=Decimal("16"), start=date(2024, 5, 6), end=date(2024, 5, 7))
    )
    people = [make_person("李文静"), make_person("马振华"), make_person("周建国")]
    cultivation.enrol(actor=clerk, training=training, people=people)
    return training, people


def test_attendance_hours_default_to_the_course_hours_once_it_has_begun(client_for, training_of_three):
    training, people = training_of_three
    page = client_for("huamachi").get(f"/cultivation/trainings/{training.pk}/").content.decode()
    for someone in people:
        assert 'value="16"' in input_tag(page, f"hours_{someone.pk}")
    assert "培训开始后，出勤学时默认为培训班总学时 16：只需修改缺课学员的学时。" in page

    later = cultivation.create_training(
        actor=actor("huamachi"),
        data=training_input(
            name="明年的培训班", start=date(TODAY.year + 1, 5, 6), end=date(TODAY.year + 1, 5, 7)
        ),
    )
    cultivation.enrol(actor=actor("huamachi"), training=later, people=[people[0]])
    page = client_for("huamachi").get(f"/cultivation/trainings/{later.pk}/").content.decode()
    assert 'value=""' in input_tag(page, f"hours_{people[0].pk}")  # not yet held: nothing attended


def test_attendance_with_one_wrong_row_keeps_every_typed_value_and_marks_the_cell(
    client_for, training_of_three
):
    training, (first, second, third) = training_of_three
    response = client_for("huamachi").post(
        f"/cultivation/trainings/{training.pk}/roster/",
        {
            f"hours_{first.pk}": "16",
            f"completed_{first.pk}": "on",
            f"score_{first.pk}": "92",
            f"hours_{second.pk}": "12.5",
            f"note_{second.pk}": "请假半天",
            f"hours_{third.pk}": "30",
            f"completed_{third.pk}": "on",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="16"' in input_tag(page, f"hours_{first.pk}")
    assert 'value="92"' in input_tag(page, f"score_{first.pk}")
    assert "checked" in input_tag(page, f"completed_{first.pk}")
    assert 'value="12.5"' in input_tag(page, f"hours_{second.pk}")
    assert 'value="请假半天"' in input_tag(page, f"note_{second.pk}")
    assert "checked" not in input_tag(page, f"completed_{second.pk}")
    wrong = input_tag(page, f"hours_{third.pk}")
    assert 'value="30"' in wrong and "is-invalid" in wrong and 'aria-invalid="true"' in wrong
    assert "is-invalid" not in input_tag(page, f"score_{third.pk}")
    assert "is-invalid" not in input_tag(page, f"hours_{first.pk}")
    assert f'<tr id="roster-{third.pk}" class="table-danger">' in page
    assert f'<tr id="roster-{first.pk}">' in page
    assert (
        '<div class="text-danger small" id="roster-error-'
        + str(third.pk)
        + '">周建国的出勤学时 30 超过培训班总学时 16</div>'
        in page
    )
    assert "未保存任何数据，已填写的内容保留在下方" in page
    assert not Enrolment.objects.exclude(attended_hours=None).exists()


def test_a_wrong_score_marks_the_score_cell(client_for, training_of_three):
    training, (first, _second, _third) = training_of_three
    response = client_for("huamachi").post(
        f"/cultivation/trainings/{training.pk}/roster/",
        {f"hours_{first.pk}": "16", f"score_{first.pk}": "101"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "is-invalid" in input_tag(page, f"score_{first.pk}")
    assert "is-invalid" not in input_tag(page, f"hours_{first.pk}")


# -- the current period by default ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/assessment/",
        "/assessment/assessments/",
        "/assessment/reports/",
        "/assessment/incumbents/analysis/",
    ],
)
def test_period_choosers_start_at_the_current_period(client_for, path):
    response = client_for("huamachi").get(path)
    assert response.status_code == 200
    assert response.context["period"] == CURRENT


def test_asked_period_wins_and_overdue_starts_at_the_last_finished_half(client_for):
    clerk = client_for("huamachi")
    assert clerk.get("/assessment/assessments/?period=2024H1").context["period"].key == "2024H1"
    assert clerk.get("/assessment/reports/overdue/").context["period"] == last_finished_period(
        TODAY, "half_year"
    )


def test_assessment_and_report_forms_start_at_the_current_period_with_no_grade(client_for, persona):
    someone, _candidacy = make_reserve(persona("county"), "王立新", HUAMACHI_VILLAGE)
    page = client_for("huamachi").get(f"/assessment/assessments/new/?person={someone.pk}").content.decode()
    assert f'value="{CURRENT.year}"' in input_tag(page, "year")
    assert re.search(rf'<option value="{CURRENT.half}" selected>', page)
    grade = page[page.index('name="grade"') : page.index("</select>", page.index('name="grade"'))]
    assert "selected" not in grade.replace('<option value="" selected>', "")
    assert '<option value="" selected>—— 请选择 ——</option>' in grade

    report = client_for("huamachi").get(f"/assessment/reports/new/?person={someone.pk}").content.decode()
    assert f'value="{CURRENT.year}"' in input_tag(report, "year")
    assert re.search(rf'<option value="{CURRENT.half}" selected>', report)


def test_an_assessment_without_a_chosen_grade_is_refused(client_for, persona):
    someone, _candidacy = make_reserve(persona("county"), "王立新", HUAMACHI_VILLAGE)
    response = client_for("huamachi").post(
        f"/assessment/assessments/new/?person={someone.pk}",
        {"year": "2024", "half": "1", "grade": "", "assessed_on": "2024-07-05"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "is-invalid" in input_tag(page, "grade")
    assert not Assessment.objects.exists()


# -- a rule that fires says so, with a link ------------------------------------------------------------------


def assessment_post(year: int, half: int, grade: str, on: str) -> dict:
    return {"year": str(year), "half": str(half), "grade": grade, "assessed_on": on, "assessor": "镇党委"}


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_second_incompetent_grade_says_removal_proposed_with_its_link(client_for, persona):
    county = persona("county")
    someone, _candidacy = make_reserve(county, "王立新", HUAMACHI_VILLAGE)
    assess(county, someone, 2023, 2, "incompetent")
    response = client_for("huamachi").post(
        f"/assessment/assessments/new/?person={someone.pk}",
        assessment_post(2024, 1, "incompetent", "2024-07-05"),
    )
    assert response.status_code == 302
    proposal = RemovalProposal.objects.get(person=someone, state=ProposalState.PENDING)
    assert texts(response) == [
        "已保存。",
        f'已生成出库建议：王立新 <a class="alert-link" href="/assessment/proposals/{proposal.pk}/">查看建议 →</a>',
    ]


def test_second_excellent_grade_says_key_cultivation_with_the_notice_board_link(client_for, persona):
    county = persona("county")
    someone, _candidacy = make_reserve(county, "王立新", HUAMACHI_VILLAGE)
    assess(county, someone, 2023, 2, "excellent")
    response = client_for("huamachi").post(
        f"/assessment/assessments/new/?person={someone.pk}",
        assessment_post(2024, 1, "excellent", "2024-07-05"),
    )
    assert response.status_code == 302
    assert NoticeBoardEntry.objects.filter(person=someone, active=True).count() == 1
    assert texts(response) == [
        "已保存。",
        "已列为重点培养对象：王立新 "
        f'<a class="alert-link" href="/assessment/notice-board/?division={HUAMACHI_VILLAGE}">查看村务公开栏名单 →</a>',
    ]


def test_a_save_that_fires_nothing_says_only_saved(client_for, persona):
    county = persona("county")
    someone, _candidacy = make_reserve(county, "王立新", HUAMACHI_VILLAGE)
    assess(county, someone, 2023, 2, "incompetent")
    response = client_for("huamachi").post(
        f"/assessment/assessments/new/?person={someone.pk}",
        assessment_post(2024, 1, "competent", "2024-07-05"),
    )
    assert response.status_code == 302 and texts(response) == ["已保存。"]
    assert not RemovalProposal.objects.exists()


def test_second_low_month_says_adjustment_proposed_with_its_link(client_for, persona):
    from tests.test_incumbents_pages import ITEMS, make_term, score
    from yanzhen.assessments.incumbents import rules as incumbent_rules
    from yanzhen.assessments.incumbents import services as incumbents
    from yanzhen.divisions.models import Division

    county = persona("county")
    items = incumbents.save_score_items(
        actor=county, county=Division.objects.get(code="640323"), items=list(ITEMS)
    )
    incumbent_rules.add_rule(
        actor=county, county=Division.objects.get(code="640323"), grade="incompetent", months=2
    )
    term = make_term(county, "杨建国")
    score(county, items, term, date(2024, 1, 1), 20, 15, 15)
    post = {"term": term.pk, "month": "2024-02", "note": ""}
    post.update({f"score_{item.pk}": value for item, value in zip(items, (20, 15, 15), strict=True)})
    response = client_for("huamachi").post(f"/assessment/incumbents/{HUAMACHI_VILLAGE}/?month=2024-02", post)
    assert response.status_code == 302
    proposal = AdjustmentProposal.objects.get(term=term, state=ProposalState.PENDING)
    assert texts(response)[-1] == (
        f'已生成调整建议：杨建国 <a class="alert-link" href="/assessment/incumbents/proposals/{proposal.pk}/">查看建议 →</a>'
    )


# -- failed roster uploads can be discarded -----------------------------------------------------------------


def upload(client, name: str, content: bytes):
    response = client.post(
        "/rosters/upload/",
        {
            "division": "640323100",
            "file": SimpleUploadedFile(name, content, content_type="application/octet-stream"),
        },
    )
    assert response.status_code == 302
    return RosterUpload.objects.get(file_name=name)


def bad_sheet() -> bytes:
    return xlsx([row("甲", date(1990, 5, 12), 11, gender="女")])


def good_sheet() -> bytes:
    return xlsx([row("乙", date(1991, 6, 1), 13)])


def discard_events():
    return AuditEvent.objects.filter(action=AuditAction.IMPORT, outcome=AuditOutcome.FAILURE)


def test_the_uploader_discards_an_unconfirmed_upload_and_the_audit_log_keeps_it(client_for):
    clerk = client_for("huamachi")
    staged = upload(clerk, "有错误.xlsx", bad_sheet())
    index = clerk.get("/rosters/").content.decode()
    assert f'id="upload-{staged.pk}"' in index and "1 处错误" in index and 'id="discard-failed"' in index
    response = clerk.post(f"/rosters/uploads/{staged.pk}/discard/")
    assert response.status_code == 302 and response["Location"] == "/rosters/"
    assert not RosterUpload.objects.exists()
    event = discard_events().get()
    assert event.user.username == "huamachi"
    assert event.object_repr == "放弃未确认的花名册上传：有错误.xlsx"
    assert event.detail["sha256"] == staged.sha256 and event.detail["problems"] == 1
    assert event.detail["rows"] == 1 and event.detail["discarded"] is True
    assert not Person.objects.exists() and not ImportRun.objects.exists()
    assert "已放弃上传的 有错误.xlsx，文件已删除。" in texts(response)


@pytest.mark.parametrize(("who", "status"), [("dashuikeng", 404), ("county", 404), ("auditor", 403)])
def test_nobody_else_discards_an_upload_and_nothing_changes(client_for, who, status):
    staged = upload(client_for("huamachi"), "有错误.xlsx", bad_sheet())
    assert client_for(who).post(f"/rosters/uploads/{staged.pk}/discard/").status_code == status
    assert client_for(who).post("/rosters/uploads/discard-failed/").status_code in (302, 403)
    assert RosterUpload.objects.get().pk == staged.pk and staged.content_encrypted
    assert not discard_events().exists()


def test_a_confirmed_import_cannot_be_discarded(client_for):
    clerk = client_for("huamachi")
    staged = upload(clerk, "正确.xlsx", good_sheet())
    assert clerk.post(f"/rosters/uploads/{staged.pk}/confirm/", {"sha256": staged.sha256}).status_code == 302
    run = ImportRun.objects.get()
    assert clerk.post(f"/rosters/uploads/{staged.pk}/discard/").status_code == 404
    assert ImportRun.objects.get() == run and Person.objects.count() == 1
    assert not discard_events().exists()


def test_bulk_discard_removes_only_the_uploads_with_errors(client_for):
    clerk = client_for("huamachi")
    first = upload(clerk, "错一.xlsx", bad_sheet())
    second = upload(clerk, "错二.xlsx", xlsx([row("丙", date(1992, 1, 1), 15, gender="女")]))
    ready = upload(clerk, "正确.xlsx", good_sheet())
    other = upload(client_for("county"), "别人的.xlsx", bad_sheet())
    response = clerk.post("/rosters/uploads/discard-failed/")
    assert response.status_code == 302
    assert set(RosterUpload.objects.values_list("pk", flat=True)) == {ready.pk, other.pk}
    assert sorted(discard_events().values_list("detail__sha256", flat=True)) == sorted(
        [first.sha256, second.sha256]
    )
    assert "已放弃有错误的上传：2 个。" in texts(response)


def test_the_import_message_says_how_many_rows_were_imported(client_for):
    clerk = client_for("huamachi")
    staged = upload(clerk, "正确.xlsx", good_sheet())
    preview = clerk.get(f"/rosters/uploads/{staged.pk}/").content.decode()
    assert "已检查：1 行（全部）。" in preview
    response = clerk.post(f"/rosters/uploads/{staged.pk}/confirm/", {"sha256": staged.sha256})
    assert texts(response) == [
        f"花名册 正确.xlsx（SHA-256 {staged.sha256[:12]}）导入花马池镇：数据 1 行 "
        "导入成功：新建人员 1，更新人员 0，新建在库后备 1，更新在库后备 0，无变化 0"
    ]


# -- a download unlocks its button --------------------------------------------------------------------------


def test_a_download_answers_its_token_in_a_cookie(client_for):
    clerk = client_for("huamachi")
    response = clerk.get("/rosters/export.xlsx?division=640323100&download_token=abc123def456")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert response.cookies["yz_download"].value == "abc123def456"
    assert "yz_download" not in clerk.get("/rosters/export.xlsx?division=640323100").cookies
    assert (
        "yz_download" not in clerk.get("/rosters/export.xlsx?division=640323100&download_token=<x>").cookies
    )
    assert "yz_download" not in clerk.get("/rosters/?download_token=abc123def456").cookies
