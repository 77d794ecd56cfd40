"""The candidacy pages suggest what is legal and refuse what is irreversible unless confirmed (issue 13 §4):
the 公示 end pre-filled with the earliest legal end (around the National Day holiday of 2024), 入库 on the
day after the notice ends, target posts pre-ticked only where the rules allow, per-item 资格审查 recorded as
无此情形 / 存在此情形, the supervision phone on every notice, confirmations of 出库 / 资格审查不通过 /
异议成立 / 研究未通过 (without them nothing changes), messages with links when a step sets off a rule, and
the wrong field highlighted with what was typed kept."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.utils import timezone

from yanzhen.candidacies.models import (
    Candidacy,
    CountyRules,
    NegativeListItem,
    PublicNotice,
    VettingItem,
)
from yanzhen.candidacies.notice import record_objection

from .candidacies_support import (
    DECIDED_ON,
    NOTICE_END,
    State,
    candidacy_in,
    footprint,
    make_seat,
    nominate,
    post,
    user,
)
from .conftest import HUAMACHI_VILLAGE
from .factories import make_person

pytestmark = pytest.mark.django_db

# 2024: Sunday 29 September is a make-up working day, 1–7 October the National Day holiday. A 公示 of five
# working days starting on Friday 27 September runs 27, 29, 30 September, 8 and 9 October.
HOLIDAY_START = date(2024, 9, 27)
HOLIDAY_END = date(2024, 10, 9)


@pytest.fixture
def today(monkeypatch):
    """Set the app's "today" (timezone.localdate, which `workflow.today` and every date default read)."""

    def set_today(day: date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)

    return set_today


def text(response) -> str:
    return response.content.decode()


def value_of(page: str, name: str) -> str | None:
    """The value attribute of the input named `name` in the page (None when it has none)."""
    tag = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', page)
    assert tag, name
    found = re.search(r'value="([^"]*)"', tag.group(0))
    return found.group(1) if found else None


def tag_of(page: str, name: str) -> str:
    tag = re.search(rf'<(?:input|select|textarea)[^>]*name="{re.escape(name)}"[^>]*>', page)
    assert tag, name
    return tag.group(0)


def all_clear(prefix: str = "vetted-") -> dict[str, str]:
    return {f"{prefix}item_{pk}": "clear" for pk in NegativeListItem.objects.values_list("pk", flat=True)}


# --- the 公示 end and the 入库 date -------------------------------------------------------------------


def test_the_notice_end_defaults_to_the_earliest_legal_end_across_a_holiday(client_for, today):
    candidacy = candidacy_in(State.DECIDED)
    today(HOLIDAY_START)
    page = text(client_for("huamachi").get(f"/reserves/{candidacy.pk}/"))
    assert value_of(page, "in_notice-start") == "2024-09-27"
    assert value_of(page, "in_notice-end") == "2024-10-09"


def test_the_notice_end_default_is_exactly_legal(client_for, today):
    from yanzhen.candidacies.rules import check_notice_period, rules_for

    candidacy = candidacy_in(State.DECIDED)
    rules = rules_for(candidacy.village)
    assert check_notice_period(rules, HOLIDAY_START, HOLIDAY_END) == {}
    assert "最早可于 2024-10-09 结束" in check_notice_period(rules, HOLIDAY_START, date(2024, 10, 8))["end"]
    # Seven working days where the county says so: 27, 29, 30 Sep, 8, 9, 10, 11 Oct.
    CountyRules.objects.create(county_id="640323", notice_working_days=7)
    today(HOLIDAY_START)
    page = text(client_for("huamachi").get(f"/reserves/{candidacy.pk}/"))
    assert value_of(page, "in_notice-end") == "2024-10-11"


