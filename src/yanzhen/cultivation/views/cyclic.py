"""Cyclic training pages: programmes, rounds, each trainee's progress, and one practice assignment."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yanzhen.core import versioning
from yanzhen.core.guards import require_editor, today
from yanzhen.cultivation import selectors, services
from yanzhen.cultivation.forms import (
    AssignmentJudgeForm,
    AssignmentSubmitForm,
    AssignmentTaskForm,
    CyclicProgrammeForm,
    RoundForm,
)
from yanzhen.cultivation.models import PracticeAssignment
from yanzhen.cultivation.views.common import require_manager, run, saved, submit


@require_GET
def cyclic_list(request):
    return render(
        request,
        "cultivation/cyclic_list.html",
        {"programmes": selectors.cyclic_programmes(request.user), "can_edit": request.user.can_edit},
    )


@require_http_methods(["GET", "POST"])
def cyclic_create(request):
    require_editor(request.user)
    form = CyclicProgrammeForm(
        request.POST or None, user=request.user, initial={"division": request.user.division}
    )
    return submit(
        request,
        form,
        lambda: services.create_cyclic_programme(
            actor=request.user, **dict(form.cleaned_data, trainees=list(form.cleaned_data["trainees"]))
        ),
        to=lambda programme: ("cultivation:cyclic-detail", programme.pk),
        title=_("New cyclic training programme"),
        cancel="cultivation:cyclic-list",
        intro=_(
            "Each round: concentrated training, then practice in the village with an assignment judged at the next round."
        ),
    )


@require_GET
def cyclic_detail(request, pk: int):
    programme = selectors.get_cyclic_programme(request.user, pk)
    rounds, rows = selectors.cyclic_progress(request.user, programme)
    return render(
        request,
        "cultivation/cyclic_detail.html",
        {
            "programme": programme,
            "rounds": rounds,
            "rows": rows,
            "can_manage": selectors.can_manage(request.user, programme.division_id),
        },
    )


@require_http_methods(["GET", "POST"])
def cyclic_round_create(request, pk: int):
    programme = selectors.get_cyclic_programme(request.user, pk)
    require_manager(request.user, programme.division_id)
    form = RoundForm(request.POST or None)
    rules = services.rules_for(programme.division_id)
    return submit(
        request,
        form,
        lambda: services.add_round(actor=request.user, programme=programme, **form.cleaned_data),
        to=("cultivation:cyclic-detail", programme.pk),
        title=_("New round of %(programme)s") % {"programme": programme.name},
        cancel="cultivation:cyclic-list",
        intro=_(
            "Concentrated training of %(shortest_days)s–%(longest_days)s days, then %(shortest)s–%(longest)s "
            "months of practice in the village."
        )
        % {
            "shortest_days": rules.concentrated_minimum_days,
            "longest_days": rules.concentrated_maximum_days,
            "shortest": rules.practice_minimum_months,
            "longest": rules.practice_maximum_months,
        },
    )


@require_http_methods(["GET", "POST"])
def assignment(request, pk: int):
    """One practice assignment: the trainee's own task, the result handed in, the judgement."""
    item = selectors.get_assignment(request.user, pk)
    programme = item.round.programme
    may_manage = selectors.can_manage(request.user, programme.division_id)
    action = request.POST.get("action", "")
    forms = {
        "task": AssignmentTaskForm(
            request.POST if action == "task" else None, initial={"task": item.task}, prefix="task"
        ),
        "submit": AssignmentSubmitForm(
            request.POST if action == "submit" else None,
            initial={"result": item.result, "submitted_on": item.submitted_on or today()},
            prefix="submit",
        ),
        "judge": AssignmentJudgeForm(
            request.POST if action == "judge" else None,
            initial={
                "score": item.score,
                "judged_on": item.judged_on or today(),
                "comment": item.comment,
            },
            prefix="judge",
        ),
    }
    for form in forms.values():
        versioning.track(form, item)
    calls = {
        "task": lambda data: services.set_assignment_task(actor=request.user, assignment=item, **data),
        "submit": lambda data: services.submit_assignment(actor=request.user, assignment=item, **data),
        "judge": lambda data: services.judge_assignment(actor=request.user, assignment=item, **data),
    }
    if request.method == "POST":
        require_manager(request.user, programme.division_id)
        form = forms.get(action)

        def call():
            with versioning.saving(form, PracticeAssignment, pk=item.pk):
                calls[action](form.cleaned_data)

        if form is not None and form.is_valid() and run(form, call):
            return saved(request, "cultivation:assignment", item.pk)
    errors = any(form.errors for form in forms.values())
    return render(
        request,
        "cultivation/assignment.html",
        {"item": item, "programme": programme, "forms": forms if may_manage else None},
        status=400 if errors else 200,
    )
