"""The demo county's 9-box (issue 21 §3): a potential rating with its reason for the reserves in the pool and
the sitting village cadres of 盐池县, and one closed calibration session (校准会) of 花马池镇 with a few changes.

Deterministic: the people in the 9-box's order (village, cadres first, name); every 13th is left unrated (the
page's 未评定 list), the others rated `FIRST_DAYS` days ago by their place in a fixed cycle of levels that follows
their performance today, each with a reason of its level; every 6th was rated again `SECOND_DAYS` days ago at the
next level, so the moves between two days and a person's box over time show something. The ratings are written
in bulk with their history rows attributed to the county's administrator (a thousand services' checks would only
re-read what this stage just read). The session of 花马池镇 is held three days ago by its clerk and goes through
`talent.services`: four changes (the first person of a few boxes moved one level), each with its reason, then
closed. Idempotent: a county with ratings is left alone."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from yanzhen.accounts.models import User
from yanzhen.core.guards import today
from yanzhen.people.models import Person
from yanzhen.talent import selectors, services
from yanzhen.talent.models import PotentialRating

# The cycle of levels by the person's performance today (the county's judgement leans on the record, not wholly).
CYCLES = {
    "high": ("high", "high", "medium", "high", "low"),
    "medium": ("medium", "high", "medium", "low", "medium", "high", "medium"),
    "low": ("low", "medium", "low", "high"),
    None: ("medium", "high", "medium", "low", "medium"),
}
NEXT = {"low": "medium", "medium": "high", "high": "medium"}
REASONS = {
    "high": (
        "政治素质好，带富能力突出，群众公认度高",
        "年轻有闯劲，多岗位历练成效明显",
        "敢于担当，处理急难险重任务表现突出",
    ),
    "medium": (
        "工作踏实，能力尚需在实践中提升",
        "群众基础较好，统筹协调能力一般",
        "履职稳定，创新意识有待加强",
    ),
    "low": ("年龄偏大，发展后劲不足", "外出时间较多，参与村务较少", "履职能力与岗位要求有差距"),
}
FIRST_DAYS = 200
SECOND_DAYS = 60
# The session's changes: the first person of each of these boxes (four at most) moves one level, with a reason.
SESSION_BOXES = (
    "medium-high",
    "low-low",
    "medium-medium",
    "high-low",
    "low-medium",
    "high-medium",
    "medium-low",
)
SESSION_MOVES = {
    "high": ("medium", "外出务工时间增多，暂缓重点培养"),
    "medium": ("high", "集体研判：实绩突出，群众认可"),
    "low": ("medium", "整改后表现明显进步，带领群众增收见效"),
}
SESSION_CHANGES = 4


def _rows(members: list[selectors.Member], actor: User) -> list[PotentialRating]:
    first, second = today() - timedelta(days=FIRST_DAYS), today() - timedelta(days=SECOND_DAYS)
    rows = []
    for index, member in enumerate(members):
        if index % 13 == 12:
            continue
        cycle = CYCLES[member.performance.level if member.performance else None]
        rating = cycle[index % len(cycle)]
        reasons = REASONS[rating]
        rows.append(
            PotentialRating(
                person_id=member.person_id,
                rating=rating,
                reason=reasons[index % len(reasons)],
                rated_on=first,
                rated_by=actor,
            )
        )
        if index % 6 == 5:
            again = NEXT[rating]
            rows.append(
                PotentialRating(
                    person_id=member.person_id,
                    rating=again,
                    reason=REASONS[again][index % len(REASONS[again])],
                    rated_on=second,
                    rated_by=actor,
                )
            )
    return rows


def _calibrate(township: str, clerk: User) -> None:
    session = services.create_session(
        actor=clerk,
        data=services.SessionInput(
            township,
            today() - timedelta(days=3),
            "镇党委书记、镇党委副书记、组织委员、各村第一书记",
            "年度后备力量和村干部潜力集体校准",
        ),
    )
    grid = selectors.ninebox(clerk, township)
    firsts = [members[0] for key in SESSION_BOXES if (members := grid.members_of(key))]
    for member in firsts[:SESSION_CHANGES]:
        assert member.potential is not None
        after, reason = SESSION_MOVES[member.potential.rating]
        person = Person.objects.get(pk=member.person_id)
        services.change_in_session(actor=clerk, session=session, person=person, rating=after, reason=reason)
    services.close_session(actor=clerk, session=session)


@transaction.atomic
def build_ninebox(county: str, township: str) -> int:
    """Rate the county's reserves and incumbents and calibrate the township; the number of ratings written."""
    if PotentialRating.objects.filter(person__village__code__startswith=county).exists():
        return 0
    actor = User.objects.get(username="county")
    members = selectors.place(selectors.population(None, county, today()), today())
    rows = _rows(members, actor)
    bulk_create_with_history(rows, PotentialRating, default_user=actor)
    _calibrate(township, User.objects.get(username="huamachi"))
    return len(rows)
