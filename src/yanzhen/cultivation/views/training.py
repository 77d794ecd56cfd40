"""Training pages: the list, the form, the roster with attendance, enrolment, the yearly hours with the
list under the county's minimum, and the roster export (masked numbers, audited)."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from urllib.parse import quote

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook

from yanzhen.core import audit
from yanzhen.core.models import AuditAction
from yanzhen.cultivation import selectors, services
from yanzhen.cultivation.forms import EnrolForm, TrainingForm
from yanzhen.cultivation.models import TrainingKind
from yanzhen.cultivation.views.common import (
    date_param,
    form_page,
    require_editor,
    require_manager,
    run,
    saved,
)
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
    current = services.today().year
    earlier = [year for year in selectors.training_years(request.user) if year <= current]
    return current if not earlier or earlier[0] == current else earlier[0]


def _year_choices(user, *, ahead: int) -> list[int]:
    """The last six years (and `ahead` years to come) plus every year with trainings, newest first."""
    current = services.today().year
    recent = set(range(current - 6, current + ahead + 1))
    return sorted(recent | set(selectors.training_years(user)), reverse=True)


@require_GET
def training_list(request):
    year = _year(request)
    kind = request.GET.get("kind", "")
    kind = kind if kind in TrainingKind.values else ""
    return render(
        request,
        "cultivation/training_list.html",
        {
            "trainings": selectors.trainings(request.user, year=year, kind=kind).order_by("-start", "-id"),
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
    if request.method == "POST" and form.is_valid():
        result = {}

        def call():
            if training is None:
                result["training"] = services.create_training(actor=request.user, data=_training_input(form))
            else:
                result["training"] = services.update_training(
                    actor=request.user, training=training, data=_training_input(form)
                )

        if run(form, call):
            return saved(request, "cultivation:training-detail", result["training"].pk)
    return form_page(
        request,
        form,
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
    default_hours = _number(training.hours) if training.start <= services.today() else ""
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


@require_http_methods(["GET", "POST"])
def training_enrol(request, pk: int):
    training = selectors.get_training(request.user, pk)
    require_manager(request.user, training.division_id)
    form = EnrolForm(request.POST or None, user=request.user, training=training)
    if request.method == "POST" and form.is_valid():
        if run(
            form,
            lambda: services.enrol(
                actor=request.user, training=training, people=list(form.cleaned_data["people"])
            ),
        ):
            return saved(request, "cultivation:training-detail", training.pk)
    return form_page(
        request,
        form,
        title=_("Enrol in %(training)s") % {"training": training.name},
        cancel="cultivation:training-list",
        intro=_("A person on a full-time secondment during the training cannot take part."),
    )


@require_GET
def training_export(request, pk: int):
    """The roster as the user sees it, with each participant's hours in the training's year. Numbers are
    masked; the export goes to the audit log."""
    training = selectors.get_training(request.user, pk)
    if not request.user.can_edit:
        raise PermissionDenied
    rows = _roster_rows(request.user, training)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(
        [f"{training.name}（{training.start:%Y-%m-%d} 至 {training.end:%Y-%m-%d}，{training.hours} 学时）"]
    )
    sheet.append(ROSTER_HEADER)
    for number, (enrolment, year_hours) in enumerate(rows, start=1):
        person = enrolment.person
        village = person.village
        sheet.append(
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
            ]
        )
    buffer = BytesIO()
    workbook.save(buffer)
    audit.record(
        action=AuditAction.EXPORT,
        user=request.user,
        request=request,
        object_repr=f"培训班花名册：{training.name}",
        detail={"training": training.pk, "rows": len(rows)},
    )
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    filename = f"培训班花名册_{training.start:%Y-%m-%d}_{training.pk}.xlsx"
    response["Content-Disposition"] = (
        f"attachment; filename=\"training_{training.pk}.xlsx\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


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