def test_the_earliest_end_follows_the_start_on_the_page(client_for):
    client = client_for("huamachi")
    answer = client.get("/reserves/notices/earliest-end/", {"start": "2024-09-27", "in": HUAMACHI_VILLAGE})
    assert answer.json() == {"end": "2024-10-09", "warning": ""}
    assert client.get("/reserves/notices/earliest-end/", {"start": "2024-10-08"}).json() == {
        "end": "2024-10-12",  # 8, 9, 10, 11, and Saturday 12 October (a make-up working day)
        "warning": "",
    }
    assert client.get("/reserves/notices/earliest-end/", {"start": "nonsense"}).json() == {"end": None}
    outside = client.get("/reserves/notices/earliest-end/", {"start": "2024-09-27", "in": "640323101"})
    assert outside.status_code == 404


def test_the_batch_notice_form_has_the_same_defaults(client_for, today):
    candidacy_in(State.DECIDED)
    CountyRules.objects.create(county_id="640323", supervision_phone="0953-6012345")
    today(HOLIDAY_START)
    page = text(client_for("huamachi").get("/reserves/notices/start/"))
    assert value_of(page, "start") == "2024-09-27"
    assert value_of(page, "end") == "2024-10-09"
    assert value_of(page, "supervision_phone") == "0953-6012345"


def test_entering_the_pool_defaults_to_the_day_after_the_notice(client_for, today):
    candidacy = candidacy_in(State.DECIDED)
    CountyRules.objects.create(county_id="640323", supervision_phone="0953-6012345")
    client = client_for("huamachi")
    today(HOLIDAY_START)
    page = text(client.get(f"/reserves/{candidacy.pk}/"))
    # Accept the notice form as it comes: start, end and phone are its defaults.
    data = {
        "in_notice-start": value_of(page, "in_notice-start"),
        "in_notice-end": value_of(page, "in_notice-end"),
        "in_notice-supervision_phone": value_of(page, "in_notice-supervision_phone"),
    }
    assert client.post(f"/reserves/{candidacy.pk}/to/in_notice/", data).status_code == 302
    notice = PublicNotice.objects.get()
    assert (notice.start, notice.end, notice.supervision_phone) == (
        HOLIDAY_START,
        HOLIDAY_END,
        "0953-6012345",
    )
    # Before the end the default is already the first legal day, and the page says from when.
    page = text(client.get(f"/reserves/{candidacy.pk}/"))
    assert value_of(page, "in_pool-on") == "2024-10-10"
    assert "公示期至 2024-10-09 结束，2024-10-10 起方可入库" in page
    # On that day the default is accepted as it is.
    today(date(2024, 10, 10))
    page = text(client.get(f"/reserves/{candidacy.pk}/"))
    assert value_of(page, "in_pool-on") == "2024-10-10"
    assert "起方可入库" not in page
    response = client.post(f"/reserves/{candidacy.pk}/to/in_pool/", {"in_pool-on": "2024-10-10"})
    assert response.status_code == 302
    fresh = Candidacy.objects.get(pk=candidacy.pk)
    assert (fresh.state, fresh.entered_pool_on) == ("in_pool", date(2024, 10, 10))


# --- target posts ----------------------------------------------------------------------------------


def checked_posts(page: str) -> set[str]:
    return {
        match
        for match in re.findall(r'<input type="checkbox" name="post_types" value="(\d+)"[^>]*checked', page)
    }


def test_no_target_is_pre_ticked_before_a_nominee_is_chosen(client_for):
    page = text(client_for("huamachi").get("/reserves/nominate/"))
    assert 'id="target-posts"' in page and checked_posts(page) == set()


def test_an_eligible_nominee_gets_the_key_posts_pre_ticked(client_for, today):
    today(date(2024, 3, 1))
    person = make_person("青年党员", born=date(1990, 5, 12), status="01")
    page = text(client_for("huamachi").get(f"/reserves/nominate/?person={person.pk}"))
    assert checked_posts(page) == {str(post("secretary").pk), str(post("chair").pk)}
    assert "不符合条件" not in page


