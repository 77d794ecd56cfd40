"""The villagers' answer page, reached from the QR code or short link of a village's poster: no account, no
navigation, Chinese, phone-sized. It stores the answers through `services.submit_response` and nothing about
who gave them (see `surveys.models`); the limits (`surveys.limits`) are stated on the page."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from yanzhen.core.audit import client_ip
from yanzhen.surveys import limits, services
from yanzhen.surveys.models import DeviceMark, SurveyStatus, SurveyVillage

STATUS = {services.ALREADY_ANSWERED: 409, services.TOO_MANY: 429}


def _member(token: str) -> SurveyVillage:
    member = (
        SurveyVillage.objects.select_related("survey", "village", "village__parent")
        .exclude(survey__status=SurveyStatus.DRAFT)
        .filter(token=token)
        .first()
    )
    if member is None:
        raise Http404
    return member


def _page(request, member, *, status=200, **context):
    return render(
        request,
        "surveys/answer.html",
        {"member": member, "survey": member.survey, "statement": limits.statement(), **context},
        status=status,
    )


def _already(request, member) -> bool:
    value = limits.device_value(request)
    mark = limits.device_mark(member.survey_id, value) if value else None
    return mark is not None and DeviceMark.objects.filter(survey_id=member.survey_id, mark=mark).exists()


def _refusal(request, member):
    """The page instead of the questions when the survey is not open or a limit refuses outright, or None."""
    state = services.state(member.survey)
    if state != "open":
        return _page(request, member, closed=state, status=410 if state == "closed" else 200)
    if _already(request, member):
        return _page(request, member, refused=services.ALREADY_ANSWERED, status=409)
    if limits.answers_this_hour(client_ip(request)) >= limits.hard_limit():
        return _page(request, member, refused=services.TOO_MANY, status=429)
    return None


def _questions(member, answers=None, errors=None):
    errors = errors or {}
    return [
        {
            "question": q,
            "name": f"q{q.pk}",
            "chosen": (answers or {}).get(q.pk, ""),
            "error": errors.get(f"q{q.pk}"),
        }
        for q in member.survey.questions.all()
    ]


def _challenge(request, member):
    if services.questions_needing_challenge(client_ip(request)):
        return limits.new_challenge(member.token)
    return None


@never_cache  # the page holds a CSRF token and a one-off sum: no shared cache keeps it
@require_http_methods(["GET", "POST"])
def answer(request, token: str):
    member = _member(token)
    refusal = _refusal(request, member)
    if refusal is not None:
        return refusal
    if request.method == "GET":
        return _page(request, member, questions=_questions(member), challenge=_challenge(request, member))
    answers = {q.pk: request.POST.get(f"q{q.pk}", "")[:20] for q in member.survey.questions.all()}
    device = limits.device_value(request) or limits.new_device_value()
    data = services.Submission(
        answers=answers,
        device=device,
        address=client_ip(request),
        challenge_signed=request.POST.get("challenge", "")[:500],
        challenge_answer=request.POST.get("challenge_answer", "")[:10],
    )
    try:
        services.submit_response(member=member, data=data)
    except services.Refused as refused:
        status = STATUS.get(refused.message, 400)
        questions = None if status != 400 else _questions(member, answers)
        return _page(
            request,
            member,
            refused=refused.message,
            questions=questions,
            challenge=limits.new_challenge(member.token) if refused.challenge else None,
            status=status,
        )
    except ValidationError as error:
        return _page(
            request,
            member,
            questions=_questions(member, answers, error.message_dict),
            challenge=_challenge(request, member),
            invalid=True,
            status=400,
        )
    response = redirect("survey-thanks", token=member.token)
    limits.remember_device(response, device)
    return response


@require_GET
def thanks(request, token: str):
    member = _member(token)
    return render(request, "surveys/thanks.html", {"member": member, "survey": member.survey})
