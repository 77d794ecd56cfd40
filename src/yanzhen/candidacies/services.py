"""Writes of the pipeline other than the transitions themselves (those are `workflow` and `notice`, declared
in `transitions`): documents and the county's rules."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from yanzhen.accounts.roles import Role
from yanzhen.candidacies.models import Candidacy, CountyRules, Document
from yanzhen.candidacies.workflow import may_decide, may_nominate
from yanzhen.core import uploads
from yanzhen.core.county_settings import county_errors, save_county_row
from yanzhen.core.guards import raise_errors, visible
from yanzhen.divisions.models import Division


# Documents: scans and office files only, at most 10 MB each.
def add_document(*, actor, candidacy: Candidacy, title: str, file) -> Document:
    """Attach a scanned paper; pdf, jpg, png, doc and docx up to 10 MB."""
    candidacy = visible(actor, candidacy)
    if not (may_decide(actor) or may_nominate(actor, candidacy.village)):
        raise PermissionDenied
    errors: dict[str, str] = {}
    name = (getattr(file, "name", "") or "").lower()
    refused = uploads.document_error(file)
    if refused:
        errors["file"] = refused
    title = (title or "").strip() or name[:100]
    raise_errors(errors)
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
    errors = county_errors(actor, county, role=Role.ADMIN)
    if not notice_working_days or not 1 <= notice_working_days <= 60:
        errors["notice_working_days"] = "公示期工作日数须在 1 到 60 之间"
    if secretary_minimum_age is None or secretary_maximum_age is None:
        errors["secretary_maximum_age"] = "请填写年龄范围"
    elif not 18 <= secretary_minimum_age <= secretary_maximum_age <= 70:
        errors["secretary_maximum_age"] = "年龄范围须在 18 到 70 周岁之间，且下限不大于上限"
    supervision_phone = (supervision_phone or "").strip()
    if len(supervision_phone) > 40:
        errors["supervision_phone"] = "监督电话不能超过 40 个字符"
    raise_errors(errors)
    return save_county_row(
        actor,
        CountyRules,
        county,
        notice_working_days=notice_working_days,
        secretary_minimum_age=secretary_minimum_age,
        secretary_maximum_age=secretary_maximum_age,
        secretary_party_member_required=secretary_party_member_required,
        supervision_phone=supervision_phone,
    )
