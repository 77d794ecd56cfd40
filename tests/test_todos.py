"""To-dos (待办, issue 20 §1): each rule with a hand-made fixture: the item appears for the clerk of the
township, not for another township's clerk, and disappears when the thing is done; the page, the badge and
its bounded cost."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yanzhen.assessments.models import ProposalBasis, RemovalProposal
from yanzhen.assessments.services.removals import reject_proposal
from yanzhen.candidacies import notice, workflow
from yanzhen.todos import registry

from .candidacies_support import NOTICE_END, NOTICE_START, candidacy_in, user
from .conftest import DASHUIKENG_VILLAGE, HUAMACHI_VILLAGE
from .factories import make_person

pytestmark = pytest.mark.django_db

AFTER_NOTICE = date(2024, 3, 27)


def titles(username: str, on: date, slug: str) -> list[str]:
    """The titles of the user's items of one rule on the day."""
    for group in registry.groups(user(username), on):
        if group.rule.slug == slug:
            return [item.title for item in group.items]
    return []


def items(username: str, on: date, slug: str) -> list[registry.Item]:
    for group in registry.groups(user(username), on):
        if group.rule.slug == slug:
            return group.items
    return []


# -- the registry ------------------------------------------------------------------------------------------------


def test_the_built_in_rules_are_registered_in_order():
    assert [rule.slug for rule in registry.rules()][:10] == [
        "notices-ended",
        "open-objections",
        "removal-proposals",
        "adjustment-proposals",
        "overdue-reports",
        "unscored-incumbents",
        "unassessed-reserves",
        "overdue-secondments",
        "overdue-plan-items",
        "rota-gaps",
    ]


def test_another_app_registers_a_rule_in_one_call():
    def filings(user, on):
        return [registry.Item("花马池镇的入库决定待备案", "/filings/1/")] if user.username == "county" else []

    registry.register("filings-awaiting", "待县里备案", filings)
    try:
        assert titles("county", date(2026, 1, 5), "filings-awaiting") == ["花马池镇的入库决定待备案"]
        assert titles("huamachi", date(2026, 1, 5), "filings-awaiting") == []
    finally:
        registry.unregister("filings-awaiting")
    assert registry.get("filings-awaiting") is None


def test_a_rule_may_be_for_some_roles_only():
    from yanzhen.accounts.roles import Role

    def everyone(user, on):
        return [registry.Item("县里审批的事项", "/somewhere/")]

    registry.register("county-only", "县里审批", everyone, roles=[Role.ADMIN])
    try:
        assert titles("county", date(2026, 1, 5), "county-only") == ["县里审批的事项"]
        assert titles("huamachi", date(2026, 1, 5), "county-only") == []
        assert registry.get("county-only").roles == frozenset({"admin"})
    finally:
        registry.unregister("county-only")


def test_a_reader_has_no_to_dos():
    candidacy_in("in_notice")
    assert registry.groups(user("huamachi"), AFTER_NOTICE) != []
    assert registry.groups(user("cunshuji"), AFTER_NOTICE) == []
    assert registry.groups(user("auditor"), AFTER_NOTICE) == []
    assert registry.groups(None, AFTER_NOTICE) == []


# -- notices ended → 入库 due ---------------------------------------------------------------------------------------


def test_a_notice_ended_is_due_for_the_pool_until_the_candidacy_enters_it():
    candidacy = candidacy_in("in_notice", make_person("马公示"))
    assert titles("huamachi", NOTICE_END, "notices-ended") == []  # the notice's last day: not over yet
    [item] = items("huamachi", AFTER_NOTICE, "notices-ended")
    assert item.title == f"马公示（{candidacy.village.name}）公示期满，待研究入库"
    assert item.url == f"/reserves/{candidacy.pk}/"
    assert item.due == AFTER_NOTICE
    assert titles("county", AFTER_NOTICE, "notices-ended") == [item.title]
    assert titles("dashuikeng", AFTER_NOTICE, "notices-ended") == []
    assert titles("outsider", AFTER_NOTICE, "notices-ended") == []
    workflow.enter_pool(actor=user("huamachi"), candidacy=candidacy, on=AFTER_NOTICE)
    assert titles("huamachi", AFTER_NOTICE, "notices-ended") == []