def test_a_56_year_old_is_not_pre_ticked_for_secretary_and_is_told_why(client_for, today):
    today(date(2024, 3, 1))
    person = make_person("老同志", born=date(1967, 6, 1), status="01")  # 56 on 2024-03-01
    page = text(client_for("huamachi").get(f"/reserves/nominate/?person={person.pk}"))
    assert checked_posts(page) == {str(post("chair").pk)}
    secretary = page[page.index(f'data-post="{post("secretary").pk}"') :]
    secretary = secretary[: secretary.index("</div>\n")]
    assert (
        "不符合条件：村党组织书记后备人选的年龄须在 18 至 45 周岁之间，老同志在 2024-03-01 为 56 周岁"
        in secretary
    )


def test_a_non_member_and_a_post_already_held_are_not_pre_ticked(client_for, today):
    today(date(2024, 3, 1))
    person = make_person("群众", status="13")
    nominate(person, targets=("chair",))
    page = text(client_for("huamachi").get(f"/reserves/nominate/?person={person.pk}"))
    assert checked_posts(page) == set()
    assert "须为中共党员或中共预备党员" in page
    assert "已是本职位的后备人选（当前：推荐）" in page


def test_the_targets_are_drawn_again_for_the_chosen_nominee_and_date(client_for):
    person = make_person("老同志", born=date(1967, 6, 1), status="01")
    client = client_for("huamachi")
    # 44 years old on 2011-06-01: the secretary post is allowed then.
    young = text(client.get("/reserves/nominate/targets/", {"person": person.pk, "on": "2011-06-01"}))
    assert young.startswith('<div id="target-posts"')
    assert checked_posts(young) == {str(post("secretary").pk), str(post("chair").pk)}
    old = text(client.get("/reserves/nominate/targets/", {"person": person.pk, "on": "2024-03-01"}))
    assert checked_posts(old) == {str(post("chair").pk)}
    assert client_for("auditor").get("/reserves/nominate/targets/").status_code == 403
    # Someone outside the clerk's township is no nominee of his: nothing is suggested for him.
    stranger = make_person("外乡人", village="640323101200")
    assert checked_posts(text(client.get("/reserves/nominate/targets/", {"person": stranger.pk}))) == set()


def test_a_refused_nomination_keeps_the_ticked_posts_and_highlights_the_field(client_for):
    person = make_person("老同志", born=date(1967, 6, 1), status="01")
    response = client_for("huamachi").post(
        "/reserves/nominate/",
        {
            "person": person.pk,
            "post_types": [post("secretary").pk],
            "nomination_way": "self",
            "recommender": "本人",
            "pairing": "none",
            "readiness": "ready",
            "on": "2024-03-01",
        },
    )
    page = text(response)
    assert response.status_code == 200 and not Candidacy.objects.exists()
    assert checked_posts(page) == {str(post("secretary").pk)}
    assert "yz-choices is-invalid" in page
    assert value_of(page, "recommender") == "本人" and value_of(page, "on") == "2024-03-01"


# --- 资格审查 ----------------------------------------------------------------------------------------


def test_each_item_is_answered_and_the_record_reads_not_the_case(client_for):
    candidacy = candidacy_in(State.NOMINATED)
    client = client_for("huamachi")
    page = text(client.get(f"/reserves/{candidacy.pk}/"))
    items = NegativeListItem.objects.count()
    assert items == 10
    # Nothing is pre-answered.
    assert page.count('value="clear"') == items and 'value="clear" checked' not in page
    answers = all_clear()
    first = next(iter(answers))
    del answers[first]
    before = footprint(candidacy)
    response = client.post(f"/reserves/{candidacy.pk}/to/vetted/", {"vetted-on": "2024-03-05", **answers})
    page = text(response)
    assert response.status_code == 200 and footprint(candidacy) == before
    assert "请确认本项：无此情形，或存在此情形。" in page
    # The answers given are kept.
    assert page.count('value="clear" class="form-check-input" id=') >= 1
    assert len(re.findall(r'value="clear"[^>]*checked', page)) == items - 1

    response = client.post(f"/reserves/{candidacy.pk}/to/vetted/", {"vetted-on": "2024-03-05", **all_clear()})
    assert response.status_code == 302
    assert Candidacy.objects.get(pk=candidacy.pk).state == "vetted"
    record = text(client.get(f"/reserves/{candidacy.pk}/"))
    vetting = record[record.index('id="vetting"') : record.index("</ul>", record.index('id="vetting"'))]
    assert vetting.count("无此情形") == items and "存在此情形" not in vetting
    assert "✓" not in record and "✗" not in record
    assert "资格审查通过：以上各项均无此情形。" in record
    assert "受过刑事处罚的" in vetting


