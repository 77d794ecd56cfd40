"""处分记录 (issue 18 §2): a measure in its 影响期 puts the person on the negative list: a reserve in the pool is
proposed for removal (never removed by the system), a nomination cannot pass 资格审查, a sitting cadre is flagged
for the township; the effect ends on the day the 影响期 is over. Scoped, role-checked, validated, with history."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from yanzhen.assessments import rules, selectors, services
from yanzhen.assessments.models import (
    DisciplineRecord,
    ProposalBasis,
    ProposalState,
    RemovalProposal,
    default_effect_end,
)
from yanzhen.candidacies.models import Candidacy, CandidacyState, RemovalReason
from yanzhen.divisions.models import Division
from yanzhen.posts import services as post_services
from yanzhen.stats import warnings

from .candidacies_support import candidacy_in, footprint, make_seat, nominate, step, user
from .conftest import DASHUIKENG, HUAMACHI, HUAMACHI_VILLAGE
from .factories import make_person

pytestmark = pytest.mark.django_db

ISSUER = "中共盐池县纪委"


def _today(monkeypatch, day: date) -> None:
    """The app's "today" (timezone.localdate, read by the rules and every date check)."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


def _record(person, *, actor="county", measure="party_serious_warning", decided_on=date(2026, 6, 1), **extra):
    data = services.DisciplineInput(measure=measure, decided_on=decided_on, issuer=ISSUER, **extra)
    return services.record_discipline(actor=user(actor), person=person, data=data)


def _pending(candidacy) -> list[RemovalProposal]:
    return list(
        RemovalProposal.objects.filter(
            candidacy=candidacy, basis=ProposalBasis.DISCIPLINE, state=ProposalState.PENDING
        )
    )


def _written() -> tuple:
    return (
        DisciplineRecord.objects.count(),
        DisciplineRecord.history.count(),
        RemovalProposal.objects.count(),
        RemovalProposal.history.count(),
    )


# -- the influence period ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("measure", "decided", "ends"),
    [
        ("party_warning", date(2024, 2, 29), date(2025, 2, 28)),
        ("party_serious_warning", date(2026, 6, 1), date(2027, 12, 1)),
        ("party_post_revoked", date(2026, 1, 31), date(2028, 1, 31)),
        ("party_probation", date(2025, 8, 31), date(2028, 8, 31)),
        ("party_expelled", date(2025, 8, 31), date(2030, 8, 31)),
        ("warning", date(2026, 8, 31), date(2027, 2, 28)),
        ("demerit", date(2026, 3, 15), date(2027, 3, 15)),
        ("major_demerit", date(2026, 3, 15), date(2027, 9, 15)),
        ("demotion", date(2026, 3, 15), date(2028, 3, 15)),
        ("dismissal_from_post", date(2026, 3, 15), date(2028, 3, 15)),
        ("expelled", date(2026, 3, 15), None),
    ],
)
def test_the_usual_influence_period_of_each_measure(measure, decided, ends):
    assert default_effect_end(measure, decided) == ends


def test_a_record_without_an_end_takes_the_usual_period_and_one_given_is_kept():
    person = make_person()
    usual = _record(person)
    given = _record(
        person, measure="party_probation", decided_on=date(2025, 1, 10), effect_ends_on=date(2029, 1, 10)
    )
    assert (usual.kind, usual.effect_ends_on) == ("party", date(2027, 12, 1))
    assert (given.kind, given.effect_ends_on) == ("party", date(2029, 1, 10))
    assert _record(person, measure="demerit").kind == "government"
    assert usual.describe() == f"受到党内严重警告处分（2026-06-01，{ISSUER}），影响期至 2027-12-01"


# -- a reserve in the pool: a removal proposal, never a removal ----------------------------------------------


def test_a_running_measure_proposes_the_removal_of_a_reserve_in_the_pool():
    candidacy = candidacy_in(CandidacyState.IN_POOL)
    _record(candidacy.person, actor="huamachi")
    [proposal] = _pending(candidacy)
    assert proposal.basis_text == f"受到党内严重警告处分（2026-06-01，{ISSUER}），影响期至 2027-12-01"
    assert Candidacy.objects.get(pk=candidacy.pk).state == CandidacyState.IN_POOL  # proposed, not removed
    assert proposal.history.get().history_user == user("huamachi")
    # The daily rules find nothing more to do: the same record is not proposed twice.
    assert rules.apply_rules(Division.objects.get(code=HUAMACHI)) == 0
    assert len(_pending(candidacy)) == 1