# -- objections ------------------------------------------------------------------------------------------------


def test_an_open_objection_waits_until_resolved():
    candidacy = candidacy_in("in_notice", make_person("马异议"))
    objection = notice.record_objection(
        actor=user("huamachi"), candidacy=candidacy, received_on=NOTICE_START, content="反映问题"
    )
    [item] = items("huamachi", NOTICE_START, "open-objections")
    assert item.title == f"马异议（{candidacy.village.name}）2024-03-20 收到的异议待处理"
    assert item.url == f"/reserves/{candidacy.pk}/#objections"
    assert titles("dashuikeng", NOTICE_START, "open-objections") == []
    notice.resolve_objection(
        actor=user("huamachi"), objection=objection, upheld=False, on=NOTICE_END, resolution="不属实"
    )
    assert titles("huamachi", NOTICE_END, "open-objections") == []


# -- removal proposals -----------------------------------------------------------------------------------------


def _removal_proposal(village: str = HUAMACHI_VILLAGE, name: str = "马出库") -> RemovalProposal:
    candidacy = candidacy_in("in_pool", make_person(name, village))
    return RemovalProposal.objects.create(
        candidacy=candidacy,
        person=candidacy.person,
        basis=ProposalBasis.CHECKUP,
        basis_text="回头看：调整出库",
    )


def test_a_removal_proposal_waits_for_a_decision():
    proposal = _removal_proposal()
    other = _removal_proposal(DASHUIKENG_VILLAGE, "牛出库")
    [item] = items("huamachi", date(2026, 1, 5), "removal-proposals")
    assert item.title == f"马出库（{proposal.candidacy.village.name}）出库建议：回头看：调整出库"
    assert item.url == f"/assessment/proposals/{proposal.pk}/"
    assert titles("dashuikeng", date(2026, 1, 5), "removal-proposals") == [
        f"牛出库（{other.candidacy.village.name}）出库建议：回头看：调整出库"
    ]
    assert len(titles("county", date(2026, 1, 5), "removal-proposals")) == 2
    reject_proposal(actor=user("huamachi"), proposal=proposal, reason="经核实不出库")
    assert titles("huamachi", date(2026, 1, 5), "removal-proposals") == []


# -- the page and the badge ---------------------------------------------------------------------------------------


