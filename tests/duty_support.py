"""The world of the duty tests: a village of 花马池镇 with two sitting cadres, a work-team member, September 2026
(21 weekdays, 中秋 on Friday the 25th off, Sunday the 20th a make-up working day: 22 working days)."""

from __future__ import annotations

from datetime import date

from django.test import Client
from django.utils import timezone

from yanzhen.accounts.models import User
from yanzhen.assessments.services import reserve_logins
from yanzhen.duty import services
from yanzhen.duty.models import CheckIn, DutyAssignment, Leave, WorkTeamMember
from yanzhen.posts.models import Term

from .candidacies_support import make_seat, user
from .conftest import DASHUIKENG_VILLAGE, HUAMACHI_VILLAGE, session_login
from .factories import make_person

MONTH = date(2026, 9, 1)
HOLIDAY = date(2026, 9, 25)  # 中秋节, a Friday off
MAKE_UP = date(2026, 9, 20)  # a Sunday worked (调休上班)


def set_today(monkeypatch, day: date) -> None:
    """The app's "today" (timezone.localdate, read by the rules and every date check)."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


def sitting(name: str, village: str = HUAMACHI_VILLAGE, post: str = "secretary", start=date(2024, 1, 1)):
    person = make_person(name, village)
    Term.objects.create(seat=make_seat(village, post), person=person, start=start)
    return person


def member(name: str = "马驻村", village: str = HUAMACHI_VILLAGE) -> WorkTeamMember:
    return services.save_member(
        actor=user("huamachi"), village=village, data=services.MemberInput(name, "盐池县农业农村局")
    )


def own_login(person, village: str = HUAMACHI_VILLAGE) -> User:
    """The cadre's own login, created from the archive by the township clerk (password changed)."""
    issued = reserve_logins.create_login(
        actor=user("huamachi" if village == HUAMACHI_VILLAGE else "dashuikeng"), person_id=person.pk
    )
    issued.user.must_change_password = False
    issued.user.save()
    return User.objects.get(pk=issued.user.pk)


def client_of(login: User) -> Client:
    client = Client()
    session_login(client, login)
    return client


def written() -> tuple:
    """Everything the duty services write, to prove that a refusal wrote nothing."""
    return (
        DutyAssignment.objects.count(),
        DutyAssignment.history.count(),
        CheckIn.objects.count(),
        CheckIn.history.count(),
        Leave.objects.count(),
        Leave.history.count(),
        WorkTeamMember.history.count(),
    )


__all__ = ["DASHUIKENG_VILLAGE", "HUAMACHI_VILLAGE"]