def test_the_proposal_is_withdrawn_on_the_day_the_influence_period_is_over(monkeypatch):
    candidacy = candidacy_in(CandidacyState.IN_POOL)
    _today(monkeypatch, date(2026, 3, 1))
    record = _record(candidacy.person, measure="warning", decided_on=date(2026, 1, 10))
    assert record.effect_ends_on == date(2026, 7, 10)
    township = Division.objects.get(code=HUAMACHI)
    _today(monkeypatch, date(2026, 7, 9))
    assert rules.apply_rules(township) == 0
    [proposal] = _pending(candidacy)
    _today(monkeypatch, date(2026, 7, 10))
    assert rules.apply_rules(township) == 1
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.WITHDRAWN
    assert proposal.withdrawn_reason == "处分影响期已满或处分记录已更正，不再属于负面清单情形"
    assert Candidacy.objects.get(pk=candidacy.pk).state == CandidacyState.IN_POOL


def test_a_clerk_confirming_the_proposal_removes_the_reserve_for_a_violation():
    candidacy = candidacy_in(CandidacyState.IN_POOL)
    _record(candidacy.person)
    [proposal] = _pending(candidacy)
    services.confirm_proposal(actor=user("huamachi"), proposal=proposal)
    candidacy.refresh_from_db()
    assert (candidacy.state, candidacy.removal_reason) == (CandidacyState.REMOVED, RemovalReason.VIOLATION)


def test_a_rejected_proposal_is_not_made_again_for_the_same_record():
    candidacy = candidacy_in(CandidacyState.IN_POOL)
    _record(candidacy.person)
    [proposal] = _pending(candidacy)
    services.reject_proposal(actor=user("county"), proposal=proposal, reason="经核实，处分已撤销待更正")
    assert rules.evaluate_person(candidacy.person) == 0
    assert _pending(candidacy) == []


def test_correcting_and_deleting_a_record_moves_its_proposal(monkeypatch):
    candidacy = candidacy_in(CandidacyState.IN_POOL)
    record = _record(candidacy.person)
    data = services.DisciplineInput(
        measure="party_serious_warning",
        decided_on=date(2026, 6, 1),
        issuer=ISSUER,
        effect_ends_on=date(2028, 6, 1),
    )
    services.update_discipline(actor=user("county"), record=record, data=data)
    [proposal] = _pending(candidacy)
    assert proposal.basis_text.endswith("影响期至 2028-06-01")
    services.delete_discipline(actor=user("county"), record=record)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.WITHDRAWN
    assert not DisciplineRecord.objects.exists()
    assert [row.history_type for row in DisciplineRecord.history.order_by("history_id")] == ["+", "~", "-"]


# -- 资格审查 ---------------------------------------------------------------------------------------------------


def test_a_nominee_under_a_running_measure_cannot_pass_the_vetting():
    candidacy = nominate()
    _record(candidacy.person, measure="party_warning", decided_on=date(2024, 1, 10))  # over on 2025-01-10
    before = footprint(candidacy)
    with pytest.raises(ValidationError) as refused:
        step(candidacy, CandidacyState.VETTED)  # vetted on 2024-03-05
    assert refused.value.message_dict["failed_items"] == [
        f"祝心灵受到党内警告处分（2024-01-10，{ISSUER}），影响期至 2025-01-10，不能通过资格审查"
    ]
    assert footprint(candidacy) == before


def test_the_vetting_passes_once_the_influence_period_is_over():
    from yanzhen.candidacies import workflow

    candidacy = nominate()
    _record(candidacy.person, measure="party_warning", decided_on=date(2024, 1, 10))
    workflow.vet(actor=user("county"), candidacy=candidacy, passed=True, on=date(2025, 1, 10))
    assert Candidacy.objects.get(pk=candidacy.pk).state == CandidacyState.VETTED


# -- an incumbent: flagged for the township ----------------------------------------------------------------------


def test_a_sitting_cadre_under_a_running_measure_is_flagged_for_his_township_only():
    person = make_person("马建国")
    post_services.appoint(actor=user("county"), seat=make_seat(), person=person, start=date(2025, 1, 1))
    _record(person, measure="demerit", decided_on=date(2026, 3, 15))
    huamachi, dashuikeng = Division.objects.get(code=HUAMACHI), Division.objects.get(code=DASHUIKENG)
    found = warnings.detail(user("huamachi"), huamachi, "disciplined-incumbents", on=date(2026, 12, 7))
    assert [(row.label, row.detail) for row in found.rows] == [
        ("马建国", f"村党组织书记：受到记过处分（2026-03-15，{ISSUER}），影响期至 2027-03-15")
    ]
    assert found.count == 1
    assert warnings.detail(user("dashuikeng"), dashuikeng, "disciplined-incumbents").count == 0
    over = warnings.detail(user("huamachi"), huamachi, "disciplined-incumbents", on=date(2027, 3, 15))
    assert over.count == 0
    counts = {result.slug: result.count for result in warnings.summary(user("county"), huamachi.parent)}
    assert counts["disciplined-incumbents"] == 1


