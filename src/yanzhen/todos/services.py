"""Writes of the reminders: a user's choices (which rule by which channel, his phone and e-mail), marking
his messages read, and the daily sending (`remind`, the `yanzhen remind` command)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from yanzhen.accounts.roles import EDITOR_ROLES
from yanzhen.core import crypto
from yanzhen.core.guards import attribute_to, raise_errors
from yanzhen.people.services import mask_phone, normalise_phone
from yanzhen.todos import channels, registry, selectors
from yanzhen.todos.models import Channel, Delivery, Message, ReminderChoice, ReminderProfile

if TYPE_CHECKING:
    from yanzhen.accounts.models import User

PHONE_PATTERN = re.compile(r"1\d{10}")
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# Titles of items quoted in one reminder (an SMS is short); the rest is a count.
TITLES_IN_TEXT = 2


# -- choices -----------------------------------------------------------------------------------------------


@dataclass
class PreferencesInput:
    wanted: set[tuple[str, str]]  # (rule, channel) the user wants; every other pair is unwanted
    phone: str = ""  # a new phone; "" keeps the one given before
    clear_phone: bool = False
    email: str | None = None  # None keeps the account's e-mail


def _wants(data: PreferencesInput, channel: Channel) -> bool:
    return any(chosen == channel for _rule, chosen in data.wanted)


def _phone_error(actor: User, data: PreferencesInput, phone: str) -> str:
    if phone and not PHONE_PATTERN.fullmatch(phone):
        return "手机号应为 11 位数字，以 1 开头"
    kept = (
        not data.clear_phone
        and ReminderProfile.objects.filter(user=actor).exclude(phone_encrypted="").exists()
    )
    if _wants(data, Channel.SMS) and not phone and not kept:
        return "选择短信提醒须填写手机号"
    return ""


def _email_error(actor: User, data: PreferencesInput, email: str | None) -> str:
    if email and (len(email) > 254 or not EMAIL_PATTERN.fullmatch(email)):
        return "电子邮箱格式不正确"
    has_email = bool(email) if email is not None else bool(actor.email)
    if _wants(data, Channel.EMAIL) and not has_email:
        return "选择邮件提醒须填写电子邮箱"
    return ""


def _clean_contacts(actor: User, data: PreferencesInput) -> tuple[str, str | None, dict[str, str]]:
    """The phone and e-mail normalised, and what is wrong with them (SMS wanted without a phone ...)."""
    phone = normalise_phone(data.phone)
    email = data.email.strip() if data.email is not None else None
    errors = {"phone": _phone_error(actor, data, phone), "email": _email_error(actor, data, email)}
    return phone, email, {field: message for field, message in errors.items() if message}


@transaction.atomic
def save_preferences(*, actor: User, data: PreferencesInput) -> None:
    """The user's own choices: one row per rule and channel (history kept), his phone (encrypted) and
    e-mail. Nothing is written when any of it is wrong."""
    known = {(rule.slug, channel) for rule in registry.rules() for channel in Channel.values}
    unknown = data.wanted - known
    errors: dict[str, str] = {"wanted": "未知的提醒类型"} if unknown else {}
    phone, email, contact_errors = _clean_contacts(actor, data)
    errors.update(contact_errors)
    raise_errors(errors)
    current = {(c.rule, c.channel): c for c in ReminderChoice.objects.select_for_update().filter(user=actor)}
    for rule, channel in sorted(known):
        wanted = (rule, channel) in data.wanted
        choice = current.get((rule, channel)) or ReminderChoice(user=actor, rule=rule, channel=channel)
        if choice.pk is not None and choice.wanted == wanted:
            continue
        choice.wanted = wanted
        attribute_to(choice, actor)
        choice.save()
    if phone or data.clear_phone:
        profile = ReminderProfile.objects.filter(user=actor).first() or ReminderProfile(user=actor)
        profile.phone_encrypted = crypto.encrypt(phone)
        profile.phone_masked = mask_phone(phone)
        attribute_to(profile, actor)
        profile.save()
    if email is not None and email != actor.email:
        actor.email = email
        attribute_to(actor, actor)
        actor.save(update_fields=["email"])


def mark_read(*, actor: User) -> int:
    """Mark every unread in-app message of the user read; how many."""
    return Message.objects.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())


# -- the daily reminders -----------------------------------------------------------------------------------


def recipients() -> Iterable[User]:
    """Active accounts that may change records (those who have to-dos), with a division."""
    from yanzhen.accounts.models import User

    editors = Q(is_superuser=True) | Q(groups__name__in=[str(role) for role in EDITOR_ROLES])
    return User.objects.filter(editors, is_active=True, division__isnull=False).distinct().order_by("pk")


def text_of(group: registry.Group) -> str:
    """The reminder of one rule: its title, the count and the first items' titles (names only, no number
    of any document or phone: the items' titles are written so)."""
    titles = "；".join(item.title for item in group.items[:TITLES_IN_TEXT])
    more = f"等 {len(group.items)} 项" if len(group.items) > TITLES_IN_TEXT else ""
    return f"待办提醒：{group.rule.title}（{group.count}）：{titles}{more}。请登录系统办理。"[:500]


def state_of(group: registry.Group) -> str:
    """A digest of the rule's items: the same items on the same day are reminded once."""
    described = "\n".join(f"{item.title}|{item.url}|{item.count}" for item in group.items)
    return hashlib.sha256(described.encode()).hexdigest()


@dataclass(frozen=True)
class Planned:
    user: User
    channel: str
    rule: str
    text: str
    delivered: bool | None = None  # None: not sent (a dry run)
    error: str = ""


def _send_once(sender: channels.Sender, user: User, group: registry.Group, day: date) -> Planned | None:
    """Claim the delivery row (the unique key refuses a second one of the same state and day), then send
    and record the outcome. None when it was sent before."""
    text = text_of(group)
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                user=user,
                channel=sender.channel,
                rule=group.rule.slug,
                day=day,
                state=state_of(group),
                text=text,
            )
    except IntegrityError:
        return None
    url = group.items[0].url if len(group.items) == 1 else "/todos/"
    outcome = sender.send(user, text, url, group.rule.slug)
    delivery.delivered = outcome.delivered
    delivery.error = outcome.error[:500]
    delivery.save(update_fields=["delivered", "error"])
    return Planned(user, sender.channel, group.rule.slug, text, outcome.delivered, outcome.error)


def _already(user: User, channel: str, group: registry.Group, day: date) -> bool:
    return Delivery.objects.filter(
        user=user, channel=channel, rule=group.rule.slug, day=day, state=state_of(group)
    ).exists()


def remind(
    on: date, *, dry_run: bool = False, report: Callable[[Planned], None] | None = None
) -> list[Planned]:
    """Every user's to-dos of the day, one reminder per rule through each channel the deployment turned on
    and the user wants, never twice for the same items on the same day. `dry_run` sends and writes
    nothing and answers what would be sent."""
    senders = channels.enabled()
    done: list[Planned] = []
    for user in recipients():
        groups = registry.groups(user, on)
        if not groups:
            continue
        wanted = selectors.choices_of(user)
        for group in groups:
            for sender in senders:
                if not wanted.get((group.rule.slug, sender.channel), False):
                    continue
                if dry_run:
                    planned: Planned | None = (
                        None
                        if _already(user, sender.channel, group, on)
                        else Planned(user, sender.channel, group.rule.slug, text_of(group))
                    )
                else:
                    planned = _send_once(sender, user, group, on)
                if planned is not None:
                    done.append(planned)
                    if report is not None:
                        report(planned)
    return done
