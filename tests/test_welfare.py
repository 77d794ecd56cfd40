"""待遇保障 (issue 18 §3): the monthly pay sheet of a township counted by hand (proration by calendar days, a
month without a score, the grade rule and a scheme changed from a month), the register of 离任生活补贴 before and
after a rule change, the warnings' counts, and refused writes changing nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from yanzhen.divisions.models import Division
from yanzhen.posts.models import TermEndReason
from yanzhen.stats import warnings
from yanzhen.welfare import allowance, pay, services
from yanzhen.welfare.models import AllowanceRule, HealthCheck, InsurancePolicy, PayScheme, PerformanceRule

from .candidacies_support import user
from .conftest import HUAMACHI, HUAMACHI_VILLAGE
from .factories import make_person
from .welfare_support import APRIL, MARCH, SECOND_VILLAGE, build_township, county, scheme, set_today, term

pytestmark = pytest.mark.django_db

D = Decimal


def township() -> Division:
    return Division.objects.get(code=HUAMACHI)


def _figures(row: pay.PayRow) -> tuple:
    return (
        row.name,
        row.post,
        row.days,
        row.base,
        row.allowance,
        row.performance_base,
        row.grade,
        row.percent,
        row.performance,
        row.total,
    )


# -- the pay sheet ----------------------------------------------------------------------------------------------


def test_the_april_sheet_counted_by_hand():
    built = build_township()
    sheet = pay.pay_sheet(township(), date(2026, 4, 17))
    assert sheet.month == APRIL
    assert [_figures(row) for row in sheet.rows] == [
        (
            "张书记",
            "村党组织书记",
            30,
            D("2200.00"),
            D("300.00"),
            D("1000.00"),
            "优秀",
            100,
            D("1000.00"),
            D("3500.00"),
        ),
        # 800.01 × 50 % = 400.005: rounded half-up to the fen, once, in its cell
        (
            "张书记",
            "村委会主任",
            30,
            D("1800.00"),
            D("200.00"),
            D("800.01"),
            "基本称职",
            50,
            D("400.01"),
            D("2400.01"),
        ),
        # from 11 April: 20 of 30 days; no score: 未考评, no performance share
        (
            "李委员",
            "两委委员",
            20,
            D("800.00"),
            D("66.67"),
            D("400.00"),
            "未考评",
            None,
            D("0.00"),
            D("866.67"),
        ),
        # until 10 April (end the 11th): 10 of 30 days
        (
            "王委员",
            "两委委员",
            10,
            D("400.00"),
            D("33.33"),
            D("200.00"),
            "称职",
            80,
            D("160.00"),
            D("593.33"),
        ),
    ]
    assert sheet.totals == {
        "base": D("5200.00"),
        "allowance": D("600.00"),
        "performance_base": D("2400.01"),
        "performance": D("1560.01"),
        "total": D("7360.01"),
    }
    assert sheet.unscored == 1
    assert [term.pk for term in sheet.unpaid] == [built.d_deputy.pk]  # 副书记: no scheme of the county


def test_march_keeps_the_scheme_of_march():
    build_township()
    sheet = pay.pay_sheet(township(), MARCH)
    assert [_figures(row) for row in sheet.rows] == [
        (
            "张书记",
            "村党组织书记",
            31,
            D("2000.00"),
            D("300.00"),
            D("1000.00"),
            "未考评",
            None,
            D("0.00"),
            D("2300.00"),
        ),
        (
            "张书记",
            "村委会主任",
            31,
            D("1800.00"),
            D("200.00"),
            D("800.01"),
            "未考评",
            None,
            D("0.00"),
            D("2000.00"),
        ),
        (
            "王委员",
            "两委委员",
            31,
            D("1200.00"),
            D("100.00"),
            D("600.00"),
            "称职",
            80,
            D("480.00"),
            D("1780.00"),
        ),
    ]
    assert sheet.totals["total"] == D("6080.00")


def test_a_grade_rule_from_april_changes_april_and_not_march():
    build_township()
    services.save_performance_rule(
        actor=user("county"),
        county=county(),
        effective_from=date(2026, 4, 20),  # any day: the month it is in
        percents={"excellent": 100, "competent": 90, "basically_competent": 60, "incompetent": 0},
    )
    april = {(row.name, row.post): row for row in pay.pay_sheet(township(), APRIL).rows}
    assert april[("王委员", "两委委员")].performance == D("180.00")  # 600 × 10/30 × 90 %
    assert april[("张书记", "村委会主任")].performance == D("480.01")  # 800.01 × 60 % = 480.006
    assert pay.pay_sheet(township(), APRIL).totals["total"] == D("7460.01")
    march = {(row.name, row.post): row for row in pay.pay_sheet(township(), MARCH).rows}
    assert march[("王委员", "两委委员")].performance == D("480.00")  # still 80 %


def test_a_scheme_from_may_leaves_april_alone():
    build_township()
    scheme("member", date(2026, 5, 1), "1500", "100", "600")
    april = pay.pay_sheet(township(), APRIL)
    assert april.totals["total"] == D("7360.01")
    may = pay.pay_sheet(township(), date(2026, 5, 1))
    assert [(row.name, row.base) for row in may.rows if row.post == "两委委员"] == [("李委员", D("1500.00"))]


def test_a_correction_of_the_same_month_replaces_the_scheme_and_keeps_history():
    build_township()
    before = PayScheme.objects.count()
    scheme("member", date(2026, 1, 1), "1300", "100", "600")
    assert PayScheme.objects.count() == before
    found = PayScheme.objects.get(post_type__code="member", effective_from=date(2026, 1, 1))
    assert found.base == D("1300.00")
    assert list(found.history.order_by("history_id").values_list("base", flat=True)) == [
        D("1200.00"),
        D("1300.00"),
    ]
    assert found.history.latest().history_user.username == "county"


def _written() -> tuple:
    return (
        PayScheme.objects.count(),
        PayScheme.history.count(),
        PerformanceRule.history.count(),
        AllowanceRule.history.count(),
        InsurancePolicy.history.count(),
        HealthCheck.history.count(),
    )


@pytest.mark.parametrize(
    ("base", "allowance", "performance", "field"),
    [
        ("-1", "0", "0", "base"),
        ("100", "-0.01", "0", "allowance"),
        ("100", "0", "100000.01", "performance"),
        ("100.001", "0", "0", "base"),
    ],
)
def test_bad_amounts_are_refused_and_write_nothing(base, allowance, performance, field):
    before = _written()
    with pytest.raises(ValidationError) as refused:
        scheme("member", date(2026, 1, 1), base, allowance, performance)
    assert field in refused.value.message_dict
    assert _written() == before


@pytest.mark.parametrize(
    ("percents", "field"),
    [
        ({"excellent": 101, "competent": 80, "basically_competent": 50, "incompetent": 0}, "excellent"),
        ({"excellent": 100, "competent": -1, "basically_competent": 50, "incompetent": 0}, "competent"),
        ({"excellent": 80, "competent": 90, "basically_competent": 50, "incompetent": 0}, "percents"),
    ],
)
def test_bad_percentages_are_refused_and_write_nothing(percents, field):
    before = _written()
    with pytest.raises(ValidationError) as refused:
        services.save_performance_rule(
            actor=user("county"), county=county(), effective_from=APRIL, percents=percents
        )
    assert field in refused.value.message_dict
    assert _written() == before


@pytest.mark.parametrize(
    ("actor", "error"), [("huamachi", PermissionDenied), ("auditor", PermissionDenied), ("outsider", Http404)]
)
def test_only_the_county_administrator_sets_schemes(actor, error):
    before = _written()
    with pytest.raises(error):
        scheme("member", date(2026, 1, 1), "1200", "100", "600", actor=actor)
    with pytest.raises(error):
        services.save_performance_rule(
            actor=user(actor),
            county=county(),
            effective_from=APRIL,
            percents={"excellent": 100, "competent": 80, "basically_competent": 50, "incompetent": 0},
        )
    assert _written() == before


# -- the register of 离任生活补贴 ------------------------------------------------------------------------------------


def _register(on=date(2026, 12, 1)) -> dict[str, tuple]:
    rows = allowance.register(user("county"), county(), on=on)
    return {
        row.person.name: (row.status, row.served, row.eligible_from, row.amount, row.reason) for row in rows
    }


def _former_cadres():
    p1 = make_person("甲", HUAMACHI_VILLAGE, born=date(1950, 3, 1))
    term(p1, HUAMACHI_VILLAGE, "secretary", date(2000, 1, 1), date(2015, 1, 1), TermEndReason.ELECTION)
    p2 = make_person("乙", SECOND_VILLAGE, born=date(1970, 6, 15))
    term(p2, SECOND_VILLAGE, "chair", date(2005, 1, 1), date(2017, 1, 1), TermEndReason.ELECTION)
    p3 = make_person("丙", SECOND_VILLAGE, born=date(1955, 1, 1))
    # 一肩挑 for six years: the overlap counts once (2010-01-01 to 2019-01-01: 9 years)
    term(p3, SECOND_VILLAGE, "secretary", date(2010, 1, 1), date(2018, 1, 1), TermEndReason.ELECTION)
    term(p3, SECOND_VILLAGE, "chair", date(2012, 1, 1), date(2019, 1, 1), TermEndReason.ELECTION)
    p4 = make_person("丁", "640323101200", born=date(1950, 5, 5))
    term(p4, "640323101200", "secretary", date(1995, 1, 1), date(2015, 6, 1), TermEndReason.DISMISSED)
    p5 = make_person("戊", HUAMACHI_VILLAGE, born=date(1950, 5, 5))  # still secretary: not former
    term(p5, "640323100202", "secretary", date(2000, 1, 1))
    p6 = make_person("己", HUAMACHI_VILLAGE, born=date(1950, 5, 5))  # a member only: no qualifying post
    term(p6, HUAMACHI_VILLAGE, "member", date(1990, 1, 1), date(2015, 1, 1), TermEndReason.ELECTION)
    p7 = make_person("庚", HUAMACHI_VILLAGE, born=date(1950, 5, 5))  # former secretary, chair now
    term(p7, "640323100203", "secretary", date(1990, 1, 1), date(2010, 1, 1), TermEndReason.ELECTION)
    term(p7, "640323100203", "chair", date(2010, 1, 1))


def test_the_register_under_the_default_rule():
    _former_cadres()
    assert _register() == {
        "甲": ("eligible", "15年", date(2015, 1, 1), D("500.00"), ""),
        "乙": ("pending", "12年", date(2030, 6, 15), D("300.00"), ""),
        "丙": ("ineligible", "9年", None, None, "任职年限不足 10 年"),
        "丁": ("ineligible", "20年5个月", None, None, "因免职/罢免离任"),
    }


def test_a_rule_change_moves_people_in_and_out():
    _former_cadres()
    services.save_allowance_rule(
        actor=user("county"),
        county=county(),
        data=services.AllowanceInput(
            min_age=65, post_types=[], disqualifying=[], bands=[(8, D("200")), (20, D("600"))]
        ),
    )
    assert _register() == {
        "甲": ("eligible", "15年", date(2015, 3, 1), D("200.00"), ""),  # 65 on 2015-03-01
        "乙": ("pending", "12年", date(2035, 6, 15), D("200.00"), ""),
        "丙": ("eligible", "9年", date(2020, 1, 1), D("200.00"), ""),  # 65 on 2020-01-01
        "丁": ("eligible", "20年5个月", date(2015, 6, 1), D("600.00"), ""),  # no longer disqualified
    }
    services.save_allowance_rule(
        actor=user("county"),
        county=county(),
        data=services.AllowanceInput(
            min_age=60, post_types=["secretary"], disqualifying=["dismissed"], bands=[(10, D("300"))]
        ),
    )
    # only the secretaries now: 乙 (a chair) leaves the register; 丙's secretary years are 8; 庚 is former
    assert _register() == {
        "甲": ("eligible", "15年", date(2015, 1, 1), D("300.00"), ""),
        "丙": ("ineligible", "8年", None, None, "任职年限不足 10 年"),
        "丁": ("ineligible", "20年5个月", None, None, "因免职/罢免离任"),
        "庚": ("eligible", "20年", date(2010, 5, 5), D("300.00"), ""),
    }
    assert AllowanceRule.history.count() == 2


def test_the_register_of_a_township_clerk_is_his_township():
    _former_cadres()
    rows = allowance.register(user("huamachi"), county(), on=date(2026, 12, 1))
    assert sorted(row.person.name for row in rows) == ["丙", "乙", "甲"]
    rows = allowance.register(user("county"), county(), under=SECOND_VILLAGE, on=date(2026, 12, 1))
    assert sorted(row.person.name for row in rows) == ["丙", "乙"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"min_age": 17}, "min_age"),
        ({"bands": []}, "bands"),
        ({"bands": [(10, D("-300"))]}, "bands"),
        ({"bands": [(10, D("300")), (10, D("500"))]}, "bands"),
        ({"disqualifying": ["nonsense"]}, "disqualifying"),
        ({"post_types": ["nonsense"]}, "post_types"),
    ],
)
def test_a_bad_allowance_rule_is_refused(data, field):
    values = {"min_age": 60, "post_types": [], "disqualifying": [], "bands": [(10, D("300"))], **data}
    before = _written()
    with pytest.raises(ValidationError) as refused:
        services.save_allowance_rule(
            actor=user("county"), county=county(), data=services.AllowanceInput(**values)
        )
    assert field in refused.value.message_dict
    assert _written() == before


# -- insurance, health checks and the warnings ----------------------------------------------------------------------


def _policy(person, kind, starts_on=date(2020, 1, 1), ends_on=None, actor="huamachi"):
    return services.record_policy(
        actor=user(actor),
        person=person,
        data=services.PolicyInput(kind=kind, insurer="盐池县社保局", starts_on=starts_on, ends_on=ends_on),
    )


def _counts() -> dict[str, int]:
    found = warnings.summary(user("county"), county(), on=date(2026, 6, 1))
    return {
        result.slug: result.count
        for result in found
        if result.slug in ("uninsured-incumbents", "no-health-check")
    }


def test_the_warnings_count_people_not_terms(monkeypatch, django_assert_max_num_queries):
    set_today(monkeypatch, date(2026, 6, 1))
    built = build_township()  # sitting on 1 June: A (two seats), B, D; C left in April
    a, b, d = built.a_secretary.person, built.b_member.person, built.d_deputy.person
    assert _counts() == {"uninsured-incumbents": 3, "no-health-check": 3}
    _policy(a, "pension")
    _policy(a, "medical")
    _policy(b, "pension")
    _policy(b, "medical", ends_on=date(2026, 5, 31))  # over the day before
    _policy(d, "pension")
    services.record_check(
        actor=user("huamachi"), person=a, checked_on=date(2026, 3, 2), institution="盐池县人民医院"
    )
    services.record_check(
        actor=user("huamachi"), person=b, checked_on=date(2025, 11, 2), institution="盐池县人民医院"
    )
    assert _counts() == {"uninsured-incumbents": 2, "no-health-check": 2}
    detail = warnings.detail(user("county"), county(), "uninsured-incumbents", on=date(2026, 6, 1))
    assert [(row.label, row.detail) for row in detail.rows] == [
        ("李委员", "两委委员：缺医疗保险"),
        ("赵副书记", "村党组织副书记：缺医疗保险"),
    ]
    # the county requires accident insurance too: A lacks it now
    services.save_required_kinds(
        actor=user("county"), county=county(), kinds=["pension", "medical", "accident"]
    )
    assert _counts()["uninsured-incumbents"] == 3
    context = warnings.Context(user("county"), county(), date(2026, 6, 1))
    with django_assert_max_num_queries(2):  # the counties' settings, the count
        warnings.uninsured_incumbents(context, False)
    with django_assert_max_num_queries(1):
        warnings.no_health_check(context, False)


@pytest.mark.parametrize(
    ("actor", "error"),
    [("dashuikeng", Http404), ("auditor", PermissionDenied), ("cunshuji", PermissionDenied)],
)
def test_a_policy_or_check_refused_writes_nothing(monkeypatch, actor, error):
    set_today(monkeypatch, date(2026, 6, 1))
    person = make_person("李委员", HUAMACHI_VILLAGE)
    before = _written()
    with pytest.raises(error):
        _policy(person, "pension", actor=actor)
    with pytest.raises(error):
        services.record_check(
            actor=user(actor), person=person, checked_on=date(2026, 3, 2), institution="医院"
        )
    assert _written() == before


def test_a_bad_policy_names_its_fields(monkeypatch):
    set_today(monkeypatch, date(2026, 6, 1))
    person = make_person("李委员", HUAMACHI_VILLAGE)
    before = _written()
    with pytest.raises(ValidationError) as refused:
        services.record_policy(
            actor=user("huamachi"),
            person=person,
            data=services.PolicyInput(
                kind="car", insurer=" ", starts_on=date(2026, 7, 1), ends_on=date(2026, 6, 30)
            ),
        )
    assert set(refused.value.message_dict) == {"kind", "insurer", "starts_on", "ends_on"}
    with pytest.raises(ValidationError) as refused:
        services.record_check(
            actor=user("huamachi"), person=person, checked_on=date(2026, 6, 2), institution=""
        )
    assert set(refused.value.message_dict) == {"checked_on", "institution"}
    assert _written() == before
