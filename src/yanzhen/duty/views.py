"""Pages of the duty rota (坐班值班): the township's month (gaps and missed duty days per village, pending
leave to decide), a village's month (a list per day), an entry added or removed, a month from a weekly
pattern, the work team, leave entered by a clerk, the county's attendance item, the xlsx of a township's month,
and the cadre's own page on his phone (`me`: his duty days, 签到, his leave).

Views only parse input; `selectors` read (from `restrict(user)`) and `services` write, checking jurisdiction
(404), role (403) and data (the errors on the form, 400, nothing written).
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yanzhen.accounts.roles import Role
from yanzhen.core import guards
from yanzhen.core.bad_input import BadInput
from yanzhen.core.views_kit import form_page, saved
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.duty import selectors, services
from yanzhen.duty.forms import (
    AssignmentForm,
    AttendanceItemForm,
    CheckInForm,
    ClerkLeaveForm,
    GenerateForm,
    LeaveForm,
    MemberForm,
)
from yanzhen.duty.models import DutyAssignment, DutySettings, Leave, WorkTeamMember
from yanzhen.people.models import Person

READER_ROLES = (Role.ADMIN, Role.TOWNSHIP_CLERK, Role.VILLAGE_SECRETARY, Role.AUDITOR)


def require_reader(request) -> None:
    if not request.user.has_role(*READER_ROLES):
        raise PermissionDenied


def month_of(request) -> date:
    """The month of `?month=YYYY-MM` (this month without one); a malformed one is refused (400)."""
    value = (request.GET.get("month") or request.POST.get("month") or "").strip()
    if not value:
        return guards.today().replace(day=1)
    try:
        year, month = (int(part) for part in value.split("-"))
        if not 2000 <= year <= 2100:
            raise ValueError
        return date(year, month, 1)
    except ValueError:
        raise BadInput(f"月份格式不正确：{value[:20]}（应为 YYYY-MM）") from None


def village_of(request, code: str) -> Division:
    villages = Division.objects.select_related("parent").filter(level=Level.VILLAGE)
    return guards.get_for_view(villages, request.user, code=code)


def village_url(code: str, month: date) -> str:
    return reverse("duty:village", args=[code]) + "?" + urlencode({"month": f"{month:%Y-%m}"})


def _village_form(request, form, division: Division, month, title):
    """A form of one village's month (an addition to the rota, a leave): back to that month on cancel."""
    return form_page(
        request,
        "duty/form.html",
        form,
        division=division,
        breadcrumb=division.ancestors(),
        title=title,
        cancel=village_url(division.code, month),
    )


def _month_links(month: date) -> dict:
    previous = (month.replace(day=1) - date.resolution).replace(day=1)
    following = selectors.month_bounds(month)[1] + date.resolution
    return {
        "month": month,
        "month_key": f"{month:%Y-%m}",
        "previous": f"{previous:%Y-%m}",
        "next": f"{following:%Y-%m}",
    }


def _page(request, template: str, division: Division, **context):
    return render(request, template, {"division": division, "breadcrumb": division.ancestors(), **context})


# -- the township's month -----------------------------------------------------------------------------------------


def township_of(request) -> Division | None:
    """The township shown: `?township=` (inside the jurisdiction, else 404), the user's own, or the first of
    his county; None for a village user (he sees his village's page)."""
    user = request.user
    code = request.GET.get("township", "").strip()
    townships = Division.objects.filter(level=Level.TOWNSHIP)
    if code:
        return guards.get_for_view(townships, user, code=code)
    own = user.division
    if own is None or own.level == Level.VILLAGE:
        return None
    if own.level == Level.TOWNSHIP:
        return own
    return townships.restrict(user).order_by("code").first()


@require_GET
def index(request):
    """The township's month: per village the gaps and missed duty days, pending leave with its decision."""
    require_reader(request)
    month = month_of(request)
    township = township_of(request)
    if township is None:
        if request.user.division is not None and request.user.division.level == Level.VILLAGE:
            return redirect(village_url(request.user.division_id, month))
        raise Http404
    townships = Division.objects.restrict(request.user).filter(level=Level.TOWNSHIP).order_by("code")
    return _page(
        request,
        "duty/index.html",
        township,
        townships=townships if townships.count() > 1 else [],
        rows=selectors.township_month(request.user, township, month),
        pending=selectors.pending_leaves(request.user, township.code),
        leaves=selectors.leaves_of(request.user, township.code, month),
        may_decide=services.may_decide_leave(request.user),
        note=selectors.calendar_note(month),
        township_keep=[("township", township.code)],
        **_month_links(month),
    )


