"""Forms in the browser (issue 13 §4, §6): the attendance form with one wrong row keeps every other typed
hour and marks the wrong cell; the roster upload locks its button and says it is checking while the server
works, and a second submit sends nothing."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.browser.test_township_clerk import log_in
from tests.rosters_support import row, xlsx
from yanzhen.cultivation.models import Enrolment

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def three_participants():
    from tests.cultivation_support import actor, training_input
    from tests.factories import make_person
    from yanzhen.cultivation import services

    clerk = actor("huamachi")
    training = services.create_training(
        actor=clerk,
        data=training_input(
            name="花马池镇后备力量电商培训班",
            hours=Decimal("16"),
            start=date(2026, 11, 20),
            end=date(2026, 11, 21),
        ),
    )
    people = [make_person("李文静"), make_person("马振华"), make_person("周建国")]
    services.enrol(actor=clerk, training=training, people=people)
    return training, people


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)], ids=["desk", "phone"])
def test_attendance_with_one_wrong_row_keeps_every_other_typed_hour(page, live_server, world, size):
    training, (first, second, third) = three_participants()
    page.set_viewport_size({"width": size[0], "height": size[1]})
    log_in(page, live_server, "huamachi")
    page.goto(f"{live_server.url}/cultivation/trainings/{training.pk}/")
    # Hours start at the course's 16: the clerk changes only those who missed part of it.
    assert [page.input_value(f"[name=hours_{p.pk}]") for p in (first, second, third)] == ["16", "16", "16"]
    page.fill(f"[name=hours_{second.pk}]", "12.5")
    page.fill(f"[name=note_{second.pk}]", "请假半天")
    page.fill(f"[name=score_{first.pk}]", "92")
    page.fill(f"[name=hours_{third.pk}]", "30")
    with page.expect_navigation():
        page.get_by_role("button", name="保存出勤").click()

    assert page.input_value(f"[name=hours_{first.pk}]") == "16"
    assert page.input_value(f"[name=score_{first.pk}]") == "92"
    assert page.input_value(f"[name=hours_{second.pk}]") == "12.5"
    assert page.input_value(f"[name=note_{second.pk}]") == "请假半天"
    wrong = page.locator(f"[name=hours_{third.pk}]")
    assert wrong.input_value() == "30"
    assert "is-invalid" in wrong.get_attribute("class")
    assert "is-invalid" not in page.locator(f"[name=hours_{second.pk}]").get_attribute("class")
    assert page.locator(f"#roster-error-{third.pk}").inner_text() == "周建国的出勤学时 30 超过培训班总学时 16"
    page.screenshot(path=str(SCREENSHOTS / f"forms-attendance-error-{size[0]}.png"))
    assert not Enrolment.objects.exclude(attended_hours=None).exists()

    # Corrected, the whole roster is saved as typed.
    page.fill(f"[name=hours_{third.pk}]", "16")
    with page.expect_navigation():
        page.get_by_role("button", name="保存出勤").click()
    saved = {e.person_id: e.attended_hours for e in Enrolment.objects.all()}
    assert saved == {first.pk: Decimal("16"), second.pk: Decimal("12.5"), third.pk: Decimal("16")}


RECORD_THE_LOCK = """() => {
    // Playwright cannot look at a page whose next page is on its way: the page notes what it shows instead.
    const button = document.querySelector('#upload-button');
    new MutationObserver(() => {
        if (!button.disabled || sessionStorage.getItem('lock')) return;
        const form = document.querySelector('#roster-upload');
        sessionStorage.setItem('lock', JSON.stringify({
            text: button.innerText, spinner: !!button.querySelector('.spinner-border'),
            busy: form.getAttribute('aria-busy'),
        }));
    }).observe(button, {attributes: true});
}"""


def test_the_upload_button_is_locked_while_the_server_checks(page, live_server, world, tmp_path, monkeypatch):
    from yanzhen.rosters import views

    calls = []
    real_import = views.import_roster

    def counted_import(**kwargs):  # the live server runs in this process: count what it is asked
        calls.append(kwargs["file_name"])
        return real_import(**kwargs)

    monkeypatch.setattr(views, "import_roster", counted_import)
    roster = tmp_path / "花名册.xlsx"
    roster.write_bytes(xlsx([row("甲", date(1990, 5, 12), 11)]))
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, live_server, "huamachi")
    page.goto(f"{live_server.url}/rosters/")

    # While the server has not answered, the page shows the locked button with its spinner and the time
    # spent (the answer is held back here by cancelling the navigation, as a slow server would leave it).
    page.evaluate("window.addEventListener('submit', e => e.preventDefault(), {once: true})")
    page.set_input_files("#roster-upload input[type=file]", str(roster))
    page.click("#upload-button")
    button = page.locator("#upload-button")
    assert button.is_disabled() and button.locator(".spinner-border").count() == 1
    assert button.inner_text() == "正在检查…"
    page.wait_for_function("() => document.querySelector('#upload-button').innerText.includes('秒')")
    assert button.inner_text().startswith("正在检查…（")
    page.screenshot(path=str(SCREENSHOTS / "forms-upload-busy-1366.png"))
    # Another submit (Enter in a field, a script) is not sent while the first one runs.
    page.evaluate("document.querySelector('#roster-upload').requestSubmit()")
    page.wait_for_timeout(500)
    assert page.url == f"{live_server.url}/rosters/" and button.is_disabled()
    assert calls == []

    # The real upload: locked from the click to the next page.
    page.goto(f"{live_server.url}/rosters/")
    page.evaluate("sessionStorage.clear()")
    page.evaluate(RECORD_THE_LOCK)
    page.set_input_files("#roster-upload input[type=file]", str(roster))
    page.click("#upload-button")
    page.wait_for_selector("#preview-rows")
    lock = page.evaluate("JSON.parse(sessionStorage.getItem('lock'))")
    assert lock == {"text": "正在检查…", "spinner": True, "busy": "true"}
    assert calls == ["花名册.xlsx"]  # the server was asked once
    assert "已检查：1 行（全部）。" in page.locator("#preview-progress").inner_text()


def test_a_second_incompetent_grade_says_removal_proposed_and_links_to_it(page, live_server, world):
    from tests.assessment_helpers import assess, make_reserve
    from tests.conftest import HUAMACHI_VILLAGE
    from yanzhen.accounts.models import User

    county = User.objects.get(username="county")
    someone, _candidacy = make_reserve(county, "王立新", HUAMACHI_VILLAGE)
    assess(county, someone, 2023, 2, "incompetent")
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, live_server, "huamachi")
    page.goto(f"{live_server.url}/assessment/assessments/new/?person={someone.pk}&period=2024H1")
    grade = page.locator("[name=grade]")
    assert grade.input_value() == ""  # nothing pre-selected: the clerk chooses
    grade.select_option("incompetent")
    page.fill("[name=assessed_on]", "2024-07-05")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    message = page.locator(".alert-warning", has_text="已生成出库建议：王立新")
    assert message.count() == 1
    page.screenshot(path=str(SCREENSHOTS / "forms-rule-fired-1366.png"))
    with page.expect_navigation():
        message.get_by_role("link", name="查看建议 →").click()
    assert "/assessment/proposals/" in page.url
    assert "2023年下半年、2024年上半年连续两次考核为“不称职”" in page.locator("#proposal").inner_text()


def test_a_clerk_discards_the_failed_uploads_after_confirming(page, live_server, world, tmp_path):
    from yanzhen.rosters.models import RosterUpload

    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, live_server, "huamachi")
    for name, gender in (("错一.xlsx", "女"), ("错二.xlsx", "女"), ("正确.xlsx", "男")):
        sheet = tmp_path / name
        sheet.write_bytes(xlsx([row("甲", date(1990, 5, 12), 11, gender=gender)]))
        page.goto(f"{live_server.url}/rosters/")
        page.set_input_files("#roster-upload input[type=file]", str(sheet))
        with page.expect_navigation():
            page.click("#upload-button")
    page.goto(f"{live_server.url}/rosters/")
    assert page.locator("#pending-uploads tbody tr").count() == 3
    page.screenshot(path=str(SCREENSHOTS / "forms-rosters-pending-1366.png"))

    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.click("#discard-failed")
    page.wait_for_timeout(300)
    assert questions == ["放弃 2 个有错误的上传？文件将被删除，审计日志保留记录。"]
    assert RosterUpload.objects.count() == 3  # cancelled: nothing happened

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("#discard-failed")
    assert "已放弃有错误的上传：2 个。" in page.locator("main").inner_text()
    assert list(RosterUpload.objects.values_list("file_name", flat=True)) == ["正确.xlsx"]
