"""群众满意度 (issue 20 §2): the survey's anonymity (exact field lists, nothing identifying stored, the limits'
rows unlinked), the limits (one answer per phone, the sum after N answers an hour from one address, the hard
limit), closed and unknown links, the results counted by hand, scoping, the export and the selectors."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone
from openpyxl import load_workbook

from yanzhen.accounts.models import User
from yanzhen.core.audit import AuditEvent
from yanzhen.core.guards import today
from yanzhen.divisions.models import Division
from yanzhen.surveys import limits, selectors, services
from yanzhen.surveys.models import (
    AddressCount,
    Answer,
    DeviceMark,
    Question,
    Response,
    Survey,
    SurveyStatus,
    SurveyVillage,
)

from .conftest import DASHUIKENG_VILLAGE, HUAMACHI_VILLAGE

pytestmark = pytest.mark.django_db

IP = "203.0.113.77"
AGENT = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile/15E148 WeChat/8.0"


def user(name) -> User:
    return User.objects.get(username=name)


def villages_of(township: str) -> list[str]:
    return list(
        Division.objects.filter(parent_id=township)
        .administrative_villages()
        .order_by("code")
        .values_list("code", flat=True)
    )


def survey_input(**overrides) -> services.SurveyInput:
    values = {
        "title": "2026年下半年群众满意度调查",
        "intro": "请您对本村工作进行评价",
        "start": today() - timedelta(days=3),
        "end": today() + timedelta(days=3),
        "satisfaction_questions": ["对村“两委”班子的总体评价", "对村务公开的评价"],
        "yes_no_questions": ["您是否参加过村民代表会议"],
        "villages": [HUAMACHI_VILLAGE, villages_of("640323100")[1]],
    }
    values.update(overrides)
    return services.SurveyInput(**values)


def open_survey(**overrides) -> Survey:
    survey = services.create_survey(actor=user("county"), data=survey_input(**overrides))
    return services.set_status(actor=user("county"), survey=survey, status=SurveyStatus.PUBLISHED)


def member_of(survey: Survey, code: str = HUAMACHI_VILLAGE) -> SurveyVillage:
    return SurveyVillage.objects.get(survey=survey, village_id=code)


def answers_of(survey: Survey, *choices: str) -> dict[str, str]:
    return {f"q{q.pk}": c for q, c in zip(survey.questions.order_by("position"), choices, strict=True)}


def submit(survey, member, choices, *, device, address=IP):
    questions = list(survey.questions.order_by("position"))
    return services.submit_response(
        member=member,
        data=services.Submission(
            answers={q.pk: c for q, c in zip(questions, choices, strict=True)}, device=device, address=address
        ),
    )


def phone(address: str = IP) -> Client:
    return Client(REMOTE_ADDR=address, HTTP_USER_AGENT=AGENT)


def stored():
    return (
        Response.objects.count(),
        Answer.objects.count(),
        DeviceMark.objects.count(),
        sum(AddressCount.objects.values_list("count", flat=True)),
    )


# -- anonymity ---------------------------------------------------------------------------------------------------


def field_names(model) -> list[str]:
    return [f.name for f in model._meta.get_fields() if f.concrete]


def test_the_answer_rows_hold_exactly_these_fields():
    """A field added to an answer's rows (an address, a browser, a user, a time) must fail here."""
    assert field_names(Response) == ["id", "survey_village", "submitted_on"]
    assert Response._meta.get_field("submitted_on").get_internal_type() == "DateField"
    assert field_names(Answer) == ["id", "response", "question", "choice"]
    assert field_names(DeviceMark) == ["id", "survey", "mark", "day"]
    assert field_names(AddressCount) == ["id", "key", "hour", "count"]
    # No history table: simple-history would stamp each answer with its second and its user.
    for model in (Response, Answer, DeviceMark, AddressCount):
        assert not hasattr(model, "history")


