"""Degree upgrading pages and a reserve's growth plan page."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yanzhen.core import versioning
from yanzhen.core.guards import get_for_change, require_editor, today
from yanzhen.cultivation import selectors, services
from yanzhen.cultivation.forms import (
    DegreeFinishForm,
    DegreeStudyForm,
    GrowthPlanForm,
    ItemDoneForm,
    PlanItemForm,
)
from yanzhen.cultivation.models import GrowthPlan, GrowthPlanItem, StudyState
from yanzhen.cultivation.views.common import date_param, run, saved, submit


@require_GET
def degree_list(request):
    state = request.GET.get("state", "")
    state = state if state in StudyState.values else ""
    return render(
        request,
        "cultivation/degree_list.html",
        {
            "studies": selectors.degree_studies(request.user, state=state),
            "state": state,
            "states": StudyState.choices,
            "on": today(),
            "can_edit": request.user.can_edit,
        },
    )


@require_http_methods(["GET", "POST"])
def degree_create(request):
    require_editor(request.user)
    form = DegreeStudyForm(request.POST or None, user=request.user)
    return submit(
        request,
        form,
        lambda: services.create_degree_study(actor=request.user, **form.cleaned_data),
        to=("cultivation:degree-list",),
        title=_("New degree study"),
        cancel="cultivation:degree-list",
    )


@require_http_methods(["GET", "POST"])
def degree_finish(request, pk: int):
    study = selectors.get_degree_study(request.user, pk)
    require_editor(request.user)
    form = DegreeFinishForm(request.POST or None, initial={"finished_on": today()})
    return submit(
        request,
        form,
        lambda: services.finish_degree_study(
            actor=request.user,
            study=study,
            graduated=form.cleaned_data["outcome"] == "graduated",
            finished_on=form.cleaned_data["finished_on"],
        ),
        to=("cultivation:degree-list",),
        title=_("Graduation of %(name)s") % {"name": study.person.name},
        cancel="cultivation:degree-list",
        intro=_("Graduation adds an in-service education record to the archive."),
    )


def _plan_page(request, person, *, plan_form=None, item_form=None, status=200):
    growth = selectors.growth(request.user, person, date_param(request))
    can_edit = request.user.can_edit
    if can_edit:
        if plan_form is None:
            plan_form = GrowthPlanForm(
                initial={
                    "goals": growth.plan.goals if growth.plan else "",
                    "drawn_up_on": growth.plan.drawn_up_on if growth.plan else today(),
                }
            )
            versioning.track(plan_form, growth.plan)
        item_form = item_form or PlanItemForm(growth=growth)
    village = person.village
    return render(
        request,
        "cultivation/growth_plan.html",
        {
            "person": person,
            "growth": growth,
            "plan_form": plan_form if can_edit else None,
            "item_form": item_form if can_edit else None,
            "done_form": ItemDoneForm(initial={"done_on": today()}) if can_edit else None,
            "suggestions": selectors.suggest_mentors(request.user, person, limit=5) if can_edit else [],
            "can_edit": can_edit,
            "breadcrumb": village.ancestors() + [village],
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def growth_plan(request, pk: int):
    """A reserve's growth plan: what is planned, its progress and what is overdue; the plan's goals."""
    person = selectors.get_person(request.user, pk)
    if request.method == "GET":
        return _plan_page(request, person)
    require_editor(request.user)
    form = GrowthPlanForm(request.POST)
    versioning.track(form, GrowthPlan.objects.filter(person=person).first())

    def call():
        with versioning.saving(form, GrowthPlan, person=person):
            services.save_growth_plan(actor=request.user, person=person, **form.cleaned_data)

    if form.is_valid() and run(form, call):
        return saved(request, "cultivation:growth", person.pk)
    return _plan_page(request, person, plan_form=form, status=400)


@require_POST
def growth_item_add(request, pk: int):
    person = selectors.get_person(request.user, pk)
    require_editor(request.user)
    form = PlanItemForm(request.POST, growth=selectors.growth(request.user, person))
    if form.is_valid() and run(
        form, lambda: services.add_plan_item(actor=request.user, person=person, **form.cleaned_data)
    ):
        return saved(request, "cultivation:growth", person.pk)
    return _plan_page(request, person, item_form=form, status=400)


@require_POST
def growth_item_done(request, pk: int):
    item = get_for_change(GrowthPlanItem.objects.select_related("plan__person"), request.user, pk=pk)
    person = item.plan.person
    form = ItemDoneForm(request.POST)
    if form.is_valid() and run(
        form,
        lambda: services.complete_plan_item(
            actor=request.user, item=item, done_on=form.cleaned_data["done_on"]
        ),
    ):
        return saved(request, "cultivation:growth", person.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return _plan_page(request, person, status=400)
