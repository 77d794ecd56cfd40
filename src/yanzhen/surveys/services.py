"""Writes of the satisfaction surveys: the county creates and edits a survey (its questions while it is a
draft), publishes and closes it; a villager submits an answer sheet (`submit_response`, the one write of the
public page and of the demo). Clerk writes check jurisdiction (404) → role (403) → data (`ValidationError`)
and leave history; the villager's write checks the survey's dates and the limits of `surveys.limits`."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404

from yanzhen.core.guards import attribute_to, raise_errors, require_editor, today
from yanzhen.core.jurisdiction import code_in_jurisdiction, jurisdiction_prefix
from yanzhen.divisions.codes import CODE_LENGTH, Level
from yanzhen.divisions.models import Division
from yanzhen.surveys import limits
from yanzhen.surveys.models import (
    Answer,
    DeviceMark,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveySettings,
    SurveyStatus,
    SurveyVillage,
)

if TYPE_CHECKING:
    from yanzhen.accounts.models import User

TOKEN_BYTES = 8  # secrets.token_urlsafe(8): 11 URL-safe characters, 64 random bits


@dataclass
class SurveyInput:
    title: str
    start: date
    end: date
    intro: str = ""
    feeds_rankings: bool = False
    satisfaction_questions: list[str] = field(default_factory=list)
    yes_no_questions: list[str] = field(default_factory=list)
    villages: list[str] = field(default_factory=list)  # village codes


def state(survey: Survey, day: date | None = None) -> str:
    """draft, scheduled (published, not begun), open, or closed (after its last day or closed early)."""
    day = day or today()
    if survey.status == SurveyStatus.DRAFT:
        return "draft"
    if survey.status == SurveyStatus.CLOSED or day > survey.end:
        return "closed"
    return "scheduled" if day < survey.start else "open"


def may_write(actor: User | None) -> bool:
    """The county (or above) writes surveys; a township clerk reads his villages' results."""
    prefix = jurisdiction_prefix(actor)
    return bool(actor and actor.can_edit) and prefix is not None and len(prefix) <= CODE_LENGTH[Level.COUNTY]


def require_writer(actor: User) -> None:
    require_editor(actor)
    if not may_write(actor):
        raise PermissionDenied


def _villages(actor: User, codes: list[str]) -> list[Division]:
    if any(not code_in_jurisdiction(actor, code) for code in codes):
        raise Http404
    found = {v.code: v for v in Division.objects.filter(code__in=codes, level=Level.VILLAGE)}
    if len(found) != len(set(codes)):
        raise Http404
    return [found[code] for code in dict.fromkeys(codes)]


def _village_errors(villages: list[Division], survey: Survey | None) -> dict[str, str]:
    if not villages:
        return {"villages": "请至少选择一个村"}
    if len({v.code[: CODE_LENGTH[Level.COUNTY]] for v in villages}) > 1:
        return {"villages": "问卷的村须属于同一个县"}
    if survey is not None and survey.status != SurveyStatus.DRAFT:
        asked = set(survey.villages.values_list("village_id", flat=True))
        if not asked <= {v.code for v in villages}:
            return {"villages": "问卷发布后不能去掉已发放的村"}
    return {}


def _question_errors(data: SurveyInput, survey: Survey | None) -> dict[str, str]:
    if survey is not None and survey.status != SurveyStatus.DRAFT:
        return {}  # the questions are fixed once published
    questions = [q for q in data.satisfaction_questions + data.yes_no_questions if q.strip()]
    if not questions:
        return {"satisfaction_questions": "请至少填写一个问题"}
    if any(len(q) > 200 for q in questions):
        return {"satisfaction_questions": "每个问题不超过200字"}
    return {}


