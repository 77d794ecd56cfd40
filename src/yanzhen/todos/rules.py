"""The to-do rules built in (see `registry`): each reads another app's records through that app's own
selectors or querysets, restricted to what the user may change, and names the page where the thing is done.
Where `stats.warnings` already computes the same rule (overdue reports, removal proposals, overdue
secondments), the rule here calls the same selector, so the dashboard's warning and the to-do agree.

Titles name a person by his name only (never an ID number or a phone): they go into reminders too.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.apps import apps
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse

from yanzhen.todos.registry import Item, register

if TYPE_CHECKING:
    from yanzhen.accounts.models import User


def _url(name: str, *args, **query) -> str:
    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


# -- the pipeline (candidacies) ------------------------------------------------------------------------------


def notices_ended(user: User, on: date) -> list[Item]:
    """公示期满，待入库: a candidacy still in its public notice whose notice ended before the day."""
    from yanzhen.candidacies.models import Candidacy, CandidacyState

    candidacies = (
        Candidacy.objects.restrict(user, "change")
        .filter(state=CandidacyState.IN_NOTICE, public_notice__end__lt=on)
        .select_related("person", "village", "public_notice")
        .order_by("public_notice__end", "village_id", "person__name", "pk")
    )
    return [
        Item(
            f"{candidacy.person.name}（{candidacy.village.name}）公示期满，待研究入库",
            _url("candidacies:detail", candidacy.pk),
            due=candidacy.public_notice.end + timedelta(days=1) if candidacy.public_notice else None,
        )
        for candidacy in candidacies
    ]


def open_objections(user: User, on: date) -> list[Item]:
    """公示期间的异议待处理: an objection received during a notice and not resolved yet."""
    from yanzhen.candidacies.models import Candidacy, CandidacyState, Objection

    objections = (
        Objection.objects.filter(
            resolved_on__isnull=True,
            candidacy__in=Candidacy.objects.restrict(user, "change").filter(state=CandidacyState.IN_NOTICE),
        )
        .select_related("candidacy__person", "candidacy__village")
        .order_by("received_on", "pk")
    )
    return [
        Item(
            f"{objection.candidacy.person.name}（{objection.candidacy.village.name}）"
            f"{objection.received_on:%Y-%m-%d} 收到的异议待处理",
            _url("candidacies:detail", objection.candidacy_id) + "#objections",
        )
        for objection in objections
    ]


# -- assessments -----------------------------------------------------------------------------------------------


def removal_proposals(user: User, on: date) -> list[Item]:
    """出库建议待决定 (the dashboard's warning "pending-proposals", the same selector)."""
    from yanzhen.assessments import selectors

    return [
        Item(
            f"{proposal.person.name}（{proposal.candidacy.village.name}）出库建议：{proposal.basis_text}",
            _url("assessments:proposal-detail", proposal.pk),
        )
        for proposal in selectors.proposals(user)
    ]


def adjustment_proposals(user: User, on: date) -> list[Item]:
    """调整建议待决定: a rule on incumbents' monthly grades proposed adjusting a sitting cadre."""
    from yanzhen.assessments.incumbents import selectors

    proposals = selectors.adjustment_proposals(user).select_related("person")
    return [
        Item(
            f"{proposal.person.name} 调整建议：{proposal.basis_text}",
            _url("assessments:incumbent-proposal-detail", proposal.pk),
        )
        for proposal in proposals
    ]


def overdue_reports(user: User, on: date) -> list[Item]:
    """半年思想汇报逾期未交 (the dashboard's warning "overdue-reports", the same selector and period)."""
    from yanzhen.assessments import selectors
    from yanzhen.assessments.periods import half_containing

    period = half_containing(on).previous()
    return [
        Item(
            f"{row.person.name}（{row.person.village.name}）{period.name}思想汇报逾期未交",
            _url("assessments:report-create", person=row.person.pk, period=period.key),
            due=row.due_on,
        )
        for row in selectors.overdue_reports(user, period, on)
    ]


def previous_month(on: date) -> date:
    return (on.replace(day=1) - timedelta(days=1)).replace(day=1)


def unscored_incumbents(user: User, on: date) -> list[Item]:
    """上月月考评未录入: per village, the incumbents who held a seat during last month without its score
    (the same terms as the village's scoring page, `incumbents.services.division_rows`), where the county
    has scoring items (a county that does not score monthly has none)."""
    from yanzhen.assessments.models import IncumbentScoreItem, MonthlyScore
    from yanzhen.posts.models import Term

    month = previous_month(on)
    month_end = on.replace(day=1) - timedelta(days=1)
    scoring_counties = IncumbentScoreItem.objects.values("county_id")
    villages = (
        Term.objects.restrict(user, "change")
        .filter(start__lte=month_end)
        .exclude(end__isnull=False, end__lte=month)
        .filter(seat__village__parent__parent_id__in=scoring_counties)
        .exclude(Exists(MonthlyScore.objects.filter(term=OuterRef("pk"), month=month)))
        .order_by("seat__village_id")
        .values("seat__village_id", "seat__village__name")
        .annotate(missing=Count("pk"))
    )
    return [
        Item(
            f"{row['seat__village__name']} {month:%Y年%m月}月考评未录入 {row['missing']} 人",
            _url("assessments:incumbents", row["seat__village_id"], month=f"{month:%Y-%m}"),
            count=row["missing"],
        )
        for row in villages
    ]


def unassessed_reserves(user: User, on: date) -> list[Item]:
    """上一考核期未考核: a reserve in the pool during the county's last finished period (a half-year or a
    year, the county's `period_kind`) without his assessment (the reserves of `assessments.selectors`)."""
    from yanzhen.assessments import rules, selectors
    from yanzhen.assessments.models import Assessment
    from yanzhen.assessments.periods import last_finished_period

    if not user.division_id or len(user.division_id) < 6:
        return []  # above a county each county has its own period; the county's own users see them
    period = last_finished_period(on, rules.settings_for(user.division_id).period_kind)
    people = selectors.reserves(user, period.start, period.end).exclude(
        pk__in=Assessment.objects.filter(year=period.year, half=period.half).values("person_id")
    )
    return [
        Item(
            f"{person.name}（{person.village.name}）{period.name}考核未录入",
            _url("assessments:create", person=person.pk, period=period.key),
        )
        for person in people
    ]


# -- cultivation -----------------------------------------------------------------------------------------------


def overdue_secondments(user: User, on: date) -> list[Item]:
    """挂职锻炼逾期未报告 (the dashboard's warning "overdue-secondments", the same selector)."""
    from yanzhen.cultivation import selectors

    return [
        Item(
            f"{secondment.person.name} 在{secondment.host.name}挂职已到期，待报告",
            _url("cultivation:secondment-detail", secondment.pk),
            due=secondment.planned_end + timedelta(days=1),
        )
        for secondment in selectors.secondments(user, overdue_on=on)
    ]


def overdue_plan_items(user: User, on: date) -> list[Item]:
    """成长计划事项逾期: a step of a reserve's growth plan past its due date and not done
    (`cultivation.selectors.overdue_items`, the cultivation overview's list)."""
    from yanzhen.cultivation import selectors

    return [
        Item(
            f"{status.item.plan.person.name} 成长计划“{status.item.title}”逾期未完成",
            _url("cultivation:growth", status.item.plan.person_id),
            due=status.item.due,
        )
        for status in selectors.overdue_items(user, on)
    ]


# -- duty ------------------------------------------------------------------------------------------------------


def rota_gaps(user: User, on: date) -> list[Item]:
    """值班表有空缺: a village with a rota this month (any assignment) whose working days from today on have
    nobody on duty (`duty.selectors.gaps`, where a holder on approved leave does not cover the day)."""
    from yanzhen.duty import selectors
    from yanzhen.duty.models import DutyAssignment

    month = on.replace(day=1)
    first, last = selectors.month_bounds(month)
    villages = (
        DutyAssignment.objects.restrict(user, "change")
        .filter(day__gte=first, day__lte=last)
        .order_by("village_id")
        .values_list("village_id", "village__name")
        .distinct()
    )
    found = []
    for code, name in villages:
        days = [day for day in selectors.gaps(code, month) if day >= on]
        if days:
            found.append(
                Item(
                    f"{name} {month:%m月}值班表有 {len(days)} 个工作日无人值班",
                    _url("duty:village", code, month=f"{month:%Y-%m}"),
                    count=len(days),
                    due=days[0],
                )
            )
    return found


def filings_awaiting(user: User, on: date) -> list[Item]:
    """待县委组织部备案审批: a township's 入库/出库 filed with the county (备案, to acknowledge) or waiting for its
    yes (审批), where the county asked for it (`candidacies.filing`); the administrator's."""
    from yanzhen.candidacies.filing import awaiting_county

    kinds = {"filing": "备案", "approval": "审批"}
    steps = {"entry": "入库", "removal": "出库"}
    return [
        Item(
            f"{filing.candidacy.person.name}（{filing.candidacy.village.name}）{steps.get(filing.step, '')}"
            f"待{kinds.get(filing.kind, '')}",
            _url("filings:detail", filing.pk),
        )
        for filing in awaiting_county(user)
        .select_related("candidacy__person", "candidacy__village")
        .order_by("proposed_at", "id")
    ]


# (slug, Chinese title, the app it reads, function): registered in this order when the app starts.
BUILT_IN = [
    ("notices-ended", "公示期满待入库", "yanzhen.candidacies", notices_ended),
    ("open-objections", "异议待处理", "yanzhen.candidacies", open_objections),
    ("removal-proposals", "出库建议待决定", "yanzhen.assessments", removal_proposals),
    ("adjustment-proposals", "调整建议待决定", "yanzhen.assessments", adjustment_proposals),
    ("overdue-reports", "思想汇报逾期", "yanzhen.assessments", overdue_reports),
    ("unscored-incumbents", "月考评未录入", "yanzhen.assessments", unscored_incumbents),
    ("unassessed-reserves", "后备力量考核未录入", "yanzhen.assessments", unassessed_reserves),
    ("overdue-secondments", "挂职锻炼逾期", "yanzhen.cultivation", overdue_secondments),
    ("overdue-plan-items", "成长计划逾期", "yanzhen.cultivation", overdue_plan_items),
    ("rota-gaps", "值班表空缺", "yanzhen.duty", rota_gaps),
]


def register_all() -> None:
    for slug, title, app, function in BUILT_IN:
        if apps.is_installed(app):
            register(slug, title, function)
    from yanzhen.accounts.roles import Role

    register("filings-awaiting", "待县委组织部备案审批", filings_awaiting, roles=[Role.ADMIN])
