"""The rules of the election written once: which posts are elected, whose review passed, which targets a
committee (or a slate) meets. Services, selectors, the report and the pages all read them here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yanzhen.core.jurisdiction import jurisdiction_prefix
from yanzhen.elections.models import ElectionState
from yanzhen.people.codes import Gender
from yanzhen.posts.models import PostType

SECRETARY = "secretary"  # 村党组织书记
CHAIR = "chair"  # 村委会主任
MEMBER = "member"  # 两委委员: a candidate for any post may end up elected a member
# The outgoing holders of these posts owe a handover (离任交接: 经济责任审计).
HANDOVER_POSTS = frozenset({SECRETARY, CHAIR})
# The 村"两委": every post but the practice posts and the 村务监督委员会 (the figures' definition,
# stats.figures.INCUMBENT_GROUPS["committee"]).
COMMITTEE = Q(is_practice=False) & ~Q(code="supervision_chair")
YOUNG_AGE = 35  # "at least one member aged 35 or under"


def committee_post_codes() -> frozenset[str]:
    """The codes of the post types elected at 换届."""
    return frozenset(PostType.objects.filter(COMMITTEE).values_list("code", flat=True))


def may_plan(user, county_code: str) -> bool:
    """Whether the user plans and moves the county's elections: an editor of the county (its organisation
    department) or above. A township clerk sees the election and works on his villages' slates only."""
    prefix = jurisdiction_prefix(user)
    return bool(
        prefix is not None
        and user.can_edit
        and len(prefix) <= len(county_code)
        and county_code.startswith(prefix)
    )


def state_label(state: str) -> str:
    try:
        return str(ElectionState(state).label)
    except ValueError:
        return state


class ReviewState(models.TextChoices):
    PENDING = "pending", _("Review pending")  # 待联审
    PASSED = "passed", _("Review passed")  # 联审通过
    FAILED = "failed", _("Review failed")  # 联审不通过


def review_state(candidate, departments: int) -> ReviewState:
    """不通过 as soon as one department says so; 通过 when every department (of `departments`) passed; else
    pending. Reads `candidate.replies.all()` (prefetch it for many)."""
    replies = list(candidate.replies.all())
    if any(not reply.passed for reply in replies):
        return ReviewState.FAILED
    if len({reply.department_id for reply in replies}) >= departments:
        return ReviewState.PASSED
    return ReviewState.PENDING


# --- The structure targets of a village ---------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """One person of a committee (sitting, standing or elected), as the targets read him."""

    person_id: int
    gender: str
    age: int | None
    college: bool  # highest education 大专 or above on the day
    posts: frozenset[str]


@dataclass(frozen=True)
class Miss:
    target: str  # women | young | one_shoulder | younger | better_educated | college | cross_post
    detail: str


TARGET_LABELS = {
    "women": "每个村委会至少一名女性",
    "young": "每村至少一名35岁以下成员",
    "one_shoulder": "书记、主任“一肩挑”比例",
    "college": "大专及以上学历比例",
    "younger": "平均年龄下降（一降）",
    "better_educated": "学历层次提升（一升）",
    "cross_post": "“两委”交叉任职比例",
}


def average_age(members: Iterable[Member]) -> float | None:
    ages = [m.age for m in members if m.age is not None]
    return round(sum(ages) / len(ages), 1) if ages else None


def college_share(members: list[Member]) -> float | None:
    return round(100 * sum(m.college for m in members) / len(members), 2) if members else None


def is_one_shoulder(members: Iterable[Member]) -> bool:
    return any({SECRETARY, CHAIR} <= m.posts for m in members)


def is_cross_post(members: Iterable[Member]) -> bool:
    """交叉任职: someone of the village holds seats of two or more different 两委 posts (一肩挑 included)."""
    return any(len(m.posts) >= 2 for m in members)


def village_misses(election, new: list[Member], before: list[Member]) -> list[Miss]:
    """The village-level targets the new committee (or the slate) misses, compared with the committee
    sitting before the election."""
    misses: list[Miss] = []
    if election.woman_each_committee and not any(m.gender == Gender.FEMALE for m in new):
        misses.append(Miss("women", "没有女性成员"))
    if election.young_each_village and not any(m.age is not None and m.age <= YOUNG_AGE for m in new):
        misses.append(Miss("young", f"没有{YOUNG_AGE}岁以下成员"))
    if election.younger_and_better and before:
        misses += _younger_and_better_misses(new, before)
    return misses


def _younger_and_better_misses(new: list[Member], before: list[Member]) -> list[Miss]:
    """一降一升: the average age lower than before, the share with 大专 or above higher (or already all)."""
    misses = []
    old_age, new_age = average_age(before), average_age(new)
    if old_age is not None and new_age is not None and new_age >= old_age:
        misses.append(Miss("younger", f"平均年龄 {new_age} 岁，换届前 {old_age} 岁，未下降"))
    old_college, new_college = college_share(before), college_share(new)
    if (
        old_college is not None
        and new_college is not None
        and new_college <= old_college
        and new_college < 100
    ):
        misses.append(Miss("better_educated", f"大专及以上占 {new_college}%，换届前 {old_college}%，未提升"))
    return misses