def test_an_answer_stores_nothing_that_identifies_the_villager(monkeypatch):
    survey = open_survey()
    sessions = Session.objects.count()
    client = phone()
    response = client.post(f"/s/{member_of(survey).token}/", answers_of(survey, "5", "3", "yes"))
    assert response.status_code == 302 and response["Location"] == f"/s/{member_of(survey).token}/thanks/"
    cookie = client.cookies[limits.DEVICE_COOKIE].value
    factory = RequestFactory()
    factory.cookies[limits.DEVICE_COOKIE] = cookie
    value = limits.device_value(factory.get("/"))
    assert value and len(value) >= 32
    row = Response.objects.get()
    assert (row.survey_village_id, row.submitted_on) == (member_of(survey).pk, today())
    assert sorted(Answer.objects.values_list("question__position", "choice")) == [
        (1, "5"),
        (2, "3"),
        (3, "yes"),
    ]
    mark = DeviceMark.objects.get()
    assert (mark.survey_id, mark.day) == (survey.pk, today())
    assert mark.mark == limits.device_mark(survey.pk, value) and len(mark.mark) == 64
    count = AddressCount.objects.get()
    assert count.count == 1 and count.key == limits.address_key(IP) and len(count.key) == 64
    assert (count.hour.minute, count.hour.second) == (0, 0)
    # Nothing of the address, the browser or the cookie anywhere in these rows; no session made.
    everything = repr(
        [list(model.objects.values()) for model in (Response, Answer, DeviceMark, AddressCount)]
    )
    for secret in (IP, "203.0.113", "iPhone", "WeChat", value, cookie):
        assert secret not in everything
    assert Session.objects.count() == sessions
    # The counter is keyed by the day: tomorrow's key for the same address is another.
    key = limits.address_key(IP)
    monkeypatch.setattr(limits, "today", lambda: today() + timedelta(days=1))
    assert limits.address_key(IP) != key


def test_the_page_shows_the_village_the_title_and_the_limits():
    survey = open_survey()
    response = phone().get(f"/s/{member_of(survey).token}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "花马池镇" in text and survey.title in text and "很不满意" in text and "基本满意" in text
    assert "每部手机限答一次；同一网络一小时内最多 20 份，超过后需回答一道简单算术题" in text
    assert "csrfmiddlewaretoken" in text
    assert 'class="nav' not in text and "sidebar" not in text


def test_the_link_is_random_and_unguessable():
    survey = open_survey()
    tokens = list(SurveyVillage.objects.filter(survey=survey).values_list("token", flat=True))
    assert len(set(tokens)) == 2
    assert all(len(t) == 11 and all(c.isalnum() or c in "-_" for c in t) for t in tokens)


# -- the limits ----------------------------------------------------------------------------------------------------


def test_a_phone_answers_once():
    survey = open_survey()
    client = phone()
    url = f"/s/{member_of(survey).token}/"
    assert client.post(url, answers_of(survey, "5", "4", "no")).status_code == 302
    before = stored()
    again = client.post(url, answers_of(survey, "1", "1", "yes"))
    assert again.status_code == 409
    assert services.ALREADY_ANSWERED in again.content.decode()
    assert stored() == before
    page = client.get(url)
    assert page.status_code == 409 and services.ALREADY_ANSWERED in page.content.decode()
    assert 'name="q' not in page.content.decode()
    # The same phone answers another village's survey of another survey: another mark.
    other = open_survey(title="另一份问卷")
    assert client.post(f"/s/{member_of(other).token}/", answers_of(other, "5", "4", "no")).status_code == 302


def test_a_tampered_cookie_counts_as_a_new_phone_not_an_error():
    survey = open_survey()
    client = phone()
    client.cookies[limits.DEVICE_COOKIE] = "forged"
    assert (
        client.post(f"/s/{member_of(survey).token}/", answers_of(survey, "5", "4", "no")).status_code == 302
    )
    assert client.cookies[limits.DEVICE_COOKIE].value != "forged"


@override_settings(SURVEY_CHALLENGE_AFTER=2, SURVEY_HARD_LIMIT=3)
def test_a_sum_after_n_answers_an_hour_from_one_address_then_the_hard_limit():
    survey = open_survey()
    url = f"/s/{member_of(survey).token}/"
    for _ in range(2):
        assert phone().post(url, answers_of(survey, "5", "4", "no")).status_code == 302
    client = phone()
    page = client.get(url)
    assert page.status_code == 200 and "请计算" in page.content.decode()
    assert "同一网络一小时内最多 2 份" in page.content.decode()
    before = stored()
    refused = client.post(url, answers_of(survey, "5", "4", "no"))
    assert refused.status_code == 400 and services.CHALLENGE_NEEDED in refused.content.decode()
    challenge = refused.context["challenge"]
    total = signing.loads(challenge.signed, salt=limits.CHALLENGE_SALT)["s"]
    wrong = client.post(
        url,
        {**answers_of(survey, "5", "4", "no"), "challenge": challenge.signed, "challenge_answer": total + 1},
    )
    assert wrong.status_code == 400 and services.CHALLENGE_WRONG in wrong.content.decode()
    forged = signing.dumps({"t": member_of(survey).token, "s": 1}, salt="another")
    assert (
        client.post(
            url, {**answers_of(survey, "5", "4", "no"), "challenge": forged, "challenge_answer": "1"}
        ).status_code
        == 400
    )
    assert stored() == before
    right = client.post(
        url, {**answers_of(survey, "5", "4", "no"), "challenge": challenge.signed, "challenge_answer": total}
    )
    assert right.status_code == 302
    # The hard limit: refused outright, the page says so, nothing written.
    before = stored()
    blocked = phone().post(url, answers_of(survey, "5", "4", "no"))
    assert blocked.status_code == 429 and services.TOO_MANY in blocked.content.decode()
    assert phone().get(url).status_code == 429
    assert stored() == before
    # Another address is not held back.
    assert phone("198.51.100.9").post(url, answers_of(survey, "5", "4", "no")).status_code == 302


def test_counters_older_than_a_day_are_pruned():
    old = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=1, hours=1)
    AddressCount.objects.create(key="x" * 64, hour=old, count=5)
    limits.count_answer(IP)
    assert list(AddressCount.objects.values_list("key", "count")) == [(limits.address_key(IP), 1)]