def test_the_page_lists_the_items_by_rule_with_links(client_for, monkeypatch):
    from .duty_support import set_today

    candidacy = candidacy_in("in_notice", make_person("马公示"))
    set_today(monkeypatch, AFTER_NOTICE)
    page = client_for("huamachi").get("/todos/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="todo-notices-ended"' in html
    assert f'href="/reserves/{candidacy.pk}/"' in html
    assert "马公示" in html
    other = client_for("dashuikeng").get("/todos/").content.decode()
    assert "马公示" not in other and 'id="todo-none"' in other


def test_the_badge_counts_and_is_loaded_after_the_page(client_for, monkeypatch):
    from .duty_support import set_today

    candidacy_in("in_notice", make_person("马公示"))
    candidacy_in("in_notice", make_person("马公示二"))
    set_today(monkeypatch, AFTER_NOTICE)
    clerk = client_for("huamachi")
    badge = clerk.get("/todos/count/").content.decode()
    assert '<span class="badge rounded-pill text-bg-warning ms-1" id="todo-count"' in badge
    assert ">2</span>" in badge
    assert client_for("dashuikeng").get("/todos/count/").content.decode().strip() == ""
    home = clerk.get("/").content.decode()
    assert 'hx-get="/todos/count/" hx-trigger="load"' in home
    # The village secretary (a reader) has no to-dos and no entry.
    assert 'hx-get="/todos/count/"' not in client_for("cunshuji").get("/").content.decode()


def test_the_navigation_computes_no_to_do(client_for, monkeypatch):
    """The badge is fetched after the page: a page's own queries never read the records the rules read."""
    from .duty_support import set_today

    candidacy_in("in_notice", make_person("马公示"))
    set_today(monkeypatch, AFTER_NOTICE)
    clerk = client_for("huamachi")
    with CaptureQueriesContext(connection) as page:
        assert clerk.get("/todos/preferences/").status_code == 200
    assert not [q for q in page.captured_queries if "candidacies_objection" in q["sql"]]


def test_the_rules_cost_a_bounded_number_of_queries(monkeypatch):
    """However many items, the rules read with the same queries (no query per item)."""
    from yanzhen.todos import selectors

    clerk = user("huamachi")
    selectors.groups(clerk, AFTER_NOTICE)
    with CaptureQueriesContext(connection) as few:
        selectors.groups(clerk, AFTER_NOTICE)
    for index in range(3):
        candidacy_in("in_notice", make_person(f"马公示{index}"))
        _removal_proposal(name=f"马出库{index}")
    with CaptureQueriesContext(connection) as more:
        assert sum(group.count for group in selectors.groups(clerk, AFTER_NOTICE)) == 6
    assert len(more.captured_queries) == len(few.captured_queries) <= 15


def test_the_badge_is_kept_a_minute_and_the_page_refreshes_it(client_for, monkeypatch):
    from yanzhen.todos import selectors

    from .duty_support import set_today

    set_today(monkeypatch, AFTER_NOTICE)
    candidacy_in("in_notice", make_person("马公示"))
    clerk = client_for("huamachi")
    assert ">1</span>" in clerk.get("/todos/count/").content.decode()
    candidacy_in("in_notice", make_person("马公示二"))
    with CaptureQueriesContext(connection) as kept:
        assert ">1</span>" in clerk.get("/todos/count/").content.decode()  # a minute old at most
    assert not [q for q in kept.captured_queries if "candidacies_candidacy" in q["sql"]]
    assert clerk.get("/todos/").status_code == 200  # the page computes afresh and keeps its count
    assert ">2</span>" in clerk.get("/todos/count/").content.decode()
    now = selectors.time.time()
    monkeypatch.setattr(selectors.time, "time", lambda: now + selectors.BADGE_SECONDS + 1)
    candidacy_in("in_notice", make_person("马公示三"))
    assert ">3</span>" in clerk.get("/todos/count/").content.decode()


# -- adjustment proposals (incumbents) ---------------------------------------------------------------------------


def _sitting(name: str, village: str = HUAMACHI_VILLAGE, post: str = "chair"):
    from yanzhen.posts.models import Term

    from .candidacies_support import make_seat

    return Term.objects.create(
        seat=make_seat(village, post), person=make_person(name, village), start=date(2024, 1, 1)
    )


def test_an_adjustment_proposal_waits_for_a_decision():
    from yanzhen.assessments.incumbents.rules import reject_adjustment
    from yanzhen.assessments.models import AdjustmentProposal, IncumbentRule

    term = _sitting("马主任")
    rule = IncumbentRule.objects.create(county_id="640323", grade="incompetent", months=2)
    proposal = AdjustmentProposal.objects.create(
        term=term,
        person=term.person,
        rule=rule,
        first_month=date(2026, 9, 1),
        last_month=date(2026, 10, 1),
        basis_text="连续两个月不称职",
    )
    [item] = items("huamachi", date(2026, 11, 5), "adjustment-proposals")
    assert item.title == "马主任 调整建议：连续两个月不称职"
    assert item.url == f"/assessment/incumbents/proposals/{proposal.pk}/"
    assert titles("dashuikeng", date(2026, 11, 5), "adjustment-proposals") == []
    reject_adjustment(actor=user("huamachi"), proposal=proposal, reason="已谈话提醒")
    assert titles("huamachi", date(2026, 11, 5), "adjustment-proposals") == []


# -- overdue semiannual reports ------------------------------------------------------------------------------------


def test_an_overdue_report_waits_until_entered():
    from yanzhen.assessments.services import submit_report

    from .assessment_helpers import make_reserve

    person, _candidacy = make_reserve(user("county"), "马汇报", HUAMACHI_VILLAGE)
    make_reserve(user("county"), "牛汇报", DASHUIKENG_VILLAGE)
    assert titles("huamachi", date(2026, 1, 15), "overdue-reports") == []  # due on the 15th: still on time
    [item] = items("huamachi", date(2026, 1, 16), "overdue-reports")
    assert item.title == f"马汇报（{person.village.name}）2025年下半年思想汇报逾期未交"
    assert item.url == f"/assessment/reports/new/?person={person.pk}&period=2025H2"
    assert item.due == date(2026, 1, 15)
    assert [t[:3] for t in titles("dashuikeng", date(2026, 1, 16), "overdue-reports")] == ["牛汇报"]
    submit_report(actor=user("huamachi"), person=person, year=2025, half=2, text="本半年的思想汇报")
    assert titles("huamachi", date(2026, 1, 16), "overdue-reports") == []


# -- monthly scores of last month ------------------------------------------------------------------------------------


def test_last_months_scores_not_entered_are_counted_per_village(monkeypatch):
    from yanzhen.assessments.incumbents.services import record_monthly_score, save_score_items
    from yanzhen.divisions.models import Division

    from .duty_support import set_today

    on = date(2026, 12, 7)
    first, second = _sitting("马主任"), _sitting("马委员", post="member")
    _sitting("牛主任", DASHUIKENG_VILLAGE)
    assert titles("huamachi", on, "unscored-incumbents") == []  # the county does not score monthly yet
    [item_score] = save_score_items(
        actor=user("county"), county=Division.objects.get(code="640323"), items=[("履职", 100)]
    )
    [item] = items("huamachi", on, "unscored-incumbents")
    village = first.seat.village
    assert item.title == f"{village.name} 2026年11月月考评未录入 2 人"
    assert item.url == f"/assessment/incumbents/{village.code}/?month=2026-11"
    assert item.count == 2
    assert titles("dashuikeng", on, "unscored-incumbents") == [
        f"{Division.objects.get(code=DASHUIKENG_VILLAGE).name} 2026年11月月考评未录入 1 人"
    ]
    set_today(monkeypatch, on)
    for term in (first, second):
        record_monthly_score(
            actor=user("huamachi"), term=term, month=date(2026, 11, 1), scores={item_score.pk: 90}
        )
    assert titles("huamachi", on, "unscored-incumbents") == []


# -- reserves' assessments of the last period ---------------------------------------------------------------------


def test_a_reserve_not_assessed_for_the_last_period_waits(monkeypatch):
    from .assessment_helpers import assess, make_reserve
    from .duty_support import set_today

    person, _candidacy = make_reserve(user("county"), "马考核", HUAMACHI_VILLAGE)
    make_reserve(user("county"), "牛考核", DASHUIKENG_VILLAGE)
    on = date(2026, 1, 20)
    [item] = items("huamachi", on, "unassessed-reserves")
    assert item.title == f"马考核（{person.village.name}）2025年下半年考核未录入"
    assert item.url == f"/assessment/assessments/new/?person={person.pk}&period=2025H2"
    assert [t[:3] for t in titles("dashuikeng", on, "unassessed-reserves")] == ["牛考核"]
    assert len(titles("county", on, "unassessed-reserves")) == 2
    set_today(monkeypatch, on)
    assess(user("huamachi"), person, 2025, 2, "competent")
    assert titles("huamachi", on, "unassessed-reserves") == []


# -- overdue secondments ---------------------------------------------------------------------------------------------


def test_an_overdue_secondment_waits_for_its_report():
    from yanzhen.cultivation import services
    from yanzhen.cultivation.services import SecondmentInput
    from yanzhen.divisions.models import Division

    host = Division.objects.get(code="640323100203")
    secondment = services.create_secondment(
        actor=user("huamachi"),
        data=SecondmentInput(
            person=make_person("马挂职"),
            kind="secondment",
            mode="full_time",
            host=host,
            start=date(2024, 3, 1),
            planned_end=date(2024, 8, 31),
            goals="学习合作社的经营",
        ),
    )
    assert titles("huamachi", date(2024, 8, 31), "overdue-secondments") == []
    [item] = items("huamachi", date(2024, 9, 1), "overdue-secondments")
    assert item.title == f"马挂职 在{host.name}挂职已到期，待报告"
    assert item.url == f"/cultivation/secondments/{secondment.pk}/"
    assert item.due == date(2024, 9, 1)
    assert titles("dashuikeng", date(2024, 9, 1), "overdue-secondments") == []
    services.submit_secondment_report(
        actor=user("huamachi"), secondment=secondment, report="学到了经营", reported_on=date(2024, 9, 3)
    )
    assert titles("huamachi", date(2024, 9, 4), "overdue-secondments") == []


# -- growth plans ----------------------------------------------------------------------------------------------------


def test_an_overdue_growth_plan_step_waits_until_done(monkeypatch):
    from yanzhen.cultivation import services
    from yanzhen.cultivation.models import GrowthPlanItem

    from .duty_support import set_today

    set_today(monkeypatch, date(2026, 3, 1))
    person = make_person("马成长")
    item = services.add_plan_item(
        actor=user("huamachi"),
        person=person,
        kind="degree",
        title="报考大专学历",
        planned_start=date(2026, 3, 1),
        due=date(2026, 6, 30),
    )
    assert titles("huamachi", date(2026, 6, 30), "overdue-plan-items") == []
    [found] = items("huamachi", date(2026, 7, 1), "overdue-plan-items")
    assert found.title == "马成长 成长计划“报考大专学历”逾期未完成"
    assert found.url == f"/cultivation/people/{person.pk}/"
    assert found.due == date(2026, 6, 30)
    assert titles("dashuikeng", date(2026, 7, 1), "overdue-plan-items") == []
    set_today(monkeypatch, date(2026, 7, 1))
    services.complete_plan_item(
        actor=user("huamachi"), item=GrowthPlanItem.objects.get(pk=item.pk), done_on=date(2026, 7, 1)
    )
    assert titles("huamachi", date(2026, 7, 1), "overdue-plan-items") == []


# -- rotas with gaps -----------------------------------------------------------------------------------------------


def test_a_rota_with_gaps_waits_until_filled(monkeypatch):
    from yanzhen.divisions.models import Division
    from yanzhen.duty import services

    from .duty_support import set_today, sitting

    set_today(monkeypatch, date(2026, 9, 28))
    cadre = sitting("马值班")
    village = Division.objects.get(code=HUAMACHI_VILLAGE)
    on = date(2026, 9, 28)  # Monday: 28, 29, 30 are the month's working days left
    assert titles("huamachi", on, "rota-gaps") == []  # no rota this month: nothing to fill
    services.add_assignment(actor=user("huamachi"), village=village, day=on, person=cadre)
    [item] = items("huamachi", on, "rota-gaps")
    assert item.title == f"{village.name} 09月值班表有 2 个工作日无人值班"
    assert item.url == f"/duty/village/{HUAMACHI_VILLAGE}/?month=2026-09"
    assert (item.count, item.due) == (2, date(2026, 9, 29))
    assert titles("dashuikeng", on, "rota-gaps") == []
    for day in (date(2026, 9, 29), date(2026, 9, 30)):
        services.add_assignment(actor=user("huamachi"), village=village, day=day, person=cadre)
    assert titles("huamachi", on, "rota-gaps") == []
