"""Reminders: where a user wants them (his channels, his phone for SMS), which he wants (per rule and
channel), the in-app messages and the log of every message sent (`Delivery`).

A to-do itself is never stored: `registry` computes it from the records each time.

A clerk's account has no phone of its own and is not a person of the archive, so the phone an SMS goes to is
the user's own, entered by himself on the preferences page and kept as the archive keeps phones: encrypted
(`core.crypto`), with a masked copy to show. E-mail goes to the account's own `email`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from yanzhen.core import crypto
from yanzhen.core.text import NormalisedCharField


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


def _user_field(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name=related_name
    )


class ReminderProfile(models.Model):
    """A user's own phone for SMS reminders (encrypted; only its masked form is shown)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="reminder_profile",
    )
    phone_encrypted = models.TextField(
        _("mobile phone (encrypted)"), max_length=500, blank=True, editable=False
    )
    phone_masked = models.CharField(_("mobile phone"), max_length=11, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["phone_encrypted"])

    class Meta:
        verbose_name = _("reminder profile")
        verbose_name_plural = _("reminder profiles")

    def __str__(self) -> str:
        return f"{self.user} {self.phone_masked}"

    def phone(self) -> str:
        return crypto.decrypt(self.phone_encrypted)


class ReminderChoice(models.Model):
    """Whether a user wants the reminders of one rule through one channel. Without a row: in the app yes,
    SMS and e-mail no (`preferences.wants`)."""

    user = _user_field("reminder_choices")
    rule = models.CharField(_("rule"), max_length=50)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    wanted = models.BooleanField(_("wanted"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reminder choice")
        verbose_name_plural = _("reminder choices")
        constraints = [
            models.UniqueConstraint(fields=["user", "rule", "channel"], name="reminder_choice_one_per_rule")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.rule} {self.channel} {self.wanted}"


class Message(models.Model):
    """An in-app reminder (the inbox on the to-do page). A log of what was sent, not domain data: rows are
    only added and marked read, so no field history."""

    user = _user_field("reminder_messages")
    rule = models.CharField(_("rule"), max_length=50)
    text = NormalisedCharField(_("text"), max_length=500)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text


class Delivery(models.Model):
    """One reminder sent (or tried) through one channel: to whom, when, what, delivered or not and why not.
    `state` is a digest of the rule's items on the day: one reminder per user, rule, channel, state and day,
    so a second run of `yanzhen remind` on the same day sends nothing twice (the unique constraint)."""

    user = _user_field("reminder_deliveries")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    rule = models.CharField(_("rule"), max_length=50)
    day = models.DateField(_("day"))
    state = models.CharField(_("state of the items"), max_length=64)
    text = NormalisedCharField(_("text"), max_length=500)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    delivered = models.BooleanField(_("delivered"), default=False)
    error = NormalisedCharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "channel", "rule", "day", "state"], name="delivery_once_per_state_and_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.channel} {self.rule} {self.day}"
