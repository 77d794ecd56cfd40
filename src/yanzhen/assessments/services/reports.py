"""Self-service links (a reserve's login tied to his archive) and the semiannual reports (思想工作汇报):
submitted by the reserve himself or entered by a clerk, reviewed by the village secretary."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from yanzhen.accounts.roles import Role
from yanzhen.assessments import rules
from yanzhen.assessments.guards import check_text
from yanzhen.assessments.guards import check_upload as _check_upload
from yanzhen.assessments.guards import visible_person as _visible_person
from yanzhen.assessments.models import (
    ReportChannel,
    SelfServiceLink,
    SemiannualReport,
)
from yanzhen.assessments.periods import Half, Period
from yanzhen.core.guards import attribute_to, raise_errors, today
from yanzhen.core.locking import visible_locked
from yanzhen.core.unique import save_unique
from yanzhen.people.models import Person


@transaction.atomic
def link_self_service(*, actor, user, person: Person) -> SelfServiceLink:
    """Tie a reserve's login to his archive: the user holds the role "reserve" and works for the person's
    village."""
    person = _visible_person(actor, person)
    if not actor.can_edit:
        raise PermissionDenied
    errors: dict[str, str] = {}
    if not user.role_codes & {Role.RESERVE}:
        errors["user"] = f"账号 {user.username} 不是后备力量（自助）账号"
    elif user.division_id != person.village_id:
        errors["user"] = f"账号 {user.username} 的所属单位须为{person.name}所在的村（{person.village.name}）"
    elif SelfServiceLink.objects.filter(user=user).exclude(person=person).exists():
        errors["user"] = f"账号 {user.username} 已关联其他人员"
    if SelfServiceLink.objects.filter(person=person).exclude(user=user).exists():
        errors["person"] = f"{person.name}已关联其他账号"
    raise_errors(errors)
    link = SelfServiceLink.objects.filter(user=user, person=person).first()
    if link is None:
        link = SelfServiceLink(user=user, person=person, created_by=actor)
        attribute_to(link, actor)
        link.save()
    return link


def linked_person(user) -> Person | None:
    """The archive of a reserve's own login, or None."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(Role.RESERVE):
        return None
    link = SelfServiceLink.objects.select_related("person__village").filter(user=user).first()
    return link.person if link is not None else None


def _is_self(actor, person: Person) -> bool:
    return actor.has_role(Role.RESERVE) and SelfServiceLink.objects.filter(user=actor, person=person).exists()


def _report_period(person: Person, year: int, half: int) -> tuple[dict[str, str], Period | None]:
    """The half-year reported on, with what is wrong with it: a half-year that has begun, while the person
    was in the pool."""
    errors: dict[str, str] = {}
    if half not in (Half.FIRST, Half.SECOND):
        errors["half"] = "请选择上半年或下半年"
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = "请填写正确的年份"
    if errors:
        return errors, None
    period = Period(year, half)
    if period.start > today():
        errors["half"] = f"不能提交尚未开始的半年（{period.name}）的思想工作汇报"
    elif not rules.was_in_pool(person, period.start, period.end):
        errors["half"] = f"{person.name}在{period.name}不在后备力量库中，无需提交思想工作汇报"
    return errors, period


def _open_report(errors: dict[str, str], person: Person, period: Period | None) -> SemiannualReport | None:
    """The report already submitted for the period (locked), which a new one replaces unless reviewed."""
    if period is None:
        return None
    existing = (
        SemiannualReport.objects.select_for_update()
        .filter(person=person, year=period.year, half=period.half)
        .first()
    )
    if existing is not None and existing.is_reviewed:
        errors["half"] = (
            f"{person.name}{period.name}的思想工作汇报已于 {timezone.localtime(existing.reviewed_at):%Y-%m-%d} 审阅，不能再修改"
        )
    return existing


@transaction.atomic
def submit_report(
    *, actor, person: Person, year: int, half: int, text: str, attachment=None
) -> SemiannualReport:
    """The reserve submits his report for a half-year (or a clerk enters it for him). A report not yet
    reviewed may be submitted again: it replaces the first; a reviewed one is closed."""
    person = _visible_person(actor, person)
    by_self = _is_self(actor, person)
    if not by_self and not rules.may_enter_report(actor):
        raise PermissionDenied
    text = (text or "").strip()
    errors, period = _report_period(person, year, half)
    check_text(errors, "text", "汇报内容", text)
    existing = _open_report(errors, person, period)
    content_type = _check_upload(errors, "attachment", "附件", attachment)
    raise_errors(errors)
    assert period is not None
    report = existing or SemiannualReport(person=person, year=period.year, half=period.half)
    report.text = text
    report.channel = ReportChannel.SELF if by_self else ReportChannel.CLERK
    report.submitted_by = actor
    report.submitted_at = timezone.now()
    if attachment is not None:
        report.attachment = attachment
        report.attachment_content_type = content_type
    save_unique(report, actor, field="half", message=f"{person.name}{period.name}的思想工作汇报已提交")
    return report


@transaction.atomic
def review_report(*, actor, report: SemiannualReport, comment: str) -> SemiannualReport:
    """The village secretary reads the report and writes his comment."""
    report = visible_locked(actor, report, "person")
    if not rules.may_review_report(actor, report.person.village_id):
        raise PermissionDenied
    comment = (comment or "").strip()
    errors: dict[str, str] = {}
    check_text(errors, "review_comment", "审阅意见", comment)
    raise_errors(errors)
    report.review_comment = comment
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    attribute_to(report, actor)
    report.save()
    return report
