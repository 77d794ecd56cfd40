"""The to-do page (待办), its badge in the navigation (loaded after the page by htmx, so no page pays for
computing the to-dos), the in-app messages and the reminder preferences."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yanzhen.accounts.leader import is_leader_only
from yanzhen.core.forms import run_service
from yanzhen.todos import registry, selectors, services
from yanzhen.todos.forms import ContactsForm, field_name, wanted_of
from yanzhen.todos.models import Channel


@require_GET
def index(request):
    groups = selectors.groups_of_request(request)
    return render(
        request,
        "todos/index.html",
        {
            "groups": groups,
            "total": selectors.keep_count(request),
            "shown": selectors.SHOWN_PER_RULE,
            "inbox": selectors.messages_of(request.user),
            "unread": selectors.unread_count(request.user),
            # The leader reads the county's to-dos: no links to pages he may not open, no reminders.
            "reader": is_leader_only(request.user),
        },
    )


@require_GET
def count(request):
    """The badge: the number of things waiting (an empty answer for none), at most a minute old."""
    return render(request, "todos/_badge.html", {"total": selectors.badge_count(request)})


@require_POST
def messages_read(request):
    services.mark_read(actor=request.user)
    return redirect("todos:index")


@require_http_methods(["GET", "POST"])
def preferences(request):
    user = request.user
    profile = selectors.profile_of(user)
    form = ContactsForm(request.POST or None, initial={"email": user.email})
    wanted = wanted_of(request.POST) if request.method == "POST" else None
    if request.method == "POST" and form.is_valid():
        data = services.PreferencesInput(
            wanted=wanted or set(),
            phone=form.cleaned_data["phone"],
            clear_phone=form.cleaned_data["clear_phone"],
            email=form.cleaned_data["email"],
        )
        if run_service(form, lambda: services.save_preferences(actor=user, data=data)):
            messages.success(request, _("Your reminder preferences were saved."))
            return redirect("todos:preferences")
    chosen = selectors.choices_of(user)
    rows = [
        {
            "rule": rule,
            "cells": [
                {
                    "name": field_name(rule.slug, channel.value),
                    "label": channel.label,
                    "checked": ((rule.slug, channel.value) in wanted)
                    if wanted is not None
                    else chosen[(rule.slug, channel.value)],
                }
                for channel in Channel
            ],
        }
        for rule in registry.rules()
    ]
    return render(
        request,
        "todos/preferences.html",
        {
            "form": form,
            "rows": rows,
            "channels": list(Channel),
            "phone_masked": profile.phone_masked if profile else "",
        },
        status=422 if request.method == "POST" else 200,
    )
