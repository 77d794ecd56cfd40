"""Writes of 雏雁计划: prospects, their contact log, the county's policy documents, outreach events with their
invitations and attendance, and the conversion "推荐为后备人选". Each service checks jurisdiction (404), then the
role (403), then the data (`ValidationError` with Chinese messages keyed by field, nothing written), and names
the author of the history rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from yanzhen.core import audit, crypto, text, uploads
from yanzhen.core.guards import attribute_to, raise_errors, require_editor, today, visible
from yanzhen.core.jurisdiction import code_in_jurisdiction, jurisdiction_prefix
from yanzhen.core.locking import visible_locked
from yanzhen.core.models import AuditAction
from yanzhen.core.text import NOTE_MAX
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.people import selectors as people_selectors
from yanzhen.people import services as people_services
from yanzhen.people.models import Person, Source
from yanzhen.prospects.models import (
    SOURCE_OF_CATEGORY,
    Attendance,
    Category,
    Contact,
    ContactKind,
    EventKind,
    Invitation,
    OutreachEvent,
    PolicyDocument,
    Prospect,
)

# -- prospects ----------------------------------------------------------------------------------------------


@dataclass
class ProspectInput:
    name: str
    village: Division
    category: str
    gender: str = ""
    birth_year: int | None = None
    city: str = ""
    occupation: str = ""
    phone: str | None = ""  # on update None keeps the stored phone, "" clears it
    keeper: str = ""
    returning: bool = False
    standing: bool = False
    investing: bool = False
    note: str = ""


def _check_village(actor, village: Division) -> None:
    """The home village inside the actor's jurisdiction (404 otherwise), then the role (403)."""
    if village is None or not code_in_jurisdiction(actor, village.code):
        raise Http404
    require_editor(actor)


def _length(errors: dict[str, str], key: str, value: str, label: str, limit: int) -> None:
    if len(value) > limit:
        errors[key] = f"{label}不能超过 {limit} 个字"


def _checked(data: ProspectInput) -> tuple[ProspectInput, str | None]:
    """The input cleaned and the normalised phone (None: keep the stored one); every problem at once."""
    errors: dict[str, str] = {}
    name = text.normalise(data.name or "").strip()
    if not name:
        errors["name"] = "请填写姓名"
    _length(errors, "name", name, "姓名", 50)
    if data.village.level != Level.VILLAGE:
        errors["village"] = "家乡须是一个村（社区）"
    if data.category not in Category.values:
        errors["category"] = "请选择人员类别"
    if data.gender not in ("", "1", "2"):
        errors["gender"] = "性别无效"
    year = today().year
    if data.birth_year is not None and not 1900 <= data.birth_year <= year:
        errors["birth_year"] = f"出生年份须在 1900 至 {year} 之间"
    for key, label, limit in (
        ("city", "现居城市", 50),
        ("occupation", "从事行业", 100),
        ("keeper", "联系人", 50),
    ):
        _length(errors, key, text.normalise(getattr(data, key) or ""), label, limit)
    _length(errors, "note", text.normalise(data.note or ""), "备注", NOTE_MAX)
    phone = None if data.phone is None else people_services.normalise_phone(data.phone)
    if phone and not people_services.MOBILE.match(phone):
        errors["phone"] = f"手机号码 {data.phone} 不是有效的大陆手机号（11 位，以 1 开头）"
    raise_errors(errors)
    return data, phone


def _fill(prospect: Prospect, data: ProspectInput, phone: str | None) -> None:
    prospect.name = data.name
    prospect.village = data.village
    prospect.category = data.category
    prospect.gender = data.gender
    prospect.birth_year = data.birth_year
    prospect.city, prospect.occupation, prospect.keeper = data.city, data.occupation, data.keeper
    prospect.returning, prospect.standing, prospect.investing = data.returning, data.standing, data.investing
    prospect.note = data.note
    if phone is not None:
        prospect.phone_encrypted = crypto.encrypt(phone)
        prospect.phone_hash = crypto.keyed_hash(phone)
        prospect.phone_masked = people_services.mask_phone(phone)


@transaction.atomic
def create_prospect(*, actor, data: ProspectInput) -> Prospect:
    """Register a prospect of a village inside the actor's jurisdiction."""
    _check_village(actor, data.village)
    data, phone = _checked(data)
    prospect = Prospect(created_by=actor, registered_on=today())
    _fill(prospect, data, phone or "")
    attribute_to(prospect, actor)
    prospect.save()
    return prospect


@transaction.atomic
def update_prospect(*, actor, prospect: Prospect, data: ProspectInput) -> Prospect:
    """Correct a prospect (his history keeps what it said); he may move to another village of the actor's."""
    prospect = visible_locked(actor, prospect)
    _check_village(actor, data.village)
    data, phone = _checked(data)
    _fill(prospect, data, phone)
    attribute_to(prospect, actor)
    prospect.save()
    return prospect


