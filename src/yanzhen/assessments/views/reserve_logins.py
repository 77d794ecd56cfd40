"""The archive page's panel for a reserve's own login: create, reset the password, disable, enable.

Each action is a POST from the panel on /people/<id>/. A new password is rendered once in the response to
that POST (never stored, never put in a message or redirect), with caching forbidden; refusals come back to
the archive as a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from yanzhen.assessments.services import reserve_logins


def _back_to_archive(person_id: int):
    return redirect(reverse("people:archive", args=[person_id]) + "#self-service-login")


def _refused(request, person_id: int, refusal: ValidationError):
    for message in refusal.messages:
        messages.error(request, message)
    return _back_to_archive(person_id)


def _issued(request, issued: reserve_logins.IssuedPassword, person_id: int, *, created: bool):
    person = reserve_logins.visible_person(request.user, person_id)
    return render(
        request,
        "assessments/reserve_login_issued.html",
        {
            "person": person,
            "login": issued.user,
            "password": issued.password,
            "created": created,
            "division": person.village,
            "breadcrumb": person.village.ancestors() + [person.village],
        },
    )


def _issue(request, pk: int, issue, *, created: bool):
    """Create the login or reset its password; the password chosen is shown once."""
    try:
        issued = issue(actor=request.user, person_id=pk, request=request)
    except ValidationError as refusal:
        return _refused(request, pk, refusal)
    return _issued(request, issued, pk, created=created)


@never_cache
@require_POST
def create(request, pk: int):
    return _issue(request, pk, reserve_logins.create_login, created=True)


@never_cache
@require_POST
def reset(request, pk: int):
    return _issue(request, pk, reserve_logins.reset_password, created=False)


def _set_active(request, pk: int, *, active: bool):
    try:
        user = reserve_logins.set_login_active(
            actor=request.user, person_id=pk, active=active, request=request
        )
    except ValidationError as refusal:
        return _refused(request, pk, refusal)
    if active:
        messages.success(request, _("The login %(username)s is enabled.") % {"username": user.username})
    else:
        messages.success(
            request,
            _("The login %(username)s is disabled: it can no longer log in.") % {"username": user.username},
        )
    return _back_to_archive(pk)


@require_POST
def disable(request, pk: int):
    return _set_active(request, pk, active=False)


@require_POST
def enable(request, pk: int):
    return _set_active(request, pk, active=True)
