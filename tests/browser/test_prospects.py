"""雏雁计划 in the browser, as the clerk of 花马池镇: from the township's hometown meeting (invite a prospect by
typing, tick that he came) to his page, where the meeting is in his contact log; 推荐为后备人选, the ID number
typed, the nomination form opens with his new archive chosen; he is nominated, and the candidacy page says he
came from 雏雁计划 with a link back to his contact log."""

from datetime import date

import pytest

from tests.browser.support import log_in
from tests.browser.test_pickers import pick

pytestmark = pytest.mark.browser

VILLAGE = "640323100200"


def test_from_a_hometown_meeting_to_a_nomination(page, live_server, world):
    from yanzhen.accounts.models import User
    from yanzhen.candidacies.models import Candidacy
    from yanzhen.core.guards import today
    from yanzhen.divisions.models import Division
    from yanzhen.people.idcard import make_id_number
    from yanzhen.people.models import Person
    from yanzhen.prospects import services
    from yanzhen.prospects.models import Prospect

    clerk = User.objects.get(username="huamachi")
    prospect = services.create_prospect(
        actor=clerk,
        data=services.ProspectInput(
            name="马振华",
            village=Division.objects.get(code=VILLAGE),
            category="entrepreneur",
            city="银川市",
            occupation="经营建材批发",
            phone="13912345678",
            returning=True,
        ),
    )
    event = services.create_event(
        actor=clerk,
        data=services.EventInput(
            organiser=Division.objects.get(code=VILLAGE[:9]),
            kind="meeting",
            title="端午乡友恳谈会",
            held_on=today(),
        ),
    )

    log_in(page, live_server, "huamachi")
    page.goto(f"{live_server.url}/prospects/events/")
    page.get_by_role("link", name="端午乡友恳谈会").click()
    page.wait_for_url(f"**/prospects/events/{event.pk}/")
    pick(page, "id_prospects", "马振华", "马振华")
    with page.expect_navigation():
        page.locator("#invite-form button").click()
    assert "已邀请。" in page.locator("main").inner_text()
    page.locator("#attendance").get_by_label("出席", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="登记出席").click()
    assert "出席情况已登记（1 人有变化）。" in page.locator("main").inner_text()

    page.locator("#attendance").get_by_role("link", name="马振华").click()
    page.wait_for_url(f"**/prospects/{prospect.pk}/")
    log = page.locator("#contact-log").inner_text()
    assert "座谈" in log and "端午乡友恳谈会" in log
    assert "139****5678" in page.locator("#details").inner_text()

    page.locator("#convert").click()
    page.wait_for_url(f"**/prospects/{prospect.pk}/convert/")
    page.fill("#id_id_number", make_id_number("640323", date(1988, 4, 9), 7))
    page.select_option("#id_political_status", "01")
    page.get_by_role("button", name="保存并推荐").click()
    page.wait_for_url(f"{live_server.url}/reserves/nominate/?person=*")
    person = Person.objects.get(name="马振华")
    assert page.locator("#id_person").input_value() == str(person.pk)
    assert "马振华 已关联人员档案。下一步：填写推荐信息。" in page.locator("main").inner_text()
    page.select_option("#id_nomination_way", "township_party")
    page.locator("#nomination-form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/reserves/*/")
    candidacy = Candidacy.objects.get(person=person)
    assert page.url == f"{live_server.url}/reserves/{candidacy.pk}/"
    origin = page.locator("#prospect-origin")
    assert "来自雏雁计划" in origin.inner_text()
    origin.get_by_role("link").click()
    page.wait_for_url(f"**/prospects/{prospect.pk}/#contacts")
    assert Prospect.objects.get(pk=prospect.pk).person == person
    assert prospect.contacts.count() == 1