@require_POST
def leave_decide(request, pk: int):
    leave = guards.get_for_view(Leave.objects.all(), request.user, pk=pk)
    if not services.may_decide_leave(request.user):
        raise PermissionDenied
    decision = request.POST.get("decision")
    if decision not in ("approve", "refuse"):
        raise BadInput("请选择批准或不批准")
    back = request.POST.get("next") or reverse("duty:index") + "?" + urlencode(
        {"township": leave.village_id[:9]}
    )
    try:
        services.decide_leave(actor=request.user, leave=leave, approve=decision == "approve")
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Leave approved.") if decision == "approve" else _("Leave refused."))
    return redirect(back if back.startswith("/duty/") else reverse("duty:index"))


# -- a village's month --------------------------------------------------------------------------------------------


@require_GET
def village(request, code: str):
    require_reader(request)
    division = village_of(request, code)
    month = month_of(request)
    days = selectors.rota(division.code, month)
    return _page(
        request,
        "duty/village.html",
        division,
        days=days,
        gaps=[row.day for row in days if row.gap],
        can_edit=request.user.can_edit,
        members=selectors.active_members(division.code),
        leaves=selectors.leaves_of(request.user, division.code, month),
        note=selectors.calendar_note(month),
        **_month_links(month),
    )


def _holder(village_code: str, value: str) -> dict:
    kind, number = value[:1], int(value[1:])
    if kind == "p":
        return {"person": Person.objects.get(pk=number)}
    return {"member": WorkTeamMember.objects.get(pk=number, village_id=village_code)}


@require_http_methods(["GET", "POST"])
def assignment_add(request, code: str):
    division = village_of(request, code)
    guards.require_editor(request.user)
    month = month_of(request)
    initial = {"day": request.GET.get("day", "")}
    form = AssignmentForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        village_code=division.code,
        month=month,
    )
    if saved(
        request,
        form,
        lambda: services.add_assignment(
            actor=request.user,
            village=division,
            day=form.cleaned_data["day"],
            **_holder(division.code, form.cleaned_data["holder"]),
        ),
    ):
        return redirect(village_url(division.code, form.cleaned_data["day"]))
    return _village_form(request, form, division, month, _("Add to the rota"))


@require_POST
def assignment_delete(request, pk: int):
    assignment = guards.get_for_change(DutyAssignment.objects.all(), request.user, pk=pk)
    back = village_url(assignment.village_id, assignment.day)
    try:
        services.remove_assignment(actor=request.user, assignment=assignment)
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Deleted."))
    return redirect(back)


def _pattern(division: Division, form: GenerateForm) -> dict:
    return {
        weekday: [
            _holder(division.code, value)["person" if value.startswith("p") else "member"]
            for value in form.cleaned_data[f"weekday_{weekday}"]
        ]
        for weekday in range(7)
    }


@require_http_methods(["GET", "POST"])
def generate(request, code: str):
    """A month's rota from a weekly pattern."""
    division = village_of(request, code)
    guards.require_editor(request.user)
    month = month_of(request)
    form = GenerateForm(
        request.POST if request.method == "POST" else None, village_code=division.code, month=month
    )
    result: list[services.Generated] = []
    if saved(
        request,
        form,
        lambda: result.append(
            services.generate_month(
                actor=request.user,
                village=division,
                month=month,
                pattern=_pattern(division, form),
                replace=form.cleaned_data["replace"],
            )
        ),
        message=" ",
    ):
        done = result[0]
        messages.info(
            request,
            _(
                "Rota generated: %(created)d entries added, %(removed)d removed, %(skipped)d skipped for leave."
            )
            % {"created": done.created, "removed": done.removed, "skipped": done.skipped_on_leave},
        )
        return redirect(village_url(division.code, month))
    return form_page(
        request,
        "duty/generate.html",
        form,
        division=division,
        breadcrumb=division.ancestors(),
        cancel=village_url(division.code, month),
        note=selectors.calendar_note(month),
        **_month_links(month),
    )


# -- the work team ------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def team(request, code: str):
    """The village's work-team members, and a form to add one."""
    require_reader(request)
    division = village_of(request, code)
    form = (
        MemberForm(request.POST if request.method == "POST" else None, initial={"active": True})
        if request.user.can_edit
        else None
    )
    if request.method == "POST":
        guards.require_editor(request.user)
        assert form is not None
        if saved(
            request,
            form,
            lambda: services.save_member(
                actor=request.user, village=division, data=services.MemberInput(**form.cleaned_data)
            ),
        ):
            return redirect("duty:team", code=division.code)
    members = WorkTeamMember.objects.restrict(request.user).filter(village=division)
    return form_page(
        request, "duty/team.html", form, division=division, breadcrumb=division.ancestors(), members=members
    )