def test_a_missing_answer_is_refused_and_nothing_is_stored():
    survey = open_survey()
    client = phone()
    url = f"/s/{member_of(survey).token}/"
    answers = answers_of(survey, "5", "4", "no")
    first = next(iter(answers))
    del answers[first]
    response = client.post(url, answers)
    assert response.status_code == 400 and "请回答第1题" in response.content.decode()
    bad = client.post(url, {**answers_of(survey, "5", "4", "no"), first: "9"})
    assert bad.status_code == 400 and "第1题的选项无效" in bad.content.decode()
    assert stored() == (0, 0, 0, 0)
    assert client.post(url, answers_of(survey, "5", "4", "no")).status_code == 302


def test_unknown_draft_closed_and_not_yet_open_links():
    assert phone().get("/s/doesnotexist/").status_code == 404
    draft = services.create_survey(actor=user("county"), data=survey_input())
    assert phone().get(f"/s/{member_of(draft).token}/").status_code == 404
    closed = open_survey(title="已结束", start=today() - timedelta(days=9), end=today() - timedelta(days=1))
    page = phone().get(f"/s/{member_of(closed).token}/")
    assert page.status_code == 410 and "本问卷已结束" in page.content.decode()
    assert (
        phone().post(f"/s/{member_of(closed).token}/", answers_of(closed, "5", "4", "no")).status_code == 410
    )
    early = open_survey(title="提前结束")
    services.set_status(actor=user("county"), survey=early, status=SurveyStatus.CLOSED)
    assert phone().get(f"/s/{member_of(early).token}/").status_code == 410
    later = open_survey(title="未开始", start=today() + timedelta(days=1), end=today() + timedelta(days=9))
    page = phone().get(f"/s/{member_of(later).token}/")
    assert (
        page.status_code == 200
        and "开始作答" in page.content.decode()
        and 'name="q' not in page.content.decode()
    )
    with pytest.raises(Http404):
        submit(later, member_of(later), ["5", "4", "no"], device="d")
    assert stored() == (0, 0, 0, 0)


# -- the clerks ------------------------------------------------------------------------------------------------------