def test_an_item_found_needs_the_confirmation_then_fails_the_vetting(client_for):
    candidacy = candidacy_in(State.NOMINATED)
    client = client_for("huamachi")
    crime = NegativeListItem.objects.get(name="受过刑事处罚的")
    answers = {**all_clear(), f"vetted-item_{crime.pk}": "found"}
    before = footprint(candidacy)
    response = client.post(f"/reserves/{candidacy.pk}/to/vetted/", {"vetted-on": "2024-03-05", **answers})
    assert response.status_code == 200 and footprint(candidacy) == before
    page = text(response)
    assert "资格审查不通过后不可撤销，请勾选确认。" in page
    assert "is-invalid" in tag_of(page, "vetted-confirm")
    assert 'data-confirm="有项目标记为“存在此情形”' in page

    response = client.post(
        f"/reserves/{candidacy.pk}/to/vetted/",
        {"vetted-on": "2024-03-05", "vetted-confirm": "on", **answers},
    )
    assert response.status_code == 302
    assert Candidacy.objects.get(pk=candidacy.pk).state == "rejected"
    found = VettingItem.objects.get(vetting__candidacy=candidacy, passed=False)
    assert found.item == crime and str(found) == "受过刑事处罚的：存在此情形"
    record = text(client.get(f"/reserves/{candidacy.pk}/"))
    flagged = re.findall(
        r'<li class="list-group-item list-group-item-danger[^"]*yz-found">(.*?)</li>', record
    )
    assert len(flagged) == 1 and "受过刑事处罚的" in flagged[0] and "存在此情形" in flagged[0]
    assert "资格审查不通过。" in record


def test_the_old_rejection_url_needs_an_item_found(client_for):
    candidacy = candidacy_in(State.NOMINATED)
    before = footprint(candidacy)
    response = client_for("huamachi").post(
        f"/reserves/{candidacy.pk}/to/rejected/",
        {"vetted-on": "2024-03-05", "vetted-confirm": "on", **all_clear()},
    )
    assert response.status_code == 200 and "须标记存在此情形" in text(response)
    assert footprint(candidacy) == before


# --- confirmations of the other irreversible steps -------------------------------------------------


def test_removal_needs_the_confirmation(client_for):
    candidacy = candidacy_in(State.IN_POOL)
    client = client_for("huamachi")
    before = footprint(candidacy)
    data = {"removed-reason": "request", "removed-on": "2024-05-06", "removed-note": "本人申请"}
    response = client.post(f"/reserves/{candidacy.pk}/to/removed/", data)
    page = text(response)
    assert response.status_code == 200 and "出库后不可撤销，请勾选确认。" in page
    assert footprint(candidacy) == before
    # What was typed is kept.
    assert 'value="request" selected' in page and "本人申请" in page
    assert 'data-confirm="确定出库吗？此操作不可撤销。"' in page
    response = client.post(f"/reserves/{candidacy.pk}/to/removed/", {**data, "removed-confirm": "on"})
    assert response.status_code == 302
    assert Candidacy.objects.get(pk=candidacy.pk).state == "removed"


