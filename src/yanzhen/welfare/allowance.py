"""The register of 离任生活补贴, computed on demand from the county's `AllowanceRule` and the term history, so a
change of rule recomputes it by construction.

- A former cadre: a person with at least one ended term in a qualifying post in the county and no open one.
- Years served, as the organisation department counts 任职年限 (years and months): the qualifying terms are
  merged where they overlap (一肩挑: secretary and chair at once count once); each merged stretch counts its
  complete calendar months (2010-01-01 to 2019-01-01 is 108 months, whatever the leap days), the leftover days
  of all stretches add up at 30 days a month; the band is chosen by the completed years (months // 12).
- Not eligible: a qualifying term ended for a disqualifying reason, or fewer completed years than the lowest
  band. Otherwise eligible from the later of leaving (the day after his last qualifying day) and the day he
  reaches the rule's age; before that day he is listed as 待符合 with the day.
- His township is that of the village of his last qualifying term.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from yanzhen.core.dates import add_months
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person
from yanzhen.posts.models import PostType, Term, TermEndReason
from yanzhen.welfare import rules
from yanzhen.welfare.models import AllowanceRule

DAYS_A_MONTH = 30


class Status:
    ELIGIBLE = "eligible"
    PENDING = "pending"
    INELIGIBLE = "ineligible"


STATUS_NAMES = {Status.ELIGIBLE: "符合", Status.PENDING: "待符合", Status.INELIGIBLE: "不符合"}
REASON_NAMES = {
    TermEndReason.ELECTION: "换届",
    TermEndReason.RESIGNED: "辞职",
    TermEndReason.TRANSFERRED: "调整",
    TermEndReason.DISMISSED: "免职/罢免",
    TermEndReason.DIED: "去世",
    TermEndReason.OTHER: "其他",
}


@dataclass
class RegisterRow:
    person: Person
    village: Division
    township: str
    posts: str
    months: int  # complete months served
    left_on: date  # the first day no longer holding a qualifying post
    age_on: date  # the day he reaches the rule's age
    status: str
    eligible_from: date | None
    amount: Decimal | None
    reason: str

    @property
    def status_name(self) -> str:
        return STATUS_NAMES[self.status]

    @property
    def full_years(self) -> int:
        return self.months // 12

    @property
    def served(self) -> str:
        years, months = divmod(self.months, 12)
        return f"{years}年{months}个月" if months else f"{years}年"


def qualifying_post_types(rule: AllowanceRule) -> list[int]:
    types = (
        PostType.objects.filter(code__in=rule.post_types)
        if rule.post_types
        else PostType.objects.filter(is_key=True)
    )
    return list(types.values_list("pk", flat=True))


def merged(spans: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """The spans [start, end) merged where they overlap or touch."""
    out: list[tuple[date, date]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def complete_months(start: date, end: date) -> tuple[int, int]:
    """The complete calendar months from start to end (exclusive) and the days left over."""
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return months, (end - add_months(start, months)).days


def served_months(spans: list[tuple[date, date]]) -> int:
    """Complete months served over the spans, overlaps counted once, leftover days at 30 a month."""
    months = days = 0
    for start, end in merged(spans):
        whole, rest = complete_months(start, end)
        months, days = months + whole, days + rest
    return months + days // DAYS_A_MONTH


def _judge(rule: AllowanceRule, terms: list[Term], on: date) -> RegisterRow:
    last = max(terms, key=lambda term: (term.end, term.pk))
    person = last.person
    months = served_months([(term.start, term.end) for term in terms])  # type: ignore[misc]  # ended terms
    left_on = last.end
    assert left_on is not None
    age_on = add_months(person.birth_date, 12 * rule.min_age)
    full_years = months // 12
    amount = rule.amount_for(full_years)
    disqualified = [term for term in terms if term.end_reason in rule.disqualifying]
    status, eligible_from, reason = Status.INELIGIBLE, None, ""
    if disqualified:
        reason = (
            f"因{REASON_NAMES.get(TermEndReason(disqualified[0].end_reason), disqualified[0].end_reason)}离任"
        )
    elif amount is None:
        reason = f"任职年限不足 {rule.min_years} 年" if rule.min_years is not None else "本县未设补贴标准"
    else:
        eligible_from = max(left_on, age_on)
        status = Status.ELIGIBLE if eligible_from <= on else Status.PENDING
    village = last.seat.village
    return RegisterRow(
        person=person,
        village=village,
        township=village.parent.name if village.parent is not None else "",
        posts="、".join(sorted({term.seat.post_type.name for term in terms})),
        months=months,
        left_on=left_on,
        age_on=age_on,
        status=status,
        eligible_from=eligible_from,
        amount=amount if status != Status.INELIGIBLE else None,
        reason=reason,
    )


def register(
    user, county: Division, *, under: str = "", on: date, rule: AllowanceRule | None = None
) -> list[RegisterRow]:
    """The county's former cadres judged by its rule on the day, inside the user's jurisdiction (and under the
    code `under`, a township or village, when given); two queries."""
    rule = rule or rules.allowance_rule(county.code)
    post_types = qualifying_post_types(rule)
    terms = (
        Term.objects.restrict(user)
        .filter(seat__village__code__startswith=county.code, seat__post_type_id__in=post_types)
        .select_related("person", "seat__village__parent", "seat__post_type")
        .order_by("person_id", "start")
    )
    by_person: dict[int, list[Term]] = {}
    for term in terms:
        by_person.setdefault(term.person_id, []).append(term)
    rows = []
    for held in by_person.values():
        if any(term.end is None for term in held):
            continue  # still in office
        row = _judge(rule, held, on)
        if under and not row.village.code.startswith(under):
            continue
        rows.append(row)
    rows.sort(key=lambda row: (row.village.code, row.person.name_pinyin, row.person.pk))
    return rows