def _errors(data: SurveyInput, villages: list[Division], survey: Survey | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = "请填写问卷标题"
    if data.end < data.start:
        errors["end"] = "截止日期不能早于开始日期"
    return errors | _village_errors(villages, survey) | _question_errors(data, survey)


def _write_questions(survey: Survey, actor: User, data: SurveyInput) -> None:
    for question in survey.questions.all():
        attribute_to(question, actor)
        question.delete()
    texts = [(t.strip(), QuestionKind.SATISFACTION) for t in data.satisfaction_questions if t.strip()]
    texts += [(t.strip(), QuestionKind.YES_NO) for t in data.yes_no_questions if t.strip()]
    for position, (text, kind) in enumerate(texts, start=1):
        question = Question(survey=survey, position=position, text=text, kind=kind)
        attribute_to(question, actor)
        question.save()


def _write_villages(survey: Survey, actor: User, villages: list[Division]) -> None:
    wanted = {v.code for v in villages}
    for member in survey.villages.all():
        if member.village_id not in wanted:
            attribute_to(member, actor)
            member.delete()
        else:
            wanted.discard(member.village_id)
    for code in sorted(wanted):
        member = SurveyVillage(survey=survey, village_id=code, token=secrets.token_urlsafe(TOKEN_BYTES))
        attribute_to(member, actor)
        member.save()


@transaction.atomic
def create_survey(*, actor: User, data: SurveyInput) -> Survey:
    villages = _villages(actor, data.villages)
    require_writer(actor)
    raise_errors(_errors(data, villages, None))
    survey = Survey(
        county_id=villages[0].code[: CODE_LENGTH[Level.COUNTY]],
        title=data.title,
        intro=data.intro,
        start=data.start,
        end=data.end,
        feeds_rankings=data.feeds_rankings,
        created_by=actor,
    )
    attribute_to(survey, actor)
    survey.save()
    _write_questions(survey, actor, data)
    _write_villages(survey, actor, villages)
    return survey


def survey_to_change(actor: User, survey_id: int) -> Survey:
    """The survey re-read in the jurisdiction and locked (inside the caller's transaction); 404, then 403."""
    survey = Survey.objects.restrict(actor).select_for_update().filter(pk=survey_id).first()
    if survey is None:
        raise Http404
    require_writer(actor)
    return survey


@transaction.atomic
def update_survey(*, actor: User, survey: Survey, data: SurveyInput) -> Survey:
    survey = survey_to_change(actor, survey.pk)
    villages = _villages(actor, data.villages)
    errors = _errors(data, villages, survey)
    if villages and villages[0].code[: CODE_LENGTH[Level.COUNTY]] != survey.county_id:
        errors["villages"] = "问卷的村须属于本县"
    raise_errors(errors)
    for name in ("title", "intro", "start", "end", "feeds_rankings"):
        setattr(survey, name, getattr(data, name))
    attribute_to(survey, actor)
    survey.save()
    if survey.status == SurveyStatus.DRAFT:
        _write_questions(survey, actor, data)
    _write_villages(survey, actor, villages)
    return survey


@transaction.atomic
def set_status(*, actor: User, survey: Survey, status: str) -> Survey:
    """Publish a draft, or close a published survey early."""
    survey = survey_to_change(actor, survey.pk)
    allowed = {SurveyStatus.PUBLISHED: SurveyStatus.DRAFT, SurveyStatus.CLOSED: SurveyStatus.PUBLISHED}
    if allowed.get(status) != survey.status:  # type: ignore[call-overload]
        raise_errors({"status": "问卷当前状态不能进行此操作"})
    if status == SurveyStatus.PUBLISHED and not survey.questions.exists():
        raise_errors({"status": "问卷还没有问题"})
    survey.status = status
    attribute_to(survey, actor)
    survey.save()
    return survey


# -- the villager's answer -------------------------------------------------------------------------------------


class Refused(Exception):
    """The limits refuse the answer (`message` says why, in Chinese, for the page)."""

    def __init__(self, message: str, *, challenge: bool = False):
        super().__init__(message)
        self.message = message
        self.challenge = challenge


ALREADY_ANSWERED = "这部手机已经答过本问卷，每部手机限答一次。感谢您的参与！"
TOO_MANY = "同一网络本小时提交的问卷已达上限，请稍后再试。"
CHALLENGE_NEEDED = "同一网络提交的问卷较多，请先回答下面的算术题。"
CHALLENGE_WRONG = "算术题答案不对，请重新计算。"


@dataclass
class Submission:
    answers: dict[int, str]  # question id → choice value
    device: str  # the phone's random value (from its cookie, or new)
    address: str | None  # the network address (counted under an HMAC, never stored)
    challenge_signed: str = ""
    challenge_answer: str = ""


def questions_needing_challenge(address: str | None) -> bool:
    return limits.answers_this_hour(address) >= limits.challenge_after()


def _answer_errors(questions: list[Question], answers: dict[int, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for question in questions:
        choice = answers.get(question.pk, "")
        if not choice:
            if question.required:
                errors[f"q{question.pk}"] = f"请回答第{question.position}题"
        elif choice not in dict(question.choices):
            errors[f"q{question.pk}"] = f"第{question.position}题的选项无效"
    return errors


def _check_limits(member: SurveyVillage, data: Submission) -> None:
    if DeviceMark.objects.filter(
        survey_id=member.survey_id, mark=limits.device_mark(member.survey_id, data.device)
    ).exists():
        raise Refused(ALREADY_ANSWERED)
    count = limits.answers_this_hour(data.address)
    if count >= limits.hard_limit():
        raise Refused(TOO_MANY)
    if count >= limits.challenge_after():
        if not data.challenge_signed:
            raise Refused(CHALLENGE_NEEDED, challenge=True)
        if not limits.challenge_passed(member.token, data.challenge_signed, data.challenge_answer):
            raise Refused(CHALLENGE_WRONG, challenge=True)


@transaction.atomic
def submit_response(*, member: SurveyVillage, data: Submission) -> Response:
    """Store one anonymous answer sheet. Raises Http404 when the survey is not open, `Refused` when a limit
    refuses, `ValidationError` (keyed q<id>) for a missing or invalid answer; writes nothing then."""
    member = SurveyVillage.objects.select_related("survey").get(pk=member.pk)
    if state(member.survey) != "open":
        raise Http404
    _check_limits(member, data)
    questions = list(member.survey.questions.all())
    raise_errors(_answer_errors(questions, data.answers))
    try:
        with transaction.atomic():  # the same phone twice at once: the unique mark refuses the second
            DeviceMark.objects.create(
                survey_id=member.survey_id,
                mark=limits.device_mark(member.survey_id, data.device),
                day=today(),
            )
    except IntegrityError:
        raise Refused(ALREADY_ANSWERED) from None
    response = Response.objects.create(survey_village=member, submitted_on=today())
    Answer.objects.bulk_create(
        Answer(response=response, question=q, choice=data.answers[q.pk])
        for q in questions
        if data.answers.get(q.pk)
    )
    limits.count_answer(data.address)
    return response


# -- the county's scoring item fed by satisfaction ----------------------------------------------------------------


def set_score_item(*, actor, county: Division, item_id: int | None) -> SurveySettings:
    """The county (its administrator) chooses the monthly scoring item the villages' satisfaction feeds (None:
    none); one item, one source (`assessments.incumbents.fed_items`)."""
    from yanzhen.assessments.incumbents.fed_items import choose_item

    return choose_item(actor=actor, county=county, item_id=item_id, settings_model=SurveySettings)
