"""Pages of 雏雁计划 under /prospects/: the register (list component, filters, masked xlsx export), a
prospect's page (details, masked phone with an audited reveal, contact log with its form, invitations, the
button 推荐为后备人选), the conversion, the events with invitees and attendance, the policy documents. Views
parse input and call `prospects.services`; reads go through `prospects.selectors` (404 outside)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook

from yanzhen.accounts import reauth
from yanzhen.core import versioning, xlsx
from yanzhen.core.guards import require_editor, today
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.core.listing import ListSpec, selected_ids
from yanzhen.core.views_kit import export_response, form_page, saved
from yanzhen.people import services as people_services
from yanzhen.people.codes import Gender
from yanzhen.prospects import selectors, services
from yanzhen.prospects.forms import (
    ContactForm,
    ConversionForm,
    EventForm,
    InviteForm,
    PolicyDocumentForm,
    ProspectFilterForm,
    ProspectForm,
)
from yanzhen.prospects.models import INTERESTS, Attendance, Category, EventKind, Prospect

# -- the register -----------------------------------------------------------------------------------------------

PROSPECT_LIST = ListSpec(
    sorts={
        "name": ("name",),
        "village": ("village_id",),
        "category": ("category",),
        "city": ("city",),
        "contacts": ("contact_count",),
        "last_contact": ("last_contact",),
        "registered": ("registered_on",),
    },
    default_sort="village",
)


def _filters(request) -> tuple[ProspectFilterForm, selectors.ProspectFilters]:
    form = ProspectFilterForm(request.GET or None, user=request.user)
    filters = selectors.ProspectFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.ProspectFilters(
            within=data["village"] or data["township"],
            category=data["category"],
            interest=data["interest"],
            converted=data["converted"],
            q=data["q"],
        )
    return form, filters


@require_GET
def prospect_list(request):
    form, filters = _filters(request)
    listing = PROSPECT_LIST.page(request, selectors.prospects(request.user, filters))
    return render(
        request,
        "prospects/list.html",
        {
            "form": form,
            "listing": listing,
            "can_edit": request.user.can_edit,
            "bulk_actions": (
                [
                    {
                        "url": reverse("prospects:export"),
                        "label": _("Export selected"),
                        "css": "btn-outline-success",
                    }
                ]
                if request.user.can_edit
                else []
            ),
        },
    )


EXPORT_HEADER = [
    "姓名",
    "性别",
    "出生年份",
    "乡镇（街道）",
    "家乡村",
    "人员类别",
    "现居城市",
    "从事行业",
    "手机号码（脱敏）",
    "联系人",
    "意向",
    "联系次数",
    "最近联系",
    "登记日期",
    "推荐为后备人选",
]


@never_cache
@require_GET
def export(request):
    """The register as xlsx: phones masked, the export audited; the same rows and order as the list (or the
    ticked rows). Only editors take exports out of the system."""
    require_editor(request.user)
    _form, filters = _filters(request)
    rows = selectors.prospects(request.user, filters)
    chosen = selected_ids(request)
    if chosen:
        rows = rows.filter(pk__in=chosen)
    rows = PROSPECT_LIST.order(request, rows.select_related("village__parent"))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("雏雁计划人员")
    xlsx.append(sheet, EXPORT_HEADER)
    count = 0
    for prospect in rows:
        village = prospect.village
        xlsx.append(
            sheet,
            [
                prospect.name,
                Gender(prospect.gender).label if prospect.gender else "",
                prospect.birth_year or "",
                village.parent.name if village.parent else "",
                village.name,
                prospect.get_category_display(),
                prospect.city,
                prospect.occupation,
                prospect.phone_masked,
                prospect.keeper,
                "、".join(prospect.interests),
                prospect.contact_count,
                prospect.last_contact,
                prospect.registered_on,
                prospect.converted_on or "",
            ],
        )
        count += 1
    return export_response(
        request,
        workbook,
        title="雏雁计划人员名册",
        detail={"rows": count, "filters": request.GET.urlencode()},
        filename=f"雏雁计划人员名册-{today():%Y%m%d}.xlsx",
        fallback=f"prospects-{today():%Y%m%d}.xlsx",
    )


# -- one prospect -------------------------------------------------------------------------------------------------


def _prospect_page(request, prospect: Prospect, contact_form=None, status: int = 200):
    village = prospect.village
    return render(
        request,
        "prospects/detail.html",
        {
            "prospect": prospect,
            "contacts": selectors.contacts_of(prospect),
            "invitations": selectors.invitations_of(request.user, prospect),
            "contact_form": contact_form
            or ContactForm(user=request.user, initial={"on": today(), "by": prospect.keeper}),
            "can_edit": request.user.can_edit,
            "can_reveal": people_services.can_view_full_personal_data(request.user),
            "division": village,
            "breadcrumb": village.ancestors(),
        },
        status=status,
    )


@require_GET
def prospect_detail(request, pk: int):
    return _prospect_page(request, selectors.get_prospect(request.user, pk))


def _prospect_input(form: ProspectForm, prospect: Prospect | None) -> services.ProspectInput:
    data = form.cleaned_data
    phone: str | None = data["phone"]
    if prospect is not None:
        phone = "" if data.get("clear_phone") else (data["phone"] or None)
    return services.ProspectInput(
        name=data["name"],
        village=data["village"],
        category=data["category"],
        gender=data["gender"],
        birth_year=data["birth_year"],
        city=data["city"],
        occupation=data["occupation"],
        phone=phone,
        keeper=data["keeper"],
        note=data["note"],
        **{key: key in data["interests"] for key in INTERESTS},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def prospect_form(request, pk: int | None = None):
    prospect = selectors.get_prospect(request.user, pk) if pk is not None else None
    require_editor(request.user)
    if prospect is not None:
        initial = ProspectForm.initial_for(prospect)
    else:
        initial = {"category": Category.MIGRANT}
        if request.GET.get("village", "").isdigit():
            initial["village"] = request.GET["village"]
    form = ProspectForm(request.POST or None, user=request.user, prospect=prospect, initial=initial)
    if prospect is not None:
        versioning.track(form, prospect)
    result: dict = {}

    def call():
        if prospect is None:
            result["saved"] = services.create_prospect(actor=request.user, data=_prospect_input(form, None))
            return
        with versioning.saving(form, Prospect, pk=prospect.pk):
            result["saved"] = services.update_prospect(
                actor=request.user, prospect=prospect, data=_prospect_input(form, prospect)
            )

    if saved(request, form, call):
        return redirect("prospects:detail", pk=result["saved"].pk)
    title = _("Edit prospect") if prospect else _("New prospect")
    return form_page(request, "prospects/form.html", form, title=title, prospect=prospect)


@never_cache
@require_POST
def reveal(request, pk: int):
    """The full phone as a small fragment (HTMX), for a user with the permission, after re-authentication;
    audited (services.reveal_phone)."""
    prospect = selectors.get_prospect(request.user, pk)
    if people_services.can_view_full_personal_data(request.user) and not reauth.is_recent(request):
        return reauth.ask(request, next_url=reverse("prospects:detail", args=[pk]))
    value = services.reveal_phone(actor=request.user, prospect=prospect, request=request)
    return HttpResponse(format_html('<span class="font-monospace">{}</span>', value or "—"))


@require_POST
def contact_create(request, pk: int):
    prospect = selectors.get_prospect(request.user, pk)
    require_editor(request.user)
    form = ContactForm(request.POST, user=request.user)

    def call():
        data = form.cleaned_data
        services.add_contact(
            actor=request.user,
            prospect=prospect,
            data=services.ContactInput(
                kind=data["kind"],
                on=data["on"],
                by=data["by"],
                summary=data["summary"],
                documents=list(data["documents"]),
            ),
        )

    if saved(request, form, call):
        return redirect(f"{reverse('prospects:detail', args=[pk])}#contacts")
    return _prospect_page(request, prospect, contact_form=form, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def convert(request, pk: int):
    """推荐为后备人选: the ID number (and the political status a new archive needs); an archive already
    registered with the number is linked, else one is made from the prospect; then the nomination."""
    prospect = selectors.get_prospect(request.user, pk)
    require_editor(request.user)
    if prospect.converted:
        messages.info(
            request,
            _("%(name)s was already recommended as a reserve on %(day)s.")
            % {"name": prospect.name, "day": prospect.converted_on},
        )
        return redirect("prospects:detail", pk=pk)
    form = ConversionForm(request.POST or None)
    result: dict = {}

    def call():
        data = services.ConversionInput(**form.cleaned_data)
        result["person"], result["created"] = services.convert(
            actor=request.user, prospect=prospect, data=data
        )

    if saved(
        request,
        form,
        call,
        message=_("%(name)s is linked to the archive. Next: the nomination.") % {"name": prospect.name},
    ):
        return redirect(f"{reverse('candidacies:nominate')}?person={result['person'].pk}")
    village = prospect.village
    return form_page(
        request,
        "prospects/convert.html",
        form,
        prospect=prospect,
        division=village,
        breadcrumb=village.ancestors(),
    )


# -- events -------------------------------------------------------------------------------------------------------

EVENT_LIST = ListSpec(
    sorts={
        "title": ("title",),
        "kind": ("kind",),
        "held_on": ("held_on",),
        "invited": ("invited",),
        "came": ("came",),
    },
    default_sort="-held_on",
)


@require_GET
def event_list(request):
    listing = EVENT_LIST.page(request, selectors.events(request.user))
    return render(request, "prospects/events.html", {"listing": listing, "can_edit": request.user.can_edit})


@require_http_methods(["GET", "POST"])
def event_create(request):
    require_editor(request.user)
    form = EventForm(
        request.POST or None,
        user=request.user,
        initial={"organiser": request.user.division_id, "kind": EventKind.MEETING, "held_on": today()},
    )
    result: dict = {}

    def call():
        result["event"] = services.create_event(
            actor=request.user, data=services.EventInput(**form.cleaned_data)
        )

    if saved(request, form, call):
        return redirect("prospects:event-detail", pk=result["event"].pk)
    return form_page(request, "prospects/form.html", form, title=_("New outreach event"))


def _event_page(request, event, invite_form=None, status: int = 200):
    manages = request.user.can_edit and code_in_jurisdiction(request.user, event.organiser_id)
    invitations = selectors.invitations(request.user, event)
    return render(
        request,
        "prospects/event_detail.html",
        {
            "event": event,
            "invitations": invitations,
            "came": sum(1 for invitation in invitations if invitation.attended == Attendance.YES),
            "manages": manages,
            "invite_form": (invite_form or InviteForm(user=request.user)) if manages else None,
            "attendance_choices": Attendance.choices,
            "held": event.held_on <= today(),
        },
        status=status,
    )


@require_GET
def event_detail(request, pk: int):
    return _event_page(request, selectors.get_event(request.user, pk))


@require_POST
def event_invite(request, pk: int):
    event = selectors.get_event(request.user, pk)
    require_editor(request.user)
    if not code_in_jurisdiction(request.user, event.organiser_id):
        raise PermissionDenied  # the organiser's jurisdiction manages the event
    form = InviteForm(request.POST, user=request.user)
    if saved(
        request,
        form,
        lambda: services.invite(actor=request.user, event=event, prospects=form.cleaned_data["prospects"]),
        message=_("Invited."),
    ):
        return redirect("prospects:event-detail", pk=pk)
    return _event_page(request, event, invite_form=form, status=400)


def _attendance(request) -> dict[int, str]:
    """`attended-<invitation id>` = yes/no/unknown from the form; a malformed key or value is a 400."""
    answers: dict[int, str] = {}
    for key, value in request.POST.items():
        if not key.startswith("attended-"):
            continue
        raw = key.removeprefix("attended-")
        if not raw.isdigit() or len(raw) > 18 or value not in Attendance.values:
            return {}
        answers[int(raw)] = value
    return answers


@require_POST
def event_attendance(request, pk: int):
    event = selectors.get_event(request.user, pk)
    require_editor(request.user)
    if not code_in_jurisdiction(request.user, event.organiser_id):
        raise PermissionDenied  # the organiser's jurisdiction manages the event
    answers = _attendance(request)
    if not answers:
        messages.error(request, _("Nothing to record."))
        return _event_page(request, event, status=400)
    try:
        changed = services.record_attendance(actor=request.user, event=event, attendance=answers)
    except ValidationError as refused:
        for text in refused.messages:
            messages.error(request, text)
        return _event_page(request, event, status=400)
    messages.success(request, _("Attendance recorded (%(count)s changed).") % {"count": changed})
    return redirect("prospects:event-detail", pk=pk)


# -- policy documents -----------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def documents(request):
    prefix = request.user.division_id or ""
    may_publish = request.user.can_edit and len(prefix) == 6  # a county's own documents
    form = PolicyDocumentForm(request.POST or None, request.FILES or None) if may_publish else None
    if request.method == "POST":
        if form is None:
            require_editor(request.user)
            raise PermissionDenied
        county = request.user.division
        if saved(
            request,
            form,
            lambda: services.add_policy_document(
                actor=request.user,
                county=county,
                title=form.cleaned_data["title"],
                uploaded_file=form.cleaned_data["file"],
            ),
        ):
            return redirect("prospects:documents")
    return form_page(
        request,
        "prospects/documents.html",
        form,
        documents=selectors.policy_documents(request.user).order_by("county_id", "-created_at"),
    )


@never_cache
@require_GET
def document_file(request, pk: int):
    """Served through the view after the jurisdiction check: media files are never public."""
    document = selectors.get_policy_document(request.user, pk)
    if not document.file:
        raise Http404
    extension = (document.file.name or "").rsplit(".", 1)[-1].lower()
    try:
        stored = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        stored,
        as_attachment=True,
        filename=f"{document.title}.{extension}",
        content_type=document.content_type,
    )
