"""Mentoring pages: mentors with their load, pairings with suggestions, a pairing's guidance log."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yanzhen.core.guards import require_editor, today
from yanzhen.cultivation import selectors, services
from yanzhen.cultivation.forms import GuidanceSessionForm, MentorForm, MentorshipForm
from yanzhen.cultivation.views.common import end_page, run, saved, submit


@require_GET
def mentor_list(request):
    on = today()
    caps: dict[str, int] = {}
    rows = []
    for mentor in selectors.mentors(request.user, on).prefetch_related("skills"):
        county = mentor.division_id[:6]
        if county not in caps:
            caps[county] = services.rules_for(county).mentee_cap
        rows.append((mentor, caps[county]))
    return render(
        request, "cultivation/mentor_list.html", {"rows": rows, "on": on, "can_edit": request.user.can_edit}
    )


@require_http_methods(["GET", "POST"])
def mentor_create(request):
    require_editor(request.user)
    form = MentorForm(request.POST or None, user=request.user)
    return submit(
        request,
        form,
        lambda: services.create_mentor(actor=request.user, **form.cleaned_data),
        to=("cultivation:mentor-list",),
        title=_("New mentor"),
        cancel="cultivation:mentor-list",
    )


@require_GET
def mentorship_list(request):
    on = today()
    show = request.GET.get("show", "active")
    queryset = selectors.mentorships(request.user, active_on=on if show == "active" else None)
    return render(
        request,
        "cultivation/mentorship_list.html",
        {"mentorships": queryset, "show": show, "on": on, "can_edit": request.user.can_edit},
    )


@require_http_methods(["GET", "POST"])
def mentorship_create(request):
    """Pair a reserve with mentors; with ?mentee=<id> the suggestions for him are shown."""
    require_editor(request.user)
    initial = {"start": today()}
    suggestions = None
    mentee_id = request.GET.get("mentee", "")
    if mentee_id.isdigit():
        mentee = selectors.get_person(request.user, int(mentee_id))
        initial["mentee"] = mentee
        suggestions = selectors.suggest_mentors(request.user, mentee)
    form = MentorshipForm(request.POST or None, user=request.user, initial=initial)
    return submit(
        request,
        form,
        lambda: services.create_mentorship(actor=request.user, **form.cleaned_data),
        to=lambda mentorship: ("cultivation:mentorship-detail", mentorship.pk),
        title=_("New mentorship"),
        cancel="cultivation:mentorship-list",
        extra={"suggestions": suggestions},
    )


@require_http_methods(["GET", "POST"])
def mentorship_detail(request, pk: int):
    """The pairing and its guidance log; the log form for clerks and the village secretary."""
    mentorship = selectors.get_mentorship(request.user, pk)
    may_log = services.may_log_guidance(request.user)
    form = GuidanceSessionForm(request.POST or None, mentorship=mentorship, initial={"on": today()})
    if request.method == "POST":
        if not may_log:
            raise PermissionDenied
        if form.is_valid() and run(
            form,
            lambda: services.log_guidance(actor=request.user, mentorship=mentorship, **form.cleaned_data),
        ):
            return saved(request, "cultivation:mentorship-detail", mentorship.pk)
    return render(
        request,
        "cultivation/mentorship_detail.html",
        {
            "mentorship": mentorship,
            "sessions": mentorship.sessions.select_related("mentor", "recorded_by"),
            "form": form if may_log else None,
            "can_edit": request.user.can_edit,
            "active": mentorship.is_active(today()),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def mentorship_end(request, pk: int):
    mentorship = selectors.get_mentorship(request.user, pk)
    require_editor(request.user)
    return end_page(
        request,
        partial(services.end_mentorship, actor=request.user, mentorship=mentorship),
        to=("cultivation:mentorship-detail", mentorship.pk),
        title=_("End the mentorship of %(name)s") % {"name": mentorship.mentee.name},
        cancel="cultivation:mentorship-list",
        confirm=_("End the mentorship of %(name)s? This cannot be undone.")
        % {"name": mentorship.mentee.name},
    )
