"""Pages of the reports filed upward (issue 20 §3): the snapshots a user sees (a county submits from there),
one snapshot with its history (the city and the province send it back from there), its files (xlsx for people,
JSON with the signature for machines), the roll-up of a city's or a province's counties, and the import of a
file from another deployment."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yanzhen.accounts.roles import Role
from yanzhen.core import audit, xlsx
from yanzhen.core.bad_input import BadInput
from yanzhen.core.forms import add_service_errors
from yanzhen.core.guards import get_for_view, today
from yanzhen.core.jurisdiction import jurisdiction_prefix
from yanzhen.core.listing import ListSpec
from yanzhen.core.models import AuditAction
from yanzhen.core.views_kit import export_response, saved
from yanzhen.divisions import selectors as division_selectors
from yanzhen.divisions.codes import CODE_LENGTH, Level
from yanzhen.reports_up import exchange, selectors, services
from yanzhen.reports_up.content import KIND_TITLES, derived
from yanzhen.reports_up.forms import ImportForm, ReturnForm, SubmitForm
from yanzhen.reports_up.models import Kind, Snapshot, Status

COUNTY_LENGTH = CODE_LENGTH[Level.COUNTY]
SNAPSHOTS = ListSpec(
    sorts={
        "submitted_on": ["submitted_on"],
        "division": ["division__code"],
        "kind": ["kind"],
        "year": ["year"],
        "status": ["status"],
    },
    default_sort="-submitted_on",
)


def may_read(user) -> bool:
    """The reports filed upward are a county's and those above it: a township or a village has none."""
    prefix = jurisdiction_prefix(user)
    return prefix is not None and len(prefix) <= COUNTY_LENGTH


def may_submit(user) -> bool:
    return (
        user.has_role(Role.ADMIN) and user.division_id is not None and len(user.division_id) == COUNTY_LENGTH
    )


def may_return(user) -> bool:
    return user.has_role(Role.ADMIN) and user.can_edit and services.is_above_county(user)


def _reader(request) -> None:
    if not may_read(request.user):
        raise PermissionDenied


def _year(text: str | None, default: int | None) -> int | None:
    if not text:
        return default
    if not text.isdigit() or not 1949 <= int(text) <= 9999:
        raise BadInput(f"年度“{text}”无效")
    return int(text)


def _choice(text: str | None, choices) -> str:
    value = text or ""
    if value and value not in choices:
        raise BadInput(f"参数“{value}”无效")
    return value


def _index(request, form=None, status: int = 200):
    _reader(request)
    kind = _choice(request.GET.get("kind"), Kind.values)
    state = _choice(request.GET.get("status"), Status.values)
    year = _year(request.GET.get("year"), None)
    found = selectors.snapshots(request.user, kind=kind, year=year, status=state)
    user = request.user
    return render(
        request,
        "reports_up/list.html",
        {
            "listing": SNAPSHOTS.page(request, found),
            "kinds": Kind.choices,
            "statuses": Status.choices,
            "may_submit": may_submit(user),
            "above_county": services.is_above_county(user),
            "may_import": user.has_role(Role.ADMIN),
            "form": form or SubmitForm(initial={"kind": Kind.YEAR, "year": today().year}),
        },
        status=status,
    )


@require_GET
def index(request):
    return _index(request)


@require_POST
def submit(request):
    if not may_submit(request.user):
        raise PermissionDenied
    form = SubmitForm(request.POST)
    county = request.user.division
    made: list[Snapshot] = []

    def call():
        made.append(
            services.submit_snapshot(
                actor=request.user,
                county=county,
                kind=form.cleaned_data["kind"],
                year=form.cleaned_data["year"],
            )
        )

    if saved(request, form, call, message=_("Submitted: the figures are frozen and signed.")):
        return redirect("reports_up:detail", pk=made[0].pk)
    return _index(request, form, status=422)


def _snapshot(request, pk: int) -> Snapshot:
    """The snapshot inside the user's jurisdiction (404 outside, checked first), for a reader of reports."""
    found = get_for_view(
        Snapshot.objects.select_related("division", "submitted_by", "returned_by", "imported_by"),
        request.user,
        pk=pk,
    )
    _reader(request)
    return found


def _detail(request, snapshot: Snapshot, form=None, status: int = 200):
    table = snapshot.content["table"]
    heads = exchange.columns(snapshot.kind)
    rows = [
        (row["unit"], {**row["counts"], **derived(snapshot.kind, row["counts"])}) for row in table["rows"]
    ]
    total = {**table["total"], **derived(snapshot.kind, table["total"])}
    return render(
        request,
        "reports_up/detail.html",
        {
            "snapshot": snapshot,
            "title": KIND_TITLES[snapshot.kind],
            "heads": heads,
            "rows": [(unit, [values.get(key, "") for key, _h in heads]) for unit, values in rows],
            "total": [total.get(key, "") for key, _h in heads],
            "verified": exchange.verifies(snapshot),
            "history": selectors.history_of(snapshot),
            "may_return": snapshot.status == Status.SUBMITTED and may_return(request.user),
            "may_resubmit": may_submit(request.user) and snapshot.status == Status.RETURNED,
            "form": form or ReturnForm(),
            "division": snapshot.division,
        },
        status=status,
    )