def test_only_the_county_writes_a_survey_and_its_rules():
    for name in ("huamachi", "auditor", "cunshuji"):
        with pytest.raises(PermissionDenied):
            services.create_survey(actor=user(name), data=survey_input(villages=[HUAMACHI_VILLAGE]))
    with pytest.raises(Http404):
        services.create_survey(actor=user("outsider"), data=survey_input())
    with pytest.raises(ValidationError) as error:
        services.create_survey(
            actor=user("county"),
            data=survey_input(
                title=" ",
                end=today() - timedelta(days=9),
                satisfaction_questions=[],
                yes_no_questions=[],
                villages=[],
            ),
        )
    assert set(error.value.message_dict) == {"title", "end", "satisfaction_questions", "villages"}
    assert Survey.objects.count() == 0 and Survey.history.count() == 0


def test_questions_change_while_a_draft_only():
    survey = services.create_survey(actor=user("county"), data=survey_input())
    services.update_survey(
        actor=user("county"), survey=survey, data=survey_input(satisfaction_questions=["新问题"])
    )
    assert list(survey.questions.values_list("position", "text", "kind")) == [
        (1, "新问题", "satisfaction"),
        (2, "您是否参加过村民代表会议", "yes_no"),
    ]
    services.set_status(actor=user("county"), survey=survey, status=SurveyStatus.PUBLISHED)
    services.update_survey(
        actor=user("county"), survey=survey, data=survey_input(title="改名", satisfaction_questions=["再改"])
    )
    assert list(survey.questions.values_list("text", flat=True)) == ["新问题", "您是否参加过村民代表会议"]
    survey.refresh_from_db()
    assert survey.title == "改名" and survey.history.first().history_user == user("county")
    with pytest.raises(ValidationError):  # a village already handed its poster stays
        services.update_survey(
            actor=user("county"), survey=survey, data=survey_input(villages=[HUAMACHI_VILLAGE])
        )
    with pytest.raises(ValidationError):
        services.set_status(actor=user("county"), survey=survey, status=SurveyStatus.PUBLISHED)


def hand_counted() -> Survey:
    """村1 (the known village): three sheets (5,4,yes) (3,2,no) (1,2,yes); 村2: one sheet (5,5,no)."""
    survey = open_survey(feeds_rankings=True)
    first, second = member_of(survey), member_of(survey, villages_of("640323100")[1])
    for n, choices in enumerate([["5", "4", "yes"], ["3", "2", "no"], ["1", "2", "yes"]]):
        submit(survey, first, choices, device=f"phone{n}")
    submit(survey, second, ["5", "5", "no"], device="phone9")
    return survey


def test_results_counted_by_hand():
    survey = hand_counted()
    villages, overall = selectors.results(user("county"), survey)
    assert [r.responses for r in villages] == [3, 1]
    first = villages[0]
    assert first.questions[0].counts == [
        ("很满意", 1),
        ("满意", 0),
        ("基本满意", 1),
        ("不满意", 0),
        ("很不满意", 1),
    ]
    assert first.questions[0].satisfaction == Decimal("66.67")
    assert first.questions[1].satisfaction == Decimal("33.33")
    assert first.questions[2].counts == [("是", 2), ("否", 1)] and first.questions[2].satisfaction is None
    assert first.satisfaction == Decimal("50.00")  # 3 of 6
    assert villages[1].satisfaction == Decimal("100.00")
    assert overall.responses == 4 and overall.satisfaction == Decimal("62.50")  # 5 of 8
    assert overall.questions[0].satisfaction == Decimal("75.00")
    # The selectors the villages compared and a monthly item read.
    assert selectors.village_satisfaction(user("county"), "640323", today().year) == {
        HUAMACHI_VILLAGE: Decimal("50.00"),
        villages_of("640323100")[1]: Decimal("100.00"),
    }
    assert selectors.village_satisfaction(user("dashuikeng"), "640323", today().year) == {}
    assert selectors.village_satisfaction(user("county"), "640323", today().year - 1) == {}
    assert selectors.village_satisfaction_in_month(
        user("county"), HUAMACHI_VILLAGE, today().year, today().month
    ) == Decimal("50.00")
    Survey.objects.filter(pk=survey.pk).update(feeds_rankings=False)
    assert selectors.village_satisfaction(user("county"), "640323", today().year) == {}


