"""Type-ahead pickers in the browser, at a desk (1366×768) and on a phone (390×844), as the clerk of 花马池镇:
open a training, enrol a whole village, pick one more person by typing his pinyin initials; pick a nominee
by typing. The dropdown stays inside the screen."""

from datetime import date

import pytest

from tests.browser.test_township_clerk import log_in

pytestmark = pytest.mark.browser

VILLAGE = "640323100200"  # 长城村委会 of 花马池镇
OTHER_VILLAGE = "640323100201"  # 沟沿村委会
SIZES = {"1366": (1366, 768), "390": (390, 844)}
SCREENSHOTS = "docs/screenshots"


def pick(page, select_id: str, typed: str, choose: str, screenshot: str = "") -> None:
    """Type into the Tom Select that replaced <select id=select_id> and click the option reading `choose`."""
    page.locator(f".ts-wrapper:has(#{select_id}-ts-control) .ts-control").click()
    page.locator(f"#{select_id}-ts-control").focus()  # a second click on an open control closes it
    page.keyboard.type(typed, delay=60)
    # Let the debounced search of the whole text go out and come back before choosing.
    page.wait_for_timeout(400)
    page.locator(".ts-wrapper.loading").wait_for(state="detached")
    option = page.locator(f"#{select_id}-ts-dropdown .option", has_text=choose)
    option.first.wait_for()
    dropdown = page.locator(f"#{select_id}-ts-dropdown").bounding_box()
    width = page.viewport_size["width"]
    assert dropdown["x"] >= 0 and dropdown["x"] + dropdown["width"] <= width, dropdown
    if screenshot:
        page.screenshot(path=screenshot)
    option.first.click()


@pytest.fixture
def picker_world(world):
    """Three reserves in the pool in 长城村委会, 彭友国 of 沟沿村委会 with an archive only, a training of 花马池镇."""
    from yanzhen.accounts.models import User
    from yanzhen.candidacies.models import Candidacy, CandidacyState
    from yanzhen.cultivation.services import TrainingInput, create_training
    from yanzhen.divisions.models import Division
    from yanzhen.people.idcard import make_id_number
    from yanzhen.people.services import PersonInput, create_person

    county = User.objects.get(username="county")

    def person(name, village, number):
        return create_person(
            actor=county,
            data=PersonInput(
                name=name,
                id_number=make_id_number("640323", date(1990, 5, number), number),
                village=Division.objects.get(code=village),
                political_status="01",
            ),
        )

    reserves = [person(name, VILLAGE, n) for n, name in enumerate(["祝心灵", "冯晓燕", "马振华"], start=1)]
    for reserve in reserves:
        Candidacy.objects.create(
            person=reserve,
            village=reserve.village,
            state=CandidacyState.IN_POOL,
            nomination_way="self",
            nominated_on=date(2023, 10, 1),
            entered_pool_on=date(2024, 1, 1),
        )
    extra = person("彭友国", OTHER_VILLAGE, 9)
    training = create_training(
        actor=User.objects.get(username="huamachi"),
        data=TrainingInput(
            name="花马池镇后备力量冬训班",
            organiser="花马池镇党委",
            division=Division.objects.get(code="640323100"),
            kind="township_school",
            start=date(2026, 12, 14),
            end=date(2026, 12, 16),
            hours=24,
            place="花马池镇党校",
        ),
    )
    return reserves, extra, training


@pytest.mark.parametrize("size", SIZES)
def test_enrol_a_whole_village_then_one_more_by_pinyin(browser, live_server, picker_world, size):
    from yanzhen.cultivation.models import Enrolment

    reserves, extra, training = picker_world
    context = browser.new_context(
        locale="zh-CN", viewport=dict(zip(("width", "height"), SIZES[size], strict=True))
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, live_server, "huamachi")

    page.goto(f"{live_server.url}/cultivation/trainings/")
    page.click("text=花马池镇后备力量冬训班")
    page.wait_for_url(f"{live_server.url}/cultivation/trainings/{training.pk}/")
    page.click("text=报名学员")
    page.wait_for_url(f"{live_server.url}/cultivation/trainings/{training.pk}/enrol/")

    # A whole village: pick it by typing, count its reserves, confirm.
    pick(page, "id_unit", "长城", "长城村委会")
    page.click("#unit-count")
    page.wait_for_url(f"**/enrol/?unit={VILLAGE}")
    assert page.locator("#unit-plan p").first.inner_text() == "长城村委会：在库后备力量 3 人，将报名 3 人。"
    page.locator("#unit-plan").scroll_into_view_if_needed()
    page.screenshot(path=f"{SCREENSHOTS}/pickers-enrol-village-{size}.png")
    page.click("#unit-confirm")
    page.wait_for_url(f"{live_server.url}/cultivation/trainings/{training.pk}/")
    assert "长城村委会：已报名 3 人。" in page.locator(".alert-success").inner_text()
    enrolled = set(Enrolment.objects.filter(training=training).values_list("person_id", flat=True))
    assert enrolled == {reserve.pk for reserve in reserves}

    # One more, by his pinyin initials.
    page.click("text=报名学员")
    page.wait_for_url(f"{live_server.url}/cultivation/trainings/{training.pk}/enrol/")
    pick(page, "id_people", "pyg", "彭友国", screenshot=f"{SCREENSHOTS}/pickers-enrol-typed-{size}.png")
    page.locator("#enrol-people button.btn-danger").click()
    page.wait_for_url(f"{live_server.url}/cultivation/trainings/{training.pk}/")
    assert "已报名 1 人。" in page.locator(".alert-success").inner_text()
    enrolled = set(Enrolment.objects.filter(training=training).values_list("person_id", flat=True))
    assert enrolled == {reserve.pk for reserve in reserves} | {extra.pk}
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_pick_a_nominee_by_typing(browser, live_server, picker_world, size):
    from yanzhen.candidacies.models import Candidacy

    _reserves, extra, _training = picker_world
    context = browser.new_context(
        locale="zh-CN", viewport=dict(zip(("width", "height"), SIZES[size], strict=True))
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, live_server, "huamachi")
    page.goto(f"{live_server.url}/reserves/nominate/")
    tail = extra.id_number_masked[-4:]
    page.locator(".ts-wrapper:has(#id_person-ts-control) .ts-control").click()
    page.keyboard.type("zzz", delay=60)
    page.locator("#id_person-ts-dropdown .no-results", has_text="无匹配结果").wait_for()
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    pick(page, "id_person", tail, "彭友国", screenshot=f"{SCREENSHOTS}/pickers-nominee-{size}.png")
    page.select_option("#id_nomination_way", "village_party")
    page.fill("#id_on", "2026-12-01")
    page.locator("#nomination-form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/reserves/*/")
    assert Candidacy.objects.get(person=extra).state == "nominated"
    context.close()