def reveal_phone(*, actor, prospect: Prospect, request=None) -> str:
    """The full phone, inside the jurisdiction (404) for a user with the archive's permission (403); every
    viewing goes to the audit log, as a person's."""
    prospect = visible(actor, prospect)
    if not people_services.can_view_full_personal_data(actor):
        raise PermissionDenied
    audit.record(
        action=AuditAction.VIEW_FULL_PHONE, user=actor, request=request, object_repr=f"prospect {prospect.pk}"
    )
    return prospect.reveal_phone()


# -- the contact log ------------------------------------------------------------------------------------------


@dataclass
class ContactInput:
    kind: str
    on: date | None
    by: str
    summary: str = ""
    documents: list[PolicyDocument] = field(default_factory=list)


def _contact_errors(actor, data: ContactInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.kind not in ContactKind.values:
        errors["kind"] = "请选择联系方式"
    if data.on is None:
        errors["on"] = "请填写联系日期"
    elif data.on > today():
        errors["on"] = "联系日期不能晚于今天"
    by = text.normalise(data.by or "").strip()
    if not by:
        errors["by"] = "请填写联系人"
    _length(errors, "by", by, "联系人", 50)
    _length(errors, "summary", text.normalise(data.summary or ""), "交流内容", NOTE_MAX)
    allowed = set(PolicyDocument.objects.restrict(actor).values_list("pk", flat=True))
    if any(document.pk not in allowed for document in data.documents):
        errors["documents"] = "只能选择本县的政策文件"
    return errors


@transaction.atomic
def add_contact(*, actor, prospect: Prospect, data: ContactInput) -> Contact:
    """A visit, call, meeting or message in the prospect's log, with the documents handed over."""
    prospect = visible(actor, prospect)
    require_editor(actor)
    raise_errors(_contact_errors(actor, data))
    assert data.on is not None  # checked above
    contact = Contact(
        prospect=prospect, kind=data.kind, on=data.on, by=data.by, summary=data.summary, created_by=actor
    )
    attribute_to(contact, actor)
    contact.save()
    contact.documents.set(data.documents)
    return contact


# -- policy documents -----------------------------------------------------------------------------------------


@transaction.atomic
def add_policy_document(*, actor, county: Division, title: str, uploaded_file=None) -> PolicyDocument:
    """A county's document (《返乡创业优惠政策清单》), its file optional, checked as every upload."""
    prefix = jurisdiction_prefix(actor)
    if (
        county is None
        or prefix is None
        or not (county.code.startswith(prefix) or prefix.startswith(county.code))
    ):
        raise Http404  # a township sees its county's documents (models.PolicyDocumentQuerySet)
    require_editor(actor)
    if len(prefix) > 6:
        raise PermissionDenied  # the county's documents are the county's to publish
    errors: dict[str, str] = {}
    title = text.normalise(title or "").strip()
    if county.level != Level.COUNTY:
        errors["county"] = "政策文件属于一个县（区）"
    if not title:
        errors["title"] = "请填写文件名称"
    _length(errors, "title", title, "文件名称", 100)
    if uploaded_file is not None:
        refused = uploads.document_error(uploaded_file, "文件")
        if refused:
            errors["file"] = refused
    raise_errors(errors)
    document = PolicyDocument(county=county, title=title, created_by=actor)
    if uploaded_file is not None:
        document.content_type = uploads.accept_document(uploaded_file)
        document.file = uploaded_file
    attribute_to(document, actor)
    document.save()
    return document


# -- events, invitations, attendance --------------------------------------------------------------------------


@dataclass
class EventInput:
    organiser: Division
    kind: str
    title: str
    held_on: date | None
    place: str = ""
    note: str = ""


@transaction.atomic
def create_event(*, actor, data: EventInput) -> OutreachEvent:
    """A hometown meeting, recruitment drive or round of visits organised by a county or a township of the
    actor's jurisdiction."""
    if data.organiser is None or not code_in_jurisdiction(actor, data.organiser.code):
        raise Http404
    require_editor(actor)
    errors: dict[str, str] = {}
    if data.organiser.level not in (Level.COUNTY, Level.TOWNSHIP):
        errors["organiser"] = "组织单位须是县（区）或乡镇（街道）"
    if data.kind not in EventKind.values:
        errors["kind"] = "请选择活动类型"
    title = text.normalise(data.title or "").strip()
    if not title:
        errors["title"] = "请填写活动名称"
    _length(errors, "title", title, "活动名称", 100)
    if data.held_on is None:
        errors["held_on"] = "请填写活动日期"
    _length(errors, "place", text.normalise(data.place or ""), "地点", 100)
    _length(errors, "note", text.normalise(data.note or ""), "备注", NOTE_MAX)
    raise_errors(errors)
    assert data.held_on is not None  # checked above
    event = OutreachEvent(
        organiser=data.organiser,
        kind=data.kind,
        title=title,
        held_on=data.held_on,
        place=data.place,
        note=data.note,
        created_by=actor,
    )
    attribute_to(event, actor)
    event.save()
    return event


def _managed(actor, event: OutreachEvent) -> OutreachEvent:
    """The event re-read inside the actor's view (404), then managed only by the organiser's jurisdiction and
    an editor (403)."""
    event = visible(actor, event)
    require_editor(actor)
    if not code_in_jurisdiction(actor, event.organiser_id):
        raise PermissionDenied
    return event


@transaction.atomic
def invite(*, actor, event: OutreachEvent, prospects: Iterable[Prospect]) -> list[Invitation]:
    """Invite prospects of the actor's jurisdiction; those already invited are left as they are."""
    event = _managed(actor, event)
    wanted = {prospect.pk for prospect in prospects}
    found = list(Prospect.objects.restrict(actor).filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise Http404
    if not found:
        raise ValidationError({"prospects": "请选择要邀请的人员"})
    already = set(event.invitations.values_list("prospect_id", flat=True))
    created = []
    for prospect in found:
        if prospect.pk in already:
            continue
        invitation = Invitation(event=event, prospect=prospect, created_by=actor)
        attribute_to(invitation, actor)
        invitation.save()
        created.append(invitation)
    return created


def _meeting_contact(actor, event: OutreachEvent, invitation: Invitation) -> Contact:
    contact = Contact(
        prospect_id=invitation.prospect_id,
        kind=ContactKind.MEETING,
        on=event.held_on,
        by=event.organiser.name,
        summary=f"参加{event.get_kind_display()}：{event.title}",
        event=event,
        created_by=actor,
    )
    attribute_to(contact, actor)
    contact.save()
    return contact


@transaction.atomic
def record_attendance(*, actor, event: OutreachEvent, attendance: dict[int, str]) -> int:
    """Who came (invitation id → yes/no/unknown). Coming adds a meeting to the prospect's contact log;
    a "came" taken back removes that entry (its history keeps it). Returns how many invitations changed."""
    event = _managed(actor, event)
    if any(value not in Attendance.values for value in attendance.values()):
        raise ValidationError({"attended": "出席情况无效"})
    if attendance and event.held_on > today() and Attendance.YES in attendance.values():
        raise ValidationError({"attended": "活动尚未举行，不能登记出席"})
    invitations = {
        invitation.pk: invitation
        for invitation in event.invitations.select_for_update(of=("self",)).filter(pk__in=attendance)
    }
    if len(invitations) != len(attendance):
        raise Http404
    changed = 0
    for pk, value in attendance.items():
        invitation = invitations[pk]
        if invitation.attended == value:
            continue
        if value == Attendance.YES and invitation.contact_id is None:
            invitation.contact = _meeting_contact(actor, event, invitation)
        elif value != Attendance.YES and invitation.contact is not None:
            contact = invitation.contact
            invitation.contact = None
            attribute_to(contact, actor)
            contact.delete()
        invitation.attended = value
        attribute_to(invitation, actor)
        invitation.save()
        changed += 1
    return changed


# -- 推荐为后备人选 -------------------------------------------------------------------------------------------------


@dataclass
class ConversionInput:
    id_number: str
    political_status: str


@transaction.atomic
def convert(*, actor, prospect: Prospect, data: ConversionInput) -> tuple[Person, bool]:
    """Link the prospect to an archive: the one registered with the ID number inside the jurisdiction, else a
    new one made from what the prospect holds (name, village, phone, the category as 来源). Returns the person
    and whether he was created. The contact log stays on the prospect (the link carries it); a prospect
    already converted is refused."""
    prospect = visible_locked(actor, prospect, "village")
    require_editor(actor)
    if prospect.person_id is not None:
        raise ValidationError({"__all__": f"{prospect.name} 已于 {prospect.converted_on} 推荐为后备人选"})
    existing = people_selectors.holder_of_id_number(actor, data.id_number)
    created = existing is None
    if existing is None:
        source_name = SOURCE_OF_CATEGORY.get(Category(prospect.category))
        person = people_services.create_person(
            actor=actor,
            data=people_services.PersonInput(
                name=prospect.name,
                id_number=data.id_number,
                village=prospect.village,
                political_status=data.political_status,
                phone=prospect.reveal_phone(),
                source=Source.objects.filter(name=source_name).first() if source_name else None,
                notes=f"雏雁计划：{prospect.city} {prospect.occupation}".strip(),
            ),
        )
    else:
        person = existing
    prospect.person = person
    prospect.converted_on = today()
    attribute_to(prospect, actor)
    prospect.save()
    return person, created
