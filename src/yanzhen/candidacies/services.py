"""Writes of the pipeline other than the transitions themselves (those live in `workflow`): documents,
the county's rules, and the single entry the API uses to ask for a transition by its target state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from yanzhen.accounts.roles import Role
from yanzhen.candidacies import workflow
from yanzhen.candidacies.models import (
    Candidacy,
    CandidacyState,
    CountyRules,
    Document,
    NegativeListItem,
    Objection,
)
from yanzhen.candidacies.workflow import (
    TRANSITIONS,
    IllegalTransition,
    may_decide,
    may_nominate,
    today,
)
from yanzhen.core import uploads
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.posts.models import Seat

State = CandidacyState


# Documents: scans and office files only, at most 10 MB each.
def add_document(*, actor, candidacy: Candidacy, title: str, file) -> Document:
    """Attach a scanned paper; pdf, jpg, png, doc and docx up to 10 MB."""
    if not Candidacy.objects.restrict(actor).filter(pk=candidacy.pk).exists():
        raise Http404
    if not (may_decide(actor) or may_nominate(actor, candidacy.village)):
        raise PermissionDenied
    errors: dict[str, str] = {}
    name = (getattr(file, "name", "") or "").lower()
    refused = uploads.document_error(file)
    if refused:
        errors["file"] = refused
    title = (title or "").strip() or name[:100]
    if errors:
        raise ValidationError(errors)
    content_type = uploads.accept_document(file)
    return Document.objects.create(
        candidacy=candidacy,
        title=title[:100],
        file=file,
        content_type=content_type,
        size=file.size,
        uploaded_by=actor,
    )


@transaction.atomic
def save_county_rules(
    *,
    actor,
    county: Division,
    notice_working_days: int,
    secretary_minimum_age: int,
    secretary_maximum_age: int,
    secretary_party_member_required: bool,
    supervision_phone: str = "",
) -> CountyRules:
    """The county organisation department sets its rules; the defaults apply until it does."""
    if not code_in_jurisdiction(actor, county.code):
        raise Http404
    if not actor.has_role(Role.ADMIN):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if county.level != Level.COUNTY:
        errors["county"] = f"{county.name} 不是县级单位"
    if not notice_working_days or not 1 <= notice_working_days <= 60:
        errors["notice_working_days"] = "公示期工作日数须在 1 到 60 之间"
    if secretary_minimum_age is None or secretary_maximum_age is None:
        errors["secretary_maximum_age"] = "请填写年龄范围"
    elif not 18 <= secretary_minimum_age <= secretary_maximum_age <= 70:
        errors["secretary_maximum_age"] = "年龄范围须在 18 到 70 周岁之间，且下限不大于上限"
    supervision_phone = (supervision_phone or "").strip()
    if len(supervision_phone) > 40:
        errors["supervision_phone"] = "监督电话不能超过 40 个字符"
    if errors:
        raise ValidationError(errors)
    rules = CountyRules.objects.select_for_update().filter(county=county).first() or CountyRules(
        county=county
    )
    rules.notice_working_days = notice_working_days
    rules.secretary_minimum_age = secretary_minimum_age
    rules.secretary_maximum_age = secretary_maximum_age
    rules.secretary_party_member_required = secretary_party_member_required
    rules.supervision_phone = supervision_phone
    rules._history_user = actor
    rules.save()
    return rules


# One entry for the API: {"to": "<state>", ...data}


@dataclass
class TransitionData:
    on: date | None = None
    note: str = ""
    failed_items: list[int] | None = None
    inspectors: str = ""
    people_talked_to: int | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstaining: int | None = None
    findings: str = ""
    start: date | None = None
    end: date | None = None
    objection: int | None = None
    resolution: str = ""
    seat: int | None = None
    reason: str = ""


def apply_transition(*, actor, candidacy: Candidacy, to: str, data: TransitionData) -> Candidacy:
    """Move a candidacy to `to`, choosing the transition by its current state."""
    visible = (
        Candidacy.objects.restrict(actor).filter(pk=candidacy.pk).values_list("state", "village_id").first()
    )
    if visible is None:
        raise Http404
    current, _village = visible
    if not may_decide(actor):
        raise PermissionDenied
    if to not in State.values:
        raise ValidationError({"to": f"未知的状态“{to}”，可选：{'、'.join(State.values)}"})
    if to not in TRANSITIONS.get(current, frozenset()):
        raise IllegalTransition(current, to)
    on = data.on or today()
    if to == State.VETTED:
        return workflow.vet(
            actor=actor, candidacy=candidacy, passed=True, failed_items=[], on=on, note=data.note
        )
    if to == State.REJECTED and current == State.NOMINATED:
        ids = data.failed_items or []
        items = list(NegativeListItem.objects.filter(pk__in=ids))
        if len(items) != len(set(ids)):
            raise ValidationError({"failed_items": "所选负面清单项目不存在"})
        return workflow.vet(
            actor=actor, candidacy=candidacy, passed=False, failed_items=items, on=on, note=data.note
        )
    if to == State.INSPECTED:
        return workflow.inspect(
            actor=actor,
            candidacy=candidacy,
            on=on,
            inspectors=data.inspectors,
            people_talked_to=data.people_talked_to,  # type: ignore[arg-type]
            votes_for=data.votes_for,  # type: ignore[arg-type]
            votes_against=data.votes_against,  # type: ignore[arg-type]
            votes_abstaining=data.votes_abstaining,  # type: ignore[arg-type]
            findings=data.findings,
            note=data.note,
        )
    if to in (State.DECIDED, State.REJECTED) and current == State.INSPECTED:
        return workflow.decide(
            actor=actor, candidacy=candidacy, passed=to == State.DECIDED, on=on, note=data.note
        )
    if to == State.IN_NOTICE:
        return workflow.start_notice(
            actor=actor, candidacy=candidacy, start=data.start or on, end=data.end, note=data.note
        )  # type: ignore[arg-type]
    if to == State.IN_POOL:
        return workflow.enter_pool(actor=actor, candidacy=candidacy, on=on, note=data.note)
    if to == State.REJECTED and current == State.IN_NOTICE:
        objection = Objection.objects.filter(pk=data.objection or 0, candidacy_id=candidacy.pk).first()
        if objection is None:
            raise ValidationError({"objection": "公示中的人选只能因异议成立而取消：请给出成立的异议"})
        workflow.resolve_objection(
            actor=actor, objection=objection, upheld=True, on=on, resolution=data.resolution or data.note
        )
        return Candidacy.objects.get(pk=candidacy.pk)
    if to == State.PROMOTED:
        seat = Seat.objects.filter(pk=data.seat or 0).first()
        if seat is None:
            raise ValidationError({"seat": "请选择要使用到的职位"})
        return workflow.promote(actor=actor, candidacy=candidacy, seat=seat, on=on, note=data.note)
    if to == State.REMOVED:
        return workflow.remove(actor=actor, candidacy=candidacy, reason=data.reason, on=on, note=data.note)
    raise IllegalTransition(current, to)  # pragma: no cover (the table above covers every move)
