"""Reminders (issue 20 §1): `yanzhen remind` twice sends once; the SMS adapter against a local fake gateway
(127.0.0.1 only), its failures logged as not delivered; e-mail through Django's mail; each user's choices
respected; a message names a person and holds no ID number or phone; the preferences page."""

from __future__ import annotations

import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from yanzhen.core import crypto
from yanzhen.people.services import mask_phone
from yanzhen.todos import services
from yanzhen.todos.models import Delivery, Message, ReminderChoice, ReminderProfile
from yanzhen.todos.services import PreferencesInput

from .candidacies_support import candidacy_in, user
from .factories import make_person

pytestmark = pytest.mark.django_db

AFTER_NOTICE = date(2024, 3, 27)
PHONE = "13912345678"  # the clerk's own
PERSON_PHONE = "13698765432"  # the reserve's


def remind(*args: str) -> str:
    out = StringIO()
    call_command("remind", "--date", f"{AFTER_NOTICE:%Y-%m-%d}", *args, stdout=out)
    return out.getvalue()


def ended_notice(name: str = "马公示"):
    """A reserve (with a phone in the archive) whose notice ended before AFTER_NOTICE."""
    person = make_person(name)
    person.phone_encrypted = crypto.encrypt(PERSON_PHONE)
    person.phone_masked = mask_phone(PERSON_PHONE)
    person.save()
    return candidacy_in("in_notice", person)


def choose(username: str, wanted: set[tuple[str, str]], **contacts) -> None:
    services.save_preferences(actor=user(username), data=PreferencesInput(wanted=wanted, **contacts))


# -- remind: in the app, once a day ---------------------------------------------------------------------------


def test_remind_twice_sends_once():
    ended_notice()
    first = remind()
    assert "huamachi\tin_app\tnotices-ended\tsent\t待办提醒：公示期满待入库（1）：马公示" in first
    assert first.strip().endswith(
        "2024-03-27: 2 reminders sent（已发送）, 0 failed（失败）"
    )  # huamachi, county
    [message] = Message.objects.filter(user=user("huamachi"))
    assert message.rule == "notices-ended" and message.read_at is None
    assert message.url.startswith("/reserves/")
    assert Delivery.objects.filter(delivered=True).count() == 2
    second = remind()
    assert second.strip() == "2024-03-27: 0 reminders sent（已发送）, 0 failed（失败）"
    assert Message.objects.count() == 2 and Delivery.objects.count() == 2
    assert Message.objects.filter(user=user("dashuikeng")).count() == 0


def test_new_items_on_the_same_day_are_reminded_again_once():
    ended_notice()
    remind()
    ended_notice("马公示二")
    assert "2 reminders sent" in remind()
    assert "0 reminders sent" in remind()
    assert Message.objects.filter(user=user("huamachi")).count() == 2


def test_a_dry_run_prints_and_sends_nothing():
    ended_notice()
    out = remind("--dry-run")
    assert "huamachi\tin_app\tnotices-ended\twould send\t待办提醒：公示期满待入库（1）：马公示" in out
    assert "2 reminders would be sent（将发送）" in out
    assert Message.objects.count() == 0 and Delivery.objects.count() == 0


def test_a_bad_date_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="日期“2024-13-01”有误"):
        call_command("remind", "--date", "2024-13-01", stdout=StringIO())


def test_the_message_names_the_person_and_holds_no_number():
    candidacy = ended_notice()
    remind()
    message = Message.objects.get(user=user("huamachi"))
    delivery = Delivery.objects.get(user=user("huamachi"))
    person = candidacy.person
    for text in (message.text, delivery.text):
        assert "马公示" in text
        for secret in (person.reveal_id_number(), person.id_number_masked, PERSON_PHONE, person.phone_masked):
            assert secret not in text
        assert person.reveal_id_number()[-4:] not in text


def test_a_user_who_turned_a_rule_off_is_not_reminded_of_it():
    ended_notice()
    choose("huamachi", set())  # nothing wanted
    remind()
    assert Message.objects.filter(user=user("huamachi")).count() == 0
    assert Message.objects.filter(user=user("county")).count() == 1


# -- SMS through a local fake gateway ------------------------------------------------------------------------------


class FakeGateway:
    """An HTTP server on 127.0.0.1 (never an outside address) answering each POST with `status` and `answer`,
    keeping the bodies it was sent."""

    def __init__(self, status: int = 200, answer: dict | None = None) -> None:
        self.bodies: list[dict] = []
        self.paths: list[str] = []
        gateway = self
        status_code = status
        body = json.dumps(answer if answer is not None else {"code": 0, "message": "ok"}).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                length = int(self.headers["Content-Length"])
                gateway.bodies.append(json.loads(self.rfile.read(length)))
                gateway.paths.append(self.path)
                self.send_response(status_code)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/sms/send"

    def __enter__(self) -> FakeGateway:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def sms_settings(gateway: FakeGateway):
    return override_settings(
        REMIND_CHANNELS=["in_app", "sms"],
        SMS_URL=gateway.url,
        SMS_ACCOUNT="yanchi-zzb",
        SMS_KEY="secret-key",
        SMS_SIGN="【研真】",
    )


