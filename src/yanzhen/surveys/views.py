"""The clerks' pages of the satisfaction surveys: the list, the form, a survey (its villages with link, QR
code and poster, the results per village and question), publishing and closing, the results export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yanzhen.accounts.roles import Role
from yanzhen.assessments.incumbents.services import score_items
from yanzhen.core import versioning
from yanzhen.core.guards import today
from yanzhen.core.listing import ListSpec
from yanzhen.core.views_kit import form_page, saved
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.surveys import exports, limits, qr, selectors, services
from yanzhen.surveys.forms import ScoreItemForm, SurveyForm
from yanzhen.surveys.models import QuestionKind, Survey, SurveySettings, SurveyStatus

SURVEYS = ListSpec(
    sorts={"title": ("title",), "start": ("start",), "end": ("end",)},
    default_sort="-start",
)

STATE_LABELS = {"draft": "草稿", "scheduled": "未开始", "open": "答题中", "closed": "已结束"}


@require_GET
def survey_list(request):
    surveys = selectors.surveys_of(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        surveys = surveys.filter(title__icontains=query)
    listing = SURVEYS.page(request, surveys)
    for survey in listing.page:
        survey.state_label = STATE_LABELS[services.state(survey)]
    return form_page(
        request,
        "surveys/list.html",
        None,
        listing=listing,
        can_write=services.may_write(request.user),
        can_set=_county_admin(request.user),
    )


def _county_admin(user) -> bool:
    """A county's administrator: the one who chooses the item satisfaction feeds."""
    return len(user.division_id or "") == 6 and user.has_role(Role.ADMIN)


def _choices(user):
    villages = Division.objects.restrict(user).villages().order_by("code")
    townships = Division.objects.restrict(user).filter(children__in=villages).distinct().order_by("code")
    return {"villages": villages, "townships": townships}


def _form_page(request, form, survey=None):
    return form_page(request, "surveys/form.html", form, survey=survey)


@require_http_methods(["GET", "POST"])
def survey_create(request):
    services.require_writer(request.user)
    start = today()
    form = SurveyForm(
        request.POST or None,
        initial={"start": start, "end": start.replace(day=28), "satisfaction_questions": ""},
        **_choices(request.user),
    )
    created: list[Survey] = []
    if saved(
        request,
        form,
        lambda: created.append(
            services.create_survey(actor=request.user, data=services.SurveyInput(**form.service_data()))
        ),
    ):
        return redirect("surveys:detail", pk=created[0].pk)
    return _form_page(request, form)


@require_http_methods(["GET", "POST"])
def survey_edit(request, pk: int):
    survey = selectors.get_survey(request.user, pk)
    services.require_writer(request.user)
    questions = list(survey.questions.all())
    form = SurveyForm(
        request.POST or None,
        initial={
            "title": survey.title,
            "intro": survey.intro,
            "start": survey.start,
            "end": survey.end,
            "feeds_rankings": survey.feeds_rankings,
            "satisfaction_questions": "\n".join(
                q.text for q in questions if q.kind == QuestionKind.SATISFACTION
            ),
            "yes_no_questions": "\n".join(q.text for q in questions if q.kind == QuestionKind.YES_NO),
            "villages": [m.village for m in survey.villages.select_related("village")],
        },
        questions_locked=survey.status != SurveyStatus.DRAFT,
        **_choices(request.user),
    )
    versioning.track(form, survey)
    if saved(
        request,
        form,
        lambda: services.update_survey(
            actor=request.user, survey=survey, data=services.SurveyInput(**form.service_data())
        ),
        within=versioning.saving(form, Survey, pk=survey.pk),
    ):
        return redirect("surveys:detail", pk=survey.pk)
    return _form_page(request, form, survey)


@require_GET
def survey_detail(request, pk: int):
    survey = selectors.get_survey(request.user, pk)
    villages, overall = selectors.results(request.user, survey)
    for result in villages:
        result.link = qr.short_link(request, result.member)  # type: ignore[attr-defined]
    state = services.state(survey)
    return form_page(
        request,
        "surveys/detail.html",
        None,
        survey=survey,
        state=state,
        state_label=STATE_LABELS[state],
        questions=survey.questions.all(),
        villages=villages,
        overall=overall,
        can_write=services.may_write(request.user),
        statement=limits.statement(),
    )


@require_POST
def survey_status(request, pk: int, status: str):
    survey = selectors.get_survey(request.user, pk)
    if status not in (SurveyStatus.PUBLISHED, SurveyStatus.CLOSED):
        return redirect("surveys:detail", pk=survey.pk)
    try:
        services.set_status(actor=request.user, survey=survey, status=status)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    return redirect("surveys:detail", pk=survey.pk)


@require_GET
def poster(request, pk: int, code: str):
    survey = selectors.get_survey(request.user, pk)
    member = get_object_or_404(selectors.villages_of(request.user, survey), village_id=code)
    link = qr.short_link(request, member)
    return form_page(
        request,
        "surveys/poster.html",
        None,
        survey=survey,
        member=member,
        link=link,
        qr=qr.qr_svg(link, scale=8),
        statement=limits.statement(),
    )


@require_GET
def results_export(request, pk: int):
    survey = selectors.get_survey(request.user, pk)
    return exports.results_export(request, survey)


# -- the county's scoring item fed by satisfaction ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def settings_page(request):
    """The county administrator chooses the monthly scoring item the villages' satisfaction feeds (月考评
    pre-fill)."""
    county = Division.objects.filter(code=(request.user.division_id or "")[:6], level=Level.COUNTY).first()
    if county is None:
        raise Http404
    if not request.user.has_role(Role.ADMIN):
        raise PermissionDenied
    row = SurveySettings.objects.filter(county=county).first()
    form = ScoreItemForm(
        request.POST if request.method == "POST" else None,
        initial={"score_item": (row.score_item_id if row is not None else None) or ""},
        items=score_items(county.code),
    )
    if saved(
        request,
        form,
        lambda: services.set_score_item(
            actor=request.user, county=county, item_id=int(form.cleaned_data["score_item"] or 0) or None
        ),
    ):
        return redirect("surveys:settings")
    return form_page(
        request,
        "surveys/settings.html",
        form,
        division=county,
        breadcrumb=county.ancestors(),
        title=_("Satisfaction and the monthly score"),
        cancel=reverse("surveys:index"),
        help=_(
            "The monthly score forms suggest this item's score for every incumbent of a village as points × the village's satisfaction (satisfied answers ÷ answers to the five-level questions) of the surveys counted for the villages compared whose period overlaps the month, rounded half up; the clerk may change it."
        ),
    )