@require_GET
def detail(request, pk: int):
    return _detail(request, _snapshot(request, pk))


@require_POST
def return_for_correction(request, pk: int):
    snapshot = _snapshot(request, pk)
    if not may_return(request.user):
        raise PermissionDenied
    form = ReturnForm(request.POST)

    def call():
        return services.return_snapshot(actor=request.user, snapshot=snapshot, note=form.cleaned_data["note"])

    if saved(request, form, call, message=_("Sent back to the county for correction.")):
        return redirect("reports_up:detail", pk=snapshot.pk)
    return _detail(request, snapshot, form, status=422)


@require_GET
def snapshot_xlsx(request, pk: int):
    snapshot = _snapshot(request, pk)
    frozen = snapshot.content
    name = f"{frozen['division_name']}{frozen['year']}年{KIND_TITLES[snapshot.kind]}.xlsx"
    return export_response(
        request,
        exchange.snapshot_workbook(snapshot),
        title=name,
        detail={"snapshot": snapshot.pk},
        filename=name,
        fallback=f"snapshot-{snapshot.pk}.xlsx",
    )


@require_GET
def snapshot_json(request, pk: int):
    """The file for machines: the content and its signature (`exchange.envelope`)."""
    snapshot = _snapshot(request, pk)
    audit.record(
        action=AuditAction.EXPORT,
        user=request.user,
        request=request,
        object_repr=f"{snapshot.division.name} {snapshot.year} {KIND_TITLES[snapshot.kind]}（JSON）",
        detail={"snapshot": snapshot.pk},
    )
    response = HttpResponse(exchange.envelope_bytes(snapshot), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = xlsx.content_disposition(
        f"{snapshot.division_id}-{snapshot.kind}-{snapshot.year}-{snapshot.pk}.json",
        f"snapshot-{snapshot.pk}.json",
    )
    return response


def _rollup(request) -> selectors.Rollup:
    user = request.user
    if not services.is_above_county(user):
        raise PermissionDenied
    kind = _choice(request.GET.get("kind"), Kind.values) or Kind.YEAR
    year = _year(request.GET.get("year"), today().year)
    code = request.GET.get("division") or user.division_id or ""
    division = division_selectors.get_division(user, code)
    if len(division.code) >= COUNTY_LENGTH:
        raise BadInput("请选择省或市（州）")
    return selectors.rollup(user, division, kind, year or today().year)


@require_GET
def rollup(request):
    found = _rollup(request)
    heads = exchange.columns(found.kind)
    rows = [
        (line, [({**line.counts, **derived(found.kind, line.counts)}).get(key, "") for key, _h in heads])
        for line in found.counted
    ]
    total = {**found.total, **found.total_shares}
    query = urlencode({"kind": found.kind, "year": str(found.year), "division": found.division.code})
    return render(
        request,
        "reports_up/rollup.html",
        {
            "rollup": found,
            "title": KIND_TITLES[found.kind],
            "heads": heads,
            "rows": rows,
            "total": [total.get(key, "") for key, _h in heads],
            "kinds": Kind.choices,
            "export": f"{reverse('reports_up:rollup-xlsx')}?{query}",
        },
    )


@require_GET
def rollup_xlsx(request):
    found = _rollup(request)
    title = f"{found.division.name}{found.year}年{KIND_TITLES[found.kind]}（汇总）"
    lines = [
        f"汇总单位：{found.division.name}　已上报 {len(found.counted)} 个县（市、区）"
        f"　未上报 {len(found.missing)} 个　退回更正 {len(found.returned)} 个　汇总日期：{today().isoformat()}",
    ]
    if found.missing or found.returned:
        lines.append("未计入：" + "、".join(line.county.name for line in found.missing + found.returned))
    workbook = exchange.table_workbook(title=title, lines=lines, kind=found.kind, rows=found.rows())
    return export_response(
        request,
        workbook,
        title=title,
        detail={"division": found.division.code, "kind": found.kind, "year": found.year},
        filename=f"{title}.xlsx",
        fallback="rollup.xlsx",
    )


@require_http_methods(["GET", "POST"])
def import_file(request):
    if not request.user.has_role(Role.ADMIN):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            snapshot = exchange.import_snapshot(actor=request.user, data=upload.read(exchange.FILE_MAX + 1))
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, _("Imported: the signature checks."))
            return redirect("reports_up:detail", pk=snapshot.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "reports_up/import.html", {"form": form}, status=status)
