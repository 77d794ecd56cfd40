"""A hand-made township for the welfare tests: 花马池镇 with two villages, the county's schemes from January 2026
and the secretary's raised from April 2026, the terms and monthly scores whose sheet is counted by hand in
tests/test_welfare.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from yanzhen.assessments.models import MonthlyScore
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person
from yanzhen.posts.models import Term, TermEndReason
from yanzhen.welfare import services

from .candidacies_support import make_seat, post, user
from .conftest import HUAMACHI_VILLAGE
from .factories import make_person

SECOND_VILLAGE = "640323100201"  # 沟沿村委会 of 花马池镇
APRIL = date(2026, 4, 1)
MARCH = date(2026, 3, 1)


def set_today(monkeypatch, day: date) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


def county() -> Division:
    return Division.objects.get(code="640323")


def scheme(post_code: str, month: date, base: str, allowance: str, performance: str, actor: str = "county"):
    return services.save_pay_scheme(
        actor=user(actor),
        county=county(),
        data=services.SchemeInput(
            post(post_code), month, Decimal(base), Decimal(allowance), Decimal(performance)
        ),
    )


def term(
    person: Person, village: str, post_code: str, start: date, end: date | None = None, reason: str = ""
):
    return Term.objects.create(
        seat=make_seat(village, post_code), person=person, start=start, end=end, end_reason=reason
    )


def score(term_: Term, month: date, total: int) -> MonthlyScore:
    return MonthlyScore.objects.create(term=term_, month=month, total=total, items=[])


@dataclass
class Township:
    a_secretary: Term
    a_chair: Term
    b_member: Term
    c_member: Term
    d_deputy: Term


def build_township() -> Township:
    """A (一肩挑: secretary and chair of 长城村), B (member of 长城村 from 11 April), C (member of 沟沿村 until
    10 April, its end the 11th), D (deputy secretary of 沟沿村: no scheme, not on the sheet)."""
    scheme("secretary", date(2026, 1, 1), "2000", "300", "1000")
    scheme("secretary", APRIL, "2200", "300", "1000")  # raised from April
    scheme("chair", date(2026, 1, 1), "1800", "200", "800.01")
    scheme("member", date(2026, 1, 1), "1200", "100", "600")
    a = make_person("张书记", HUAMACHI_VILLAGE, born=date(1975, 2, 1))
    b = make_person("李委员", HUAMACHI_VILLAGE, born=date(1990, 3, 1))
    c = make_person("王委员", SECOND_VILLAGE, born=date(1980, 3, 1))
    d = make_person("赵副书记", SECOND_VILLAGE, born=date(1982, 3, 1))
    township = Township(
        a_secretary=term(a, HUAMACHI_VILLAGE, "secretary", date(2021, 1, 1)),
        a_chair=term(a, HUAMACHI_VILLAGE, "chair", date(2021, 1, 1)),
        b_member=term(b, HUAMACHI_VILLAGE, "member", date(2026, 4, 11)),
        c_member=term(
            c, SECOND_VILLAGE, "member", date(2021, 1, 1), date(2026, 4, 11), TermEndReason.RESIGNED
        ),
        d_deputy=term(d, SECOND_VILLAGE, "deputy_secretary", date(2021, 1, 1)),
    )
    score(township.a_secretary, APRIL, 95)  # 优秀 under the default bands 90/70/60
    score(township.a_chair, APRIL, 65)  # 基本称职
    score(township.c_member, APRIL, 75)  # 称职
    score(township.c_member, MARCH, 75)  # 称职
    return township
