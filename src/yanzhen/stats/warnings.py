"""Warnings (预警): each with its rule in words, a count for the dashboard and the people or villages behind
it. They are about today (the business dates decide who is in the pool or in office; ages and attributes
are as recorded now).

The thresholds are the county's (`WarningThresholds`), or the defaults; under a city or a province each
village is judged by its own county's thresholds.

Warnings that read another app's records (assessments: overdue semiannual reports, removal proposals waiting;
cultivation: overdue secondments, reserves without training hours this year) appear only when that app is
installed, and read through that app's own selectors or querysets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from yanzhen.core.guards import operator_scope, today
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person, age_on
from yanzhen.people.selectors import years_before
from yanzhen.posts.models import Term
from yanzhen.stats import figures, rollup, selectors
from yanzhen.stats.figures import Scope
from yanzhen.stats.models import DEFAULT_COMMITTEE_AVERAGE_AGE, DEFAULT_SECRETARY_AGE, WarningThresholds

if TYPE_CHECKING:
    from yanzhen.accounts.models import User


@dataclass(frozen=True)
class Thresholds:
    secretary_age: int = DEFAULT_SECRETARY_AGE
    committee_average_age: int = DEFAULT_COMMITTEE_AVERAGE_AGE


def county_code(code: str) -> str:
    return code[:6]


def thresholds_for(code: str) -> Thresholds:
    """The thresholds of the county a division lies in (the defaults above a county)."""
    if len(code) < 6:
        return Thresholds()
    row = WarningThresholds.objects.filter(county_id=county_code(code)).first()
    return Thresholds(row.secretary_age, row.committee_average_age) if row else Thresholds()


@dataclass
class Row:
    """One line behind a warning: a person or a village, with what makes it a warning."""

    label: str
    village: Division | None = None
    township: str = ""
    person_id: int | None = None
    detail: str = ""


def person_row(person, village: Division, detail: str = "") -> Row:
    """A line naming a person, with the village (and its township) the warning places him in."""
    return Row(person.name, village, village.parent.name if village.parent else "", person.pk, detail)


@dataclass
class WarningResult:
    slug: str
    title: str
    rule: str
    count: int
    rows: list[Row] = field(default_factory=list)


def listed(
    slug: str, title: str, rule: str, queryset, rows: bool, line: Callable[[Any], Row]
) -> WarningResult:
    """A warning over a queryset: its count for the dashboard, or with `rows` a line for each record."""
    if not rows:
        return WarningResult(slug, title, rule, queryset.count())
    found = [line(record) for record in queryset]
    return WarningResult(slug, title, rule, len(found), found)


@dataclass
class Context:
    user: object
    division: Division
    on: date
    shared: Scope | None = None  # the dashboard's scope of the same day, whose results are reused

    @property
    def scope(self) -> Scope:
        if self.shared is None:
            self.shared = Scope(self.user, self.division, self.on)
            rollup.prime(self.shared)  # a county and above: the kept counts (villages, coverage, committees)
        return self.shared

    @property
    def thresholds(self) -> Thresholds:
        return thresholds_for(self.division.code)


# 1. A village without a reserve for a key post -------------------------------------------------------------


def uncovered_villages(context: Context, rows: bool) -> WarningResult:
    title = str(_("Villages without a reserve for a key post"))
    rule = str(_("A 村委会 where some key post has no reserve in the pool (一村一职一备)."))
    if not rows:
        scope = context.scope
        count = figures.village_count(scope) - len(figures.covered_village_codes(scope))
        return WarningResult("uncovered-villages", title, rule, count)
    villages = selectors.village_rows(context.scope, covered=False)
    return WarningResult(
        "uncovered-villages",
        title,
        rule,
        len(villages),
        [
            Row(
                village.division.name,
                village.division,
                village.township.name if village.township else "",
                detail="缺：" + "、".join(village.missing),
            )
            for village in villages
        ],
    )


# 2. An old secretary without a ready-now reserve (青黄不接) ---------------------------------------------------


def county_thresholds(division: Division) -> Callable[[str], Thresholds]:
    """The thresholds of each village's county under the division (its own county's for a county or below;
    above, a county's own where it set them, else the defaults), read once."""
    if len(division.code) >= 6:
        mine = thresholds_for(division.code)
        return lambda code: mine
    custom = {
        row.county_id: Thresholds(row.secretary_age, row.committee_average_age)
        for row in WarningThresholds.objects.filter(county__code__startswith=division.code)
    }
    default = Thresholds()
    return lambda code: custom.get(county_code(code), default)


