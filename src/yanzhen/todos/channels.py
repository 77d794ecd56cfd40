"""The channels a reminder travels by. In the app always (a `Message`); SMS through the government SMS
gateway (an HTTP POST) and e-mail through Django's mail, each only where the deployment turns it on:

    YANZHEN_REMIND_CHANNELS=in_app,sms,email     (default: in_app)
    YANZHEN_SMS_URL=https://sms.example.gov.cn/api/send   the gateway's address
    YANZHEN_SMS_ACCOUNT=…  YANZHEN_SMS_KEY=…               the account and key it gave the county
    YANZHEN_SMS_SIGN=【研真】                               the signature it prefixes (optional)
    YANZHEN_EMAIL_HOST=…  (Django's EMAIL_* settings, see settings.py)

Each channel's `send(user, text, url, rule)` answers (delivered, error); it never raises for a failure of the far
end, so one broken gateway does not stop the other reminders. The text carries names only: no ID number or
phone goes into a message (the rules' titles are written so; `tests/test_reminders.py` checks).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.mail import send_mail

from yanzhen.todos.models import Channel, Message, ReminderProfile

if TYPE_CHECKING:
    from yanzhen.accounts.models import User

SMS_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    error: str = ""


class Sender(Protocol):
    channel: Channel

    def address_of(self, user: User) -> str:
        """Where the user gets this channel's messages; "" when he has given none (nothing is sent)."""
        ...

    def send(self, user: User, text: str, url: str, rule: str = "") -> Outcome: ...


class InApp:
    channel = Channel.IN_APP

    def address_of(self, user: User) -> str:
        return str(user.pk)

    def send(self, user: User, text: str, url: str, rule: str = "") -> Outcome:
        Message.objects.create(user=user, rule=rule, text=text[:500], url=url[:300])
        return Outcome(True)


class Sms:
    """The government SMS gateway: a JSON POST {account, key, mobile, content}; it answers JSON with
    `code` 0 (or HTTP 2xx without a code) for accepted."""

    channel = Channel.SMS

    def address_of(self, user: User) -> str:
        profile = ReminderProfile.objects.filter(user=user).first()
        return profile.phone() if profile is not None else ""

    def send(self, user: User, text: str, url: str, rule: str = "") -> Outcome:
        mobile = self.address_of(user)
        if not mobile:
            return Outcome(False, "未填写接收短信的手机号")
        body = json.dumps(
            {
                "account": settings.SMS_ACCOUNT,
                "key": settings.SMS_KEY,
                "mobile": mobile,
                "content": f"{settings.SMS_SIGN}{text}",
            },
            ensure_ascii=False,
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - the deployment's own gateway address
            settings.SMS_URL, data=body, method="POST", headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=SMS_TIMEOUT_SECONDS) as response:  # noqa: S310
                answer = response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as failure:
            return Outcome(False, f"短信网关答复 HTTP {failure.code}")
        except (urllib.error.URLError, TimeoutError, OSError) as failure:
            return Outcome(False, f"短信网关无法连接：{str(failure)[:200]}")
        return _gateway_outcome(answer)


def _gateway_outcome(answer: str) -> Outcome:
    try:
        parsed = json.loads(answer) if answer.strip() else {}
    except ValueError:
        return Outcome(False, f"短信网关答复无法识别：{answer[:200]}")
    code = parsed.get("code", 0) if isinstance(parsed, dict) else 0
    if str(code) == "0":
        return Outcome(True)
    message = parsed.get("message", "") if isinstance(parsed, dict) else ""
    return Outcome(False, f"短信网关拒绝（{code}）：{str(message)[:200]}")


class Email:
    channel = Channel.EMAIL

    def address_of(self, user: User) -> str:
        return user.email or ""

    def send(self, user: User, text: str, url: str, rule: str = "") -> Outcome:
        if not user.email:
            return Outcome(False, "账号未填写电子邮箱")
        link = f"{settings.REMIND_SITE_URL}{url}" if settings.REMIND_SITE_URL else url
        try:
            send_mail("研真：待办提醒", f"{text}\n\n{link}", None, [user.email])
        except (OSError, ValueError) as failure:  # SMTP errors are OSErrors
            return Outcome(False, f"邮件发送失败：{str(failure)[:200]}")
        return Outcome(True)


SENDERS: dict[str, type[Sender]] = {Channel.IN_APP: InApp, Channel.SMS: Sms, Channel.EMAIL: Email}


def enabled() -> list[Sender]:
    """The channels this deployment turned on (in the app always, first)."""
    names = [Channel.IN_APP.value] + [
        name for name in settings.REMIND_CHANNELS if name in SENDERS and name != Channel.IN_APP
    ]
    return [SENDERS[name]() for name in dict.fromkeys(names)]