def test_a_township_sees_its_own_villages_only(client_for):
    survey = hand_counted()
    page = client_for("huamachi").get(f"/surveys/{survey.pk}/")
    assert page.status_code == 200 and "62.50" in page.content.decode()
    assert client_for("dashuikeng").get(f"/surveys/{survey.pk}/").status_code == 404
    assert client_for("dashuikeng").get(f"/surveys/{survey.pk}/results.xlsx").status_code == 404
    assert client_for("outsider").get(f"/surveys/{survey.pk}/").status_code == 404
    secretary = client_for("cunshuji").get(f"/surveys/{survey.pk}/")
    assert secretary.status_code == 200
    assert [r.member.village_id for r in secretary.context["villages"]] == [HUAMACHI_VILLAGE]
    assert secretary.context["overall"].satisfaction == Decimal("50.00")
    assert client_for("huamachi").get(f"/surveys/{survey.pk}/edit/").status_code == 403
    before = list(Survey.objects.values_list("status", flat=True))
    assert client_for("huamachi").post(f"/surveys/{survey.pk}/closed/").status_code == 403
    assert client_for("auditor").post(f"/surveys/{survey.pk}/closed/").status_code == 403
    assert client_for("auditor").get("/surveys/new/").status_code == 403
    assert list(Survey.objects.values_list("status", flat=True)) == before
    poster = client_for("huamachi").get(f"/surveys/{survey.pk}/villages/{HUAMACHI_VILLAGE}/poster/")
    assert poster.status_code == 200 and "<svg" in poster.content.decode()
    assert f"/s/{member_of(survey).token}/" in poster.content.decode()
    assert (
        client_for("cunshuji")
        .get(f"/surveys/{survey.pk}/villages/{villages_of('640323100')[1]}/poster/")
        .status_code
        == 404
    )
    assert (
        client_for("county").get(f"/surveys/{survey.pk}/villages/{DASHUIKENG_VILLAGE}/poster/").status_code
        == 404
    )


def test_the_county_creates_a_survey_from_the_page_over_a_township(client_for):
    client = client_for("county")
    assert client.get("/surveys/new/").status_code == 200
    data = {
        "title": "满意度测评",
        "intro": "",
        "start": today().isoformat(),
        "end": (today() + timedelta(days=10)).isoformat(),
        "satisfaction_questions": "总体评价\n村务公开",
        "yes_no_questions": "",
        "townships": ["640323100"],
    }
    bad = client.post("/surveys/new/", {**data, "end": (today() - timedelta(days=1)).isoformat()})
    assert bad.status_code == 400 and Survey.objects.count() == 0
    response = client.post("/surveys/new/", data)
    survey = Survey.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/surveys/{survey.pk}/"
    assert sorted(survey.villages.values_list("village_id", flat=True)) == villages_of("640323100")
    assert survey.status == SurveyStatus.DRAFT and list(survey.questions.values_list("text", flat=True)) == [
        "总体评价",
        "村务公开",
    ]
    assert client.post(f"/surveys/{survey.pk}/published/").status_code == 302
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.PUBLISHED
    assert client.get("/surveys/").status_code == 200
    assert Question.objects.count() == 2


def test_the_export_counts_and_is_audited(client_for):
    survey = hand_counted()
    events = AuditEvent.objects.count()
    response = client_for("county").get(f"/surveys/{survey.pk}/results.xlsx")
    assert response.status_code == 200
    book = load_workbook(
        BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    )
    rows = [list(r) for r in book["各村满意度"].iter_rows(values_only=True)]
    assert rows[1] == ["乡镇", "村", "答卷份数", "满意度（%）"]
    assert rows[2][1:] == [Division.objects.get(code=HUAMACHI_VILLAGE).name, 3, 50.0]
    assert rows[3][2:] == [1, 100.0]
    assert rows[4] == ["合计", None, 4, 62.5]
    detail = [list(r) for r in book["逐题统计"].iter_rows(values_only=True)]
    assert detail[1][3:10] == ["很满意：1", "满意：0", "基本满意：1", "不满意：0", "很不满意：1", 3, 66.67]
    assert AuditEvent.objects.count() == events + 1