def ageing_secretaries(context: Context, rows: bool) -> WarningResult:
    on = context.on
    thresholds = county_thresholds(context.division)
    # The rule: aged `secretary_age` or more on the day (born on or before that many years before it).
    ageing = [
        secretary
        for secretary in figures.unsucceeded_secretaries(context.scope)
        if secretary.born <= years_before(on, thresholds(secretary.village_code).secretary_age)
    ]
    found: list[Row] = []
    if rows:
        terms = Term.objects.select_related("person", "seat__village", "seat__village__parent").in_bulk(
            [secretary.term_id for secretary in ageing]
        )
        found = [
            person_row(
                term.person,
                term.seat.village,
                f"{age_on(term.person.birth_date, on)} 岁，{term.start:%Y-%m-%d} 起任职",
            )
            for term in sorted(terms.values(), key=lambda term: (term.seat.village_id, term.pk))
        ]
    return WarningResult(
        "ageing-secretaries",
        str(_("Ageing secretaries without a ready successor")),
        str(
            _(
                "A village party secretary aged %(age)s or more whose village has no reserve for the post ready now."
            )
        )
        % {"age": context.thresholds.secretary_age},
        len(ageing),
        found,
    )


# 3. An old committee ----------------------------------------------------------------------------------------


def old_committees(context: Context, rows: bool) -> WarningResult:
    thresholds = county_thresholds(context.division)
    old = [
        committee
        for committee in figures.committee_ages(context.scope)
        if committee.average > thresholds(committee.village_code).committee_average_age
    ]
    found: list[Row] = []
    if rows:
        villages = Division.objects.select_related("parent").in_bulk(
            [committee.village_code for committee in old]
        )
        for committee in sorted(old, key=lambda committee: committee.village_code):
            village = villages.get(committee.village_code)
            if village is None:
                continue
            found.append(
                Row(
                    village.name,
                    village,
                    village.parent.name if village.parent else "",
                    detail=f"{committee.members} 人，平均 {committee.average:.1f} 岁",
                )
            )
    return WarningResult(
        "old-committees",
        str(_("Ageing village committees")),
        str(_("A village whose 两委 members are on average older than %(age)s."))
        % {"age": context.thresholds.committee_average_age},
        len(old),
        found,
    )


# 4. From the assessments app ----------------------------------------------------------------------------------


def overdue_reports(context: Context, rows: bool) -> WarningResult:
    from yanzhen.assessments import selectors as assessment_selectors
    from yanzhen.assessments.periods import half_containing

    period = half_containing(context.on).previous()
    title = str(_("Overdue semiannual reports"))
    rule = str(
        _("A reserve in the pool during %(period)s whose report was not in by the county's due date.")
    ) % {"period": period.name}
    if not rows:
        count = assessment_selectors.overdue_report_count(
            context.user, period, context.on, under=context.division.code
        )
        return WarningResult("overdue-reports", title, rule, count)
    found = assessment_selectors.overdue_reports(
        context.user, period, context.on, under=context.division.code
    )
    return WarningResult(
        "overdue-reports",
        title,
        rule,
        len(found),
        [person_row(row.person, row.person.village, f"应于 {row.due_on:%Y-%m-%d} 前提交") for row in found],
    )


def pending_proposals(context: Context, rows: bool) -> WarningResult:
    from yanzhen.assessments import selectors as assessment_selectors

    proposals = assessment_selectors.proposals(context.user, under=context.division.code)
    return listed(
        "pending-proposals",
        str(_("Removal proposals waiting for a decision")),
        str(_("A proposal to take a reserve out of the pool that nobody has decided yet.")),
        proposals,
        rows,
        lambda proposal: person_row(proposal.person, proposal.candidacy.village, proposal.basis_text),
    )


# 5. From the cultivation app ----------------------------------------------------------------------------------


def overdue_secondments(context: Context, rows: bool) -> WarningResult:
    from yanzhen.cultivation import selectors as cultivation_selectors

    secondments = cultivation_selectors.secondments(context.user, overdue_on=context.on).filter(
        person__village__code__startswith=context.division.code
    )
    return listed(
        "overdue-secondments",
        str(_("Overdue secondments")),
        str(_("A secondment past its planned end without a report.")),
        secondments,
        rows,
        lambda secondment: person_row(
            secondment.person,
            secondment.person.village,
            f"{secondment.host}，计划 {secondment.planned_end:%Y-%m-%d} 结束",
        ),
    )


def untrained_reserves(context: Context, rows: bool) -> WarningResult:
    from yanzhen.cultivation import selectors as cultivation_selectors

    trained = cultivation_selectors.people_with_hours(context.on.year)
    people = (
        Person.objects.filter(pk__in=context.scope.pool_people())
        .exclude(pk__in=trained)
        .select_related("village__parent")
        .order_by("village_id", "name")
    )
    return listed(
        "untrained-reserves",
        str(_("Reserves without training hours this year")),
        str(_("A reserve in the pool with no training hours recorded in %(year)s."))
        % {"year": context.on.year},
        people,
        rows,
        lambda person: person_row(person, person.village),
    )