def test_an_upheld_objection_needs_the_confirmation(client_for):
    candidacy = candidacy_in(State.IN_NOTICE)
    client = client_for("huamachi")
    objection = record_objection(
        actor=user("county"), candidacy=candidacy, received_on=date(2024, 3, 21), content="反映问题"
    )
    before = footprint(candidacy)
    data = {"rejected-objection": objection.pk, "rejected-on": "2024-03-25", "rejected-resolution": "属实"}
    response = client.post(f"/reserves/{candidacy.pk}/to/rejected/", data)
    assert response.status_code == 200 and "取消资格后不可撤销，请勾选确认。" in text(response)
    assert footprint(candidacy) == before
    response = client.post(f"/reserves/{candidacy.pk}/to/rejected/", {**data, "rejected-confirm": "on"})
    assert response.status_code == 302
    assert Candidacy.objects.get(pk=candidacy.pk).state == "rejected"


def test_not_passing_at_the_committee_needs_the_confirmation(client_for):
    candidacy = candidacy_in(State.INSPECTED)
    client = client_for("huamachi")
    before = footprint(candidacy)
    data = {"rejected-on": DECIDED_ON.isoformat(), "rejected-note": "票数不足"}
    response = client.post(f"/reserves/{candidacy.pk}/to/rejected/", data)
    assert response.status_code == 200 and "研究未通过后不可撤销，请勾选确认。" in text(response)
    assert footprint(candidacy) == before
    assert (
        client.post(f"/reserves/{candidacy.pk}/to/rejected/", {**data, "rejected-confirm": "on"}).status_code
        == 302
    )
    assert Candidacy.objects.get(pk=candidacy.pk).state == "rejected"


