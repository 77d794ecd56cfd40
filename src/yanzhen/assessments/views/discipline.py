"""Pages of 处分记录 (recorded from a person's archive, corrected or deleted there) and of 容错免责 (an application
registered from the archive, the county's determination on the case's page); a save that makes a rule fire says
so (已生成出库建议 →)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yanzhen.assessments import rules, selectors, services
from yanzhen.assessments.forms import DisciplineForm, ToleranceDeterminationForm, ToleranceForm
from yanzhen.assessments.models import DisciplineRecord
from yanzhen.assessments.views.common import announces_fired_rules, person_from_query, require_reader, saved
from yanzhen.core import versioning
from yanzhen.core.guards import today
from yanzhen.core.views_kit import village_form_page


def _input(form: DisciplineForm) -> services.DisciplineInput:
    return services.DisciplineInput(**form.cleaned_data)


def _require_role(request) -> None:
    if not rules.may_record_discipline(request.user):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
@announces_fired_rules
def discipline_create(request):
    person = person_from_query(request)
    _require_role(request)
    form = DisciplineForm(request.POST or None)
    if saved(
        request,
        form,
        lambda: services.record_discipline(actor=request.user, person=person, data=_input(form)),
    ):
        return redirect("people:archive", pk=person.pk)
    return village_form_page(request, "assessments/discipline_form.html", person.village, form, person=person)


@require_http_methods(["GET", "POST"])
@announces_fired_rules
def discipline_edit(request, pk: int):
    record = selectors.get_discipline(request.user, pk)
    _require_role(request)
    initial = {name: getattr(record, name) for name in DisciplineForm.base_fields}
    form = DisciplineForm(request.POST or None, initial=initial)
    versioning.track(form, record)
    if saved(
        request,
        form,
        lambda: services.update_discipline(actor=request.user, record=record, data=_input(form)),
        within=versioning.saving(form, DisciplineRecord, pk=record.pk),
    ):
        return redirect("people:archive", pk=record.person_id)
    return village_form_page(
        request,
        "assessments/discipline_form.html",
        record.person.village,
        form,
        person=record.person,
        record=record,
    )


@require_POST
@announces_fired_rules
def discipline_delete(request, pk: int):
    record = selectors.get_discipline(request.user, pk)
    services.delete_discipline(actor=request.user, record=record)
    messages.success(request, _("Deleted."))
    return redirect("people:archive", pk=record.person_id)


# -- 容错免责 ----------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def tolerance_create(request):
    person = person_from_query(request)
    _require_role(request)
    form = ToleranceForm(request.POST or None, person=person)
    case = saved(
        request,
        form,
        lambda: services.apply_for_tolerance(
            actor=request.user,
            person=person,
            data=services.ToleranceInput(
                matter=form.cleaned_data["matter"],
                applied_on=form.cleaned_data["applied_on"],
                application=form.cleaned_data["application"],
                **form.concerned(),
            ),
        ),
    )
    if case is not None:
        return redirect("assessments:tolerance-detail", pk=case.pk)
    return village_form_page(request, "assessments/tolerance_form.html", person.village, form, person=person)


@require_http_methods(["GET", "POST"])
@announces_fired_rules
def tolerance_detail(request, pk: int):
    case = selectors.get_tolerance_case(request.user, pk)
    require_reader(request)
    may_determine = rules.may_determine_tolerance(request.user) and case.determination == "pending"
    form = (
        ToleranceDeterminationForm(request.POST or None, initial={"determined_on": today()})
        if may_determine
        else None
    )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if saved(
            request,
            form,
            lambda: services.determine_tolerance(
                actor=request.user,
                case=case,
                exempt=form.cleaned_data["determination"] == "exempted",
                on=form.cleaned_data["determined_on"],
                reasoning=form.cleaned_data["reasoning"],
            ),
        ):
            return redirect("assessments:tolerance-detail", pk=case.pk)
    return village_form_page(
        request, "assessments/tolerance_detail.html", case.person.village, form, person=case.person, case=case
    )
