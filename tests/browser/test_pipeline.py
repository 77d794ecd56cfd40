"""The whole reserve pipeline through the pages, as the clerk of 花马池镇: nominate → 资格审查 → 考察 → 研究确定 →
公示 (the township's batch, with its printable notice) → 在库 → 使用 into a vacant seat."""

from datetime import date

import pytest

from tests.browser.test_pickers import pick
from tests.browser.test_township_clerk import log_in
from yanzhen.candidacies.models import Candidacy
from yanzhen.posts.models import Term

pytestmark = pytest.mark.browser

VILLAGE = "640323100200"


@pytest.fixture
def pipeline_world(world):
    """A person of the village and a vacant secretary seat."""
    from yanzhen.accounts.models import User
    from yanzhen.divisions.models import Division
    from yanzhen.people.idcard import make_id_number
    from yanzhen.people.services import EducationInput, PersonInput, create_person
    from yanzhen.posts.models import PostType
    from yanzhen.posts.services import ensure_seats

    county = User.objects.get(username="county")
    village = Division.objects.get(code=VILLAGE)
    person = create_person(
        actor=county,
        data=PersonInput(
            name="冯晓燕",
            id_number=make_id_number("640323", date(1991, 4, 2), 22),
            village=village,
            political_status="01",
            educations=[EducationInput(kind="full_time", education="21")],
        ),
    )
    [seat] = ensure_seats(
        actor=county, village=village, post_type=PostType.objects.get(code="secretary"), count=1
    )
    return person, seat


def submit_step(page, to: str, fields: dict[str, str]) -> None:
    card = page.locator(f'.yz-step[data-to="{to}"]')
    for name, value in fields.items():
        card.locator(f'[name="{to}-{name}"]').fill(value)
    card.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".alert-success").count() == 1, page.locator("main").inner_text()


def test_the_whole_pipeline_through_the_pages(page, live_server, pipeline_world):
    person, seat = pipeline_world
    log_in(page, live_server, "huamachi")

    # The board, from the navigation.
    page.locator(".yz-sidebar a", has_text="后备力量").click()
    page.wait_for_url(f"{live_server.url}/reserves/")
    page.click("text=推荐人选")
    page.wait_for_url(f"{live_server.url}/reserves/nominate/")

    # 推荐
    pick(page, "id_person", "fxy", "冯晓燕")  # the nominee is picked by typing his pinyin initials
    page.locator('#nomination-form input[name="post_types"]').first.check()  # 村党组织书记 (first key post)
    page.select_option("#id_nomination_way", "village_party")
    page.fill("#id_recommender", "党支部")
    page.select_option("#id_readiness", "ready")
    page.fill("#id_on", "2024-03-01")
    page.locator("#nomination-form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/reserves/*/")
    candidacy = Candidacy.objects.get(person=person)
    assert page.locator("#state").inner_text() == "推荐"

    # 资格审查, 考察, 研究确定: only the allowed next steps are on the page.
    assert page.locator(".yz-step").count() == 1  # one 资格审查 form: its answers decide the outcome
    vetting = page.locator('.yz-step[data-to="vetted"]')
    for index in range(vetting.locator('input[value="clear"]').count()):
        vetting.locator('input[value="clear"]').nth(index).check()
    submit_step(page, "vetted", {"on": "2024-03-05"})
    assert page.locator("#state").inner_text() == "资格审查"
    assert page.locator("#vetting li").count() == 10
    submit_step(
        page,
        "inspected",
        {
            "on": "2024-03-12",
            "inspectors": "花马池镇组织委员、包村领导",
            "people_talked_to": "12",
            "votes_for": "28",
            "votes_against": "1",
            "votes_abstaining": "1",
            "findings": "群众基础好，同意列为后备人选",
        },
    )
    submit_step(page, "decided", {"on": "2024-03-19"})
    assert page.locator("#state").inner_text() == "研究确定"

    # 公示: the township's batch, too short first (nothing happens), then five working days.
    page.goto(f"{live_server.url}/reserves/notices/start/")
    page.fill("#id_start", "2024-03-20")
    page.fill("#id_end", "2024-03-22")
    page.fill("#id_supervision_phone", "0953-6012345")
    page.locator("main form button.btn-danger").click()
    assert "公示期须至少 5 个工作日" in page.content()
    assert Candidacy.objects.get(pk=candidacy.pk).state == "decided"
    page.fill("#id_end", "2024-03-26")
    page.locator("main form button.btn-danger").click()
    page.wait_for_url(f"{live_server.url}/reserves/notices/*/")
    notice = page.locator("#notice").inner_text()
    assert "冯晓燕" in notice and "1991.04" in notice and "中共花马池镇委员会" in notice
    assert "公示期：2024年3月20日至2024年3月26日（5个工作日）" in notice

    # 在库, then 使用 into the vacant secretary seat.
    page.goto(f"{live_server.url}/reserves/{candidacy.pk}/")
    assert page.locator("#state").inner_text() == "公示"
    submit_step(page, "in_pool", {"on": "2024-03-27"})
    assert page.locator("#state").inner_text() == "在库"
    page.goto(f"{live_server.url}/divisions/{VILLAGE}/")
    secretary = page.locator('#village-coverage [data-post="secretary"]')
    assert "冯晓燕" in secretary.inner_text() and secretary.locator(".text-bg-success").count() == 1

    page.goto(f"{live_server.url}/reserves/{candidacy.pk}/")
    card = page.locator('.yz-step[data-to="promoted"]')
    card.locator('[name="promoted-seat"]').select_option(str(seat.pk))
    submit_step(page, "promoted", {"on": "2024-04-10"})
    assert page.locator("#state").inner_text() == "已使用"
    timeline = page.locator("#timeline li")
    assert timeline.count() == 7
    term = Term.objects.get(seat=seat)
    assert (term.person_id, term.start, term.end) == (person.pk, date(2024, 4, 10), None)