# 6. An incumbent under a running 处分 (from the assessments app) -----------------------------------------------


def disciplined_incumbents(context: Context, rows: bool) -> WarningResult:
    """负面清单 in office: a sitting village cadre whose 处分 is in its 影响期 on the day, flagged for the
    township (the decision on him is the township's and the county's, not the system's)."""
    from yanzhen.assessments.models import DisciplineRecord

    running = DisciplineRecord.objects.running(context.on)
    terms = operator_scope(Term.objects.current(context.on), cast("User | None", context.user)).filter(
        seat__village__code__startswith=context.division.code,
        person_id__in=running.values("person_id"),
    )
    title = str(_("Incumbents under a running discipline measure"))
    rule = str(_("A sitting village cadre whose discipline measure is still in its influence period."))
    if not rows:
        return WarningResult(
            "disciplined-incumbents", title, rule, terms.values("person_id").distinct().count()
        )
    chosen = list(
        terms.select_related("person", "seat__village__parent", "seat__post_type").order_by(
            "seat__village_id", "person__name", "pk"
        )
    )
    records: dict[int, list] = {}
    for record in running.filter(person_id__in={term.person_id for term in chosen}).order_by(
        "decided_on", "pk"
    ):
        records.setdefault(record.person_id, []).append(record.describe())
    found: list[Row] = []
    seen: set[int] = set()
    for term in chosen:
        if term.person_id in seen:
            continue  # one line per person (一肩挑 holds two seats)
        seen.add(term.person_id)
        posts = "、".join(t.seat.post_type.name for t in chosen if t.person_id == term.person_id)
        found.append(
            person_row(term.person, term.seat.village, f"{posts}：{'；'.join(records[term.person_id])}")
        )
    return WarningResult("disciplined-incumbents", title, rule, len(found), found)


def pending_tolerance(context: Context, rows: bool) -> WarningResult:
    """容错免责 applications the county has not determined yet (where the county administrator finds them)."""
    from yanzhen.assessments.models import ToleranceCase, ToleranceDetermination

    cases = (
        operator_scope(ToleranceCase.objects.all(), cast("User | None", context.user))
        .filter(
            determination=ToleranceDetermination.PENDING,
            person__village__code__startswith=context.division.code,
        )
        .select_related("person__village__parent")
        .order_by("applied_on", "pk")
    )
    return listed(
        "pending-tolerance",
        str(_("Tolerance applications awaiting the county")),
        str(_("An application for 容错免责 the county has not determined yet.")),
        cases,
        rows,
        lambda case: person_row(
            case.person, case.person.village, f"{case.applied_on:%Y-%m-%d} 申请：{case.matter[:60]}"
        ),
    )


def missed_duty_days(context: Context, rows: bool) -> WarningResult:
    """坐班值班 (duty app): the duty days of this month before the day a cadre on the rota did not check in and
    was not on approved leave (`duty.selectors.is_missed`), for the township to follow up."""
    from yanzhen.duty.models import DutyAssignment
    from yanzhen.duty.selectors import approved_leave_days, month_bounds
    from yanzhen.holidays import calendar

    first = context.on.replace(day=1)
    candidates = (
        operator_scope(DutyAssignment.objects.all(), cast("User | None", context.user))
        .filter(
            village__code__startswith=context.division.code,
            day__gte=first,
            day__lt=context.on,
            person__isnull=False,
            check_in__isnull=True,
        )
        .select_related("person", "village__parent")
        .order_by("village_id", "day", "pk")
    )
    schedule = calendar.load(first.year, first.year)
    leave: dict[str, dict[int, set]] = {}
    found: list[Row] = []
    for duty in candidates:
        if duty.village_id not in leave:
            leave[duty.village_id] = approved_leave_days(duty.village_id, first, month_bounds(first)[1])
        if not schedule.is_workday(duty.day) or duty.day in leave[duty.village_id].get(duty.person_id, set()):
            continue
        found.append(person_row(duty.person, duty.village, f"{duty.day:%m月%d日}值班未签到"))
    return WarningResult(
        "missed-duty-days",
        str(_("Missed duty days this month")),
        str(
            _(
                "A past working day of this month a cadre on the duty rota neither checked in nor was on approved leave."
            )
        ),
        len(found),
        found if rows else [],
    )


# 7. 待遇保障 (from the welfare app): a sitting cadre without the county's insurance, or without this year's check -----


def _welfare_terms(context: Context):
    return operator_scope(Term.objects.current(context.on), cast("User | None", context.user)).filter(
        seat__village__code__startswith=context.division.code
    )


