"""The demo county's villagers' satisfaction survey (issue 20 §2): this half-year's survey of 盐池县 over the
villages of 花马池镇, open, five questions, with some fifteen answer sheets in four villages, written through
the service the public page uses (a made-up phone for each, one made-up address), so the results show figures.

Idempotent: a survey of the same title is left alone. `build_survey_feed` then lets the villages' satisfaction
feed the county's 月考评 item "群众满意" (the monthly score forms suggest it)."""

from __future__ import annotations

import random
from datetime import date

from django.db import transaction

from yanzhen.accounts.models import User
from yanzhen.core.guards import today
from yanzhen.divisions.models import Division
from yanzhen.surveys import services
from yanzhen.surveys.models import Survey, SurveySettings, SurveyStatus

QUESTIONS = [
    "您对本村党组织和村“两委”班子的总体评价",
    "您对村务、财务公开情况的评价",
    "您对村干部为民办事、服务群众的评价",
    "您对本村人居环境整治的评价",
]
YES_NO = ["今年您是否参加过村民会议或村民代表会议"]
ADDRESS = "192.0.2.10"  # a documentation address: the demo's answers come from "one village network"
# Answer sheets per village (by position in 花马池镇), each a list of weights over 很满意 … 很不满意.
SHEETS = {0: 6, 1: 4, 2: 3, 4: 2}
WEIGHTS = [35, 35, 18, 8, 4]


def _half_year() -> tuple[date, date]:
    day = today()
    if day.month <= 6:
        return date(day.year, 1, 1), date(day.year, 6, 30)
    return date(day.year, 7, 1), date(day.year, 12, 31)


@transaction.atomic
def build_surveys(county: str, township: str) -> None:
    start, end = _half_year()
    half = "上半年" if start.month == 1 else "下半年"
    title = f"{start.year}年{half}村级组织群众满意度调查"
    if Survey.objects.filter(county_id=county, title=title).exists():
        return
    actor = User.objects.get(username="county")
    villages = list(
        Division.objects.filter(parent_id=township)
        .administrative_villages()
        .order_by("code")
        .values_list("code", flat=True)
    )
    survey = services.create_survey(
        actor=actor,
        data=services.SurveyInput(
            title=title,
            intro="为了解群众对村级组织工作的评价，请您如实填写。问卷匿名，约需1分钟。",
            start=start,
            end=end,
            feeds_rankings=True,
            satisfaction_questions=QUESTIONS,
            yes_no_questions=YES_NO,
            villages=villages,
        ),
    )
    services.set_status(actor=actor, survey=survey, status=SurveyStatus.PUBLISHED)
    rng = random.Random(2026)
    questions = list(survey.questions.order_by("position"))
    members = {m.village_id: m for m in survey.villages.all()}
    for index, count in SHEETS.items():
        if index >= len(villages):
            continue
        for n in range(count):
            answers = {
                q.pk: rng.choices(["5", "4", "3", "2", "1"], WEIGHTS)[0]
                if q.kind == "satisfaction"
                else rng.choice(["yes", "no"])
                for q in questions
            }
            services.submit_response(
                member=members[villages[index]],
                data=services.Submission(answers=answers, device=f"demo-{index}-{n}", address=ADDRESS),
            )


def build_survey_feed(county: str) -> None:
    """The county's item "群众满意" fed by the villages' satisfaction; left alone once the county chose one."""
    from yanzhen.assessments.models import IncumbentScoreItem

    if SurveySettings.objects.filter(county_id=county, score_item__isnull=False).exists():
        return
    item = IncumbentScoreItem.objects.filter(county_id=county, name="群众满意").first()
    if item is not None:
        services.set_score_item(
            actor=User.objects.get(username="county"),
            county=Division.objects.get(code=county),
            item_id=item.pk,
        )
