"""表彰奖励 commendations and the honours of 两代表一委员: kind, title, level, date and document, shown in the archive
and the .lrmx export."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction

from yanzhen.assessments import rules
from yanzhen.assessments.guards import check_upload as _check_upload
from yanzhen.assessments.guards import visible_person as _visible_person
from yanzhen.assessments.models import Commendation, CommendationLevel, HonourKind
from yanzhen.core.guards import attribute_to, raise_errors, today
from yanzhen.people.models import Person

# ---------------------------------------------------------------------------------------------------------
# 表彰奖励 commendations


@transaction.atomic
def add_commendation(
    *,
    actor,
    person: Person,
    title: str,
    level: str,
    awarded_on: date | None,
    issuer: str = "",
    document_number: str = "",
    document=None,
    kind: str = HonourKind.COMMENDATION,
) -> Commendation:
    """Record a commendation, or an honour of 两代表一委员 (`kind`); it shows in the archive and in 奖惩情况 of the
    .lrmx export."""
    person = _visible_person(actor, person)
    if not rules.may_commend(actor):
        raise PermissionDenied
    errors: dict[str, str] = {}
    title, issuer, document_number = (
        (title or "").strip(),
        (issuer or "").strip(),
        (document_number or "").strip(),
    )
    if not title:
        errors["title"] = "请填写表彰名称"
    elif len(title) > 100:
        errors["title"] = "表彰名称不能超过 100 个字"
    if kind not in HonourKind.values:
        errors["kind"] = "类别须为表彰奖励、党代表、人大代表或政协委员"
    if level not in CommendationLevel.values:
        errors["level"] = "级别须为国家级、省级、市级、县级、乡级或村级"
    if awarded_on is None:
        errors["awarded_on"] = "请填写表彰日期"
    elif awarded_on > today():
        errors["awarded_on"] = "表彰日期不能晚于今天"
    if len(issuer) > 100:
        errors["issuer"] = "授予单位不能超过 100 个字"
    if len(document_number) > 100:
        errors["document_number"] = "文号不能超过 100 个字"
    content_type = _check_upload(errors, "document", "表彰文件", document)
    raise_errors(errors)
    commendation = Commendation(
        person=person,
        kind=kind,
        title=title,
        level=level,
        awarded_on=awarded_on,
        issuer=issuer,
        document_number=document_number,
        created_by=actor,
    )
    if document is not None:
        commendation.document = document
        commendation.document_content_type = content_type
    attribute_to(commendation, actor)
    commendation.save()
    return commendation