def test_the_api_contract_is_unchanged(client_for):
    """The API has no confirmation field: a request there is deliberate (documented in api.py)."""
    candidacy = candidacy_in(State.IN_POOL)
    response = client_for("huamachi").post(
        f"/api/v1/candidacies/{candidacy.pk}/transitions",
        {"to": "removed", "reason": "request", "on": "2024-05-06"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert Candidacy.objects.get(pk=candidacy.pk).state == "removed"


# --- the supervision phone ---------------------------------------------------------------------------


def test_the_notice_form_defaults_to_the_county_phone_and_prints_it(client_for):
    candidacy = candidacy_in(State.DECIDED)
    CountyRules.objects.create(county_id="640323", supervision_phone="0953-6012345")
    client = client_for("huamachi")
    page = text(client.get(f"/reserves/{candidacy.pk}/"))
    assert value_of(page, "in_notice-supervision_phone") == "0953-6012345"
    response = client.post(
        f"/reserves/{candidacy.pk}/to/in_notice/",
        {
            "in_notice-start": "2024-03-20",
            "in_notice-end": "2024-03-26",
            "in_notice-supervision_phone": "0953-1111111",
        },
    )
    assert response.status_code == 302
    notice = PublicNotice.objects.get()
    assert notice.supervision_phone == "0953-1111111"
    assert "监督电话：0953-1111111" in text(client.get(f"/reserves/notices/{notice.pk}/"))


def test_a_notice_without_a_phone_is_refused_and_keeps_the_dates(client_for):
    candidacy = candidacy_in(State.DECIDED)  # the county has set no phone
    client = client_for("huamachi")
    page = text(client.get(f"/reserves/{candidacy.pk}/"))
    assert value_of(page, "in_notice-supervision_phone") is None
    before = footprint(candidacy)
    response = client.post(
        f"/reserves/{candidacy.pk}/to/in_notice/",
        {"in_notice-start": "2024-03-20", "in_notice-end": "2024-03-26", "in_notice-supervision_phone": "  "},
    )
    page = text(response)
    assert response.status_code == 200 and footprint(candidacy) == before
    assert "请填写监督电话，公示须公布监督电话。" in page
    assert "is-invalid" in tag_of(page, "in_notice-supervision_phone")
    assert (
        value_of(page, "in_notice-start") == "2024-03-20" and value_of(page, "in_notice-end") == "2024-03-26"
    )
    batch = client.post(
        "/reserves/notices/start/",
        {"township": "640323100", "start": "2024-03-20", "end": "2024-03-26", "supervision_phone": ""},
    )
    assert batch.status_code == 200 and "请填写监督电话" in text(batch)
    assert footprint(candidacy) == before


def test_the_service_falls_back_to_the_county_phone(client_for):
    """start_notice without a phone (the API) prints the county's."""
    CountyRules.objects.create(county_id="640323", supervision_phone="0953-6012345")
    candidacy = candidacy_in(State.IN_NOTICE)
    assert candidacy.public_notice.supervision_phone == "0953-6012345"


def test_a_wrong_end_is_highlighted_and_the_typed_values_kept(client_for):
    candidacy = candidacy_in(State.DECIDED)
    response = client_for("huamachi").post(
        f"/reserves/{candidacy.pk}/to/in_notice/",
        {
            "in_notice-start": "2024-09-30",
            "in_notice-end": "2024-10-10",
            "in_notice-supervision_phone": "0953-1",
            "in_notice-note": "镇公示栏",
        },
    )
    page = text(response)
    assert "最早可于 2024-10-11 结束" in page
    assert "is-invalid" in tag_of(page, "in_notice-end") and "is-invalid" not in tag_of(
        page, "in_notice-start"
    )
    assert value_of(page, "in_notice-end") == "2024-10-10" and "镇公示栏" in page


# --- what a step set off ------------------------------------------------------------------------------


def test_entering_the_pool_says_the_key_post_is_covered_with_a_link(client_for):
    candidacy = candidacy_in(State.IN_NOTICE)
    client = client_for("huamachi")
    response = client.post(f"/reserves/{candidacy.pk}/to/in_pool/", {"in_pool-on": "2024-03-27"}, follow=True)
    page = text(response)
    assert "的村党组织书记岗位已有在库后备人选（一村一职一备）" in page
    assert f'href="/divisions/{HUAMACHI_VILLAGE}/#village-coverage">查看本村后备人选 →</a>' in page


def test_promoting_says_the_term_started_and_the_post_lost_its_reserve(client_for):
    candidacy = candidacy_in(State.IN_POOL)
    seat = make_seat()
    response = client_for("huamachi").post(
        f"/reserves/{candidacy.pk}/to/promoted/",
        {"promoted-seat": seat.pk, "promoted-on": "2024-04-10"},
        follow=True,
    )
    page = text(response)
    assert f"已任{seat}，任期自 2024-04-10 起。" in page
    assert "的村党组织书记岗位已没有在库的后备人选，请及时推荐。" in page
    assert f'href="/divisions/{HUAMACHI_VILLAGE}/">查看村班子 →</a>' in page


def test_starting_a_notice_links_to_its_print(client_for):
    candidacy = candidacy_in(State.DECIDED)
    response = client_for("huamachi").post(
        f"/reserves/{candidacy.pk}/to/in_notice/",
        {
            "in_notice-start": "2024-03-20",
            "in_notice-end": NOTICE_END.isoformat(),
            "in_notice-supervision_phone": "1",
        },
        follow=True,
    )
    notice = PublicNotice.objects.get()
    assert f'href="/reserves/notices/{notice.pk}/">打印公示 →</a>' in text(response)


def test_an_objection_defaults_to_a_day_of_the_notice(client_for, today):
    candidacy = candidacy_in(State.IN_NOTICE)  # 2024-03-20 to 2024-03-26
    client = client_for("huamachi")
    today(date(2024, 3, 22))
    assert value_of(text(client.get(f"/reserves/{candidacy.pk}/")), "objection-received_on") == "2024-03-22"
    today(date(2024, 3, 27))
    assert value_of(text(client.get(f"/reserves/{candidacy.pk}/")), "objection-received_on") == "2024-03-26"