# -- who may, and bad input: nothing written ---------------------------------------------------------------


def test_outside_the_jurisdiction_404_and_a_reader_403_write_nothing():
    person = make_person()
    before = _written()
    with pytest.raises(Http404):
        _record(person, actor="dashuikeng")
    with pytest.raises(PermissionDenied):
        _record(person, actor="auditor")
    assert _written() == before


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"measure": "caution"}, "measure", "请选择处分种类（党纪处分或政务处分中的一种）"),
        ({"decided_on": None}, "decided_on", "请填写处分日期"),
        ({"decided_on": date(2099, 1, 1)}, "decided_on", "处分日期不能晚于今天"),
        ({"issuer": "  "}, "issuer", "请填写作出处分的机关"),
        ({"effect_ends_on": date(2026, 6, 1)}, "effect_ends_on", "影响期届满日须晚于处分日期"),
        ({"matter": "违" * 2001}, "matter", "违纪违法事实摘要不能超过 2000 个字"),
    ],
)
def test_bad_input_is_refused_naming_the_field(values, field, message):
    person = make_person()
    data = {"measure": "party_warning", "decided_on": date(2026, 6, 1), "issuer": ISSUER, **values}
    before = _written()
    with pytest.raises(ValidationError) as refused:
        services.record_discipline(actor=user("county"), person=person, data=services.DisciplineInput(**data))
    assert refused.value.message_dict == {field: [message]}
    assert _written() == before


# -- the pages ---------------------------------------------------------------------------------------------