def _person_lines(terms, detail: Callable[[Any], str]) -> list[Row]:
    """One line per person (一肩挑 holds two seats), naming his posts and what is missing."""
    chosen = list(
        terms.select_related("person", "seat__village__parent", "seat__post_type").order_by(
            "seat__village_id", "person__name_pinyin", "pk"
        )
    )
    posts: dict[int, list[str]] = {}
    for term in chosen:
        posts.setdefault(term.person_id, []).append(term.seat.post_type.name)
    found: list[Row] = []
    seen: set[int] = set()
    for term in chosen:
        if term.person_id not in seen:
            seen.add(term.person_id)
            found.append(
                person_row(
                    term.person, term.seat.village, f"{'、'.join(posts[term.person_id])}：{detail(term)}"
                )
            )
    return found


def uninsured_incumbents(context: Context, rows: bool) -> WarningResult:
    """A sitting cadre without a running policy of each kind his county requires (养老 and 医疗 unless the
    county says otherwise). Three queries for a count, whatever the number of villages: the counties' own
    requirements, then one count over the terms."""
    from yanzhen.welfare import coverage_rules

    required = coverage_rules.RequiredKinds.under(context.division.code)
    terms = (
        _welfare_terms(context)
        .annotate(county_of=coverage_rules.COUNTY_OF_SEAT)
        .filter(required.lacking(context.on))
    )
    title = str(_("Incumbents without the required insurance"))
    rule = str(
        _("A sitting village cadre without a running policy of each insurance kind the county requires.")
    )
    if not rows:
        return WarningResult(
            "uninsured-incumbents", title, rule, terms.values("person_id").distinct().count()
        )
    running = coverage_rules.running_kinds(terms.values("person_id"), context.on)
    found = _person_lines(
        terms,
        lambda term: "缺" + "、".join(required.missing(term.county_of, running.get(term.person_id, set()))),
    )
    return WarningResult("uninsured-incumbents", title, rule, len(found), found)


def no_health_check(context: Context, rows: bool) -> WarningResult:
    """A sitting cadre without a health check recorded in the calendar year (up to the day)."""
    from yanzhen.welfare import coverage_rules

    terms = _welfare_terms(context).filter(coverage_rules.no_check_in_year(context.on))
    title = str(_("Incumbents without this year's health check"))
    rule = str(_("A sitting village cadre with no health check recorded in %(year)s.")) % {
        "year": context.on.year
    }
    if not rows:
        return WarningResult("no-health-check", title, rule, terms.values("person_id").distinct().count())
    found = _person_lines(terms, lambda term: f"{context.on.year}年未体检")
    return WarningResult("no-health-check", title, rule, len(found), found)


# The registry ---------------------------------------------------------------------------------------------------

# (slug, the app it needs or None, function)
WARNINGS: list[tuple[str, str | None, Callable[[Context, bool], WarningResult]]] = [
    ("uncovered-villages", None, uncovered_villages),
    ("ageing-secretaries", None, ageing_secretaries),
    ("old-committees", None, old_committees),
    ("overdue-reports", "yanzhen.assessments", overdue_reports),
    ("pending-proposals", "yanzhen.assessments", pending_proposals),
    ("overdue-secondments", "yanzhen.cultivation", overdue_secondments),
    ("untrained-reserves", "yanzhen.cultivation", untrained_reserves),
    ("disciplined-incumbents", "yanzhen.assessments", disciplined_incumbents),
    ("pending-tolerance", "yanzhen.assessments", pending_tolerance),
    ("missed-duty-days", "yanzhen.duty", missed_duty_days),
    ("uninsured-incumbents", "yanzhen.welfare", uninsured_incumbents),
    ("no-health-check", "yanzhen.welfare", no_health_check),
]


def available() -> list[tuple[str, Callable[[Context, bool], WarningResult]]]:
    return [(slug, function) for slug, app, function in WARNINGS if app is None or apps.is_installed(app)]


def summary(
    user, division: Division, on: date | None = None, scope: Scope | None = None
) -> list[WarningResult]:
    """Every available warning with its count (no rows): the dashboard's panel. `scope`, the dashboard's
    own when it shows the same day, lends its cached results."""
    on = on or today()
    shared = scope if scope is not None and scope.as_of == on and scope.division == division else None
    context = Context(user, division, on, shared)
    return [function(context, False) for _slug, function in available()]


def detail(user, division: Division, slug: str, on: date | None = None) -> WarningResult | None:
    """One warning with the people or villages behind it; None for an unknown or unavailable slug."""
    context = Context(user, division, on or today())
    for known, function in available():
        if known == slug:
            return function(context, True)
    return None
