""" "加入培训…" from the person list: the clerk has ticked people and picks one of the trainings he runs; he is
then sent to that training's enrolment page with the people pre-selected
(`/cultivation/trainings/<id>/enrol/?person=<id>&person=<id>`, the enrolment page's contract). Nothing is
written here: the enrolment page confirms and saves."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from yanzhen.core.guards import require_editor
from yanzhen.core.listing import selected_ids
from yanzhen.cultivation import selectors
from yanzhen.cultivation.views.common import require_manager
from yanzhen.people.models import Person

MAX_TRAININGS = 200


def trainings_to_enrol_into(user) -> list:
    """The trainings the user may enrol people into (those he manages), the newest first."""
    trainings = selectors.trainings(user).order_by("-start", "-id")
    return [t for t in trainings[: MAX_TRAININGS * 2] if selectors.can_manage(user, t.division_id)][
        :MAX_TRAININGS
    ]


@require_GET
def enrol_selected(request):
    require_editor(request.user)
    ids = selected_ids(request)
    # Only the people the user sees: an id from outside his jurisdiction is dropped here already.
    people = list(
        Person.objects.restrict(request.user)
        .filter(pk__in=ids)
        .order_by("name_pinyin", "pk")
        .only("pk", "name")
    )
    raw = request.GET.get("training", "")
    if raw.isdigit() and people:
        training = selectors.get_training(request.user, int(raw))
        require_manager(request.user, training.division_id)
        target = reverse("cultivation:training-enrol", args=[training.pk])
        return redirect(f"{target}?{urlencode([('person', person.pk) for person in people])}")
    return render(
        request,
        "cultivation/enrol_selected.html",
        {
            "people": people,
            "trainings": trainings_to_enrol_into(request.user),
        },
        status=200 if people else 400,
    )
