"""The election's Excel uploads: a department's joint-review replies and the results of many villages.

Each has a page (GET: the form and the template's download link; POST: the import, then the count written or
every problem, with row and column) and its template. The election must be the user's (404 otherwise: an
outsider, a missing id), then the role (a reader or a village secretary: 403). A county user may narrow the
template to a township (`?township=CODE`); a township clerk's is his own township, and another township
answers 404. The template's download is written to the audit log as an export, a saved import as an import.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yanzhen.core import audit, guards, xlsx
from yanzhen.core.jurisdiction import code_in_jurisdiction, jurisdiction_prefix
from yanzhen.core.models import AuditAction
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.elections import importer
from yanzhen.elections.models import Election, ReviewDepartment
from yanzhen.rosters.reader import max_upload_bytes


def _election(request, pk: int) -> Election:
    """The election, inside the user's county (404), for an editor (403)."""
    election = guards.get_for_view(Election.objects.select_related("county"), request.user, pk=pk)
    guards.require_editor(request.user)
    return election


def _scope(request, pk: int) -> tuple[Election, Division | None]:
    """The election (404, 403 as `_election`) and the township asked for (`_township`)."""
    election = _election(request, pk)
    return election, _township(request, election)


def _townships(request, election: Election) -> list[Division]:
    """The townships of the election's county the user may choose (a clerk: his own)."""
    found = Division.objects.restrict(request.user).filter(
        level=Level.TOWNSHIP, code__startswith=election.county_id
    )
    return list(found.order_by("code"))


def _township(request, election: Election) -> Division | None:
    """The township asked for (404 outside the county or the user's jurisdiction); a clerk's own by default."""
    code = (request.GET.get("township") or "").strip()
    if not code:
        prefix = jurisdiction_prefix(request.user) or ""
        if len(prefix) != len(election.county_id) + 3:
            return None
        code = prefix
    township = Division.objects.filter(code=code, level=Level.TOWNSHIP).first()
    if (
        township is None
        or not code.startswith(election.county_id)
        or not code_in_jurisdiction(request.user, code)
    ):
        raise Http404
    return township


def _audit(request, action: AuditAction, kind: str, election: Election, place: str, **detail) -> None:
    key = "export" if action == AuditAction.EXPORT else "import"
    audit.record(
        action=action,
        user=request.user,
        request=request,
        object_repr=f"{election} {place}",
        division_code=election.county_id,
        detail={key: kind, "election": election.pk, **detail},
    )


# The file name of each template (before the place).
TEMPLATE_NAMES = {"replies": "资格联审意见", "results": "选举结果"}


def _template_download(
    request,
    election: Election,
    township: Division | None,
    kind: str,
    rows: int,
    build: Callable[[str], bytes],
):
    """A template for the township (or the county) built by `build(place)`, its download audited."""
    place = importer.place_name(township, election)
    division = township.code if township else election.county_id
    _audit(
        request,
        AuditAction.EXPORT,
        f"election_{kind}_template",
        election,
        place,
        division=division,
        rows=rows,
    )
    return xlsx.download(
        build(place),
        f"{TEMPLATE_NAMES[kind]}_{place}_第{election.number}届.xlsx",
        f"election_{kind}_{election.pk}_{division}.xlsx",
    )


def _import(
    request, election: Election, audited: tuple[str, str, dict], missing: list[str], run, **arguments
) -> tuple[importer.ImportOutcome | None, list[str]]:
    """The uploaded file imported as the user (all or nothing) unless anything is `missing`, and the problems.
    A saved import is audited: `audited` is its kind, its title and its detail."""
    content, name, problems = _uploaded(request)
    problems = missing + problems
    if problems:
        return None, problems
    outcome = importer.run_import(
        run, actor=request.user, election=election, content=content, file_name=name, **arguments
    )
    if outcome.ok:
        kind, title, detail = audited
        _audit(
            request,
            AuditAction.IMPORT,
            f"election_{kind}",
            election,
            title,
            **detail,
            rows=outcome.saved,
            file=name[:200],
        )
    return outcome, outcome.messages