def test_an_sms_goes_to_the_gateway_with_the_users_phone():
    candidacy = ended_notice()
    choose("huamachi", {("notices-ended", "sms"), ("notices-ended", "in_app")}, phone=PHONE)
    with FakeGateway() as gateway, sms_settings(gateway):
        out = remind()
        assert "huamachi\tsms\tnotices-ended\tsent" in out
        assert gateway.paths == ["/sms/send"]
        [body] = gateway.bodies
    assert body == {
        "account": "yanchi-zzb",
        "key": "secret-key",
        "mobile": PHONE,
        "content": f"【研真】待办提醒：公示期满待入库（1）：马公示（{candidacy.village.name}）公示期满，待研究入库。"
        "请登录系统办理。",
    }
    assert PERSON_PHONE not in body["content"]
    sms = Delivery.objects.get(user=user("huamachi"), channel="sms")
    assert (sms.delivered, sms.error, sms.day) == (True, "", AFTER_NOTICE)
    # Again the same day: the gateway is not called twice.
    with FakeGateway() as gateway, sms_settings(gateway):
        remind()
        assert gateway.bodies == []


def test_a_gateway_failure_is_logged_as_not_delivered():
    ended_notice()
    choose("huamachi", {("notices-ended", "sms")}, phone=PHONE)
    with FakeGateway(status=500) as gateway, sms_settings(gateway):
        out = remind()
    assert "huamachi\tsms\tnotices-ended\tfailed: 短信网关答复 HTTP 500" in out
    assert "1 failed（失败）" in out
    sms = Delivery.objects.get(user=user("huamachi"), channel="sms")
    assert (sms.delivered, sms.error) == (False, "短信网关答复 HTTP 500")


def test_a_gateway_refusal_in_its_answer_is_logged():
    ended_notice()
    choose("huamachi", {("notices-ended", "sms")}, phone=PHONE)
    with FakeGateway(answer={"code": 40001, "message": "余额不足"}) as gateway, sms_settings(gateway):
        remind()
    sms = Delivery.objects.get(user=user("huamachi"), channel="sms")
    assert (sms.delivered, sms.error) == (False, "短信网关拒绝（40001）：余额不足")


def test_an_unreachable_gateway_is_logged():
    ended_notice()
    choose("huamachi", {("notices-ended", "sms")}, phone=PHONE)
    with FakeGateway() as gateway:
        url = gateway.url
    with override_settings(REMIND_CHANNELS=["sms"], SMS_URL=url):  # the server is closed
        remind()
    sms = Delivery.objects.get(user=user("huamachi"), channel="sms")
    assert sms.delivered is False and sms.error.startswith("短信网关无法连接")


def test_sms_is_not_sent_where_the_deployment_did_not_turn_it_on():
    ended_notice()
    choose("huamachi", {("notices-ended", "sms")}, phone=PHONE)
    with FakeGateway() as gateway, override_settings(SMS_URL=gateway.url):  # REMIND_CHANNELS: in_app
        remind()
        assert gateway.bodies == []
    assert not Delivery.objects.filter(channel="sms").exists()


# -- e-mail --------------------------------------------------------------------------------------------------------


@override_settings(
    REMIND_CHANNELS=["in_app", "email"],
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    REMIND_SITE_URL="https://yanzhen.example.cn",
)
def test_an_email_goes_to_the_users_address():
    ended_notice()
    choose("huamachi", {("notices-ended", "email")}, email="clerk@yanchi.example.cn")
    remind()
    [sent] = mail.outbox
    assert sent.to == ["clerk@yanchi.example.cn"]
    assert sent.subject == "研真：待办提醒"
    assert "马公示" in sent.body and "https://yanzhen.example.cn/reserves/" in sent.body
    assert Delivery.objects.get(channel="email").delivered is True


# -- preferences ------------------------------------------------------------------------------------------------------


def test_preferences_keep_the_phone_encrypted_and_refuse_bad_input(client_for):
    clerk = client_for("huamachi")
    page = clerk.get("/todos/preferences/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="want:notices-ended:in_app" id="id_want:notices-ended:in_app" aria-label' in html
    refused = clerk.post("/todos/preferences/", {"want:notices-ended:sms": "on", "phone": "12345"})
    assert refused.status_code == 422
    assert "手机号应为 11 位数字，以 1 开头" in refused.content.decode()
    refused = clerk.post("/todos/preferences/", {"want:notices-ended:sms": "on"})
    assert "选择短信提醒须填写手机号" in refused.content.decode()
    refused = clerk.post("/todos/preferences/", {"want:notices-ended:email": "on", "email": "not-an-address"})
    assert "电子邮箱格式不正确" in refused.content.decode()
    assert ReminderChoice.objects.count() == 0 and ReminderProfile.objects.count() == 0
    saved = clerk.post(
        "/todos/preferences/", {"want:notices-ended:sms": "on", "want:rota-gaps:in_app": "on", "phone": PHONE}
    )
    assert saved.status_code == 302
    profile = ReminderProfile.objects.get(user=user("huamachi"))
    assert PHONE not in profile.phone_encrypted and profile.phone() == PHONE
    assert profile.phone_masked == "139****5678"
    wanted = set(
        ReminderChoice.objects.filter(user=user("huamachi"), wanted=True).values_list("rule", "channel")
    )
    assert wanted == {("notices-ended", "sms"), ("rota-gaps", "in_app")}
    assert ReminderChoice.history.filter(user=user("huamachi")).first().history_user == user("huamachi")
    again = clerk.get("/todos/preferences/").content.decode()
    assert "139****5678" in again and PHONE not in again


def test_reading_the_inbox(client_for):
    ended_notice()
    remind()
    clerk = client_for("huamachi")
    page = clerk.get("/todos/").content.decode()
    assert 'id="inbox"' in page and "待办提醒：公示期满待入库（1）：马公示" in page
    assert clerk.post("/todos/messages/read/").status_code == 302
    assert Message.objects.get(user=user("huamachi")).read_at is not None
    assert Message.objects.get(user=user("county")).read_at is None
