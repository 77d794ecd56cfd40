"""The abuse limits of the public answer page, in one place, and stated on the page (`STATEMENT`).

- One answer per phone and survey: the phone keeps a random value in a signed cookie; the database keeps only
  a keyed HMAC of it with the survey and the day (`DeviceMark`), never the value, never a link to the response.
- Per network address and hour: a counter keyed by an HMAC of the address under a key that changes every day
  (`AddressCount`), pruned after a day, never linked to a response. After `challenge_after()` answers in the
  hour the page asks a simple sum (signed with django.core.signing, checked on submit); from `hard_limit()`
  answers on it refuses.

The counts live in the database, so they hold with several app servers. The address is `core.audit.client_ip`
(REMOTE_ADDR, which the reverse proxy of a deployment overwrites), as everywhere else in the app."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from yanzhen.core.guards import today

DEVICE_COOKIE = "yz_survey_device"
DEVICE_SALT = "yanzhen.surveys.device"
CHALLENGE_SALT = "yanzhen.surveys.challenge"
CHALLENGE_MAX_AGE = 60 * 60  # seconds
DEVICE_COOKIE_AGE = 60 * 60 * 24 * 400


def challenge_after() -> int:
    """Answers from one address in an hour before the page asks a sum (YANZHEN_SURVEY_CHALLENGE_AFTER)."""
    return int(getattr(settings, "SURVEY_CHALLENGE_AFTER", 20))


def hard_limit() -> int:
    """Answers from one address in an hour from which the page refuses (YANZHEN_SURVEY_HARD_LIMIT)."""
    return int(getattr(settings, "SURVEY_HARD_LIMIT", 100))


def statement() -> str:
    return (
        f"每部手机限答一次；同一网络一小时内最多 {challenge_after()} 份，超过后需回答一道简单算术题，"
        f"超过 {hard_limit()} 份暂停作答。问卷不记录姓名、电话和网络地址。"
    )


# -- the device ------------------------------------------------------------------------------------------------


def new_device_value() -> str:
    return secrets.token_urlsafe(24)


def device_value(request) -> str | None:
    """The phone's random value from its signed cookie, or None (none yet, or tampered with)."""
    return request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT)


def remember_device(response, value: str) -> None:
    response.set_signed_cookie(
        DEVICE_COOKIE,
        value,
        salt=DEVICE_SALT,
        max_age=DEVICE_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def device_mark(survey_id: int, value: str) -> str:
    """The keyed HMAC kept for a phone's answer to a survey (the cookie value itself is never stored)."""
    return salted_hmac(DEVICE_SALT, f"{survey_id}:{value}", algorithm="sha256").hexdigest()


# -- the address -----------------------------------------------------------------------------------------------


def _hour(now: datetime | None = None) -> datetime:
    return (now or timezone.now()).replace(minute=0, second=0, microsecond=0)


def address_key(address: str | None) -> str:
    """The address's HMAC under a key of the day: tomorrow's counters cannot be joined with today's."""
    return salted_hmac(
        f"yanzhen.surveys.address.{today():%Y%m%d}", address or "-", algorithm="sha256"
    ).hexdigest()


def answers_this_hour(address: str | None) -> int:
    from yanzhen.surveys.models import AddressCount

    row = (
        AddressCount.objects.filter(key=address_key(address), hour=_hour())
        .values_list("count", flat=True)
        .first()
    )
    return row or 0


def count_answer(address: str | None) -> None:
    """One more answer from the address in this hour; counters older than a day are pruned."""
    from yanzhen.surveys.models import AddressCount

    key, hour = address_key(address), _hour()
    AddressCount.objects.filter(hour__lt=hour - timedelta(days=1)).delete()
    if AddressCount.objects.filter(key=key, hour=hour).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            AddressCount.objects.create(key=key, hour=hour, count=1)
    except IntegrityError:  # another server created it meanwhile
        AddressCount.objects.filter(key=key, hour=hour).update(count=F("count") + 1)


# -- the challenge ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Challenge:
    question: str
    signed: str


def new_challenge(token: str) -> Challenge:
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    signed = signing.dumps({"t": token, "s": a + b}, salt=CHALLENGE_SALT)
    return Challenge(question=f"{a} + {b} = ?", signed=signed)


def challenge_passed(token: str, signed: str, answer: str) -> bool:
    try:
        data = signing.loads(signed or "", salt=CHALLENGE_SALT, max_age=CHALLENGE_MAX_AGE)
    except signing.BadSignature:
        return False
    return data.get("t") == token and constant_time_compare(str(data.get("s")), (answer or "").strip())
