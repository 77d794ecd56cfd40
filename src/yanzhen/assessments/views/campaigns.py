"""Pages of the 回头看 check-up campaigns and of commendations (表彰奖励)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yanzhen.assessments import dimensions, rules, selectors, services
from yanzhen.assessments.forms import (
    CampaignForm,
    CheckupForm,
    CommendationForm,
)
from yanzhen.assessments.models import (
    Checkup,
    Conclusion,
)
from yanzhen.assessments.views.common import (
    announces_fired_rules,
    county_of,
    division_code,
    file_response,
    person_from_query,
    reader_division,
    require_reader,
    saved,
)
from yanzhen.core import guards, versioning
from yanzhen.core.forms import add_service_errors
from yanzhen.core.guards import get_for_view
from yanzhen.core.views_kit import form_page, village_form_page
from yanzhen.people.models import Person

# -- check-up campaigns ------------------------------------------------------------------------------------


@require_GET
def campaign_list(request):
    require_reader(request)
    return render(
        request,
        "assessments/campaign_list.html",
        {
            "campaigns": selectors.campaigns(request.user),
            "can_open": rules.may_open_campaign(request.user),
            "today": guards.today(),
        },
    )


@require_http_methods(["GET", "POST"])
def campaign_open(request):
    if not rules.may_open_campaign(request.user):
        raise PermissionDenied
    county = county_of(request.user)
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if county is None:
            form.add_error(None, _("Only an account of a county or below can open a check-up campaign."))
        else:
            campaign = saved(
                request,
                form,
                lambda: services.open_campaign(actor=request.user, county=county, **form.cleaned_data),
            )
            if campaign is not None:
                return redirect("assessments:campaign-detail", pk=campaign.pk)
    return form_page(request, "assessments/campaign_form.html", form, county=county)


@require_GET
def campaign_detail(request, pk: int):
    campaign = selectors.get_campaign(request.user, pk)
    division = reader_division(request)
    under = division_code(division)
    show_people = len(under) >= 9
    return render(
        request,
        "assessments/campaign_detail.html",
        {
            "campaign": campaign,
            "division": division,
            "progress": selectors.campaign_progress(request.user, campaign),
            "people": selectors.campaign_people(request.user, campaign, under) if show_people else None,
            "conclusions": Conclusion.choices,
            "can_fill": rules.may_fill_checkup(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@announces_fired_rules
def checkup(request, pk: int, person: int):
    campaign = selectors.get_campaign(request.user, pk)
    person_record = get_for_view(Person.objects.select_related("village"), request.user, pk=person)
    if not person_record.village_id.startswith(campaign.county_id):
        raise Http404
    if not rules.may_fill_checkup(request.user):
        raise PermissionDenied
    existing = Checkup.objects.filter(campaign=campaign, person=person_record).first()
    initial = (
        {name: getattr(existing, name) for name in CheckupForm.base_fields}
        | {item["key"]: item["score"] for item in dimensions.snapshot_of(existing)}
        if existing is not None
        else {"filled_on": min(guards.today(), campaign.end)}
    )
    form = CheckupForm(
        request.POST or None, initial=initial, dimensions=dimensions.of_record(existing, campaign.county_id)
    )
    versioning.track(form, existing)
    if request.method == "POST" and form.is_valid():
        try:
            with versioning.saving(form, Checkup, campaign=campaign, person=person_record):
                services.save_checkup(
                    actor=request.user,
                    campaign=campaign,
                    person=person_record,
                    data=form.checkup_input(),
                )
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, _("Saved."))
            return redirect(
                reverse("assessments:campaign-detail", args=[campaign.pk])
                + "?"
                + urlencode({"division": person_record.village_id[:9]})
            )
    return form_page(
        request,
        "assessments/checkup_form.html",
        form,
        campaign=campaign,
        person=person_record,
        existing=existing,
    )


# -- commendations -----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def commendation_create(request):
    person = person_from_query(request)
    if not rules.may_commend(request.user):
        raise PermissionDenied
    form = CommendationForm(request.POST or None, request.FILES or None)
    if saved(
        request,
        form,
        lambda: services.add_commendation(actor=request.user, person=person, **form.cleaned_data),
    ):
        return redirect("people:archive", pk=person.pk)
    return village_form_page(
        request, "assessments/commendation_form.html", person.village, form, person=person
    )


@require_GET
def commendation_document(request, pk: int):
    commendation = selectors.get_commendation(request.user, pk)
    require_reader(request)
    return file_response(commendation.document, commendation.document_content_type, commendation.title)
