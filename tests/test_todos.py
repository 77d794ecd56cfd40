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
    assert [rule.slug for rule in registry.rules()][:9] == [
        "notices-ended",
        "open-objections",
        "removal-proposals",
        "adjustment-proposals",
        "overdue-reports",
        "unscored-incumbents",
        "unassessed-reserves",
        "overdue-secondments",
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


def test_the_badge_costs_a_bounded_number_of_queries(client_for, monkeypatch, django_assert_max_num_queries):
    from .duty_support import set_today

    set_today(monkeypatch, AFTER_NOTICE)
    clerk = client_for("huamachi")
    clerk.get("/todos/count/")
    with CaptureQueriesContext(connection) as few:
        clerk.get("/todos/count/")
    for index in range(3):
        candidacy_in("in_notice", make_person(f"马公示{index}"))
        _removal_proposal(name=f"马出库{index}")
    with CaptureQueriesContext(connection) as more:
        clerk.get("/todos/count/")
    assert len(more.captured_queries) == len(few.captured_queries)
    with django_assert_max_num_queries(30):
        clerk.get("/todos/count/")
