"""Secondment and practice post pages: lists (with the overdue secondments), forms, report, evaluation."""

from __future__ import annotations

from functools import partial

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yanzhen.core import versioning
from yanzhen.core.guards import require_editor, today
from yanzhen.cultivation import selectors, services
from yanzhen.cultivation.forms import EvaluationForm, PracticePostForm, ReportForm, SecondmentForm
from yanzhen.cultivation.models import Secondment, SecondmentKind
from yanzhen.cultivation.views.common import end_page, submit


@require_GET
def secondment_list(request):
    on = today()
    overdue = request.GET.get("overdue") == "1"
    kind = request.GET.get("kind", "")
    kind = kind if kind in SecondmentKind.values else ""
    return render(
        request,
        "cultivation/secondment_list.html",
        {
            "secondments": selectors.secondments(request.user, overdue_on=on if overdue else None, kind=kind),
            "overdue": overdue,
            "kind": kind,
            "kinds": SecondmentKind.choices,
            "on": on,
            "can_edit": request.user.can_edit,
        },
    )


@require_http_methods(["GET", "POST"])
def secondment_create(request):
    require_editor(request.user)
    form = SecondmentForm(request.POST or None, user=request.user)
    rules = services.rules_for(selectors.user_county(request.user) or "000000")
    return submit(
        request,
        form,
        lambda: services.create_secondment(
            actor=request.user, data=services.SecondmentInput(**form.cleaned_data)
        ),
        to=lambda secondment: ("cultivation:secondment-detail", secondment.pk),
        title=_("New secondment"),
        cancel="cultivation:secondment-list",
        intro=_(
            "Planned for %(shortest)s to %(longest)s months; a full-time secondment cannot overlap another "
            "full-time secondment or a training."
        )
        % {"shortest": rules.secondment_minimum_months, "longest": rules.secondment_maximum_months},
    )


@require_GET
def secondment_detail(request, pk: int):
    secondment = selectors.get_secondment(request.user, pk)
    return render(
        request,
        "cultivation/secondment_detail.html",
        {
            "secondment": secondment,
            "overdue": secondment.is_overdue(today()),
            "can_edit": request.user.can_edit,
        },
    )


@require_http_methods(["GET", "POST"])
def secondment_report(request, pk: int):
    secondment = selectors.get_secondment(request.user, pk)
    require_editor(request.user)
    form = ReportForm(
        request.POST or None,
        initial={"report": secondment.report, "reported_on": secondment.reported_on or today()},
    )
    return _secondment_step(
        request,
        form,
        secondment,
        services.submit_secondment_report,
        title=_("Report of %(name)s") % {"name": secondment.person.name},
    )


@require_http_methods(["GET", "POST"])
def secondment_evaluation(request, pk: int):
    secondment = selectors.get_secondment(request.user, pk)
    require_editor(request.user)
    form = EvaluationForm(request.POST or None, initial={"evaluated_on": today()})
    return _secondment_step(
        request,
        form,
        secondment,
        services.evaluate_secondment,
        title=_("Host's evaluation of %(name)s") % {"name": secondment.person.name},
    )


def _secondment_step(request, form, secondment, service, *, title: str):
    """A step after the secondment (the report, the host's evaluation), guarded against a lost update."""
    versioning.track(form, secondment)

    def call():
        with versioning.saving(form, Secondment, pk=secondment.pk):
            service(actor=request.user, secondment=secondment, **form.cleaned_data)

    return submit(
        request,
        form,
        call,
        to=("cultivation:secondment-detail", secondment.pk),
        title=title,
        cancel="cultivation:secondment-list",
    )


@require_GET
def practice_list(request):
    on = today()
    show = request.GET.get("show", "active")
    return render(
        request,
        "cultivation/practice_list.html",
        {
            "posts": selectors.practice_posts(request.user, active_on=on if show == "active" else None),
            "show": show,
            "can_edit": request.user.can_edit,
        },
    )


@require_http_methods(["GET", "POST"])
def practice_create(request):
    require_editor(request.user)
    form = PracticePostForm(request.POST or None, user=request.user, initial={"start": today()})
    return submit(
        request,
        form,
        lambda: services.assign_practice_post(actor=request.user, **form.cleaned_data),
        to=("cultivation:practice-list",),
        title=_("New practice post"),
        cancel="cultivation:practice-list",
        intro=_(
            "For reserves without a post: a seat of the post is opened in his village and the term recorded."
        ),
    )


@require_http_methods(["GET", "POST"])
def practice_end(request, pk: int):
    practice_post = selectors.get_practice_post(request.user, pk)
    require_editor(request.user)
    return end_page(
        request,
        partial(services.end_practice_post, actor=request.user, practice_post=practice_post),
        to=("cultivation:practice-list",),
        title=_("End the practice post of %(name)s") % {"name": practice_post.person.name},
        cancel="cultivation:practice-list",
        confirm=_("End the practice post of %(name)s? This cannot be undone.")
        % {"name": practice_post.person.name},
    )