def _uploaded(request) -> tuple[bytes | None, str, list[str]]:
    """The uploaded file's content and name, or the reason it is not read."""
    uploaded = request.FILES.get("file")
    if uploaded is None:
        return None, "", ["请选择要导入的 .xlsx 文件"]
    if uploaded.size > max_upload_bytes():
        return None, "", [f"文件超过 {max_upload_bytes() // (1024 * 1024)} MB，请拆分后分批导入"]
    return uploaded.read(), uploaded.name or "", []


def _page(request, kind: str, election: Election, **context):
    """The upload page of `kind` (replies, results): elections/upload_<kind>.html."""
    township = context.pop("township", None)
    return render(
        request,
        f"elections/upload_{kind}.html",
        {
            "kind": kind,
            "election": election,
            "townships": _townships(request, election),
            "township": township,
            "max_mb": max_upload_bytes() // (1024 * 1024),
            **context,
        },
        status=422 if context.get("problems") else 200,
    )


# -- the department's replies ------------------------------------------------------------------------------


@login_required
@require_GET
def replies_template(request, pk: int):
    election, township = _scope(request, pk)
    department = None
    if request.GET.get("department", "").strip().isdigit():
        department = ReviewDepartment.objects.filter(pk=int(request.GET["department"])).first()
    candidates = list(importer.reviewable_candidates(request.user, election, township))
    return _template_download(
        request,
        election,
        township,
        "replies",
        len(candidates),
        lambda place: importer.build_replies_template(election, place, candidates, department),
    )


@login_required
@require_http_methods(["GET", "POST"])
def replies_upload(request, pk: int):
    election, township = _scope(request, pk)
    departments = list(ReviewDepartment.objects.all())
    chosen = (request.POST.get("department") or request.GET.get("department") or "").strip()
    problems: list[str] = []
    if request.method == "POST":
        department = next((d for d in departments if str(d.pk) == chosen), None)
        named = department.name if department is not None else ""
        outcome, problems = _import(
            request,
            election,
            ("replies", named, {"department": named}),
            [] if department is not None else ["请选择联审部门"],
            importer.import_replies,
            department=department,
        )
        if outcome is not None and outcome.ok:
            assert department is not None
            messages.success(
                request,
                _("Joint review replies of %(department)s imported: %(count)d.")
                % {"department": department.name, "count": outcome.saved},
            )
            return redirect(_back("elections:upload-replies", election, township, department=department.pk))
    return _page(
        request,
        "replies",
        election,
        township=township,
        departments=departments,
        chosen=chosen,
        problems=problems,
        query=_query(township, department=chosen),
    )


# -- the results ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def results_template(request, pk: int):
    election, township = _scope(request, pk)
    seats = list(importer.open_seats(request.user, election, township))
    candidates = list(importer.template_candidates(request.user, election, seats))
    return _template_download(
        request,
        election,
        township,
        "results",
        len(seats),
        lambda place: importer.build_results_template(election, place, seats, candidates),
    )


@login_required
@require_http_methods(["GET", "POST"])
def results_upload(request, pk: int):
    election, township = _scope(request, pk)
    problems: list[str] = []
    if request.method == "POST":
        outcome, problems = _import(
            request,
            election,
            ("results", importer.place_name(township, election), {}),
            [],
            importer.import_results,
        )
        if outcome is not None and outcome.ok:
            messages.success(
                request, _("Election results imported: %(count)d seats.") % {"count": outcome.saved}
            )
            return redirect(_back("elections:upload-results", election, township))
    return _page(
        request,
        "results",
        election,
        township=township,
        problems=problems,
        query=_query(township),
    )


def _query(township: Division | None, **extra) -> str:
    values = {"township": township.code} if township is not None else {}
    values.update({key: value for key, value in extra.items() if value})
    return urlencode(values)


def _back(name: str, election: Election, township: Division | None, **extra) -> str:
    query = _query(township, **extra)
    return reverse(name, args=[election.pk]) + (f"?{query}" if query else "")
