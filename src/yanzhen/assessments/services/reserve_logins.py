"""A reserve's self-service login, managed by a clerk from the archive page: create, reset, disable, enable.

The password is generated here and returned once, in clear, for the clerk to read out to the reserve; only
its hash is stored, it is in no audit event, history row or message, and the reserve must choose his own at
his first login (User.must_change_password, accounts.middleware). Every action is an audit event.

Who may: an administrator or a township clerk whose jurisdiction holds the person (outside it: 404, like a
missing person; another role: 403). Only a person in the pool (在库) or a sitting village cadre (an open term:
his duty days and check-in, the duty app) gets a new login or one enabled again; the login holds the role of
what he is (reserve, cadre or both).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from yanzhen.accounts.models import User
from yanzhen.accounts.roles import Role
from yanzhen.assessments.models import SelfServiceLink
from yanzhen.candidacies.models import Candidacy, CandidacyState
from yanzhen.core import audit
from yanzhen.core.guards import attribute_to, today
from yanzhen.core.models import AuditAction
from yanzhen.people.models import Person
from yanzhen.posts.models import Term

# Letters and digits that cannot be mistaken for one another when read out over the phone (no 0/O, 1/l/I).
UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
LOWER = "abcdefghijkmnpqrstuvwxyz"
DIGITS = "23456789"
PASSWORD_LENGTH = 10
MANAGER_ROLES = (Role.ADMIN, Role.TOWNSHIP_CLERK)


@dataclass(frozen=True)
class IssuedPassword:
    """What the clerk sees once: the login and the password to hand to the reserve."""

    user: User
    password: str


def generate_password() -> str:
    """A random password meeting the validators: ten characters, upper and lower case and digits."""
    alphabet = UPPER + LOWER + DIGITS
    while True:
        chars = [secrets.choice(UPPER), secrets.choice(LOWER), secrets.choice(DIGITS)]
        chars += [secrets.choice(alphabet) for _ in range(PASSWORD_LENGTH - len(chars))]
        secrets.SystemRandom().shuffle(chars)
        password = "".join(chars)
        try:
            validate_password(password)
        except ValidationError:  # pragma: no cover - a common-password hit is all but impossible
            continue
        return password


def may_manage(actor) -> bool:
    return actor.has_role(*MANAGER_ROLES)


def visible_person(actor, person_id: int) -> Person:
    """The person if he lies in the actor's jurisdiction (else 404), for an actor who may manage logins
    (else 403)."""
    person = Person.objects.restrict(actor).select_related("village").filter(pk=person_id).first()
    if person is None:
        raise Http404
    if not may_manage(actor):
        raise PermissionDenied
    return person


def is_reserve(person: Person) -> bool:
    return Candidacy.objects.filter(person=person, state=CandidacyState.IN_POOL).exists()


def sitting_village(person: Person) -> str | None:
    """The village where the person holds a seat today (a sitting cadre), or None."""
    term = Term.objects.current(today()).filter(person=person).order_by("start", "pk").first()
    return term.seat.village_id if term is not None else None


def may_have_login(person: Person) -> bool:
    return is_reserve(person) or sitting_village(person) is not None


def login_of(person: Person) -> User | None:
    link = SelfServiceLink.objects.select_related("user").filter(person=person).first()
    return link.user if link is not None else None


def _refuse(message: str) -> None:
    raise ValidationError(message)


def _require_reserve(person: Person) -> None:
    if not may_have_login(person):
        _refuse(f"{person.name}不在后备力量库中（不是“在库”状态），不能开通或启用本人账号。")


def _require_login(person: Person) -> User:
    user = login_of(person)
    if user is None:
        _refuse(f"{person.name}还没有本人账号。")
    return user


def _username_for(person: Person) -> str:
    base = (person.name_pinyin or f"reserve{person.pk}")[:140]
    username, number = base, 1
    while User.objects.filter(username=username).exists():
        number += 1
        username = f"{base}{number}"
    return username


def _record(actor, action: AuditAction, person: Person, user: User, request) -> None:
    audit.record(
        action=action,
        user=actor,
        request=request,
        object_repr=f"{person.name} 的本人账号 {user.username}",
        detail={"person": person.pk, "username": user.username, "village": person.village_id},
    )


def _save(actor, user: User, fields: list[str] | None = None) -> None:
    attribute_to(user, actor)
    user.save(update_fields=fields)


@transaction.atomic
def create_login(*, actor, person_id: int, request=None) -> IssuedPassword:
    person = visible_person(actor, person_id)
    existing = login_of(person)
    if existing is not None:
        _refuse(f"{person.name}已有本人账号 {existing.username}；忘记密码请用“重置密码”。")
    _require_reserve(person)
    password = generate_password()
    reserve, village = is_reserve(person), sitting_village(person)
    user = User(
        username=_username_for(person),
        display_name=person.name,
        # A sitting cadre's login works for the village of his seat (his rota); a reserve's for his own.
        division_id=person.village_id if reserve or village is None else village,
        must_change_password=True,
    )
    user.set_password(password)
    _save(actor, user)
    roles = ([Role.RESERVE] if reserve else []) + ([Role.CADRE] if village is not None else [])
    user.groups.set([Group.objects.get_or_create(name=str(role))[0] for role in roles])
    link = SelfServiceLink(user=user, person=person, created_by=actor)
    attribute_to(link, actor)
    link.save()
    _record(actor, AuditAction.RESERVE_LOGIN_CREATED, person, user, request)
    return IssuedPassword(user, password)


@transaction.atomic
def reset_password(*, actor, person_id: int, request=None) -> IssuedPassword:
    """A new password in place of a forgotten one, to be changed at the next login. It also lifts a lockout
    after too many failed attempts: the reserve asked the clerk, who knows him."""
    from axes.utils import reset as reset_lockout

    person = visible_person(actor, person_id)
    user = _require_login(person)
    password = generate_password()
    user.set_password(password)
    user.must_change_password = True
    _save(actor, user, ["password", "password_changed_at", "must_change_password"])
    reset_lockout(username=user.username)
    _record(actor, AuditAction.RESERVE_PASSWORD_RESET, person, user, request)
    return IssuedPassword(user, password)


@transaction.atomic
def set_login_active(*, actor, person_id: int, active: bool, request=None) -> User:
    """Disable the login (he can no longer log in; an open session ends at its next request) or enable it
    again, which only a person still in the pool gets."""
    person = visible_person(actor, person_id)
    user = _require_login(person)
    if user.is_active == active:
        _refuse(f"{person.name}的本人账号已{'启用' if active else '停用'}。")
    if active:
        _require_reserve(person)
    user.is_active = active
    _save(actor, user, ["is_active"])
    action = AuditAction.RESERVE_LOGIN_ENABLED if active else AuditAction.RESERVE_LOGIN_DISABLED
    _record(actor, action, person, user, request)
    return user