@require_http_methods(["GET", "POST"])
def member_edit(request, pk: int):
    member = guards.get_for_change(WorkTeamMember.objects.select_related("village"), request.user, pk=pk)
    initial = {"name": member.name, "unit": member.unit, "active": member.active}
    form = MemberForm(request.POST if request.method == "POST" else None, initial=initial)
    if saved(
        request,
        form,
        lambda: services.save_member(
            actor=request.user, member=member, data=services.MemberInput(**form.cleaned_data)
        ),
    ):
        return redirect("duty:team", code=member.village_id)
    return form_page(
        request,
        "duty/form.html",
        form,
        division=member.village,
        breadcrumb=member.village.ancestors(),
        title=_("Work-team member"),
        cancel=reverse("duty:team", args=[member.village_id]),
    )


# -- leave entered by a clerk -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def leave_add(request, code: str):
    division = village_of(request, code)
    guards.require_editor(request.user)
    month = month_of(request)
    form = ClerkLeaveForm(
        request.POST if request.method == "POST" else None, village_code=division.code, month=month
    )
    if saved(
        request,
        form,
        lambda: services.request_leave(
            actor=request.user,
            person=Person.objects.get(pk=int(form.cleaned_data["person"])),
            village=division,
            data=services.LeaveInput(
                form.cleaned_data["start"], form.cleaned_data["end"], form.cleaned_data["reason"]
            ),
        ),
    ):
        return redirect(village_url(division.code, month))
    return _village_form(request, form, division, month, _("Enter a leave"))


# -- the county's attendance item ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def settings_page(request):
    """The county chooses the monthly scoring item attendance feeds (月考评 pre-fill)."""
    from yanzhen.assessments.incumbents.services import score_items

    code = (request.user.division_id or "")[:6]
    county = Division.objects.filter(code=code, level=Level.COUNTY).first()
    if county is None:
        raise Http404
    if not request.user.has_role(Role.ADMIN):
        raise PermissionDenied
    row = DutySettings.objects.filter(county=county).first()
    current = row.attendance_item_id if row is not None else None
    form = AttendanceItemForm(
        request.POST if request.method == "POST" else None,
        initial={"attendance_item": current or ""},
        items=score_items(county.code),
    )
    if saved(
        request,
        form,
        lambda: services.set_attendance_item(
            actor=request.user, county=county, item_id=int(form.cleaned_data["attendance_item"] or 0) or None
        ),
    ):
        return redirect("duty:settings")
    return form_page(
        request,
        "duty/form.html",
        form,
        division=county,
        breadcrumb=county.ancestors(),
        title=_("Attendance and the monthly score"),
        cancel=reverse("duty:index"),
        help=_(
            "The monthly score forms suggest this item's score as points × days attended ÷ duty days of the month (rounded half up); the clerk may change it."
        ),
    )


# -- the cadre's own page -----------------------------------------------------------------------------------------


def _own(request) -> Person:
    person = services.own_person(request.user)
    if person is None:
        raise PermissionDenied
    return person


def _me_page(request, person: Person, leave_form: LeaveForm | None = None):
    today = guards.today()
    duties = list(
        DutyAssignment.objects.filter(person=person, day__gte=today.replace(day=1))
        .select_related("village", "check_in")
        .order_by("day")[:62]
    )
    todays = [duty for duty in duties if duty.day == today and duty.village_id == request.user.division_id]
    return render(
        request,
        "duty/me.html",
        {
            "person": person,
            "today": today,
            "duties": duties,
            "todays": todays,
            "checked": {duty.pk for duty in duties if selectors.has_check_in(duty)},
            "leaves": Leave.objects.filter(person=person).order_by("-start")[:20],
            "leave_form": leave_form or LeaveForm(),
        },
        status=400 if leave_form is not None and leave_form.errors else 200,
    )


@require_GET
def me(request):
    """His duty days from the start of this month, today's with a big 签到 button, and his leave."""
    return _me_page(request, _own(request))


@require_POST
def me_check_in(request):
    _own(request)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        raise BadInput("签到请求不完整")
    assignment = DutyAssignment.objects.filter(pk=form.cleaned_data["assignment"]).first()
    if assignment is None:
        raise Http404
    try:
        services.check_in(actor=request.user, assignment=assignment, note=form.cleaned_data["note"])
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Checked in."))
    return redirect("duty:me")


@require_POST
def me_leave(request):
    person = _own(request)
    form = LeaveForm(request.POST)
    if saved(
        request,
        form,
        lambda: services.request_leave(
            actor=request.user,
            person=person,
            village=request.user.division_id,
            data=services.LeaveInput(
                form.cleaned_data["start"], form.cleaned_data["end"], form.cleaned_data["reason"]
            ),
        ),
        message=_("Leave requested; the township decides."),
    ):
        return redirect("duty:me")
    return _me_page(request, person, form)