def test_a_clerk_records_a_measure_from_the_archive_and_sees_the_proposal_announced(client_for):
    candidacy = candidacy_in(CandidacyState.IN_POOL)
    client = client_for("huamachi")
    archive = client.get(f"/people/{candidacy.person_id}/")
    assert "/assessment/discipline/new/?person=" in archive.content.decode()
    form = client.get(f"/assessment/discipline/new/?person={candidacy.person_id}")
    assert form.status_code == 200 and "留空则按处分种类的通常期限计算" in form.content.decode()
    response = client.post(
        f"/assessment/discipline/new/?person={candidacy.person_id}",
        {"measure": "party_serious_warning", "decided_on": "2026-06-01", "issuer": ISSUER},
        follow=True,
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/people/{candidacy.person_id}/"
    assert "已生成出库建议" in page and "党内严重警告" in page and "负面清单" in page
    assert len(_pending(candidacy)) == 1


def test_the_form_says_what_is_wrong_and_writes_nothing(client_for):
    person = make_person()
    before = _written()
    response = client_for("huamachi").post(
        f"/assessment/discipline/new/?person={person.pk}",
        {"measure": "warning", "decided_on": "2026-06-01", "issuer": ISSUER, "effect_ends_on": "2026-05-01"},
    )
    assert response.status_code == 400  # the house's answer to a form with errors
    assert "影响期届满日须晚于处分日期" in response.content.decode()
    assert _written() == before


def test_the_lrmx_reward_and_punishment_lines_name_the_measure():
    person = make_person()
    _record(person, measure="party_warning", decided_on=date(2025, 3, 8))
    assert selectors.commendations_text(person) == f"2025.03 受到{ISSUER}党内警告处分"


def test_another_townships_clerk_cannot_open_or_correct_a_record(client_for):
    record = _record(make_person())
    client = client_for("dashuikeng")
    assert client.get(f"/assessment/discipline/{record.pk}/edit/").status_code == 404
    assert client.post(f"/assessment/discipline/{record.pk}/delete/").status_code == 404
    assert DisciplineRecord.objects.filter(pk=record.pk).exists()
    assert HUAMACHI_VILLAGE.startswith(HUAMACHI)


# -- /api/v1/discipline ------------------------------------------------------------------------------------


def _post(client, payload: dict):
    return client.post("/api/v1/discipline", data=json.dumps(payload), content_type="application/json")


def test_api_create_list_and_filter(client_for):
    candidacy = candidacy_in(CandidacyState.IN_POOL)
    http = client_for("huamachi")
    payload = {
        "person_id": candidacy.person_id,
        "measure": "demerit",
        "decided_on": "2026-03-15",
        "issuer": ISSUER,
    }
    response = _post(http, payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["measure_name"], body["effect_ends_on"], body["running"]) == (
        "government",
        "记过",
        "2027-03-15",
        True,
    )
    assert len(_pending(candidacy)) == 1  # the rules ran, as on the page
    _post(http, {**payload, "measure": "warning", "decided_on": "2020-01-06"})  # over in 2020
    assert http.get("/api/v1/discipline").json()["count"] == 2
    assert [item["measure"] for item in http.get("/api/v1/discipline?running=true").json()["items"]] == [
        "demerit"
    ]
    assert [item["measure"] for item in http.get("/api/v1/discipline?running=false").json()["items"]] == [
        "warning"
    ]
    assert http.get(f"/api/v1/discipline?person={candidacy.person_id}").json()["count"] == 2
    assert client_for("dashuikeng").get("/api/v1/discipline").json()["count"] == 0
    assert client_for("auditor").get("/api/v1/discipline").json()["count"] == 2


def test_api_refusals_write_nothing(client_for):
    person = make_person()
    payload = {"person_id": person.pk, "measure": "demerit", "decided_on": "2026-03-15", "issuer": ISSUER}
    before = _written()
    assert _post(client_for("dashuikeng"), payload).status_code == 404
    assert _post(client_for("auditor"), payload).status_code == 403
    invalid = _post(client_for("huamachi"), {**payload, "effect_ends_on": "2026-03-01"})
    assert invalid.status_code == 422
    assert invalid.json()["errors"] == {"effect_ends_on": "影响期届满日须晚于处分日期"}
    assert _written() == before


# -- 容错免责 ----------------------------------------------------------------------------------------------------


def _apply(person, *, actor="huamachi", **concern):
    data = services.ToleranceInput(
        matter="抢险救灾中临机处置，程序不全", applied_on=date(2026, 11, 2), **concern
    )
    return services.apply_for_tolerance(actor=user(actor), person=person, data=data)


def _determine(case, *, exempt=True, actor="county", on=date(2026, 11, 20), reasoning="符合“三个区分开来”"):
    return services.determine_tolerance(
        actor=user(actor), case=case, exempt=exempt, on=on, reasoning=reasoning
    )


def test_an_exemption_takes_a_grade_out_of_the_chain_of_consecutive_grades():
    from tests.assessment_helpers import assess, make_reserve

    person, candidacy = make_reserve(user("county"), "韩后备", HUAMACHI_VILLAGE)
    assess(user("county"), person, 2022, 1, "incompetent")
    second = assess(user("county"), person, 2022, 2, "incompetent")
    [proposal] = RemovalProposal.objects.filter(candidacy=candidacy, state=ProposalState.PENDING)
    case = _apply(person, assessment=second)
    assert (
        RemovalProposal.objects.get(pk=proposal.pk).state == ProposalState.PENDING
    )  # applied, not determined
    _determine(case)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.WITHDRAWN
    assert rules.evaluate_person(person) == 0  # the chain stays broken
    assert [row.history_type for row in case.history.order_by("history_id")] == ["+", "~"]
    assert case.history.latest("history_id").history_user == user("county")


def test_an_exemption_takes_a_record_off_the_negative_list():
    candidacy = candidacy_in(CandidacyState.IN_POOL)
    record = _record(candidacy.person)
    [proposal] = _pending(candidacy)
    _determine(_apply(candidacy.person, discipline=record))
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.WITHDRAWN
    assert not DisciplineRecord.objects.running(date(2026, 12, 7)).exists()
    assert DisciplineRecord.objects.get(pk=record.pk).runs_on(date(2026, 12, 7)) is False


def test_a_refusal_changes_nothing_and_a_new_application_may_follow_it():
    candidacy = candidacy_in(CandidacyState.IN_POOL)
    record = _record(candidacy.person)
    case = _apply(candidacy.person, discipline=record)
    with pytest.raises(ValidationError) as twice:
        _apply(candidacy.person, discipline=record)
    assert twice.value.message_dict == {"concerns": ["该记录已有待认定或已免责的申请"]}
    _determine(case, exempt=False, reasoning="不符合容错情形")
    assert len(_pending(candidacy)) == 1
    with pytest.raises(ValidationError) as again:
        _determine(case)
    assert again.value.message_dict == {"determination": ["该申请已认定（不予免责），不能再次认定"]}
    assert _apply(candidacy.person, discipline=record).determination == "pending"


def test_only_the_county_determines_and_bad_determinations_write_nothing():
    person = make_person()
    case = _apply(person)
    before = (case.history.count(), RemovalProposal.objects.count())
    with pytest.raises(PermissionDenied):
        _determine(case, actor="huamachi")
    with pytest.raises(Http404):
        _apply(person, actor="dashuikeng")
    with pytest.raises(ValidationError) as refused:
        _determine(case, on=date(2026, 11, 1), reasoning=" ")
    assert refused.value.message_dict == {
        "determined_on": ["认定日期不能早于申请日期 2026-11-02"],
        "reasoning": ["请写明认定理由"],
    }
    with pytest.raises(ValidationError) as foreign:
        _apply(person, discipline=_record(make_person("马建国")))
    assert foreign.value.message_dict == {"concerns": ["所选记录不属于祝心灵"]}
    assert (case.history.count(), RemovalProposal.objects.count()) == before


def test_the_clerk_applies_from_the_archive_and_the_county_determines_on_the_page(client_for):
    candidacy = candidacy_in(CandidacyState.IN_POOL)
    record = _record(candidacy.person)
    clerk = client_for("huamachi")
    assert (
        "/assessment/tolerance/new/?person=" in clerk.get(f"/people/{candidacy.person_id}/").content.decode()
    )
    response = clerk.post(
        f"/assessment/tolerance/new/?person={candidacy.person_id}",
        {
            "matter": "抢险救灾中临机处置",
            "applied_on": "2026-11-02",
            "concerns": f"d{record.pk}",
            "application": "",
        },
    )
    assert response.status_code == 302
    case_url = response["Location"]
    page = clerk.get(case_url).content.decode()
    assert (
        "待县级认定" in page
        and "2026-06-01 党内严重警告处分" in page
        and "县级认定" not in page.split("待县级认定")[1]
    )
    assert (
        clerk.post(
            case_url, {"determination": "exempted", "determined_on": "2026-11-20", "reasoning": "x"}
        ).status_code
        == 403
    )
    county = client_for("county")
    decided = county.post(
        case_url,
        {"determination": "exempted", "determined_on": "2026-11-20", "reasoning": "符合容错情形"},
        follow=True,
    )
    assert "予以免责" in decided.content.decode()
    assert _pending(candidacy) == []
    archive = clerk.get(f"/people/{candidacy.person_id}/").content.decode()
    assert archive.count("予以免责") == 2  # the record's badge and the case's determination


def test_pending_applications_are_a_warning_for_the_county_until_determined():
    person = make_person("马建国")
    case = _apply(person)
    county = Division.objects.get(code="640323")
    found = warnings.detail(user("county"), county, "pending-tolerance")
    assert [(row.label, row.detail) for row in found.rows] == [
        ("马建国", "2026-11-02 申请：抢险救灾中临机处置，程序不全")
    ]
    assert (
        warnings.detail(user("dashuikeng"), Division.objects.get(code=DASHUIKENG), "pending-tolerance").count
        == 0
    )
    _determine(case, exempt=False)
    assert warnings.detail(user("county"), county, "pending-tolerance").count == 0


# -- 两代表一委员 and commendations above the county (issue 18 §4) ------------------------------------------------


def test_honours_and_commendations_above_the_county_reach_the_lrmx():
    person = make_person()
    services.add_commendation(
        actor=user("county"),
        person=person,
        kind="peoples_congress",
        title="盐池县第十七届人民代表大会代表",
        level="county",
        awarded_on=date(2022, 1, 8),
    )
    services.add_commendation(
        actor=user("county"),
        person=person,
        title="全国脱贫攻坚先进个人",
        level="national",
        awarded_on=date(2021, 2, 25),
        issuer="中共中央、国务院",
    )
    assert selectors.commendations_text(person) == (
        "2021.02 被中共中央、国务院评为国家级“全国脱贫攻坚先进个人”\r\n2022.01 当选为盐池县第十七届人民代表大会代表"
    )


def test_an_unknown_kind_or_level_of_honour_is_refused():
    person = make_person()
    with pytest.raises(ValidationError) as refused:
        services.add_commendation(
            actor=user("county"),
            person=person,
            kind="mayor",
            title="x",
            level="galaxy",
            awarded_on=date(2022, 1, 8),
        )
    assert refused.value.message_dict == {
        "kind": ["类别须为表彰奖励、党代表、人大代表或政协委员"],
        "level": ["级别须为国家级、省级、市级、县级、乡级或村级"],
    }
    assert not person.commendations.exists()
