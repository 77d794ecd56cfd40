"""Training pages: the list, the form, the roster with attendance, enrolment, the yearly hours with the
list under the county's minimum, and the roster export (masked numbers, audited)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook

from yanzhen.core import versioning, xlsx
from yanzhen.core.guards import get_for_view, require_editor, today
from yanzhen.core.listing import ListSpec
from yanzhen.core.views_kit import export_response, form_page
from yanzhen.cultivation import selectors, services
from yanzhen.cultivation.forms import EnrolForm, EnrolUnitForm, TrainingForm, enrolment_units
from yanzhen.cultivation.models import Training, TrainingKind
from yanzhen.cultivation.views.common import (
    date_param,
    require_manager,
    run,
    saved,
    submit,
)
from yanzhen.divisions.models import Division
from yanzhen.people.codes import Gender

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The sheet is an administrative document in Chinese whatever the interface language.
ROSTER_HEADER = [
    "序号",
    "姓名",
    "性别",
    "乡镇（街道）",
    "村（社区）",
    "身份证号（脱敏）",
    "手机号码（脱敏）",
    "出勤学时",
    "是否结业",
    "成绩",
    "本年度累计学时",
    "备注",
]


def _year(request) -> int:
    """The year asked for; by default this year, or the latest earlier year with trainings when this year
    has none yet (a clerk opening the page in January sees last year's work, not an empty table)."""
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    current = today().year
    earlier = [year for year in selectors.training_years(request.user) if year <= current]
    return current if not earlier or earlier[0] == current else earlier[0]


def _year_choices(user, *, ahead: int) -> list[int]:
    """The last six years (and `ahead` years to come) plus every year with trainings, newest first."""
    current = today().year
    recent = set(range(current - 6, current + ahead + 1))
    return sorted(recent | set(selectors.training_years(user)), reverse=True)


# The sortable columns of the training list; by default the latest first.
TRAINING_LIST = ListSpec(
    sorts={
        "name": ("name",),
        "kind": ("kind",),
        "organiser": ("organiser",),
        "start": ("start",),
        "hours": ("hours",),
        "participants": ("participants",),
    },
    default_sort="-start",
)


@require_GET
def training_list(request):
    year = _year(request)
    kind = request.GET.get("kind", "")
    kind = kind if kind in TrainingKind.values else ""
    listing = TRAINING_LIST.page(request, selectors.trainings(request.user, year=year, kind=kind))
    return render(
        request,
        "cultivation/training_list.html",
        {
            "listing": listing,
            "trainings": listing.rows,
            "year": year,
            "years": _year_choices(request.user, ahead=1),
            "kind": kind,
            "kinds": TrainingKind.choices,
            "can_edit": request.user.can_edit,
        },
    )


def _training_input(form) -> services.TrainingInput:
    return services.TrainingInput(**form.cleaned_data)


@require_http_methods(["GET", "POST"])
def training_form(request, pk: int | None = None):
    training = None
    initial = None
    if pk is not None:
        training = selectors.get_training(request.user, pk)
        require_manager(request.user, training.division_id)
        initial = {
            field: getattr(training, field)
            for field in ("name", "organiser", "division", "kind", "place", "start", "end", "hours", "notes")
        }
    else:
        require_editor(request.user)
        initial = {"division": request.user.division}
    form = TrainingForm(request.POST or None, user=request.user, initial=initial)
    if training is not None:
        versioning.track(form, training)

    def call():
        if training is None:
            return services.create_training(actor=request.user, data=_training_input(form))
        with versioning.saving(form, Training, pk=training.pk):
            return services.update_training(actor=request.user, training=training, data=_training_input(form))

    return submit(
        request,
        form,
        call,
        to=lambda saved_training: ("cultivation:training-detail", saved_training.pk),
        title=_("Edit training programme") if training else _("New training programme"),
        cancel="cultivation:training-list",
    )


def _roster_rows(user, training):
    enrolments = list(selectors.roster(user, training))
    year_hours = selectors.hours_by_person([e.person_id for e in enrolments], training.end.year)
    return [(enrolment, year_hours.get(enrolment.person_id, (0, 0))[0]) for enrolment in enrolments]


def _number(value) -> str:
    """A decimal as a number input shows it: 16, 7.5."""
    return f"{value.normalize():f}" if value is not None else ""


@dataclass
class RosterRow:
    """One participant's line of the attendance form: what is stored, or what was typed when the form
    came back with an error (then `error` and the wrong `column`: hours, score, note or row)."""

    enrolment: object
    year_hours: object
    hours: str
    completed: bool
    score: str
    note: str
    error: str = ""
    column: str = ""


def _page_rows(request, training, *, posted=None, invalid: ValidationError | None = None) -> list[RosterRow]:
    """The roster as stored; unrecorded hours default to the training's hours once it has started (the
    legal answer for whoever attended it all). After an error, every typed value comes back as typed."""
    errors = invalid.error_dict if invalid is not None and hasattr(invalid, "error_dict") else {}
    default_hours = _number(training.hours) if training.start <= today() else ""
    rows = []
    for enrolment, year_hours in _roster_rows(request.user, training):
        key = enrolment.person_id
        if posted is not None:
            row = RosterRow(
                enrolment,
                year_hours,
                hours=posted.get(f"hours_{key}", "").strip(),
                completed=posted.get(f"completed_{key}") == "on",
                score=posted.get(f"score_{key}", "").strip(),
                note=posted.get(f"note_{key}", ""),
            )
        else:
            row = RosterRow(
                enrolment,
                year_hours,
                hours=_number(enrolment.attended_hours)
                if enrolment.attended_hours is not None
                else default_hours,
                completed=enrolment.completed,
                score=_number(enrolment.score),
                note=enrolment.note,
            )
        for error in errors.get(f"attendance.{key}", []):
            row.error = "；".join(error.messages)
            row.column = error.code or "row"
        rows.append(row)
    return rows


def _detail_page(request, training, *, posted=None, invalid=None, status=200):
    rows = _page_rows(request, training, posted=posted, invalid=invalid)
    listed = {f"attendance.{row.enrolment.person_id}" for row in rows}
    other_errors = [
        message
        for key, messages in (invalid.message_dict.items() if invalid is not None else [])
        if key not in listed
        for message in messages
    ]
    return render(
        request,
        "cultivation/training_detail.html",
        {
            "training": training,
            "rows": rows,
            "row_errors": [row.error for row in rows if row.error],
            "other_errors": other_errors,
            "can_manage": selectors.can_manage(request.user, training.division_id),
            "can_export": request.user.can_edit,
        },
        status=status,
    )


@require_GET
def training_detail(request, pk: int):
    return _detail_page(request, selectors.get_training(request.user, pk))


@require_POST
def training_roster(request, pk: int):
    """Attendance, completion and score of the participants on the page, all or nothing."""
    training = selectors.get_training(request.user, pk)
    require_manager(request.user, training.division_id)
    rows = []
    for enrolment in selectors.roster(request.user, training):
        key = enrolment.person_id
        rows.append(
            services.AttendanceInput(
                person=enrolment.person,
                attended_hours=request.POST.get(f"hours_{key}", "").strip() or None,
                completed=request.POST.get(f"completed_{key}") == "on",
                score=request.POST.get(f"score_{key}", "").strip() or None,
                note=request.POST.get(f"note_{key}", ""),
            )
        )
    try:
        services.record_attendance(actor=request.user, training=training, rows=rows)
    except ValidationError as invalid:
        return _detail_page(request, training, posted=request.POST, invalid=invalid, status=400)
    return saved(request, "cultivation:training-detail", training.pk)


def _preselected(request, form) -> tuple[list[int], list[str]]:
    """`?person=<id>&person=<id>…` (the people list's 加入培训): the ids the form may take; ids outside the
    user's jurisdiction are dropped silently, the names of people already enrolled are returned."""
    ids = list(dict.fromkeys(int(raw) for raw in request.GET.getlist("person") if raw.isdigit()))
    if not ids:
        return [], []
    choosable = set(form.fields["people"].queryset.filter(pk__in=ids).values_list("pk", flat=True))
    visible = selectors.visible_people(request.user).filter(pk__in=set(ids) - choosable)
    return [pk for pk in ids if pk in choosable], sorted(person.name for person in visible)


def _unit_plan(request, training):
    """The village or township asked for with ?unit=<code> and what enrolling it would do (404 outside the
    user's jurisdiction)."""
    code = request.GET.get("unit", "")
    if not code:
        return None
    unit = get_for_view(enrolment_units(request.user).select_related("parent"), request.user, code=code)
    return services.plan_unit_enrolment(request.user, training, unit)


def _enrol_unit(request, training):
    unit = get_for_view(Division.objects.all(), request.user, code=request.POST.get("unit", ""))
    try:
        result = services.enrol_unit(actor=request.user, training=training, unit=unit)
    except ValidationError as invalid:
        for message in invalid.messages:
            messages.error(request, message)
        return redirect("cultivation:training-enrol", training.pk)
    messages.success(request, _unit_summary(result))
    return redirect("cultivation:training-detail", training.pk)


def _names(people) -> str:
    return "、".join(person.name for person in people)


def _unit_summary(result) -> str:
    parts = [_("%(unit)s: %(count)s enrolled.") % {"unit": result.unit.name, "count": len(result.to_enrol)}]
    if result.already:
        parts.append(_("Already enrolled, skipped: %(names)s.") % {"names": _names(result.already)})
    if result.seconded:
        parts.append(
            _("On a full-time secondment during the training, skipped: %(names)s.")
            % {"names": _names(result.seconded)}
        )
    return " ".join(parts)


@require_http_methods(["GET", "POST"])
def training_enrol(request, pk: int):
    """Enrol participants: people chosen by typing (or handed over with ?person=…), or the reserves in the
    pool of a whole village or township, counted before the clerk confirms."""
    training = selectors.get_training(request.user, pk)
    require_manager(request.user, training.division_id)
    if request.method == "POST" and request.POST.get("action") == "unit":
        return _enrol_unit(request, training)
    form = EnrolForm(request.POST or None, user=request.user, training=training)
    skipped: list[str] = []
    if request.method == "GET":
        ids, skipped = _preselected(request, form)
        if ids:
            form = EnrolForm(initial={"people": ids}, user=request.user, training=training)
    if request.method == "POST" and form.is_valid():
        if run(
            form,
            lambda: services.enrol(
                actor=request.user, training=training, people=list(form.cleaned_data["people"])
            ),
        ):
            count = len(form.cleaned_data["people"])
            messages.success(request, _("%(count)s enrolled.") % {"count": count})
            return redirect("cultivation:training-detail", training.pk)
    plan = _unit_plan(request, training) if request.method == "GET" else None
    unit_form = EnrolUnitForm(initial={"unit": plan.unit.code} if plan else None, user=request.user)
    return form_page(
        request,
        "cultivation/enrol.html",
        form,
        training=training,
        unit_form=unit_form,
        plan=plan,
        skipped=skipped,
    )


@require_GET
def training_export(request, pk: int):
    """The roster as the user sees it, with each participant's hours in the training's year. Numbers are
    masked; the export goes to the audit log."""
    training = selectors.get_training(request.user, pk)
    require_editor(request.user)
    rows = _roster_rows(request.user, training)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    xlsx.append(
        sheet,
        [f"{training.name}（{training.start:%Y-%m-%d} 至 {training.end:%Y-%m-%d}，{training.hours} 学时）"],
    )
    xlsx.append(sheet, ROSTER_HEADER)
    for number, (enrolment, year_hours) in enumerate(rows, start=1):
        person = enrolment.person
        village = person.village
        xlsx.append(
            sheet,
            [
                number,
                person.name,
                Gender(person.gender).label if person.gender in Gender.values else "",
                village.parent.name if village.parent else "",
                village.name,
                person.id_number_masked,
                person.phone_masked,
                float(enrolment.attended_hours) if enrolment.attended_hours is not None else "",
                "是" if enrolment.completed else "否",
                float(enrolment.score) if enrolment.score is not None else "",
                float(year_hours),
                enrolment.note,
            ],
        )
    return export_response(
        request,
        workbook,
        title=f"培训班花名册：{training.name}",
        detail={"training": training.pk, "rows": len(rows)},
        filename=f"培训班花名册_{training.start:%Y-%m-%d}_{training.pk}.xlsx",
        fallback=f"training_{training.pk}.xlsx",
    )


@require_GET
def hours(request):
    """Each person's hours in a year, and the reserves under the county's yearly minimum."""
    year = _year(request)
    on = date_param(request)
    return render(
        request,
        "cultivation/hours.html",
        {
            "year": year,
            "years": _year_choices(request.user, ahead=0),
            "rows": selectors.yearly_hours(request.user, year),
            "under": selectors.under_minimum(request.user, year, on),
            "reporting_day": selectors.reporting_day(year, on),
        },
    )
