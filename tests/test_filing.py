"""备案/审批 (issue 20 §3): a county's filing of its townships' 入库 and 出库, only where it set it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from yanzhen.candidacies import filing as filings
from yanzhen.candidacies import notice, workflow
from yanzhen.candidacies.models import (
    Candidacy,
    CandidacyEvent,
    Filing,
    FilingMode,
    FilingSettings,
    FilingState,
)
from yanzhen.divisions.models import Division

from .candidacies_support import (
    NOTICE_START,
    POOL_ON,
    REMOVED_ON,
    State,
    candidacy_in,
    footprint,
    step,
    user,
)

pytestmark = pytest.mark.django_db

COUNTY = "640323"


def require(entry: str = FilingMode.NONE, removal: str = FilingMode.NONE) -> FilingSettings:
    return filings.save_settings(
        actor=user("county"), county=Division.objects.get(code=COUNTY), entry=entry, removal=removal
    )


def state_of(candidacy: Candidacy) -> str:
    return Candidacy.objects.get(pk=candidacy.pk).state


def filed_footprint(candidacy: Candidacy) -> tuple:
    return (*footprint(candidacy), Filing.objects.count(), Filing.history.count())


# --- settings off: the pipeline as before ------------------------------------------------------------------


def test_without_settings_a_township_enters_and_removes_directly():
    candidacy = candidacy_in(State.IN_NOTICE)
    assert step(candidacy, State.IN_POOL, actor="huamachi").state == State.IN_POOL
    assert step(candidacy, State.REMOVED, actor="huamachi").state == State.REMOVED
    assert Filing.objects.count() == 0


def test_settings_saved_as_neither_change_nothing():
    require()
    candidacy = candidacy_in(State.IN_NOTICE)
    assert step(candidacy, State.IN_POOL, actor="huamachi").state == State.IN_POOL
    assert Filing.objects.count() == 0


def test_settings_are_the_county_admins_only():
    county = Division.objects.get(code=COUNTY)
    with pytest.raises(PermissionDenied):
        filings.save_settings(actor=user("auditor"), county=county, entry="approval", removal="none")
    for outside in ("huamachi", "outsider"):  # the county is above a township's jurisdiction
        with pytest.raises(Http404):
            filings.save_settings(actor=user(outside), county=county, entry="approval", removal="none")
    with pytest.raises(ValidationError) as refused:
        filings.save_settings(actor=user("county"), county=county, entry="maybe", removal="none")
    assert refused.value.message_dict == {"entry": ["入库的要求须为无、备案或审批"]}
    assert FilingSettings.objects.count() == 0


# --- 审批 --------------------------------------------------------------------------------------------------


def test_approval_of_entry_waits_then_approve_performs_it_with_the_proposer():
    require(entry=FilingMode.APPROVAL)
    candidacy = candidacy_in(State.IN_NOTICE)
    events = CandidacyEvent.objects.filter(candidacy=candidacy).count()
    request = step(candidacy, State.IN_POOL, actor="huamachi")
    assert request.state == State.IN_NOTICE
    assert CandidacyEvent.objects.filter(candidacy=candidacy).count() == events
    [pending] = Filing.objects.filter(candidacy=candidacy)
    assert (pending.kind, pending.step, pending.state) == ("approval", "entry", "pending")
    assert (pending.source_state, pending.target_state) == (State.IN_NOTICE, State.IN_POOL)
    assert pending.inputs == {"on": POOL_ON.isoformat()}
    assert pending.proposed_by == user("huamachi")
    assert list(filings.awaiting_county(user("county"))) == [pending]
    assert list(filings.awaiting_county(user("huamachi"))) == []
    assert list(filings.awaiting_county(user("outsider"))) == []

    filings.approve(actor=user("county"), filing=pending, note="同意")
    fresh = Candidacy.objects.get(pk=candidacy.pk)
    assert (fresh.state, fresh.entered_pool_on) == (State.IN_POOL, POOL_ON)
    event = CandidacyEvent.objects.filter(candidacy=candidacy).latest("id")
    assert (event.to_state, event.actor, event.on) == (State.IN_POOL, user("county"), POOL_ON)
    assert event.data == {"filing": pending.pk, "proposed_by": "huamachi"}
    assert event.summary == "公示期满无异议，纳入后备力量人才库（huamachi提出，县委组织部审批同意）"
    pending.refresh_from_db()
    assert (pending.state, pending.decided_by, pending.reason) == ("approved", user("county"), "同意")
    assert [row.state for row in pending.history.order_by("history_id")] == ["pending", "approved"]
    assert [row.history_user for row in pending.history.order_by("history_id")] == [
        user("huamachi"),
        user("county"),
    ]


def test_a_request_is_checked_as_the_step_is_and_refused_writes_nothing():
    require(entry=FilingMode.APPROVAL)
    candidacy = candidacy_in(State.IN_NOTICE)
    before = filed_footprint(candidacy)
    from yanzhen.candidacies import transitions

    move = transitions.find(State.IN_NOTICE, State.IN_POOL)
    with pytest.raises(ValidationError) as refused:
        move.perform(user("huamachi"), candidacy, {"on": NOTICE_START})
    assert list(refused.value.message_dict) == ["on"]
    with pytest.raises(Http404):
        move.perform(user("dashuikeng"), candidacy, {"on": POOL_ON})
    with pytest.raises(PermissionDenied):
        move.perform(user("auditor"), candidacy, {"on": POOL_ON})
    assert filed_footprint(candidacy) == before


def test_a_second_request_is_refused_while_one_waits():
    require(entry=FilingMode.APPROVAL)
    candidacy = candidacy_in(State.IN_NOTICE)
    step(candidacy, State.IN_POOL, actor="huamachi")
    before = filed_footprint(candidacy)
    with pytest.raises(workflow.WorkflowConflict, match="已有待县委组织部审批的申请"):
        step(candidacy, State.IN_POOL, actor="huamachi")
    assert filed_footprint(candidacy) == before


def test_the_county_itself_enters_without_a_request():
    require(entry=FilingMode.APPROVAL, removal=FilingMode.FILING)
    candidacy = candidacy_in(State.IN_POOL)  # stepped by the county administrator
    assert step(candidacy, State.REMOVED).state == State.REMOVED
    assert Filing.objects.count() == 0


def test_refuse_keeps_the_state_and_needs_a_reason():
    require(entry=FilingMode.APPROVAL)
    candidacy = candidacy_in(State.IN_NOTICE)
    step(candidacy, State.IN_POOL, actor="huamachi")
    pending = Filing.objects.get()
    before = filed_footprint(candidacy)
    with pytest.raises(ValidationError) as refused:
        filings.refuse(actor=user("county"), filing=pending, reason="  ")
    assert refused.value.message_dict == {"reason": ["退回须写明理由"]}
    assert filed_footprint(candidacy) == before
    filings.refuse(actor=user("county"), filing=pending, reason="材料不全")
    pending.refresh_from_db()
    assert (pending.state, pending.reason, pending.decided_by) == ("refused", "材料不全", user("county"))
    assert state_of(candidacy) == State.IN_NOTICE
    with pytest.raises(ValidationError) as again:
        filings.approve(actor=user("county"), filing=pending)
    assert again.value.message_dict == {"filing": ["该审批已处理（已退回），不能再次处理"]}
    # Refused, the township may ask again.
    step(candidacy, State.IN_POOL, actor="huamachi")
    assert Filing.objects.filter(state="pending").count() == 1


@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("huamachi", PermissionDenied),
        ("auditor", PermissionDenied),
        ("outsider", Http404),
        ("dashuikeng", Http404),
    ],
)
def test_only_the_county_decides_and_a_refused_decision_writes_nothing(who, error):
    require(entry=FilingMode.APPROVAL)
    candidacy = candidacy_in(State.IN_NOTICE)
    step(candidacy, State.IN_POOL, actor="huamachi")
    pending = Filing.objects.get()
    before = filed_footprint(candidacy)
    with pytest.raises(error):
        filings.approve(actor=user(who), filing=pending)
    with pytest.raises(error):
        filings.refuse(actor=user(who), filing=pending, reason="不同意")
    assert filed_footprint(candidacy) == before


def test_the_approval_of_a_moved_candidacy_is_refused():
    require(entry=FilingMode.APPROVAL)
    candidacy = candidacy_in(State.IN_NOTICE)
    step(candidacy, State.IN_POOL, actor="huamachi")
    pending = Filing.objects.get()
    # Meanwhile an objection is upheld: the candidacy is rejected.
    objection = notice.record_objection(
        actor=user("huamachi"), candidacy=candidacy, received_on=NOTICE_START, content="反映问题"
    )
    notice.reject_by_objection(
        actor=user("huamachi"), candidacy=candidacy, objection=objection, on=POOL_ON, resolution="属实"
    )
    before = filed_footprint(candidacy)
    with pytest.raises(ValidationError) as refused:
        filings.approve(actor=user("county"), filing=pending)
    name = candidacy.person.name
    assert refused.value.message_dict == {
        "filing": [f"{name}的后备人选记录当前为“未通过”，已不是提出申请时的“公示”，不能按此申请办理，请退回"]
    }
    assert filed_footprint(candidacy) == before


def test_approval_of_removal_keeps_the_reason_and_destination():
    require(removal=FilingMode.APPROVAL)
    candidacy = candidacy_in(State.IN_POOL)
    from yanzhen.candidacies import transitions

    move = transitions.find(State.IN_POOL, State.REMOVED)
    move.perform(
        user("huamachi"),
        candidacy,
        {"reason": "other", "note": "外出务工", "destination": "", "on": REMOVED_ON},
    )
    assert state_of(candidacy) == State.IN_POOL
    pending = Filing.objects.get()
    assert pending.inputs == {"reason": "other", "note": "外出务工", "destination": "", "on": "2024-05-06"}
    filings.approve(actor=user("county"), filing=pending)
    fresh = Candidacy.objects.get(pk=candidacy.pk)
    assert (fresh.state, fresh.removal_reason, fresh.removal_note, fresh.removed_on) == (
        State.REMOVED,
        "other",
        "外出务工",
        REMOVED_ON,
    )


# --- 备案 --------------------------------------------------------------------------------------------------


def test_filing_performs_the_step_and_awaits_acknowledgement():
    require(entry=FilingMode.FILING, removal=FilingMode.FILING)
    candidacy = candidacy_in(State.IN_NOTICE)
    assert step(candidacy, State.IN_POOL, actor="huamachi").state == State.IN_POOL
    assert step(candidacy, State.REMOVED, actor="huamachi").state == State.REMOVED
    entry, removal = Filing.objects.order_by("id")
    assert [(row.kind, row.step, row.state) for row in (entry, removal)] == [
        ("filing", "entry", "pending"),
        ("filing", "removal", "pending"),
    ]
    assert set(filings.awaiting_county(user("county"))) == {entry, removal}
    with pytest.raises(ValidationError) as refused:
        filings.approve(actor=user("county"), filing=entry)
    assert refused.value.message_dict == {"filing": ["这是一条备案，不能审批"]}
    with pytest.raises(PermissionDenied):
        filings.acknowledge(actor=user("huamachi"), filings=[entry])
    filings.acknowledge(actor=user("county"), filings=[entry, removal])
    assert set(Filing.objects.values_list("state", flat=True)) == {FilingState.ACKNOWLEDGED}
    assert list(filings.awaiting_county(user("county"))) == []


def test_acknowledging_is_all_or_none():
    require(entry=FilingMode.FILING)
    first, second = candidacy_in(State.IN_NOTICE), candidacy_in(State.IN_NOTICE)
    step(first, State.IN_POOL, actor="huamachi")
    step(second, State.IN_POOL, actor="huamachi")
    done, waiting = Filing.objects.order_by("id")
    filings.acknowledge(actor=user("county"), filings=[done])
    with pytest.raises(ValidationError):
        filings.acknowledge(actor=user("county"), filings=[waiting, done])
    waiting.refresh_from_db()
    assert waiting.state == FilingState.PENDING


def test_a_refused_filed_step_files_nothing():
    require(entry=FilingMode.FILING)
    candidacy = candidacy_in(State.IN_NOTICE)
    before = filed_footprint(candidacy)
    from yanzhen.candidacies import transitions

    move = transitions.find(State.IN_NOTICE, State.IN_POOL)
    with pytest.raises(ValidationError):
        move.perform(user("huamachi"), candidacy, {"on": NOTICE_START})
    assert filed_footprint(candidacy) == before


# --- pages and API -----------------------------------------------------------------------------------------


def _requested(entry: str = FilingMode.APPROVAL) -> tuple[Candidacy, Filing]:
    require(entry=entry)
    candidacy = candidacy_in(State.IN_NOTICE)
    step(candidacy, State.IN_POOL, actor="huamachi")
    return candidacy, Filing.objects.get(candidacy=candidacy)


def test_the_clerks_entry_under_approval_on_the_page_waits(client_for):
    require(entry=FilingMode.APPROVAL)
    candidacy = candidacy_in(State.IN_NOTICE)
    clerk = client_for("huamachi")
    response = clerk.post(
        f"/reserves/{candidacy.pk}/to/in_pool/",
        {"in_pool-on": POOL_ON.isoformat(), "in_pool-confirm": "on"},
        follow=True,
    )
    assert response.status_code == 200
    assert state_of(candidacy) == State.IN_NOTICE
    text = response.content.decode()
    assert "入库须经县委组织部审批：已提交，待县委组织部审批" in text
    assert "待县委组织部审批" in text
    assert Filing.objects.filter(candidacy=candidacy, state="pending").count() == 1


def test_the_county_approves_on_the_request_page(client_for):
    candidacy, pending = _requested()
    county = client_for("county")
    page = county.get(f"/filings/{pending.pk}/")
    assert page.status_code == 200
    assert 'id="approve-form"' in page.content.decode()
    assert 'id="approve-form"' not in client_for("huamachi").get(f"/filings/{pending.pk}/").content.decode()
    listing = county.get("/filings/")
    assert f"/filings/{pending.pk}/" in listing.content.decode()
    response = county.post(f"/filings/{pending.pk}/approve/", {"approve-note": "同意"})
    assert response.status_code == 302
    assert state_of(candidacy) == State.IN_POOL


def test_a_refusal_on_the_page_needs_its_reason(client_for):
    candidacy, pending = _requested()
    county = client_for("county")
    response = county.post(f"/filings/{pending.pk}/refuse/", {"refuse-reason": ""})
    assert response.status_code == 400
    pending.refresh_from_db()
    assert pending.state == FilingState.PENDING
    assert county.post(f"/filings/{pending.pk}/refuse/", {"refuse-reason": "材料不全"}).status_code == 302
    assert state_of(candidacy) == State.IN_NOTICE
    page = client_for("huamachi").get(f"/reserves/{candidacy.pk}/").content.decode()
    assert "材料不全" in page


def test_the_approval_of_a_moved_candidacy_is_refused_on_the_page(client_for):
    candidacy, pending = _requested()
    objection = notice.record_objection(
        actor=user("huamachi"), candidacy=candidacy, received_on=NOTICE_START, content="反映问题"
    )
    notice.reject_by_objection(
        actor=user("huamachi"), candidacy=candidacy, objection=objection, on=POOL_ON, resolution="属实"
    )
    response = client_for("county").post(f"/filings/{pending.pk}/approve/", {})
    assert response.status_code == 400
    assert "已不是提出申请时的“公示”" in response.content.decode()


def test_bulk_acknowledge_on_the_list(client_for):
    require(entry=FilingMode.FILING)
    first, second = candidacy_in(State.IN_NOTICE), candidacy_in(State.IN_NOTICE)
    step(first, State.IN_POOL, actor="huamachi")
    step(second, State.IN_POOL, actor="huamachi")
    ids = list(Filing.objects.order_by("id").values_list("pk", flat=True))
    county = client_for("county")
    confirm = county.get("/filings/acknowledge/", {"selected": ids})
    assert confirm.status_code == 200
    assert confirm.content.decode().count('name="selected"') == 2
    assert client_for("huamachi").post("/filings/acknowledge/", {"selected": ids}).status_code == 403
    assert set(Filing.objects.values_list("state", flat=True)) == {"pending"}
    assert county.post("/filings/acknowledge/", {"selected": ids}).status_code == 302
    assert set(Filing.objects.values_list("state", flat=True)) == {"acknowledged"}
    assert county.get("/filings/").context["listing"].count == 0
    assert county.get("/filings/?state=acknowledged").context["listing"].count == 2


def test_the_settings_page(client_for):
    county = client_for("county")
    page = county.get("/filings/settings/")
    assert page.status_code == 200
    response = county.post(
        "/filings/settings/",
        {"entry": "approval", "removal": "filing", "version": page.context["form"].version},
    )
    assert response.status_code == 302
    row = FilingSettings.objects.get(county_id=COUNTY)
    assert (row.entry, row.removal) == ("approval", "filing")
    assert (
        client_for("huamachi").post("/filings/settings/", {"entry": "none", "removal": "none"}).status_code
        == 403
    )
    row.refresh_from_db()
    assert (row.entry, row.removal) == ("approval", "filing")


def test_the_api(client_for):
    candidacy, pending = _requested()
    county = client_for("county")
    listed = county.get("/api/v1/filings?state=pending").json()
    assert listed["count"] == 1
    item = listed["items"][0]
    assert (item["id"], item["kind"], item["step"], item["state"], item["proposed_by"]) == (
        pending.pk,
        "approval",
        "entry",
        "pending",
        "huamachi",
    )
    assert item["inputs"] == {"on": "2024-03-27"}
    assert client_for("outsider").get("/api/v1/filings").json()["count"] == 0
    assert client_for("outsider").get(f"/api/v1/filings/{pending.pk}").status_code == 404
    refused = county.post(
        f"/api/v1/filings/{pending.pk}/refuse", {"reason": ""}, content_type="application/json"
    )
    assert refused.status_code == 422
    assert "reason" in refused.json()["errors"]
    clerk = client_for("huamachi")
    assert (
        clerk.post(f"/api/v1/filings/{pending.pk}/approve", {}, content_type="application/json").status_code
        == 403
    )
    assert state_of(candidacy) == State.IN_NOTICE
    approved = county.post(f"/api/v1/filings/{pending.pk}/approve", {}, content_type="application/json")
    assert approved.status_code == 200
    assert approved.json()["state"] == "approved"
    assert state_of(candidacy) == State.IN_POOL
    again = county.post(f"/api/v1/filings/{pending.pk}/approve", {}, content_type="application/json")
    assert again.status_code == 422
    assert again.json()["errors"] == {"filing": "该审批已处理（已同意），不能再次处理"}


def test_the_api_transition_under_approval_leaves_the_state(client_for):
    require(entry=FilingMode.APPROVAL)
    candidacy = candidacy_in(State.IN_NOTICE)
    response = client_for("huamachi").post(
        f"/api/v1/candidacies/{candidacy.pk}/transitions",
        {"to": "in_pool", "on": "2024-03-27"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["state"] == "in_notice"
    assert Filing.objects.get().state == "pending"


# --- the removal proposals (assessments) follow the county's rule for 出库 ---------------------------------


def _proposal():
    from tests.assessment_helpers import assess, make_reserve
    from yanzhen.assessments.models import Grade, RemovalProposal

    person, _candidacy = make_reserve(user("huamachi"), "白坤林", "640323100200")
    assess(user("huamachi"), person, 2022, 1, Grade.INCOMPETENT)
    assess(user("huamachi"), person, 2022, 2, Grade.INCOMPETENT)
    return RemovalProposal.objects.get()


def test_a_removal_proposal_is_not_confirmed_by_a_township_under_approval():
    from yanzhen.assessments import services

    require(removal=FilingMode.APPROVAL)
    proposal = _proposal()
    before = filed_footprint(proposal.candidacy)
    with pytest.raises(ValidationError) as refused:
        services.confirm_proposal(actor=user("huamachi"), proposal=proposal)
    assert refused.value.message_dict == {
        "proposal": ["本县出库须经县委组织部审批：请在该人选的后备人选页面提出出库申请"]
    }
    assert filed_footprint(proposal.candidacy) == before
    # The county confirms it itself.
    services.confirm_proposal(actor=user("county"), proposal=proposal)
    assert state_of(proposal.candidacy) == State.REMOVED
    assert Filing.objects.count() == 0


def test_a_removal_proposal_confirmed_under_filing_is_filed():
    from yanzhen.assessments import services

    require(removal=FilingMode.FILING)
    proposal = _proposal()
    services.confirm_proposal(actor=user("huamachi"), proposal=proposal)
    assert state_of(proposal.candidacy) == State.REMOVED
    row = Filing.objects.get()
    assert (row.kind, row.step, row.state, row.proposed_by) == (
        "filing",
        "removal",
        "pending",
        user("huamachi"),
    )
    assert row.inputs["reason"] == "incompetent"


# --- the county's to-do (todos) and the leader's reading of it ---------------------------------------------


def _todo_items(actor) -> list:
    from yanzhen.todos import selectors

    for group in selectors.groups(actor, POOL_ON):
        if group.rule.slug == "filings-awaiting":
            return group.items
    return []


def _todo_titles(actor) -> list[str]:
    return [item.title for item in _todo_items(actor)]


def test_a_request_awaiting_the_county_is_its_to_do_until_decided():
    from tests.test_leader_role import make_leader

    require(entry=FilingMode.APPROVAL)
    candidacy = candidacy_in(State.IN_NOTICE)
    step(candidacy, State.IN_POOL, actor="huamachi")
    request = Filing.objects.get(candidacy=candidacy)
    expected = [f"{candidacy.person.name}（{candidacy.village.name}）入库待审批"]
    assert _todo_titles(user("county")) == expected
    assert [item.url for item in _todo_items(user("county"))] == [f"/filings/{request.pk}/"]
    # The township proposed it: not his to-do; nor another county's, nor a reader's.
    assert _todo_titles(user("huamachi")) == []
    assert _todo_titles(user("outsider")) == []
    assert _todo_titles(user("auditor")) == []
    # The leader reads the county's to-do (without acting); he is still a reader everywhere else.
    leader = make_leader()
    assert _todo_titles(leader) == expected
    assert not leader.can_edit
    filings.approve(actor=user("county"), filing=request)
    assert _todo_titles(user("county")) == [] and _todo_titles(leader) == []
